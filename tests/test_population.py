"""`folketall`: population around entries, from SSB table 07459, on the
catalog's 2012 borders.

Expected figures are read by the tests from the reference files
(data/folkemengde_per_nummer.csv, data/kommuner.csv, data/regioner.csv) and
summed here, never taken from our own output."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, Cli, catalog_copy
from tilflytting.core.model import Entry, Place, Project
from tilflytting.query import population
from tilflytting.reference import population as population_data
from tilflytting.report.tables import population_line

DATA = ROOT / "data"


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FIGURES: dict[tuple[str, int], int] = {
    (r["nummer"], int(r["aar"])): int(r["folkemengde"]) for r in _read("folkemengde_per_nummer.csv")
}
KOMMUNER = _read("kommuner.csv")
REGIONS = {r["region"]: r["kommuner_2012"].split("; ") for r in _read("regioner.csv")}


# Inderøy (1756) was made in 2012 of Mosvik (1723) and old Inderøy (1729):
# before, its area's figures are theirs (SOURCES.md of the shared reference).
BEFORE_2012 = {"1756": ["1723", "1729"]}


def figure(numbers: list[str], year: int) -> int:
    return sum(
        FIGURES[(n, year)] if (n, year) in FIGURES else figure(BEFORE_2012[n], year)
        for n in numbers
    )


def numbers_2012(county: str) -> list[str]:
    return [k["nr_2012"] for k in KOMMUNER if k["fylke_2012"] == county and k["nr_2012"]]


def percent(before: int, after: int) -> float:
    return round(100 * (after - before) / before, 2)


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "folketall")
    yield cli


@pytest.fixture(autouse=True)
def own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`--update` writes to the user's data folder: a temporary one here."""
    monkeypatch.setenv("TILFLYTTING_DATA", str(tmp_path / "data"))
    population_data.population.cache_clear()
    yield
    population_data.population.cache_clear()


def as_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def series(data: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["ar"]: row for row in data["serie"]}


# -- Verran: its own figures against the rest of Nord-Trøndelag in 2012 ------------------
def test_verran_has_its_own_figures_on_2012_borders(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "verran")
    rows = series(data)
    assert (rows[2006]["folketall"], rows[2012]["folketall"]) == (2644, 2705)
    assert (FIGURES[("1724", 2006)], FIGURES[("1724", 2012)]) == (2644, 2705)
    assert data["omrade"]["kommunenummer_2012"] == ["1724"]
    assert data["omrade"]["grenser"] == "2012"
    assert all(rows[y]["grenser"] == "2012" for y in range(2005, 2020))
    rest = [n for n in numbers_2012("Nord-Trøndelag") if n != "1724"]
    assert data["referanse"]["navn"] == "the rest of Nord-Trøndelag (2012 borders)"
    assert data["referanse"]["kommuner"] == len(rest)
    for year in range(2005, 2018):
        assert rows[year]["referanse_folketall"] == figure(rest, year)
        assert rows[year]["referanse_grenser"] == "2012"
    pilot = next(p for p in data["perioder"] if p["prosjektperiode"] == "2006–2011")
    assert pilot["under"] == {
        "fra": 2006,
        "til": 2012,
        "personer": 2705 - 2644,
        "prosent": percent(2644, 2705),
        "grenser": "2012",
    }
    assert pilot["referanse"]["prosent"] == percent(figure(rest, 2006), figure(rest, 2012))


def test_after_the_merger_the_figures_say_so(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "verran")
    rows = series(data)
    steinkjer = next(k for k in KOMMUNER if k["name"] == "Steinkjer")["nr_2024"]
    assert rows[2020]["folketall"] == FIGURES[(steinkjer, 2020)]
    assert rows[2020]["grenser"] == "2020" and rows[2020]["indeks"] is None
    assert (
        "From 2020: figures for Steinkjer, which Verran became part of (borders of that year)."
        in data["omrade"]["merknader"]
    )


