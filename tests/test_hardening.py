"""Issue 17, hardening: each finding of the attack on the tool, as the
attacker ran it, and what happens now (docs/reliability.md lists them).

Exports stay in their folder and lose nothing; files that are no files do
not hang an import; one bad file never sinks the others; numbers and
arguments are checked; a file that is not a catalog is never written; every
database failure is one line naming its cause. (Hostile text on the
terminal: tests/test_terminal.py; the fuzzing: tests/test_fuzz_hostile.py.)
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, PAGES, ROOT, Cli

GOOD = (PAGES / "bokmal-complete.txt").read_text("utf-8")  # Tynset
HOLTALEN = CATALOG / "tilflyttingstiltak-i-holtalen.yaml"


def yaml_entry(title: str, extra: str = "") -> str:
    return f"tittel: {title}\nkommuner: [Tynset]\n{extra}"


def slugs(cli: Cli) -> list[str]:
    return sorted(row["slug"] for row in json.loads(cli("list", "--format", "json").stdout))


def set_slug(cli: Cli, old: str, new: str) -> None:
    """What an older version let a YAML entry store as its slug."""
    with sqlite3.connect(cli.db) as conn:
        conn.execute("UPDATE entries SET slug = ? WHERE slug = ?", (new, old))
    conn.close()


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


# -- 1, 2: exports confined to their folder, nothing lost -----------------------------------
HOSTILE_SLUGS = {
    "climbs": "../other/config",
    "deeper": "../../x",
    "absolute": "/tmp/tilflytting-absolute-slug",
    "dot": "./a",
    "plain": "a",
    "hidden": ".hidden",
    "empty": "",
    "slash": "b/c",
    "backslash": "d\\e",
    "device": "con",
    "upper": "A",
    "long": "x" * 300,
    "control": "f\x1b[2Jg",
}


@pytest.fixture
def hostile(cli: Cli, tmp_path: Path) -> Cli:
    """A catalog whose slugs an older version took from YAML files as written."""
    folder = tmp_path / "entries"
    folder.mkdir()
    for name in HOSTILE_SLUGS:
        (folder / f"{name}.yaml").write_text(yaml_entry(f"Oppføring {name}"), "utf-8")
    assert cli("import", str(folder)).exit_code == 0
    for name, slug in HOSTILE_SLUGS.items():
        set_slug(cli, f"oppforing-{name}", slug)
    return cli


@pytest.mark.parametrize("fmt", ["yaml", "html"])
def test_export_never_writes_outside_its_folder(hostile: Cli, tmp_path: Path, fmt: str) -> None:
    work = tmp_path / "work"
    (work / "other").mkdir(parents=True)
    (work / "other" / "config.yaml").write_text("mine", "utf-8")
    before = set(tmp_path.rglob("*")) | set(Path("/tmp").glob("tilflytting-absolute*"))
    result = hostile("export", "--format", fmt, "--out", str(work / "out"))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    after = set(tmp_path.rglob("*")) | set(Path("/tmp").glob("tilflytting-absolute*"))
    outside = [p for p in after - before if work / "out" not in [p, *p.parents]]
    assert outside == []
    assert (work / "other" / "config.yaml").read_text("utf-8") == "mine"
    # Every entry has a file of its own, none hidden.
    pages = tree(work / "out")
    own = [n for n in pages if n.endswith(f".{fmt}") and n not in ("index.html", "oversikt.html")]
    assert len(own) == len(HOSTILE_SLUGS)
    assert not any(part.startswith(".") for n in own for part in Path(n).parts)


def test_exported_yaml_imports_back_to_every_entry(hostile: Cli, tmp_path: Path) -> None:
    result = hostile("export", "--format", "yaml", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    renamed = [line for line in result.stderr.splitlines() if "not a safe file name" in line]
    assert len(renamed) == len(HOSTILE_SLUGS) - 1  # all but "a"
    again = Cli(tmp_path / "again.db")
    imported = again("import", str(tmp_path / "out"))
    assert imported.exit_code == 0, imported.stderr
    assert len(slugs(again)) == len(HOSTILE_SLUGS)  # `a` and `./a` were one file


def test_export_html_links_every_entry_page(hostile: Cli, tmp_path: Path) -> None:
    assert hostile("export", "--format", "html", "--out", str(tmp_path / "site")).exit_code == 0
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    for page in (tmp_path / "site" / "oppforing").iterdir():
        assert f'href="oppforing/{page.name}"' in index


def test_yaml_slug_that_cannot_name_a_file_is_an_error(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.yaml").write_text(yaml_entry("God"), "utf-8")
    for name, slug in HOSTILE_SLUGS.items():
        if slug:  # an empty slug is made from the title
            text = yaml_entry(f"X {name}", f"slug: {json.dumps(slug)}\n")
            (folder / f"{name}.yaml").write_text(text, "utf-8")
    result = cli("import", str(folder))
    assert result.exit_code == 3 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == len(HOSTILE_SLUGS) - 2  # all but the empty one and "a"
    assert all(".yaml:3: error: 'slug': " in line for line in errors), errors
    assert slugs(cli) == ["a", "god"]


@pytest.mark.parametrize("fmt", ["yaml", "html"])
def test_export_refuses_a_folder_it_did_not_make(
    catalog_cli: Cli, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    (out / "tilflyttingstiltak-i-holtalen.yaml").write_text("mine too", "utf-8")
    before = tree(out)
    refused = catalog_cli("export", "--format", fmt, "--out", str(out))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert tree(out) == before
    forced = catalog_cli("export", "--format", fmt, "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert (out / "notes.txt").read_text("utf-8") == "mine"
    written = tree(out)
    assert len(written) > len(before)
    if fmt == "yaml":
        assert written["tilflyttingstiltak-i-holtalen.yaml"] != b"mine too"


def test_export_again_into_its_own_folder_replaces_it_whole(
    catalog_cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert catalog_cli("export", "--format", "yaml", "--out", str(out)).exit_code == 0
    assert len(list(out.glob("*.yaml"))) == len(list(CATALOG.glob("*.yaml")))
    fewer = catalog_cli("export", "--format", "yaml", "--out", str(out), "--fylke", "Trøndelag")
    assert fewer.exit_code == 0, fewer.stderr
    kept = sorted(p.stem for p in out.glob("*.yaml"))
    listed = json.loads(catalog_cli("list", "--fylke", "Trøndelag", "--format", "json").stdout)
    assert kept == sorted(row["slug"] for row in listed)  # no entry of the last export lingers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.db", "out"]  # no old one left


@pytest.mark.parametrize("fmt", ["yaml", "html"])
def test_a_failed_export_leaves_the_folder_as_it_was(
    catalog_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    out = tmp_path / "out"
    assert catalog_cli("export", "--format", fmt, "--out", str(out)).exit_code == 0
    before = tree(out)
    real_write = Path.write_text
    written: list[Path] = []

    def fills_up(self: Path, *args: Any, **kwargs: Any) -> int:
        written.append(self)
        if len(written) > 5:
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", fills_up)
    result = catalog_cli("export", "--format", fmt, "--out", str(out))
    monkeypatch.undo()
    assert result.exit_code == 1 and "No space left on device" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", "catalog.db"])


def test_export_to_a_file_is_whole_or_not_at_all(
    catalog_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "catalog.json"
    out.write_text("old", "utf-8")
    assert catalog_cli("export", "--format", "json", "--out", str(out)).exit_code == 0
    assert len(json.loads(out.read_text("utf-8"))["oppforinger"]) == len(list(CATALOG.iterdir()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog.db", "catalog.json"]


# -- 4: no hang ------------------------------------------------------------------------------
def run(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    """The real program in a process of its own (a hang is a failed test, not
    a stuck suite: the timeout only guards against that)."""
    return subprocess.run(
        [sys.executable, "-m", "tilflytting", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "TILFLYTTING_LANG": "en", "COLUMNS": "80", **env},
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_named_pipe_in_a_folder_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, "utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.mkfifo(folder / "pipe.yaml")
    result = run("import", str(folder), "--db", str(tmp_path / "c.db"))
    assert result.returncode == 0, result.stderr
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert len(skipped) == 2 and all("named pipe" in line for line in skipped)
    assert "1 added" in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_named_pipe_or_device_named_directly_is_refused(
    cli: Cli, tmp_path: Path, kind: str
) -> None:
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this system")
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero here")
    result = run("import", str(path), "--db", str(tmp_path / "c.db"))
    assert result.returncode == 1
    assert ("named pipe" if kind == "fifo" else "a device") in result.stderr
    assert "no such file" not in result.stderr
    checked = run("check", str(path))
    assert checked.returncode == 1 and "not a file" in checked.stderr
    listed = run("list", "--db", str(path))
    assert listed.returncode == 1 and "not a catalog database" in listed.stderr
    update = run("folketall", "--update", str(path), TILFLYTTING_DATA=str(tmp_path / "data"))
    assert update.returncode == 1 and "not a file" in update.stderr
    assert not (tmp_path / "data").exists()


# -- 5: one bad YAML file never sinks the others ---------------------------------------------
BAD_YAML = {
    "surrogate.yaml": ('tittel: "\\ud800"\n', "lone surrogate"),
    "nested.yaml": ("tittel: X\nfagomrader: " + "[" * 20_000 + "\n", "nested too deeply"),
    "huge.yaml": (
        yaml_entry("Stor", "prosjekter:\n- navn: P\n  fra: " + "9" * 5000 + "\n"),
        "is not a year",
    ),
    "bigint.yaml": (
        yaml_entry("Stor", "prosjekter:\n- navn: P\n  fra: 99999999999999999999\n"),
        "is not a year",
    ),
}


def test_bad_yaml_files_fail_alone(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.yaml").write_text(yaml_entry("God"), "utf-8")
    for name, (text, _message) in BAD_YAML.items():
        (folder / name).write_text(text, "utf-8")
    result = cli("import", str(folder))
    assert result.exit_code == 3, result.stderr
    assert "Traceback" not in result.stderr
    for name, (_text, message) in BAD_YAML.items():
        lines = [line for line in result.stderr.splitlines() if f"/{name}" in line]
        assert len(lines) == 1 and ": error: " in lines[0] and message in lines[0], lines
    assert slugs(cli) == ["god"]


# -- 6: arguments ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        ["search", "--år", "9" * 30],
        ["search", "--fra", "9" * 30],
        ["search", "--til", "-" + "9" * 30],
        ["timeline", "--år", "3000"],
        ["summarise", "--fra", "1800"],
        ["show", "\udcff"],
        ["compare", "holtalen", "\udcff"],
        ["similar", "\udcff"],
        ["folketall", "\udcff"],
        ["search", "--raw", "\udcff"],
        ["search", "\udcff"],
        ["list", "--fylke", "\udcff"],
        ["search", "--målgruppe", "x\udcffy"],
    ],
)
def test_bad_arguments_are_usage_errors(catalog_cli: Cli, args: list[str]) -> None:
    result = catalog_cli(*args)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and "\udcff" not in result.stderr


def test_invalid_utf8_in_a_real_argument_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tilflytting", "show", b"\xff", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        timeout=120,
        env={**os.environ, "TILFLYTTING_LANG": "en"},
    )
    assert result.returncode == 2 and b"not UTF-8" in result.stderr
    assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["list", "search", "timeline", "similar holtalen"])
def test_huge_limits_are_capped(catalog_cli: Cli, command: str) -> None:
    result = catalog_cli(*command.split(), "--limit", "1" + "0" * 30, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "mismatch" not in result.stderr
    top = catalog_cli("summarise", "--top", "1" + "0" * 30, "--format", "json")
    assert top.exit_code == 0 and "mismatch" not in top.stderr


# -- 7: numbers in YAML ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("project", "message"),
    [
        ("fra: 20:08", "20:08 is not a year"),  # YAML 1.1 reads 1208 (base 60)
        ("fra: -2008", "-2008 is not a year"),
        ("fra: 0x7d8", "0x7d8 is not a year"),
        ("fra: 1850", "1850 is not a year between 1900 and 2100"),
        ("fra: 2012\n  til: 2001", "ends (2001) before it starts (2012)"),
    ],
)
def test_years_that_cannot_be_are_errors(
    cli: Cli, tmp_path: Path, project: str, message: str
) -> None:
    path = tmp_path / "entry.yaml"
    path.write_text(yaml_entry("Årstall", f"prosjekter:\n- navn: P\n  {project}\n"), "utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "entry.yaml" in line]
    assert len(lines) == 1 and message in lines[0], lines
    assert "entry.yaml:5: error:" in lines[0] or "entry.yaml:6: error:" in lines[0], lines


# -- 7: a file that is not a catalog is never written --------------------------------------
def foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (tekst TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("kind", ["foreign", "empty", "sqlite without tables"])
@pytest.mark.parametrize("command", [["list"], ["show", "holtalen"], ["import", str(HOLTALEN)]])
def test_a_file_that_is_not_a_catalog_is_never_written(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    db = tmp_path / "other.db"
    if kind == "foreign":
        foreign(db)
    elif kind == "empty":
        db.write_bytes(b"")
    else:
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA user_version = 7")
        conn.close()
    before = db.read_bytes()
    result = Cli(db)(*command)
    assert result.exit_code == 1 and "not a tilflytting catalog" in result.stderr
    assert result.stderr.count("\n") == 1
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm


def test_a_new_catalog_is_made_whole(tmp_path: Path) -> None:
    db = tmp_path / "new" / "c.db"
    assert Cli(db)("import", str(HOLTALEN)).exit_code == 0
    assert sorted(p.name for p in db.parent.iterdir()) == ["c.db"]
    assert Cli(db)("list", "--format", "json").exit_code == 0


# -- 8: messages that name the cause, one line each -------------------------------------------
def one_line(result: Any) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return str(result.stderr)


def test_locked_database_says_so(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tilflytting.store import database

    assert cli("import", str(HOLTALEN)).exit_code == 0
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(cli.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = cli("import", str(PAGES / "bokmal-complete.txt"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "is locked" in one_line(result)


def test_newer_schema_says_so_in_one_line(cli: Cli) -> None:
    assert cli("import", str(HOLTALEN)).exit_code == 0
    with sqlite3.connect(cli.db) as conn:
        conn.execute("INSERT INTO _migrations (name, applied) VALUES ('m999_future', 'x')")
    conn.close()
    before = cli.db.read_bytes()
    result = cli("list")
    assert result.exit_code == 1 and "newer version" in one_line(result)
    assert cli.db.read_bytes() == before


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """A file even root cannot write (`chattr +i`), where the system allows it."""
    if shutil.which("chattr") is None:
        pytest.skip("no chattr here")
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {made.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_a_read_only_file_answers_read_commands(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    assert Cli(db)("import", str(CATALOG)).exit_code == 0
    with sqlite3.connect(db) as conn:  # stale kept counts: a read would keep them again
        conn.execute("UPDATE items SET term = 'barnefamilier' WHERE term = 'ungdom'")
    conn.close()
    with immutable(db):
        for command in (["list"], ["show", "holtalen"], ["search", "holtålen"], ["summarise"]):
            result = Cli(db)(*command, "--format", "json")
            assert result.exit_code == 0, (command, result.stderr)
        refused = Cli(db)("import", str(PAGES / "bokmal-complete.txt"))
        assert refused.exit_code == 1 and "read-only" in one_line(refused)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["c.db"]  # no -wal, no -shm


def mounts() -> bool:
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    return probe.returncode == 0


def in_mount(tmp_path: Path, script: str) -> subprocess.CompletedProcess[str]:
    """`script` in a private mount namespace with a small tmpfs at $MNT
    (root only; nothing is mounted for anyone else)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    program = f"{sys.executable} -m tilflytting"
    return subprocess.run(
        ["unshare", "-m", "bash", "-c", f"set -u\n{script}"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={
            **os.environ,
            "TILFLYTTING_LANG": "en",
            "MNT": str(mnt),
            "T": program,
            "CATALOG": str(CATALOG),
            "ONE": str(HOLTALEN),
        },
    )


@pytest.mark.skipif(not mounts(), reason="needs root and unshare to mount a small disk")
def test_full_disk_on_a_real_file_system(tmp_path: Path) -> None:
    done = in_mount(
        tmp_path,
        """
        mount -t tmpfs -o size=4m tmpfs "$MNT"
        $T import "$ONE" --db "$MNT/c.db" 2>/dev/null
        cp "$MNT/c.db" "$MNT/../before.db"
        free=$(df --output=avail -k "$MNT" | tail -1)
        dd if=/dev/zero of="$MNT/fill" bs=1k count=$((free - 64)) 2>/dev/null
        echo "IMPORT"; $T import "$CATALOG" --db "$MNT/c.db"; echo "rc=$?"
        dd if=/dev/zero of="$MNT/fill2" bs=1k 2>/dev/null
        echo "LIST"; $T list --format csv --db "$MNT/c.db"; echo "rc=$?"
        echo "NEW"; $T import "$ONE" --db "$MNT/new.db"; echo "rc=$?"
        rm "$MNT/fill" "$MNT/fill2"
        echo "AFTER"; $T list --format csv --db "$MNT/c.db"; echo "rc=$?"
        ls -a "$MNT"
        """,
    )
    out = done.stdout + done.stderr
    assert "Traceback" not in out and "cannot rollback" not in out
    imported = done.stdout.split("IMPORT")[1].split("LIST")[0]
    assert "rc=1" in imported
    assert "database or disk is full" in done.stderr
    listed = done.stdout.split("LIST")[1].split("NEW")[0]
    assert "tilflyttingstiltak-i-holtalen" in listed and "rc=0" in listed  # reading still works
    assert "rc=1" in done.stdout.split("NEW")[1].split("AFTER")[0]
    after = done.stdout.split("AFTER")[1]
    rows = [line for line in after.splitlines() if line.startswith("tilflyttingstiltak")]
    assert len(rows) == 1 and "rc=0" in after  # the old data, intact
    assert "new.db" not in after and ".new" not in after  # no half-made catalog left


@pytest.mark.skipif(not mounts(), reason="needs root and unshare to mount a read-only disk")
def test_read_only_file_system_answers_read_commands(tmp_path: Path) -> None:
    done = in_mount(
        tmp_path,
        """
        mount -t tmpfs -o size=8m tmpfs "$MNT"
        $T import "$CATALOG" --db "$MNT/c.db" 2>/dev/null
        mount -o remount,ro "$MNT"
        for command in "list" "show holtalen" "search holtålen" "summarise" "timeline"; do
            echo "READ $command"
            $T $command --format json --db "$MNT/c.db" >/dev/null; echo "rc=$?"
        done
        echo "WRITE"; $T import "$ONE" --db "$MNT/c.db"; echo "rc=$?"
        ls -a "$MNT"
        """,
    )
    assert "Traceback" not in done.stderr
    assert done.stdout.count("rc=0") == 5, done.stdout + done.stderr
    assert "rc=1" in done.stdout.split("WRITE")[1]
    assert "read-only" in done.stderr and "unable to open" not in done.stderr
    assert done.stderr.count("\n") == 1
