"""A hostile-input audit of `tilflytting import`, as the attacker ran it,
and what happens now (docs/reliability.md lists the promises):

- a file name that is not UTF-8 is that file's error line, named with its
  bytes escaped; the files beside it are imported (exit 3);
- two imports of the same new files at once end as if run one after the
  other (one used to fail on `UNIQUE constraint failed: sources.fil`);
- a 2 MB YAML file of one repeated list (places, projects, items) imports in
  seconds (repeated places were quadratic: 20,000 took 115 s);
- a file with thousands of warnings shows and stores the first ones and one
  line for the rest (a 2 MB page of empty headings printed 150,000 lines).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CATALOG, PAGES, ROOT
from tilflytting.ingest.importer import MAX_FILE_BYTES, MAX_PROBLEMS

GOOD = PAGES / "bokmal-complete.txt"  # a page about Tynset


def tilflytting(*args: str | bytes, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real program in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "tilflytting", *args],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "TILFLYTTING_LANG": "en", "COLUMNS": "80"},
        stdin=subprocess.DEVNULL,
        check=False,
    )


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tilflytting", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TILFLYTTING_LANG": "en", "COLUMNS": "80"},
        stdin=subprocess.DEVNULL,
    )


def titles(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return sorted(row[0] for row in conn.execute("SELECT tittel FROM entries"))


# -- 1. file names that are not UTF-8 ------------------------------------------------------
def _bad_name(folder: Path, name: bytes, data: bytes) -> None:
    try:
        with open(os.path.join(os.fsencode(folder), name), "wb") as handle:
            handle.write(data)
    except OSError as exc:  # a file system that keeps names as UTF-8 (macOS)
        pytest.skip(f"this file system refuses a name that is not UTF-8: {exc}")


def test_a_file_name_that_is_not_utf8_is_that_files_error(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD, folder / "good.txt")
    _bad_name(folder, b"z\xff.txt", b"Fagomr\xc3\xa5de: Tilflytting\n\nNy side\n\nIngress.\n")
    db = tmp_path / "c.db"
    done = tilflytting("import", "--db", str(db), str(folder))
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, done.stderr
    assert "z\\xff.txt: error: " in errors[0] and "not UTF-8" in errors[0]
    assert "1 added" in done.stderr and "1 failed" in done.stderr
    assert titles(db) == ["Tilflyttingsarbeid i Tynset"]  # the good page's title (line 3)
    # `check` says the same, and its JSON is JSON (no raw byte in it).
    bad = os.path.join(os.fsencode(folder), b"z\xff.txt")
    checked = subprocess.run(
        [sys.executable, "-m", "tilflytting", "check", "--format", "json", bad],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "TILFLYTTING_LANG": "en"},
        timeout=60,
        check=False,
    )
    assert checked.returncode == 1
    (row,) = json.loads(checked.stdout.decode("utf-8"))
    assert row["fil"].endswith("z\\xff.txt") and row["status"] != "ok"


def test_a_link_to_a_path_that_is_not_utf8_is_that_files_error(tmp_path: Path) -> None:
    odd = os.path.join(os.fsencode(tmp_path), b"d\xfe")
    try:
        os.mkdir(odd)
    except OSError as exc:
        pytest.skip(f"this file system refuses a name that is not UTF-8: {exc}")
    shutil.copy(os.fsencode(GOOD), os.path.join(odd, b"page.txt"))
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink(os.path.join(odd, b"page.txt"), os.fsencode(folder / "link.txt"))
    (folder / "other.yaml").write_text("tittel: Tiltak i Holtålen\nkommuner: [Holtålen]\n")
    db = tmp_path / "c.db"
    done = tilflytting("import", "--db", str(db), str(folder))
    assert done.returncode == 3, done.stderr
    (error,) = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert "link.txt: error: " in error and "d\\xfe" in error
    assert titles(db) == ["Tiltak i Holtålen"]


# -- 2. two imports of the same new files at once ----------------------------------------
def _catalog_state(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What a user can see of a catalog, without the times of import."""
    queries = {
        "entries": "SELECT slug, tittel, ingress, tekst, region, komplett, advarsler "
        "FROM entries ORDER BY slug",
        "sources": "SELECT e.slug, s.fil, s.sha256, s.rolle FROM sources s "
        "JOIN entries e ON e.id = s.entry_id ORDER BY s.fil",
        "items": "SELECT e.slug, i.liste, i.pos, i.tekst, i.term FROM items i "
        "JOIN entries e ON e.id = i.entry_id ORDER BY e.slug, i.liste, i.pos",
        "places": "SELECT e.slug, p.pos, p.navn, p.fylke_2024 FROM places p "
        "JOIN entries e ON e.id = p.entry_id ORDER BY e.slug, p.pos",
    }
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}


