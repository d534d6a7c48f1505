"""Places as the catalog had them: regions with their members, counties of
every era, municipalities with county qualifiers, evidence in order.

Expected values come from the reference files (data/kommuner.csv,
data/regioner.csv) and the bundled YAML entries, read here by the test."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests import catalog_expected as ce
from tests.conftest import FIXTURES, ROOT, Cli, catalog_copy
from tilflytting.reference.places import one_of, reference, regions_in

SHARED = ROOT.parent / "shared" / "reference"
DATA = ROOT / "data"
PLACES = FIXTURES / "places"


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


KOMMUNER = rows("kommuner.csv")
REGIONS = {r["region"]: r for r in rows("regioner.csv")}


def members(region: str) -> set[str]:
    return set(REGIONS[region]["kommuner_2012"].split("; "))


def by_number(number: str) -> dict[str, str]:
    return next(k for k in KOMMUNER if k["nr_2012"] == number)


def bundled() -> dict[str, dict[str, Any]]:
    """The bundled entries as their YAML files say (read once a session)."""
    return ce.entries()


def stated_numbers(entry: dict[str, Any]) -> set[str]:
    """The 2012 numbers an entry's YAML stands for: its `kommuner` (names,
    perhaps with a county), else the members of its `region`."""
    found = set()
    for text in entry.get("kommuner") or []:
        name, _, county = text.partition(" (")
        found |= {
            k["nr_2012"]
            for k in KOMMUNER
            if k["name"] == name and k["nr_2012"] and (not county or county[:-1] in k["fylke_2012"])
        }
    if not found:
        for region in (entry.get("region") or "").split(", "):
            if region:
                found |= members(region)
    return found


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "places")
    yield cli


def slugs(cli: Cli, *args: str) -> set[str]:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["slug"] for row in json.loads(result.stdout)}


# -- the reference data -------------------------------------------------------------
def test_bundled_reference_files_are_the_shared_ones() -> None:
    if not SHARED.is_dir():
        pytest.skip("the shared reference folder (../shared/reference) is not here")
    for name in ("kommuner.csv", "fylker.csv", "regioner.csv", "folkemengde_per_nummer.csv"):
        assert (DATA / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_every_region_the_catalog_names_is_known() -> None:
    from tilflytting.reference.places import reference

    for slug, entry in bundled().items():
        for name in (entry.get("region") or "").split(", "):
            if name:
                assert reference().region(name) is not None, (slug, name)
    # The two names the catalog's partner lists use that the table lacks
    # (data/regioner_tillegg.csv, decided in data/README.md).
    assert reference().region("Orkdal regionråd").name == "Orkdalsregionen"  # type: ignore[union-attr]
    assert reference().region("Sunnmøre regionråd").name == "Sunnmøre"  # type: ignore[union-attr]


# -- --fylke of every era --------------------------------------------------------------
def _in_county(column: str, county: str) -> set[str]:
    numbers = {k["nr_2012"] for k in KOMMUNER if k[column] == county and k["nr_2012"]}
    return {slug for slug, e in bundled().items() if stated_numbers(e) & numbers}


@pytest.mark.parametrize(
    ("typed", "column", "county"),
    [
        ("Troms og Finnmark", "fylke_2020", "Troms og Finnmark"),
        ("54", "fylke_2020", "Troms og Finnmark"),
        ("Viken", "fylke_2020", "Viken"),
        ("Vestfold og Telemark", "fylke_2020", "Vestfold og Telemark"),
        ("Innlandet", "fylke_2024", "Innlandet"),
        ("16", "fylke_2012", "Sør-Trøndelag"),
        ("Nord-Trøndelag", "fylke_2012", "Nord-Trøndelag"),
    ],
)
def test_counties_of_every_era(catalog: Cli, typed: str, column: str, county: str) -> None:
    expected = _in_county(column, county)
    assert expected, "the catalog has entries there"
    found = slugs(catalog, "list", "--fylke", typed)
    assert expected <= found
    # County-only entries (no municipality) come along where their county lies.
    assert all(s in expected or not stated_numbers(bundled()[s]) for s in found)


def test_troms_og_finnmark_finds_the_troms_entries(catalog: Cli) -> None:
    troms = {
        s
        for s, e in bundled().items()
        if e.get("kommuner") and _in_county("fylke_2012", "Troms") >= {s}
    }
    assert troms and troms <= slugs(catalog, "list", "--fylke", "Troms og Finnmark")


def test_unknown_county_suggests_only_close_names(catalog: Cli) -> None:
    result = catalog("list", "--fylke", "Sogn")
    assert result.exit_code == 2
    assert "Sogn og Fjordane" in result.stderr and "Rogaland" not in result.stderr
    nothing = catalog("list", "--fylke", "Atlantis")
    assert nothing.exit_code == 2 and "did you mean" not in nothing.stderr


# -- --kommune with qualifiers -----------------------------------------------------------
def test_municipalities_with_county_qualifiers(catalog: Cli) -> None:
    heroy_more = {
        s for s, e in bundled().items() if "Herøy (Møre og Romsdal)" in (e.get("kommuner") or [])
    }
    assert heroy_more
    assert slugs(catalog, "list", "--kommune", "Herøy (Møre og Romsdal)") == heroy_more
    nordland = catalog("list", "--kommune", "Herøy (Nordland)", "--format", "json")
    assert nordland.exit_code == 0 and json.loads(nordland.stdout) == []  # known, no entry there
    vesteralen = {s for s, e in bundled().items() if "1867" in stated_numbers(e)}  # Bø, Nordland
    assert vesteralen and slugs(catalog, "list", "--kommune", "Bø i Vesterålen") == vesteralen
    assert slugs(catalog, "list", "--kommune", "Bø (Nordland)") == vesteralen
    assert slugs(catalog, "list", "--kommune", "Nes (Akershus)") == set()
    unknown = catalog("list", "--kommune", "Holtaalen")
    assert unknown.exit_code == 2 and "Holtålen" in unknown.stderr


def test_yaml_entries_take_the_qualified_forms(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "x.yaml"
    page.write_text("tittel: X\nkommuner:\n- Bø i Vesterålen\n- Nes (Akershus)\n", "utf-8")
    assert cli("import", str(page)).exit_code == 0
    places = json.loads(cli("show", "x", "--format", "json").stdout)["kommuner"]
    assert [(p["nummer_2012"], p["fylke_2012"]) for p in places] == [
        ("1867", "Nordland"),
        ("0236", "Akershus"),
    ]


# -- regions with members ----------------------------------------------------------------
def test_region_finds_its_entries_and_its_members(catalog: Cli) -> None:
    for region in ("Namdalen", "Fjellregionen", "Hardanger", "Valdres"):
        expected = {s for s, e in bundled().items() if stated_numbers(e) & members(region)}
        expected |= {s for s, e in bundled().items() if region in (e.get("region") or "")}
        assert expected, region
        assert slugs(catalog, "search", "--region", region) == expected, region
        assert slugs(catalog, "list", "--region", region) == expected, region
    assert "hoga-heim" in slugs(catalog, "search", "--region", "Namdalen")
    assert "tilflyttingstiltak-i-holtalen" in slugs(catalog, "search", "--region", "Fjellregionen")
    assert slugs(catalog, "search", "--region", "Namdal") == slugs(
        catalog, "search", "--region", "Namdalen"
    )  # an alias
    unknown = catalog("search", "--region", "Atlantis")
    assert unknown.exit_code == 2 and "unknown region" in unknown.stderr


def test_region_filters_summarise_and_export(catalog: Cli) -> None:
    expected = {s for s, e in bundled().items() if stated_numbers(e) & members("Hardanger")}
    summary = json.loads(catalog("summarise", "--region", "Hardanger", "-f", "json").stdout)
    assert summary["oppforinger"] == len(expected)
    exported = json.loads(catalog("export", "--region", "Hardanger", "-f", "json").stdout)
    assert {e["slug"] for e in exported["oppforinger"]} == expected


def test_a_regional_entry_gets_its_regions_members(catalog: Cli) -> None:
    data = json.loads(catalog("show", "flytt-til-hardanger", "--format", "json").stdout)
    assert {k["nummer_2012"] for k in data["kommuner"]} == members("Hardanger")
    assert data["fylker_2012"] == ["Hordaland"]
    assert all(p["bevis"] == "region: Hardanger" for p in data["steder"])
    ullensvang = by_number("1231")["name"]
    assert "flytt-til-hardanger" in slugs(catalog, "list", "--kommune", ullensvang)
    # A region across a county border belongs to each county it touches.
    valhall = json.loads(catalog("show", "valhall", "--format", "json").stdout)
    assert valhall["fylker_2012"] == ["Oppland", "Buskerud"]
    assert "valhall" in slugs(catalog, "list", "--fylke", "Oppland")
    assert "valhall" in slugs(catalog, "list", "--fylke", "Buskerud")


# -- evidence in order, and shown -----------------------------------------------------------
def test_a_region_in_the_text_outweighs_a_partners_county(cli: Cli) -> None:
    assert cli("import", str(PLACES / "region-in-text.txt")).exit_code == 0
    data = json.loads(cli("show", "bo-og-jobbe-ved-fjorden", "--format", "json").stdout)
    assert data["fylker_2012"] == ["Nord-Trøndelag"]  # not the partner's Sør-Trøndelag
    assert {k["nummer_2012"] for k in data["kommuner"]} == members("Innherred")
    line = next(
        n
        for n, text in enumerate((PLACES / "region-in-text.txt").read_text("utf-8").splitlines(), 1)
        if "Innherred" in text
    )
    assert {(p["bevis"], p["linje"]) for p in data["steder"]} == {("region: Innherred", line)}
    shown = cli("show", "bo-og-jobbe-ved-fjorden", "--sources").stdout
    assert "region: Innherred" in shown and f"region-in-text.txt:{line}" in shown


def test_a_county_adjective_outweighs_a_partner(cli: Cli) -> None:
    assert cli("import", str(PLACES / "county-adjective.txt")).exit_code == 0
    data = json.loads(cli("show", "felles-bolyst", "--format", "json").stdout)
    assert data["fylker_2012"] == ["Nord-Trøndelag"]
    assert data["steder"][0]["bevis"] == "fylkesadjektiv: nordtrønderske"


def test_a_partner_only_fills_a_gap(cli: Cli) -> None:
    assert cli("import", str(PLACES / "partner-only.txt")).exit_code == 0
    data = json.loads(cli("show", "velkommen-hit", "--format", "json").stdout)
    assert data["fylker_2012"] == ["Troms"]
    (place,) = data["steder"]
    assert place["bevis"] == "partner: Troms fylkeskommune"
    lines = (PLACES / "partner-only.txt").read_text("utf-8").splitlines()
    assert lines[place["linje"] - 1].strip() == "• Troms fylkeskommune"


def test_a_municipality_in_the_title_is_shown_as_such(catalog: Cli) -> None:
    data = json.loads(catalog("show", "holtalen", "--format", "json").stdout)
    (place,) = data["steder"]
    assert (place["navn"], place["bevis"]) == ("Holtålen", "oppgitt")  # the YAML's own list
    shown = catalog("show", "holtalen", "--sources").stdout
    assert f"tilflyttingstiltak-i-holtalen.yaml:{place['linje']}" in shown


def test_bo_in_a_title_is_no_municipality() -> None:
    from tilflytting.reference.places import names_in

    assert names_in("Bo og jobbe ved fjorden", allow_common=True) == []
    assert [k.name for k in names_in("Tiltak i Holtalen")] == ["Holtålen"]


# -- year filters ---------------------------------------------------------------------------
def test_year_filters_combine(catalog: Cli) -> None:
    assert slugs(catalog, "search", "--år", "2010", "--fra", "2008") == slugs(
        catalog, "search", "--år", "2010"
    )
    narrowed = slugs(catalog, "search", "--fra", "2006", "--til", "2006", "--år", "2006")
    assert narrowed == slugs(catalog, "search", "--år", "2006")
    for args in (("--år", "2010", "--fra", "2015"), ("--fra", "2015", "--til", "2010")):
        result = catalog("search", *args)
        assert result.exit_code == 2 and "contradict" in result.stderr


def test_a_database_of_the_previous_schema_keeps_its_places(tmp_path: Path) -> None:
    """A database of the last release (m001..m009) gets the evidence columns
    (m013); places stored before have none, and `show --sources` says so
    instead of failing."""
    import sqlite3

    from tilflytting.core.fold import fold, key
    from tilflytting.store.database import MIGRATIONS, Store

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.create_function("fold", 1, lambda t: None if t is None else fold(t))
    conn.create_function("nokkel", 1, lambda t: None if t is None else key(t))
    old = Store(conn, db)
    old._upgrade(upto=[name for name, _ in MIGRATIONS].index("m010_meta"))
    assert old.applied_migrations()[-1] == "m009_items_by_entry"
    old.conn.execute(
        "INSERT INTO entries (slug, tittel, ingress, tekst, fagomrader, komplett, advarsler, "
        "kilde_fil, format, sha256, tegnsett, parser_versjon) VALUES ('gammel', 'Gammel', '', "
        "'', '[]', 1, '[]', '/x.txt', 'txt', 'abc', 'utf-8', 1)"
    )
    old.conn.execute(
        "INSERT INTO places (entry_id, pos, type, navn, nummer_2012, fylke_2012, navn_2024, "
        "nummer_2024, fylke_2024) VALUES (1, 0, 'kommune', 'Holtålen', '1644', "
        "'Sør-Trøndelag', 'Holtålen', '5026', 'Trøndelag')"
    )
    old.conn.close()
    cli = Cli(db)
    data = json.loads(cli("show", "gammel", "--format", "json").stdout)
    assert data["steder"][0]["bevis"] is None and data["steder"][0]["nummer_2012"] == "1644"
    shown = cli("show", "gammel", "--sources")
    assert shown.exit_code == 0 and "Holtålen" in shown.stdout


def test_a_regional_entry_is_written_back_with_its_region(catalog: Cli, tmp_path: Path) -> None:
    written = catalog("show", "flytt-til-hardanger", "--format", "yaml").stdout
    data = yaml.safe_load(written)
    assert data["region"] == "Hardanger" and "kommuner" not in data
    again = Cli(tmp_path / "again.db")
    (tmp_path / "h.yaml").write_text(written, "utf-8")
    assert again("import", str(tmp_path / "h.yaml")).exit_code == 0
    places = json.loads(again("show", "flytt-til-hardanger", "--format", "json").stdout)
    assert {k["nummer_2012"] for k in places["kommuner"]} == members("Hardanger")


# -- regions in one pass ---------------------------------------------------------------------
def _plain(words: set[str]) -> re.Pattern[str]:
    """What `one_of` must match alike: one alternation, the longest word first."""
    either = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(?:{either})")


REGION_WORDS = sorted(
    {n for r in reference().regions.values() for n in (r.name, *r.aliases)}
    | set(reference().extra_aliases)
    | {f.name for f in reference().fylker}
)


def _plain_regions(text: str) -> list[str]:
    """regions_in as one alternation of every name, longest first."""
    spaced = re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", text)
    either = _plain(set(REGION_WORDS)).pattern
    pattern = rf"(?<![\w-])({either}(?:-?regionen|rådet| regionråd)?)(?![\w-])"
    found: list[str] = []
    for match in re.finditer(pattern, spaced):
        region = reference().region(match.group(1))
        if region is not None and region.name not in found:
            found.append(region.name)
    return found


def test_one_of_matches_like_an_alternation_longest_first() -> None:
    words = {"Nord", "Nordfjord", "Nord-Troms", "a.b", "a", "ab", "Øst", "Østre Agder"}
    pattern = re.compile(one_of(words))
    for text in ("Nordfjordeid", "Nord-Trøndelag", "a.bab", "Østre Agder og Øst", "xNordx"):
        assert [m.span() for m in pattern.finditer(text)] == [
            m.span() for m in _plain(words).finditer(text)
        ], text


_PIECES = st.one_of(
    st.sampled_from(REGION_WORDS),
    st.sampled_from(REGION_WORDS).map(lambda w: w[: max(1, len(w) // 2)]),
    st.sampled_from(["regionen", "-regionen", "rådet", " regionråd", "-", "og", "i", "Lev"]),
    st.text(alphabet="abcæøåABCØÅ- ", max_size=6),
)


@given(st.lists(_PIECES, max_size=12), st.lists(st.sampled_from(["", " ", "\n", ", "])))
@settings(max_examples=300, deadline=None)
def test_regions_in_finds_what_one_alternation_finds(pieces: list[str], gaps: list[str]) -> None:
    text = "".join(p + (gaps[i % len(gaps)] if gaps else " ") for i, p in enumerate(pieces))
    assert regions_in(text) == _plain_regions(text)


def test_regions_in_the_pages_are_those_of_one_alternation() -> None:
    pages = sorted(PLACES.glob("*.txt")) + sorted((FIXTURES / "variants").glob("*.txt"))
    corpus = ROOT.parent / "shared" / "corpus"
    pages += sorted(corpus.glob("*.txt"))  # the real pages too, where they are here
    found = 0
    for page in pages:
        text = page.read_text("utf-8")
        assert regions_in(text) == _plain_regions(text), page.name
        found += bool(regions_in(text))
    assert found  # some page names a region (region-in-text.txt does)


# -- county adjectives, found fast -------------------------------------------------------------
def _adjectives_word_by_word(text: str) -> list[tuple[str, str]]:
    """Every word folded and matched: what `_adjectives` must find alike."""
    from tilflytting.core.fold import fold
    from tilflytting.ingest.normalise import _ADJECTIVE, _ADJECTIVES

    found: list[tuple[str, str]] = []
    for word in re.findall(r"[\w-]+", text):
        match = _ADJECTIVE.fullmatch(fold(word))
        if match:
            county = next(c for p, c in _ADJECTIVES.items() if re.match(p, match[1]))
            if county not in [c for c, _ in found]:
                found.append((county, word))
    return found


_ADJECTIVE_WORDS = st.sampled_from(
    ["nordtrøndersk", "Nord-Trønderske", "sørtrøndersk", "SØR-TRØNDERSKT", "nordlandske",
     "Finnmarksk", "hedmarksk", "opplandska", "buskerudsk", "vestfoldske", "telemarksk",
     "aust-agdersk", "Vestagderske", "rogalandsk", "hordalandske", "østfoldsk", "Østfoldske",
     "trøndersk", "norsk", "landsk", "Nordlandsbanen", "dersk", "ørsk"]
)  # fmt: skip
_ACCENTS = st.sampled_from(["", "\u0301", "é", "ø", "-", "ß"])


@given(st.lists(st.tuples(_ADJECTIVE_WORDS, _ACCENTS, st.sampled_from([" ", "\n", ", ", ""]))))
@settings(max_examples=300, deadline=None)
def test_county_adjectives_are_found_as_word_by_word(parts: list[tuple[str, str, str]]) -> None:
    from tilflytting.ingest.normalise import _adjectives

    text = "".join(f"{word}{mark}{gap}" for word, mark, gap in parts)
    assert _adjectives(text) == _adjectives_word_by_word(text)


def test_county_adjectives_in_the_pages_are_those_word_by_word() -> None:
    from tilflytting.ingest.normalise import _adjectives

    pages = sorted(FIXTURES.rglob("*.txt")) + sorted((ROOT.parent / "shared" / "corpus").glob("*"))
    texts = [p.read_text("utf-8", errors="replace") for p in pages if p.suffix == ".txt"]
    assert any(_adjectives(text) for text in texts)  # county-adjective.txt has one
    for text in texts:
        assert _adjectives(text) == _adjectives_word_by_word(text)
