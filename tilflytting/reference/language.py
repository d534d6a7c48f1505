"""Norwegian words for full-text search: the forms a word is indexed and
searched under, so that inflected forms and the two written standards find
each other.

`index_forms` turns text into the words the search index keeps beside the
text as written and its folded form; `query_forms` turns one typed word into
the same forms. Both fold æøå (`holtalen` finds Holtålen). Today they only
fold; see issue 19 for stemming and bokmål/nynorsk pairs.
"""

from __future__ import annotations

import re

from tilflytting.core.fold import fold

_WORD = re.compile(r"[a-z0-9]+")


def index_forms(text: str) -> str:
    """The words of `text` in their search forms, space-separated."""
    return " ".join(_WORD.findall(fold(text)))


def query_forms(word: str) -> list[str]:
    """The search forms one typed word may take (at least one)."""
    return _WORD.findall(fold(word)) or [word]
