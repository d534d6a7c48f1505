"""Bad input, hostile text and faults: nothing a user feeds the tool may crash
it, corrupt the database or reach the terminal as control sequences."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, PAGES, Cli
from tilflytting.store.database import Store

GOOD = (PAGES / "bokmal-complete.txt").read_text("utf-8")
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "file is empty"),
    "blank.txt": (b"  \n\t\n  ", "file is empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary data"),
    "utf16.txt": (GOOD.encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    "garbled.txt": (b"Tittel\n\x81\x8d\x8f\x90 tekst\n", "neither UTF-8 nor Windows-1252"),
    "no-title.txt": ((PAGES / "no-title.txt").read_bytes(), "page has no title"),
    "headings.txt": (b"Aktiviteter\n\nM\xc3\xa5lgrupper\n\nHovedm\xc3\xa5l\n", "page has no title"),
    "object.yaml": (b"tittel: !!python/object:os.system X\n", "python/object"),
    "bomb.yaml": (b"tittel: X\naktiviteter: &a [a, a]\nmalgrupper: [*a, *a]\n", "aliases"),
    "list.yaml": (b"- tittel: X\n", "must be a mapping"),
    "twice.yaml": (b"tittel: X\ntittel: Y\n", "duplicate key 'tittel'"),
    "number.yaml": (b"tittel: X\nkommuner: [0301]\n", "0301 was read as a number"),
}


def stderr_lines_for(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"/{name}" in line and ": error: " in line]


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_one_clear_line_and_the_rest_goes_on(
    cli: Cli, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    data, message = BAD_FILES[name]
    (folder / name).write_bytes(data)
    assert cli("import", str(CATALOG / "tilflyttingstiltak-i-holtalen.yaml")).exit_code == 0
    result = cli("import", str(folder))
    assert result.exit_code == 3
    lines = stderr_lines_for(result.stderr, name)
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    slugs = {r["slug"] for r in json.loads(cli("list", "--format", "json").stdout)}
    assert slugs == {"tilflyttingstiltak-i-holtalen", "tilflyttingsarbeid-i-tynset"}


def test_huge_file_is_refused_without_reading_it(cli: Cli, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB that cost nothing to make
    started = time.perf_counter()
    result = cli("import", str(huge))
    assert result.exit_code == 1 and "larger than the 2 MB limit" in result.stderr
    assert time.perf_counter() - started < 5


def test_pathological_but_valid_pages_import(cli: Cli, tmp_path: Path) -> None:
    many = "Mange punkt\n\nIngress.\n\nAktiviteter\n\n" + "".join(
        f" • Tiltak {i}\n" for i in range(10_000)
    )
    (tmp_path / "many.txt").write_text(many, "utf-8")
    long_line = "Lang linje\n\nIngress.\n\n" + "ord " * 250_000 + "\n\nMålgrupper\n\n • Ungdom\n"
    (tmp_path / "long.txt").write_text(long_line, "utf-8")
    (tmp_path / "empty-heading.txt").write_text(
        "Tom\n\nIngress.\n\nAktiviteter\n\nMålgrupper\n\n • Ungdom\n", "utf-8"
    )
    started = time.perf_counter()
    result = cli("import", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert time.perf_counter() - started < 60
    rows = {r["slug"]: r for r in json.loads(cli("list", "--format", "json").stdout)}
    assert rows["mange-punkt"]["aktiviteter"] == 10_000
    assert rows["lang-linje"]["malgrupper"] == 1
    assert "heading 'Aktiviteter' has no items" in result.stderr


def test_symlink_loops_and_unreadable_files(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    (folder / "loop").symlink_to(folder)  # a folder that contains itself
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")  # a file link loop
    (folder / "secret.txt").write_text(GOOD.replace("Tynset", "Alvdal"), "utf-8")
    real_open = os.open  # files are opened with os.open (core/files.py): never blocking

    def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "secret.txt":  # as root, chmod 000 would not stop a read
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    result = cli("import", str(folder))
    assert result.exit_code == 3, result.stderr
    assert "secret.txt: error: cannot read: Permission denied" in result.stderr
    assert "a.txt: error: cannot read" in result.stderr
    assert "1 added" in result.stderr


def test_folder_without_entry_files(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("# nothing", "utf-8")
    result = cli("import", str(tmp_path))
    assert result.exit_code == 1 and "no entry files" in result.stderr


HOSTILE = (
    "[bold red]Eget[/] [link=https://x.test]nettsted[/link] \x1b[31mrød\x1b[0m "
    "\x1b]8;;https://evil.test\x07lenke\x1b]8;;\x07 \x1b]0;tittel\x07 \x1b[2J\x1b[H \x9b31m "
    "\u202eevil\u202c \x07\x08 " + "Ord" * 200
)


def test_hostile_text_reaches_no_terminal(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    (tmp_path / "hostile.txt").write_text(GOOD.replace("Eget nettsted", HOSTILE), "utf-8")
    assert cli("import", str(tmp_path / "hostile.txt")).exit_code == 0
    for args in (["show", "tynset"], ["list"], ["search", "nettsted"], ["search", "[bold]"]):
        out = cli(*args).stdout
        assert not any(ch in out for ch in "\x1b\x07\x08\x9b\u202e\u202c"), args
        assert all(len(line) <= 80 for line in out.splitlines()), args
    assert "[bold red]Eget[/]" in cli("show", "tynset").stdout  # shown, not obeyed
    markdown = cli("show", "tynset", "--format", "markdown").stdout
    assert "\\[link=https://x.test\\]" in markdown and "\x1b" not in markdown
    data = json.loads(cli("show", "tynset", "--format", "json").stdout)
    assert not any("\x1b" in i["tekst"] for i in data["aktiviteter"])


def test_read_only_database(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("import", str(CATALOG / "tilflyttingstiltak-i-holtalen.yaml")).exit_code == 0
    before = cli.db.read_bytes()
    real_connect = sqlite3.connect

    def read_only(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        conn.execute("PRAGMA query_only = ON")  # as a file the user may not write
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    result = cli("import", str(PAGES / "bokmal-complete.txt"))
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert cli("show", "holtalen").exit_code == 0  # reading still works
    monkeypatch.undo()
    assert cli.db.read_bytes() == before


def test_full_disk(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("import", str(CATALOG / "tilflyttingstiltak-i-holtalen.yaml")).exit_code == 0
    real_connect = sqlite3.connect

    def full(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = real_connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # no room to grow
        return conn

    monkeypatch.setattr(sqlite3, "connect", full)
    result = cli("import", str(CATALOG))
    assert result.exit_code == 1 and "full" in result.stderr and "Traceback" not in result.stderr
    monkeypatch.undo()
    rows = json.loads(cli("list", "--format", "json").stdout)
    assert [r["slug"] for r in rows] == ["tilflyttingstiltak-i-holtalen"]
    assert Store.open(cli.db).conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("seed", range(3))
def test_corrupt_database(cli: Cli, seed: int) -> None:
    cli.db.write_bytes(random.Random(seed).randbytes(8192))
    before = cli.db.read_bytes()
    for args in (["list"], ["import", str(PAGES / "bokmal-complete.txt")]):
        result = cli(*args)
        assert result.exit_code == 1 and "cannot use" in result.stderr
        assert "Traceback" not in result.stderr
    assert cli.db.read_bytes() == before


def test_database_from_a_newer_version(cli: Cli) -> None:
    assert cli("import", str(CATALOG / "tilflyttingstiltak-i-holtalen.yaml")).exit_code == 0
    conn = sqlite3.connect(cli.db)
    conn.execute("INSERT INTO _migrations (name, applied) VALUES ('m999_future', 'x')")
    conn.commit()
    conn.close()
    result = cli("show", "holtalen")
    assert result.exit_code == 1 and "newer version of tilflytting" in result.stderr


# -- real processes ---------------------------------------------------------------------------
def run(db: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TILFLYTTING_DB": str(db)}
    return subprocess.Popen(
        [sys.executable, "-m", "tilflytting", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_pages(folder: Path, version: str, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        extra = "".join(f" • Tiltak {version} {k}\n" for k in range(20))
        page = GOOD.replace("Tynset", f"Tynset {n}").replace(" • Vertskapsordning\n", extra)
        (folder / f"page-{n:04}.txt").write_text(page, "utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(6))
def test_killed_import_leaves_old_or_new_state(tmp_path: Path, attempt: int) -> None:
    db, folder = tmp_path / "c.db", tmp_path / "pages"
    write_pages(folder, "gammel", 300)
    assert run(db, "import", str(folder)).wait() == 0
    write_pages(folder, "ny", 300)
    process = run(db, "import", str(folder))
    time.sleep(random.Random(attempt).uniform(0.05, 3.0))  # before, during or after commit
    process.send_signal(signal.SIGKILL)
    process.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    versions: dict[int, set[str]] = {}
    for entry_id, text in conn.execute(
        "SELECT entry_id, tekst FROM items WHERE liste = 'aktiviteter' AND tekst LIKE 'Tiltak %'"
    ):
        versions.setdefault(entry_id, set()).add(text.split()[1])
    assert all(len(found) == 1 for found in versions.values())  # never half an entry
    assert len(set.union(*versions.values())) == 1  # one import is one transaction
    counts = {
        r[0]
        for r in conn.execute(
            "SELECT count(*) FROM items WHERE liste = 'aktiviteter' GROUP BY entry_id"
        )
    }
    assert counts == {22}  # every entry whole: 2 kept activities and 20 written ones
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 300


@pytest.mark.slow
def test_concurrent_imports_and_searches(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    first, second = tmp_path / "a", tmp_path / "b"
    write_pages(first, "a", 120)
    for page in sorted(first.iterdir())[:60]:
        second.mkdir(exist_ok=True)
        (second / page.name.replace("page", "other")).write_text(
            page.read_text("utf-8").replace("Tynset", "Alvdal"), "utf-8"
        )
    assert run(db, "import", str(CATALOG)).wait() == 0
    processes = [run(db, "import", str(first)), run(db, "import", str(second))]
    processes += [run(db, "search", "tynset", "--format", "json") for _ in range(4)]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    sequential = tmp_path / "s.db"
    for folder in (CATALOG, first, second):
        assert run(sequential, "import", str(folder)).wait() == 0

    def snapshot(path: Path) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(path)
        return conn.execute(
            "SELECT e.slug, i.liste, i.tekst, i.term FROM items i JOIN entries e "
            "ON e.id = i.entry_id ORDER BY e.slug, i.liste, i.pos"
        ).fetchall()

    assert snapshot(db) == snapshot(sequential)
