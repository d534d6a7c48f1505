"""The commands as a user runs them: exit codes, stdout/stderr, formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import CATALOG, PAGES, Cli


def test_import_reports_and_is_idempotent(cli: Cli, pages: Path) -> None:
    first = cli("import", str(pages))
    assert first.exit_code == 0
    assert first.stdout == ""  # messages go to stderr
    assert "4 added" in first.stderr
    assert "odd-headings.txt:26: warning: unknown heading 'Resultater'" in first.stderr
    again = cli("import", str(pages))
    assert again.exit_code == 0 and "4 unchanged" in again.stderr


def test_import_exit_codes(cli: Cli, pages: Path, tmp_path: Path) -> None:
    (pages / "bad.yaml").write_text("tittel: X\nfylke: NO\n", "utf-8")
    partial = cli("import", str(pages))
    assert partial.exit_code == 3
    assert "bad.yaml:2: error: 'fylke': NO was read as yes/no" in partial.stderr
    nothing = cli("import", str(pages / "bad.yaml"))
    assert nothing.exit_code == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("import", str(empty)).exit_code == 1
    strict = cli("import", "--strict", str(pages))
    assert strict.exit_code == 1 and "nothing written" in strict.stderr


def test_dry_run_on_a_new_database_creates_nothing(cli: Cli, pages: Path) -> None:
    result = cli("import", "--dry-run", str(pages))
    assert result.exit_code == 0 and "Dry run" in result.stderr
    assert not cli.db.exists()


def test_import_without_paths_takes_the_bundled_catalog(cli: Cli) -> None:
    result = cli("import")
    assert result.exit_code == 0
    assert f"{len(list(CATALOG.glob('*.yaml')))} added" in result.stderr


def test_read_commands_on_a_missing_database(cli: Cli) -> None:
    for args in (["list"], ["show", "holtalen"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert "tilflytting import" in result.stderr
        assert not cli.db.exists()


@pytest.mark.parametrize(
    "query",
    [
        "holtalen",
        "Holtålen",
        "HOLTÅLEN",
        "5026",
        "1644",
        "tilflyttingstiltak-i-holtalen",
        "Tilflyttingstiltak i Holtålen",
    ],
)
def test_show_finds_holtalen_every_way(catalog_cli: Cli, query: str) -> None:
    result = catalog_cli("show", query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["slug"] == "tilflyttingstiltak-i-holtalen"
    assert data["kommuner"] == [
        {
            "navn": "Holtålen",
            "nummer": "5026",
            "fylke": "Trøndelag",
            "fylke_2012": "Sør-Trøndelag",
            "nummer_2012": "1644",
            "navn_2024": "Holtålen",
        }
    ]
    assert [p["navn"] for p in data["prosjekter"]] == [
        "Prosjekt Nederland",
        "Flytt hit på første klasse",
        "Lys i alle grender",
    ]
    assert len(data["aktiviteter"]) == 10 and data["komplett"] is True
    assert set(data) >= {
        "ingress",
        "tekst",
        "fagomrader",
        "region",
        "salgsargumenter",
        "samarbeidspartnere",
        "malgrupper",
        "hovedmal",
        "advarsler",
        "kilde",
    }


def test_show_table_is_readable(catalog_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    result = catalog_cli("show", "holtalen")
    assert result.exit_code == 0
    for text in (
        "Tilflyttingstiltak i Holtålen",
        "Prosjekt Nederland",
        "2005–2009",
        "Vertskapsordning",
        "Målgrupper",
        "Sør-Trøndelag",
    ):
        assert text in result.stdout


def test_show_sources_prints_file_and_line(catalog_cli: Cli) -> None:
    result = catalog_cli("show", "holtalen", "--sources", "--format", "table")
    assert "tilflyttingstiltak-i-holtalen.yaml:" in result.stdout.replace("\n", "")


def test_show_ambiguous_and_unknown(catalog_cli: Cli) -> None:
    several = catalog_cli("show", "hardanger")
    assert several.exit_code == 1
    assert "flytt-til-hardanger-attraktive-bukommunar" in several.stderr
    assert several.stdout == ""
    missing = catalog_cli("show", "holtaln")
    assert missing.exit_code == 1
    suggestion = missing.stderr.split("did you mean ")[1].split(",")[0].rstrip("?\n")
    followed = catalog_cli("show", suggestion, "--format", "json")
    assert json.loads(followed.stdout)["slug"] == "tilflyttingstiltak-i-holtalen"


def test_list_filters_by_county_of_either_era(catalog_cli: Cli) -> None:
    def slugs(*args: str) -> set[str]:
        result = catalog_cli("list", *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return {row["slug"] for row in json.loads(result.stdout)}

    old, new = slugs("--fylke", "Sør-Trøndelag"), slugs("--fylke", "trondelag")
    assert "tilflyttingstiltak-i-holtalen" in old and old < new
    assert "inderoy-2020" in new - old  # Nord-Trøndelag in 2012
    assert (
        slugs("--kommune", "1638")
        == slugs("--kommune", "Orkland")
        == {"tilflyttingstiltak-i-orkdal"}
    )
    assert slugs("--fylke", "Nordland", "--fylke", "Troms") >= {
        "levvesteralen",
        "tilflyttingsarbeid-i-dyroy",
    }


def test_list_unknown_county_is_a_usage_error(catalog_cli: Cli) -> None:
    result = catalog_cli("list", "--fylke", "Sør-Trøndelagg")
    assert result.exit_code == 2  # a value that names nothing: usage
    assert "unknown county" in result.stderr and "Sør-Trøndelag" in result.stderr


def test_list_formats(catalog_cli: Cli) -> None:
    rows = json.loads(catalog_cli("list", "--format", "json").stdout)
    assert len(rows) == len(list(CATALOG.glob("*.yaml")))
    holtalen = next(r for r in rows if r["slug"] == "tilflyttingstiltak-i-holtalen")
    assert holtalen["aktiviteter"] == 10 and holtalen["fylker_2012"] == ["Sør-Trøndelag"]
    lines = catalog_cli("list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["slug"] for line in lines] == [r["slug"] for r in rows]
    table = list(csv.DictReader(io.StringIO(catalog_cli("list", "--format", "csv").stdout)))
    assert {r["slug"] for r in table} == {r["slug"] for r in rows}
    markdown = catalog_cli("list", "--format", "markdown", "--limit", "2").stdout
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    assert lines[0].startswith("| Slug | Title |") and len(lines) == 2 + 2
    sorted_rows = json.loads(catalog_cli("list", "--sort", "start", "--format", "json").stdout)
    first = [p["fra"] for p in sorted_rows[0]["prosjekter"] if p["fra"]]
    assert min(first) == 1998  # Dyrøy's pilot


ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzæøå"


def norwegian(text: str) -> list[int]:
    """The Norwegian alphabet's order: ... x y z æ ø å, `aa` as å; other
    characters (spaces, punctuation) are not letters and do not count."""
    folded = text.lower().replace("aa", "å")
    return [ALPHABET.index(c) for c in folded if c in ALPHABET]


def _documented_order(sort: str) -> Callable[[dict[str, Any]], Any]:
    """`--sort` as docs/cli.md and the README describe it, read off the JSON."""
    if sort == "tittel":
        return lambda r: norwegian(r["tittel"])
    if sort == "kommune":
        return lambda r: (0, norwegian(r["kommuner"][0]["navn"])) if r["kommuner"] else (1, [])
    if sort == "fylke":
        return lambda r: (0, norwegian(r["fylker"][0])) if r["fylker"] else (1, [])
    if sort == "start":
        return lambda r: min([p["fra"] for p in r["prosjekter"] if p["fra"]] or [9999])
    return lambda r: r["slug"]


@pytest.mark.parametrize("sort", ["slug", "tittel", "kommune", "fylke", "start"])
@pytest.mark.parametrize("where", [[], ["--fylke", "Nordland", "--fylke", "Troms"]])
def test_list_sort_and_limit(catalog_cli: Cli, sort: str, where: list[str]) -> None:
    listed = json.loads(catalog_cli("list", "--sort", sort, *where, "--format", "json").stdout)
    by_slug = json.loads(catalog_cli("list", *where, "--format", "json").stdout)
    # Equal keys keep slug order.
    assert listed == sorted(by_slug, key=_documented_order(sort))
    assert len({json.dumps(_documented_order(sort)(r)) for r in listed}) > 1
    first = catalog_cli("list", "--sort", sort, *where, "--limit", "3", "--format", "json")
    assert json.loads(first.stdout) == listed[:3]


def test_show_yaml_imports_back_to_the_same_entry(catalog_cli: Cli, tmp_path: Path) -> None:
    original = json.loads(catalog_cli("show", "hamaroy", "--format", "json").stdout)
    written = tmp_path / "copy" / "hamaroy.yaml"
    written.parent.mkdir()
    written.write_text(catalog_cli("show", "hamaroy", "--format", "yaml").stdout, "utf-8")
    assert yaml.safe_load(written.read_text("utf-8"))["tittel"] == original["tittel"]
    other = Cli(tmp_path / "other.db")
    assert other("import", str(written)).exit_code == 0
    copy = json.loads(other("show", "hamaroy", "--format", "json").stdout)
    for data in (original, copy):
        data.pop("kilde")
        lists = ("prosjekter", "aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper")
        for name in (*lists, "advarsler", "steder"):
            for element in data[name]:
                element.pop("linje")  # the files differ by their header comment
    assert copy == original


def test_hostile_text_is_shown_as_plain_text(cli: Cli, tmp_path: Path) -> None:
    page = (PAGES / "bokmal-complete.txt").read_text("utf-8")
    page = page.replace(
        "Eget nettsted", "[bold red]Eget[/] \x1b[31mnettsted\x1b]0;title\x07 \u202eevil"
    )
    (tmp_path / "hostile.txt").write_text(page, "utf-8")
    assert cli("import", str(tmp_path / "hostile.txt")).exit_code == 0
    shown = cli("show", "tynset").stdout
    assert "[bold red]Eget[/]" in shown
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    markdown = cli("show", "tynset", "--format", "markdown").stdout
    assert "\\[bold red\\]" in markdown


def test_version_and_help(cli: Cli) -> None:
    assert cli.runner.invoke(
        __import__("tilflytting.cli").cli.app, ["--version"]
    ).stdout.startswith("tilflytting ")
    usage = cli.runner.invoke(__import__("tilflytting.cli").cli.app, ["list", "--format", "xml"])
    assert usage.exit_code == 2


def test_windows_encoded_page_is_read_and_said(cli: Cli, tmp_path: Path) -> None:
    page = (PAGES / "bokmal-complete.txt").read_text("utf-8").replace("\n", "\r\n")
    (tmp_path / "windows.txt").write_bytes(page.encode("cp1252"))
    result = cli("import", str(tmp_path / "windows.txt"))
    assert result.exit_code == 0
    assert "not UTF-8: read as windows-1252" in result.stderr
    data = json.loads(cli("show", "tynset", "--format", "json").stdout)
    assert data["kilde"]["tegnsett"] == "windows-1252"
    assert [i["tekst"] for i in data["salgsargumenter"]] == ["Friluftsliv", "Godt oppvekstmiljø"]


@pytest.mark.parametrize("columns", ["80", "200"])
def test_list_table_shows_slug_and_title(
    catalog_cli: Cli, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = catalog_cli("list", "--kommune", "Holtålen")
    assert "tilflyttingstiltak-i-holtalen" in result.stdout
    assert "Tilflyttingstiltak i Holtålen" in result.stdout
    # Two lines of partners and target groups hold two items each.
    assert "2005–2012 (3)" in result.stdout and "10/3/9/6" in result.stdout


def test_version_without_the_cli_framework() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.argv = ['tilflytting', '--version']; "
        "from tilflytting.entry import main; main(); "
        "print(sorted(m for m in sys.modules if m.startswith(('typer', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    version, loaded = out.stdout.splitlines()
    assert version.startswith("tilflytting ") and loaded == "[]"


def test_commands_run_with_garbage_collection_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up turns collection off while modules load; a long import of
    100,000 pages must still have it."""
    import gc

    import tilflytting.cli
    from tilflytting.entry import main

    seen: list[tuple[bool, int]] = []
    monkeypatch.setattr(
        tilflytting.cli, "main", lambda: seen.append((gc.isenabled(), gc.get_threshold()[0]))
    )
    monkeypatch.setattr("sys.argv", ["tilflytting", "list"])
    before = gc.get_threshold()
    try:
        main()
    finally:
        gc.unfreeze()  # main froze this test process's objects at "exit"
        gc.set_threshold(*before)
    # On, looking through the youngest objects less often than Python's 700.
    assert seen == [(True, 20_000)] and gc.isenabled()


