"""`search` on the bundled catalog: facets, full text, nasty input."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


BARNEFAMILIER = [
    "auka-busetjing-i-norddal",
    "bulyst-gje-det-vidare",
    "bulyst-i-utsira",
    "den-levende-bygda-i-vegarshei",
    "flytt-til-hardanger",
    "flytt-til-hardanger-attraktive-bukommunar",
    "inderoy-2020",
    "okt-tilflytting-til-hadsel",
    "rennebu-3000",
    "stedsutvikling-i-iveland",
    "tilflytting-og-hjemflytting-i-gjerstad",
    "tilflyttingsarbeid-i-dyroy",
    "tilflyttingsarbeid-i-kafjord",
    "tilflyttingstiltak-i-holtalen",
]
SOR_TRONDELAG = [
    "rennebu-3000",
    "smakommuneprosjektet",
    "tilflyttingstiltak-i-holtalen",
    "tilflyttingstiltak-i-orkdal",
    "tilflyttingstiltak-i-osen",
]

FACETS = [
    (["--målgruppe", "barnefamilier"], BARNEFAMILIER),
    (["--malgruppe", "Barnefamiliar"], BARNEFAMILIER),
    (
        ["--målgruppe", "hyttefolk"],
        ["bulyst-gje-det-vidare", "innflyttermote-og-kontakt-med-hytteeigarane-i-al", "skjak-79"],
    ),
    (
        ["--målgruppe", "kvinner", "--målgruppe", "entreprenorer"],
        [
            "bulyst-gje-det-vidare",
            "heroyloftet-og-heroy-2020",
            "okt-tilflytting-til-hadsel",
            "skjak-79",
            "stedsutvikling-i-iveland",
            "tilflyttingsarbeid-i-dyroy",
            "tilflyttingsarbeid-i-kafjord",
        ],
    ),
    (["--aktivitet", "rekrutteringsbyra"], ["rennebu-3000", "tilflyttingstiltak-i-holtalen"]),
    (
        ["--aktivitet", "vertskap", "--fylke", "Sør-Trøndelag"],
        ["rennebu-3000", "tilflyttingstiltak-i-holtalen"],
    ),
    (
        ["--salgsargument", "tomter"],
        [
            "den-levende-bygda-i-vegarshei",
            "heroyloftet-og-heroy-2020",
            "stedsutvikling-i-iveland",
            "tilflyttingsarbeid-i-luroy",
        ],
    ),
    (
        ["--partner", "husbanken"],
        [
            "den-levende-bygda-i-vegarshei",
            "stedsutvikling-i-iveland",
            "tilflyttingsprosjektet-i-nordland",
        ],
    ),
    (
        ["--partner", "Troms fylkeskommune"],
        [
            "bedre-rekruttering-til-storfjord",
            "liv-lavangen-i-vekst",
            "tilflyttingsarbeid-i-dyroy",
            "tilflyttingsarbeid-i-kafjord",
        ],
    ),
    (
        ["--partner", "regionradet", "--fylke", "Nordland"],
        ["levvesteralen", "tilflyttingsprosjektet-i-nordland"],
    ),
    (["--fylke", "Sør-Trøndelag"], SOR_TRONDELAG),
    (["--fylke", "sor-trondelag"], SOR_TRONDELAG),
    (
        ["--fylke", "Trøndelag"],
        sorted(
            [
                *SOR_TRONDELAG,
                "bli-med-heimatt-til-nordmore",
                "hoga-heim",
                "inderoy-2020",
                "innovasjon-for-vekst-i-leksvik",
                "tilflyttingstiltak-i-verran",
            ]
        ),
    ),
    (["--fylke", "Hedmark"], ["tilflyttingsprosjekt-2"]),
    (
        ["--fylke", "innlandet"],
        [
            "bolyst-i-valdres-den-rode-trad-fra-barn-til-voksen",
            "skjak-79",
            "tilflyttingsprosjekt-2",
            "valhall",
        ],
    ),
    (
        ["--fylke", "Vestland"],
        [
            "bulyst-i-sogndal",
            "flytt-til-hardanger",
            "flytt-til-hardanger-attraktive-bukommunar",
            "omstilling-av-fraflytta-gardsbruk-i-hyllestad",
        ],
    ),
    (["--kommune", "5026"], ["tilflyttingstiltak-i-holtalen"]),
    (["--kommune", "1644"], ["tilflyttingstiltak-i-holtalen"]),
    (["--kommune", "Orkland"], ["tilflyttingstiltak-i-orkdal"]),
    (
        ["--region", "hardanger"],
        ["flytt-til-hardanger", "flytt-til-hardanger-attraktive-bukommunar"],
    ),
    (["--år", "2000"], ["tilflyttingsarbeid-i-dyroy"]),
    (["--aar", "2030"], []),
    (
        ["--fra", "1995", "--til", "2004"],
        ["tilflyttingsarbeid-i-dyroy", "tilflyttingstiltak-i-orkdal"],
    ),
    (
        ["--målgruppe", "ungdom", "--år", "2012"],
        [
            "inderoy-2020",
            "liv-lavangen-i-vekst",
            "okt-tilflytting-til-hadsel",  # «Fløtt heim» siden 2010 (issue 19)
            "tilflyttingsarbeid-i-dyroy",
            "tilflyttingsprosjektet-i-nordland",
            "tilflyttingstiltak-i-orkdal",  # "Fra 2009 ...", "Fra 2007 ..." (issue 19)
        ],
    ),
    (["--komplett", "--fylke", "Troms"], ["liv-lavangen-i-vekst"]),
    (["nederland"], ["den-levende-bygda-i-vegarshei", "tilflyttingstiltak-i-holtalen"]),
    (["holtalen"], ["tilflyttingstiltak-i-holtalen"]),
    (["HOLTÅLEN", "--fylke", "trøndelag"], ["tilflyttingstiltak-i-holtalen"]),
]


@pytest.mark.parametrize(("args", "expected"), FACETS)
def test_facet_result_sets(catalog: Cli, args: list[str], expected: list[str]) -> None:
    assert slugs(catalog, *args) == expected


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
    assert "--målgruppe: 3" in table.stdout.replace("\n", " ") and "--fylke: " in table.stdout


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
    assert "tilflytting import" in cli("search", "x").stdout


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
    hint = " ".join(catalog("search", *together).stdout.split())
    for label, args in alone.items():
        found = json.loads(catalog("search", *args, "--format", "json").stdout)
        assert found and f"{label}: {len(found)}" in hint, hint


@pytest.mark.parametrize("command", [["search", "bolyst"], ["list"], ["timeline"]])
def test_a_limit_of_nothing_is_a_usage_error(catalog: Cli, command: list[str]) -> None:
    """`--limit 0` would show no rows and a hint that nothing matches."""
    result = catalog(*command, "--limit", "0")
    assert result.exit_code == 2 and "--limit" in result.stderr
