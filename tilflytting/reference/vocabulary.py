"""The controlled vocabulary: one term for each thing, however a page spelled it.

`normalise_lists` gives every list item its canonical term where one fits:
case, spacing, punctuation, æøå and bracketed comments do not matter, small
misspellings are tolerated, and a doubtful match stays unmatched. Two known
items run together on one line are split; duplicates count once; an item cut
off with its page is matched only if its beginning fits exactly one term.

`resolve` turns what a user types (`barnefamilier`, `Barnefamiliar`,
`vertskap`) into the term(s) it means, for search filters.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from tilflytting.core.fold import fold, key
from tilflytting.core.model import LISTS, Item
from tilflytting.reference.places import data_dir, reference

FUZZY = 0.93  # similarity needed to forgive a misspelling
MIN_FUZZY_KEY = 8  # shorter items must match exactly
# No category is longer than this: longer items are free answers, and are not
# compared letter by letter nor cut in two (which costs time per word).
MAX_LOOSE_KEY = 160
MEMO_SIZE = 50_000
MIN_CUT_PREFIX = 5  # a cut-off item matches by its beginning only from this length


@dataclass(frozen=True)
class Term:
    liste: str
    slug: str
    label: str
    nynorsk: str | None
    forms: tuple[str, ...]  # every written form, label first
    pattern: str | None = None


@dataclass
class Match:
    slug: str
    detail: str | None = None
    exact: bool = True


class UnknownTerm(ValueError):
    """What a user typed fits no term; `closest` holds suggestions."""

    def __init__(self, liste: str, text: str, closest: list[Term]) -> None:
        from tilflytting.core.i18n import _

        hint = ", ".join(f"{t.slug} ({t.label})" for t in closest)
        if hint:
            message = _("no {list} term matches '{text}'; closest: {terms}").format(
                list=liste, text=text, terms=hint
            )
        else:
            message = _("no {list} term matches '{text}'").format(list=liste, text=text)
        super().__init__(message)
        self.closest = closest


# Words that carry no meaning of their own in a category's name.
_LITTLE_WORDS = {"og", "i", "for", "a", "til", "med", "av", "pa", "eller", "om", "som", "the"}
MAX_EXTRA_WORDS = 2  # an answer may add this many words to a category and still be it


@lru_cache(maxsize=MEMO_SIZE)
def content_words(text: str) -> frozenset[str]:
    """The words of `text` that carry its meaning, in their search forms
    (inflections and nynorsk spellings made one): `Annonsering i lokale
    medier` → {annonsering, lokal, medi}. Bracketed comments left out."""
    from tilflytting.reference.language import search_form

    text = re.sub(r"\([^)]*\)?", " ", text).replace("/", " ")
    words = re.findall(r"[^\W_]+", text.lower())
    return frozenset(search_form(w) for w in words if fold(w) not in _LITTLE_WORDS)


@lru_cache(maxsize=MEMO_SIZE)  # items repeat across pages: 48,000 calls for 2,000 pages
def match_key(text: str) -> str:
    """What matching compares: no bracketed comments, no trailing comment
    sentence, folded, letters and digits only."""
    text = re.sub(r"\([^)]*\)?", " ", text)
    text = re.split(r"\.\s+(?=[A-ZÆØÅ])", text, maxsplit=1)[0]
    return key(text)


@dataclass
class Vocabulary:
    terms: dict[str, dict[str, Term]]
    exact: dict[str, dict[str, str]] = field(default_factory=dict)  # liste -> key -> slug
    # Pages repeat the same items thousands of times: each is matched once.
    _memo: dict[tuple[str, str, bool], Match | None] = field(default_factory=dict, repr=False)
    # Per list: the content words of every form, for matching by words.
    _words: dict[str, list[tuple[frozenset[str], str]]] = field(default_factory=dict, repr=False)
    _parts: dict[tuple[str, str, bool], list[tuple[str, str | None, str | None]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        for liste, terms in self.terms.items():
            index = self.exact.setdefault(liste, {})
            for term in terms.values():
                for form in (term.slug, *term.forms):
                    index.setdefault(match_key(form), term.slug)

    # -- one item ------------------------------------------------------------
    def match(self, liste: str, text: str, fuzzy: bool = True) -> Match | None:
        """The term of one item, or None."""
        memo = (liste, text, fuzzy)
        if memo not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.clear()  # free answers are endless; memory is not
            self._memo[memo] = self.match_form(liste, text) or self.match_loose(liste, text, fuzzy)
        return self._memo[memo]

    def match_form(self, liste: str, text: str) -> Match | None:
        """A term one of whose written forms this is (case, æøå etc. aside)."""
        slug = self.exact.get(liste, {}).get(match_key(text))
        return Match(slug) if slug is not None else None

    def match_loose(self, liste: str, text: str, fuzzy: bool = True) -> Match | None:
        """A public body named for a place, or (if `fuzzy`) a near-miss spelling."""
        if len(text) > MAX_LOOSE_KEY:
            return None
        found = _pattern_match(self.terms.get(liste, {}), text)
        if found is not None or not fuzzy:
            return found
        return self._fuzzy(liste, match_key(text)) or self._by_words(liste, text)

    def _by_words(self, liste: str, text: str) -> Match | None:
        """A term by its words rather than its spelling (issue 19): the same
        words in another order or inflection, or the words of a form with at
        most MAX_EXTRA_WORDS added (`Annonsering i lokale media`). Only forms
        of two words or more, and only when one term fits: two is doubt. An
        item missing one of a form's words is not matched: `Arrangement i
        kommunen for å rekruttere folk` lacks only `utenfor`, and means the
        opposite."""
        item = content_words(text)
        if len(item) < 2:
            return None
        if liste not in self._words:
            self._words[liste] = [
                (content_words(form), slug)
                for slug, term in self.terms.get(liste, {}).items()
                for form in term.forms
            ]
        same: set[str] = set()
        more: set[str] = set()
        for words, slug in self._words[liste]:
            if len(words) < 2:
                continue
            if words == item:
                same.add(slug)
            elif words < item and len(item - words) <= MAX_EXTRA_WORDS:
                more.add(slug)
        for fits in (same, more):
            if fits:
                return Match(fits.pop(), exact=False) if len(fits) == 1 else None
        return None

    def _fuzzy(self, liste: str, item_key: str) -> Match | None:
        if not MIN_FUZZY_KEY <= len(item_key) <= MAX_LOOSE_KEY:
            return None
        matcher = difflib.SequenceMatcher(None, b=item_key)  # indexes the item once
        size = len(item_key)
        close = set()
        for form, slug in self.exact[liste].items():
            # The ratio cannot beat 2·min/(sum of lengths): most forms end here.
            if 2 * min(size, len(form)) < FUZZY * (size + len(form)):
                continue
            matcher.set_seq1(form)
            if matcher.quick_ratio() >= FUZZY and matcher.ratio() >= FUZZY:
                close.add(slug)
        if len(close) != 1:
            return None  # nothing close, or two terms equally close: doubtful
        return Match(close.pop(), exact=False)

    def match_cut(self, liste: str, text: str) -> Match | None:
        """An item cut off mid-word: its whole text, or the beginning of one term."""
        exact = self.match(liste, text, fuzzy=False)
        if exact is not None or len(match_key(text)) < MIN_CUT_PREFIX:
            return exact
        prefix = match_key(text)
        slugs = {slug for k, slug in self.exact[liste].items() if k.startswith(prefix)}
        return Match(slugs.pop(), exact=False) if len(slugs) == 1 else None

    # -- a whole list ------------------------------------------------------------
    def normalise_items(self, liste: str, items: list[Item]) -> list[Item]:
        """Items with their terms: merged ones split, duplicates dropped."""
        result: list[Item] = []
        seen: set[tuple[str | None, str]] = set()
        for item in items:
            for part in self._split_or_match(liste, item):
                # No key("") for the usual item without a place: 130,000
                # calls for 10,000 pages.
                identity = (
                    part.term,
                    (key(part.detail) if part.detail else "")
                    if part.term
                    else match_key(part.text),
                )
                if identity not in seen:
                    seen.add(identity)
                    result.append(part)
        return result

    def _split_or_match(self, liste: str, item: Item) -> list[Item]:
        """The item with its term, or the two items it holds. Memoised by
        list and text: the same lines recur on page after page, and each was
        cut at every space and both halves matched (10,000 pages: 0.8 s)."""
        memo = (liste, item.text, item.truncated)
        parts = self._parts.get(memo)
        if parts is None:
            if len(self._parts) >= MEMO_SIZE:
                self._parts.clear()
            parts = self._parts[memo] = [
                (part.text, part.term, part.detail)
                for part in self._split_or_match_once(liste, item)
            ]
        return [Item(text, item.line, term, item.truncated, detail) for text, term, detail in parts]

    def _split_or_match_once(self, liste: str, item: Item) -> list[Item]:
        if item.truncated:
            return [_with(item, self.match_cut(liste, item.text))]
        whole = self.match_form(liste, item.text)
        if whole is not None or len(item.text) > MAX_LOOSE_KEY:
            return [_with(item, whole)]
        for left, right in _splits(item.text):
            # One half must be a written form or a named body; only then may
            # the other half be a near-miss spelling.
            one, two = self.match(liste, left, fuzzy=False), self.match(liste, right, fuzzy=False)
            if not (one or two):
                continue
            one, two = one or self.match(liste, left), two or self.match(liste, right)
            if one and two and _distinct(one, two):
                return [_with(replace(item, text=left), one), _with(replace(item, text=right), two)]
        return [_with(item, self.match(liste, item.text))]  # memoised: lines repeat

    def fits(self, liste: str, text: str) -> bool:
        """Whether `text` is an answer of `liste`: a written form, a near-miss,
        a public body named for a place, or two answers run together."""
        if len(text) > MAX_LOOSE_KEY:
            return False
        return any(part.term for part in self._split_or_match(liste, Item(text)))

    def misplaced(self, liste: str, item: Item) -> str | None:
        """The other list whose term this unmatched item is exactly, if just one."""
        homes = [
            other
            for other in LISTS
            if other != liste and match_key(item.text) in self.exact.get(other, {})
        ]
        return homes[0] if len(homes) == 1 else None

    # -- what users type ------------------------------------------------------------
    def resolve(self, liste: str, text: str) -> list[Term]:
        """The term(s) a user means: slug or any form; else terms with a word
        that starts with what was typed (`vertskap`, `tilbakeflyttere`)."""
        terms = self.terms[liste]
        exact = self.exact[liste].get(match_key(text))
        if exact is not None:
            return [terms[exact]]
        typed = fold(text).strip().rstrip("*")
        words = [w for w in re.split(r"[^a-z0-9]+", typed) if w]
        hits = [t for t in terms.values() if words and _has_words(t, words)]
        if hits:
            return hits
        fuzzy = self._fuzzy(liste, match_key(text)) if len(match_key(text)) >= 5 else None
        if fuzzy is not None:
            return [terms[fuzzy.slug]]
        raise UnknownTerm(liste, text, self.closest(liste, text))

    def closest(self, liste: str, text: str, count: int = 3) -> list[Term]:
        keys = list(self.exact[liste])
        close = difflib.get_close_matches(match_key(text), keys, n=count * 3, cutoff=0.4)
        slugs = list(dict.fromkeys(self.exact[liste][k] for k in close))[:count]
        return [self.terms[liste][slug] for slug in slugs]

    def label(self, liste: str, slug: str) -> str:
        term = self.terms.get(liste, {}).get(slug)
        return term.label if term else slug


def _has_words(term: Term, words: list[str]) -> bool:
    """Every typed word starts a word of one of the term's forms."""
    for form in (term.slug.replace("-", " "), *term.forms):
        form_words = re.split(r"[^a-z0-9]+", fold(form))
        if all(any(fw.startswith(w) for fw in form_words) for w in words):
            return True
    return False


def _with(item: Item, found: Match | None) -> Item:
    # Built directly: dataclasses.replace was a tenth of normalising.
    if found is None:
        return Item(item.text, item.line, None, item.truncated, None)
    return Item(item.text, item.line, found.slug, item.truncated, found.detail)


def _distinct(one: Match, two: Match) -> bool:
    """Two halves are two things: other terms, or one term for two places."""
    if one.slug != two.slug:
        return True
    return bool(one.detail and two.detail and key(one.detail) != key(two.detail))


_SEPARATOR = re.compile(r"\s*(?:,|;|\.-|\s-\s|\sog\s|\s)\s*")


def _splits(text: str) -> list[tuple[str, str]]:
    """Every way to cut `text` in two at a space, comma or ` og `. A stray
    space after a hyphen in a name (`Vest- Telemark`) is no place to cut."""
    text = re.sub(r"(\w)-\s+(?=[A-ZÆØÅ])", r"\1-", text)
    return [
        (text[: m.start()].strip(" .,"), text[m.end() :].strip(" .,"))
        for m in _SEPARATOR.finditer(text)
        if text[: m.start()].strip() and text[m.end() :].strip()
    ]


# -- public bodies whose names carry a place ------------------------------------
# Tried in order; the first group that matched names the place.
_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    "fylkeskommune": [
        re.compile(r"(?:^|\b)([\w\s-]+?)\s*fylkeskommunen?\s*$", re.I),
        re.compile(r"\bfylkeskommunen\s+([\w\s-]+?)\s*$", re.I),
    ],
    "fylkesmannen": [re.compile(r"\bfylkesmannen\s+i\s+([\w\s-]+?)\s*$", re.I)],
    "regionrad": [
        re.compile(r"^regionråd(?:et|ene)?\s+(?:i|for)\s+([^,]+)", re.I),  # Regionrådet i Valdres
        re.compile(r"^([\w\s-]+?)\s+regionråd(?:et)?$", re.I),  # Nord-Troms regionråd
        re.compile(r"^(?:regionrådet\s+)?([\w-]+?)\s*-?\s*rådet$", re.I),  # Haugalandrådet
    ],
    "kommune": [re.compile(r"^([\w\s-]+?)\s+kommune$", re.I)],
}


def _pattern_match(terms: dict[str, Term], text: str) -> Match | None:
    cleaned = re.sub(r"\([^)]*\)?", " ", text).strip(" .")
    for term in terms.values():
        if term.pattern is None:
            continue
        for pattern in _PATTERNS[term.pattern]:
            found = pattern.search(cleaned)
            detail = _place_detail(term.pattern, found.group(1).strip(" -")) if found else None
            if detail is not None:
                return Match(term.slug, detail or None)
    return None


def _place_detail(pattern: str, place: str) -> str | None:
    """The county, region or municipality a public body is named for; None
    if the name does not hold one ("" when the body is named without place)."""
    if pattern in ("fylkeskommune", "fylkesmannen"):
        counties = reference().counties_in(place) if place else []
        return counties[-1] if counties else None
    if pattern == "kommune":
        hits = reference().existing_2012(place) or reference().by_name.get(key(place), [])
        return hits[0].name if hits else None
    return re.sub(r"\s*-\s*", "-", place)


# -- loading ------------------------------------------------------------------------
def read_yaml(path: Path) -> dict[str, Any]:
    """A vocabulary file as written (libyaml's parser where available)."""
    import yaml  # only for a vocabulary other than the bundled one

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return data


def json_copy() -> str:
    """The text of data/vocabulary.json: the bundled YAML, as JSON."""
    data = read_yaml(data_dir() / "vocabulary.yaml")
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The bundled vocabulary (or another YAML file), loaded once per process.
    The bundled one is read from its JSON copy (`make vocabulary` writes it, a
    test keeps it equal to the YAML): importing PyYAML alone would cost every
    facet search and `summarise` 11 ms."""
    if path is None:
        data = json.loads((data_dir() / "vocabulary.json").read_text(encoding="utf-8"))
    else:
        data = read_yaml(path)
    terms: dict[str, dict[str, Term]] = {}
    for liste in LISTS:
        terms[liste] = {
            slug: Term(
                liste,
                slug,
                spec["label"],
                spec.get("nynorsk"),
                tuple(
                    f
                    for f in (
                        spec["label"],
                        spec.get("nynorsk"),
                        *spec.get("other", []),
                        *spec.get("misspellings", []),
                    )
                    if f
                ),
                spec.get("pattern"),
            )
            for slug, spec in (data.get(liste) or {}).items()
        }
    return Vocabulary(terms)