def test_show_gives_verrans_own_change_and_the_rest_of_the_county(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    shown = catalog("show", "verran").stdout
    rest = [n for n in numbers_2012("Nord-Trøndelag") if n != "1724"]
    versus = 100 * (figure(rest, 2012) - figure(rest, 2006)) / figure(rest, 2006)
    rest_change = f"{versus:+.1f}".replace(".", ",")  # Norwegian decimal comma
    assert (
        f"Folketall 1.1.2006: 2 644 → 1.1.2012: 2 705 (+61, +2,3 %); "
        f"resten av Nord-Trøndelag: {rest_change} % (SSB, 2012-grenser)"
    ) in shown


@pytest.mark.parametrize(
    ("entry", "numbers"),
    [
        # 2012 number, then the number its unchanged area had in 2018–2019.
        ("orkdal", {2005: ["1638"], 2017: ["1638"], 2018: ["5024"], 2019: ["5024"]}),
        ("hamaroy", {2005: ["1849"], 2012: ["1849"], 2019: ["1849"]}),
        ("bli-med-heimatt-til-nordmore", {2005: ["1571", "1566", "1567"]}),
    ],
)
def test_merged_municipalities_have_figures_for_the_project_years(
    catalog: Cli, entry: str, numbers: dict[int, list[str]]
) -> None:
    rows = series(as_json(catalog, "folketall", entry))
    for year, wanted in numbers.items():
        assert rows[year]["folketall"] == figure(wanted, year)
        assert rows[year]["grenser"] == "2012"
    assert all(rows[y]["folketall"] is not None for y in range(2005, 2020))


def test_a_regional_entry_sums_its_regions_members(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "flytt-til-hardanger")
    hardanger = REGIONS["Hardanger"]
    assert sorted(data["omrade"]["kommunenummer_2012"]) == sorted(hardanger)
    rows = series(data)
    for year in range(2005, 2013):
        assert rows[year]["folketall"] == figure(hardanger, year)
    # Not the whole of Vestland or Hordaland.
    assert rows[2012]["folketall"] < figure(numbers_2012("Hordaland"), 2012) / 10


def test_holtalen_lys_i_alle_grender(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "holtalen")
    lys = next(p for p in data["perioder"] if p["prosjekt"] == "Lys i alle grender")
    assert lys["prosjektperiode"] == "2008–2012"
    own = (FIGURES[("1644", 2008)], FIGURES[("1644", 2013)])
    assert lys["under"]["personer"] == own[1] - own[0] == -39
    rest = [n for n in numbers_2012("Sør-Trøndelag") if n != "1644"]
    expected = percent(figure(rest, 2008), figure(rest, 2013))
    assert lys["referanse"]["prosent"] == expected
    assert lys["differanse_prosentpoeng"] == round(percent(*own) - expected, 2)
    assert lys["foer"]["personer"] is None  # 2003 is before the figures begin
    assert "SSB" in data["kilde"] and "07459" in data["kilde"]
    assert data["referanse"] == {
        "type": "fylke",
        "navn": "the rest of Sør-Trøndelag (2012 borders)",
        "kommuner": len(rest),
        "grenser": "2012",
    }
    assert any("no proof" in note for note in data["merknader"])  # English in every language


def test_every_year_the_2012_municipalities_add_up_to_the_country() -> None:
    """Each 2012 municipality followed through the years (own numbers, then
    its successor's) covers the country exactly once in every year."""
    from tilflytting.reference.places import reference

    data = population_data.population()
    everyone = tuple(k for k in reference().kommuner if k.nr_2012)
    assert len(everyone) == 429
    total = population_data.area_series(everyone, data)
    for year in data.years:
        assert total[year].persons == FIGURES[("0", year)], year
        assert total[year].borders == 2012  # the whole country keeps its borders


# -- open-ended projects end with the catalog's year ---------------------------------------
def test_open_ended_project_runs_to_the_catalog_year(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "dyroy")
    team = next(p for p in data["perioder"] if p["prosjekt"] == "Rekrutteringsteam")
    assert team["prosjektperiode"] == "2007–"
    dyroy = (FIGURES[("1926", 2007)], FIGURES[("1926", 2013)])
    assert team["under"]["til"] == 2013
    assert team["under"]["personer"] == dyroy[1] - dyroy[0]
    today = as_json(catalog, "folketall", "dyroy", "--til-i-dag")
    team = next(p for p in today["perioder"] if p["prosjekt"] == "Rekrutteringsteam")
    latest = max(year for number, year in FIGURES if number == "0")
    assert team["under"]["til"] == latest


def test_references(catalog: Cli) -> None:
    country = as_json(catalog, "folketall", "holtalen", "--referanse", "landet")
    assert country["referanse"]["navn"] == "the rest of the country (2012 borders)"
    rows = series(country)
    assert rows[2012]["referanse_folketall"] == FIGURES[("0", 2012)] - FIGURES[("1644", 2012)]
    similar = as_json(catalog, "folketall", "holtalen", "--referanse", "distrikt")
    assert similar["referanse"]["navn"] == (
        "municipalities with 1066–4264 inhabitants in 2005 (2012 borders)"
    )
    assert (round(FIGURES[("1644", 2005)] / 2), FIGURES[("1644", 2005)] * 2) == (1066, 4264)
    assert 50 < similar["referanse"]["kommuner"] < 150
    assert catalog("folketall", "holtalen", "--referanse", "verden").exit_code == 2


def test_table_view_and_markdown(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    table = catalog("folketall", "holtalen").stdout
    assert (
        "Lys i alle grender" in table and "█" in table and "Statistikkbanken tabell 07459" in table
    )
    shown = catalog("show", "holtalen").stdout
    own = (FIGURES[("1644", 2005)], FIGURES[("1644", 2013)])
    assert (own, own[1] - own[0]) == ((2132, 2030), -102)
    assert (
        "Folketall 1.1.2005: 2 132 → 1.1.2013: 2 030 (-102, -4,8 %); resten av Sør-Trøndelag: "
        in (" ".join(shown.split()))
    )
    assert "(SSB, 2012-grenser)" in " ".join(shown.split())
    rest = [n for n in numbers_2012("Sør-Trøndelag") if n != "1644"]
    # The JSON's English, shown in Norwegian.
    assert f"resten av Sør-Trøndelag (2012-grenser) ({len(rest)} kommuner)" in table
    markdown = catalog("folketall", "holtalen", "--format", "markdown").stdout
    assert "07459" in markdown and "| Prosjekt |" in markdown
    rows = list(
        csv.DictReader(catalog("folketall", "verran", "--format", "csv").stdout.splitlines())
    )
    assert "grenser" in rows[0]


def test_summarise_folketall(catalog: Cli) -> None:
    growth = as_json(catalog, "summarise", "--folketall")["folketall"]
    assert growth["med_tall"] + growth["uten_tall"] == 43
    assert growth["vekst"] + growth["nedgang"] == growth["med_tall"]
    verran = next(g for g in growth["oppforinger"] if g["slug"] == "tilflyttingstiltak-i-verran")
    assert (verran["fra"], verran["til"], verran["grenser"]) == (2006, 2012, "2012")
    assert verran["endring_prosent"] == percent(2644, 2705)


def test_summarise_folketall_limits_the_span_to_the_years_asked(catalog: Cli) -> None:
    growth = as_json(catalog, "summarise", "--folketall", "--fra", "2008", "--til", "2010")
    holtalen = next(
        g
        for g in growth["folketall"]["oppforinger"]
        if g["slug"] == "tilflyttingstiltak-i-holtalen"
    )
    assert (holtalen["fra"], holtalen["til"]) == (2008, 2011)
    assert holtalen["endring_prosent"] == percent(FIGURES[("1644", 2008)], FIGURES[("1644", 2011)])
    assert all(g["fra"] >= 2008 and g["til"] <= 2011 for g in growth["folketall"]["oppforinger"])


# -- folketall --update and --reset ----------------------------------------------------------
BUNDLED = (DATA / "folkemengde_per_nummer.csv").read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kommune,aar,folkemengde\n", "the columns must be"),
        ("nummer,aar,folkemengde\n1644,2012,2013\n", "no national figures"),
        ("nummer,aar,folkemengde\n0,2012,5\n1644,2012,2013\n", "the municipalities add up to"),
        ("nummer,aar,folkemengde\n0,2012,2013\n1644,2012,2013\n", "are missing: 0 2005"),
        (BUNDLED + "1644,2012,2013\n", "1644 2012 appears twice"),
        (BUNDLED + "164,2027,100\n", "'164' is no municipality number"),
        (BUNDLED + "1644,20x7,100\n", "'20x7' is not a year"),
        (BUNDLED + "1644,2027,-5\n", "'-5' is not a population count"),
        ("nummer,aar,folkemengde\n", "no rows"),
    ],
)
def test_update_is_validated_before_anything_is_replaced(
    catalog: Cli, tmp_path: Path, text: str, message: str
) -> None:
    new = tmp_path / "new.csv"
    new.write_text(text, "utf-8")
    result = catalog("folketall", "--update", str(new))
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "not changed" in result.stderr
    assert not population_data.user_file().exists()


