"""Shared fixtures: the corpus (from ../shared, skipped where absent), our own
fixture pages, a temporary database and a CLI runner; the bundled catalog,
imported once a session and copied for each test or module that uses it.

Expected answers about the bundled catalog come from its YAML files and the
reference tables (tests/catalog_expected.py), not from the program. Tests
that take seconds each are marked `slow`: `pytest -m "not slow"` is the
quick loop, `make test` (on every core) and CI run everything."""

from __future__ import annotations

import compileall
import csv
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

# The suite reads messages in English (the language the code is written in);
# tests of the Norwegian output set TILFLYTTING_LANG=nb themselves. Set before
# the CLI is imported: its help text is translated when the commands are made.
os.environ["TILFLYTTING_LANG"] = "en"

from tilflytting.cli import app

# Property tests: hundreds of examples in CI; `make fuzz` runs many more.
settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("fuzz", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = FIXTURES / "pages"
CORPUS = ROOT.parent / "shared" / "corpus"
CATALOG = ROOT / "data" / "catalog"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Write our modules' bytecode, as installing the package does. Where
    PYTHONDONTWRITEBYTECODE is set (our workplace machines and CI) a fresh
    clone has none, and each of the suite's ~50 subprocesses compiled the
    modules it imports again (35-40 ms each)."""
    compileall.compile_dir(ROOT / "tilflytting", quiet=1)


def corpus_index() -> dict[str, dict[str, str]]:
    if not (CORPUS / "INDEX.tsv").exists():
        return {}
    with (CORPUS / "INDEX.tsv").open(encoding="utf-8") as handle:
        return {row["slug"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the real corpus (../shared/corpus) is not in this checkout")
    return CORPUS


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "catalog.db"


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """A private copy of the fixture pages, free to change."""
    target = tmp_path / "pages"
    shutil.copytree(PAGES, target)
    for name in ("no-title.txt", "items-after-colon.txt"):  # the four pages the tests count
        (target / name).unlink()
    return target


class Cli:
    """Runs the command line against one database, stdout and stderr apart."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(app, [*args, "--db", str(self.db)], catch_exceptions=False)


@pytest.fixture
def cli(db: Path) -> Iterator[Cli]:
    yield Cli(db)


def _imported(db: Path, *paths: Path) -> Path:
    """`db` after `tilflytting import PATHS`, checkpointed into one file."""
    result = Cli(db)("import", *map(str, paths))
    assert result.exit_code == 0, result.stderr
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog imported once a session. Never hand this file to a
    test: copy it (`copy_db`), so that no test sees another's writes."""
    return _imported(tmp_path_factory.mktemp("bundled") / "catalog.db", CATALOG)


def copy_db(source: Path, target: Path) -> Path:
    """A private copy of a database made once a session (one file: the
    session fixtures checkpoint their write-ahead log into it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def catalog_copy(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Cli:
    """A CLI on a copy of the bundled catalog, for a module's fixture."""
    return Cli(copy_db(bundled_db, tmp_path_factory.mktemp(name) / "catalog.db"))


@pytest.fixture
def catalog_cli(cli: Cli, bundled_db: Path) -> Cli:
    """A CLI whose database holds the bundled catalog (a copy of the one
    imported once a session)."""
    copy_db(bundled_db, cli.db)
    return cli
