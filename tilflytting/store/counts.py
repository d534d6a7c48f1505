"""Counting: the catalog (or a filtered part of it) in numbers, live or kept.

`summarise` and `vocab` of the whole catalog read kept counts (the tally
tables, m008) instead of counting millions of items. Kept counts cannot
lie: triggers on entries, items, places and projects take away their mark
of validity (`_meta`, `tallies`) on any write, whoever makes it (this tool,
Datasette, sqlite3); a kept count without that mark is not used. They are
counted with open-ended projects running until the catalog's year
(CATALOG_YEAR, fixed), so the date of a run never makes them stale; counts
to today (`--til-i-dag`) are counted live. The whole
catalog is then counted afresh, and the counts kept again where the file
can be written: at the end of every write transaction of the store, or by
the read that found them stale.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from tilflytting.core import clock
from tilflytting.core.model import LISTS, SearchFilters
from tilflytting.store.filters import count_sql, filter_sql, ids_sql

# Raise when what the tally tables hold, or the triggers guarding them, change.
TALLY_VERSION = 3  # 3: counted with the catalog's year, not today's
TALLY_TABLES = ("tally_terms", "tally_years", "tally_catalog")
VALID = "tallies"  # the name of the mark in `_meta`
GUARDED = ("entries", "items", "places", "projects")
PLACE_COUNTS = ("kommuner", "fylker_2012", "fylker_2024")
# A subset of at most this share of the catalog has its items counted entry
# by entry (index items(entry_id, liste, term), m009); a larger one by walking
# each list's index whole. At 100,000 entries the first is 57x faster for one
# municipality and 2x for one county, the second 1.5x faster for a third.
BY_ENTRY_SHARE = 1 / 6


class Tallies:
    """The whole catalog's counts, as kept in the tally tables or just counted."""

    def __init__(self, rows: dict[str, int], terms: list[tuple[str, str | None, int, int]]):
        self.year, self.entries = rows.pop("ar"), rows.pop("oppforinger")
        self.places = {name: rows.pop(name) for name in PLACE_COUNTS}
        self.terms = terms
        self.starts: dict[int, int] = {}
        self.ends: dict[int, int] = {}


class Counts:
    """The counting half of Store (see store/database.py)."""

    conn: sqlite3.Connection
    _tallies: Tallies | None

    def count_entries(self, filters: SearchFilters) -> int:
        if not filter_sql(filters)[0]:
            kept = self._kept()
            if kept is not None:
                return kept.entries
        return int(self.conn.execute(*count_sql(filters)).fetchone()[0])

    def subset_term_counts(
        self, filters: SearchFilters, lists: tuple[str, ...] = LISTS
    ) -> list[tuple[str, str | None, int, int]]:
        """(list, term, entries, items) within the subset; term None: free answers."""
        if tallies := self._whole(filters):
            return [row for row in tallies.terms if row[0] in lists]
        narrow, params = self._in_subset("entry_id", filters)
        return _term_counts(self.conn, lists, narrow, params, by_entry=self._few(filters))

    def place_counts(self, filters: SearchFilters) -> dict[str, int]:
        """Distinct municipalities (2012 numbers, else 2024) and counties of each era."""
        if tallies := self._whole(filters):
            return dict(tallies.places)
        narrow, params = self._in_subset("entry_id", filters)
        return _place_counts(self.conn, narrow, params)

    def project_years(
        self, filters: SearchFilters, this_year: int
    ) -> tuple[dict[int, int], dict[int, int]]:
        """Projects starting each year, and projects whose last running year
        each year is (open-ended ones run to `this_year`); start year known.
        The kept counts answer for the catalog's year only."""
        if this_year == clock.CATALOG_YEAR and (tallies := self._whole(filters)):
            return dict(tallies.starts), dict(tallies.ends)
        narrow, params = self._in_subset("entry_id", filters)
        return _project_years(self.conn, this_year, narrow, params)

    # -- kept counts -------------------------------------------------------------
    def _kept(self) -> Tallies | None:
        """The kept counts if they are valid, read once until the next write."""
        if self._tallies is None:
            self._tallies = read_tallies(self.conn)
        return self._tallies

    def _whole(self, filters: SearchFilters) -> Tallies | None:
        """Counts of the whole catalog when no filter narrows it: kept ones,
        or, when those are stale, counted now and kept again if the file can
        be written (another process writing, or a read-only file: not kept)."""
        if filter_sql(filters)[0]:
            return None
        kept = self._kept()
        if kept is None:
            self._tallies = kept = recount(self.conn)
        return kept

    def term_counts(self) -> list[tuple[str, str | None, int]]:
        """(list, term, number of entries) for every term in use; term None
        counts the entries with free answers."""
        return [(r[0], r[1], r[2]) for r in self.subset_term_counts(SearchFilters())]

    def _in_subset(self, column: str, filters: SearchFilters) -> tuple[str, list[Any]]:
        """`AND column IN (subset)`, or nothing when no filter narrows the catalog."""
        if not filter_sql(filters)[0]:
            return "", []
        subset, params = ids_sql(filters)
        return f" AND {column} IN ({subset})", params

    def _few(self, filters: SearchFilters) -> bool:
        """Whether the subset is small enough to read entry by entry."""
        whole = self.count_entries(SearchFilters())
        return self.count_entries(filters) <= whole * BY_ENTRY_SHARE

    def cross_counts(self, filters: SearchFilters, by: str) -> list[tuple[str, str, str, int]]:
        """(list, term, group, entries): terms by county of an era or by region."""
        group = {"fylke_2012": "p.fylke_2012", "fylke_2024": "p.fylke_2024", "region": "e.region"}[
            by
        ]
        subset, params = ids_sql(filters)
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
        subset, params = ids_sql(filters)
        rows = self.conn.execute(
            f"SELECT {group}, count(DISTINCT e.id) FROM entries e LEFT JOIN places p "
            f"ON p.entry_id = e.id WHERE e.id IN ({subset}) AND {group} IS NOT NULL "
            f"GROUP BY {group}",
            params,
        )
        return {r[0]: r[1] for r in rows}

    def project_rows(
        self, filters: SearchFilters
    ) -> list[tuple[int, str, str, str, Any, Any, int]]:
        """(entry id, slug, title, project, start, end, ongoing) in the subset,
        by slug."""
        subset, params = ids_sql(filters)
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


