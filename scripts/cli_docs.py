"""Print docs/cli.md: every command and option, from the commands themselves.

Usage: python scripts/cli_docs.py > docs/cli.md   (or: make docs)
"""

from __future__ import annotations

from typing import Any

import typer.main

from tilflytting.cli import app


def _option_row(param: Any) -> str:
    names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
    if param.is_flag:
        kind = "flag"
    elif param.multiple:
        kind = f"{param.type.name} (repeatable)"
    else:
        kind = str(param.type.name)
    choices = getattr(param.type, "choices", None)
    if choices:
        kind = " \\| ".join(f"`{c}`" for c in choices)
    default = "" if param.default in (None, False, ()) or param.is_flag else f"`{param.default}`"
    text = (param.help or "").replace("|", "\\|")
    return f"| {names} | {kind} | {default} | {text} |"


def command_doc(name: str, command: Any) -> list[str]:
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    options = [p for p in command.params if p.param_type_name == "option" and p.name != "help"]
    usage = " ".join(
        [f"tilflytting {name}", "[OPTIONS]", *(a.human_readable_name for a in arguments)]
    )
    lines = [f"## `{name}`", "", (command.help or "").strip(), "", f"    {usage}", ""]
    for argument in arguments:
        lines.append(f"- `{argument.human_readable_name}`: {getattr(argument, 'help', '') or ''}")
    if arguments:
        lines.append("")
    if options:
        lines += ["| option | takes | default | meaning |", "| --- | --- | --- | --- |"]
        lines += [_option_row(option) for option in options] + [""]
    return lines


def main() -> str:
    group: Any = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Generated from the commands by `make docs` (scripts/cli_docs.py); a test fails",
        "when this file and the commands disagree. Every read command also takes `--db PATH`",
        "(else `TILFLYTTING_DB`, else a file in the user data folder).",
        "",
        (group.help or "").strip(),
        "",
    ]
    for name, command in group.commands.items():
        if not command.hidden:
            lines += command_doc(name, command)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(main(), end="")
