"""The full-text index: what goes into it, in ONE place.

Each entry has one row in `entry_search`, indexed by the FTS5 table
`entry_search_fts` (external content). `search_row` makes that row from an
entry; every writer of the index (saving an entry, changing its items,
building the whole index again) goes through it and through `write_rows`
and `delete_rows`, which keep both tables in step (no triggers: see
`write_rows`; a program that edits `entry_search` by hand should run
`INSERT INTO entry_search_fts(entry_search_fts) VALUES('rebuild')`).

The index is derived data: when what goes into a row changes, raise
SEARCH_VERSION, and the store builds the index again, table and all, the
next time it opens the database (store/schema.py). So columns and
tokenizer may change freely here: no migration is needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from tilflytting.core.fold import fold
from tilflytting.core.model import LISTS, Entry

# Raise when `search_row`, the columns or the tokenizer change.
SEARCH_VERSION = 2
SEARCH_COLUMNS = ("tittel", "ingress", "tekst", "prosjekter", "lister", "steder")
# bm25 weights per column, in SEARCH_COLUMNS order: a word in the title
# counts most, one in the free text least.
SEARCH_WEIGHTS = (10.0, 3.0, 1.0, 5.0, 2.0, 4.0)
TOKENIZER = "unicode61 remove_diacritics 2"
REBUILD_BATCH = 500  # entries loaded per round when the whole index is built again

SearchRow = tuple[str | None, ...]


def search_row(entry: Entry) -> SearchRow:
    """The searchable text of `entry`, one value per SEARCH_COLUMNS, folded
    (æ→ae, ø→o, å→a, lowercase): list items with their terms' words and the
    place a public body is named for, places of both eras and the region."""
    items = [item for name in LISTS for item in entry.lists[name]] + entry.main_goal
    places = [
        f"{p.name or ''} {p.name_2024 or ''} {p.fylke_2012 or ''} {p.fylke_2024 or ''}"
        for p in entry.places
    ]
    return (
        fold(entry.title),
        fold(entry.lead),
        fold(entry.text),
        fold(" | ".join(p.name for p in entry.projects)) if entry.projects else None,
        fold(
            " | ".join(
                f"{i.text} {(i.term or '').replace('-', ' ')} {i.detail or ''}" for i in items
            )
        )
        if items
        else None,
        fold(" | ".join(places) + " " + (entry.region or "")),
    )


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
