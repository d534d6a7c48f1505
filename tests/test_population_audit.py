"""The population audit: comparison groups of county-wide entries, the same
span in `show`, `summarise` and `folketall`, true notes, signs and numbers,
the report's lists as tables, its grammar and order, and `--update`'s
checks. Expected figures come from the reference files
(../shared/reference), never from our own output."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from tests.conftest import ROOT, Cli, catalog_copy
from tests.test_population import as_json, own_data_folder  # noqa: F401  (autouse: a temporary data folder)
from tilflytting.core.collate import sort_key
from tilflytting.query.population import TOO_FEW, Area, Named, comparison_group
from tilflytting.reference import population as population_data
from tilflytting.reference.places import reference

SHARED = ROOT.parent / "shared" / "reference"
REFERENCE = SHARED if (SHARED / "folkemengde_per_nummer.csv").exists() else ROOT / "data"


def _read(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FIGURES = {(r["nummer"], int(r["aar"])): int(r["folkemengde"]) for r in _read(
    "folkemengde_per_nummer.csv")}  # fmt: skip
KOMMUNER = _read("kommuner.csv")


def numbers_2012(county: str) -> list[str]:
    return [k["nr_2012"] for k in KOMMUNER if k["fylke_2012"] == county and k["nr_2012"]]


def percent(before: int, after: int) -> float:
    return round(100 * (after - before) / before, 2)


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    yield catalog_copy(bundled_db, tmp_path_factory, "audit")


# -- 1. comparison groups -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("slug", "county"),
    [("smakommuneprosjektet", "Sør-Trøndelag"), ("tilflyttingsprosjektet-i-nordland", "Nordland")],
)
def test_a_whole_county_has_no_comparison_group(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch, slug: str, county: str
) -> None:
    data = as_json(catalog, "folketall", slug, "--sammenlign")
    group = data["sammenligning"]
    start = group["fra"]
    # The area is the whole county, larger than any municipality of it.
    whole = sum(FIGURES[(n, start)] for n in numbers_2012(county))
    assert group["folketall"] == whole
    assert group["omfang"] == "helt_fylke" and group["antall"] == 0
    assert group["median_prosent"] is None and group["differanse_prosentpoeng"] is None
    assert all(row["gruppe_indeks"] is None for row in data["serie"])
    table = catalog("folketall", slug, "--sammenlign").stdout
    assert "No comparison group" in table and "whole county" in table
    assert "median" not in table.split("1 Jan.")[0]
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    norsk = catalog("folketall", slug).stdout
    assert "Ingen sammenligningsgruppe" in norsk and "bare 0" not in norsk
    markdown = catalog("folketall", slug, "-f", "markdown").stdout
    assert "Ingen sammenligningsgruppe" in markdown


def test_fewer_than_five_anywhere_is_no_group() -> None:
    """An area of all Nordland's 2012 municipalities, not flagged as a county:
    the municipalities of its size in Norway (counted here) are fewer than
    five, so there is no median to give."""
    start = 2012
    county = numbers_2012("Nordland")
    base = sum(FIGURES[(n, start)] for n in county)
    similar = [
        k["nr_2012"]
        for k in KOMMUNER
        if k["nr_2012"]
        and k["nr_2012"] not in county
        and base / 2 <= FIGURES.get((k["nr_2012"], start), 0) <= base * 2
    ]
    assert 0 < len(similar) < 5
    ref = reference()
    kommuner = tuple(ref.by_2012_number[n] for n in county)
    area = Area("Nordland", kommuner, ("Nordland",), [], False)
    group = comparison_group(
        area, population_data.population(), (start, 2016), cast(Named, lambda found: set())
    )
    assert group is not None
    assert group.scope == TOO_FEW and group.members == [] and group.median is None


def test_rapport_headline_leaves_out_entries_without_a_group(catalog: Cli) -> None:
    text = catalog("rapport", "--format", "markdown").stdout
    groups = [
        g
        for slug in ("smakommuneprosjektet", "tilflyttingsprosjektet-i-nordland")
        for g in [as_json(catalog, "folketall", slug)["sammenligning"]]
    ]
    assert all(g["median_prosent"] is None for g in groups)
    found = re.search(r"Of the (\d+) entries with a comparison group", text)
    assert found is not None
    summary = as_json(catalog, "summarise", "--folketall")["folketall"]
    assert int(found[1]) <= summary["med_tall"] - 2


# -- 3. the same span everywhere ---------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "number", "start"),
    # Dyrøy: 1998–2003 (before the figures), then 2006–; Orkdal: 2004–2010
    # (begun before them), then 2007–. Both end with the catalog's year.
    [("dyrøy", "1926", 2006), ("orkdal", "1638", 2007)],
)
def test_show_summarise_and_folketall_measure_the_same_years(
    catalog: Cli, name: str, number: str, start: int
) -> None:
    expected = percent(FIGURES[(number, start)], FIGURES[(number, 2013)])
    shown = catalog("show", name).stdout
    line = shown[shown.index("Population 1 Jan.") :].split("(SSB")[0]
    assert f"1 Jan. {start}: {FIGURES[(number, start)]:,}" in line.replace("\n", " ")
    assert f"{expected:+.1f}%" in line
    growth = as_json(catalog, "summarise", "--folketall", "--kommune", name)["folketall"]
    (entry,) = growth["oppforinger"]
    assert (entry["fra"], entry["til"], entry["endring_prosent"]) == (start, 2013, expected)
    data = as_json(catalog, "folketall", name)
    assert data["indeksar"] == start
    assert data["sammenligning"]["fra"] == start


# -- 4. notes true to what is shown ---------------------------------------------------------
def test_the_reference_note_says_its_index_stops(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "orkdal")
    rows = {row["ar"]: row for row in data["serie"]}
    # Trøndelag was formed in 2018: the rest of Sør-Trøndelag is on later borders.
    assert rows[2017]["referanse_indeks"] is not None and rows[2018]["referanse_indeks"] is None
    note = next(n for n in data["merknader"] if n.startswith("The reference"))
    assert "until 2017" in note and "no index" in note


def test_one_note_per_merger(catalog: Cli) -> None:
    data = as_json(catalog, "folketall", "flytt-til-hardanger")
    notes = data["omrade"]["merknader"]
    # 2020: Jondal, Odda and Ullensvang became Ullensvang; Granvin went to Voss.
    assert len(notes) == 2
    assert sum("Ullensvang" in n for n in notes) == 1
    ullensvang = next(n for n in notes if "Ullensvang" in n)
    assert "Jondal" in ullensvang and "Odda" in ullensvang


# -- 6. signs and numbers -------------------------------------------------------------------
def test_changes_have_signs_and_numbers_their_spaces(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    monkeypatch.setenv("COLUMNS", "100")
    text = catalog("folketall", "holtalen", "--referanse", "distrikt").stdout
    base = FIGURES[("1644", 2005)]
    low, high = f"{round(base / 2):,}".replace(",", " "), f"{round(base * 2):,}".replace(",", " ")
    assert f"kommuner med {low}–{high} innbyggere" in text
    assert not re.search(r"\d{4}–\d{4} innbyggere", text)
    lys = next(line for line in text.splitlines() if line.startswith("Lys i alle"))
    change = percent(FIGURES[("1644", 2008)], FIGURES[("1644", 2013)])
    assert f"{change:+.2f} %".replace(".", ",") in lys
    csv_text = catalog("folketall", "holtalen", "-f", "csv").stdout
    assert f",{change}," in csv_text  # the machine format keeps the plain number


# -- 2, 5, 7: the report --------------------------------------------------------------------
def test_report_lists_counts_and_shares_as_tables(catalog: Cli) -> None:
    text = catalog("rapport", "--kommune", "holtalen", "--format", "markdown").stdout
    summary = as_json(catalog, "summarise", "--kommune", "holtalen")
    part = text.split("## 2.")[1].split("## 3.")[0]
    for liste, terms in summary["lister"].items():
        for term in terms:
            if term["oppforinger"]:
                label = term["etikett"].replace("(", r"\(").replace(")", r"\)")
                share = f"{100 * term['andel']:.1f}%"
                assert f"| {label} | {term['oppforinger']} | {share} |" in part, (liste, term)
        free = summary["fritekst"][liste]["oppforinger"]
        assert f"| \\(free text\\) | {free} |" in part


def test_report_grammar_with_one(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    text = catalog("rapport", "--kommune", "holtalen", "--format", "markdown").stdout
    assert "1 entry names 1 municipality" in text
    assert "1 entry has figures for its project years" in text
    assert "1 entry have" not in text and "municipality as they were" not in text
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    norsk = catalog("rapport", "--kommune", "holtalen", "--format", "markdown").stdout
    assert "alle 1 oppføringene" not in norsk and "1 kommune slik de var" not in norsk
    assert "1 oppføring har tall" in norsk


def test_report_orders_by_title(catalog: Cli, tmp_path: Path) -> None:
    result = catalog("rapport", "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.stderr
    with (tmp_path / "r" / "tabeller" / "folketall_oppforinger.csv").open(encoding="utf-8") as f:
        titles = [row["tittel"] for row in csv.DictReader(f)]
    assert titles == sorted(titles, key=sort_key)
    assert titles[-1].startswith("Økt")
    html = (tmp_path / "r" / "rapport.html").read_text("utf-8")
    assert "`" not in html.split("<main>")[1]


# -- 8. --update ------------------------------------------------------------------------
def test_update_with_a_folder_is_one_clear_line(catalog: Cli, tmp_path: Path) -> None:
    result = catalog("folketall", "--update", str(tmp_path))
    assert result.exit_code == 1
    assert "Errno" not in result.stderr and "a folder, not a file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_update_refuses_a_new_year_of_one_municipality(catalog: Cli, tmp_path: Path) -> None:
    bundled = population_data.bundled_file().read_text("utf-8")
    last = max(y for n, y in FIGURES if n == "0")
    one = next(n for (n, y) in FIGURES if y == last and n != "0")
    count = FIGURES[(one, last)]
    bad = tmp_path / "bad.csv"
    bad.write_text(bundled + f"0,{last + 1},{count}\n{one},{last + 1},{count}\n", "utf-8")
    result = catalog("folketall", "--update", str(bad))
    assert result.exit_code == 1, result.stdout
    assert f"{last + 1}: figures are missing" in result.stderr
    assert not population_data.user_file().exists()
    rows = [line for line in bundled.splitlines()[1:] if line.split(",")[1] == str(last)]
    good = tmp_path / "good.csv"
    good.write_text(
        bundled + "".join(line.replace(f",{last},", f",{last + 1},") + "\n" for line in rows),
        "utf-8",
    )
    assert catalog("folketall", "--update", str(good)).exit_code == 0


def test_update_and_reset_together_is_a_usage_error(catalog: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "same.csv"
    copy.write_text(population_data.bundled_file().read_text("utf-8"), "utf-8")
    result = catalog("folketall", "--update", str(copy), "--reset")
    assert result.exit_code == 2 and "--reset" in result.stderr
    assert not population_data.user_file().exists()  # nothing was done


def test_update_with_an_entry_updates_then_shows_it(catalog: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "same.csv"
    copy.write_text(population_data.bundled_file().read_text("utf-8"), "utf-8")
    result = catalog("folketall", "--update", str(copy), "holtalen", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "updated" in result.stderr
    shown = json.loads(result.stdout)
    rows = {row["ar"]: row["folketall"] for row in shown["serie"]}
    assert rows[2005] == FIGURES[("1644", 2005)]  # Holtålen's own figure, from the reference
