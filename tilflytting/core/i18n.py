"""One language per run: Norwegian bokmål by default, English on request.

Messages are written in English in the code, inside `_()` (or `ngettext()`
for counts, `N_()` to mark a constant for extraction), and translated into
bokmål in `tilflytting/locale/nb/LC_MESSAGES/tilflytting.po`, compiled to
the `.mo` beside it. Machine formats (JSON, CSV keys, exit codes) never go
through here.

The language: `TILFLYTTING_LANG` (`nb` or `en`) if set; else the first of
`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` that is set: English for `en...`,
bokmål for anything else (`nb`, `no`, `nn`, `C`, `POSIX`, ...).
"""

from __future__ import annotations

import gettext
import os
import re
from functools import cache
from pathlib import Path

DOMAIN = "tilflytting"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("nb", "en")


def language() -> str:
    """`nb` or `en`, from the environment (see the module's docstring)."""
    stated = os.environ.get("TILFLYTTING_LANG", "").strip().lower()
    if stated:
        return "en" if stated.startswith("en") else "nb"
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip().lower()
        if value:
            return "en" if value.startswith("en") else "nb"
    return "nb"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()  # the messages are English as written
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """`message` in the run's language."""
    return _catalog(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the run's language."""
    return _catalog(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a constant for translation without translating it yet."""
    return message


# -- stored English messages, shown in the run's language ---------------------------
# Import warnings are stored in the database (`advarsler`) and notes travel in
# the JSON (`merknader`) in English, the same in every language: machine text.
# They are made from marked templates, `N_("unknown heading '{heading}'...")`,
# filled in with str.format. `localise` shows such a text in the run's language
# by finding the template it was made from and translating that.
_FIELD = re.compile(r"\{(\w+)\}")


def localise(text: str) -> str:
    """A stored English message (made from a marked template) in the run's
    language; text that no template made is shown as it is."""
    if language() == "en" or not text:
        return text
    catalog = _catalog(language())
    direct = catalog.gettext(text)
    if direct is not text and direct != text:
        return direct
    for template, prefix, suffix in _templates(language()):
        if not (text.startswith(prefix) and text.endswith(suffix)):
            continue  # cheap test first: compiling every pattern cost `show` 8 ms
        pattern = _pattern(template)
        found = pattern.fullmatch(text) if pattern is not None else None
        if found:
            values = {name: localise(value) for name, value in found.groupdict().items()}
            return catalog.gettext(template).format(**values)
    return text


@cache
def _templates(lang: str) -> list[tuple[str, str, str]]:
    """(template, its fixed start, its fixed end) of every translated message
    with named fields, the longest fixed text first (the most specific
    template wins)."""
    catalog = _catalog(lang)
    found = []
    for template in getattr(catalog, "_catalog", {}):
        if not isinstance(template, str) or "{" not in template:
            continue
        parts = _FIELD.split(template)
        if len(parts) < 3:
            continue
        found.append((template, parts[0], parts[-1], len("".join(parts[::2]))))
    found.sort(key=lambda row: -row[3])
    return [(template, prefix, suffix) for template, prefix, suffix, _ in found]


@cache
def _pattern(template: str) -> re.Pattern[str] | None:
    """The regex a template's text matches, its fields as named groups."""
    parts = _FIELD.split(template)
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    try:
        return re.compile(regex, re.S)
    except re.error:  # the same field twice: not a template to match
        return None


# -- numbers -----------------------------------------------------------------------------
def number(value: int | float, decimals: int = 0, sign: bool = False) -> str:
    """A number the run's way: `2 132` and `-4,8` in Norwegian, `2,132` and
    `-4.8` in English (ASCII hyphen-minus, so it pastes into a calculator)."""
    text = f"{value:{'+' if sign else ''},.{decimals}f}"
    if language() == "en":
        return text
    return text.replace(",", " ").replace(".", ",")


def percent(value: float, decimals: int = 1, sign: bool = False) -> str:
    """A percentage (given in percent, not as a share): `-4,8 %` / `-4.8%`."""
    return number(value, decimals, sign) + (" %" if language() != "en" else "%")


def share(value: float, decimals: int = 1) -> str:
    """A share (0-1) as a percentage: `48,8 %` / `48.8%`."""
    return percent(100 * value, decimals)
