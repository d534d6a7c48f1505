"""Questions asked of the catalog, answered as plain result objects that the
render layer turns into tables or JSON/CSV/Markdown/YAML.

The JSON shape of an entry (documented in docs/json.md) is built here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from tilflytting.core.fold import key
from tilflytting.core.model import LIST_LABELS, LISTS, Entry, Place, Project, SearchFilters
from tilflytting.query.results import EntryDetail, EntryList, TableResult
from tilflytting.reference.places import reference
from tilflytting.store.database import Store

T = TypeVar("T")
JSON_VERSION = 1
SORT_KEYS = ("slug", "tittel", "kommune", "fylke", "start")


class QueryError(Exception):
    """A question that cannot be answered as asked (one line for the user)."""


@dataclass
class Resolution:
    """What a user's ENTRY argument matched."""

    ids: list[int]
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (slug, title)
    suggestions: list[str] = field(default_factory=list)


# -- JSON shape -----------------------------------------------------------------
def place_json(place: Place) -> dict[str, Any]:
    return {
        "navn": place.name_2024 if place.name is None else place.name,
        "nummer": place.nr_2024,
        "fylke": place.fylke_2024,
        "fylke_2012": place.fylke_2012,
        "nummer_2012": place.nr_2012,
        "navn_2024": place.name_2024,
    }


