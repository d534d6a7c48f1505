"""`folketall`: population around entries, from SSB table 07459."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, ROOT, Cli
from tilflytting.core.model import Entry, Place, Project
from tilflytting.query import population
from tilflytting.reference import population as population_data
from tilflytting.report.console import population_line


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = Cli(tmp_path_factory.mktemp("folketall") / "catalog.db")
    assert cli("import", str(CATALOG)).exit_code == 0
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


def test_holtalen_around_lys_i_alle_grender(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "holtalen")
    assert data["omrade"]["kommunenummer"] == ["5026"]
    assert data["referanse"] == {"type": "fylke", "navn": "the rest of Trøndelag", "kommuner": 34}
    lys = next(p for p in data["perioder"] if p["prosjekt"] == "Lys i alle grender")
    assert lys["prosjektperiode"] == "2008–2012"
    assert lys["under"] == {"fra": 2008, "til": 2013, "personer": -39, "prosent": -1.88}
    assert lys["referanse"]["prosent"] == 6.09 and lys["differanse_prosentpoeng"] == -7.97
    assert lys["foer"]["personer"] is None  # 2003 is before the figures begin
    series = {row["ar"]: row for row in data["serie"]}
    assert (series[2008]["folketall"], series[2013]["folketall"]) == (2069, 2030)
    assert series[2005]["indeks"] == 100.0 and series[2013]["indeks"] == 95.2
    assert "SSB" in data["kilde"] and "07459" in data["kilde"]
    assert any("no proof" in note for note in data["merknader"])


def test_regional_entry_sums_its_municipalities(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "levvesteralen")
    assert sorted(data["omrade"]["kommunenummer"]) == [
        "1851",
        "1866",
        "1867",
        "1868",
        "1870",
        "1871",
    ]
    series = {row["ar"]: row["folketall"] for row in data["serie"]}
    assert (series[2005], series[2026]) == (32818, 32833)
    county_only = as_json(catalog, "folketall", "tilflyttingsprosjektet-i-nordland")
    assert len(county_only["omrade"]["kommunenummer"]) == 41
    assert county_only["referanse"]["navn"] == "the rest of the country"


def test_open_ended_project_runs_to_the_latest_figures(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "dyroy")
    team = next(p for p in data["perioder"] if p["prosjekt"] == "Rekrutteringsteam")
    assert team["prosjektperiode"] == "2007–"
    assert team["under"] == {"fra": 2007, "til": 2026, "personer": -188, "prosent": -14.86}


def test_missing_years_stay_missing(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "bli-med-heimatt-til-nordmore")
    series = {row["ar"]: row["folketall"] for row in data["serie"]}
    assert series[2019] is None and series[2020] == 13886  # Heim has no figures before 2020
    assert "No figures for 2005–2019: shown as empty, not filled in." in data["merknader"]
    merged = as_json(catalog, "folketall", "leksvik")["omrade"]["merknader"]
    assert merged == ["Indre Fosen 5054: the figures before 2018 are the sum of Leksvik, Rissa."]


def test_references(catalog: Cli) -> None:
    country = as_json(catalog, "folketall", "holtalen", "--referanse", "landet")
    assert country["referanse"]["navn"] == "the rest of the country"
    similar = as_json(catalog, "folketall", "holtalen", "--referanse", "distrikt")
    assert similar["referanse"]["navn"] == "municipalities with 1066–4264 inhabitants in 2005"
    assert 50 < similar["referanse"]["kommuner"] < 150
    assert catalog("folketall", "holtalen", "--referanse", "verden").exit_code == 2


def test_table_view_and_show_line(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    table = catalog("folketall", "holtalen").stdout
    assert (
        "Lys i alle grender" in table and "█" in table and "Statistikkbanken tabell 07459" in table
    )
    shown = catalog("show", "holtalen").stdout
    assert "Folketall 1.1.2005: 2 132 → 1.1.2013: 2 030 (-102, -4,8 %) (SSB)" in shown
    assert "resten av Trøndelag (34 kommuner)" in table  # the JSON's English, shown in Norwegian
    markdown = catalog("folketall", "holtalen", "--format", "markdown").stdout
    assert "07459" in markdown and "| Prosjekt |" in markdown


def test_summarise_folketall(catalog: Cli) -> None:
    growth = as_json(catalog, "summarise", "--folketall")["folketall"]
    assert growth["med_tall"] + growth["uten_tall"] == 43
    assert growth["vekst"] + growth["nedgang"] == growth["med_tall"]
    holtalen = next(
        g for g in growth["oppforinger"] if g["slug"] == "tilflyttingstiltak-i-holtalen"
    )
    assert (holtalen["fra"], holtalen["til"], holtalen["endring_prosent"]) == (2005, 2013, -4.78)


GOOD = (ROOT / "data" / "folkemengde.csv").read_text("utf-8")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kommune,aar,folkemengde,grenser\n", "the columns must be"),
        (GOOD + "5026,2026,2037,2024\n", "5026 2026 appears twice"),
        (GOOD + "9999,2027,100,2024\n", "'9999' is no municipality number of 2024"),
        (GOOD + "5026,20x7,100,2024\n", "'20x7' is not a year"),
        (GOOD + "5026,2027,-5,2024\n", "'-5' is not a population count"),
        (GOOD + "5026,2027,5,2020\n", "borders must be 2024"),
        ("kommunenummer,aar,folkemengde,grenser\n", "no rows"),
    ],
)
def test_update_is_validated_before_anything_is_replaced(
    catalog: Cli, tmp_path: Path, text: str, message: str
) -> None:
    new = tmp_path / "new.csv"
    new.write_text(text, "utf-8")
    result = catalog("folketall", "--update", str(new))
    assert result.exit_code == 1 and message in result.stderr
    assert "not changed" in result.stderr
    assert not population_data.user_file().exists()


def test_update_replaces_the_figures(catalog: Cli, tmp_path: Path) -> None:
    new = tmp_path / "new.csv"
    new.write_text(GOOD + "5026,2027,2100,2024\n", "utf-8")
    result = catalog("folketall", "--update", str(new))
    assert result.exit_code == 0 and "updated" in result.stderr
    population_data.population.cache_clear()
    series = {r["ar"]: r["folketall"] for r in as_json(catalog, "folketall", "holtalen")["serie"]}
    assert series[2027] == 2100


def test_bundled_figures_pass_the_update_checks() -> None:
    rows = population_data.parse_csv(GOOD)  # what --update demands of any file
    assert rows == population_data.population().rows


def _holtalen_with(*projects: Project) -> Entry:
    place = Place("kommune", "Holtålen", "1644", "Sør-Trøndelag", "Holtålen", "5026", "Trøndelag")
    return Entry("Holtålen", places=[place], projects=list(projects))


def test_show_line_runs_an_unfinished_project_to_the_latest_figures() -> None:
    latest = population_data.population().years[-1]
    span = population.summary_line(_holtalen_with(Project("Flytt hit", 2010, None, True, "2010-")))
    assert span is not None and (span.start, span.end) == (2010, latest)
    finished = population.summary_line(_holtalen_with(Project("Lys", 2008, 2012, False, "2008-12")))
    assert finished is not None
    assert (finished.first, finished.last, finished.persons) == (2069, 2030, -39)
    assert population_line(finished) == (
        "Population 1 Jan. 2008: 2,069 → 1 Jan. 2013: 2,030 (-39, -1.9%) (SSB)"
    )


def test_show_line_without_figures_or_places() -> None:
    early = population.summary_line(_holtalen_with(Project("Gammel", 1990, 1995, False, "1990-95")))
    assert early is not None and early.persons is None
    assert population_line(early) == "Population: no figures for 1990–1996 (SSB)"
    assert population.summary_line(Entry("Ingen steder", projects=[])) is None
