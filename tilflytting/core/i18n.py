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
