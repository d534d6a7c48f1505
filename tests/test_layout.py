"""Every command's table read at 60, 80, 120 and 200 columns (issue 20): no
line wider than the terminal, no word split across lines, every column there.

The data is fixed (the bundled catalog, today fixed by TILFLYTTING_TODAY). A
word is any run of characters between spaces in the same output drawn 400
columns wide, where nothing needs to wrap; each must come back whole at the
narrower width, unless it is longer than the width itself (a web address
at 60 columns). Bars and rules are drawings, not words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import Cli, catalog_copy

WIDTHS = [60, 80, 120, 200]
COMMANDS = [
    ["list"],
    ["list", "--limit", "12"],
    ["list", "--sort", "kommune", "--fylke", "Nordland"],
    ["show", "holtalen"],
    ["show", "hamaroy", "--sources"],
    ["show", "flytt-til-hardanger", "--sources"],  # evidence of a region's members
    ["search", "--målgruppe", "barnefamilier", "--fylke", "Trøndelag"],
    ["search", "vertskap*"],
    ["compare", "holtalen", "rennebu-3000", "tilflyttingsprosjektet-i-nordland"],
    ["summarise", "--list", "malgrupper", "--top", "5", "--by", "fylke"],
    ["summarise", "--folketall", "--fylke", "Trøndelag"],
    ["similar", "holtalen", "--limit", "3"],
    ["timeline", "--fylke", "Troms"],
    ["timeline"],
    ["folketall", "holtalen"],
    ["folketall", "holtalen", "--referanse", "distrikt"],
    ["folketall", "holtalen", "--sammenlign"],  # the comparison group's members
    ["folketall", "verran"],  # chart rows on the borders of 2020 (Steinkjer)
    ["vocab"],
    ["vocab", "--list", "salgsargumenter"],
    ["vocab", "--unmatched"],
]
DRAWING = re.compile(r"^[█·─▶?\-–]+$")


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "layout")
    yield cli


def drawn(cli: Cli, args: list[str], width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("TILFLYTTING_TODAY", "2026-06-01")
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def words(text: str) -> set[str]:
    """Words, less the punctuation a layout may add after them."""
    found = {w.rstrip(":,;") for w in text.split()}
    return {w for w in found if w and not DRAWING.match(w)}


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_tables_fit_every_width(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str], lang: str
) -> None:
    monkeypatch.setenv("TILFLYTTING_LANG", lang)
    wide = drawn(catalog, args, 400, monkeypatch)
    expected = words(wide)
    if args[0] == "timeline":  # the axis and the scale follow the width
        expected = {w for w in expected if not re.fullmatch(r"\(?\d{1,4}\)?", w)}
    for width in WIDTHS:
        out = drawn(catalog, args, width, monkeypatch)
        lines = out.splitlines()
        too_wide = [line for line in lines if cell_len(line) > width]
        assert not too_wide, f"{width} columns: {too_wide[:3]}"
        shown = words(out)
        split = sorted(w for w in expected - shown if cell_len(w) <= width - 2)
        assert not split, f"{width} columns: words split or lost: {split[:10]}"


def test_timeline_keeps_project_names_on_one_line_when_wide(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in issue 20: at 200 columns `timeline` still wrapped project names."""
    out = drawn(catalog, ["timeline", "--fylke", "Troms"], 200, monkeypatch)
    assert "Småsamfunnssatsingen med Dyrøyseminaret" in out


def test_list_at_80_columns_keeps_its_last_column(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in issue 20: `list` at 80 columns lost its last column ("12/3/")
    and split slugs ("bedre-rekruttering-til-storfjo / rd")."""
    out = drawn(catalog, ["list", "--limit", "12"], 80, monkeypatch)
    assert "bedre-rekruttering-til-storfjord" in out
    assert "13/3/6/1" in out and "A/S/P/M" in out


def test_summarise_gives_the_width_to_labels(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seen in issue 20: `summarise` gave the width to term slugs and broke
    labels one word per line ("Næringslive/t")."""
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    out = drawn(catalog, ["summarise"], 80, monkeypatch)
    assert "Næringslivet" in out and "Potensielle tilbakeflyttere" in out
    # Labels come first; the slug is a machine code the CSV and JSON keep.
    header = next(line for line in out.splitlines() if line.startswith("Term"))
    assert header.split()[:3] == ["Term", "Oppføringer", "Andel"]


def test_folketall_keeps_periods_and_headers_whole(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen in issue 20: `folketall --referanse distrikt` split periods
    ("2005–200 / 9") and headers ("endring_p / rosent")."""
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    out = drawn(catalog, ["folketall", "holtalen", "--referanse", "distrikt"], 80, monkeypatch)
    assert "2005–2009" in out and "Endring" in out and "Før" in out
    assert "endring_prosent" not in out and "foer_prosent" not in out


def test_similar_gives_shared_terms_room(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seen in issue 20: `similar` squeezed its `felles` column to 6 characters."""
    out = drawn(catalog, ["similar", "holtalen", "--limit", "3"], 80, monkeypatch)
    assert "Livsstilsflyttere fra utlandet" in out
