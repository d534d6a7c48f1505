"""Expected answers about the bundled catalog, computed from its YAML files,
data/vocabulary.yaml and the reference tables by the rules the docs state
(docs/vocabulary.md, docs/search.md, docs/reports.md), never from the
program's output.

This is a second, much simpler reading of the same rules: exact written
forms, two forms on one line, public bodies with their county, cut-off
items, items under another list's heading, places from `kommuner`, `region`
and `fylke`, project years. The program's looser steps (a small misspelling,
the same words in another order) are not redone here: where they decide an
answer, the test names the entry and the rule beside its expectation.
"""

from __future__ import annotations

import copy
import csv
import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "catalog"
DATA = ROOT / "data"
LISTS = ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper")
CATALOG_YEAR = 2012  # docs/search.md: the year the catalog was made
FORM_FIELDS = ("label", "nynorsk", "other", "misspellings")

Term = tuple[str, str | None]  # a term's slug and the place of a public body


# -- the files --------------------------------------------------------------------------------
@functools.cache
def _entries() -> dict[str, dict[str, Any]]:
    return {
        path.stem: yaml.safe_load(path.read_text("utf-8"))
        for path in sorted(CATALOG.glob("*.yaml"))
    }


def entries() -> dict[str, dict[str, Any]]:
    """The bundled entries by slug, as their YAML files say (read once a
    session; each call gets its own copy)."""
    return copy.deepcopy(_entries())


@functools.cache
def _rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


@functools.cache
def _vocabulary() -> dict[str, dict[str, dict[str, Any]]]:
    data: dict[str, dict[str, dict[str, Any]]] = yaml.safe_load(
        (DATA / "vocabulary.yaml").read_text("utf-8")
    )
    return data


# -- the vocabulary's written forms ------------------------------------------------------------
def fold(text: str) -> str:
    """Lowercase, æ→ae, ø→o, å→a (what users and pages may leave out)."""
    text = text.lower()
    for letter, plain in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        text = text.replace(letter, plain)
    return text


def key(text: str) -> str:
    """What matching looks at (docs/vocabulary.md, step 1): case, spacing,
    punctuation, æøå, comments in brackets and a comment sentence after the
    item do not matter."""
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.split(r"\.\s+(?=\S)", text, maxsplit=1)[0]
    return re.sub(r"[^a-z0-9]", "", fold(text))


@functools.cache
def forms(liste: str) -> dict[str, str]:
    """Every written form of the list's terms, by its key, to the term's slug."""
    found = {}
    for slug, term in _vocabulary()[liste].items():
        for field in FORM_FIELDS:
            values = term.get(field) or []
            for form in [values] if isinstance(values, str) else values:
                found[key(form)] = slug
    return found


@functools.cache
def patterns(liste: str) -> dict[str, str]:
    """Terms of public bodies named for a place: pattern -> slug."""
    return {t["pattern"]: s for s, t in _vocabulary()[liste].items() if t.get("pattern")}


@functools.cache
def counties_2012() -> list[str]:
    return sorted({k["fylke_2012"] for k in _rows("kommuner.csv") if k["fylke_2012"]})


def public_body(liste: str, text: str) -> Term | None:
    """Step 3: a public body named for a place (`Troms Fylkeskommune`,
    `Fylkesmannen i Telemark`, `Nord-Troms regionråd`, `Gildeskål kommune`):
    its term, and for a county's body the county named."""
    words = key(text)
    bodies = patterns(liste)
    found = [
        (words.find(pattern), slug)
        for pattern, slug in (
            ("fylkeskommun", bodies.get("fylkeskommune")),
            ("fylkesmann", bodies.get("fylkesmannen")),
        )
        if slug and pattern in words
    ]
    if found:
        _, slug = min(found)  # the body named first
        named = [c for c in counties_2012() if key(c) in words]
        return slug, max(named, key=len) if named else None
    if "regionrad" in words and "regionrad" in bodies:
        return bodies["regionrad"], None
    names = {key(k["name"]) for k in _rows("kommuner.csv")}
    if "kommune" in bodies and words.endswith("kommune") and words[: -len("kommune")] in names:
        return bodies["kommune"], None
    return None


