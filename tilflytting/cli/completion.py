"""Tab completion, the shell's side: which catalog to read, and offers in a
form each shell takes (query/completion.py decides what to offer).

Typer's own completion runs it (`tilflytting --install-completion` installs
the script for bash, zsh or fish; each calls the program back with the line
typed so far in environment variables). The options and arguments that
complete values have the type `Completes` (cli/__init__.py), whose
`shell_complete` imports this module: ordinary commands never load it.

Whatever goes wrong, a TAB offers nothing rather than an error: the shell
would print it into the command line being typed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from typer import _completion_classes
from typer._click.shell_completion import CompletionItem

from tilflytting.core.fold import fold, strip_controls
from tilflytting.query.completion import Offer, offers

# Characters a bash word may hold unquoted (besides letters and digits);
# every other is escaped with a backslash, as bash's own completion does.
_BASH_PLAIN = set("-_./,+@%")
# bash fills in the part all offers share; where that is not a continuation
# of what was typed (`holt` offers `tilflyttingstiltak-i-holtalen` and
# `tilflyttingstiltak-i-holtet`: shared `tilflyttingstiltak-i-holt`, fine; but
# `holt` offering two slugs that share `liv-` would become `liv-`), one more
# offer of a single space makes the shared part empty: bash then keeps the
# word and lists the offers (the space shows as a blank entry).
_KEEP_WORD = " "


def _plain_help(text: str) -> str:
    """Typer reads descriptions as Rich markup (importing Rich on every TAB,
    about 45 ms, and dropping `[...]` from titles): ours are plain text."""
    return text


_completion_classes._sanitize_help_text = _plain_help


def complete(kind: str, ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
    """The offers for `incomplete`, a value of `kind` for `param`."""
    try:
        db = database(ctx) if kind == "entry" else None
        found = offers(kind, incomplete, db, given(ctx, param))
        return for_shell(found, incomplete, os.environ)
    except Exception:  # never an error into the shell (see the module's docstring)
        return []


def database(ctx: Any) -> Path:
    """The catalog the command would read: `--db`, else TILFLYTTING_DB
    (Click reads both into the command's parameters), else the default."""
    value = ctx.params.get("db")
    if not value:
        from tilflytting.cli import default_db

        return default_db()
    return Path(os.path.expanduser(str(value)))


def given(ctx: Any, param: Any) -> list[str]:
    """Values already typed for `param` (`compare a b <TAB>`), not offered again."""
    value = ctx.params.get(param.name) if param is not None and param.name else None
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def for_shell(found: Iterable[Offer], typed: str, env: Any) -> list[CompletionItem]:
    """Offers as completion items: without control characters, and for bash
    quoted (it inserts a value as it gets it) and kept from replacing the
    word with a shared part that does not continue it."""
    clean = [c for c in (_cleaned(o) for o in found) if c is not None]
    if "COMP_CWORD" not in env:  # zsh and fish quote what they insert
        return [CompletionItem(o.value, help=o.help) for o in clean]
    values = [bash_quoted(o.value) for o in clean]
    shared = os.path.commonprefix([o.value for o in clean])  # noqa: RUF071 (letters, as bash)
    if len(values) > 1 and shared and not _continues(shared, typed):
        values.append(_KEEP_WORD)
    return [CompletionItem(v) for v in values]


def bash_quoted(value: str) -> str:
    return "".join(c if c.isalnum() or c in _BASH_PLAIN else "\\" + c for c in value)


def _continues(shared: str, typed: str) -> bool:
    return fold(shared).startswith(fold(typed))


def _cleaned(offer: Offer) -> Offer | None:
    """An offer fit for a terminal and for each shell's script: no control
    characters; no value a shell would split (tab, newline) or that zsh's
    script would read as an escape (backslash); a description on one line."""
    value, _count = strip_controls(offer.value)
    if not value or any(c in value for c in "\t\n\\"):
        return None
    text = None
    if offer.help:
        text = " ".join(strip_controls(offer.help)[0].replace("\\", "/").split()) or None
    return Offer(value, text)
