"""`search` on the bundled catalog: facets, full text, nasty input."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import catalog_expected as ce
from tests.conftest import CATALOG, Cli, catalog_copy
from tilflytting.core.model import LISTS, SearchFilters
from tilflytting.ingest.importer import import_paths
from tilflytting.query.search import build_match
from tilflytting.store.database import Store, count_sql, search_sql, term_counts_sql


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "search")
    yield cli


def slugs(cli: Cli, *args: str) -> list[str]:
    result = cli("search", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return sorted(row["slug"] for row in json.loads(result.stdout))


Want = Callable[[dict[str, Any]], bool]


def term(liste: str, *typed: str) -> Want:
    """Entries with a term the typed values mean (a repeated facet ORs)."""
    meant = set().union(*(ce.typed_terms(liste, value) for value in typed))
    assert meant, typed
    return lambda entry: any(ce.has_term(entry, liste, slug) for slug in meant)


def body(liste: str, typed: str) -> Want:
    """Entries with a public body of the typed term and place."""
    found = ce.public_body(liste, typed)
    assert found and found[1], typed
    return lambda entry: ce.has_term(entry, liste, found[0], found[1])


def county(typed: str) -> Want:
    return lambda entry: ce.in_county(entry, typed)


def years(first: int, last: int) -> Want:
    return lambda entry: ce.runs_in(entry, first, last)


def word(typed: str) -> Want:
    """Full text, as docs/search.md says: folded, and a word's inflections
    (here: words that begin with it) count."""
    return lambda entry: any(w.startswith(ce.fold(typed)) for w in ce.words(entry))


def both(*wants: Want) -> Want:
    return lambda entry: all(want(entry) for want in wants)


# Each search and what it means, computed from the YAML entries, the
# vocabulary and the reference tables (tests/catalog_expected.py).
FACETS: list[tuple[list[str], Want]] = [
    (["--målgruppe", "barnefamilier"], term("malgrupper", "barnefamilier")),
    (["--malgruppe", "Barnefamiliar"], term("malgrupper", "barnefamilier")),
    (["--målgruppe", "hyttefolk"], term("malgrupper", "hyttefolk")),
    (
        ["--målgruppe", "kvinner", "--målgruppe", "entreprenorer"],
        term("malgrupper", "kvinner", "entreprenorer"),
    ),
    (["--aktivitet", "rekrutteringsbyra"], term("aktiviteter", "rekrutteringsbyra")),
    (
        ["--aktivitet", "vertskap", "--fylke", "Sør-Trøndelag"],
        both(term("aktiviteter", "vertskap"), county("Sør-Trøndelag")),
    ),
    (["--salgsargument", "tomter"], term("salgsargumenter", "tomter")),
    (["--partner", "husbanken"], term("samarbeidspartnere", "husbanken")),
    (["--partner", "Troms fylkeskommune"], body("samarbeidspartnere", "Troms fylkeskommune")),
    (
        ["--partner", "regionradet", "--fylke", "Nordland"],
        both(term("samarbeidspartnere", "regionradet"), county("Nordland")),
    ),
    (["--fylke", "Sør-Trøndelag"], county("Sør-Trøndelag")),
    (["--fylke", "sor-trondelag"], county("Sør-Trøndelag")),
    (["--fylke", "Trøndelag"], county("Trøndelag")),  # of 2018: Nordmøre's Halsa and Rindal too
    (["--fylke", "Hedmark"], county("Hedmark")),
    (["--fylke", "innlandet"], county("Innlandet")),
    (["--fylke", "Vestland"], county("Vestland")),
    (["--kommune", "5026"], lambda entry: ce.in_municipality(entry, "5026")),
    (["--kommune", "1644"], lambda entry: ce.in_municipality(entry, "1644")),
    (["--kommune", "Orkland"], lambda entry: ce.in_municipality(entry, "Orkland")),
    (["--region", "hardanger"], lambda entry: ce.in_region(entry, "Hardanger")),
    (["--år", "2000"], years(2000, 2000)),
    (["--aar", "2030"], years(2030, 2030)),
    (["--fra", "1995", "--til", "2004"], years(1995, 2004)),
    (
        ["--målgruppe", "ungdom", "--år", "2012"],
        both(term("malgrupper", "ungdom"), years(2012, 2012)),
    ),
    (
        ["--komplett", "--fylke", "Troms"],
        both(lambda entry: entry.get("komplett", True), county("Troms")),
    ),
    (["nederland"], word("nederland")),
    (["holtalen"], word("holtalen")),
    (["HOLTÅLEN", "--fylke", "trøndelag"], both(word("holtalen"), county("Trøndelag"))),
]


@pytest.mark.parametrize(("args", "want"), FACETS, ids=[" ".join(a) for a, _ in FACETS])
def test_facet_result_sets(catalog: Cli, args: list[str], want: Want) -> None:
    expected = sorted(slug for slug, entry in ce.entries().items() if want(entry))
    assert slugs(catalog, *args) == expected


def test_facet_expectations_are_not_empty() -> None:
    """Each expectation above finds something, but the year nothing ran in:
    a rule that matched nothing would make its test pass on an empty result."""
    empty = [args for args, want in FACETS if not any(map(want, ce.entries().values()))]
    assert empty == [["--aar", "2030"]]


def test_open_ended_projects_run_until_the_catalog_year(catalog: Cli) -> None:
    # Dyrøy's Rekrutteringsteam: 2007 – til d.d., in a catalog made in 2012.
    assert "tilflyttingsarbeid-i-dyroy" in slugs(catalog, "--år", "2012")
    assert "tilflyttingsarbeid-i-dyroy" not in slugs(catalog, "--år", "2025")
    assert "tilflyttingsarbeid-i-dyroy" in slugs(catalog, "--år", "2025", "--til-i-dag")


def test_prefix_and_folding(catalog: Cli) -> None:
    assert "tilflyttingstiltak-i-holtalen" in slugs(catalog, "vertskap*")
    assert (
        slugs(catalog, "leksvik") == slugs(catalog, "Leksvik") == ["innovasjon-for-vekst-i-leksvik"]
    )
    assert "tilflyttingsarbeid-i-luroy" in slugs(catalog, "luroy")


def test_results_are_ranked_with_score_and_snippet(catalog: Cli) -> None:
    rows = json.loads(catalog("search", "hardanger", "--format", "json").stdout)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert "Hardanger" in rows[0]["snippet"]
    hit = json.loads(catalog("search", "--målgruppe", "barnefamilier", "-f", "json").stdout)[0]
    assert hit["treff"] == ["malgrupper:barnefamilier"] and "kommuner" in hit


def test_resolved_facet_is_said_on_stderr(catalog: Cli) -> None:
    result = catalog("search", "--malgruppe", "tilbakeflyttere", "--format", "json")
    assert "'tilbakeflyttere' → potensielle-tilbakeflyttere" in result.stderr
    assert json.loads(result.stdout)  # stdout stays pure JSON


def test_unknown_facet_value_lists_the_closest(catalog: Cli) -> None:
    result = catalog("search", "--målgruppe", "barnfamilje")
    assert result.exit_code == 2 and "barnefamilier" in result.stderr and result.stdout == ""
    assert catalog("search", "--fylke", "Atlantis").exit_code == 2


def test_no_hit_is_an_empty_result_with_a_hint(catalog: Cli) -> None:
    result = catalog(
        "search", "--målgruppe", "hyttefolk", "--fylke", "Nordland", "--format", "json"
    )
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    table = catalog("search", "--målgruppe", "hyttefolk", "--fylke", "Nordland")
    assert table.stdout == ""  # no table: the hint is a note on stderr
    assert "--målgruppe: 3" in table.stderr.replace("\n", " ") and "--fylke: " in table.stderr


@pytest.mark.parametrize(
    "text",
    [
        '"sør-trøndelag',
        "bolyst OR",
        "AND",
        "NOT tilflytting",
        "*",
        "",
        "-",
        "'",
        '"',
        "a AND OR b",
        "NEAR(a b)",
        "tittel:holtalen",
        "^holtalen",
        "((",
        "sør-trøndelag",
        "x*y*",
        "\x00",
        "🙂",
    ],
)
def test_nasty_input_never_fails(catalog: Cli, text: str) -> None:
    result = catalog("search", text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)


def test_nasty_input_results(catalog: Cli) -> None:
    everything = slugs(catalog)
    assert len(everything) == len(list(CATALOG.glob("*.yaml")))
    assert slugs(catalog, "*") == slugs(catalog, "") == everything
    assert slugs(catalog, "bolyst OR") == slugs(catalog, "bolyst")
    assert "tilflyttingstiltak-i-holtalen" in slugs(catalog, '"sør-trøndelag')
    assert slugs(catalog, "holtalen OR orkdal") == sorted(
        {*slugs(catalog, "holtalen"), *slugs(catalog, "orkdal")}
    )
    assert "smakommuneprosjektet" in slugs(catalog, "orkdal")  # its partner Orkdal regionråd


def test_raw_mode_passes_fts_syntax_and_fails_cleanly(catalog: Cli) -> None:
    assert slugs(catalog, "--raw", "tittel:holtalen") == ["tilflyttingstiltak-i-holtalen"]
    bad = catalog("search", "--raw", '"unbalanced')
    assert bad.exit_code == 2 and "invalid FTS5 query" in bad.stderr
    assert "Traceback" not in bad.stderr and "sqlite3" not in bad.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = Store.open(tmp_path_factory.mktemp("prop") / "c.db", create=True)
    import_paths(db, [CATALOG / "tilflyttingstiltak-i-holtalen.yaml"])
    yield db
    db.close()


@given(st.text(max_size=80))
@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_builds_a_valid_query(store: Store, text: str) -> None:
    match, words = build_match(text)
    try:
        store.search(match, SearchFilters())
    except sqlite3.OperationalError as exc:  # pragma: no cover - the failure we look for
        raise AssertionError(f"{text!r} built {match!r}: {exc}") from exc
    assert all(word.isascii() for word in words)


def _plan(store: Store, match: str | None, filters: SearchFilters, limit: int | None) -> str:
    sql, params = search_sql(match, filters, limit)
    return " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))


EVERY_FILTER = SearchFilters(
    terms={"malgrupper": [("barnefamilier", None)]},
    counties=["Nordland"],
    kommuner=["Dyrøy"],
    regions=["Nord-Norge"],
    complete=True,
    year=2010,
    this_year=2026,
)


@pytest.mark.parametrize("match", [None, '"bolyst"'])
def test_filters_use_indexes(store: Store, match: str | None) -> None:
    plan = _plan(store, match, EVERY_FILTER, 20)
    for table in ("items", "places", "projects"):
        assert f"SCAN {table}" not in plan, plan


def test_facet_search_reads_the_slug_index_in_order(store: Store) -> None:
    """With a limit, SQLite stops after enough matches instead of sorting all."""
    filters = SearchFilters(terms={"malgrupper": [("barnefamilier", None)]})
    plan = _plan(store, None, filters, 20)
    assert "idx_entries_slug" in plan and "TEMP B-TREE" not in plan, plan
    assert "COVERING INDEX idx_items_liste_term_entry_id" in plan, plan  # items not read


@pytest.mark.parametrize("by_entry", [True, False])
def test_subset_term_counts_read_one_index(store: Store, by_entry: bool) -> None:
    """`summarise` of a few entries looks their items up entry by entry; of
    many, it walks each list: from an index alone either way."""
    narrow, params = store._in_subset("entry_id", SearchFilters(kommuner=["Holtålen"]))
    sql = term_counts_sql(LISTS, narrow, by_entry)
    plan = " | ".join(
        r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, [*LISTS, *params])
    )
    index = "idx_items_entry_id_liste_term" if by_entry else "idx_items_liste_term_entry_id"
    assert f"SEARCH items USING COVERING INDEX {index}" in plan, plan


def test_full_text_search_runs_the_index_once(store: Store) -> None:
    """A filter's id list must not be handed to FTS5 as rowid lookups (one
    full-text query per id: seconds on a large catalog)."""
    plan = _plan(store, '"bolyst"', EVERY_FILTER, 20)
    assert plan.count("VIRTUAL TABLE") == 1 and not re.search(r"INDEX \d+:=", plan), plan


def test_empty_catalog_hint(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "empty.db")
    assert cli("import", "--strict", str(tmp_path / "missing")).exit_code == 1
    Store.open(tmp_path / "empty.db", create=True).close()
    assert "tilflytting import" in cli("search", "x").stderr


@pytest.mark.parametrize("args", [["--målgruppe", "barnefamilier"], ["tilflytting"]])
def test_table_shows_the_first_rows_and_counts_the_rest(
    catalog: Cli, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tilflytting.cli.TABLE_ROWS", 5)
    monkeypatch.setenv("COLUMNS", "200")
    every = json.loads(catalog("search", *args, "--format", "json").stdout)
    assert len(every) > 5  # machine formats are not cut
    table = catalog("search", *args)
    assert table.exit_code == 0
    assert f"5 of {len(every)} hits" in table.stdout
    assert f"showing the first 5 of {len(every)} entries" in table.stderr
    shown = [row["slug"] for row in every if row["slug"] in table.stdout]
    assert shown == [row["slug"] for row in every[:5]]
    chosen = catalog("search", *args, "--limit", "6")
    assert "6 hits" in chosen.stdout and "showing" not in chosen.stderr


@pytest.mark.parametrize("text", ["tilflytting", "bolyst OR ungdom", "flytt*"])
@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(),
        SearchFilters(terms={"malgrupper": [("barnefamilier", None)]}),
        SearchFilters(counties=["Nordland", "Trøndelag"], year=2010),
        SearchFilters(kommuner=["Holtålen", "5026"]),
        SearchFilters(regions=["Hardanger"], complete=True),
        SearchFilters(terms={"aktiviteter": [("annonsering-i-media", None)]}, complete=True),
        EVERY_FILTER,
    ],
)
def test_count_matches_counts_what_search_finds(
    store_all: Store, text: str, filters: SearchFilters
) -> None:
    match = build_match(text)[0]
    for query in (match, None):
        assert store_all.count_matches(query, filters) == len(store_all.search(query, filters))


@pytest.fixture(scope="module")
def store_all(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = Store.open(tmp_path_factory.mktemp("count") / "c.db", create=True)
    import_paths(db, [CATALOG])
    yield db


@pytest.mark.parametrize(
    "filters",
    [SearchFilters(terms={"malgrupper": [("barnefamilier", None)]}), EVERY_FILTER],
)
def test_counting_reads_no_entry_rows(store: Store, filters: SearchFilters) -> None:
    """The table view counts every match: from indexes, not entry by entry."""
    sql, params = count_sql(filters)
    plan = " | ".join(r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "PRIMARY KEY" not in plan and "SCAN items" not in plan, plan


@pytest.mark.parametrize("limit", [None, 20])
def test_facet_search_reads_no_entry_rows(store: Store, limit: int | None) -> None:
    """Entries hold the text: every filter, region and completeness too, is
    answered from indexes (0.5 s → 10 ms for a region among 100,000)."""
    plan = _plan(store, None, EVERY_FILTER, limit)
    steps = [step for step in plan.split(" | ") if re.match(r"(SCAN|SEARCH) e\b", step)]
    assert steps and all("COVERING INDEX" in step for step in steps), plan


def test_hint_counts_each_condition_alone(catalog: Cli) -> None:
    alone = {
        "the words 'bolyst'": ["bolyst"],
        "--målgruppe": ["--målgruppe", "hyttefolk"],
        "--fylke": ["--fylke", "Nordland"],
    }
    together = [arg for args in alone.values() for arg in args]
    assert json.loads(catalog("search", *together, "--format", "json").stdout) == []
    hint = " ".join(catalog("search", *together).stderr.split())
    for label, args in alone.items():
        found = json.loads(catalog("search", *args, "--format", "json").stdout)
        assert found and f"{label}: {len(found)}" in hint, hint


@pytest.mark.parametrize("command", [["search", "bolyst"], ["list"], ["timeline"]])
def test_a_limit_of_nothing_is_a_usage_error(catalog: Cli, command: list[str]) -> None:
    """`--limit 0` would show no rows and a hint that nothing matches."""
    result = catalog(*command, "--limit", "0")
    assert result.exit_code == 2 and "--limit" in result.stderr
