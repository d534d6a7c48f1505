"""Text folding shared by every layer: slugs, lookup keys, control characters.

Norwegian letters are folded the way municipal web addresses do it
(æ→ae, ø→o, å→a), so `holtalen` finds Holtålen and `tromso` Tromsø.
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# C0 and C1 controls except tab and newline, plus the bidi embedding and
# override characters that can reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def fold(text: str) -> str:
    """Lowercase ASCII form of `text`: æøå folded, other accents dropped."""
    translated = text.translate(_LETTERS)
    if translated.isascii():  # the usual case once æøå are gone: no decomposition needed
        return translated.lower()
    decomposed = unicodedata.normalize("NFKD", translated)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


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