def read_tallies(conn: sqlite3.Connection) -> Tallies | None:
    """The kept counts, unless a write took away their mark or they were
    counted with another year than the catalog's (by an older version)."""
    valid = conn.execute("SELECT verdi FROM _meta WHERE navn = ?", (VALID,)).fetchone()
    if valid is None or valid[0] != str(TALLY_VERSION):
        return None
    rows = dict(conn.execute("SELECT navn, verdi FROM tally_catalog").fetchall())
    if rows.get("ar") != clock.CATALOG_YEAR or "oppforinger" not in rows:
        return None
    terms = conn.execute("SELECT liste, term, oppforinger, svar FROM tally_terms").fetchall()
    tallies = Tallies(rows, [(r[0], r[1], r[2], r[3]) for r in terms])
    for year, started, last in conn.execute("SELECT ar, startet, siste FROM tally_years"):
        if started:
            tallies.starts[year] = started
        if last:
            tallies.ends[year] = last
    return tallies


def count_tallies(conn: sqlite3.Connection) -> Tallies:
    """Count the whole catalog: about 0.4 s for 100,000 entries. Open-ended
    projects end in the catalog's year, the default of every count."""
    year = clock.CATALOG_YEAR
    entries = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    tallies = Tallies(
        {"ar": year, "oppforinger": entries, **_place_counts(conn, "", [])},
        _term_counts(conn, LISTS, "", []),
    )
    tallies.starts, tallies.ends = _project_years(conn, year, "", [])
    return tallies


def save_tallies(conn: sqlite3.Connection, tallies: Tallies) -> None:
    """Keep `tallies` in the tally tables, with the mark that they are valid
    (inside the caller's transaction)."""
    for table in TALLY_TABLES:
        conn.execute(f"DELETE FROM {table}")
    conn.executemany("INSERT INTO tally_terms VALUES (?, ?, ?, ?)", tallies.terms)
    years = sorted({*tallies.starts, *tallies.ends})
    conn.executemany(
        "INSERT INTO tally_years VALUES (?, ?, ?)",
        [(y, tallies.starts.get(y, 0), tallies.ends.get(y, 0)) for y in years],
    )
    catalog = {"ar": tallies.year, "oppforinger": tallies.entries, **tallies.places}
    conn.executemany("INSERT INTO tally_catalog VALUES (?, ?)", catalog.items())
    conn.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", (VALID, str(TALLY_VERSION)))


def refresh_if_stale(conn: sqlite3.Connection) -> None:
    """Count again and keep, if a write took the mark away (at the end of a
    write transaction)."""
    if read_tallies(conn) is None:
        save_tallies(conn, count_tallies(conn))


def recount(conn: sqlite3.Connection) -> Tallies:
    """Count the whole catalog, and keep the counts if the file can be
    written at once: a read never waits for a writer, nor fails on a
    read-only file. Counted inside the write transaction, so that no other
    writer can change the catalog between counting and keeping."""
    if conn.in_transaction:
        tallies = count_tallies(conn)
        save_tallies(conn, tallies)
        return tallies
    (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("BEGIN IMMEDIATE")
        tallies = count_tallies(conn)
        save_tallies(conn, tallies)
        conn.execute("COMMIT")
    except sqlite3.OperationalError:  # busy, or read-only
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        tallies = count_tallies(conn)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return tallies


def create_guards(conn: sqlite3.Connection) -> None:
    """The triggers that take the kept counts' mark away on any write to
    what they count. Made by the store, not by a migration, and made again
    after every upgrade: rebuilding a table (sqlite-utils' transform) drops
    its triggers."""
    for table in GUARDED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"tally_guard_{table}_{event.lower()}"
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} "
                f"BEGIN DELETE FROM _meta WHERE navn = '{VALID}'; END"
            )
