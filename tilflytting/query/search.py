"""`search`: full text and facets, answered as a SearchResult.

Whatever a user types is turned into a valid FTS5 query on the folded index
(æ→ae, ø→o, å→a, lowercase): words are quoted, a trailing `*` makes a
prefix, a quoted or hyphenated run of words is a phrase, and AND/OR/NOT in
capitals work between words; anything else is dropped, never passed on.
`raw=True` passes FTS5 syntax through for experts.
"""

from __future__ import annotations

import re
import sqlite3

from tilflytting.core import clock
from tilflytting.core.fold import fold, key
from tilflytting.core.i18n import _
from tilflytting.core.model import Entry, SearchFilters, SearchRequest
from tilflytting.query.lookup import QueryError, county_name, kommune_names
from tilflytting.query.results import SearchHit, SearchResult
from tilflytting.reference.places import reference
from tilflytting.reference.vocabulary import UnknownTerm, vocabulary
from tilflytting.store.database import Store

OPERATORS = {"AND", "OR", "NOT"}
SNIPPET_WORDS = 12
# Option names users type, by list (for messages).
FACET_OPTIONS = {
    "malgrupper": "--målgruppe",
    "aktiviteter": "--aktivitet",
    "salgsargumenter": "--salgsargument",
    "samarbeidspartnere": "--partner",
}


# -- the FTS5 query ------------------------------------------------------------
_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def build_match(text: str) -> tuple[str | None, list[str]]:
    """A safe FTS5 expression for `text` (None: no words) and its words."""
    parts: list[str] = []
    words: list[str] = []
    for quoted, bare in _TOKEN.findall(text.replace("”", '"').replace("“", '"')):
        if bare in OPERATORS:
            parts.append(bare)
            continue
        found = re.findall(r"[a-z0-9]+", fold(quoted or bare.replace('"', " ")))
        if not found:
            continue
        words.extend(found)
        prefix = "*" if bare.endswith("*") and not quoted else ""
        parts.append('"' + " ".join(found) + '"' + prefix)
    return _join(parts), words


def _join(parts: list[str]) -> str | None:
    """Terms joined by AND unless an operator stands between two terms."""
    result: list[str] = []
    pending = "AND"
    for part in parts:
        if part in OPERATORS:
            pending = part if result else "AND"
            continue
        if result:
            result.append(pending)
        result.append(part)
        pending = "AND"
    return " ".join(result) or None


# -- filters ---------------------------------------------------------------------
def resolve_filters(request: SearchRequest) -> tuple[SearchFilters, list[str]]:
    """The request's filters as store values, with notes where a typed value
    was taken to mean something else. Raises QueryError for unknown values."""
    notes: list[str] = []
    filters = SearchFilters(this_year=clock.this_year(), complete=request.complete)
    for liste, values in request.facets.items():
        wanted: list[tuple[str, str | None]] = []
        for value in values:
            wanted.extend(_facet(liste, value, notes))
        if wanted:
            filters.terms[liste] = list(dict.fromkeys(wanted))
    filters.counties = [county_name(name) for name in request.fylke]
    filters.kommuner = [n for text in request.kommune for n in kommune_names(text)]
    filters.regions = [_region(name) for name in request.region]
    filters.year, filters.span_from, filters.span_to = (
        request.year,
        request.span_from,
        request.span_to,
    )
    if request.span_from and request.span_to and request.span_from > request.span_to:
        raise QueryError(
            _("--fra {start} is after --til {end}").format(
                start=request.span_from, end=request.span_to
            )
        )
    return filters, notes


def _facet(liste: str, value: str, notes: list[str]) -> list[tuple[str, str | None]]:
    vocab = vocabulary()
    option = FACET_OPTIONS[liste]
    found = vocab.match(liste, value) if liste == "samarbeidspartnere" else None
    if found is not None and found.detail:
        notes.append(f"{option} '{value}' → {found.slug} ({found.detail})")
        return [(found.slug, found.detail)]
    try:
        terms = vocab.resolve(liste, value)
    except UnknownTerm as exc:
        raise QueryError(f"{option}: {exc}") from None
    if [key(value)] != [key(t.slug) for t in terms] and [key(value)] != [
        key(t.label) for t in terms
    ]:
        shown = ", ".join(f"{t.slug} ({t.label})" for t in terms)
        notes.append(f"{option} '{value}' → {shown}")
    return [(t.slug, None) for t in terms]


