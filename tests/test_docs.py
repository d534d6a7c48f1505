"""The docs stay true: examples run, every command and option is documented."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main

from tests.conftest import CATALOG, FIXTURES, ROOT, Cli
from tilflytting.cli import app
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.yaml_entry import parse_yaml


def commands() -> dict[str, Any]:
    group: Any = typer.main.get_command(app)
    return dict(group.commands)


def test_entry_format_example_imports() -> None:
    doc = (ROOT / "docs" / "entry-format.md").read_text("utf-8")
    (example,) = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    entry = normalise(parse_yaml(example))
    assert entry.title == "Tilflyttingstiltak i Holtålen"
    assert [p.nr_2024 for p in entry.places] == ["5026"]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name, command in commands().items():
        if not command.hidden:  # aliases (summarize) are named with their command
            assert f"### `{name}" in readme, name
    assert "`summarize`" in readme
    assert "make demo" in readme and "make test" in readme


def test_every_command_and_option_has_help() -> None:
    for name, command in commands().items():
        assert command.help, name
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help, f"{name} {param.opts}"


def test_cli_reference_is_current() -> None:
    from scripts.cli_docs import main

    current = (ROOT / "docs" / "cli.md").read_text("utf-8")
    assert current == main(), "docs/cli.md is stale: run `make docs`"


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    blocks = re.findall(r"```console\n(.*?)```", readme, re.S)
    lines = [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]
    # Comments and shell redirections are the shell's, not the command's.
    commands = [line.split("  #")[0].split(" > ")[0].strip() for line in lines]
    return [command for command in commands if command.startswith("tilflytting ")]


def test_readme_shows_every_command_running() -> None:
    shown = {shlex.split(command)[1] for command in readme_commands()}
    assert {
        "import",
        "list",
        "show",
        "search",
        "compare",
        "summarise",
        "similar",
        "timeline",
        "folketall",
        "export",
        "vocab",
    } <= shown


@pytest.mark.parametrize("command", readme_commands())
def test_readme_examples_run(
    command: str, catalog_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # exports write files here
    args = shlex.split(command)[1:]
    if args[:1] == ["import"]:
        args = ["import", str(CATALOG)]  # the README imports the corpus, absent in a user's clone
    if args[:1] in (["check"], ["convert"]):  # files, no database: our own fixture pages
        files = [str(FIXTURES / "variants") if not a.startswith("-") else a for a in args[1:]]
        result = catalog_cli.runner.invoke(app, [args[0], *files], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return
    result = catalog_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_readme_shows_the_real_output() -> None:
    """Each command's output shown in the README and the docs is what it
    prints (at 80 columns, in bokmål, the bundled catalog): `make readme`
    writes it."""
    from scripts.readme_output import current

    for path, text in current().items():
        assert text == path.read_text("utf-8"), f"{path.name} is stale: run `make readme`"


def search_doc_examples() -> list[str]:
    doc = (ROOT / "docs" / "search.md").read_text("utf-8")
    table = doc.split("| you type | finds |")[1].split("\n\n")[0]
    return [
        typed
        for row in table.splitlines()[2:]
        for typed in re.findall(r"`([^`]+)`", row.split("|")[1])
    ]


@pytest.mark.parametrize("typed", search_doc_examples())
def test_search_doc_examples_run(typed: str, catalog_cli: Cli) -> None:
    result = catalog_cli("search", typed, "--format", "json")
    assert result.exit_code == 0, result.stderr
    if typed.lower().startswith(("holt", "vertskap")):
        assert any(
            row["slug"] == "tilflyttingstiltak-i-holtalen" for row in json.loads(result.stdout)
        )
