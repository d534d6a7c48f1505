"""Normalise a parsed entry: its slug, its places, its region.

Places come from what a YAML entry states, or else from the page, each
decided from the strongest evidence there is, and kept with it
(`Place.evidence`, `Place.line`, shown by `show --sources`):

1. places the entry names as its own: municipalities in the title, then in
   the lead, then in a list of municipalities in the text ("kommunene Grong,
   Høylandet og Overhalla"); a county named in the title or lead;
2. the member municipalities of a region the entry names (Hardanger,
   Namdalen; data/regioner.csv), within a county it names, if it names one;
3. a county adjective in the entry's text ("nordtrønderske kommuner");
4. a public partner's county ("Fylkesmannen i Sør-Trøndelag"), which only
   fills a gap (no place above) or tells namesakes apart (Herøy, Bø), and
   never outvotes the text.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from tilflytting.core.fold import fold, key
from tilflytting.core.i18n import N_
from tilflytting.core.model import LISTS, Entry, Item, Place, Problem
from tilflytting.core.names import safe_name
from tilflytting.reference.places import (
    Kommune,
    Reference,
    Region,
    UnknownPlace,
    municipal_lists,
    names_in,
    reference,
    regions_in,
)
from tilflytting.reference.vocabulary import vocabulary

# The kinds of evidence, strongest first (the values stored and shown).
EVIDENCE = (
    "oppgitt",  # a YAML entry's own `kommuner`/`fylke`
    "tittel",
    "ingress",
    "kommuneliste",
    "fylke",  # a county named in the title or lead
    "region",
    "fylkesadjektiv",
    "partner",
)
# County adjectives of 2012, on folded text: "nord-trønderske", "nordtrøndersk".
_ADJECTIVES = {
    r"nord-?trondersk": "Nord-Trøndelag",
    r"sor-?trondersk": "Sør-Trøndelag",
    r"nordlandsk": "Nordland",
    r"finnmarksk": "Finnmark",
    r"hedmarksk": "Hedmark",
    r"opplandsk": "Oppland",
    r"buskerudsk": "Buskerud",
    r"vestfoldsk": "Vestfold",
    r"telemarksk": "Telemark",
    r"aust-?agdersk": "Aust-Agder",
    r"vest-?agdersk": "Vest-Agder",
    r"rogalandsk": "Rogaland",
    r"hordalandsk": "Hordaland",
    r"ostfoldsk": "Østfold",
}
_ADJECTIVE = re.compile(r"(?<![\w-])(" + "|".join(_ADJECTIVES) + r")(?:e|t|a)?(?![\w-])")


class _Found(NamedTuple):
    """A place found with its evidence: the kind, the words it was read
    from (to find its line) and the line where already known."""

    kommune: Kommune | None
    county: str | None
    evidence: str
    words: str | None = None
    line: int | None = None


def normalise(entry: Entry, source_text: str | None = None) -> Entry:
    """Fill in slug, places, region and list terms. Mutates and returns
    `entry`. `source_text`, the file as read, gives each place's line."""
    ref = reference()
    # A slug made from the title follows the file-name rule (core/names.py);
    # a stated one was checked when its file was read.
    entry.slug = entry.slug or safe_name(entry.title)
    # A page never comes with a region: only a YAML entry states one.
    found = _stated(entry, ref) if entry.stated_places or entry.stated_counties else []
    if not found and entry.region and not (entry.stated_places or entry.stated_counties):
        found = _stated(entry, ref)  # the members of a YAML entry's region
    if not found and not (entry.stated_places or entry.stated_counties):
        found = _derived(entry, ref)
    entry.places = _places(found, ref, entry, source_text)
    if not entry.places:
        entry.warn(N_("no municipality or county found for this entry"), entry.title_line)
    entry.raw_lists = {name: list(items) for name, items in entry.lists.items()}
    apply_vocabulary(entry)
    return entry


