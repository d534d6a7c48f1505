"""Filters as SQL: which entries a search, a report or `list` is about.

Every value is a parameter; none enters the SQL text. The statements read
ids from indexes wherever they can (see docs/performance.md), and the
functions that build the statements are apart so that tests can read their
plans (tests/test_search.py).
"""

from __future__ import annotations

from typing import Any

from tilflytting.core.fold import key
from tilflytting.core.model import SearchFilters
from tilflytting.store.search_index import SEARCH_WEIGHTS

# What `list --sort` orders by, per entry `e` (slug: the order rows come in).
LIST_KEYS = {
    "slug": "NULL",
    # Names as written: the query layer orders them the Norwegian way (Æ Ø Å last).
    "tittel": "e.tittel",
    "kommune": "(SELECT coalesce(p.navn, p.navn_2024) FROM places p "
    "WHERE p.entry_id = e.id AND p.type = 'kommune' ORDER BY p.pos LIMIT 1)",
    "fylke": "(SELECT p.fylke_2024 FROM places p WHERE p.entry_id = e.id AND p.fylke_2024 != '' "
    "ORDER BY p.pos LIMIT 1)",
    "start": "(SELECT min(fra) FROM projects WHERE entry_id = e.id AND fra)",
}


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
    clauses, params = filter_sql(filters, row=False)
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
    clauses, params = filter_sql(filters, id_column="+e.id", row=False)
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


def ids_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    """The ids (as `entry_id`) of the entries `filters` allows, read from
    indexes only: one filter on a child table is its own list of ids; more
    are tested against the small index on entries (region, komplett), which
    holds every id. Reading the entries' rows instead (they hold the text)
    cost 46 ms to count 36,000 of 100,000 entries; this takes 2–18 ms."""
    sets = _id_sets(filters)
    if len(sets) == 1 and not _row_conditions(filters):
        return sets[0]
    clauses, params = filter_sql(filters, id_column="+e.id")
    where = "".join(f" AND {c}" for c in clauses)
    sql = (
        "SELECT e.id AS entry_id FROM entries e INDEXED BY idx_entries_region_komplett "
        f"WHERE 1 = 1{where}"
    )
    return sql, params


def count_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
    """How many entries `filters` allows (see `ids_sql`)."""
    ids, params = ids_sql(filters)
    return f"SELECT count(DISTINCT entry_id) FROM ({ids})", params


def filter_sql(
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
            parts.append(f"(term IS NULL AND tekst IN ({placeholders(texts)}))")
        sql = f"SELECT entry_id FROM items WHERE liste = ? AND ({' OR '.join(parts)})"
        sets.append((sql, [liste, *values, *texts]))
    if filters.counties or filters.county_numbers:
        # A county of any era: municipalities that lay in it in its own era
        # (their 2012 numbers), and places with no municipality (a county
        # named alone) by the county they name: the 2012 county where there
        # is one, else the 2024 county. A municipality is never taken by its
        # county's name: `--fylke Hordaland` adds Vestland for the places
        # that name only Vestland (most of it was Hordaland), which must
        # not bring in Sogndal, in Sogn og Fjordane in 2012.
        marks, counties = placeholders(filters.counties), filters.counties
        numbers = filters.county_numbers
        sql = (
            "SELECT entry_id FROM places WHERE "
            f"(fylke_2012 IN ({marks}) AND nummer_2012 IS NULL) "
            f"OR (fylke_2024 IN ({marks}) AND fylke_2012 IS NULL AND nummer_2012 IS NULL)"
        )
        if numbers:  # an empty IN () would keep SQLite off the indexes
            sql += f" OR nummer_2012 IN ({placeholders(numbers)})"
        sets.append((sql, [*counties, *counties, *numbers]))
    if filters.kommuner:
        # Names are compared by their folded keys, which are indexed (m005).
        marks, names = placeholders(filters.kommuner), filters.kommuner
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
    either = [f"term IN ({placeholders(plain)})"] if plain else []
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
                f"IN ({placeholders(members)}))"
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


def placeholders(values: list[Any]) -> str:
    return ", ".join("?" for _ in values)
