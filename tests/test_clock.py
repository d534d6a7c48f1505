"""One clock: "this year" and today's date come from core/clock.py only, and
fixing it there moves every answer that depends on it."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli
from tilflytting.core import clock


def test_no_module_reads_the_system_clock_but_the_clock() -> None:
    readers = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.today|time\.localtime)\(")
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "tilflytting").rglob("*.py")
        if path.name != "clock.py" and readers.search(path.read_text("utf-8"))
    ]
    assert found == []


def test_frozen_and_environment_fix_today(monkeypatch: pytest.MonkeyPatch) -> None:
    with clock.frozen(date(2031, 5, 17)):
        assert clock.this_year() == 2031
    monkeypatch.setenv("TILFLYTTING_TODAY", "2029-02-03")
    assert clock.today() == date(2029, 2, 3)
    monkeypatch.setenv("TILFLYTTING_TODAY", "not a date")
    assert clock.today() == date.today()


def test_open_ended_projects_run_to_the_clocks_year(
    catalog_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Dyrøy's Rekrutteringsteam (2007–) is open-ended in the bundled catalog.
    # By default they end in the catalog's year; --til-i-dag runs them to the clock's.
    monkeypatch.setenv("TILFLYTTING_TODAY", "2031-01-01")
    default = json.loads(catalog_cli("timeline", "--kommune", "Dyrøy", "-f", "json").stdout)
    assert default["til"] == clock.CATALOG_YEAR == 2012
    timeline = json.loads(
        catalog_cli("timeline", "--kommune", "Dyrøy", "--til-i-dag", "-f", "json").stdout
    )
    assert timeline["til"] == 2031
    team = [p for e in timeline["oppforinger"] for p in e["prosjekter"] if p["til"] is None]
    assert team and all(p["vist_til"] == 2031 for p in team if p["pagaende"])
    found = json.loads(catalog_cli("search", "--år", "2030", "--til-i-dag", "-f", "json").stdout)
    assert "tilflyttingsarbeid-i-dyroy" in [row["slug"] for row in found]
    years = json.loads(catalog_cli("summarise", "--til-i-dag", "-f", "json").stdout)
    assert max(int(year) for year in years["prosjekter"]["aktive"]) == 2031
    kept = json.loads(catalog_cli("summarise", "-f", "json").stdout)["prosjekter"]["aktive"]
    # Stated ends count as stated (the latest in the catalog: Herøy 2020, 2010–2020).
    stated = max(
        int(line.split(":")[1])
        for path in (ROOT / "data" / "catalog").glob("*.yaml")
        for line in path.read_text("utf-8").splitlines()
        if line.strip().startswith("til:") and line.split(":")[1].strip().isdigit()
    )
    assert max(int(year) for year in kept) == stated == 2020


def test_the_import_timestamp_follows_the_clock(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    monkeypatch.setenv("TILFLYTTING_TODAY", "2030-04-05")
    assert cli("import", str(ROOT / "data" / "catalog")).exit_code == 0
    stamps = {
        row[0] for row in sqlite3.connect(Path(cli.db)).execute("SELECT importert FROM sources")
    }
    assert stamps == {"2030-04-05T00:00:00+00:00"}
