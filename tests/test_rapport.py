"""`rapport` (issue 21): the report of the catalog or a filtered part of it,
its files, its numbers (the same as `summarise`, `timeline` and `folketall`
give), its figures in a real browser, without matplotlib, and the
comparison group that `folketall` shows too.

Expected population figures are read by the tests from the reference file
(../shared/reference/folkemengde_per_nummer.csv, or the bundled copy in
data/ where ../shared is absent), never from our own output."""

from __future__ import annotations

import csv
import json
import re
import statistics
import sys
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PAGES, ROOT, Cli, copy_db
from tests.test_export import HOSTILE_TITLE, browser  # noqa: F401  (the browser fixture)
from tilflytting.core.collate import sort_key

SHARED = ROOT.parent / "shared" / "reference"
REFERENCE = SHARED if (SHARED / "folkemengde_per_nummer.csv").exists() else ROOT / "data"


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """The bundled catalog and one page with a hostile title (and a hostile
    project name) whose projects have years, so that it has figures."""
    folder = tmp_path_factory.mktemp("rapport")
    cli = Cli(copy_db(bundled_db, folder / "catalog.db"))
    page = (PAGES / "bokmal-complete.txt").read_text("utf-8")
    page = page.replace("Tilflyttingsarbeid i Tynset", HOSTILE_TITLE, 1)
    page = page.replace("Boligløftet", "<img src=x onerror=alert(2)>")
    (folder / "hostile.txt").write_text(page, "utf-8")
    assert cli("import", str(folder / "hostile.txt")).exit_code == 0
    yield cli


