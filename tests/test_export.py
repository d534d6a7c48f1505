"""`export`: round trips, CSV for spreadsheets, Markdown, Datasette metadata,
and the static HTML site in a real headless browser."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PAGES, Cli, copy_db

HOSTILE_TITLE = "Flytt <script>alert(1)</script> hit"


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    folder = tmp_path_factory.mktemp("export")
    cli = Cli(copy_db(bundled_db, folder / "catalog.db"))
    page = (PAGES / "bokmal-complete.txt").read_text("utf-8")
    page = page.replace("Tilflyttingsarbeid i Tynset", HOSTILE_TITLE, 1)
    page = page.replace("Eget nettsted", '=HYPERLINK("http://evil.test")')
    (folder / "hostile.txt").write_text(page, "utf-8")
    assert cli("import", str(folder / "hostile.txt")).exit_code == 0
    yield cli


def without_source(data: dict[str, Any]) -> dict[str, Any]:
    """An entry's JSON less what says where and how it was read."""
    data = {k: v for k, v in data.items() if k not in ("kilde", "advarsler")}
    for name in (
        "prosjekter",
        "aktiviteter",
        "salgsargumenter",
        "samarbeidspartnere",
        "malgrupper",
    ):
        data[name] = [{k: v for k, v in e.items() if k != "linje"} for e in data[name]]
    # A place's evidence is where in its file it was read: a page's title
    # becomes the YAML entry's own `kommuner`.
    data["steder"] = [
        {k: v for k, v in e.items() if k not in ("bevis", "linje")} for e in data["steder"]
    ]
    return data


def test_json_has_a_schema_version_and_every_entry(catalog: Cli) -> None:
    document = json.loads(catalog("export", "--format", "json").stdout)
    assert document["skjema"] == 1 and document["antall"] == 44 == len(document["oppforinger"])
    lines = catalog("export", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 44 and all(json.loads(line)["skjema"] == 1 for line in lines)


def test_yaml_round_trip_gives_identical_json(catalog: Cli, tmp_path: Path) -> None:
    before = json.loads(catalog("export", "--format", "json").stdout)["oppforinger"]
    result = catalog("export", "--format", "yaml", "--out", str(tmp_path / "yaml"))
    assert result.exit_code == 0 and "44 entries written" in result.stderr
    again = Cli(tmp_path / "again.db")
    assert again("import", str(tmp_path / "yaml")).exit_code in (0, 3)
    after = json.loads(again("export", "--format", "json").stdout)["oppforinger"]
    assert [without_source(e) for e in after] == [without_source(e) for e in before]


def test_json_export_of_a_filtered_part(catalog: Cli) -> None:
    document = json.loads(catalog("export", "--fylke", "Troms", "-f", "json").stdout)
    assert {e["slug"] for e in document["oppforinger"]} == {
        "bedre-rekruttering-til-storfjord",
        "liv-lavangen-i-vekst",
        "tilflyttingsarbeid-i-dyroy",
        "tilflyttingsarbeid-i-kafjord",
    }


def test_csv_wide_and_long_read_back(catalog: Cli) -> None:
    wide = list(csv.DictReader(io.StringIO(catalog("export", "--format", "csv").stdout)))
    holtalen = next(r for r in wide if r["slug"] == "tilflyttingstiltak-i-holtalen")
    assert holtalen["kommunenummer"] == "5026" and holtalen["fylke_2012"] == "Sør-Trøndelag"
    assert holtalen["aktiviteter"].split("; ")[-1] == "Vertskapsordning"
    assert "barnefamilier" in holtalen["malgrupper_termer"].split("; ")
    long = list(csv.DictReader(io.StringIO(catalog("export", "-f", "csv", "--long").stdout)))
    mine = [r for r in long if r["slug"] == "tilflyttingstiltak-i-holtalen"]
    assert len(mine) == 10 + 3 + 9 + 6
    assert {"slug", "liste", "tekst", "term"} <= set(long[0])


def test_csv_for_excel_has_a_bom_and_no_formulas(catalog: Cli, tmp_path: Path) -> None:
    out = tmp_path / "excel.csv"
    assert catalog("export", "-f", "csv", "--excel", "--out", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    cells = [value for row in rows for value in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    long = tmp_path / "long.csv"
    assert catalog("export", "-f", "csv", "--long", "--excel", "--out", str(long)).exit_code == 0
    items = list(csv.DictReader(io.StringIO(long.read_bytes().decode("utf-8-sig"))))
    assert '\'=HYPERLINK("http://evil.test")' in [row["tekst"] for row in items]
    plain = catalog("export", "-f", "csv").stdout  # without --excel the data is as written
    assert not plain.startswith("\ufeff") and "=HYPERLINK" in plain


def test_markdown_report_grouped_by_county(catalog: Cli) -> None:
    text = catalog("export", "-f", "markdown").stdout
    assert text.index("## Trøndelag") < text.index("### Tilflyttingstiltak i Holtålen")
    old = catalog("export", "-f", "markdown", "--by", "fylke2012").stdout
    assert "## Sør-Trøndelag" in old and "county (2012)" in old
    assert "<script>" not in text and "\\<script\\>" in text


def test_folder_formats_need_a_folder(catalog: Cli, tmp_path: Path) -> None:
    result = catalog("export", "-f", "html")
    assert result.exit_code == 1 and "--out FOLDER" in result.stderr
    (tmp_path / "file").write_text("x")
    assert catalog("export", "-f", "yaml", "--out", str(tmp_path / "file")).exit_code == 1


# -- Datasette ---------------------------------------------------------------------------
def test_datasette_metadata_is_valid(catalog: Cli, tmp_path: Path) -> None:
    datasette_app = pytest.importorskip(
        "datasette.app", reason="pip install tilflytting[datasette]"
    )
    metadata = json.loads(catalog("export", "-f", "datasette-metadata").stdout)
    assert list(metadata["databases"]) == ["catalog"]
    db = tmp_path / "catalog.db"
    shutil.copy(catalog.db, db)

    async def ask() -> list[Any]:
        datasette = datasette_app.Datasette([str(db)], metadata=metadata)
        await datasette.invoke_startup()
        answers = []
        for path in (
            "/catalog/entries.json?_search=holtalen&_shape=objects",
            "/catalog/places.json?_facet=fylke_2024",
            "/catalog/items.json?_facet=term&liste=malgrupper",
            "/catalog.json",
        ):
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            answers.append(response.json())
        return answers

    search, places, items, home = asyncio.run(ask())
    assert [row["slug"] for row in search["rows"]] == ["tilflyttingstiltak-i-holtalen"]
    assert "fylke_2024" in places["facet_results"] and "term" in items["facet_results"]
    tables = {table["name"]: table for table in home["tables"]}
    assert tables["_migrations"]["hidden"] and not tables["entries"]["hidden"]
    assert {"region", "komplett"} <= set(search["facet_results"])  # facets from the metadata


# -- the browser the site and report tests use (tests/test_site.py, test_rapport.py) ----------
def headless_chromium() -> Any:
    """Debian's Chromium, headless, keeping the console's messages (skips
    the test where it is missing)."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("no Chromium here (.ci/run installs Debian's chromium and chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(driver_path))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = headless_chromium()
    yield driver
    driver.quit()
