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
# The folding as data, for code outside Python that must fold the same way
# (the static site's search script: report/site.py).
LETTERS = _LETTERS
MARKS = _COMBINING
# C0 and C1 controls except tab and newline, plus the bidi embedding and
# override characters that can reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    """Remove control and bidi characters; return the text and how many went."""
    cleaned, count = _CONTROL.subn("", text)
    return cleaned, count