def _region(text: str) -> str:
    regions = list(reference().regions)
    for region in regions:
        if key(region) == key(text):
            return region
    raise QueryError(
        _("unknown region '{text}'; known regions: {names}").format(
            text=text, names=", ".join(regions)
        )
    )


# -- searching -------------------------------------------------------------------
def search(store: Store, request: SearchRequest) -> SearchResult:
    filters, notes = resolve_filters(request)
    if request.raw:
        match, words = (request.text.strip() or None), re.findall(r"[a-z0-9]+", fold(request.text))
    else:
        match, words = build_match(request.text)
    cap = request.cap if request.limit is None else None
    try:
        hits = store.search(match, filters, request.limit if cap is None else cap + 1)
    except sqlite3.OperationalError as exc:
        if not request.raw:
            raise  # a bug in build_match, not the user's fault: let it show
        raise QueryError(
            _("invalid FTS5 query {text}: {error}").format(text=repr(request.text), error=exc)
        ) from None
    total = None
    if cap is not None and len(hits) > cap:
        hits, total = hits[:cap], store.count_matches(match, filters)
    entries = store.load_entries([entry_id for entry_id, _ in hits])
    found = [
        _hit(entry, score, words, filters)
        for entry, (_id, score) in zip(entries, hits, strict=True)
    ]
    hint = None if found else _why_empty(store, match, filters, request)
    return SearchResult(notes, found, words, hint, total)


def _hit(entry: Entry, score: float, words: list[str], filters: SearchFilters) -> SearchHit:
    matched = [
        (liste, item.term)
        for liste, wanted in filters.terms.items()
        for item in entry.lists[liste]
        if item.term
        and any(item.term == term and detail in (None, item.detail) for term, detail in wanted)
    ]
    # bm25 is lower for better: turned round, higher is better
    return SearchHit(entry, round(-score, 4), snippet(entry, words), matched)


def snippet(entry: Entry, words: list[str]) -> str:
    """A few words around the first place the search words occur."""
    if not words:
        return ""
    fields = [entry.title, entry.lead, entry.text]
    fields += [p.name for p in entry.projects]
    fields += [i.text for items in entry.lists.values() for i in items]
    for text in fields:
        tokens = text.split()
        for index, token in enumerate(tokens):
            if any(fold(token).strip(".,:;()«»\"'").startswith(w) for w in words):
                start = max(0, index - SNIPPET_WORDS // 2)
                part = " ".join(tokens[start : start + SNIPPET_WORDS])
                before = "… " if start > 0 else ""
                after = " …" if start + SNIPPET_WORDS < len(tokens) else ""
                return before + part + after
    return ""


def _why_empty(
    store: Store, match: str | None, filters: SearchFilters, request: SearchRequest
) -> str:
    """Which condition emptied the result: how many each one finds alone."""
    # Counted, not fetched: a word on every page of 100,000 is counted in ms.
    if not store.count_matches(None, SearchFilters()):
        return _("the catalog is empty; import entries with: tilflytting import")
    alone: list[str] = []
    if match is not None:
        count = store.count_matches(match, SearchFilters())
        alone.append(_("the words '{text}'").format(text=request.text) + f": {count}")
    for liste, wanted in filters.terms.items():
        count = store.count_matches(None, SearchFilters(terms={liste: wanted}))
        alone.append(f"{FACET_OPTIONS[liste]}: {count}")
    singles = {
        "--fylke": SearchFilters(counties=filters.counties),
        "--kommune": SearchFilters(kommuner=filters.kommuner),
        "--region": SearchFilters(regions=filters.regions),
        "--år/--fra/--til": SearchFilters(
            year=filters.year,
            span_from=filters.span_from,
            span_to=filters.span_to,
            this_year=filters.this_year,
        ),
        "--komplett": SearchFilters(complete=filters.complete),
    }
    for option, single in singles.items():
        if single != SearchFilters(this_year=single.this_year):
            alone.append(f"{option}: {store.count_matches(None, single)}")
    if len(alone) == 1:
        return _("nothing matches {what}").format(what=alone[0].rsplit(":", 1)[0])
    return _("no entry fits all of these together; alone they find {counts}").format(
        counts=", ".join(alone)
    )