def _one(liste: str, text: str) -> Term | None:
    """An exact written form, else a public body with its place."""
    known = forms(liste)
    return (known[key(text)], None) if key(text) in known else public_body(liste, text)


def _split(liste: str, text: str) -> list[Term] | None:
    """Step 2: a line that is two items run together (perhaps with `og` or a
    comma between), each a written form or a public body."""
    words = text.replace(",", " , ").split()
    for cut in range(1, len(words)):
        left, right = words[:cut], words[cut:]
        if right[0] in {"og", ","}:
            right = right[1:]
        one, two = _one(liste, " ".join(left)), _one(liste, " ".join(right))
        if one and two and one[0] != two[0]:
            return [one, two]
    return None


# Items whose terms the program's looser steps decide, which this module
# does not redo; each checked by hand against docs/vocabulary.md.
LOOSE: dict[tuple[str, str], set[Term]] = {
    # Norddal: two items on one line (step 2), the second missing its first
    # letter (step 4).
    ("malgrupper", "Potensielle tilbakeflyttarar ivsstilsflyttarar frå utlandet"): {
        ("potensielle-tilbakeflyttere", None),
        ("livsstilsflyttere-fra-utlandet", None),
    },
    # Hamarøy: the words of "Alle typer innflyttere" with two added (step 5).
    ("malgrupper", "Lokalbefolkningen, gjester og alle typer innflyttere"): {
        ("alle-typer-innflyttere", None)
    },
}


def item_terms(liste: str, item: str | dict[str, Any]) -> dict[str, set[Term]]:
    """The terms one YAML item gives, by the list they land in."""
    text = item if isinstance(item, str) else str(item["tekst"])
    cut = isinstance(item, dict) and bool(item.get("avkortet"))
    if isinstance(item, dict) and item.get("term"):
        return {liste: {(str(item["term"]), None)}}
    if (liste, text) in LOOSE:
        return {liste: set(LOOSE[liste, text])}
    own = forms(liste)
    if key(text) in own:
        return {liste: {(own[key(text)], None)}}
    for other in LISTS:  # under another list's heading: it moves there
        if other != liste and key(text) in forms(other):
            return {other: {(forms(other)[key(text)], None)}}
    split = _split(liste, text)
    if split:
        return {liste: set(split)}
    body = public_body(liste, text)
    if body:
        return {liste: {body}}
    if cut and len(key(text)) >= 5:
        begun = {slug for form, slug in own.items() if form.startswith(key(text))}
        if len(begun) == 1:
            return {liste: {(begun.pop(), None)}}
    return {}


def terms(entry: dict[str, Any]) -> dict[str, set[Term]]:
    """Every list's terms for one bundled entry (free answers left out)."""
    return copy.deepcopy(_terms(entry["slug"]))


@functools.cache
def _terms(slug: str) -> dict[str, set[Term]]:
    found: dict[str, set[Term]] = {liste: set() for liste in LISTS}
    entry = _entries()[slug]
    for liste in LISTS:
        for item in entry.get(liste) or []:
            for target, got in item_terms(liste, item).items():
                found[target] |= got
    return found


def free_answers(entry: dict[str, Any], liste: str) -> list[str]:
    """The items of a list that no term covers."""
    return [
        item if isinstance(item, str) else str(item["tekst"])
        for item in entry.get(liste) or []
        if not item_terms(liste, item)
    ]


def has_term(entry: dict[str, Any], liste: str, slug: str, detail: str | None = None) -> bool:
    found = _terms(entry["slug"])[liste]
    return any(s == slug and (detail is None or d == detail) for s, d in found)


