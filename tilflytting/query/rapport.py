"""`rapport`: the catalog, or the entries the filters choose, as one report.

Every number comes from the functions behind the other commands: the
counts, terms and cross-table from `summarise`, the projects from
`timeline`, each entry's population, reference and comparison group from
`folketall` over the years `summarise --folketall` measures. A test holds
the report's tables against those commands' JSON.
"""

from __future__ import annotations

from tilflytting.core.clock import CATALOG_YEAR
from tilflytting.core.collate import sort_key
from tilflytting.core.model import SearchFilters
from tilflytting.query.population import Named, entry_population
from tilflytting.query.reports import catalog_part, summarise, timeline
from tilflytting.query.results import FolketallResult, RapportResult
from tilflytting.reference.population import population
from tilflytting.store.database import Store

# The report's cross-table: counties as they were in 2012, the catalog's year
# (and the borders its population figures are on).
BY = "fylke2012"


def rapport(
    store: Store,
    filters: SearchFilters,
    selection: list[tuple[str, str]] | None = None,
    notes: list[str] | None = None,
) -> RapportResult:
    summary = summarise(store, filters, by=BY, folketall=True)
    entries = catalog_part(store, filters)
    until_today = filters.this_year != CATALOG_YEAR
    growth = summary.growth
    assert growth is not None
    chosen = {e.slug: e for e in entries}
    named = Named(store)
    figures: list[FolketallResult] = [
        entry_population(chosen[g.slug], "fylke", until_today, named, span=(g.start, g.end))
        for g in growth.entries
        if g.slug in chosen
    ]
    # The report lists entries by title, the Norwegian way (Økt ... after
    # Valhall), not by slug; the slug only orders titles that are the same.
    figures.sort(key=lambda f: (sort_key(f.title), f.slug))
    projects = timeline(store, filters)
    projects.entries.sort(key=lambda e: (sort_key(e.title), e.slug))
    regions = sorted(
        {name.strip() for e in entries if e.region for name in e.region.split(",")} - {""},
        key=sort_key,  # Norwegian order: ... Æ Ø Å
    )
    return RapportResult(
        notes or [],
        selection=selection or [],
        summary=summary,
        timeline=projects,
        regions=regions,
        cut_off=[e.slug for e in entries if not e.complete],
        projects=sum(len(e.projects) for e in entries),
        population=figures,
        until_today=until_today,
        end_year=filters.this_year,
        last_year=population().years[-1],
    )
