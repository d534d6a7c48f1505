"""Text folding shared by every layer: slugs, lookup keys, control characters.

Norwegian letters are folded the way municipal web addresses do it
(æ→ae, ø→o, å→a), so `holtalen` finds Holtålen and `tromso` Tromsø.
"""

from __future__ import annotations

import re
import unicodedata

# Letters folded the Norwegian way. A chain of str.replace is several times
# faster than str.translate with multi-letter replacements.
_LETTERS = (("æ", "ae"), ("Æ", "Ae"), ("ø", "o"), ("Ø", "O"), ("å", "a"), ("Å", "A"), ("ß", "ss"))
# Every block of combining marks: what NFKD splits off accented letters.
# Compiled on first use (0.4 ms a start): most text never needs it.
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# What never reaches a terminal or the store (`strip_controls`), one list for
# every renderer and both importers: C0 and C1 controls except tab and
# newline; Unicode's format characters (category Cf: the bidi embeddings,
# overrides, isolates and marks, U+061C included; zero-width space, joiners
# and word joiner; the byte-order mark; soft hyphen; tag characters: the
# whole blocks U+2060-206F and U+E0000-E007F, unassigned places too); lone
# surrogates (not text: they cannot be written as UTF-8); and the line and
# paragraph separators U+2028/U+2029, which become newlines. Escape sequences
# go whole (CSI `ESC [ ... m`, OSC `ESC ] ... BEL` and the other string
# controls, two-character `ESC x`), so that no `[31m` is left behind.
# tests/test_terminal.py checks the list against Python's Unicode tables.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f"
)
_CONTROL = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]?"  # CSI
    "|\x9b[0-?]*[ -/]*[@-~]?"
    "|[\x1b][\\]PX^_][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    "|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c\n]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[ -/]*[0-~]?"  # ESC x, ESC ( B, a lone ESC
    f"|[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_FORMAT}]"
)
_SEPARATOR = re.compile("[\u2028\u2029]")
# The folding as data, for code outside Python that must fold the same way
# (the static site's search script: report/site.py).
LETTERS = _LETTERS
MARKS = _COMBINING


def fold(text: str) -> str:
    """Lowercase ASCII form of `text`: æøå folded, other accents dropped."""
    if text.isascii():  # checked in constant time: no letter to fold
        return text.lower()
    for letter, ascii_form in _LETTERS:
        if letter in text:
            text = text.replace(letter, ascii_form)
    if text.isascii():  # the usual case once æøå are gone: no decomposition needed
        return text.lower()
    # Letters such as Ǣ (Æ with a macron) decompose to Æ: fold those too.
    text = re.sub(_COMBINING, "", unicodedata.normalize("NFKD", text))
    for letter, ascii_form in _LETTERS:
        if letter in text:
            text = text.replace(letter, ascii_form)
    return text.lower()


def key(text: str) -> str:
    """Comparison key: folded, with everything but letters and digits removed."""
    return _NON_ALNUM.sub("", fold(text))


def slugify(text: str) -> str:
    """URL slug as municipal web sites write it: `Tilflyttingstiltak i Holtålen`
    becomes `tilflyttingstiltak-i-holtalen`."""
    return _NON_ALNUM.sub("-", fold(text)).strip("-")


def strip_controls(text: str) -> tuple[str, int]:
    """Remove control, format and bidi characters and escape sequences (see
    `_CONTROL`); line and paragraph separators become newlines. Returns the
    text and how many went (a sequence counts once)."""
    if text.isascii() and text.isprintable():
        return text, 0  # the usual case, checked in C: no control character
    cleaned, count = _CONTROL.subn("", text)
    if "\u2028" in cleaned or "\u2029" in cleaned:
        cleaned, separators = _SEPARATOR.subn("\n", cleaned)
        count += separators
    return cleaned, count