def apply_vocabulary(entry: Entry) -> None:
    """Give the items of `entry.raw_lists` their terms, into `entry.lists`.
    An item that is exactly another list's term moves there (pages sometimes
    put a target group under the activities)."""
    vocab = vocabulary()
    placed: dict[str, list[Item]] = {name: [] for name in LISTS}
    for name in LISTS:
        for item in entry.raw_lists.get(name, []):
            # A written form of its own list keeps it there; an exact form of
            # another list moves it, before any looser match here can claim it
            # (`Potensielle tilbakeflyttere` under activities is a target group,
            # not a near-miss of `Brev til potensielle tilbakeflyttere`).
            own = item.term in vocab.terms[name] or vocab.match_form(name, item.text)
            moved = None if own else vocab.misplaced(name, item)
            placed[moved or name].append(item)
    for name in LISTS:
        # A term a YAML entry states for an item is kept as the maintainer's word.
        stated = [i for i in placed[name] if i.term in vocab.terms[name]]
        # By identity: `i not in stated` compared items field by field, once
        # per pair (10,000 stated items: 12 s).
        kept = {id(i) for i in stated}
        found = vocab.normalise_items(name, [i for i in placed[name] if id(i) not in kept])
        entry.lists[name] = sorted([*stated, *found], key=lambda i: i.line or 0)


# -- places a YAML entry states -------------------------------------------
def _stated(entry: Entry, ref: Reference) -> list[_Found]:
    found: list[_Found] = []
    seen: set[Kommune] = set()
    # Each name once, each municipality once (`Holtålen` and `5031` are one):
    # a list of 10,000 repeats is one place, and costs one lookup.
    for stated in dict.fromkeys(entry.stated_places):
        kommune = _lookup(stated, ref, entry)
        if kommune is not None and kommune not in seen:
            seen.add(kommune)
            found.append(_Found(kommune, None, "oppgitt", stated))
    counties: list[str] = []
    for stated in dict.fromkeys(entry.stated_counties):
        county = ref.county(stated)
        if county is None:
            entry.problems.append(
                Problem(N_("unknown county '{name}'").format(name=stated), None, "error")
            )
        else:
            counties.append(county)
    if found:
        return found
    regions = _stated_regions(entry, ref)
    members = _members(regions, counties, ref)
    if members:
        return members
    return [_Found(None, county, "oppgitt", county) for county in dict.fromkeys(counties)]


def _stated_regions(entry: Entry, ref: Reference) -> list[Region]:
    """The regions a YAML entry's `region` names ("Valdres, Hallingdal")."""
    regions: list[Region] = []
    for name in (entry.region or "").split(","):
        if not name.strip():
            continue
        region = ref.region(name)
        if region is None:
            entry.warn(
                N_("unknown region '{name}': kept as written, with no municipalities").format(
                    name=name.strip()
                )
            )
        elif region not in regions:
            regions.append(region)
    return regions


def _lookup(stated: str, ref: Reference, entry: Entry) -> Kommune | None:
    """A municipality by number (any era) or name; `Herøy (Nordland)` or
    `Bø i Vesterålen` to choose among namesakes."""
    try:
        hits = ref.kommuner_named(stated)
    except UnknownPlace:
        hits = []
    if len(hits) == 1:
        return hits[0]
    if not hits:
        message = N_("unknown municipality '{name}'").format(name=stated)
    else:
        options = ", ".join(f"{k.name} ({k.fylke_2012 or k.fylke_2024})" for k in hits)
        message = N_("municipality '{name}' is ambiguous: write one of {options}").format(
            name=stated, options=options
        )
    entry.problems.append(Problem(message, None, "error"))
    return None


