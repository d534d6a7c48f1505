"""A maintainer's workflow (issue 19): `check` shows what the tool understood
from a file before it is imported; `convert` turns a page into a YAML entry
to correct by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import PAGES, Cli
from tilflytting.cli import app

VARIANTS = PAGES.parent / "variants"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_check_shows_the_entry_and_every_warning(tmp_path: Path) -> None:
    result = run("check", str(VARIANTS / "unknown-heading.txt"))
    assert result.exit_code == 0, result.stderr
    assert "Bulyst i Tolga" in result.stdout and "Hyttetreff på Vingelen" in result.stdout
    assert "unknown-heading.txt:9: warning: heading 'Dette har vi gjort' read as Aktiviteter" in (
        result.stderr
    )
    assert "1 checked: 0 with errors, 1 with warnings" in result.stderr


def test_check_fails_on_errors_and_with_strict_on_warnings() -> None:
    bad = run("check", str(PAGES / "no-title.txt"), str(PAGES / "bokmal-complete.txt"))
    assert bad.exit_code == 1 and "no-title.txt:3: error: page has no title" in bad.stderr
    assert "Tilflyttingsarbeid i Tynset" in bad.stdout  # the good file is still shown
    assert run("check", str(VARIANTS / "o-bullets.txt")).exit_code == 0
    assert run("check", "--strict", str(VARIANTS / "o-bullets.txt")).exit_code == 0
    assert run("check", "--strict", str(VARIANTS / "unknown-heading.txt")).exit_code == 1


def test_check_json_for_a_maintainers_ci() -> None:
    result = run("check", "-f", "json", str(VARIANTS))
    rows = json.loads(result.stdout)
    assert sorted(Path(r["fil"]).name for r in rows) == sorted(
        p.name for p in VARIANTS.glob("*.txt")
    )
    tolga = next(r for r in rows if r["fil"].endswith("unknown-heading.txt"))
    assert tolga["status"] == "ok" and tolga["oppforing"]["tittel"] == "Bulyst i Tolga"
    assert {"linje": 9, "niva": "warning", "melding": "heading 'Dette har vi gjort' read as "
            "Aktiviteter"} in tolga["problemer"]  # fmt: skip


def test_check_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILFLYTTING_DB", str(tmp_path / "catalog.db"))
    monkeypatch.setenv("TILFLYTTING_DATA", str(tmp_path / "data"))
    assert run("check", str(VARIANTS)).exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_check_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "finnes-ikke.txt"))
    assert result.exit_code == 1 and "no such file or folder" in result.stderr


def test_convert_then_import_gives_the_same_entry(tmp_path: Path, cli: Cli) -> None:
    page = VARIANTS / "unknown-heading.txt"
    out = tmp_path / "tolga.yaml"
    converted = run("convert", str(page), "--out", str(out))
    assert converted.exit_code == 0, converted.stderr
    assert out.read_text("utf-8").startswith("# Converted by `tilflytting convert`")
    assert run("check", "--strict", str(out)).exit_code == 0  # the YAML has nothing to warn of
    assert cli("import", str(page)).exit_code == 0
    from_page = json.loads(cli("show", "bulyst-i-tolga", "-f", "json").stdout)
    other = Cli(tmp_path / "other.db")  # a catalog of its own: the YAML alone
    assert other("import", str(out)).exit_code == 0
    shown = json.loads(other("show", "bulyst-i-tolga", "-f", "json").stdout)
    for key in ("tittel", "ingress", "tekst", "kommuner", "prosjekter", "hovedmal", "komplett"):
        assert shown[key] == from_page[key], key
    for name in ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper"):
        assert [(i["tekst"], i["term"]) for i in shown[name]] == [
            (i["tekst"], i["term"]) for i in from_page[name]
        ], name


def test_convert_to_stdout_and_never_over_a_file_unasked(tmp_path: Path) -> None:
    page = VARIANTS / "o-bullets.txt"
    printed = run("convert", str(page))
    assert printed.exit_code == 0 and "- Vertskapsordning" in printed.stdout
    out = tmp_path / "os.yaml"
    out.write_text("mine\n", "utf-8")
    refused = run("convert", str(page), "--out", str(out))
    assert refused.exit_code == 2 and out.read_text("utf-8") == "mine\n"
    assert run("convert", str(page), "--out", str(out), "--force").exit_code == 0
    assert "tittel: Flytt til Os" in out.read_text("utf-8")


def test_convert_of_a_page_without_title_fails() -> None:
    result = run("convert", str(PAGES / "no-title.txt"))
    assert result.exit_code == 1 and result.stdout == "" and "page has no title" in result.stderr
