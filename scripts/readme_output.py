"""Write the real output under each `$ tilflytting ...` line of the ```console
blocks of README.md and the docs (like cog): run with `make readme`; a test
fails when they show anything else.

The commands run against the bundled catalog (`import` against an empty
database), at 80 columns, in bokmål, with today fixed, so that the output
is the same on every machine. A `...` line stands for lines left out: the
lines before it are the first ones of the output, those after it the last.
It also draws the report's figure README shows (docs/rapport-holtalen.svg),
which the test does not compare: its bytes follow matplotlib's version.
Usage: python scripts/readme_output.py [--check]
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCUMENTS = [README, ROOT / "docs" / "vocabulary.md", ROOT / "docs" / "search.md"]
CATALOG = ROOT / "data" / "catalog"
SETTINGS = {"COLUMNS": "80", "TILFLYTTING_LANG": "nb", "TILFLYTTING_TODAY": "2026-06-01"}
BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)
FILES = ("import", "check", "convert")  # commands whose arguments are files in the checkout
CHANGES = ("remove",)  # commands that change the catalog: run on a copy of it


@contextmanager
def settings() -> Iterator[None]:
    before = {name: os.environ.get(name) for name in SETTINGS}
    os.environ.update(SETTINGS)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class Runner:
    """Runs commands in this process against a catalog made once."""

    def __init__(self, folder: Path) -> None:
        from typer.testing import CliRunner

        self.folder = folder
        self.runner = CliRunner()
        self.catalog = folder / "catalog.db"
        assert self.invoke(["import", str(CATALOG)], self.catalog)[0] == 0

    def invoke(self, args: list[str], db: Path | None) -> tuple[int, str, str]:
        from tilflytting.cli import app

        result = self.runner.invoke(app, [*args, "--db", str(db)] if db else args)
        return result.exit_code, result.output, result.stderr

    def output(self, command: str) -> list[str] | None:
        """The lines `command` prints (stdout and stderr as a terminal shows
        them; stderr alone when stdout goes to a file); None if it cannot
        run here (the corpus is not in this checkout)."""
        shell = command.split("  #")[0]
        redirected = " > " in shell
        args = shlex.split(shell.split(" > ")[0])[1:]
        db: Path | None
        if args[0] in FILES:
            if not all((ROOT / a).exists() for a in args[1:] if not a.startswith("-")):
                return None
            # `check` and `convert` read files only: no database.
            db = self.folder / f"fresh-{len(os.listdir(self.folder))}.db"
            db = db if args[0] == "import" else None
            cwd = ROOT
        elif args[0] in CHANGES:
            db = self.folder / f"copy-{len(os.listdir(self.folder))}.db"
            shutil.copyfile(self.catalog, db)
            cwd = self.folder
        else:
            db, cwd = self.catalog, self.folder
        here = Path.cwd()
        os.chdir(cwd)
        try:
            with settings():
                _code, output, stderr = self.invoke(args, db)
        finally:
            os.chdir(here)
        text = stderr if redirected else output
        return [line.rstrip() for line in text.rstrip("\n").splitlines()] if text.strip() else []


def rewrite(block: str, runner: Runner) -> str:
    """The block with each command's output as it is now, keeping where the
    README leaves lines out (`...`)."""
    lines = block.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line.startswith("$ "):
            continue
        shown = []
        while index < len(lines) and not lines[index].startswith("$ "):
            shown.append(lines[index])
            index += 1
        out.append(line)
        actual = runner.output(line[2:]) if line.startswith("$ tilflytting ") else None
        if actual is None:
            out += shown
            continue
        if "..." in shown:
            head = shown.index("...")
            tail = len(shown) - 1 - max(i for i, s in enumerate(shown) if s == "...")
            if head + tail < len(actual):
                actual = [*actual[:head], "...", *(actual[len(actual) - tail :] if tail else [])]
        out += actual
    return "\n".join(out) + "\n"


def current() -> dict[Path, str]:
    """Each document as it should read, with the output as it is now."""
    with tempfile.TemporaryDirectory() as folder:
        runner = Runner(Path(folder))
        return {
            path: BLOCK.sub(
                lambda m: m.group(1) + rewrite(m.group(2), runner) + m.group(3),
                path.read_text("utf-8"),
            )
            for path in DOCUMENTS
        }


FIGURE = ROOT / "docs" / "rapport-holtalen.svg"


def figure() -> str:
    """Holtålen's population figure, as `rapport --kommune holtalen` draws it."""
    with tempfile.TemporaryDirectory() as folder:
        runner = Runner(Path(folder))
        out = Path(folder) / "rapport"
        with settings():
            code, output, _stderr = runner.invoke(
                ["rapport", "--kommune", "holtalen", "--out", str(out)], runner.catalog
            )
        assert code == 0, output
        return (out / "figurer" / "folketall_tilflyttingstiltak-i-holtalen.svg").read_text("utf-8")


def main() -> int:
    documents = current()
    stale = [path for path, text in documents.items() if text != path.read_text("utf-8")]
    if "--check" in sys.argv:
        return 1 if stale else 0
    for path in stale:
        path.write_text(documents[path], "utf-8")
    FIGURE.write_text(figure(), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