def typed_terms(liste: str, typed: str) -> set[str]:
    """What a facet value means (docs/search.md, Facets): a slug, a written
    form, else words that start words of the terms."""
    vocabulary = _vocabulary()[liste]
    if typed in vocabulary:
        return {typed}
    if key(typed) in forms(liste):
        return {forms(liste)[key(typed)]}
    words = fold(typed).split()
    found = set()
    for slug, term in vocabulary.items():
        texts = [slug.replace("-", " ")]
        for field in FORM_FIELDS:
            values = term.get(field) or []
            texts += [values] if isinstance(values, str) else values
        term_words = {w for text in texts for w in re.findall(r"[a-z0-9]+", fold(text))}
        if all(any(t.startswith(w) for t in term_words) for w in words):
            found.add(slug)
    return found


# -- places -----------------------------------------------------------------------------------
def _members(region: str) -> set[str]:
    wanted = fold(region)
    for row in _rows("regioner.csv"):
        names = [row["region"], *filter(None, row["alias"].split("; "))]
        if wanted in {fold(n) for n in names}:
            return set(row["kommuner_2012"].split("; "))
    raise KeyError(region)


def _county_list(entry: dict[str, Any]) -> list[str]:
    stated = entry.get("fylke") or []
    return [stated] if isinstance(stated, str) else list(stated)


def municipalities(entry: dict[str, Any]) -> set[str]:
    """The entry's municipalities (2012 numbers): its `kommuner` (a name,
    perhaps with its county), else the members of its `region` (within its
    `fylke`, where given)."""
    found: set[str] = set()
    for text in entry.get("kommuner") or []:
        name, _, county = text.partition(" (")
        found |= {
            k["nr_2012"]
            for k in _rows("kommuner.csv")
            if k["name"] == name and k["nr_2012"] and (not county or county[:-1] in k["fylke_2012"])
        }
    if not found:
        counties = _county_list(entry)
        for region in filter(None, (entry.get("region") or "").split(", ")):
            found |= {
                number
                for number in _members(region)
                if not counties or _county_of(number) in counties
            }
    return found


def _county_of(number_2012: str) -> str:
    return next(k["fylke_2012"] for k in _rows("kommuner.csv") if k["nr_2012"] == number_2012)


@functools.cache
def _inside(county: str) -> frozenset[str]:
    """The 2012 numbers of the municipalities that lay in a county (folded
    name) in some era: themselves, or one they merged into (a namesake may
    stand for it)."""
    eras = ("fylke_2012", "fylke_2020", "fylke_2024")
    rows = _rows("kommuner.csv")
    return frozenset(
        k["nr_2012"]
        for k in rows
        for row in (k, *(m for m in rows if k["merged_into"] and m["name"] == k["merged_into"]))
        if k["nr_2012"] and any(fold(row[era]) == county for era in eras)
    )


def counties(entry: dict[str, Any], era: str) -> set[str]:
    """The entry's counties of an era (`fylke_2012`, `fylke_2024`): where its
    municipalities lay (or what they merged into), else where most of the
    municipalities of its stated county lie. An entry that states no place
    has none here (the program looks in its title and lead: Folk i husan
    names no municipality, and Herøy without its county is two)."""
    rows = _rows("kommuner.csv")

    def county_of(k: dict[str, str]) -> str:
        merged = [m for m in rows if k["merged_into"] and m["name"] == k["merged_into"]]
        return k[era] or next((m[era] for m in merged if m[era]), "")

    own = municipalities(entry)
    if own:
        return {county_of(k) for k in rows if k["nr_2012"] in own}
    found = set()
    for stated in _county_list(entry):
        lying = [county_of(k) for k in rows if k["fylke_2012"] == stated]
        found.add(max(set(lying), key=lying.count))
    return found


