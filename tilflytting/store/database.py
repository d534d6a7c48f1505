"""The catalog database: schema, migrations, reads and writes. All SQL lives here.

The schema is built by named, append-only migrations (the pattern of
simonw/llm): each name is applied once and recorded in `_migrations`, so a
database made by any older version upgrades in place. A database that has
migrations this version does not know was made by a newer version and is
refused rather than touched.

Reads use the standard library's sqlite3 only, so read commands start fast;
sqlite-utils is imported when a migration has to run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tilflytting.core import clock
from tilflytting.core.fold import fold, key
from tilflytting.core.model import (
    LISTS,
    Entry,
    Heading,
    Item,
    Place,
    Problem,
    Project,
    SearchFilters,
    Source,
)

BUSY_TIMEOUT_MS = 10_000
LOAD_BATCH = 500  # entries read per round of queries (SQLite allows 32,766 variables)
# A subset of at most this share of the catalog has its items counted entry
# by entry (index items(entry_id, liste, term), m009); a larger one by walking
# each list's index whole. At 100,000 entries the first is 57x faster for one
# municipality and 2x for one county, the second 1.5x faster for a third.
BY_ENTRY_SHARE = 1 / 6
SEARCH_COLUMNS = ["tittel", "ingress", "tekst", "prosjekter", "lister", "steder"]
# bm25 weights per column, in SEARCH_COLUMNS order: a word in the title
# counts most, one in the free text least.
SEARCH_WEIGHTS = (10.0, 3.0, 1.0, 5.0, 2.0, 4.0)
TOKENIZER = "unicode61 remove_diacritics 2"
# What `list --sort` orders by, per entry `e` (slug: the order rows come in).
_LIST_KEYS = {
    "slug": "NULL",
    # Names as written: the query layer orders them the Norwegian way (Æ Ø Å last).
    "tittel": "e.tittel",
    "kommune": "(SELECT coalesce(p.navn, p.navn_2024) FROM places p "
    "WHERE p.entry_id = e.id AND p.type = 'kommune' ORDER BY p.pos LIMIT 1)",
    "fylke": "(SELECT p.fylke_2024 FROM places p WHERE p.entry_id = e.id AND p.fylke_2024 != '' "
    "ORDER BY p.pos LIMIT 1)",
    "start": "(SELECT min(fra) FROM projects WHERE entry_id = e.id AND fra)",
}
TALLY_TABLES = ("tally_terms", "tally_years", "tally_catalog")  # derived counts (m008)


class StoreError(Exception):
    """A database problem to report to the user in one line."""


class StoreMissing(StoreError):
    """No database at the path a read command was given."""


# -- migrations -------------------------------------------------------------
def _m001_initial(db: Any) -> None:
    db["entries"].create(
        {
            "id": int,
            "slug": str,
            "tittel": str,
            "tittel_linje": int,
            "ingress": str,
            "tekst": str,
            "fagomrader": str,  # JSON list
            "region": str,
            "komplett": int,
            "advarsler": str,  # JSON list of {linje, melding}
            "kilde_fil": str,
            "kilde_url": str,
            "format": str,
            "sha256": str,
            "tegnsett": str,
            "parser_versjon": int,
            "importert": str,
        },
        pk="id",
        not_null={"slug", "tittel", "kilde_fil"},
    )
    db["entries"].create_index(["slug"], unique=True)
    db["entries"].create_index(["kilde_fil"], unique=True)
    child = {"foreign_keys": [("entry_id", "entries", "id")]}
    db["projects"].create(
        {
            "id": int,
            "entry_id": int,
            "pos": int,
            "navn": str,
            "fra": int,
            "til": int,
            "pagaende": int,
            "periode": str,
            "linje": int,
        },
        pk="id",
        **child,
    )
    db["items"].create(
        {
            "id": int,
            "entry_id": int,
            "liste": str,
            "pos": int,
            "tekst": str,
            "term": str,
            "linje": int,
            "avkortet": int,
        },
        pk="id",
        **child,
    )
    db["places"].create(
        {
            "id": int,
            "entry_id": int,
            "pos": int,
            "type": str,
            "navn": str,
            "nummer_2012": str,
            "fylke_2012": str,
            "navn_2024": str,
            "nummer_2024": str,
            "fylke_2024": str,
        },
        pk="id",
        **child,
    )
    db["headings"].create(
        {"id": int, "entry_id": int, "tekst": str, "type": str, "linje": int},
        pk="id",
        **child,
    )
    for table in ("projects", "items", "places", "headings"):
        db[table].create_index(["entry_id"])
    db["items"].create_index(["liste", "term"])
    for column in ("fylke_2012", "fylke_2024", "nummer_2012", "nummer_2024"):
        db["places"].create_index([column])


def _m002_search_index(db: Any) -> None:
    """One row of searchable text per entry, indexed with FTS5."""
    db["entry_search"].create(
        {
            "entry_id": int,
            "tittel": str,
            "ingress": str,
            "tekst": str,
            "prosjekter": str,
            "lister": str,
        },
        pk="entry_id",
        foreign_keys=[("entry_id", "entries", "id")],
    )
    db["entry_search"].enable_fts(
        ["tittel", "ingress", "tekst", "prosjekter", "lister"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )
    # Rows for existing entries are written by m004, which replaces this index.


def _m003_vocabulary(db: Any) -> None:
    """Items get the place a public body is named for; entries keep their
    lists as written, so the vocabulary can be applied again later."""
    db["items"].add_column("detalj", str)
    db["entries"].add_column("lister_raw", str)
    # Before this step items were stored as written: they are the raw lists.
    for (entry_id,) in db.execute("SELECT id FROM entries").fetchall():
        rows = db.execute(
            "SELECT liste, tekst, linje, avkortet FROM items WHERE entry_id = ? AND liste != "
            "'hovedmal' ORDER BY pos",
            [entry_id],
        ).fetchall()
        raw: dict[str, list[dict[str, Any]]] = {}
        for liste, tekst, linje, avkortet in rows:
            raw.setdefault(liste, []).append(
                {"tekst": tekst, "linje": linje, "avkortet": bool(avkortet), "term": None}
            )
        db.execute(
            "UPDATE entries SET lister_raw = ? WHERE id = ?",
            [json.dumps(raw, ensure_ascii=False), entry_id],
        )


def _m004_folded_search(db: Any) -> None:
    """Rebuild the search index on folded text (æ→ae, ø→o, å→a, lowercase), so
    that `holtalen` finds Holtålen and `tromso` Tromsø, with places and terms."""
    db["entry_search"].disable_fts()
    db["entry_search"].drop()
    db["entry_search"].create(
        {
            "entry_id": int,
            "tittel": str,
            "ingress": str,
            "tekst": str,
            "prosjekter": str,
            "lister": str,
            "steder": str,
        },
        pk="entry_id",
        foreign_keys=[("entry_id", "entries", "id")],
    )
    db["entry_search"].enable_fts(SEARCH_COLUMNS, create_triggers=True, tokenize=TOKENIZER)
    for (entry_id,) in db.execute("SELECT id FROM entries").fetchall():
        _write_search_row(db.conn, entry_id)


def _m005_lookup_keys(db: Any) -> None:
    """Folded keys for finding an entry by what a user types (`holtalen`),
    indexed, so that `show` need not read every entry."""
    db["entries"].add_column("slug_nokkel", str)
    db["entries"].add_column("tittel_nokkel", str)
    db["places"].add_column("navn_nokkel", str)
    db["places"].add_column("navn_2024_nokkel", str)
    db.execute("UPDATE entries SET slug_nokkel = nokkel(slug), tittel_nokkel = nokkel(tittel)")
    db.execute("UPDATE places SET navn_nokkel = nokkel(navn), navn_2024_nokkel = nokkel(navn_2024)")
    for table, column in (
        ("entries", "slug_nokkel"),
        ("entries", "tittel_nokkel"),
        ("places", "navn_nokkel"),
        ("places", "navn_2024_nokkel"),
    ):
        db[table].create_index([column])


def _m006_covering_term_index(db: Any) -> None:
    """Counting entries per term (`summarise`, `vocab`) reads only this index:
    0.6 s → 0.09 s for one list of a 100,000-page catalog."""
    db.execute("DROP INDEX IF EXISTS idx_items_liste_term")
    db["items"].create_index(["liste", "term", "entry_id"])


def _m007_filter_indexes(db: Any) -> None:
    """Year filters read projects from an index only, and region or
    completeness filters read a small index instead of every entry's row."""
    db["projects"].create_index(["fra", "til", "pagaende", "entry_id"])
    db["entries"].create_index(["region", "komplett"])


