"""The answers researchers and planners come for: `compare`, `summarise`,
`similar` and `timeline`, each over the whole catalog or a filtered subset.

Each returns a result object; the render layer draws it, and its `data` is
the documented JSON (docs/json.md).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilflytting.core.model import LIST_LABELS, LISTS, Entry, SearchFilters
from tilflytting.query.lookup import UsageError, first_rows, show_entry
from tilflytting.query.results import CompareResult, Report, TableResult, TimelineResult
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
        raise UsageError("compare needs at least two entries")
    details = [show_entry(store, name) for name in names]
    slugs = [d.entry.slug for d in details]
    if len(set(slugs)) < len(slugs):
        raise UsageError(f"the same entry was named twice: {', '.join(names)}")
    lists = {liste: _compare_rows(liste, [d.entry for d in details]) for liste in LISTS}
    similarity: dict[str, float | None] = {
        liste: _shared_share([_terms(d.entry, liste) for d in details]) for liste in LISTS
    }
    similarity["samlet"] = _shared_share(
        [{(liste, t) for liste in LISTS for t in _terms(d.entry, liste)} for d in details]
    )
    return CompareResult([d.data for d in details], lists, similarity)


def _terms(entry: Entry, liste: str) -> set[str]:
    return {i.term for i in entry.lists[liste] if i.term}


def _compare_rows(liste: str, entries: list[Entry]) -> list[dict[str, Any]]:
    """Shared terms first, then the others by how many have them, free answers last."""
    vocab = vocabulary()
    sets = [_terms(e, liste) for e in entries]
    counts = Counter(t for s in sets for t in s)
    terms = sorted(counts, key=lambda t: (-counts[t], vocab.label(liste, t)))
    rows: list[dict[str, Any]] = [
        {"term": t, "etikett": vocab.label(liste, t), "har": [t in s for s in sets]} for t in terms
    ]
    free = [[i.text for i in e.lists[liste] if not i.term] for e in entries]
    for text in dict.fromkeys(x for texts in free for x in texts):
        rows.append({"term": None, "etikett": text, "har": [text in texts for texts in free]})
    return rows


def _shared_share(sets: list[set[Any]]) -> float | None:
    """Terms all have, as a share of the terms any has (None if none has any)."""
    union = set().union(*sets)
    if not union:
        return None
    return round(len(set.intersection(*sets)) / len(union), 3)


# -- similar ------------------------------------------------------------------------
def similar(store: Store, name: str, filters: SearchFilters, limit: int = 10) -> TableResult:
    """Entries most like one, by shared terms weighted so that rare terms count
    more (inverse document frequency): sum of shared weights / sum of all."""
    target = show_entry(store, name).entry
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
    return _similar_table(store, target.slug, mine, scored[:limit], frequency)


def _weight(frequency: int, total: int) -> float:
    return math.log(1 + total / max(frequency, 1))


def _similar_table(
    store: Store,
    slug: str,
    mine: set[tuple[str, str]],
    rows: list[tuple[float, int]],
    frequency: dict[tuple[str, str], int],
) -> TableResult:
    vocab = vocabulary()
    entries = store.load_entries([entry_id for _, entry_id in rows])
    out: list[dict[str, Any]] = []
    for (score, _), entry in zip(rows, entries, strict=True):
        theirs = {(liste, t) for liste in LISTS for t in _terms(entry, liste)}
        # The rarest shared terms first: they say most about the likeness.
        shared = sorted(mine & theirs, key=lambda p: (frequency.get(p, 0), p))
        labels = [f"{vocab.label(liste, t)}" for liste, t in shared]
        out.append(
            {
                "slug": entry.slug,
                "tittel": entry.title,
                "likhet": score,
                "felles": labels,
                "antall_felles": len(shared),
            }
        )
    return TableResult(
        f"Mest lik {slug}",
        ["slug", "likhet", "antall_felles", "felles"],
        out,
        "likhet: shared terms' weight / all terms' weight; rare terms weigh more",
    )


# -- summarise ------------------------------------------------------------------------
def summarise(
    store: Store,
    filters: SearchFilters,
    liste: str | None = None,
    by: str | None = None,
    top: int | None = None,
    folketall: bool = False,
) -> Report:
    lists = _pick_lists(liste)
    total = store.count_entries(filters)
    places = store.place_counts(filters)
    data: dict[str, Any] = {"oppforinger": total, **places, "lister": {}, "fritekst": {}}
    counts = store.subset_term_counts(filters, lists)
    tables = [_overview(data)]
    for name in lists:
        rows, free = _term_rows(name, counts, total, top)
        data["lister"][name], data["fritekst"][name] = rows, free
        tables.append(_term_table(name, rows, free, total))
    if by is not None:
        data["kryss"] = _cross(store, filters, lists, by, top)
        tables += [_cross_table(name, by, data["kryss"][name]) for name in lists]
    data["prosjekter"] = _project_years(store, filters)
    tables.append(_years_table(data["prosjekter"]))
    if folketall:
        data["folketall"] = _growth(store, filters)
        tables.append(_growth_table(data["folketall"]))
    return Report(f"Katalogen i tall: {total} oppføringer", data, tables)


def _pick_lists(liste: str | None) -> tuple[str, ...]:
    if liste is None:
        return LISTS
    from tilflytting.core.fold import key

    for name in LISTS:
        if key(liste) in (name, key(LIST_LABELS[name])):
            return (name,)
    raise UsageError(f"unknown list '{liste}'; choose from {', '.join(LISTS)}")


def _share(count: int, total: int) -> float:
    return round(count / total, 3) if total else 0.0


def _term_rows(
    liste: str, counts: list[tuple[str, str | None, int, int]], total: int, top: int | None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    vocab = vocabulary()
    used = {term: n for name, term, n, _ in counts if name == liste and term}
    rows: list[dict[str, Any]] = [
        {
            "term": t.slug,
            "etikett": t.label,
            "oppforinger": used.get(t.slug, 0),
            "andel": _share(used.get(t.slug, 0), total),
        }
        for t in vocab.terms[liste].values()
    ]
    rows.sort(key=lambda r: (-r["oppforinger"], r["etikett"]))
    free = next(
        ((n, items) for name, term, n, items in counts if name == liste and not term), (0, 0)
    )
    return rows[:top] if top else rows, {"oppforinger": free[0], "svar": free[1]}


def _cross(
    store: Store, filters: SearchFilters, lists: tuple[str, ...], by: str, top: int | None
) -> dict[str, list[dict[str, Any]]]:
    column = GROUPINGS.get(by.replace("_", "").replace("-", ""))
    if column is None:
        raise UsageError(f"--by takes {', '.join(GROUPINGS)}, not '{by}'")
    sizes = store.group_sizes(filters, column)
    found: dict[tuple[str, str], dict[str, int]] = {}
    for liste, term, group, n in store.cross_counts(filters, column):
        found.setdefault((liste, term), {})[group] = n
    vocab = vocabulary()
    result: dict[str, list[dict[str, Any]]] = {}
    for liste in lists:
        rows = [
            {
                "term": term,
                "etikett": vocab.label(liste, term),
                "grupper": {
                    group: {
                        "antall": groups.get(group, 0),
                        "andel": _share(groups.get(group, 0), size),
                    }
                    for group, size in sorted(sizes.items())
                },
            }
            for (name, term), groups in found.items()
            if name == liste
        ]
        rows.sort(key=_cross_total)
        result[liste] = rows[:top] if top else rows
    return result


def _cross_total(row: dict[str, Any]) -> int:
    groups: dict[str, dict[str, int]] = row["grupper"]
    return -sum(g["antall"] for g in groups.values())


def _project_years(store: Store, filters: SearchFilters) -> dict[str, dict[str, int]]:
    """Projects started each year, and projects running each year: a running
    sum of starts less the projects whose last year was the year before."""
    started, ended = store.project_years(filters, filters.this_year)
    if not started:
        return {"startet": {}, "aktive": {}}
    running, total = {}, 0
    for year in range(min(started), max([*ended, *started]) + 1):
        total += started.get(year, 0)
        running[year] = total
        total -= ended.get(year, 0)
    years = [y for y in running if running[y] or started.get(y)]
    return {
        "startet": {str(y): started.get(y, 0) for y in years},
        "aktive": {str(y): running[y] for y in years},
    }


def _growth(store: Store, filters: SearchFilters) -> dict[str, Any]:
    """Population change of the chosen entries; the year filters also limit
    the span measured (`--fra 2008 --til 2012`: 1.1.2008 to 1.1.2013)."""
    from tilflytting.core.clock import CATALOG_YEAR
    from tilflytting.query.population import growth_summary

    ids = [entry_id for entry_id, _ in store.search(None, filters)]
    starts = [y for y in (filters.year, filters.span_from) if y is not None]
    ends = [y for y in (filters.year, filters.span_to) if y is not None]
    span = (max(starts) if starts else None, min(ends) if ends else None)
    today = filters.this_year != CATALOG_YEAR
    return growth_summary(store.load_outlines(ids), span, today)


def _growth_table(growth: dict[str, Any]) -> TableResult:
    labels = {
        "med_tall": "med folketall for prosjektårene",
        "vekst": "vekst i prosjektårene",
        "nedgang": "nedgang eller ingen endring",
        "bedre_enn_referansen": "bedre enn resten av fylket",
        "svakere_enn_referansen": "svakere enn resten av fylket",
        "uten_tall": "uten tall (ingen prosjektår med tall)",
    }
    rows = [{"mål": label, "oppforinger": growth[name]} for name, label in labels.items()]
    return TableResult(
        "Folketall i prosjektperiodene",
        ["mål", "oppforinger"],
        rows,
        f"{growth['merknad']}\n{growth['kilde']}",
    )


# -- the tables behind a summary ---------------------------------------------------
def _overview(data: dict[str, Any]) -> TableResult:
    rows = [
        {"mål": "oppføringer", "antall": data["oppforinger"]},
        {"mål": "kommuner", "antall": data["kommuner"]},
        {"mål": "fylker (2012)", "antall": data["fylker_2012"]},
        {"mål": "fylker (2024)", "antall": data["fylker_2024"]},
    ]
    return TableResult("Katalogen", ["mål", "antall"], rows)


def _term_table(
    liste: str, rows: list[dict[str, Any]], free: dict[str, int], total: int
) -> TableResult:
    shown = [{"liste": liste, **row} for row in rows]
    shown.append(
        {
            "liste": liste,
            "term": None,
            "etikett": "(fritekst)",
            "oppforinger": free["oppforinger"],
            "andel": _share(free["oppforinger"], total),
        }
    )
    return TableResult(
        f"{LIST_LABELS[liste]} ({total} oppføringer)",
        ["term", "etikett", "oppforinger", "andel"],
        shown,
        f"(fritekst): entries with free answers ({free['svar']} answers)",
    )


def _cross_table(liste: str, by: str, rows: list[dict[str, Any]]) -> TableResult:
    """Shown as one wrapping `fordeling` column (a grid of 15 counties does not
    fit a terminal); the rows keep every group's count for CSV."""
    flat = []
    for row in rows:
        groups: dict[str, dict[str, Any]] = row["grupper"]
        used = sorted((g for g in groups.items() if g[1]["antall"]), key=lambda g: -g[1]["andel"])
        spread = " · ".join(f"{g} {v['antall']} ({v['andel']:.0%})" for g, v in used)
        counts = {g: v["antall"] for g, v in groups.items()}
        flat.append(
            {
                "liste": liste,
                "term": row["term"],
                "etikett": row["etikett"],
                "fordeling": spread,
                **counts,
            }
        )
    return TableResult(
        f"{LIST_LABELS[liste]} etter {by}",
        ["etikett", "fordeling"],
        flat,
        "entries with the term in each group (share of the group's entries)",
    )


