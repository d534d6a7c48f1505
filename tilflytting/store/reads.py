"""Reading the catalog: entries whole or in outline, look-ups by what a
user types, searches, and the facts about sources an import needs.

Reads use the standard library's sqlite3 only, so that read commands start
fast (sqlite-utils is imported to build or change the schema, and by
imports). An entry is read in batches: five queries per LOAD_BATCH entries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any, NamedTuple

from tilflytting.core.model import (
    Entry,
    Heading,
    Item,
    Place,
    Problem,
    Project,
    SearchFilters,
    Source,
)
from tilflytting.store.filters import LIST_KEYS, filter_sql, placeholders, search_sql

LOAD_BATCH = 500  # entries read per round of queries (SQLite allows 32,766 variables)
SOURCE_FIELDS = "fil, sha256, tegnsett, format, url, rolle, forrang, importert, parser_versjon"
# The order of an entry's sources: the one that wins first (see core/merge.py).
PRECEDENCE = "forrang DESC, importert DESC, id DESC"


class KnownFile(NamedTuple):
    """What the store knows of a file it imported before (tuples: cheaper
    to define at start-up than dataclasses)."""

    entry_id: int
    sha256: str
    parser_version: int | None
    slug: str


class StoredSource(NamedTuple):
    """One of an entry's sources, with the entry it gave (None: the entry as
    stored, for an entry with this one source)."""

    id: int
    source: Source
    snapshot: str | None


class Reads:
    """The reading half of Store (see store/database.py)."""

    conn: sqlite3.Connection

    def count_entries(self, filters: SearchFilters) -> int:
        raise NotImplementedError  # store/counts.py

    def sources(self) -> list[tuple[int, str, str]]:
        """(id, slug, file of the source that wins) of every entry, by slug."""
        rows = self.conn.execute(
            "SELECT e.id, e.slug, (SELECT fil FROM sources s WHERE s.entry_id = e.id "
            f"ORDER BY {PRECEDENCE} LIMIT 1) FROM entries e ORDER BY e.slug"
        )
        return [(r[0], r[1], r[2] or "") for r in rows]

    def known_files(self) -> dict[str, KnownFile]:
        """Every imported file by its path: read once per import, so that an
        unchanged file costs a hash and no query."""
        rows = self.conn.execute(
            "SELECT s.fil, s.entry_id, s.sha256, s.parser_versjon, e.slug FROM sources s "
            "JOIN entries e ON e.id = s.entry_id"
        )
        return {r[0]: KnownFile(r[1], r[2], r[3], r[4]) for r in rows}

    def identities(self) -> tuple[dict[str, tuple[int, str | None]], dict[str, int]]:
        """Every entry by slug (id, catalog address key) and by its address key."""
        slugs: dict[str, tuple[int, str | None]] = {}
        urls: dict[str, int] = {}
        for entry_id, slug, url in self.conn.execute("SELECT id, slug, url_nokkel FROM entries"):
            slugs[slug] = (entry_id, url)
            if url:
                urls.setdefault(url, entry_id)
        return slugs, urls

    def sources_of(self, entry_id: int) -> list[StoredSource]:
        """The entry's sources, the one that wins first."""
        rows = self.conn.execute(
            f"SELECT id, {SOURCE_FIELDS}, oppforing FROM sources WHERE entry_id = ? "
            f"ORDER BY {PRECEDENCE}",
            (entry_id,),
        )
        return [StoredSource(r[0], _source(r[1:-1]), r[-1]) for r in rows]

    def source_parts(self, entry_id: int) -> list[tuple[Source, Entry]]:
        """The entry's sources, the one that wins first, each with the entry
        it gave on its own (the stored entry, for an entry's only source)."""
        from tilflytting.store import snapshot

        parts = []
        whole: Entry | None = None
        for stored in self.sources_of(entry_id):
            if stored.snapshot is not None:
                try:
                    parts.append((stored.source, snapshot.load(stored.snapshot)))
                    continue
                except (ValueError, KeyError, TypeError, AttributeError):
                    pass  # edited by hand past reading: the entry as stored stands in
            if whole is None:
                whole = self.load_entries([entry_id], raw=True)[0]
            parts.append((stored.source, whole))
        return parts

    def list_keys(self, filters: SearchFilters, by: str) -> list[tuple[int, Any]]:
        """(id, value `list --sort` orders by) of the entries `filters` allow
        (`list` gives places only: counties, municipalities, regions), by
        slug: `by` is slug (no value), tittel (as written), kommune (first
        municipality, as written), fylke (first 2024 county) or start (first
        project start). Read without loading the entries, so that `list
        --limit 20` loads 20 (100,000: 16 s → 0.3 s)."""
        clauses, params = filter_sql(filters)
        where = "".join(f" AND {c}" for c in clauses)
        sql = f"SELECT e.id, {LIST_KEYS[by]} FROM entries e WHERE 1 = 1{where} ORDER BY e.slug"
        return [(row[0], row[1]) for row in self.conn.execute(sql, params)]

    def free_texts(self, liste: str) -> list[str]:
        """The distinct free answers (items no term covers) of one list."""
        rows = self.conn.execute(
            "SELECT DISTINCT tekst FROM items WHERE liste = ? AND term IS NULL", (liste,)
        )
        return [r[0] for r in rows]

    def search(
        self, match: str | None, filters: SearchFilters, limit: int | None = None
    ) -> list[tuple[int, float]]:
        """(id, score) of the entries that fit: with `match` (an FTS5 query on
        the folded index) best first by bm25, else by slug. Raises
        sqlite3.OperationalError for a malformed `match`."""
        sql, params = search_sql(match, filters, limit)
        return [(row[0], row[1]) for row in self.conn.execute(sql, params)]

    def count_matches(self, match: str | None, filters: SearchFilters) -> int:
        """How many entries `search` would find with no limit."""
        if match is None:
            return self.count_entries(filters)
        clauses, params = filter_sql(filters, id_column="+e.id", row=False)
        where = "".join(f" AND {c}" for c in clauses)
        sql = (
            "SELECT count(*) FROM (SELECT rowid AS id FROM entry_search_fts "
            f"WHERE entry_search_fts MATCH ?) AS e WHERE 1 = 1{where}"
        )
        return int(self.conn.execute(sql, [match, *params]).fetchone()[0])

    def find(self, how: str, value: str) -> list[tuple[int, str, str]]:
        """(id, slug, title) of entries matching `value` one way: `slug`, `key`
        (folded slug or title), `number` (municipality of any era), `place`
        (folded municipality name of either era) or `part` (in slug or title)."""
        where = {
            "slug": "e.slug = :v",
            "key": "e.slug_nokkel = :v OR e.tittel_nokkel = :v",
            "number": "e.id IN (SELECT entry_id FROM places WHERE nummer_2012 = :v "
            "OR nummer_2024 = :v)",
            "place": "e.id IN (SELECT entry_id FROM places WHERE navn_nokkel = :v "
            "OR navn_2024_nokkel = :v)",
            "part": "instr(e.slug_nokkel, :v) > 0 OR instr(e.tittel_nokkel, :v) > 0",
        }[how]
        rows = self.conn.execute(
            f"SELECT e.id, e.slug, e.tittel FROM entries e WHERE {where} ORDER BY e.slug",
            {"v": value},
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def names_like(self, prefix: str, limit: int = 5000) -> list[str]:
        """Slugs, titles and place names starting like `prefix`, for suggestions."""
        rows = self.conn.execute(
            "SELECT slug FROM entries WHERE slug_nokkel LIKE :p "
            "UNION SELECT tittel FROM entries WHERE tittel_nokkel LIKE :p "
            "UNION SELECT navn FROM places WHERE navn_nokkel LIKE :p LIMIT :n",
            {"p": prefix + "%", "n": limit},
        )
        return [r[0] for r in rows if r[0]]

    def load_entries(self, ids: list[int], raw: bool = False) -> list[Entry]:
        """Entries with everything they hold, in the order of `ids`, read in
        batches (five queries per LOAD_BATCH entries). `raw`: also the lists
        as written, which only YAML export and `vocab --apply` need."""
        return _in_batches(ids, lambda batch: self._load_batch(batch, raw))

    def load_outlines(self, ids: list[int]) -> list[Entry]:
        """Entries with only their slug, title, places and projects, in the
        order of `ids`: what population figures need, without the text and
        lists (`summarise --folketall` of 100,000 entries: 12 s → 3.4 s)."""
        return _in_batches(ids, self._outline_batch)

    def _outline_batch(self, ids: list[int]) -> dict[int, Entry]:
        marks = placeholders(ids)
        rows = self.conn.execute(f"SELECT id, slug, tittel FROM entries WHERE id IN ({marks})", ids)
        entries = {row[0]: Entry(row[2], slug=row[1]) for row in rows}
        self._add_projects_and_places(entries, ids, marks)
        return entries

    def _add_projects_and_places(
        self, entries: dict[int, Entry], ids: list[int], marks: str
    ) -> None:
        for entry_id, *fields in self.conn.execute(
            "SELECT entry_id, navn, fra, til, pagaende, periode, linje FROM projects "
            f"WHERE entry_id IN ({marks}) ORDER BY entry_id, pos",
            ids,
        ):
            name, start, end, ongoing, period, line = fields
            entries[entry_id].projects.append(
                Project(name, start, end, bool(ongoing), period, line)
            )
        for entry_id, *place in self.conn.execute(
            "SELECT entry_id, type, navn, nummer_2012, fylke_2012, navn_2024, nummer_2024, "
            f"fylke_2024, bevis, linje FROM places WHERE entry_id IN ({marks}) "
            "ORDER BY entry_id, pos",
            ids,
        ):
            entries[entry_id].places.append(Place(*place))

    def _load_batch(self, ids: list[int], raw: bool) -> dict[int, Entry]:
        marks = placeholders(ids)
        cursor = self.conn.execute(f"SELECT * FROM entries WHERE id IN ({marks})", ids)
        columns = [d[0] for d in cursor.description]
        entries = {row[0]: _entry_from(dict(zip(columns, row, strict=True)), raw) for row in cursor}
        query = self.conn.execute
        self._add_projects_and_places(entries, ids, marks)
        for entry_id, *fields in query(
            f"SELECT entry_id, {SOURCE_FIELDS} FROM sources WHERE entry_id IN ({marks}) "
            f"ORDER BY entry_id, {PRECEDENCE}",
            ids,
        ):
            entries[entry_id].sources.append(_source(fields))
        for entry in entries.values():
            entry.source = entry.sources[0] if entry.sources else None
        for entry_id, name, text, term, line, cut, detail in query(
            "SELECT entry_id, liste, tekst, term, linje, avkortet, detalj FROM items "
            f"WHERE entry_id IN ({marks}) ORDER BY entry_id, pos",
            ids,
        ):
            entry = entries[entry_id]
            target = entry.main_goal if name == "hovedmal" else entry.lists[name]
            target.append(Item(text, line, term, bool(cut), detail))
        for entry_id, *heading in query(
            f"SELECT entry_id, tekst, type, linje FROM headings WHERE entry_id IN ({marks}) "
            "ORDER BY entry_id, linje",
            ids,
        ):
            entries[entry_id].headings.append(Heading(*heading))
        return entries


def _entry_from(row: dict[str, Any], raw: bool) -> Entry:
    """An entry from its row in `entries`; children are added by the caller."""
    entry = Entry(title=row["tittel"], title_line=row["tittel_linje"])
    entry.slug, entry.lead, entry.text = row["slug"], row["ingress"], row["tekst"]
    entry.areas = [a for a in _json(row["fagomrader"], list) if isinstance(a, str)]
    entry.region, entry.complete = row["region"], bool(row["komplett"])
    entry.problems = _problems(row["advarsler"])
    entry.url = row["kilde_url"]
    if raw:
        entry.raw_lists = {
            name: [
                _item(i) for i in items if isinstance(i, dict) and isinstance(i.get("tekst"), str)
            ]
            for name, items in _json(row["lister_raw"], dict).items()
            if isinstance(items, list)
        }
    return entry


# The JSON columns are ours, but another program (sqlite3, Datasette) may
# have written them: a value of the wrong shape reads as empty, never as a
# traceback in every command that loads the entry.
def _json(text: str | None, kind: type[Any]) -> Any:
    try:
        value = json.loads(text) if text else kind()
    except (TypeError, ValueError, RecursionError):
        return kind()
    return value if isinstance(value, kind) else kind()


def _problems(text: str | None) -> list[Problem]:
    found = []
    for problem in _json(text, list):
        if isinstance(problem, dict) and isinstance(problem.get("melding"), str):
            line = problem.get("linje")
            found.append(Problem(problem["melding"], line if isinstance(line, int) else None))
        elif isinstance(problem, str):
            found.append(Problem(problem))
    return found


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _item(data: dict[str, Any]) -> Item:
    line, term = data.get("linje"), data.get("term")
    return Item(
        data["tekst"],
        line if isinstance(line, int) else None,
        term if isinstance(term, str) else None,
        bool(data.get("avkortet")),
    )


def _in_batches(ids: list[int], load: Callable[[list[int]], dict[int, Entry]]) -> list[Entry]:
    """`load` the entries LOAD_BATCH at a time (SQLite allows 32,766
    variables), in the order of `ids`."""
    loaded: dict[int, Entry] = {}
    for start in range(0, len(ids), LOAD_BATCH):
        loaded.update(load(ids[start : start + LOAD_BATCH]))
    return [loaded[entry_id] for entry_id in ids]


def _source(fields: Any) -> Source:
    path, sha256, encoding, fmt, url, role, precedence, imported, version = fields
    return Source(path, sha256, encoding, fmt, url, role, precedence, imported, version)
