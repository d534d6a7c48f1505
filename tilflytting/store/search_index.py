"""The full-text index: what goes into it, in ONE place.

Each entry has one row in `entry_search` (an FTS5 index `entry_search_fts`
follows it by triggers). `search_row` makes that row from an entry; every
writer of the index (saving an entry, changing its items, building the whole
index again) goes through it. The index is derived data: when what goes into
a row changes, raise SEARCH_VERSION, and the store builds the index again,
table and all, the next time it opens the database (store/derived.py). So
columns and tokenizer may change freely here: no migration is needed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from tilflytting.core.fold import fold
from tilflytting.core.model import LISTS, Entry

# Raise when `search_row`, the columns or the tokenizer change.
SEARCH_VERSION = 1
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
    `delete_rows`: INSERT OR REPLACE would not fire the trigger that takes the
    old row out of FTS5). One statement for all rows: 10,000 entries' rows
    one by one, folded in SQLite through a Python function, cost 1.5 s."""
    columns = ", ".join(SEARCH_COLUMNS)
    marks = ", ".join("?" for _ in SEARCH_COLUMNS)
    conn.executemany(
        f"INSERT INTO entry_search (entry_id, {columns}) VALUES (?, {marks})",
        ((entry_id, *row) for entry_id, row in rows),
    )


def delete_rows(conn: sqlite3.Connection, ids: Iterable[int]) -> None:
    """Take these entries' rows out of the index."""
    conn.executemany("DELETE FROM entry_search WHERE entry_id = ?", ((i,) for i in ids))


def rebuild(conn: sqlite3.Connection, load: Callable[[list[int]], list[Entry]]) -> None:
    """Make the index again from scratch, with today's columns and rows
    (inside the caller's transaction). `load` reads entries by id."""
    import sqlite_utils  # only needed to set the index up

    db = sqlite_utils.Database(conn)
    table = db.table("entry_search")
    table.disable_fts()
    conn.execute("DROP TABLE IF EXISTS entry_search")
    table.create(
        {"entry_id": int, **dict.fromkeys(SEARCH_COLUMNS, str)},
        pk="entry_id",
        foreign_keys=[("entry_id", "entries", "id")],
    )
    table.enable_fts(list(SEARCH_COLUMNS), create_triggers=True, tokenize=TOKENIZER)
    ids = [row[0] for row in conn.execute("SELECT id FROM entries ORDER BY id")]
    for start in range(0, len(ids), REBUILD_BATCH):
        batch = load(ids[start : start + REBUILD_BATCH])
        write_rows(
            conn, zip(ids[start : start + REBUILD_BATCH], map(search_row, batch), strict=True)
        )