def _years_table(years: dict[str, dict[str, int]]) -> TableResult:
    rows = [
        {"år": int(y), "startet": years["startet"][y], "aktive": years["aktive"][y]}
        for y in years["startet"]
    ]
    return TableResult(
        "Prosjekter per år",
        ["år", "startet", "aktive"],
        rows,
        "startet: projects starting that year; aktive: projects running",
    )


# -- timeline ------------------------------------------------------------------------
def timeline(
    store: Store, filters: SearchFilters, limit: int | None = None, cap: int | None = None
) -> TimelineResult:
    """Entries' projects by slug: at most `limit` entries; with no limit, at
    most `cap`, and then the result says how many there were."""
    this_year = filters.this_year  # open-ended projects end here (the catalog's year)
    entries: dict[int, dict[str, Any]] = {}
    for entry_id, slug, title, name, start, end, ongoing in store.project_rows(filters):
        row = entries.setdefault(entry_id, {"slug": slug, "prosjekter": [], "tittel": title})
        row["prosjekter"].append(
            {
                "navn": name,
                "fra": start,
                "til": end,
                "pagaende": bool(ongoing),
                "vist_til": max(this_year, start or this_year)
                if ongoing and end is None
                else (end or start),
            }
        )
    shown, total = first_rows(list(entries.values()), limit, cap)  # by slug, as rows came
    starts = [p["fra"] for r in shown for p in r["prosjekter"] if p["fra"]]
    first = min(starts) if starts else this_year
    ends = [p["vist_til"] for r in shown for p in r["prosjekter"] if p["vist_til"]]
    return TimelineResult(shown, first, max([this_year, *ends]), total)


@dataclass
class Selection:
    """What `export` writes: the chosen entries, the summary the HTML site
    shows beside them, and the database's name (for Datasette metadata)."""

    entries: list[Entry]
    summary: list[TableResult] = field(default_factory=list)
    database: str = "catalog"


def selection(store: Store, filters: SearchFilters, fmt: str) -> Selection:
    """The entries `filters` allow, with what format `fmt` needs besides."""
    entries = catalog_part(store, filters, raw=fmt == "yaml")
    summary = summarise(store, filters, top=None).tables if fmt == "html" else []
    database = Path(store.path).stem if fmt == "datasette-metadata" else "catalog"
    return Selection(entries, summary, database)


def catalog_part(store: Store, filters: SearchFilters, raw: bool = False) -> list[Entry]:
    """Every entry the filters allow, by slug (for exports; `raw` for YAML)."""
    ids = [entry_id for entry_id, _ in store.search(None, filters)]
    return store.load_entries(ids, raw=raw)