def test_list_table_shows_the_first_rows_and_counts_the_rest(
    catalog_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tilflytting.cli.TABLE_ROWS", 4)
    monkeypatch.setenv("COLUMNS", "200")
    every = json.loads(catalog_cli("list", "--sort", "start", "--format", "json").stdout)
    assert len(every) == len(list(CATALOG.glob("*.yaml")))  # machine formats are not cut
    table = catalog_cli("list", "--sort", "start")
    assert f"4 of {len(every)} entries" in table.stdout
    assert f"showing the first 4 of {len(every)} entries" in table.stderr
    assert [row["slug"] for row in every if row["slug"] in table.stdout] == [
        row["slug"] for row in every[:4]
    ]
    chosen = catalog_cli("list", "--limit", "6")
    assert "6 entries" in chosen.stdout and "showing" not in chosen.stderr


def test_list_sort_kommune_puts_aa_last(catalog_cli: Cli) -> None:
    """Seen in issue 20: `list --sort kommune` put Ål first (folded to `al`);
    Norwegian order is ... Y Z Æ Ø Å."""
    rows = json.loads(catalog_cli("list", "--sort", "kommune", "--format", "json").stdout)
    firsts = [r["kommuner"][0]["navn"] for r in rows if r["kommuner"]]
    assert firsts[0] != "Ål" and firsts[-1] == "Ål"
    assert firsts.index("Andøy") < firsts.index("Ål")
    titles = json.loads(catalog_cli("list", "--sort", "tittel", "--format", "json").stdout)
    assert titles[-1]["tittel"] == "Økt tilflytting til Hadsel"
