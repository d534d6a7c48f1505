"""What the static site (`export --format html`) shows beside the entries,
chosen here so that the site itself never asks the store anything: each
entry's `similar` top five and its population (`show`'s line, `folketall`'s
numbers for the figure), the places the overview counts, and the search
index the index page searches offline.

Every number comes from the functions behind the commands: `similar`,
`summarise`, `show`'s population line and `folketall`; the search index
holds the words of the same search rows `search` indexes.
"""

from __future__ import annotations

import re
from collections import Counter

from tilflytting.core.clock import CATALOG_YEAR
from tilflytting.core.collate import sort_key
from tilflytting.core.fold import fold
from tilflytting.core.model import Entry, Place, Project, SearchFilters
from tilflytting.query.lookup import QueryError
from tilflytting.query.population import Named, entry_population, summary_line
from tilflytting.query.reports import similar_to
from tilflytting.query.results import (
    FolketallResult,
    PlaceCount,
    SitePage,
    SiteResult,
    SiteSearch,
    SummaryResult,
)
from tilflytting.reference.language import MIN_STEM, query_forms
from tilflytting.store.database import Store
from tilflytting.store.search_index import search_row

SIMILAR = 5  # entries an entry page links to as most like it
_TOKEN = re.compile(r"[a-z0-9]+")
# Words as written (reference/language.py `_WRITTEN`): what a visitor types.
_WRITTEN = re.compile(r"[0-9a-zæøåäöüéèêáàóòôíìúùçñ]+")


def site_data(
    store: Store, filters: SearchFilters, entries: list[Entry], summary: SummaryResult
) -> SiteResult:
    """The site of `entries` (the ones `filters` choose, by slug)."""
    until_today = filters.this_year != CATALOG_YEAR
    named = Named(store)
    pages = [
        SitePage(
            entry,
            similar_to(store, entry, filters, limit=SIMILAR).hits,
            summary_line(entry, until_today),
            _population(entry, until_today, named),
            sorted({p.start for p in entry.projects if p.start}),
            running_years(entry.projects, filters.this_year),
        )
        for entry in entries
    ]
    return SiteResult(
        pages,
        summary,
        counties=_counted([[(c, c, None) for c in e.counties()] for e in entries]),
        counties_2012=_counted([[(c, c, None) for c in e.counties_2012()] for e in entries]),
        municipalities=_counted([_municipalities(e) for e in entries]),
        regions=_counted([[(r, r, None) for r in regions_of(e)] for e in entries]),
        search=search_index(entries),
        this_year=filters.this_year,
    )


def _population(entry: Entry, until_today: bool, named: Named) -> FolketallResult | None:
    try:
        return entry_population(entry, "fylke", until_today, named)
    except QueryError:  # no municipality or county to count people in
        return None


def running_years(projects: list[Project], this_year: int) -> list[int]:
    """The years some project ran, as `--år` matches them: from its start to
    its end, to `this_year` while it runs, never before its start (the
    store's rule in store/filters.py and store/counts.py)."""
    years: set[int] = set()
    for project in projects:
        if project.start is None:
            continue
        end = project.end or (this_year if project.ongoing else None) or project.start
        years.update(range(project.start, max(project.start, end) + 1))
    return sorted(years)


def kommune_value(place: Place) -> str:
    """What the index filters a municipality by: its 2012 number, else its
    2024 number (as `summarise` counts municipalities); names repeat
    (Herøy in Nordland and in Møre og Romsdal)."""
    return place.nr_2012 or place.nr_2024 or ""


def _municipalities(entry: Entry) -> list[tuple[str, str, str | None]]:
    found = [
        (kommune_value(p), p.name or p.name_2024 or "", p.fylke_2024)
        for p in entry.municipalities()
    ]
    return [(value, name or value, county) for value, name, county in found if value]


def regions_of(entry: Entry) -> list[str]:
    """The regions an entry names (`Namdalen, Fosen` is two)."""
    return [r for r in dict.fromkeys(x.strip() for x in (entry.region or "").split(",")) if r]


def _counted(places: list[list[tuple[str, str, str | None]]]) -> list[PlaceCount]:
    """Entries per place (an entry's places: (value, name, county)), each
    entry once per place; by name, in Norwegian order."""
    counts: Counter[str] = Counter()
    names: dict[str, tuple[str, str | None]] = {}
    for found in places:
        for value, name, county in found:
            names.setdefault(value, (name, county))
        counts.update({value for value, _name, _county in found})
    return sorted(
        (PlaceCount(v, names[v][0], names[v][1], n) for v, n in counts.items()),
        key=lambda p: (sort_key(p.name), sort_key(p.county or "")),
    )


# -- the search index ------------------------------------------------------------------------
def search_index(entries: list[Entry]) -> SiteSearch:
    """Each word of the entries' search rows (folded; search forms are
    words there too) with the entries that have it, and each written
    word's search forms (what `search` would look for when it is typed)."""
    words: dict[str, list[int]] = {}
    forms: dict[str, set[str]] = {}
    for position, entry in enumerate(entries):
        text = "\n".join(field for field in search_row(entry) if field)
        for word in dict.fromkeys(_TOKEN.findall(fold(text))):
            words.setdefault(word, []).append(position)
        for written in set(_WRITTEN.findall(text.lower())):
            if len(written) < MIN_STEM:
                continue
            folded, *other = query_forms(written)
            if other:
                forms.setdefault(folded, set()).update(other)
    return SiteSearch(
        [e.slug for e in entries],
        dict(sorted(words.items())),
        {word: sorted(found) for word, found in sorted(forms.items())},
    )
