"""Questions asked of the catalog, answered as typed result objects
(query/results.py) that the report layer turns into tables or
JSON/CSV/Markdown/YAML (the JSON shape is declared in report/contract.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any, TypeVar

from tilflytting.core.collate import sort_key
from tilflytting.core.fold import key
from tilflytting.core.i18n import _
from tilflytting.core.model import LISTS, SearchFilters, list_name
from tilflytting.query.results import (
    EntryDetail,
    EntryList,
    FreeAnswer,
    Record,
    TermCount,
    UnmatchedResult,
    VocabResult,
    field,
)
from tilflytting.reference.places import Fylker, Region, UnknownPlace, reference
from tilflytting.store.database import Store

T = TypeVar("T")
SORT_KEYS = ("slug", "tittel", "kommune", "fylke", "start")


class QueryError(Exception):
    """A question that cannot be answered as asked (one line for the user)."""


class UsageError(QueryError):
    """A value the user typed that names nothing or contradicts another
    (an unknown county, contradictory years): exit code 2, like an unknown
    option."""


class Resolution(Record):
    """What a user's ENTRY argument matched."""

    ids: list[int]
    candidates: list[tuple[str, str]] = field(default_factory=list)  # (slug, title)
    suggestions: list[str] = field(default_factory=list)


# -- list -----------------------------------------------------------------------
def list_entries(
    store: Store,
    fylke: list[str],
    kommune: list[str],
    sort: str = "slug",
    limit: int | None = None,
    cap: int | None = None,
    region: list[str] | None = None,
) -> EntryList:
    """`list`: at most `limit` entries; with no limit, at most `cap`, and
    then the result says how many there were."""
    filters = SearchFilters()
    place_filters(filters, fylke, kommune, region or [])
    keys = store.list_keys(filters, sort)
    if sort != "slug":
        keys.sort(key=_sort_key(sort))  # stable: equal keys stay in slug order
    shown, total = first_rows(keys, limit, cap)
    ids = [entry_id for entry_id, _value in shown]
    return EntryList(store.load_entries(ids), total)


def first_rows(rows: list[T], limit: int | None, cap: int | None) -> tuple[list[T], int | None]:
    """At most `limit` rows; with no limit, at most `cap`, and then also how
    many there were (None when nothing was cut for the table)."""
    if limit is not None:
        return rows[:limit], None
    if cap is not None and len(rows) > cap:
        return rows[:cap], len(rows)
    return rows, None


def place_filters(
    filters: SearchFilters, fylke: list[str], kommune: list[str], region: list[str]
) -> None:
    """Fill in the place filters of `filters` from what the user typed: a
    county of any era by name or number, a municipality by name or number
    (`Herøy (Nordland)`, `Bø i Vesterålen`), a region by name or alias.
    Raises UsageError for a value that names nothing."""
    for text in fylke:
        found = county_filter(text)
        filters.counties += [n for n in found.names if n not in filters.counties]
        filters.county_numbers += [n for n in found.numbers if n not in filters.county_numbers]
    filters.kommuner = [n for text in kommune for n in kommune_names(text)]
    for text in region:
        chosen = region_filter(text)
        if chosen.name not in filters.regions:
            filters.regions.append(chosen.name)
            filters.region_numbers += [n for n in chosen.members if n not in filters.region_numbers]


def county_filter(text: str) -> Fylker:
    try:
        return reference().fylker_named(text)
    except UnknownPlace as exc:
        raise UsageError(f"--fylke: {exc}") from None


def kommune_names(text: str) -> list[str]:
    """A municipality as the store matches it: its numbers of every era
    (names would also match its namesakes)."""
    try:
        hits = reference().kommuner_named(text)
    except UnknownPlace as exc:
        raise UsageError(f"--kommune: {exc}") from None
    return [v for k in hits for v in (k.nr_2012, k.nr_2020, k.nr_2024) if v]


def region_filter(text: str) -> Region:
    try:
        return reference().region_named(text)
    except UnknownPlace as exc:
        raise UsageError(f"--region: {exc}") from None


def _sort_key(sort: str) -> Callable[[tuple[int, Any]], Any]:
    """How `--sort` orders: names in Norwegian order (… Y Z Æ Ø Å; entries
    without one last), the first project start (none: last)."""
    if sort == "start":
        return lambda k: k[1] or 9999
    return lambda k: (1, ("", "")) if not k[1] else (0, sort_key(k[1]))


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
        return EntryDetail(entry, sources)
    if found.ids:
        raise AmbiguousEntry(text, found.candidates)
    raise EntryNotFound(text, found.suggestions)


class AmbiguousEntry(QueryError):
    def __init__(self, text: str, candidates: list[tuple[str, str]]) -> None:
        super().__init__(
            _("'{text}' matches {count} entries; name one by its slug").format(
                text=text, count=len(candidates)
            )
        )
        self.candidates = candidates


class EntryNotFound(QueryError):
    def __init__(self, text: str, suggestions: list[str]) -> None:
        if suggestions:
            message = _("no entry matches '{text}'; did you mean {names}?").format(
                text=text, names=", ".join(suggestions)
            )
        else:
            message = _("no entry matches '{text}'").format(text=text)
        super().__init__(message)
        self.suggestions = suggestions


# -- vocabulary ----------------------------------------------------------------
# The lists as a user names them (`--list målgrupper`; the ASCII forms work too).
LIST_NAMES_SHOWN = ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "målgrupper")


def pick_lists(liste: str | None) -> tuple[str, ...]:
    """The lists a `--list` value names (all of them for None): `målgruppe`,
    `målgrupper`, `malgrupper` and `Målgrupper` all name the same list."""
    if liste is None:
        return LISTS
    found = list_name(liste)
    if found is None or found not in LISTS:
        raise UsageError(
            _("unknown list '{text}'; choose from {names}").format(
                text=liste, names=", ".join(LIST_NAMES_SHOWN)
            )
        )
    return (found,)


# The label of the row that counts free answers: machine text in JSON and CSV
# (as before), shown in the run's language in tables.
FREE_LABEL = "(fritekst)"


def term_report(store: Store, liste: str | None = None) -> VocabResult:
    """Every term of the vocabulary with how many entries use it."""
    from tilflytting.reference.vocabulary import vocabulary

    vocab = vocabulary()
    used = {(name, term): n for name, term, n in store.term_counts()}
    total = store.count_entries(SearchFilters())
    rows = []
    for name in pick_lists(liste):
        for term in vocab.terms[name].values():
            count = used.get((name, term.slug), 0)
            rows.append(TermCount(name, term.slug, term.label, count, _share(count, total)))
        free = used.get((name, None), 0)
        rows.append(TermCount(name, None, FREE_LABEL, free, _share(free, total)))
    return VocabResult(total, rows)


def unmatched_report(store: Store, liste: str | None = None) -> UnmatchedResult:
    """Free answers no term covers, most frequent first: what to add next."""
    from tilflytting.reference.vocabulary import match_key

    wanted = pick_lists(liste)
    groups: dict[tuple[str, str], tuple[str, set[int]]] = {}
    for name, text, entry_id in store.free_answers():
        if name in wanted:
            groups.setdefault((name, match_key(text)), (text, set()))[1].add(entry_id)
    found = sorted(
        ((len(entries), name, text) for (name, _k), (text, entries) in groups.items()),
        key=lambda row: (-row[0], row[1], sort_key(row[2])),
    )
    return UnmatchedResult([FreeAnswer(name, text, n) for n, name, text in found])


def _share(count: int, total: int) -> float:
    return round(count / total, 3) if total else 0.0