def _m008_tallies(db: Any) -> None:
    """Counts of the whole catalog, for `summarise` and `vocab`: refreshed in
    the same transaction as every write through Store, so that summing up
    100,000 entries reads a few hundred rows instead of millions."""
    db.execute(
        "CREATE TABLE tally_terms (liste TEXT NOT NULL, term TEXT, "
        "oppforinger INTEGER NOT NULL, svar INTEGER NOT NULL)"
    )
    db.execute(
        "CREATE TABLE tally_years (ar INTEGER PRIMARY KEY, startet INTEGER NOT NULL, "
        "siste INTEGER NOT NULL)"
    )
    db.execute("CREATE TABLE tally_catalog (navn TEXT PRIMARY KEY, verdi INTEGER)")
    _refresh_tallies(db.conn)


def _m009_items_by_entry(db: Any) -> None:
    """Counting the terms of a few entries (`summarise --kommune`) reads
    their items from this index alone. It replaces the index on entry_id,
    which it begins with, so an import still keeps as many indexes."""
    db.execute("DROP INDEX IF EXISTS idx_items_entry_id")
    db["items"].create_index(["entry_id", "liste", "term"])


def _m010_place_evidence(db: Any) -> None:
    """Each place keeps what it was read from (`bevis`: the kind of evidence,
    such as `tittel` or `region: Namdalen`) and the line (`linje`), for
    `show --sources`. Places stored before this step have neither."""
    db.execute("ALTER TABLE places ADD COLUMN bevis TEXT")
    db.execute("ALTER TABLE places ADD COLUMN linje INTEGER")


def _m011_search_forms(db: Any) -> None:
    """The search index keeps each field as written besides folded and in
    search forms (reference/language.py). This table records the version of
    the search forms its rows were built with; the store rebuilds the rows
    when that differs from FORMS_VERSION (0 here: rebuilt on the next open)."""
    db.execute("CREATE TABLE search_forms (version INTEGER NOT NULL)")
    db.execute("INSERT INTO search_forms (version) VALUES (0)")


MIGRATIONS: list[tuple[str, Callable[[Any], None]]] = [
    ("m001_initial", _m001_initial),
    ("m002_search_index", _m002_search_index),
    ("m003_vocabulary", _m003_vocabulary),
    ("m004_folded_search", _m004_folded_search),
    ("m005_lookup_keys", _m005_lookup_keys),
    ("m006_covering_term_index", _m006_covering_term_index),
    ("m007_filter_indexes", _m007_filter_indexes),
    ("m008_tallies", _m008_tallies),
    ("m009_items_by_entry", _m009_items_by_entry),
    ("m010_place_evidence", _m010_place_evidence),
    ("m011_search_forms", _m011_search_forms),
]


