"""The answers researchers and planners come for: `compare`, `summarise`,
`similar` and `timeline`, each over the whole catalog or a filtered subset.

Each returns a typed result object (query/results.py); the report layer
draws it, and report/contract.py turns it into the documented JSON.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tilflytting.core.collate import sort_key
from tilflytting.core.i18n import _
from tilflytting.core.model import LISTS, Entry, SearchFilters
from tilflytting.query.lookup import UsageError, first_rows, pick_lists, show_entry
from tilflytting.query.results import (
    CompareResult,
    CompareRow,
    CrossRow,
    FreeCount,
    GroupCount,
    GrowthSummary,
    SharedTerm,
    SimilarHit,
    SimilarResult,
    SiteResult,
    SummaryResult,
    TermCount,
    TimelineEntry,
    TimelineProject,
    TimelineResult,
)
from tilflytting.reference.vocabulary import vocabulary
from tilflytting.store.database import Store

GROUPINGS = {
    "fylke": "fylke_2024",
    "fylke2024": "fylke_2024",
    "fylke2012": "fylke_2012",
    "region": "region",
}


# -- compare ------------------------------------------------------------------------
def compare(store: Store, names: list[str]) -> CompareResult:
    if len(names) < 2:
        raise UsageError(_("compare needs at least two entries"))
    details = [show_entry(store, name) for name in names]
    slugs = [d.entry.slug for d in details]
    if len(set(slugs)) < len(slugs):
        raise UsageError(
            _("the same entry was named twice: {names}").format(names=", ".join(names))
        )
    lists = {liste: _compare_rows(liste, [d.entry for d in details]) for liste in LISTS}
    similarity: dict[str, float | None] = {
        liste: _shared_share([_terms(d.entry, liste) for d in details]) for liste in LISTS
    }
    similarity["samlet"] = _shared_share(
        [{(liste, t) for liste in LISTS for t in _terms(d.entry, liste)} for d in details]
    )
    return CompareResult([d.entry for d in details], lists, similarity)


def _terms(entry: Entry, liste: str) -> set[str]:
    return {i.term for i in entry.lists[liste] if i.term}


def _compare_rows(liste: str, entries: list[Entry]) -> list[CompareRow]:
    """Shared terms first, then the others by how many have them, free answers last."""
    vocab = vocabulary()
    sets = [_terms(e, liste) for e in entries]
    counts = Counter(t for s in sets for t in s)
    terms = sorted(counts, key=lambda t: (-counts[t], sort_key(vocab.label(liste, t))))
    rows = [CompareRow(t, vocab.label(liste, t), [t in s for s in sets]) for t in terms]
    free = [[i.text for i in e.lists[liste] if not i.term] for e in entries]
    for text in dict.fromkeys(x for texts in free for x in texts):
        rows.append(CompareRow(None, text, [text in texts for texts in free]))
    return rows


def _shared_share(sets: list[set[Any]]) -> float | None:
    """Terms all have, as a share of the terms any has (None if none has any)."""
    union = set().union(*sets)
    if not union:
        return None
    return round(len(set.intersection(*sets)) / len(union), 3)


# -- similar ------------------------------------------------------------------------
def similar(
    store: Store, name: str, filters: SearchFilters, limit: int = 10, notes: list[str] | None = None
) -> SimilarResult:
    """Entries most like one, by shared terms weighted so that rare terms count
    more (inverse document frequency): sum of shared weights / sum of all."""
    return similar_to(store, show_entry(store, name).entry, filters, limit, notes)


def similar_to(
    store: Store,
    target: Entry,
    filters: SearchFilters,
    limit: int = 10,
    notes: list[str] | None = None,
) -> SimilarResult:
    """`similar` for an entry already found (the site asks it for every
    entry, whatever its slug: a stored slug need not be one a user could type)."""
    total = max(store.entries_with_terms(), 1)
    frequency = {
        (liste, term): entries
        for liste, term, entries, _ in store.subset_term_counts(SearchFilters())
        if term
    }
    weights = {pair: _weight(count, total) for pair, count in frequency.items()}
    mine = {(liste, t) for liste in LISTS for t in _terms(target, liste)}
    mine_weight = sum(weights.get(p, _weight(0, total)) for p in mine)
    target_id = store.find("slug", target.slug)[0][0]
    scored = []
    for entry_id, shared, theirs in store.term_weight_sums(weights, mine, filters):
        if entry_id != target_id:
            union = mine_weight + theirs - shared
            scored.append((round(shared / union, 3) if union else 0.0, entry_id))
    scored.sort(key=lambda r: (-r[0], r[1]))
    hits = _similar_hits(store, mine, scored[:limit], frequency)
    return SimilarResult(notes or [], target.slug, hits)


def _weight(frequency: int, total: int) -> float:
    return math.log(1 + total / max(frequency, 1))


def _similar_hits(
    store: Store,
    mine: set[tuple[str, str]],
    rows: list[tuple[float, int]],
    frequency: dict[tuple[str, str], int],
) -> list[SimilarHit]:
    vocab = vocabulary()
    entries = store.load_entries([entry_id for _score, entry_id in rows])
    hits = []
    for (score, _id), entry in zip(rows, entries, strict=True):
        theirs = {(liste, t) for liste in LISTS for t in _terms(entry, liste)}
        # The rarest shared terms first: they say most about the likeness.
        shared = sorted(mine & theirs, key=lambda p: (frequency.get(p, 0), p))
        terms = [SharedTerm(liste, t, vocab.label(liste, t)) for liste, t in shared]
        hits.append(SimilarHit(entry.slug, entry.title, score, terms))
    return hits


# -- summarise ------------------------------------------------------------------------
def summarise(
    store: Store,
    filters: SearchFilters,
    liste: str | None = None,
    by: str | None = None,
    top: int | None = None,
    folketall: bool = False,
    notes: list[str] | None = None,
) -> SummaryResult:
    lists = pick_lists(liste)
    total = store.count_entries(filters)
    places = store.place_counts(filters)
    result = SummaryResult(notes or [], entries=total)
    result.kommuner, result.fylker_2012, result.fylker_2024 = (
        places.get("kommuner", 0),
        places.get("fylker_2012", 0),
        places.get("fylker_2024", 0),
    )
    counts = store.subset_term_counts(filters, lists)
    for name in lists:
        result.lists[name], result.free[name] = _term_rows(name, counts, total, top)
    if by is not None:
        # The cross-table shows the terms of the table above it, in its order.
        shown = {name: [row.term for row in result.lists[name] if row.term] for name in lists}
        result.by, result.cross = by, _cross(store, filters, shown, by)
    result.started, result.active = _project_years(store, filters)
    if folketall:
        result.growth = _growth(store, filters)
    return result


def _share(count: int, total: int) -> float:
    return round(count / total, 3) if total else 0.0


def _term_rows(
    liste: str, counts: list[tuple[str, str | None, int, int]], total: int, top: int | None
) -> tuple[list[TermCount], FreeCount]:
    vocab = vocabulary()
    used = {term: n for name, term, n, _items in counts if name == liste and term}
    rows = [
        TermCount(liste, t.slug, t.label, used.get(t.slug, 0), _share(used.get(t.slug, 0), total))
        for t in vocab.terms[liste].values()
    ]
    rows.sort(key=lambda r: (-r.entries, sort_key(r.label)))
    free = next(
        ((n, items) for name, term, n, items in counts if name == liste and not term), (0, 0)
    )
    return rows[:top] if top else rows, FreeCount(free[0], free[1])


def grouping(by: str) -> str:
    """The column a `--by` value groups by (fylke, fylke2024, fylke2012, region)."""
    column = GROUPINGS.get(by.replace("_", "").replace("-", "").replace(" ", "").lower())
    if column is None:
        raise UsageError(
            _("--by takes {choices}, not '{text}'").format(choices=", ".join(GROUPINGS), text=by)
        )
    return column


def _cross(
    store: Store, filters: SearchFilters, terms: dict[str, list[str]], by: str
) -> dict[str, list[CrossRow]]:
    column = grouping(by)
    sizes = store.group_sizes(filters, column)
    found: dict[tuple[str, str], dict[str, int]] = {}
    for liste, term, group, n in store.cross_counts(filters, column):
        found.setdefault((liste, term), {})[group] = n
    vocab = vocabulary()
    groups = sorted(sizes, key=sort_key)
    result: dict[str, list[CrossRow]] = {}
    for liste, wanted in terms.items():
        rows = []
        for term in wanted:
            counts = found.get((liste, term), {})
            if not any(counts.values()):
                continue  # no entry of any group has it (a top term of an empty subset)
            rows.append(
                CrossRow(
                    term,
                    vocab.label(liste, term),
                    {
                        g: GroupCount(counts.get(g, 0), _share(counts.get(g, 0), sizes[g]))
                        for g in groups
                    },
                )
            )
        result[liste] = rows
    return result


def _project_years(store: Store, filters: SearchFilters) -> tuple[dict[int, int], dict[int, int]]:
    """Projects started each year, and projects running each year: a running
    sum of starts less the projects whose last year was the year before."""
    started, ended = store.project_years(filters, filters.this_year)
    if not started:
        return {}, {}
    running, total = {}, 0
    for year in range(min(started), max([*ended, *started]) + 1):
        total += started.get(year, 0)
        running[year] = total
        total -= ended.get(year, 0)
    years = [y for y in running if running[y] or started.get(y)]
    return {y: started.get(y, 0) for y in years}, {y: running[y] for y in years}


def _growth(store: Store, filters: SearchFilters) -> GrowthSummary:
    """Population change of the chosen entries; the year filters also limit
    the span measured (`--fra 2008 --til 2012`: 1.1.2008 to 1.1.2013)."""
    from tilflytting.core.clock import CATALOG_YEAR
    from tilflytting.query.population import growth_summary

    ids = [entry_id for entry_id, _score in store.search(None, filters)]
    starts = [y for y in (filters.year, filters.span_from) if y is not None]
    ends = [y for y in (filters.year, filters.span_to) if y is not None]
    span = (max(starts) if starts else None, min(ends) if ends else None)
    today = filters.this_year != CATALOG_YEAR
    return growth_summary(store.load_outlines(ids), span, today)


# -- timeline ------------------------------------------------------------------------
def timeline(
    store: Store,
    filters: SearchFilters,
    limit: int | None = None,
    cap: int | None = None,
    notes: list[str] | None = None,
) -> TimelineResult:
    """Entries' projects by slug: at most `limit` entries; with no limit, at
    most `cap`, and then the result says how many there were."""
    this_year = filters.this_year  # open-ended projects end here (the catalog's year)
    entries: dict[int, TimelineEntry] = {}
    for entry_id, slug, title, name, start, end, ongoing in store.project_rows(filters):
        row = entries.setdefault(entry_id, TimelineEntry(slug, title, []))
        shown_to = max(this_year, start or this_year) if ongoing and end is None else (end or start)
        row.projects.append(TimelineProject(name, start, end, bool(ongoing), shown_to))
    shown, total = first_rows(list(entries.values()), limit, cap)  # by slug, as rows came
    starts = [p.start for r in shown for p in r.projects if p.start]
    first = min(starts) if starts else this_year
    ends = [p.shown_to for r in shown for p in r.projects if p.shown_to]
    return TimelineResult(notes or [], shown, first, max([this_year, *ends]), total)


@dataclass
class Selection:
    """What `export` writes: the chosen entries, the summary and the rest
    the HTML site shows beside them (query/site.py), and the database's
    name (for Datasette metadata)."""

    entries: list[Entry]
    summary: SummaryResult | None = None
    database: str = "catalog"
    site: SiteResult | None = None


def selection(store: Store, filters: SearchFilters, fmt: str) -> Selection:
    """The entries `filters` allow, with what format `fmt` needs besides."""
    entries = catalog_part(store, filters, raw=fmt == "yaml")
    if fmt == "html":
        from tilflytting.query.site import site_data

        summary = summarise(store, filters, top=None)
        return Selection(entries, summary, site=site_data(store, filters, entries, summary))
    database = Path(store.path).stem if fmt == "datasette-metadata" else "catalog"
    return Selection(entries, None, database)


def catalog_part(store: Store, filters: SearchFilters, raw: bool = False) -> list[Entry]:
    """Every entry the filters allow, by slug (for exports; `raw` for YAML)."""
    ids = [entry_id for entry_id, _score in store.search(None, filters)]
    return store.load_entries(ids, raw=raw)
