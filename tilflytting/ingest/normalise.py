"""Normalise a parsed entry: its slug, its places, its region.

Places come from what a YAML entry states, or else from the page: the title
first, then the lead, then lists of municipalities in the text; counties
written in the partner list ("Troms fylkeskommune", "Fylkesmannen i
Telemark") settle names that several municipalities share (Herøy, Bø).
"""

from __future__ import annotations

import re

from tilflytting.core.fold import key, slugify
from tilflytting.core.i18n import N_
from tilflytting.core.model import LISTS, Entry, Item, Place, Problem
from tilflytting.reference.places import (
    Kommune,
    Reference,
    municipal_lists,
    names_in,
    reference,
    regions_in,
)
from tilflytting.reference.vocabulary import vocabulary

_QUALIFIED = re.compile(r"^(.*?)\s*\((.+)\)\s*$")


def normalise(entry: Entry) -> Entry:
    """Fill in slug, places, region and list terms. Mutates and returns `entry`."""
    ref = reference()
    entry.slug = entry.slug or slugify(entry.title)
    if entry.stated_places or entry.stated_counties:
        entry.places = _stated(entry, ref)
    else:
        entry.places = _derived(entry, ref)
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
            fits = item.term in vocab.terms[name] or vocab.match(name, item.text)
            placed[(None if fits else vocab.misplaced(name, item)) or name].append(item)
    for name in LISTS:
        # A term a YAML entry states for an item is kept as the maintainer's word.
        stated = [i for i in placed[name] if i.term in vocab.terms[name]]
        found = vocab.normalise_items(name, [i for i in placed[name] if i not in stated])
        entry.lists[name] = sorted([*stated, *found], key=lambda i: i.line or 0)


# -- places a YAML entry states -------------------------------------------
def _stated(entry: Entry, ref: Reference) -> list[Place]:
    places: list[Place] = []
    for stated in entry.stated_places:
        kommune = _lookup(stated, ref, entry)
        if kommune is not None:
            places.extend(ref.place(kommune))
    for stated in entry.stated_counties:
        county = ref.county(stated)
        if county is None:
            entry.problems.append(
                Problem(N_("unknown county '{name}'").format(name=stated), None, "error")
            )
        elif not [p for p in places if p.kind == "kommune"]:
            places.append(_county_place(county, ref))
    return places


def _lookup(stated: str, ref: Reference, entry: Entry) -> Kommune | None:
    """A municipality by number (any era) or name, `Herøy (Nordland)` to choose."""
    text = stated.strip()
    if text.isdigit():
        hits = ref.by_number.get(text.zfill(4), [])
    else:
        qualified = _QUALIFIED.match(text)
        name, county = (qualified.group(1), qualified.group(2)) if qualified else (text, None)
        hits = ref.by_name.get(key(name), [])
        if county is not None:
            wanted = ref.county(county)
            hits = [k for k in hits if wanted in (k.fylke_2012, k.fylke_2024)]
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
def _derived(entry: Entry, ref: Reference) -> list[Place]:
    evidence = _county_evidence(entry, ref)
    in_title = names_in(entry.title, allow_common=True)
    kommuner = in_title or names_in(entry.lead) or municipal_lists(entry.text)
    regions = regions_in(entry.title) or ([] if in_title else regions_in(entry.lead))
    named_county = ref.counties_in(f"{entry.title} {entry.lead}")
    if not kommuner and not regions and not named_county:
        regions = regions_in(entry.text)  # last resort: "Næringshagen i Valdres ..."
    entry.region = entry.region or (", ".join(regions) if regions else None)
    chosen = _disambiguate(kommuner, evidence, entry)
    places = [place for kommune in chosen for place in ref.place(kommune)]
    if places:
        return places
    counties = ref.counties_in(entry.title) or ref.counties_in(entry.lead)
    counties = counties or [c for r in regions for c in ref.regions[r]] or evidence
    return [_county_place(county, ref) for county in dict.fromkeys(counties)]


def _county_evidence(entry: Entry, ref: Reference) -> list[str]:
    """Counties revealed by public partners: fylkeskommune, fylkesmannen."""
    found: list[str] = []
    for item in entry.lists["samarbeidspartnere"]:
        if "fylke" in item.text.lower():
            found.extend(c for c in ref.counties_in(item.text) if c not in found)
    return found


def _disambiguate(kommuner: list[Kommune], evidence: list[str], entry: Entry) -> list[Kommune]:
    """Drop the namesakes that other evidence rules out; warn where none does."""
    counties = set(evidence) | {
        k.fylke_2012 for k in kommuner if len([n for n in kommuner if n.name == k.name]) == 1
    }
    chosen: list[Kommune] = []
    for name in dict.fromkeys(k.name for k in kommuner):
        namesakes = [k for k in kommuner if k.name == name]
        if len(namesakes) > 1:
            namesakes = [k for k in namesakes if k.fylke_2012 in counties]
        if len(namesakes) == 1:
            chosen.append(namesakes[0])
        else:
            entry.warn(
                N_("municipality '{name}' is ambiguous here; not resolved").format(name=name),
                entry.title_line,
            )
    return chosen


def _county_place(county: str, ref: Reference) -> Place:
    old = county if county in ref.old_counties.values() else None
    return Place("fylke", None, None, old, None, None, ref.county_2024(county))
