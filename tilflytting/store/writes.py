"""Writing the catalog: entries with their children, sources and search rows.

An import saves its entries in batches: one `executemany` per table for the
whole batch instead of six statements per entry (10,000 real pages: 3.3 s
of writing → see docs/performance.md). The rows are written with the
standard library's `executemany` rather than sqlite-utils' `insert_all`:
for 400,000 items it took 1.0 s against 2.0 s (the dicts insert_all builds
and checks per row), and an import writes every item of every page.
sqlite-utils is used where its help is worth more than its cost: setting up
and rebuilding the full-text index, refreshing the lookup tables, and
deleting whole entries (`delete_where`).

Every write happens inside `Store.transaction()`; the store never prints.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from tilflytting.core.fold import key
from tilflytting.core.model import LISTS, Entry, Place
from tilflytting.store import search_index

CHILD_TABLES = ("projects", "items", "places", "headings", "sources")


class EntryWrite(NamedTuple):
    """One entry to save: a new one (`new`), or the whole of an existing one
    replaced. `entry.sources` are its sources, the one that wins first;
    `snapshots` holds, by path, the entry each source gave on its own (JSON,
    see store/snapshot.py), None for an entry with one source."""

    entry_id: int
    entry: Entry
    new: bool
    snapshots: Mapping[str, str | None] = {}  # never changed in place


class Writes:
    """The writing half of Store (see store/database.py)."""

    conn: sqlite3.Connection
    _next_id: int | None

    def new_entry_id(self) -> int:
        """An id for an entry about to be saved (inside a transaction)."""
        if self._next_id is None:
            (last,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
            self._next_id = int(last) + 1
        self._next_id += 1
        return self._next_id - 1

    def save_entries(self, writes: list[EntryWrite]) -> None:
        """Insert the new entries and replace the others, children, sources
        and search rows included."""
        replaced = [w.entry_id for w in writes if not w.new]
        self._delete_children(replaced)
        execute = self.conn.executemany
        columns = ", ".join(ENTRY_COLUMNS)
        marks = ", ".join("?" for _ in ENTRY_COLUMNS)
        execute(
            f"INSERT INTO entries (id, {columns}) VALUES (?, {marks})",
            [(w.entry_id, *_entry_row(w.entry)) for w in writes if w.new],
        )
        assignments = ", ".join(f"{column} = ?" for column in ENTRY_COLUMNS)
        execute(
            f"UPDATE entries SET {assignments} WHERE id = ?",
            [(*_entry_row(w.entry), w.entry_id) for w in writes if not w.new],
        )
        pairs = [(w.entry_id, w.entry) for w in writes]
        execute(
            "INSERT INTO projects (entry_id, pos, navn, fra, til, pagaende, periode, linje) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _project_rows(pairs),
        )
        self._insert_items(pairs)
        execute(
            f"INSERT INTO places ({', '.join(PLACE_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in PLACE_COLUMNS)})",
            _place_rows(pairs),
        )
        execute(
            "INSERT INTO headings (entry_id, tekst, type, linje) VALUES (?, ?, ?, ?)",
            [(i, h.text, h.kind, h.line) for i, entry in pairs for h in entry.headings],
        )
        execute(
            f"INSERT INTO sources ({', '.join(SOURCE_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in SOURCE_COLUMNS)})",
            _source_rows(writes),
        )
        search_index.write_rows(
            self.conn, ((i, search_index.search_row(entry)) for i, entry in pairs)
        )

    def replace_items(self, entry_id: int, entry: Entry) -> None:
        """Store newly normalised list items for an entry (nothing else changes)."""
        self.conn.execute("DELETE FROM items WHERE entry_id = ?", (entry_id,))
        self._insert_items([(entry_id, entry)])
        search_index.delete_rows(self.conn, [entry_id])
        search_index.write_rows(self.conn, [(entry_id, search_index.search_row(entry))])

    def delete_entries(self, ids: list[int]) -> None:
        """Take these entries out, with everything that hangs on them."""
        import sqlite_utils

        db = sqlite_utils.Database(self.conn)
        self._delete_children(ids)
        for start in range(0, len(ids), 500):
            batch = ids[start : start + 500]
            db.table("entries").delete_where(f"id IN ({', '.join('?' for _ in batch)})", batch)

    def delete_entry(self, entry_id: int) -> None:
        self.delete_entries([entry_id])

    def _delete_children(self, ids: list[int]) -> None:
        if not ids:
            return
        search_index.delete_rows(self.conn, ids)
        for table in CHILD_TABLES:
            self.conn.executemany(
                f"DELETE FROM {table} WHERE entry_id = ?", ((entry_id,) for entry_id in ids)
            )

    def _insert_items(self, pairs: list[tuple[int, Entry]]) -> None:
        self.conn.executemany(
            "INSERT INTO items (entry_id, liste, pos, tekst, term, linje, avkortet, detalj) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            _item_rows(pairs),
        )


ENTRY_COLUMNS = (
    "slug",
    "tittel",
    "tittel_linje",
    "ingress",
    "tekst",
    "fagomrader",
    "region",
    "komplett",
    "advarsler",
    "kilde_url",
    "url_nokkel",
    "lister_raw",
    "slug_nokkel",
    "tittel_nokkel",
)


def _entry_row(entry: Entry) -> tuple[Any, ...]:
    """The values of ENTRY_COLUMNS for `entry`."""
    raw = {
        name: [
            {"tekst": i.text, "linje": i.line, "avkortet": i.truncated, "term": i.term}
            for i in items
        ]
        for name, items in entry.raw_lists.items()
    }
    problems = [{"linje": p.line, "melding": p.message} for p in entry.problems]
    return (
        entry.slug,
        entry.title,
        entry.title_line,
        entry.lead,
        entry.text,
        json.dumps(entry.areas, ensure_ascii=False),
        entry.region,
        int(entry.complete),
        json.dumps(problems, ensure_ascii=False),
        entry.url,
        url_key(entry.url),
        json.dumps(raw, ensure_ascii=False),
        key(entry.slug),
        key(entry.title),
    )


def url_key(url: str | None) -> str | None:
    """What two catalog addresses are compared by: no scheme, no `www.`, no
    trailing slash, lowercase (`https://www.x.no/a/` and `http://x.no/a`
    are one page)."""
    if url is None or not url.strip():
        return None
    text = url.strip().lower().split("#")[0]
    scheme = text.find("://")
    if scheme > 0 and text[:scheme].isalpha():
        text = text[scheme + 3 :]
    return text.removeprefix("www.").rstrip("/") or None


def _project_rows(pairs: list[tuple[int, Entry]]) -> Iterator[tuple[Any, ...]]:
    for entry_id, entry in pairs:
        for pos, p in enumerate(entry.projects):
            yield (entry_id, pos, p.name, p.start, p.end, int(p.ongoing), p.period, p.line)


def _item_rows(pairs: list[tuple[int, Entry]]) -> Iterator[tuple[Any, ...]]:
    for entry_id, entry in pairs:
        items = [(name, item) for name in LISTS for item in entry.lists[name]]
        items += [("hovedmal", item) for item in entry.main_goal]
        for pos, (name, i) in enumerate(items):
            yield (entry_id, name, pos, i.text, i.term, i.line, int(i.truncated), i.detail)


PLACE_COLUMNS = (
    "entry_id",
    "pos",
    "type",
    "navn",
    "nummer_2012",
    "fylke_2012",
    "navn_2024",
    "nummer_2024",
    "fylke_2024",
    "navn_nokkel",
    "navn_2024_nokkel",
    "bevis",
    "linje",
)


def _place_rows(pairs: list[tuple[int, Entry]]) -> Iterator[tuple[Any, ...]]:
    """The values of PLACE_COLUMNS for each place of each entry."""
    for entry_id, entry in pairs:
        for pos, p in enumerate(entry.places):
            yield (entry_id, pos, *_place_values(p))


def _place_values(p: Place) -> tuple[Any, ...]:
    names = (_key(p.name), _key(p.name_2024))
    place = (p.kind, p.name, p.nr_2012, p.fylke_2012, p.name_2024, p.nr_2024, p.fylke_2024)
    return (*place, *names, p.evidence, p.line)


SOURCE_COLUMNS = (
    "entry_id",
    "fil",
    "sha256",
    "format",
    "tegnsett",
    "url",
    "rolle",
    "forrang",
    "parser_versjon",
    "importert",
    "oppforing",
)


def _source_rows(writes: Iterable[EntryWrite]) -> Iterator[tuple[Any, ...]]:
    for w in writes:
        for s in w.entry.sources:
            yield (
                w.entry_id,
                s.path,
                s.sha256,
                s.format,
                s.encoding,
                s.url,
                s.role,
                s.precedence,
                s.parser_version,
                s.imported,
                w.snapshots.get(s.path),
            )


def _key(text: str | None) -> str | None:
    return None if text is None else key(text)
