"""The user's population file ($TILFLYTTING_DATA/folkemengde_per_nummer.csv,
written by `folketall --update`) is used only when it is a regular, readable,
well-formed file. A named pipe, a folder, a malformed row, bytes that are not
UTF-8 or a file that cannot be read never hang or crash a command that reads
figures: the bundled figures are used instead, and the command says so once
on stderr. `folketall --reset` removes what is there, but never a folder.

Expected figures come from data/folkemengde_per_nummer.csv, read here."""

from __future__ import annotations

import csv
import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

import pytest
from typer.testing import Result

from tests.conftest import ROOT, Cli, catalog_copy
from tilflytting.reference import population as population_data

BUNDLED = ROOT / "data" / "folkemengde_per_nummer.csv"
NAME = "folkemengde_per_nummer.csv"
SLUG = "tilflyttingstiltak-i-holtalen"
HOLTALEN = "1644"  # Holtålen's 2012 number (data/kommuner.csv)
FALLBACK = "the bundled population figures are used instead"

with BUNDLED.open(encoding="utf-8", newline="") as handle:
    FIGURES = {(r["nummer"], int(r["aar"])): int(r["folkemengde"]) for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return catalog_copy(bundled_db, tmp_path_factory, "population_file")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The user's data folder: a temporary one, its figures read afresh."""
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("TILFLYTTING_DATA", str(folder))
    population_data.population.cache_clear()
    yield folder
    population_data.population.cache_clear()
    population_data.passed_over()  # a note no command took


def changed_text(extra: str = "") -> str:
    """The bundled figures with Holtålen's 2005 figure (and the country's)
    1000 higher: a file that, when used, shows in the figures."""
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    bumped = {f"{HOLTALEN},2005,", "0,2005,"}
    for i, line in enumerate(lines):
        head = line.rsplit(",", 1)[0] + ","
        if head in bumped:
            lines[i] = f"{head}{int(line.rsplit(',', 1)[1]) + 1000}"
    return "\n".join(lines) + "\n" + extra


def fifo(path: Path) -> str:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    os.mkfifo(path)
    return "a named pipe, not a file"


def folder(path: Path) -> str:
    path.mkdir()
    (path / "inside.txt").write_text("kept\n", encoding="utf-8")
    return "a folder, not a file"


def short_row(path: Path) -> str:
    text = changed_text()
    path.write_text(text + f"{HOLTALEN},2030\n", encoding="utf-8")
    return f"line {text.count(chr(10)) + 1}: not a row of nummer,aar,folkemengde"


def zero_count(path: Path) -> str:
    path.write_text(changed_text(f"{HOLTALEN},2030,0\n"), encoding="utf-8")
    return "not a row of nummer,aar,folkemengde"


def not_utf8(path: Path) -> str:
    path.write_bytes(changed_text().encode("utf-8") + b"1644,2030,\xff\n")
    return "not UTF-8 text"


def unreadable(path: Path) -> str:
    if not hasattr(os, "geteuid") or os.geteuid() == 0:
        pytest.skip("running as root (or without POSIX permissions): every file is readable")
    path.write_text(changed_text(), encoding="utf-8")
    path.chmod(0)
    return "not allowed to read it"


def no_header(path: Path) -> str:
    path.write_text(changed_text().partition("\n")[2], encoding="utf-8")
    return "line 1: the columns must be nummer,aar,folkemengde"


BAD: dict[str, Callable[[Path], str]] = {
    "fifo": fifo,
    "folder": folder,
    "short_row": short_row,
    "zero_count": zero_count,
    "not_utf8": not_utf8,
    "unreadable": unreadable,
    "no_header": no_header,
}


def within(seconds: int, run: Callable[[], Result]) -> Result:
    """`run`, failed instead of hanging (a named pipe blocks whoever opens it
    until a writer comes)."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"no answer in {seconds} s: the command hangs")

    if not hasattr(signal, "SIGALRM"):
        return run()
    before = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        return run()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def holtalen_2005(catalog: Cli) -> int:
    result = within(20, lambda: catalog("folketall", SLUG, "--format", "json"))
    assert result.exit_code == 0, result.stderr
    rows = {row["ar"]: row for row in json.loads(result.stdout)["serie"]}
    return int(rows[2005]["folketall"])


def test_a_good_file_is_used(catalog: Cli, data: Path) -> None:
    """The control: a well-formed file's figures are the ones shown."""
    (data / NAME).write_text(changed_text(), encoding="utf-8")
    assert holtalen_2005(catalog) == FIGURES[(HOLTALEN, 2005)] + 1000
    assert population_data.passed_over() is None


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_file_gives_the_bundled_figures(catalog: Cli, data: Path, kind: str) -> None:
    problem = BAD[kind](data / NAME)
    assert holtalen_2005(catalog) == FIGURES[(HOLTALEN, 2005)]
    for args in (("show", SLUG), ("folketall", SLUG)):
        population_data.population.cache_clear()
        result = within(20, lambda: catalog(*args))  # noqa: B023
        assert result.exit_code == 0, (args, result.stderr)
        assert SLUG in result.stdout or "Holtålen" in result.stdout
    population_data.population.cache_clear()
    population_data.population()
    note = population_data.passed_over()
    assert note is not None and problem in note and str(data / NAME) in note
    assert FALLBACK in note
    assert population_data.passed_over() is None  # said once


@pytest.mark.parametrize("kind", ["fifo", "folder", "short_row"])
def test_every_command_that_reads_figures_answers(catalog: Cli, data: Path, kind: str) -> None:
    BAD[kind](data / NAME)
    for args in (
        ("show", SLUG),
        ("folketall", SLUG),
        ("summarise", "--folketall"),
        ("rapport", "-f", "markdown"),
    ):
        population_data.population.cache_clear()
        result = within(30, lambda: catalog(*args))  # noqa: B023
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stdout.strip(), args


@pytest.mark.parametrize("kind", ["fifo", "folder", "short_row", "not_utf8"])
def test_the_command_says_so_once(catalog: Cli, data: Path, kind: str) -> None:
    problem = BAD[kind](data / NAME)
    for args in (("show", SLUG), ("folketall", SLUG), ("rapport", "-f", "markdown")):
        population_data.population.cache_clear()
        result = within(30, lambda: catalog(*args))  # noqa: B023
        lines = [line for line in result.stderr.splitlines() if FALLBACK in line]
        assert len(lines) == 1, (args, result.stderr)
        assert problem in lines[0] and lines[0].startswith("tilflytting: ")


def test_reset_removes_a_named_pipe(catalog: Cli, data: Path) -> None:
    fifo(data / NAME)
    result = within(20, lambda: catalog("folketall", "--reset"))
    assert result.exit_code == 0, result.stderr
    assert "back to the bundled file" in result.stderr
    assert not os.path.lexists(data / NAME)


def test_reset_removes_a_broken_file_and_a_dangling_link(catalog: Cli, data: Path) -> None:
    short_row(data / NAME)
    assert catalog("folketall", "--reset").exit_code == 0
    assert not os.path.lexists(data / NAME)
    (data / NAME).symlink_to(data / "gone.csv")
    result = catalog("folketall", "--reset")
    assert result.exit_code == 0 and "back to the bundled file" in result.stderr
    assert not os.path.lexists(data / NAME)


def test_reset_leaves_a_folder_with_one_line(catalog: Cli, data: Path) -> None:
    folder(data / NAME)
    result = within(20, lambda: catalog("folketall", "--reset"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "a folder, not a file" in result.stderr
    assert "not removed" in result.stderr
    assert (data / NAME / "inside.txt").read_text(encoding="utf-8") == "kept\n"