def _spaced_and_quoted(text: str) -> str:
    lines = text.splitlines()
    return (
        "\n".join(
            [", ".join(lines[0].split(","))]
            + ['"' + line.replace(",", '", "') + '"' for line in lines[1:]]
        )
        + "\n"
    )


def test_update_keeps_a_checked_canonical_copy_and_reset_goes_back(
    catalog: Cli, tmp_path: Path
) -> None:
    new = tmp_path / "new.csv"
    # A new year must add up to the country's figure like every other, and
    # name every municipality in use in the bundled file's last year.
    last = max(int(line.split(",")[1]) for line in BUNDLED.splitlines()[1:])
    in_use = [
        line.split(",")[0]
        for line in BUNDLED.splitlines()[1:]
        if line.split(",")[1] == str(last) and line.split(",")[0] not in ("0", "5026")
    ]
    extra = "0,2027,5000000\n5026,2027,2100\n" + "".join(f"{n},2027,1\n" for n in in_use)
    extra += f"9999,2027,{5000000 - 2100 - len(in_use)}\n"
    new.write_text(_spaced_and_quoted(BUNDLED + extra), "utf-8")
    result = catalog("folketall", "--update", str(new))
    assert result.exit_code == 0 and "updated" in result.stderr, result.stderr
    kept = population_data.user_file().read_text("utf-8")
    assert '"' not in kept and ", " not in kept
    assert set(kept.splitlines()) == set(BUNDLED.splitlines()) | set(extra.splitlines())
    population_data.population.cache_clear()
    rows = series(as_json(catalog, "folketall", "holtalen"))
    assert rows[2027]["folketall"] == 2100
    assert catalog("show", "holtalen").exit_code == 0
    reset = catalog("folketall", "--reset")
    assert reset.exit_code == 0 and not population_data.user_file().exists()
    population_data.population.cache_clear()
    assert 2027 not in series(as_json(catalog, "folketall", "holtalen"))