def in_county(entry: dict[str, Any], county: str) -> bool:
    """`--fylke COUNTY` (docs/search.md): the entry's municipalities lay in
    the county in its own era, or the entry is known only by a county
    mostly inside it."""
    inside = _inside(fold(county))
    own = municipalities(entry)
    if own:
        return bool(own & inside)
    for stated in _county_list(entry):
        numbers = {k["nr_2012"] for k in _rows("kommuner.csv") if k["fylke_2012"] == stated}
        if len(numbers & inside) * 2 > len(numbers):
            return True
    return False


def in_municipality(entry: dict[str, Any], typed: str) -> bool:
    """`--kommune NAME_OR_NUMBER` of any era; a merged municipality finds its
    predecessors of 2012."""
    rows = _rows("kommuner.csv")
    named = [
        k
        for k in rows
        if typed in (k["nr_2012"], k["nr_2020"], k["nr_2024"]) or fold(k["name"]) == fold(typed)
    ]
    numbers = {k["nr_2012"] for k in named if k["nr_2012"]}
    numbers |= {k["nr_2012"] for k in rows if k["merged_into"] in {n["name"] for n in named}}
    return bool(municipalities(entry) & numbers)


def in_region(entry: dict[str, Any], region: str) -> bool:
    """`--region NAME`: the region's own entries and its members'."""
    stated = {fold(r) for r in (entry.get("region") or "").split(", ") if r}
    return fold(region) in stated or bool(municipalities(entry) & _members(region))


# -- years ------------------------------------------------------------------------------------
def spans(entry: dict[str, Any], until: int = CATALOG_YEAR) -> list[tuple[int, int]]:
    """Each project's years: one without an end runs until the catalog's
    year (or `until`); one whose start could not be read is not counted."""
    found = []
    for project in entry.get("prosjekter") or []:
        start, end = project.get("fra"), project.get("til")
        if start is None:
            continue
        found.append((int(start), int(end) if end is not None else until))
    return found


def runs_in(entry: dict[str, Any], first: int, last: int) -> bool:
    return any(start <= last and end >= first for start, end in spans(entry))


# -- words ------------------------------------------------------------------------------------
def words(entry: dict[str, Any]) -> set[str]:
    """The folded words of what the search index holds from the YAML: title,
    lead, text, project names, list items, municipalities, county, region."""
    texts: list[str] = [entry.get(field) or "" for field in ("tittel", "ingress", "tekst")]
    texts += [p["navn"] for p in entry.get("prosjekter") or []]
    for liste in LISTS:
        texts += [i if isinstance(i, str) else i["tekst"] for i in entry.get(liste) or []]
    texts += [*(entry.get("kommuner") or []), *_county_list(entry), entry.get("region") or ""]
    return {w for text in texts for w in re.findall(r"[a-z0-9]+", fold(text))}


# -- summarise, compare --------------------------------------------------------------------
def norwegian(text: str) -> list[int]:
    """Norwegian alphabetical order (README: ... Y Z Æ Ø Å, Aa as Å)."""
    alphabet = " -/0123456789abcdefghijklmnopqrstuvwxyzæøå"
    return [alphabet.find(c) for c in text.lower().replace("aa", "å")]


def label(liste: str, slug: str) -> str:
    return str(_vocabulary()[liste][slug]["label"])


def slugs_of(entry: dict[str, Any], liste: str) -> set[str]:
    return {slug for slug, _ in _terms(entry["slug"])[liste]}


def share(count: int, total: int) -> float:
    return round(count / total, 3)


def term_counts(liste: str, chosen: Iterable[dict[str, Any]]) -> dict[str, int]:
    """How many of the entries have each term of a list (once an entry)."""
    counted: dict[str, int] = {}
    for entry in chosen:
        for slug in slugs_of(entry, liste):
            counted[slug] = counted.get(slug, 0) + 1
    return counted


def jaccard(one: set[Any], two: set[Any]) -> float:
    """What two sets share, as a share of what either has."""
    return len(one & two) / len(one | two) if one | two else 0.0