# -- the store ----------------------------------------------------------------
class Store:
    """An open catalog database, migrated to this version's schema."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._changed = False  # entries written in the open transaction
        self._tallies: Tallies | None = None
        self._tallies_read = False

    @classmethod
    def open(cls, path: Path, create: bool = False) -> Store:
        """Open (and upgrade) the database at `path`; create it only if asked."""
        if not create and not path.exists():
            raise StoreMissing(f"no catalog database at {path}")
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create folder for {path}: {exc.strerror}") from exc
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.create_function("fold", 1, _fold, deterministic=True)
            conn.create_function("nokkel", 1, _key, deterministic=True)
            conn.execute("PRAGMA foreign_keys = ON")
            store = cls(conn, path)
            store._upgrade()
            store._refresh_search_forms()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {path} as a catalog database: {exc}") from exc
        return store

    def close(self) -> None:
        self.conn.close()

    # -- schema ------------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
        ).fetchone()
        if not exists:
            return []
        return [row[0] for row in self.conn.execute("SELECT name FROM _migrations ORDER BY id")]

    @property
    def schema_version(self) -> int:
        return len(self.applied_migrations())

    def _pending(self, upto: int | None) -> list[tuple[str, Callable[[Any], None]]]:
        applied = self.applied_migrations()
        known = [name for name, _ in MIGRATIONS]
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(
                f"{self.path} was made by a newer version of tilflytting "
                f"(schema step '{unknown[0]}'); upgrade tilflytting to use it"
            )
        return [(n, f) for n, f in MIGRATIONS[:upto] if n not in applied]

    def _upgrade(self, upto: int | None = None) -> None:
        if not self._pending(upto):
            return  # the usual case, and no sqlite-utils import for it
        import sqlite_utils  # only needed to build or change the schema

        db = sqlite_utils.Database(self.conn)
        with self.transaction():
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations "
                "(id INTEGER PRIMARY KEY, name TEXT UNIQUE, applied TEXT)"
            )
            # Asked again under the write lock: another process may have
            # upgraded the file while this one waited.
            for name, migrate in self._pending(upto):
                migrate(db)
                self.conn.execute(
                    "INSERT INTO _migrations (name, applied) VALUES (?, ?)",
                    (name, clock.timestamp()),
                )
        # WAL lets searches read while an import writes; the mode is kept in
        # the file. Another process reading right now can keep it from
        # switching; the next upgrade or import tries again.
        with suppress(sqlite3.OperationalError):
            self.conn.execute("PRAGMA journal_mode = WAL")

    def _refresh_search_forms(self) -> None:
        """Rebuild every row of the search index when it was built with other
        search forms than this version makes (language.FORMS_VERSION)."""
        from tilflytting.reference.language import FORMS_VERSION

        if _search_forms_version(self.conn) in (FORMS_VERSION, None):
            return  # the usual case: one read of a one-row table
        if self.conn.execute("PRAGMA query_only").fetchone()[0]:
            return
        with suppress(sqlite3.OperationalError), self.transaction():
            # A file that cannot be written (read-only) keeps its older rows:
            # searching them still works, only new word forms are missing.
            if _search_forms_version(self.conn) != FORMS_VERSION:  # asked again, locked
                for (entry_id,) in self.conn.execute("SELECT id FROM entries").fetchall():
                    _write_search_row(self.conn, entry_id)
                self.conn.execute("UPDATE search_forms SET version = ?", (FORMS_VERSION,))

    # -- transactions --------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that a
        concurrent writer waits on the busy timeout instead of failing later."""
        self.conn.execute("BEGIN IMMEDIATE")
        self._changed, self._tallies_read = False, False
        try:
            yield
            if self._changed:
                _refresh_tallies(self.conn)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- writes -------------------------------------------------------------
    def save_entry(self, entry: Entry, parser_version: int) -> str:
        """Insert or replace the entry of this source file; 'added' or 'updated'.
        A replaced entry loses all its old projects, items and places."""
        assert entry.source is not None
        row = self.conn.execute(
            "SELECT id FROM entries WHERE kilde_fil = ?", (entry.source.path,)
        ).fetchone()
        values = _entry_row(entry, parser_version)
        values["slug_nokkel"], values["tittel_nokkel"] = key(entry.slug), key(entry.title)
        if row is None:
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            cursor = self.conn.execute(
                f"INSERT INTO entries ({columns}) VALUES ({marks})", list(values.values())
            )
            entry_id = int(cursor.lastrowid or 0)
            status = "added"
        else:
            entry_id = int(row[0])
            self._delete_children(entry_id)
            assignments = ", ".join(f"{column} = ?" for column in values)
            self.conn.execute(
                f"UPDATE entries SET {assignments} WHERE id = ?", [*values.values(), entry_id]
            )
            status = "updated"
        self._insert_children(entry_id, entry)
        _write_search_row(self.conn, entry_id)
        self._changed = True
        return status

    def _delete_children(self, entry_id: int) -> None:
        for table in ("projects", "items", "places", "headings", "entry_search"):
            self.conn.execute(f"DELETE FROM {table} WHERE entry_id = ?", (entry_id,))

    def _insert_items(self, entry_id: int, entry: Entry) -> None:
        items = [(name, item) for name in LISTS for item in entry.lists[name]]
        items += [("hovedmal", item) for item in entry.main_goal]
        self.conn.executemany(
            "INSERT INTO items (entry_id, liste, pos, tekst, term, linje, avkortet, detalj) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (entry_id, name, pos, i.text, i.term, i.line, int(i.truncated), i.detail)
                for pos, (name, i) in enumerate(items)
            ],
        )

    def _insert_children(self, entry_id: int, entry: Entry) -> None:
        execute = self.conn.executemany
        execute(
            "INSERT INTO projects (entry_id, pos, navn, fra, til, pagaende, periode, linje) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (entry_id, pos, p.name, p.start, p.end, int(p.ongoing), p.period, p.line)
                for pos, p in enumerate(entry.projects)
            ],
        )
        self._insert_items(entry_id, entry)
        execute(
            "INSERT INTO places (entry_id, pos, type, navn, nummer_2012, fylke_2012, navn_2024, "
            "nummer_2024, fylke_2024, navn_nokkel, navn_2024_nokkel, bevis, linje) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, nokkel(?), nokkel(?), ?, ?)",
            [
                (
                    entry_id,
                    pos,
                    p.kind,
                    p.name,
                    p.nr_2012,
                    p.fylke_2012,
                    p.name_2024,
                    p.nr_2024,
                    p.fylke_2024,
                    p.name,
                    p.name_2024,
                    p.evidence,
                    p.line,
                )
                for pos, p in enumerate(entry.places)
            ],
        )
        execute(
            "INSERT INTO headings (entry_id, tekst, type, linje) VALUES (?, ?, ?, ?)",
            [(entry_id, h.text, h.kind, h.line) for h in entry.headings],
        )

    def replace_items(self, entry_id: int, entry: Entry) -> None:
        """Store newly normalised list items for an entry (nothing else changes)."""
        self.conn.execute("DELETE FROM items WHERE entry_id = ?", (entry_id,))
        self._insert_items(entry_id, entry)
        _write_search_row(self.conn, entry_id)
        self._changed = True

    def delete_entry(self, entry_id: int) -> None:
        self._changed = True
        self._delete_children(entry_id)
        self.conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))

    # -- reads ----------------------------------------------------------------
    def term_counts(self) -> list[tuple[str, str | None, int]]:
        """(list, term, number of entries) for every term in use; term None
        counts the entries with free answers."""
        return [(r[0], r[1], r[2]) for r in self.subset_term_counts(SearchFilters())]

    # -- aggregates over a filtered set of entries ---------------------------
    def _in_subset(self, column: str, filters: SearchFilters) -> tuple[str, list[Any]]:
        """`AND column IN (subset)`, or nothing when no filter narrows the catalog."""
        if not _filter_sql(filters)[0]:
            return "", []
        subset, params = _ids_sql(filters)
        return f" AND {column} IN ({subset})", params

    def _whole(self, filters: SearchFilters, this_year: int | None = None) -> Tallies | None:
        """The kept counts, where they answer for `filters`: no filter narrows
        the catalog, and, for the project years (`this_year` given), they
        were counted with open-ended projects ending in the same year. They
        are counted with the catalog's year (CATALOG_YEAR, fixed), so the
        date of the run never makes them stale; `--til-i-dag` counts live.
        Read, and checked against the entries, once per transaction."""
        if _filter_sql(filters)[0]:
            return None
        if not self._tallies_read:
            self._tallies, self._tallies_read = _read_tallies(self.conn), True
        tallies = self._tallies
        if tallies is None or (this_year is not None and tallies.year != this_year):
            return None
        return tallies

    def count_entries(self, filters: SearchFilters) -> int:
        if tallies := self._whole(filters):
            return tallies.entries
        return int(self.conn.execute(*_count_sql(filters)).fetchone()[0])

    def subset_term_counts(
        self, filters: SearchFilters, lists: tuple[str, ...] = LISTS
    ) -> list[tuple[str, str | None, int, int]]:
        """(list, term, entries, items) within the subset; term None: free answers."""
        if tallies := self._whole(filters):
            return [row for row in tallies.terms if row[0] in lists]
        narrow, params = self._in_subset("entry_id", filters)
        return _term_counts(self.conn, lists, narrow, params, by_entry=self._few(filters))

    def _few(self, filters: SearchFilters) -> bool:
        """Whether the subset is small enough to read entry by entry."""
        whole = self.count_entries(SearchFilters())
        return self.count_entries(filters) <= whole * BY_ENTRY_SHARE

    def place_counts(self, filters: SearchFilters) -> dict[str, int]:
        """Distinct municipalities (2012 numbers, else 2024) and counties of each era."""
        if tallies := self._whole(filters):
            return dict(tallies.places)
        narrow, params = self._in_subset("entry_id", filters)
        return _place_counts(self.conn, narrow, params)

    def cross_counts(self, filters: SearchFilters, by: str) -> list[tuple[str, str, str, int]]:
        """(list, term, group, entries): terms by county of an era or by region."""
        group = {"fylke_2012": "p.fylke_2012", "fylke_2024": "p.fylke_2024", "region": "e.region"}[
            by
        ]
        subset, params = _ids_sql(filters)
        # Only a region needs the entries' rows (by county they cost 0.1 s).
        join = (
            "JOIN entries e ON e.id = i.entry_id"
            if by == "region"
            else "JOIN places p ON p.entry_id = i.entry_id"
        )
        rows = self.conn.execute(
            f"SELECT i.liste, i.term, {group}, count(DISTINCT i.entry_id) FROM items i {join} "
            f"WHERE i.term IS NOT NULL AND i.liste != 'hovedmal' AND i.entry_id IN ({subset}) "
            f"AND {group} IS NOT NULL GROUP BY i.liste, i.term, {group}",
            params,
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    def group_sizes(self, filters: SearchFilters, by: str) -> dict[str, int]:
        """How many entries of the subset each county or region has."""
        group = {"fylke_2012": "p.fylke_2012", "fylke_2024": "p.fylke_2024", "region": "e.region"}[
            by
        ]
        subset, params = _ids_sql(filters)
        rows = self.conn.execute(
            f"SELECT {group}, count(DISTINCT e.id) FROM entries e LEFT JOIN places p "
            f"ON p.entry_id = e.id WHERE e.id IN ({subset}) AND {group} IS NOT NULL "
            f"GROUP BY {group}",
            params,
        )
        return {r[0]: r[1] for r in rows}

    def project_years(
        self, filters: SearchFilters, this_year: int
    ) -> tuple[dict[int, int], dict[int, int]]:
        """Projects starting each year, and projects whose last running year
        each year is (open-ended ones run to `this_year`); start year known."""
        if tallies := self._whole(filters, this_year):
            return dict(tallies.starts), dict(tallies.ends)
        narrow, params = self._in_subset("entry_id", filters)
        return _project_years(self.conn, this_year, narrow, params)

    def project_rows(
        self, filters: SearchFilters
    ) -> list[tuple[int, str, str, str, Any, Any, int]]:
        """(entry id, slug, title, project, start, end, ongoing) in the subset,
        by slug."""
        subset, params = _ids_sql(filters)
        rows = self.conn.execute(
            "SELECT e.id, e.slug, e.tittel, p.navn, p.fra, p.til, p.pagaende FROM projects p "
            f"JOIN entries e ON e.id = p.entry_id WHERE e.id IN ({subset}) ORDER BY e.slug, p.pos",
            params,
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

    def entries_with_terms(self) -> int:
        """How many entries have a term in any of their lists."""
        row = self.conn.execute(
            "SELECT count(*) FROM entries e WHERE EXISTS (SELECT 1 FROM items i WHERE "
            "i.entry_id = e.id AND i.term IS NOT NULL AND i.liste != 'hovedmal')"
        ).fetchone()
        return int(row[0])

    def term_weight_sums(
        self,
        weights: dict[tuple[str, str], float],
        marked: set[tuple[str, str]],
        filters: SearchFilters,
    ) -> list[tuple[int, float, float]]:
        """(id, weight of its marked terms, weight of all its terms) of each
        entry of the subset that has a marked (list, term), each term counted
        once. Summed in SQLite: loading every entry's terms into Python took
        9 s at 100,000 entries."""
        if not weights:
            return []
        values = ", ".join("(?, ?, ?, ?)" for _ in weights)
        params: list[Any] = [
            v
            for (liste, term), w in weights.items()
            for v in (liste, term, w, (liste, term) in marked)
        ]
        narrow, narrowing = self._in_subset("entry_id", filters)
        rows = self.conn.execute(
            f"WITH w(liste, term, vekt, merket) AS (VALUES {values}) "
            "SELECT i.entry_id, sum(w.vekt * w.merket), sum(w.vekt) FROM (SELECT DISTINCT "
            "entry_id, liste, term FROM items WHERE term IS NOT NULL AND liste != 'hovedmal'"
            f"{narrow}) AS i JOIN w ON w.liste = i.liste AND w.term = i.term "
            "GROUP BY i.entry_id HAVING sum(w.merket) > 0",
            [*params, *narrowing],
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def free_answers(self) -> list[tuple[str, str, int]]:
        """(list, text, entry id) of every item no term covers."""
        rows = self.conn.execute(
            "SELECT liste, tekst, entry_id FROM items WHERE term IS NULL AND liste != 'hovedmal' "
            "ORDER BY liste, tekst"
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def free_texts(self, liste: str) -> list[str]:
        """The distinct free answers (items no term covers) of one list."""
        rows = self.conn.execute(
            "SELECT DISTINCT tekst FROM items WHERE liste = ? AND term IS NULL", (liste,)
        )
        return [r[0] for r in rows]

    def known_source(self, path: str) -> tuple[str, int, str] | None:
        """(sha256, parser version, slug) of the entry imported from `path`."""
        row = self.conn.execute(
            "SELECT sha256, parser_versjon, slug FROM entries WHERE kilde_fil = ?", (path,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def slug_owner(self, slug: str) -> str | None:
        """The source file of the entry that has `slug`, if any."""
        row = self.conn.execute("SELECT kilde_fil FROM entries WHERE slug = ?", (slug,)).fetchone()
        return row[0] if row else None

    def sources(self) -> list[tuple[int, str, str]]:
        """(id, slug, source file) of every entry."""
        return [
            (r[0], r[1], r[2])
            for r in self.conn.execute("SELECT id, slug, kilde_fil FROM entries ORDER BY slug")
        ]

    def list_keys(self, filters: SearchFilters, by: str) -> list[tuple[int, Any]]:
        """(id, value `list --sort` orders by) of the entries `filters` allow
        (`list` gives places only: counties, municipalities, regions), by
        slug: `by` is slug (no value), tittel (folded), kommune (first
        municipality, folded), fylke (first 2024 county) or start (first
        project start). Read without loading the entries, so that `list
        --limit 20` loads 20 (100,000: 16 s → 0.3 s)."""
        clauses, params = _filter_sql(filters)
        where = "".join(f" AND {c}" for c in clauses)
        sql = f"SELECT e.id, {_LIST_KEYS[by]} FROM entries e WHERE 1 = 1{where} ORDER BY e.slug"
        return [(row[0], row[1]) for row in self.conn.execute(sql, params)]

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
        clauses, params = _filter_sql(filters, id_column="+e.id", row=False)
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
        marks = _marks(ids)
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
        marks = ", ".join("?" for _ in ids)
        cursor = self.conn.execute(f"SELECT * FROM entries WHERE id IN ({marks})", ids)
        columns = [d[0] for d in cursor.description]
        entries = {row[0]: _entry_from(dict(zip(columns, row, strict=True)), raw) for row in cursor}
        query = self.conn.execute
        self._add_projects_and_places(entries, ids, marks)
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


# -- counts, live or kept --------------------------------------------------------
class Tallies:
    """The whole catalog's counts as kept in the tally tables."""

    def __init__(self, rows: dict[str, int], terms: list[tuple[str, str | None, int, int]]):
        self.year, self.entries = rows.pop("ar"), rows.pop("oppforinger")
        self.places = {name: rows.pop(name) for name in PLACE_COUNTS}
        self.terms = terms
        self.starts: dict[int, int] = {}
        self.ends: dict[int, int] = {}


PLACE_COUNTS = ("kommuner", "fylker_2012", "fylker_2024")


def _term_counts(
    conn: sqlite3.Connection,
    lists: tuple[str, ...],
    narrow: str,
    params: list[Any],
    by_entry: bool = False,
) -> list[tuple[str, str | None, int, int]]:
    rows = conn.execute(term_counts_sql(lists, narrow, by_entry), [*lists, *params])
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def term_counts_sql(lists: tuple[str, ...], narrow: str, by_entry: bool) -> str:
    """The statement behind the term counts, apart so tests can read its plan.
    With `by_entry` the unary plus keeps SQLite off the index that begins with
    liste, so it looks up the subset's ids in the one that begins with entry_id."""
    marks = ", ".join("?" for _ in lists)
    liste = "+liste" if by_entry else "liste"
    return (
        "SELECT liste, term, count(DISTINCT entry_id), count(*) FROM items "
        f"WHERE {liste} IN ({marks}){narrow} GROUP BY liste, term"
    )


def _place_counts(conn: sqlite3.Connection, narrow: str, params: list[Any]) -> dict[str, int]:
    row = conn.execute(
        "SELECT count(DISTINCT coalesce(nummer_2012, nummer_2024)), "
        f"count(DISTINCT fylke_2012), count(DISTINCT fylke_2024) FROM places WHERE 1 = 1{narrow}",
        params,
    ).fetchone()
    return dict(zip(PLACE_COUNTS, row, strict=True))


def _project_years(
    conn: sqlite3.Connection, this_year: int, narrow: str, params: list[Any]
) -> tuple[dict[int, int], dict[int, int]]:
    # A project's last running year: its end as stated, `this_year` (the
    # catalog's year unless today is asked for) while it runs, never before
    # its start (a period written backwards is reported at import).
    end = f"coalesce(til, CASE WHEN pagaende THEN {int(this_year)} END, fra)"
    last = f"max(fra, {end})"
    starts = conn.execute(
        f"SELECT fra, count(*) FROM projects WHERE fra IS NOT NULL{narrow} GROUP BY fra", params
    )
    ends = conn.execute(
        f"SELECT {last}, count(*) FROM projects WHERE fra IS NOT NULL{narrow} GROUP BY 1",
        params,
    )
    return dict(starts.fetchall()), dict(ends.fetchall())


def _refresh_tallies(conn: sqlite3.Connection) -> None:
    """Count the whole catalog again into the tally tables (inside the
    caller's transaction): about 0.4 s for 100,000 entries. Open-ended
    projects end in the catalog's year, the default of every count."""
    year = clock.CATALOG_YEAR
    entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    catalog = {"ar": year, "oppforinger": entries, **_place_counts(conn, "", [])}
    starts, ends = _project_years(conn, year, "", [])
    for table in TALLY_TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.executemany(
        "INSERT INTO tally_terms VALUES (?, ?, ?, ?)", _term_counts(conn, LISTS, "", [])
    )
    conn.executemany(
        "INSERT INTO tally_years VALUES (?, ?, ?)",
        [(y, starts.get(y, 0), ends.get(y, 0)) for y in sorted({*starts, *ends})],
    )
    conn.executemany("INSERT INTO tally_catalog VALUES (?, ?)", catalog.items())


def _read_tallies(conn: sqlite3.Connection) -> Tallies | None:
    """The kept counts, unless the number of entries no longer agrees (a guard
    against changes made to the file by other programs)."""
    rows = dict(conn.execute("SELECT navn, verdi FROM tally_catalog").fetchall())
    entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    if rows.get("oppforinger") != entries:
        return None
    terms = conn.execute("SELECT liste, term, oppforinger, svar FROM tally_terms").fetchall()
    tallies = Tallies(rows, [(r[0], r[1], r[2], r[3]) for r in terms])
    for year, started, last in conn.execute("SELECT ar, startet, siste FROM tally_years"):
        if started:
            tallies.starts[year] = started
        if last:
            tallies.ends[year] = last
    return tallies


def _entry_from(row: dict[str, Any], raw: bool) -> Entry:
    """An entry from its row in `entries`; children are added by the caller."""
    entry = Entry(title=row["tittel"], title_line=row["tittel_linje"])
    entry.slug, entry.lead, entry.text = row["slug"], row["ingress"], row["tekst"]
    entry.areas = json.loads(row["fagomrader"])
    entry.region, entry.complete = row["region"], bool(row["komplett"])
    entry.problems = [Problem(p["melding"], p["linje"]) for p in json.loads(row["advarsler"])]
    entry.url = row["kilde_url"]
    if raw:
        entry.raw_lists = {
            name: [Item(i["tekst"], i["linje"], i.get("term"), i["avkortet"]) for i in items]
            for name, items in json.loads(row["lister_raw"] or "{}").items()
        }
    entry.source = Source(
        row["kilde_fil"], row["sha256"], row["tegnsett"], row["format"], row["kilde_url"]
    )
    return entry


def search_sql(
    match: str | None, filters: SearchFilters, limit: int | None = None
) -> tuple[str, list[Any]]:
    """The statement behind `Store.search`, apart so tests can read its plan."""
    cap = "" if limit is None else f" LIMIT {int(limit)}"
    return _by_slug_sql(filters, cap) if match is None else _ranked_sql(match, filters, cap)


def _by_slug_sql(filters: SearchFilters, cap: str) -> tuple[str, list[Any]]:
    # Walk the slug index and test each entry: results come in order, and
    # with a limit SQLite stops there instead of sorting every match
    # (48 → 6 ms for 36,000 matches among 100,000 entries). Every filter is a
    # test of the id, so no entry's row is read (a region: 0.5 s → 10 ms).
    clauses, params = _filter_sql(filters, row=False)
    where = "".join(f" AND {c}" for c in clauses)
    sql = (
        "SELECT e.id, 0.0 FROM entries e INDEXED BY idx_entries_slug "
        f"WHERE 1 = 1{where} ORDER BY e.slug{cap}"
    )
    return sql, params


def _ranked_sql(match: str, filters: SearchFilters, cap: str) -> tuple[str, list[Any]]:
    # Rank inside the full-text index alone and keep the best `limit` (ties by
    # id) before reading `entries`: joining every match first cost more than
    # bm25 itself (143 → 62 ms for 90,000 matches). The unary plus keeps
    # SQLite from handing the filters' id lists to FTS5 as rowid lookups,
    # which is a thousand times slower.
    clauses, params = _filter_sql(filters, id_column="+e.id", row=False)
    where = "".join(f" AND {c}" for c in clauses)
    weights = ", ".join(str(w) for w in SEARCH_WEIGHTS)
    ranked = (
        f"SELECT rowid AS id, bm25(entry_search_fts, {weights}) AS score "
        "FROM entry_search_fts WHERE entry_search_fts MATCH ?"
    )
    best = f"SELECT id, score FROM ({ranked}) AS e WHERE 1 = 1{where} ORDER BY score, id{cap}"
    sql = (
        f"SELECT e.id, best.score FROM ({best}) AS best "
        "JOIN entries e ON e.id = best.id ORDER BY best.score, e.slug"
    )
    return sql, [match, *params]


def _ids_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    """The ids (as `entry_id`) of the entries `filters` allows, read from
    indexes only: one filter on a child table is its own list of ids; more
    are tested against the small index on entries (region, komplett), which
    holds every id. Reading the entries' rows instead (they hold the text)
    cost 46 ms to count 36,000 of 100,000 entries; this takes 2–18 ms."""
    sets = _id_sets(filters)
    if len(sets) == 1 and not _row_conditions(filters):
        return sets[0]
    clauses, params = _filter_sql(filters, id_column="+e.id")
    where = "".join(f" AND {c}" for c in clauses)
    sql = (
        "SELECT e.id AS entry_id FROM entries e INDEXED BY idx_entries_region_komplett "
        f"WHERE 1 = 1{where}"
    )
    return sql, params


def _count_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    """How many entries `filters` allows (see `_ids_sql`)."""
    ids, params = _ids_sql(filters)
    return f"SELECT count(DISTINCT entry_id) FROM ({ids})", params


def _filter_sql(
    filters: SearchFilters, id_column: str = "e.id", row: bool = True
) -> tuple[list[str], list[Any]]:
    """WHERE clauses and their parameters; values never enter the SQL text.
    The clauses test `id_column`; with `row` they may also read the columns
    of `entries e`, without it every clause is a test of the id."""
    clauses: list[str] = []
    params: list[Any] = []
    for subquery, values in _id_sets(filters):
        clauses.append(f"{id_column} IN ({subquery})")
        params += values
    for clause, values in _row_conditions(filters):
        clauses.append(
            clause if row else f"{id_column} IN (SELECT id FROM entries e WHERE {clause})"
        )
        params += values
    return clauses, params


def _id_sets(filters: SearchFilters) -> list[tuple[str, list[Any]]]:
    """A subquery of entry ids, with its parameters, per filter on a child table."""
    sets: list[tuple[str, list[Any]]] = []
    for liste in dict.fromkeys([*filters.terms, *filters.answers]):
        # Terms and free answers (as written) of one list: any of them will do.
        either, values = _term_condition(filters.terms.get(liste, []))
        texts = filters.answers.get(liste, [])
        parts = [f"({either})"] if either else []
        if texts:
            parts.append(f"(term IS NULL AND tekst IN ({_marks(texts)}))")
        sql = f"SELECT entry_id FROM items WHERE liste = ? AND ({' OR '.join(parts)})"
        sets.append((sql, [liste, *values, *texts]))
    if filters.counties or filters.county_numbers:
        # A county of any era: places named for it (2012 or 2024), or
        # municipalities that lay in it in its own era (their 2012 numbers).
        marks, counties = _marks(filters.counties), filters.counties
        numbers = filters.county_numbers
        sql = "SELECT entry_id FROM places WHERE "
        sql += f"fylke_2012 IN ({marks}) OR fylke_2024 IN ({marks})"
        if numbers:  # an empty IN () would keep SQLite off the indexes
            sql += f" OR nummer_2012 IN ({_marks(numbers)})"
        sets.append((sql, [*counties, *counties, *numbers]))
    if filters.kommuner:
        # Names are compared by their folded keys, which are indexed (m005).
        marks, names = _marks(filters.kommuner), filters.kommuner
        keys = [key(name) for name in names]
        sql = (
            f"SELECT entry_id FROM places WHERE navn_nokkel IN ({marks}) OR navn_2024_nokkel "
            f"IN ({marks}) OR nummer_2012 IN ({marks}) OR nummer_2024 IN ({marks})"
        )
        sets.append((sql, [*keys, *keys, *names, *names]))
    years = _years_clause(filters)
    if years is not None:
        sets.append(years)
    return sets


def _term_condition(wanted: list[tuple[str, str | None]]) -> tuple[str, list[Any]]:
    """Items with any of these terms; a term with a place (`fylkeskommunen`,
    Troms) only where the item names it. Terms alone are answered from the
    covering index, without reading the items."""
    plain = [term for term, detail in wanted if detail is None]
    placed = [(term, detail) for term, detail in wanted if detail is not None]
    either = [f"term IN ({_marks(plain)})"] if plain else []
    either += ["(term = ? AND detalj = ?)" for _ in placed]
    return " OR ".join(either), [*plain, *[v for pair in placed for v in pair]]


def _row_conditions(filters: SearchFilters) -> list[tuple[str, list[Any]]]:
    """Conditions on the columns of `entries e` itself."""
    conditions: list[tuple[str, list[Any]]] = []
    if filters.regions:
        # The region's own entries, and those of its member municipalities.
        either = " OR ".join("instr(e.region, ?) > 0" for _ in filters.regions)
        members = filters.region_numbers
        if members:
            either += (
                " OR e.id IN (SELECT entry_id FROM places WHERE nummer_2012 "
                f"IN ({_marks(members)}))"
            )
        conditions.append((f"({either})", [*filters.regions, *members]))
    if filters.complete:
        conditions.append(("e.komplett = 1", []))
    return conditions


def _years_clause(filters: SearchFilters) -> tuple[str, list[Any]] | None:
    """Entries with a project running some time in the asked span: its start
    to its end, or to this year while it runs. Only the bounds asked for are
    written, so the covering index on projects (m007) serves the query."""
    start, end = _span(filters)
    if start is None and end is None:
        return None
    sql, params = "SELECT entry_id FROM projects WHERE fra IS NOT NULL", []
    if end is not None:
        sql += " AND fra <= ?"
        params.append(end)
    if start is not None:
        sql += " AND max(fra, coalesce(til, CASE WHEN pagaende THEN ? END, fra)) >= ?"
        params += [filters.this_year, start]
    return sql, params


def _span(filters: SearchFilters) -> tuple[int | None, int | None]:
    """The one span the year filters ask for together (they AND)."""
    starts = [y for y in (filters.year, filters.span_from) if y is not None]
    ends = [y for y in (filters.year, filters.span_to) if y is not None]
    return (max(starts) if starts else None), (min(ends) if ends else None)


def _in_batches(ids: list[int], load: Callable[[list[int]], dict[int, Entry]]) -> list[Entry]:
    """`load` the entries LOAD_BATCH at a time (SQLite allows 32,766
    variables), in the order of `ids`."""
    loaded: dict[int, Entry] = {}
    for start in range(0, len(ids), LOAD_BATCH):
        loaded.update(load(ids[start : start + LOAD_BATCH]))
    return [loaded[entry_id] for entry_id in ids]


def _marks(values: list[Any]) -> str:
    return ", ".join("?" for _ in values)


def _entry_row(entry: Entry, parser_version: int) -> dict[str, Any]:
    assert entry.source is not None
    return {
        "slug": entry.slug,
        "tittel": entry.title,
        "tittel_linje": entry.title_line,
        "ingress": entry.lead,
        "tekst": entry.text,
        "fagomrader": json.dumps(entry.areas, ensure_ascii=False),
        "region": entry.region,
        "komplett": int(entry.complete),
        "advarsler": json.dumps(
            [{"linje": p.line, "melding": p.message} for p in entry.problems], ensure_ascii=False
        ),
        "kilde_fil": entry.source.path,
        "kilde_url": entry.url,
        "format": entry.source.format,
        "sha256": entry.source.sha256,
        "tegnsett": entry.source.encoding,
        "parser_versjon": parser_version,
        "importert": clock.timestamp(),
        "lister_raw": json.dumps(
            {
                name: [
                    {"tekst": i.text, "linje": i.line, "avkortet": i.truncated, "term": i.term}
                    for i in items
                ]
                for name, items in entry.raw_lists.items()
            },
            ensure_ascii=False,
        ),
    }


def _fold(text: str | None) -> str | None:
    return None if text is None else fold(text)


def _key(text: str | None) -> str | None:
    return None if text is None else key(text)


def _search_forms_version(conn: sqlite3.Connection) -> int | None:
    """The search forms' version the index was built with (None: no such table)."""
    try:
        row = conn.execute("SELECT version FROM search_forms").fetchone()
    except sqlite3.OperationalError:
        return None
    return int(row[0]) if row else 0


def searchable(text: str) -> str:
    """A field as the index keeps it: as written (`møre`, `næringslivet`), then
    folded where that differs (`more`, `holtalen`), then the search forms of
    its words (`tilflyttarar` and `tilflytterne` both as `tilflytt`)."""
    from tilflytting.reference.language import index_forms

    parts = [text]
    folded = fold(text)
    if folded != text.lower():
        parts.append(folded)
    forms = index_forms(text)
    if forms:
        parts.append(forms)
    return "\n".join(parts)


def _write_search_row(conn: sqlite3.Connection, entry_id: int) -> None:
    """Refresh the entry's row of searchable text (FTS triggers follow): the
    title, lead, text, project names, list items with their terms' words and
    places, and places of both eras with the region, each `searchable`."""
    row = conn.execute(
        "SELECT tittel, ingress, tekst, region FROM entries WHERE id = ?", (entry_id,)
    ).fetchone()
    conn.execute("DELETE FROM entry_search WHERE entry_id = ?", (entry_id,))
    if row is None:
        return
    title, lead, text, region = row
    projects = conn.execute(
        "SELECT group_concat(navn, ' | ') FROM projects WHERE entry_id = ?", (entry_id,)
    ).fetchone()[0]
    items = conn.execute(
        "SELECT group_concat(tekst || ' ' || replace(coalesce(term, ''), '-', ' ') || ' ' "
        "|| coalesce(detalj, ''), ' | ') FROM items WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()[0]
    places = conn.execute(
        "SELECT group_concat(coalesce(navn, '') || ' ' || coalesce(navn_2024, '') || ' ' "
        "|| coalesce(fylke_2012, '') || ' ' || coalesce(fylke_2024, ''), ' | ') "
        "FROM places WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()[0]
    fields = [title, lead, text, projects, items, f"{places or ''} {region or ''}".strip()]
    conn.execute(
        "INSERT INTO entry_search (entry_id, tittel, ingress, tekst, prosjekter, lister, steder) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [entry_id, *(searchable(field or "") for field in fields)],
    )
