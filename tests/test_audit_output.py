"""What a user reads, checked where a first try found it wrong: labels in
search tables, the framework's own help in Norwegian, list names with their
letters, and nothing on stdout when nothing matches."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Cli, catalog_copy
from tilflytting.reference.vocabulary import vocabulary


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return catalog_copy(bundled_db, tmp_path_factory, "audit-output")


@pytest.fixture
def norwegian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")


def test_search_table_shows_term_labels_not_slugs(catalog: Cli) -> None:
    os.environ["COLUMNS"] = "120"
    try:
        result = catalog("search", "--samarbeidspartner", "naeringslivet", "--limit", "3")
    finally:
        del os.environ["COLUMNS"]
    assert result.exit_code == 0, result.stderr
    label = vocabulary().label("samarbeidspartnere", "naeringslivet")
    assert label != "naeringslivet"  # a label of its own: Næringslivet
    assert label in result.stdout
    assert "naeringslivet" not in result.stdout


def test_typer_s_completion_options_in_norwegian(norwegian: None) -> None:
    from typer.testing import CliRunner

    from tilflytting.cli import app

    text = CliRunner().invoke(app, ["--help"]).stdout
    assert "--install-completion" in text and "Valg" in text
    assert "Install completion" not in text and "Show completion" not in text


def test_unknown_list_names_the_lists_with_their_letters(catalog: Cli) -> None:
    result = catalog("summarise", "--list", "bogus")
    assert result.exit_code == 2
    assert "målgrupper" in result.stderr and "malgrupper" not in result.stderr
    for name in ("målgrupper", "malgrupper", "Målgruppe"):  # every spelling is taken
        assert catalog("summarise", "--list", name).exit_code == 0


@pytest.mark.parametrize(
    "args",
    [["search", "xyzzyqq"], ["list", "--kommune", "Nes (Akershus)"]],
    ids=["search", "list"],
)
def test_nothing_found_is_a_note_on_stderr_and_no_table(catalog: Cli, args: list[str]) -> None:
    assert catalog(*args, "--format", "json").stdout.strip() == "[]"  # nothing matches
    result = catalog(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip()
