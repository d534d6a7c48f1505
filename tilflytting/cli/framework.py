"""The command-line framework's own words (usage, option errors, help
headings) in the run's language.

Typer 0.28 carries its own copy of Click (`typer._click`) whose messages are
plain English f-strings, not gettext calls. So the words are translated where
they are printed: the help formatter translates its usage prefix and headings,
and a usage error's lines go through `localise`, which recognises the
templates below (with their fields) and translates them. Typer's own option
extras (`[default: ...]`) use gettext and get this program's function.
"""

from __future__ import annotations

import re
import sys
from typing import IO, Any

from tilflytting.core.fold import strip_controls
from tilflytting.core.i18n import N_, _, ngettext
from tilflytting.core.i18n import localise as localise_text

_SURROGATE = re.compile("[\ud800-\udfff]")

# What Click and Typer print, as templates `localise` can recognise.
MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Try '{command} {option}' for help."),
    N_("Error: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("No such option: {name}"),
    N_("No such option: {name} (Possible options: {options})"),
    N_("No such command {name}."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing argument {name}. {message}"),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("{value} is not one of {choices}."),
    N_("{value} is not a valid {kind}."),
    N_("{value} is not in the range {range}."),
    N_("Option {name} requires an argument."),
    N_("Option {name} does not take a value."),
    N_("integer"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Aborted!"),
    # Typer's completion options (help text).
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)


def localise() -> None:
    """Make the framework print its words in the run's language."""
    import typer.core
    import typer.main  # noqa: F401  (loads the framework's modules that print)

    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("typer.", "click.")):
            continue
        if callable(module.__dict__.get("_")) and "gettext" in repr(module.__dict__["_"]):
            module._ = _  # type: ignore[attr-defined]
        if "ngettext" in module.__dict__:
            module.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        from typer._click import core, exceptions, formatting, types, utils
    except ImportError:  # a Typer that uses Click itself: Click's gettext did it above
        import click.types

        only_text(click.types)
        return
    _patch(core, exceptions, formatting, utils)
    only_text(types)


def _patch(core: Any, exceptions: Any, formatting: Any, utils: Any) -> None:
    class Formatter(formatting.HelpFormatter):  # type: ignore[misc]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix or f"{_('Usage:')} ")

        def write_heading(self, heading: str) -> None:
            super().write_heading(_(heading))

        def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
            # The --help option's own help is the framework's.
            super().write_dl([(term, _(text)) for term, text in rows], *args, **kwargs)

    core.Context.formatter_class = Formatter

    def show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
        file = file or exceptions.get_text_stderr()
        color = None
        if self.ctx is not None:
            color = self.ctx.color
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _("Try '{command} {option}' for help.").format(
                    command=self.ctx.command_path, option=self.ctx.help_option_names[0]
                )
            utils.echo(f"{self.ctx.get_usage()}\n{hint}\n", file=file, color=color)
        text = strip_controls(localise_text(self.format_message()))[0]  # a value typed
        utils.echo(_("Error: {message}").format(message=text), file=file, color=color)

    def show_error(self: Any, file: IO[Any] | None = None) -> None:
        file = file or exceptions.get_text_stderr()
        text = strip_controls(localise_text(self.format_message()))[0]  # a value typed
        utils.echo(_("Error: {message}").format(message=text), file=file)

    exceptions.UsageError.show = show_usage_error
    exceptions.ClickException.show = show_error


def only_text(types: Any) -> None:
    """A text argument must be text: bytes that are not UTF-8 (`show
    $'\\xff'`), which Python keeps as lone surrogates, are a usage error (exit
    2) before any command sees them. Paths are not text: a file name may be
    any bytes, and path arguments keep them."""
    plain = types.StringParamType.convert

    def convert(self: Any, value: Any, param: Any, ctx: Any) -> Any:
        converted = plain(self, value, param, ctx)
        if isinstance(converted, str) and _SURROGATE.search(converted):
            shown = converted.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            self.fail(_("'{value}' is not UTF-8 text").format(value=shown), param, ctx)
        return converted

    types.StringParamType.convert = convert