def written(cli: Cli, folder: Path, *args: str) -> Path:
    result = cli("rapport", *args, "--out", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return folder


@pytest.fixture(scope="module")
def whole(catalog: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return written(catalog, tmp_path_factory.mktemp("whole"))


@pytest.fixture(scope="module")
def nordland(catalog: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return written(catalog, tmp_path_factory.mktemp("nordland"), "--fylke", "Nordland")


def as_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def value(text: str) -> float | None:
    return None if text == "" else float(text)


# -- the files ----------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("chosen", [[], ["--fylke", "Nordland"]], ids=["catalog", "nordland"])
def test_every_file_is_written_and_linked(
    catalog: Cli, whole: Path, nordland: Path, chosen: list[str]
) -> None:
    folder = nordland if chosen else whole
    markdown = (folder / "rapport.md").read_text("utf-8")
    html = (folder / "rapport.html").read_text("utf-8")
    growth = as_json(catalog, "summarise", "--folketall", *chosen)["folketall"]
    # The timeline, the four lists, the differences from the groups, one per entry with figures.
    svgs = sorted((folder / "figurer").glob("*.svg"))
    assert len(svgs) == 6 + growth["med_tall"]
    linked = re.findall(r"\]\((figurer/[\w-]+\.svg)\)", markdown)
    assert sorted(linked) == sorted(f"figurer/{p.name}" for p in svgs)
    for path in svgs:
        root = ElementTree.parse(path).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    tables = re.findall(r"\]\((tabeller/[\w-]+\.csv)\)", markdown)
    assert tables and all((folder / t).is_file() for t in tables)
    assert sorted(set(tables)) == sorted(f"tabeller/{p.name}" for p in folder.glob("tabeller/*"))
    for slug in (e["slug"] for e in growth["oppforinger"]):
        assert (folder / "tabeller" / f"folketall_{slug}.csv").is_file()
    # Self-contained: every figure inside the file, no script, nothing fetched.
    assert html.count('<img src="data:image/svg+xml;base64,') == len(svgs)
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


def test_report_says_what_it_covers(whole: Path, nordland: Path) -> None:
    text = (nordland / "rapport.md").read_text("utf-8")
    assert "Selection: --fylke Nordland." in text
    assert "Selection: the whole catalog." in (whole / "rapport.md").read_text("utf-8")
    for heading in (
        "## 1. The selection",
        "## 2. What they do",
        "## 3. Population",
        "## 4. Method, limits and sources",
    ):
        assert heading in text
    assert "not a census of all in-migration work" in text
    assert "may have had initiatives of their own" in text
    assert "None of this shows cause" in text
    assert "StatBank table 07459" in text and "NLOD 2.0" in text
    assert "Katalog over tilflyttingsarbeid i distriktene" in text


def test_hostile_text_is_text(whole: Path) -> None:
    markdown = (whole / "rapport.md").read_text("utf-8")
    html = (whole / "rapport.html").read_text("utf-8")
    assert "<script>" not in markdown and "\\<script\\>alert\\(1\\)\\</script\\>" in markdown
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&amp;lt;" not in html and "&amp;#x27;" not in html  # escaped once, not twice
    slug = "flytt-script-alert-1-script-hit"
    svg = (whole / "figurer" / f"folketall_{slug}.svg").read_text("utf-8")
    assert "<script" not in svg and "&lt;script&gt;" in svg


@pytest.mark.slow
def test_the_report_in_a_real_browser(browser: Any, whole: Path) -> None:  # noqa: F811
    browser.get((whole / "rapport.html").as_uri())
    images = browser.find_elements("css selector", "figure img")
    assert len(images) == len(list((whole / "figurer").glob("*.svg")))
    for image in images:
        assert browser.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", image
        ), image.get_attribute("alt")
    titles = [h.text for h in browser.find_elements("tag name", "h3")]
    assert HOSTILE_TITLE in titles
    assert browser.execute_script("return document.querySelectorAll('script').length") == 0
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


@pytest.mark.slow
def test_the_same_files_every_time(catalog: Cli, whole: Path, tmp_path: Path) -> None:
    again = written(catalog, tmp_path / "again")
    first = {p.relative_to(whole): p.read_bytes() for p in whole.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second
    svg = (whole / "figurer" / "tidslinje.svg").read_text("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


# -- the numbers are the other commands' ------------------------------------------------------
@pytest.mark.parametrize("chosen", [[], ["--fylke", "Nordland"]], ids=["catalog", "nordland"])
def test_tables_equal_the_commands_json(
    catalog: Cli, whole: Path, nordland: Path, chosen: list[str]
) -> None:
    folder = nordland if chosen else whole
    tables = folder / "tabeller"
    summary = as_json(catalog, "summarise", "--folketall", "--by", "fylke2012", *chosen)
    counts = {row["mal"]: int(row["antall"]) for row in rows(tables / "utvalget.csv")}
    for key in ("oppforinger", "kommuner", "fylker_2012", "fylker_2024"):
        assert counts[key] == summary[key], key
    for liste, terms in summary["lister"].items():
        found = rows(tables / f"{liste}.csv")
        assert [(r["term"], int(r["oppforinger"]), float(r["andel"])) for r in found[:-1]] == [
            (t["term"], t["oppforinger"], t["andel"]) for t in terms
        ]
        assert int(found[-1]["oppforinger"]) == summary["fritekst"][liste]["oppforinger"]
        crossed = {r["term"]: r for r in rows(tables / f"fylker_{liste}.csv")}
        for row in summary["kryss"][liste]:
            for county, group in row["grupper"].items():
                assert int(crossed[row["term"]][county]) == group["antall"]
                assert float(crossed[row["term"]][f"{county}_andel"]) == group["andel"]
    timeline = as_json(catalog, "timeline", *chosen)
    # The report orders entries by title, the Norwegian way (the timeline by slug).
    by_title = sorted(timeline["oppforinger"], key=lambda e: (sort_key(e["tittel"]), e["slug"]))
    assert [(r["slug"], r["prosjekt"]) for r in rows(tables / "tidslinje.csv")] == [
        (e["slug"], p["navn"]) for e in by_title for p in e["prosjekter"]
    ]
    population = {r["slug"]: r for r in rows(tables / "folketall_oppforinger.csv")}
    assert set(population) == {e["slug"] for e in summary["folketall"]["oppforinger"]}
    for entry in summary["folketall"]["oppforinger"]:
        row = population[entry["slug"]]
        for key in ("endring_prosent", "referanse_prosent", "differanse_prosentpoeng"):
            assert value(row[key]) == entry[key], (entry["slug"], key)
        assert (int(row["fra"]), int(row["til"])) == (entry["fra"], entry["til"])
        alone = as_json(catalog, "folketall", entry["slug"])
        group = alone["sammenligning"]
        assert (group["fra"], group["til"]) == (entry["fra"], entry["til"])
        assert value(row["gruppe_antall"]) == (group["antall"] or None)
        assert value(row["gruppe_median_prosent"]) == group["median_prosent"]
        assert value(row["differanse_gruppe_prosentpoeng"]) == group["differanse_prosentpoeng"]
        assert value(row["gruppe_nedre_kvartil_prosent"]) == group["nedre_kvartil_prosent"]
        series = rows(tables / f"folketall_{entry['slug']}.csv")
        assert [
            (
                int(r["ar"]),
                value(r["indeks"]),
                value(r["referanse_indeks"]),
                value(r["gruppe_indeks"]),
            )
            for r in series
        ] == [
            (p["ar"], p["indeks"], p["referanse_indeks"], p["gruppe_indeks"])
            for p in alone["serie"]
        ]


# -- other ways to ask ------------------------------------------------------------------------
def test_markdown_to_stdout(catalog: Cli) -> None:
    result = catalog("rapport", "--fylke", "Nordland", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# In-migration work in rural Norway: a report\n")
    assert "## 3. Population" in result.stdout and "figurer/" not in result.stdout
    assert "written with --out DIR" in result.stdout


def test_nothing_to_write_to_is_a_usage_error(catalog: Cli) -> None:
    result = catalog("rapport")
    assert result.exit_code == 2 and "--out" in result.stderr
    assert catalog("rapport", "--fylke", "Atlantis", "-f", "markdown").exit_code == 2


def test_an_empty_selection_is_a_report_of_nothing(catalog: Cli, tmp_path: Path) -> None:
    result = catalog(
        "rapport", "--målgruppe", "hyttefolk", "--fylke", "Nordland", "--out", str(tmp_path)
    )
    assert result.exit_code == 0, result.stderr
    assert "no entries match" in result.stderr
    assert "| entries | 0 |" in (tmp_path / "rapport.md").read_text("utf-8")


def test_norwegian_by_default(
    catalog: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    result = catalog("rapport", "--kommune", "Holtålen", "--out", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / "rapport.md").read_text("utf-8")
    assert "## 1. Utvalget" in text and "## 4. Metode, begrensninger og kilder" in text
    # Numbers the Norwegian way: a space between thousands, a decimal comma.
    assert "1 066–4 264 innbyggere 1.1.2005" in text and "median +0,8 %" in text
    html = (tmp_path / "rapport.html").read_text("utf-8")
    assert '<html lang="nb">' in html and "Sammenligningsgruppe" in html


def test_without_matplotlib(catalog: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The extra missing: the report is written without figures and says how
    to get them, in the report and on stderr."""
    from tilflytting.report import figures

    figures._pyplot.cache_clear()
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` fails
    try:
        result = catalog("rapport", "--fylke", "Nordland", "--out", str(tmp_path))
    finally:
        figures._pyplot.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert 'pip install "tilflytting[rapport]"' in result.stderr
    text = (tmp_path / "rapport.md").read_text("utf-8")
    assert 'they need matplotlib (pip install "tilflytting\\[rapport\\]")' in text
    assert not (tmp_path / "figurer").exists() and "![" not in text
    assert (tmp_path / "tabeller" / "folketall_oppforinger.csv").is_file()
    assert "<img" not in (tmp_path / "rapport.html").read_text("utf-8")


def test_other_commands_do_not_import_matplotlib(catalog: Cli) -> None:
    """Only `rapport` loads the plotting library: `folketall` (which makes the
    comparison group too) and `summarise` start as fast as before."""
    import subprocess

    code = (
        "import sys; from typer.testing import CliRunner; from tilflytting.cli import app; "
        f"db = {str(catalog.db)!r}; "
        "r = CliRunner().invoke(app, ['folketall', 'holtalen', '--sammenlign', '--db', db]); "
        "s = CliRunner().invoke(app, ['summarise', '--folketall', '--db', db]); "
        "print(r.exit_code, s.exit_code, 'matplotlib' in sys.modules, "
        "'tilflytting.report.figures' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.split() == ["0", "0", "False", "False"]


# -- the comparison group ----------------------------------------------------------------------
def _reference(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Holtålen (1644), 2005–2012: its projects ran 2005–2009, 2005–2006 and
# 2008–2012, so the group is measured from 1 January 2005 to 1 January 2013.
# The members, worked out by hand from the reference files: the 2012
# municipalities of Sør-Trøndelag with 1066–4264 inhabitants on 1 January
# 2005, less those the catalog names (Rennebu and Osen have entries).
HOLTALEN_GROUP = {
    "1617": "Hitra",
    "1620": "Frøya",
    "1622": "Agdenes",
    "1630": "Åfjord",
    "1632": "Roan",
    "1636": "Meldal",
    "1664": "Selbu",
}


def test_holtalen_comparison_group_is_pinned(catalog: Cli) -> None:
    figures = {
        (r["nummer"], int(r["aar"])): int(r["folkemengde"])
        for r in _reference("folkemengde_per_nummer.csv")
    }
    county = [
        k["nr_2012"] for k in _reference("kommuner.csv") if k["fylke_2012"] == "Sør-Trøndelag"
    ]
    holtalen = (figures[("1644", 2005)], figures[("1644", 2013)])
    low, high = holtalen[0] / 2, holtalen[0] * 2
    in_range = {n for n in county if n != "1644" and low <= figures.get((n, 2005), 0) <= high}
    named = {
        k["nummer_2012"]
        for e in as_json(catalog, "list")
        for k in e["kommuner"]
        if k["nummer_2012"]
    }
    assert in_range - named == set(HOLTALEN_GROUP)
    assert {"1635", "1633"} & in_range <= named  # Rennebu (and Osen, if in range) have entries

    data = as_json(catalog, "folketall", "holtalen", "--sammenlign")
    group = data["sammenligning"]
    changes = {
        n: round(100 * (figures[(n, 2013)] - figures[(n, 2005)]) / figures[(n, 2005)], 2)
        for n in HOLTALEN_GROUP
    }
    assert {m["nummer_2012"]: m["navn"] for m in group["medlemmer"]} == HOLTALEN_GROUP
    assert {m["nummer_2012"]: m["prosent"] for m in group["medlemmer"]} == changes
    assert {
        m["nummer_2012"]: (m["folketall_fra"], m["folketall_til"]) for m in group["medlemmer"]
    } == {n: (figures[(n, 2005)], figures[(n, 2013)]) for n in HOLTALEN_GROUP}
    ordered = sorted(changes.values())
    quartiles = statistics.quantiles(ordered, n=4, method="inclusive")
    own = round(100 * (holtalen[1] - holtalen[0]) / holtalen[0], 2)
    assert group == {
        **group,
        "omfang": "fylke",
        "fylker_2012": ["Sør-Trøndelag"],
        "faktor": 2.0,
        "fra": 2005,
        "til": 2013,
        "folketall": holtalen[0],
        "minst": round(low),
        "hoyst": round(high),
        "antall": 7,
        "i_fylket": 7,
        "median_prosent": round(statistics.median(ordered), 2),
        "nedre_kvartil_prosent": round(quartiles[0], 2),
        "ovre_kvartil_prosent": round(quartiles[2], 2),
        "min_prosent": ordered[0],
        "maks_prosent": ordered[-1],
        "endring_prosent": own,
        "differanse_prosentpoeng": round(own - statistics.median(ordered), 2),
    }
    # Without --sammenlign, the line but not the members.
    assert "medlemmer" not in as_json(catalog, "folketall", "holtalen")["sammenligning"]


def test_group_falls_back_to_the_whole_country(catalog: Cli) -> None:
    """Inderøy 2020: fewer than five municipalities of its size without an
    entry in Nord-Trøndelag (counted here from the reference files), so the
    group comes from all of Norway."""
    data = as_json(catalog, "folketall", "inderoy-2020", "--sammenlign")
    group = data["sammenligning"]
    figures = {(r["nummer"], int(r["aar"])): int(r["folkemengde"]) for r in _reference(
        "folkemengde_per_nummer.csv")}  # fmt: skip
    county = [
        k["nr_2012"] for k in _reference("kommuner.csv") if k["fylke_2012"] == "Nord-Trøndelag"
    ]
    start = group["fra"]
    low, high = group["minst"], group["hoyst"]
    in_range = [n for n in county if n != "1756" and low <= figures.get((n, start), 0) <= high]
    assert group["i_fylket"] <= len(in_range) and group["i_fylket"] < 5
    assert group["omfang"] == "landet" and group["antall"] >= 5
    assert any(m["fylke_2012"] != "Nord-Trøndelag" for m in group["medlemmer"])
    assert all(group["minst"] <= m["folketall_fra"] <= group["hoyst"] for m in group["medlemmer"])


def test_sammenlign_in_every_format(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    table = catalog("folketall", "holtalen", "--sammenlign").stdout
    assert "Comparison group: 7 municipalities" in table and "Selbu" in table
    assert "Selbu" not in catalog("folketall", "holtalen").stdout
    found = list(
        csv.DictReader(
            catalog("folketall", "holtalen", "--sammenlign", "-f", "csv").stdout.splitlines()
        )
    )
    members = [r for r in found if r["tabell"] == "sammenligning_medlemmer"]
    assert {r["navn"] for r in members} == set(HOLTALEN_GROUP.values())
    measures = {r["mal"]: r["verdi"] for r in found if r["tabell"] == "sammenligning"}
    assert measures["antall"] == "7" and measures["omfang"] == "fylke"
    markdown = catalog("folketall", "holtalen", "--sammenlign", "-f", "markdown").stdout
    assert "Comparison group: 7 municipalities" in markdown and "| Selbu | 1664 |" in markdown


def test_a_place_known_only_by_a_later_municipality_names_its_2012_ones(
    cli: Cli, tmp_path: Path
) -> None:
    """An entry naming Indre Fosen (made in 2018 of Leksvik and Rissa) keeps
    both out of every comparison group, and no one else."""
    from tilflytting.query.population import Named
    from tilflytting.reference.places import reference
    from tilflytting.store.database import Store

    entry = tmp_path / "fosen.yaml"
    entry.write_text("tittel: Flytt til Fosen\nkommuner: [Indre Fosen]\n", "utf-8")
    assert cli("import", str(entry)).exit_code == 0
    numbers = {k["nr_2012"]: k["name"] for k in _reference("kommuner.csv") if k["nr_2012"]}
    ref = reference()
    asked = [ref.by_2012_number[n] for n in ("1718", "1624", "1617", "1644")]
    assert [numbers[k.nr_2012] for k in asked] == ["Leksvik", "Rissa", "Hitra", "Holtålen"]
    store = Store.open(cli.db)
    try:
        assert {k.name for k in Named(store)(asked)} == {"Leksvik", "Rissa"}
    finally:
        store.close()


# -- the folder is written as an export's is (report/files.py) ---------------------------------
def test_a_folder_of_other_files_is_refused_unless_forced(catalog: Cli, tmp_path: Path) -> None:
    mine = tmp_path / "notes.txt"
    mine.write_text("my notes", "utf-8")
    (tmp_path / "rapport.md").write_text("my own report", "utf-8")
    refused = catalog("rapport", "--kommune", "Holtålen", "--out", str(tmp_path))
    assert refused.exit_code == 2, refused.stderr
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "rapport.md"]
    assert (tmp_path / "rapport.md").read_text("utf-8") == "my own report"
    forced = catalog("rapport", "--kommune", "Holtålen", "--out", str(tmp_path), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert mine.read_text("utf-8") == "my notes"  # theirs stay, namesakes are replaced
    assert "Holtålen" in (tmp_path / "rapport.md").read_text("utf-8")


def test_a_report_replaces_the_report_it_wrote(catalog: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "r"
    written(catalog, folder)
    assert (folder / "figurer" / "tidslinje.svg").is_file()
    # Again, for a selection with fewer figures: the folder holds the new report only.
    written(catalog, folder, "--målgruppe", "hyttefolk", "--fylke", "Nordland")
    assert "| entries | 0 |" in (folder / "rapport.md").read_text("utf-8")
    before = {p.name for p in (folder / "tabeller").iterdir()}
    assert not any(
        name.startswith("folketall_") and name != "folketall_oppforinger.csv" for name in before
    )
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_a_long_slug_names_its_files_within_the_rule() -> None:
    from tilflytting.core.names import name_problem
    from tilflytting.report.rapport import _file_key

    for slug in ("a" * 100, "../../etc/passwd", "Con", "", "ab-" * 40):
        key = _file_key(slug)
        assert name_problem(key) is None, (slug, key)
        assert len(f"folketall_{key}") <= 100