def _counts(stderr: str) -> dict[str, int]:
    (summary,) = [line for line in stderr.splitlines() if line.startswith("Import done: ")]
    pairs = (part.split(" ", 1) for part in summary.removeprefix("Import done: ").split(", "))
    return {label: int(number) for number, label in pairs}


@pytest.mark.slow
def test_two_imports_of_the_same_new_files_at_once_are_as_one_after_the_other(
    tmp_path: Path,
) -> None:
    base = tmp_path / "base.db"
    assert tilflytting("import", "--db", str(base), str(CATALOG)).returncode == 0
    new = tmp_path / "new"
    new.mkdir()
    bundled = sorted(CATALOG.glob("*.yaml"))
    for file in bundled:  # copies of stored files under new names: more sources
        shutil.copy(file, new / f"copy-{file.name}")
    shutil.copy(GOOD, new / "new-page.txt")  # a new entry
    sequential = tmp_path / "sequential.db"
    shutil.copy(base, sequential)
    runs = [tilflytting("import", "--db", str(sequential), str(new)) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert _counts(runs[0].stderr)["added"] == 1
    assert _counts(runs[1].stderr) == {
        "added": 0,
        "updated": 0,
        "unchanged": len(bundled) + 1,
        "failed": 0,
    }
    expected = _catalog_state(sequential)
    assert len(expected["sources"]) == 2 * len(bundled) + 1
    for _round in range(4):
        db = tmp_path / "together.db"
        for leftover in tmp_path.glob("together.db*"):
            leftover.unlink()
        shutil.copy(base, db)
        processes = [start("import", "--db", str(db), str(new)) for _ in range(2)]
        errors = [process.communicate(timeout=120)[1] for process in processes]
        for process, stderr in zip(processes, errors, strict=True):
            assert process.returncode == 0, stderr
            assert "Traceback" not in stderr and "UNIQUE" not in stderr
        counts = [_counts(stderr) for stderr in errors]
        assert sorted(c["added"] for c in counts) == [0, 1]  # the second saw the first's
        assert all(c["failed"] == 0 for c in counts)
        assert _catalog_state(db) == expected


# -- 3. long YAML lists take linear time -------------------------------------------------------
GUARD_SECONDS = 40  # only against a hang: each file imports in 1-5 s here (before: minutes)
HEAD = "tittel: Liste i Holtålen\n"
# (what comes before the list, its repeated element, what closes it)
YAML_LISTS: dict[str, tuple[str, str, str]] = {
    "places in one line": ("kommuner: [", "Holtålen, ", "Holtålen]\n"),
    "places, one a line": ("kommuner:\n", "  - Holtålen\n", ""),
    "places by name and number": ("kommuner:\n", "  - Holtålen\n  - '5031'\n", ""),
    "counties": ("fylke:\n", "  - Sør-Trøndelag\n", ""),
    "projects": ("kommuner: [Holtålen]\nprosjekter:\n", "  - navn: Bolyst\n    fra: 2008\n", ""),
    "items": ("kommuner: [Holtålen]\naktiviteter:\n", "  - Annonsering i media\n", ""),
    "items in one line": ("kommuner: [Holtålen]\naktiviteter: [", "Annonsering, ", "x]\n"),
    "items with a term": (
        "kommuner: [Holtålen]\nmalgrupper:\n",
        "  - {tekst: Unge voksne, term: ungdom}\n",
        "",
    ),
    "items in the wrong list": ("kommuner: [Holtålen]\naktiviteter:\n", "  - Ungdom\n", ""),
    "main goals": ("kommuner: [Holtålen]\nhovedmal:\n", "  - Flere innbyggere\n", ""),
    "areas": ("kommuner: [Holtålen]\nfagomrader:\n", "  - Tilflytting\n", ""),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(YAML_LISTS))
def test_a_two_megabyte_yaml_list_imports_in_seconds(tmp_path: Path, name: str) -> None:
    before, unit, after = YAML_LISTS[name]
    room = MAX_FILE_BYTES - len((HEAD + before + after).encode())
    text = HEAD + before + unit * (room // len(unit.encode())) + after
    assert len(text.encode()) > MAX_FILE_BYTES * 0.99  # as big as a file may be
    file = tmp_path / "liste.yaml"
    file.write_text(text, "utf-8")
    db = tmp_path / "c.db"
    done = tilflytting("import", "--db", str(db), str(file), timeout=GUARD_SECONDS)
    assert done.returncode == 0, done.stderr[-2000:]
    assert titles(db) == ["Liste i Holtålen"]


def test_a_place_listed_many_times_is_one_place(tmp_path: Path) -> None:
    file = tmp_path / "k.yaml"
    names = ["Holtålen", "'1644'", "Tynset", "'5026'"] * 1000  # numbers of 2012, 2024
    file.write_text(f"tittel: K\nkommuner: [{', '.join(names)}]\n", "utf-8")
    db = tmp_path / "c.db"
    assert tilflytting("import", "--db", str(db), str(file)).returncode == 0
    with sqlite3.connect(db) as conn:
        places = conn.execute("SELECT navn, linje FROM places ORDER BY pos").fetchall()
    assert places == [("Holtålen", 2), ("Tynset", 2)]


# -- 4. thousands of warnings -----------------------------------------------------------------
def test_thousands_of_warnings_are_shown_and_stored_up_to_a_cap(tmp_path: Path) -> None:
    headings = 5_000
    page = tmp_path / "overskrifter.txt"
    page.write_text("Tiltak i Holtålen\n\nIngress.\n\n" + "Aktiviteter\n\n" * headings, "utf-8")
    db = tmp_path / "c.db"
    done = tilflytting("import", "--db", str(db), str(page))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if ": warning: " in line]
    empty = [line for line in lines if "heading 'Aktiviteter' has no items" in line]
    assert len(lines) == MAX_PROBLEMS + 1
    # The first ones as they were, at their lines (heading n is on line 5 + 2n).
    assert [line.split(":")[1] for line in empty] == [str(5 + 2 * n) for n in range(len(empty))]
    # One warning per heading, and the page ends with a heading: cut off.
    hidden = headings + 1 - len(empty)
    assert lines[-1].endswith(f"... and {hidden} more warnings in this file")
    with sqlite3.connect(db) as conn:
        (stored,) = conn.execute("SELECT advarsler FROM entries").fetchone()
    messages = [problem["melding"] for problem in json.loads(stored)]
    assert len(messages) == MAX_PROBLEMS + 1
    assert messages[-1] == f"... and {hidden} more warnings in this file"


def test_hidden_errors_still_fail_the_file(tmp_path: Path) -> None:
    unknown = [f"Ukjent{n}" for n in range(MAX_PROBLEMS * 2)]
    file = tmp_path / "k.yaml"
    file.write_text(f"tittel: K\nkommuner: [{', '.join(unknown)}]\n", "utf-8")
    done = tilflytting("import", "--db", str(tmp_path / "c.db"), str(file))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "k.yaml" in line]
    assert len(lines) == MAX_PROBLEMS + 1
    assert ": error: ... and " in lines[-1] and "errors)" in lines[-1]
    assert "Ukjent0" in lines[0] and "Ukjent39" not in done.stderr