# -- places found in a page -----------------------------------------------
def _derived(entry: Entry, ref: Reference) -> list[_Found]:
    own: list[_Found] = []
    in_title = names_in(entry.title, allow_common=True)
    if in_title:
        own = [_Found(k, None, "tittel", k.name, entry.title_line) for k in in_title]
    elif in_lead := names_in(entry.lead):
        own = [_Found(k, None, "ingress", k.name) for k in in_lead]
    else:
        own = [_Found(k, None, "kommuneliste", k.name) for k in municipal_lists(entry.text)]
    regions = regions_in(entry.title) or ([] if in_title else regions_in(entry.lead))
    named = ref.counties_in(entry.title) or ref.counties_in(entry.lead)
    if not own and not regions and not named:
        regions = regions_in(entry.text)  # last resort: "Næringshagen i Valdres ..."
    entry.region = entry.region or (", ".join(regions) if regions else None)
    adjectives = _adjectives(f"{entry.title}\n{entry.lead}\n{entry.text}")
    partners = _partner_counties(entry, ref)
    region_list = [ref.regions[name] for name in regions]
    if own:
        # Namesakes are told apart by the text's own counties first.
        tiers = [
            named + [c for r in region_list for c in r.counties] + [c for c, _ in adjectives],
            [c for c, _ in partners],
        ]
        return _disambiguate(own, tiers, entry)
    members = _members(region_list, named, ref)
    if members:
        return members
    if named:
        return [_Found(None, c, "fylke", c) for c in named]
    if adjectives:
        first = dict.fromkeys(c for c, _ in adjectives)
        words = dict(adjectives)
        return [_Found(None, c, "fylkesadjektiv", words[c]) for c in first]
    return [_Found(None, county, "partner", item.text, item.line) for county, item in partners]


def _members(regions: list[Region], counties: list[str], ref: Reference) -> list[_Found]:
    """The member municipalities of `regions` (within `counties`, where any
    member lies there), each once."""
    found: list[_Found] = []
    seen: set[str] = set()
    for region in regions:
        inside = [n for n in region.members if ref.by_2012_number[n].fylke_2012 in counties]
        for number in inside or region.members:
            if number not in seen:
                seen.add(number)
                found.append(_Found(ref.by_2012_number[number], None, "region", region.name))
    return found


def _adjectives(text: str) -> list[tuple[str, str]]:
    """(county, the word as written) for each county adjective in `text`."""
    found: list[tuple[str, str]] = []
    folded = fold(text)
    if not any(end in folded for end in _ADJECTIVE_ENDS):
        # Folding works letter by letter, so a word that folds to an
        # adjective leaves the end of its stem in the folded text: none
        # there, none at all (most pages; 10,000 pages: 0.70 → 0.16 s).
        return found
    for word in _WORDS.findall(text):
        county = _adjective_county(word)
        if county is not None and county not in [c for c, _ in found]:
            found.append((county, word))
    return found


_WORDS = re.compile(r"[\w-]+")
# The last five letters of every stem (`dersk`, `landsk`, `marksk`, ...).
_ADJECTIVE_ENDS = frozenset(pattern.replace("-?", "")[-5:] for pattern in _ADJECTIVES)


@lru_cache(maxsize=100_000)
def _adjective_county(word: str) -> str | None:
    """The county `word` is the adjective of, if it is one. Asked of every
    word of every page; words recur from page to page, so each is folded
    and matched once."""
    match = _ADJECTIVE.fullmatch(fold(word))
    if match is None:
        return None
    return next(c for pattern, c in _ADJECTIVES.items() if re.match(pattern, match[1]))


def _partner_counties(entry: Entry, ref: Reference) -> list[tuple[str, Item]]:
    """Counties revealed by public partners: fylkeskommune, fylkesmannen."""
    found: list[tuple[str, Item]] = []
    for item in entry.lists["samarbeidspartnere"]:
        if "fylke" in item.text.lower():
            for county in ref.counties_in(item.text):
                if county not in [c for c, _ in found]:
                    found.append((county, item))
    return found


