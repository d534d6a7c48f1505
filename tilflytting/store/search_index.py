"""The full-text index: what goes into it, in ONE place.

Each entry has one row in `entry_search`, indexed by the FTS5 table
`entry_search_fts` (external content). `search_row` makes that row from an
entry; every writer of the index (saving an entry, changing its items,
building the whole index again) goes through it and through `write_rows`
and `delete_rows`, which keep both tables in step (no triggers: see
`write_rows`; a program that edits `entry_search` by hand should run
`INSERT INTO entry_search_fts(entry_search_fts) VALUES('rebuild')`).

Each field is kept three ways (`searchable`): as written, folded, and in
the search forms of its words (reference/language.py), so that `møre` and
`more`, `tilflyttarar` and `tilflytterne` find each other.

The index is derived data: when what goes into a row changes, raise
ROW_VERSION, and the store builds the index again, table and all, the
next time it opens the database (store/schema.py). SEARCH_VERSION, the
version the store compares, is made of ROW_VERSION and the search forms'
FORMS_VERSION, so that new search forms rebuild the index too. Columns and
tokenizer may change freely here: no migration is needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from tilflytting.core.fold import fold
from tilflytting.core.model import LISTS, Entry
from tilflytting.reference.language import FORMS_VERSION, index_forms

# Raise when `search_row`, the columns or the tokenizer change.
ROW_VERSION = 3


def search_version(forms_version: int) -> str:
    """The index's version as `_meta` keeps it: it changes when the rows
    change (ROW_VERSION) and when the search forms do (FORMS_VERSION)."""
    return f"{ROW_VERSION}.{forms_version}"


SEARCH_VERSION = search_version(FORMS_VERSION)
SEARCH_COLUMNS = ("tittel", "ingress", "tekst", "prosjekter", "lister", "steder")
# bm25 weights per column, in SEARCH_COLUMNS order: a word in the title
# counts most, one in the free text least.
SEARCH_WEIGHTS = (10.0, 3.0, 1.0, 5.0, 2.0, 4.0)
TOKENIZER = "unicode61 remove_diacritics 2"
REBUILD_BATCH = 500  # entries loaded per round when the whole index is built again

SearchRow = tuple[str | None, ...]


def search_row(entry: Entry) -> SearchRow:
    """The searchable text of `entry`, one value per SEARCH_COLUMNS, each
    `searchable`: title, lead, text, project names, list items with their
    terms' words and the place a public body is named for, places of both
    eras and the region."""
    items = [item for name in LISTS for item in entry.lists[name]] + entry.main_goal
    places = [
        f"{p.name or ''} {p.name_2024 or ''} {p.fylke_2012 or ''} {p.fylke_2024 or ''}"
        for p in entry.places
    ]
    return (
        searchable(entry.title),
        searchable(entry.lead),
        searchable(entry.text),
        searchable(" | ".join(p.name for p in entry.projects)) if entry.projects else None,
        searchable(
            " | ".join(
                f"{i.text} {(i.term or '').replace('-', ' ')} {i.detail or ''}" for i in items
            )
        )
        if items
        else None,
        searchable(f"{' | '.join(places)} {entry.region or ''}".strip()),
    )


def searchable(text: str) -> str:
    """A field as the index keeps it: as written (`møre`, `næringslivet`), then
    folded where that differs (`more`, `holtalen`), then the search forms of
    its words (`tilflyttarar` and `tilflytterne` both as `tilflytt`)."""
    parts = [text]
    folded = fold(text)
    if folded != text.lower():
        parts.append(folded)
    forms = index_forms(text)
    if forms:
        parts.append(forms)
    return "\n".join(parts)


def write_rows(conn: sqlite3.Connection, rows: Iterable[tuple[int, SearchRow]]) -> None:
    """Put the rows of entries that have none into the index (see
    `delete_rows`). The FTS5 index is written here, not by triggers on
    `entry_search`: through a trigger every row cost FTS5 a flush of its
    pending terms, 0.81 s for the rows of 10,000 pages against 0.21 s
    written directly (one statement per table for all rows)."""
    rows = list(rows)
    columns = ", ".join(SEARCH_COLUMNS)
    marks = ", ".join("?" for _ in SEARCH_COLUMNS)
    values = [(entry_id, *row) for entry_id, row in rows]
    conn.executemany(f"INSERT INTO entry_search (entry_id, {columns}) VALUES (?, {marks})", values)
    conn.executemany(f"INSERT INTO entry_search_fts (rowid, {columns}) VALUES (?, {marks})", values)


def delete_rows(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Take these entries' rows out of the index (FTS5's `delete` needs the
    values the row was indexed with: read from `entry_search`)."""
    columns = ", ".join(SEARCH_COLUMNS)
    ids = list(ids)
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start : start + REBUILD_BATCH]
        marks = ", ".join("?" for _ in batch)
        conn.execute(
            f"INSERT INTO entry_search_fts (entry_search_fts, rowid, {columns}) "
            f"SELECT 'delete', entry_id, {columns} FROM entry_search WHERE entry_id IN ({marks})",
            batch,
        )
        conn.execute(f"DELETE FROM entry_search WHERE entry_id IN ({marks})", batch)


def rebuild(conn: sqlite3.Connection, load: Callable[[list[int]], list[Entry]]) -> None:
    """Make the index again from scratch, with today's columns and rows
    (inside the caller's transaction). `load` reads entries by id."""
    import sqlite_utils  # only needed to set the index up

    db = sqlite_utils.Database(conn)
    table = db.table("entry_search")
    table.disable_fts()  # the index, and the triggers older versions wrote it by
    conn.execute("DROP TABLE IF EXISTS entry_search")
    table.create(
        {"entry_id": int, **dict.fromkeys(SEARCH_COLUMNS, str)},
        pk="entry_id",
        foreign_keys=[("entry_id", "entries", "id")],
    )
    table.enable_fts(list(SEARCH_COLUMNS), tokenize=TOKENIZER)
    ids = [row[0] for row in conn.execute("SELECT id FROM entries ORDER BY id")]
    columns = ", ".join(SEARCH_COLUMNS)
    marks = ", ".join("?" for _ in SEARCH_COLUMNS)
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = ids[start : start + REBUILD_BATCH]
        conn.executemany(
            f"INSERT INTO entry_search (entry_id, {columns}) VALUES (?, {marks})",
            [(i, *search_row(e)) for i, e in zip(batch, load(batch), strict=True)],
        )
    table.rebuild_fts()