def project_json(project: Project) -> dict[str, Any]:
    return {
        "navn": project.name,
        "fra": project.start,
        "til": project.end,
        "pagaende": project.ongoing,
        "periode": project.period,
        "linje": project.line,
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    """The documented JSON object for one entry."""
    kommuner = [p for p in entry.places if p.kind == "kommune"]
    data: dict[str, Any] = {
        "slug": entry.slug,
        "tittel": entry.title,
        "ingress": entry.lead,
        "tekst": entry.text,
        "fagomrader": entry.areas,
        "kommuner": [place_json(p) for p in kommuner],
        "fylker": _unique(p.fylke_2024 for p in entry.places),
        "fylker_2012": _unique(p.fylke_2012 for p in entry.places),
        "region": entry.region,
        "prosjekter": [project_json(p) for p in entry.projects],
    }
    for name in LISTS:
        data[name] = [
            {
                "tekst": i.text,
                "term": i.term,
                "detalj": i.detail,
                "linje": i.line,
                "avkortet": i.truncated,
            }
            for i in entry.lists[name]
        ]
    data["hovedmal"] = [item.text for item in entry.main_goal]
    data["komplett"] = entry.complete
    data["advarsler"] = [{"linje": p.line, "melding": p.message} for p in entry.problems]
    source = entry.source
    data["kilde"] = {
        "fil": source.path if source else None,
        "url": entry.url,
        "sha256": source.sha256 if source else None,
        "tegnsett": source.encoding if source else None,
        "format": source.format if source else None,
        # Every file the entry was built from, the one that wins first.
        "filer": [
            {
                "fil": s.path,
                "format": s.format,
                "rolle": s.role,
                "url": s.url,
                "sha256": s.sha256,
                "tegnsett": s.encoding,
                "importert": s.imported,
            }
            for s in entry.sources
        ],
    }
    return data


def _unique(values: Any) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


def summary_json(entry: Entry) -> dict[str, Any]:
    """The shorter object `list` prints: lists reduced to their counts."""
    full = entry_json(entry)
    row = {k: full[k] for k in ("slug", "tittel", "kommuner", "fylker", "fylker_2012", "region")}
    row["prosjekter"] = [
        {k: p[k] for k in ("navn", "fra", "til", "pagaende")} for p in full["prosjekter"]
    ]
    for name in (*LISTS, "hovedmal"):
        row[name] = len(full[name])
    row["komplett"] = full["komplett"]
    return row


# -- list -----------------------------------------------------------------------
def list_entries(
    store: Store,
    fylke: list[str],
    kommune: list[str],
    sort: str = "slug",
    limit: int | None = None,
    cap: int | None = None,
) -> EntryList:
    """`list`: at most `limit` entries; with no limit, at most `cap`, and
    then the result says how many there were."""
    counties = [county_name(name) for name in fylke]
    names = [name for text in kommune for name in kommune_names(text)]
    keys = store.list_keys(counties, names, sort)
    if sort != "slug":
        keys.sort(key=_sort_key(sort))  # stable: equal keys stay in slug order
    shown, total = first_rows(keys, limit, cap)
    ids = [entry_id for entry_id, _ in shown]
    return EntryList([summary_json(entry) for entry in store.load_entries(ids)], total)


def first_rows(rows: list[T], limit: int | None, cap: int | None) -> tuple[list[T], int | None]:
    """At most `limit` rows; with no limit, at most `cap`, and then also how
    many there were (None when nothing was cut for the table)."""
    if limit is not None:
        return rows[:limit], None
    if cap is not None and len(rows) > cap:
        return rows[:cap], len(rows)
    return rows, None


def county_name(text: str) -> str:
    county = reference().county(text)
    if county is None:
        names = sorted({f.name for f in reference().fylker})
        close = difflib.get_close_matches(text, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise QueryError(f"unknown county '{text}'{hint}")
    return county


def kommune_names(text: str) -> list[str]:
    """A municipality as the store can match it: names and numbers of every era."""
    ref = reference()
    hits = (
        ref.by_number.get(text.zfill(4), []) if text.isdigit() else ref.by_name.get(key(text), [])
    )
    if not hits:
        raise QueryError(f"unknown municipality '{text}'")
    return [v for k in hits for v in (k.name, k.nr_2012, k.nr_2020, k.nr_2024) if v]


def _sort_key(sort: str) -> Callable[[tuple[int, Any]], Any]:
    """How `--sort` orders: folded names (entries without one last), the
    first project start (none: last)."""
    if sort == "fylke":
        return lambda k: "~" if k[1] is None else _county_key(k[1])
    if sort == "start":
        return lambda k: k[1] or 9999
    return lambda k: "~" if k[1] is None else k[1]


@cache
def _county_key(name: str) -> str:
    return key(name)


# -- show -----------------------------------------------------------------------
def resolve(store: Store, text: str) -> Resolution:
    """Entries that `text` names: slug, title, municipality name or number,
    tried in that order; the first way that finds any wins."""
    typed = text.strip()
    wanted = key(typed)
    ways = [("slug", typed.lower()), ("key", wanted)]
    if typed.isdigit():
        ways.append(("number", typed.zfill(4)))
    ways.append(("place", wanted))
    if len(wanted) >= 3:
        ways.append(("part", wanted))
    for how, value in ways:
        found = store.find(how, value) if value else []
        if found:
            return Resolution([i for i, _, _ in found], [(slug, title) for _, slug, title in found])
    return Resolution([], [], _suggest(store, typed))


def _suggest(store: Store, text: str) -> list[str]:
    """Up to three close names, among those that start like what was typed."""
    names = {key(name): name for name in store.names_like(key(text)[:2])}
    close = difflib.get_close_matches(key(text), list(names), n=3, cutoff=0.6)
    return list(dict.fromkeys(names[c] for c in close))


def resolve_one(store: Store, text: str) -> tuple[int, str]:
    """(id, slug) of the one entry `text` names, as `show` finds it; raises
    AmbiguousEntry or EntryNotFound."""
    found = resolve(store, text)
    if len(found.ids) == 1:
        return found.ids[0], found.candidates[0][0]
    if found.ids:
        raise AmbiguousEntry(text, found.candidates)
    raise EntryNotFound(text, found.suggestions)


def show_entry(store: Store, text: str, sources: bool = False) -> EntryDetail:
    found = resolve(store, text)
    if len(found.ids) == 1:
        entry = store.load_entries(found.ids, raw=True)[0]  # raw: `--format yaml` writes them
        return EntryDetail(entry_json(entry), entry, sources)
    if found.ids:
        raise AmbiguousEntry(text, found.candidates)
    raise EntryNotFound(text, found.suggestions)


class AmbiguousEntry(QueryError):
    def __init__(self, text: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(f"'{text}' matches {len(candidates)} entries; name one by its slug")
        self.candidates = candidates


class EntryNotFound(QueryError):
    def __init__(self, text: str, suggestions: list[str]) -> None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entry matches '{text}'{hint}")
        self.suggestions = suggestions


# -- vocabulary ----------------------------------------------------------------
def _lists(liste: str | None) -> tuple[str, ...]:
    if liste is None:
        return LISTS
    wanted = key(liste)
    for name in LISTS:
        if wanted in (name, key(LIST_LABELS[name])):
            return (name,)
    raise QueryError(f"unknown list '{liste}'; choose from {', '.join(LISTS)}")


def term_report(store: Store, liste: str | None = None) -> TableResult:
    """Every term of the vocabulary with how many entries use it."""
    from tilflytting.reference.vocabulary import vocabulary

    vocab = vocabulary()
    used = {(name, term): n for name, term, n in store.term_counts()}
    total = store.count_entries(SearchFilters())
    rows = []
    for name in _lists(liste):
        for term in vocab.terms[name].values():
            count = used.get((name, term.slug), 0)
            rows.append(
                {
                    "liste": name,
                    "term": term.slug,
                    "etikett": term.label,
                    "oppforinger": count,
                    "andel": _share(count, total),
                }
            )
        free = used.get((name, None), 0)
        rows.append(
            {
                "liste": name,
                "term": None,
                "etikett": "(fritekst)",
                "oppforinger": free,
                "andel": _share(free, total),
            }
        )
    return TableResult(
        f"Termer i {total} oppføringer",
        ["liste", "term", "etikett", "oppforinger", "andel"],
        rows,
        "oppforinger: entries with the term; (fritekst): entries with answers no term covers",
    )


def unmatched_report(store: Store, liste: str | None = None) -> TableResult:
    """Free answers no term covers, most frequent first: what to add next."""
    from tilflytting.reference.vocabulary import match_key

    wanted = _lists(liste)
    groups: dict[tuple[str, str], tuple[str, set[int]]] = {}
    for name, text, entry_id in store.free_answers():
        if name in wanted:
            groups.setdefault((name, match_key(text)), (text, set()))[1].add(entry_id)
    found = sorted(
        ((len(entries), name, text) for (name, _), (text, entries) in groups.items()),
        key=lambda row: (-row[0], row[1], key(row[2])),
    )
    rows = [{"liste": name, "tekst": text, "oppforinger": n} for n, name, text in found]
    return TableResult(
        f"{len(rows)} fritekstsvar uten term", ["liste", "tekst", "oppforinger"], rows
    )


def _share(count: int, total: int) -> float:
    return round(count / total, 3) if total else 0.0
