"""Norwegian words for full-text search: the forms a word is indexed and
searched under, so that inflected forms and the two written standards find
each other.

The search index keeps each field three ways: as written, folded (æ→ae,
ø→o, å→a: `holtalen` finds Holtålen), and in *search forms*, which
`index_forms` makes: one shared form per word for all its inflections and
for its bokmål and nynorsk spellings. `query_forms` turns one typed word into
the same forms. A search form is made in four steps:

1. nynorsk spellings the domain writes both ways are put in their bokmål
   spelling: `-ggj-`/`-kkj-` (`innbyggjar`, `tiltrekkje`), `bu-` compounds
   (`bulyst`, `bustad`), `heim`, `-stad`, `-bod`, `fleire`, `auke`, `eigen`;
2. the endings of agent nouns and plurals are made one: `-arar`, `-arane`,
   `-aren`, `-erne`, `-eren`, `-ere` and nynorsk `-ar` become bokmål `-er`
   (`tilflyttarar`, `tilflytterne`, `tilflyttere` → `tilflytter`);
3. Snowball's Norwegian stemmer takes off what inflection is left
   (`tilflytter` → `tilflytt`, `kommunar`, `kommunen` → `kommun`);
4. the stem is folded like everything else in the index.

Exact phrases ("quoted") are searched as written or folded, never in these
forms. Raise FORMS_VERSION whenever what these functions return changes: the
store then rebuilds the search index (see store/search_index.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tilflytting.core.fold import fold

FORMS_VERSION = 1
_WORD = re.compile(r"[a-z0-9]+")
# Words as written: letters of Norwegian and its neighbours, and digits.
_WRITTEN = re.compile(r"[0-9a-zæøåäöüéèêáàóòôíìúùçñ]+")
MIN_STEM = 3  # shorter words are searched as they are

# Nynorsk spellings of the domain's words, in their bokmål spelling: (pattern,
# replacement) on the lowercase word, in order.
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ggj", "gg"),  # innbyggjar, byggje
        (r"kkj", "kk"),  # tiltrekkje
        (r"^bu(?=lyst|kommun|miljø|stad|sett|kvalitet|område|attrakt|tilbod|dyktig)", "bo"),
        (r"^busetjing|^busetnad", "bosetting"),
        (r"heim", "hjem"),  # heimflytting, heimatt, bli heime
        (r"stad(?=$|ar|ane|en|er|ene)", "sted"),  # nettstad, bustad, møtestader
        (r"tilbod", "tilbud"),
        (r"^fleir", "fler"),
        (r"^auk(?=e|a|ar|ande|ing)", "øk"),  # auke, auka, aukande
        (r"^eig(?=(?:en|a|e|i|ne)$)", "eg"),  # eigen, eiga, eige, eigne
        (r"^fråflytt", "fraflytt"),
        (r"^ikkje$", "ikke"),
    )
)
# Endings of agent nouns and plurals, nynorsk and bokmål, made one (bokmål
# `-er`): tried longest first, never leaving fewer than MIN_STEM + 1 letters.
_ENDINGS = (
    ("arane", "er"),
    ("arar", "er"),
    ("aren", "er"),
    ("erne", "er"),
    ("eren", "er"),
    ("ere", "er"),
    ("ar", "er"),
)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    # Imported on first use: 10 ms that only searching and importing pay.
    from snowballstemmer import stemmer

    return stemmer("norwegian")


@lru_cache(maxsize=200_000)
def search_form(word: str) -> str:
    """The one form all spellings and inflections of `word` share (folded)."""
    low = word.lower()
    if len(low) < MIN_STEM or not low.isalpha():
        return fold(low)
    for pattern, replacement in _SPELLINGS:
        low = pattern.sub(replacement, low)
    for ending, replacement in _ENDINGS:
        if low.endswith(ending) and len(low) - len(ending) > MIN_STEM:
            low = low[: -len(ending)] + replacement
            break
    stem: str = _stemmer().stemWord(low)
    if stem.endswith("mm"):
        stem = stem[:-1]  # the m doubled before an ending: ungdommen, programmet
    return fold(stem)


def index_forms(text: str) -> str:
    """The search forms of the words of `text` that differ from the words as
    folded, space-separated: what the index keeps besides the text as written
    and folded, so that every word can be found by its search form."""
    forms: dict[str, None] = {}
    for word in _WRITTEN.findall(text.lower()):
        form = _added_form(word)
        if form is not None:
            forms[form] = None
    return " ".join(forms)


@lru_cache(maxsize=200_000)
def _added_form(word: str) -> str | None:
    """The search form of a lowercase word where it is not the word folded."""
    form = search_form(word)
    return None if form == fold(word) else form


def query_forms(word: str) -> list[str]:
    """The forms one typed word is searched under: as folded, and its search
    form where that differs (at least one). Text of several words (`sør-
    trøndelag`) gives its folded words: a phrase, not one word."""
    folded = _WORD.findall(fold(word))
    written = _WRITTEN.findall(word.lower())
    if len(folded) != 1 or len(written) != 1:
        return folded or [word]
    form = search_form(written[0])
    forms = [folded[0], form] if _WORD.fullmatch(form) else [folded[0]]
    return list(dict.fromkeys(forms))
