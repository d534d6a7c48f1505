"""`--fylke` of every era and municipality names of every kind, against
expectations worked out here from data/fylker.csv and data/kommuner.csv.

A county of 2012 holds the municipalities that lay in it in 2012, and no
others: `--fylke Hordaland` once brought in Sogndal (Sogn og Fjordane),
because most of Vestland had been Hordaland. A later county holds the 2012
municipalities whose area lay in it, through the mergers that made its
municipalities (Orkdal is in Trøndelag as part of Orkland)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli, catalog_copy

DATA = ROOT / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


KOMMUNER = _rows("kommuner.csv")
FYLKER = _rows("fylker.csv")
OLD_COUNTIES = sorted(f["fylke"] for f in FYLKER if f["valid_to"] and not f["valid_from"])
LATER_COUNTIES = sorted(f["fylke"] for f in FYLKER if f["valid_from"])


def _counties_of(number_2012: str) -> set[str]:
    """Every county the area of a 2012 municipality lay in, 2012-2024: its
    own columns, then those of what it merged into (by name), and so on."""
    rows = [r for r in KOMMUNER if r["nr_2012"] == number_2012]
    found: set[str] = set()
    while rows:
        row = rows.pop()
        found |= {row["fylke_2012"], row["fylke_2020"], row["fylke_2024"]} - {""}
        for target in filter(None, (t.strip() for t in row["merged_into"].split(";"))):
            rows += [r for r in KOMMUNER if r["name"] == target and (r["nr_2020"] or r["nr_2024"])]
    return found


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return catalog_copy(bundled_db, tmp_path_factory, "eras")


@pytest.fixture(scope="module")
def entries(catalog: Cli) -> list[dict[str, object]]:
    result = catalog("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def _slugs(cli: Cli, *args: str) -> set[str]:
    result = cli("list", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {e["slug"] for e in json.loads(result.stdout)}


def _expected(entries: list[dict[str, object]], county: str) -> set[str]:
    """Entries with a municipality whose area lay in `county` in any era,
    or that name the county itself with no municipality in it."""
    chosen = set()
    for entry in entries:
        places = entry["kommuner"]
        counties = entry["fylker_2012"] or []
        assert isinstance(places, list) and isinstance(counties, list)
        numbers = [p["nummer_2012"] for p in places if p.get("nummer_2012")]
        in_it = any(county in _counties_of(n) for n in numbers)
        if in_it or (not numbers and county in counties):
            chosen.add(str(entry["slug"]))
    return chosen


def test_the_reference_has_counties_of_both_kinds() -> None:
    assert "Hordaland" in OLD_COUNTIES and "Sør-Trøndelag" in OLD_COUNTIES
    assert "Trøndelag" in LATER_COUNTIES and "Viken" in LATER_COUNTIES


@pytest.mark.parametrize("county", OLD_COUNTIES)
def test_a_2012_county_holds_its_own_municipalities_only(
    catalog: Cli, entries: list[dict[str, object]], county: str
) -> None:
    assert _slugs(catalog, "--fylke", county) == _expected(entries, county)


def test_hordaland_is_not_sogn_og_fjordane(catalog: Cli) -> None:
    hordaland = _slugs(catalog, "--fylke", "Hordaland")
    sogn = _slugs(catalog, "--fylke", "Sogn og Fjordane")
    assert hordaland and sogn and not hordaland & sogn
    assert _slugs(catalog, "--fylke", "12") == hordaland  # by its number
    assert _slugs(catalog, "--fylke", "Vestland") >= hordaland | sogn


@pytest.mark.parametrize("county", ["Trøndelag", "Viken", "Troms og Finnmark", "Vestland"])
def test_a_later_county_holds_the_2012_municipalities_that_merged_into_it(
    catalog: Cli, entries: list[dict[str, object]], county: str
) -> None:
    expected = _expected(entries, county)
    assert _slugs(catalog, "--fylke", county) >= expected
    if county == "Trøndelag":
        # Orkdal (1638) lay in Trøndelag only as part of Orkland (5059).
        assert "Trøndelag" in _counties_of("1638")
        assert "tilflyttingstiltak-i-orkdal" in expected


def _entries_with(entries: list[dict[str, object]], number_2012: str) -> set[str]:
    return {
        str(e["slug"])
        for e in entries
        if any(p.get("nummer_2012") == number_2012 for p in e["kommuner"])  # type: ignore[attr-defined]
    }


def test_names_a_municipality_had_or_has_in_other_languages(
    catalog: Cli, entries: list[dict[str, object]]
) -> None:
    nes = next(r for r in KOMMUNER if r["nr_2012"] == "0616")
    assert nes["name"] == "Nesbyen"  # named Nes in 2012 (SOURCES.md)
    in_nes = _entries_with(entries, "0616")
    assert in_nes
    for typed in ("Nes (Buskerud)", "Nes i Buskerud", "Nesbyen", "0616"):
        assert _slugs(catalog, "--kommune", typed) == in_nes, typed
    assert _slugs(catalog, "--kommune", "Nes (Akershus)") == _entries_with(entries, "0236")
    kafjord = next(r for r in KOMMUNER if r["name"] == "Kåfjord")
    sami = kafjord["parallel_name"].split(" - ")[0]
    assert sami == "Gáivuotna"
    for typed in (sami, "Gaivuotna", "gaivuotna"):
        assert _slugs(catalog, "--kommune", typed) == _entries_with(entries, kafjord["nr_2012"])


def test_a_namesake_qualified_by_a_later_county(
    catalog: Cli, entries: list[dict[str, object]]
) -> None:
    verran = next(r for r in KOMMUNER if r["name"] == "Verran")
    assert verran["fylke_2012"] == "Nord-Trøndelag" and verran["merged_into"] == "Steinkjer"
    expected = _entries_with(entries, verran["nr_2012"])
    assert expected
    assert _slugs(catalog, "--kommune", "Verran (Trøndelag)") == expected
    assert _slugs(catalog, "--kommune", "Verran (Nord-Trøndelag)") == expected
    result = catalog("list", "--kommune", "Verran (Nordland)")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