def _disambiguate(own: list[_Found], tiers: list[list[str]], entry: Entry) -> list[_Found]:
    """Drop the namesakes that the evidence rules out, strongest tier first;
    warn where none does."""
    kommuner = [f.kommune for f in own if f.kommune is not None]
    unique = {k.fylke_2012 for k in kommuner if [n.name for n in kommuner].count(k.name) == 1}
    chosen: list[_Found] = []
    for name in dict.fromkeys(k.name for k in kommuner):
        namesakes = [f for f in own if f.kommune is not None and f.kommune.name == name]
        for counties in [set(tiers[0]) | unique, *({*t} for t in tiers[1:])]:
            if len(namesakes) > 1:
                fitting = [f for f in namesakes if f.kommune and f.kommune.fylke_2012 in counties]
                namesakes = fitting or namesakes
        if len(namesakes) == 1:
            chosen.append(namesakes[0])
        else:
            entry.warn(
                N_("municipality '{name}' is ambiguous here; not resolved").format(name=name),
                entry.title_line,
            )
    return chosen


# -- places with their evidence ----------------------------------------------
def _places(
    found: list[_Found], ref: Reference, entry: Entry, source_text: str | None
) -> list[Place]:
    lines = _Lines(source_text.splitlines() if source_text is not None else [], entry)
    places: list[Place] = []
    for item in found:
        # A municipality named as itself needs no words; the rest say what
        # they were read from: "region: Namdalen", "partner: Fylkesmannen i ...".
        plain = item.kommune is not None and item.evidence in EVIDENCE[:4]
        evidence = item.evidence if plain else f"{item.evidence}: {item.words}"
        line = item.line or lines.line_of(item)
        made = ref.place(item.kommune) if item.kommune else [_county_place(item.county or "", ref)]
        for place in made:
            place.evidence, place.line = evidence, line
            places.append(place)
    return places


class _Lines:
    """The lines of an entry's file, to find where each place was read from.
    Each line is keyed once, and each place's words looked up once: a YAML
    list of 10,000 places used to key its line once per place (N=20,000:
    115 s)."""

    def __init__(self, lines: list[str], entry: Entry) -> None:
        self.lines = lines
        self.start = entry.title_line or 1
        self.keys: list[str | None] = [None] * len(lines)
        self.yaml = _is_yaml(lines)
        self.pieces: dict[tuple[str, ...], dict[str, int]] = {}
        self.found: dict[tuple[tuple[str, ...], str], int | None] = {}

    def line_of(self, found: _Found) -> int | None:
        """The first line (after the title) that holds the words the place
        was read from: a YAML entry's own key, or the page's text."""
        if not self.lines or not found.words:
            return None
        keys: tuple[str, ...] = ()
        if found.evidence == "oppgitt" or (found.evidence == "region" and self.yaml):
            keys = ("kommuner", "fylke", "- ") if found.evidence == "oppgitt" else ("region",)
        words = key(found.words)
        if (keys, words) not in self.found:
            self.found[keys, words] = self._search(keys, words)
        return self.found[keys, words]

    def _search(self, keys: tuple[str, ...], words: str) -> int | None:
        if keys:
            # A list item written as itself: `- Holtålen`, `kommuner: [Grong, Snåsa]`.
            exact = self._pieces(keys).get(words)
            if exact is not None:
                return exact
            for number, text in enumerate(self.lines, start=1):
                if text.strip().startswith(keys) and words in self._key(number - 1):
                    return number
        for number in range(self.start, len(self.lines) + 1):
            if words in self._key(number - 1):
                return number
        return None

    def _key(self, index: int) -> str:
        keyed = self.keys[index]
        if keyed is None:
            keyed = self.keys[index] = key(self.lines[index])
        return keyed

    def _pieces(self, keys: tuple[str, ...]) -> dict[str, int]:
        """The first line of each keyed list element of the lines that
        begin with `keys` (read once)."""
        if keys not in self.pieces:
            first: dict[str, int] = {}
            for number, text in enumerate(self.lines, start=1):
                if text.strip().startswith(keys):
                    for piece in _PIECES.split(text):
                        first.setdefault(key(piece), number)
            self.pieces[keys] = first
        return self.pieces[keys]


_PIECES = re.compile(r"[,\[\]:]")


def _is_yaml(lines: list[str]) -> bool:
    return any(text.startswith("tittel:") for text in lines)


def _county_place(county: str, ref: Reference) -> Place:
    old = county if county in ref.old_counties.values() else None
    return Place("fylke", None, None, old, None, None, ref.county_2024(county))