def test_bundled_figures_pass_the_update_checks() -> None:
    bundled = population_data.PopulationData(BUNDLED).rows
    rows = population_data.parse_csv(BUNDLED, bundled)  # what --update demands of any file
    assert rows == population_data.population().rows
    assert population_data.canonical(rows) == BUNDLED


# -- the show line, from entries made here ------------------------------------------------------
def _holtalen_with(*projects: Project) -> Entry:
    place = Place("kommune", "Holtålen", "1644", "Sør-Trøndelag", "Holtålen", "5026", "Trøndelag")
    return Entry("Holtålen", places=[place], projects=list(projects))


def test_show_line_ends_an_unfinished_project_with_the_catalog_year() -> None:
    span = population.summary_line(_holtalen_with(Project("Flytt hit", 2010, None, True, "2010-")))
    assert span is not None and (span.start, span.end) == (2010, 2013)
    today = population.summary_line(
        _holtalen_with(Project("Flytt hit", 2010, None, True, "2010-")), until_today=True
    )
    latest = max(year for number, year in FIGURES if number == "0")
    assert today is not None and (today.start, today.end) == (2010, latest)


def test_show_line_gives_the_rest_of_the_2012_county() -> None:
    finished = population.summary_line(_holtalen_with(Project("Lys", 2008, 2012, False, "2008-12")))
    own = (FIGURES[("1644", 2008)], FIGURES[("1644", 2013)])
    assert finished is not None
    assert (finished.first, finished.last, finished.persons) == (*own, own[1] - own[0])
    rest = [n for n in numbers_2012("Sør-Trøndelag") if n != "1644"]
    versus = percent(figure(rest, 2008), figure(rest, 2013))
    assert population_line(finished) == (
        f"Population 1 Jan. 2008: {own[0]:,} → 1 Jan. 2013: {own[1]:,} "
        f"({own[1] - own[0]:+,}, {percent(*own):+.1f}%); "
        f"the rest of Sør-Trøndelag: {versus:+.1f}% (SSB, 2012 borders)"
    )


def test_show_line_does_not_measure_across_a_merger() -> None:
    """Verran became part of Steinkjer in 2020: 2015 to 2022 is on two borders."""
    verran = Place("kommune", "Verran", "1724", "Nord-Trøndelag", "Steinkjer", "5006", "Trøndelag")
    entry = Entry("Verran", places=[verran], projects=[Project("X", 2015, 2021, False, "2015-21")])
    span = population.summary_line(entry)
    assert span is not None and span.persons is None and span.end_borders == 2020
    assert population_line(span) == (
        "Population 2015–2022: the borders changed during the period (2020); "
        "see tilflytting folketall (SSB)"
    )


def test_show_line_without_figures_or_places() -> None:
    early = population.summary_line(_holtalen_with(Project("Gammel", 1990, 1995, False, "1990-95")))
    assert early is not None and early.persons is None
    assert population_line(early) == "Population: no figures for 1990–1996 (SSB)"
    assert population.summary_line(Entry("Ingen steder", projects=[])) is None


@given(st.data())
@settings(max_examples=50)
def test_figures_read_together_are_the_figures_read_one_by_one(data: st.DataObject) -> None:
    """`show`'s line reads a county's numbers in one pass (prefetch); each
    number's figures are those of the file's rows, as read one by one."""
    text = (ROOT / "data" / "folkemengde_per_nummer.csv").read_text("utf-8")
    rows: dict[str, dict[int, int]] = {}
    for row in csv.DictReader(text.splitlines()):
        rows.setdefault(row["nummer"], {})[int(row["aar"])] = int(row["folkemengde"])
    known = sorted(rows)
    # Numbers of the file, beginnings of them (1644 and 16), and none at all.
    wanted = data.draw(
        st.lists(
            st.sampled_from(known) | st.sampled_from(known).map(lambda n: n[:2]) | st.just("x")
        )
    )
    together = population_data.PopulationData(text)
    together.prefetch(wanted)
    alone = population_data.PopulationData(text)
    for number in wanted:
        assert together.series(number) == alone.series(number) == rows.get(number, {})
