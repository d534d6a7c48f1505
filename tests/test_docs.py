"""The docs stay true: examples run, every command and option is documented."""

from __future__ import annotations

import re
from typing import Any

import typer.main

from tests.conftest import ROOT
from tilflytting.cli import app
from tilflytting.entry_yaml import parse_yaml
from tilflytting.normalise import normalise


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
