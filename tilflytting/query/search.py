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
from tilflytting.query.lookup import UsageError, place_filters
from tilflytting.query.results import SearchHit, SearchResult
from tilflytting.reference.language import query_forms, search_form
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
    """A safe FTS5 expression for `text` (None: no words) and its words.
    A plain word is searched folded or in its search form (inflections and
    the other written standard: `bolyst` finds `bulyst`); a quoted or
    hyphenated phrase and a `prefix*` only as written (folded)."""
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
        forms = query_forms(bare) if not quoted and not prefix else found
        if len(found) == 1 and len(forms) > 1:
            parts.append("(" + " OR ".join(f'"{form}"' for form in forms) + ")")
        else:
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
def resolve_filters(
    request: SearchRequest, store: Store | None = None
) -> tuple[SearchFilters, list[str]]:
    """The request's filters as store values, with notes where a typed value
    was taken to mean something else. A facet value that is no vocabulary
    term matches the free answers in `store`. Raises UsageError for a value
    that matches nothing (exit 2)."""
    notes: list[str] = []
    filters = SearchFilters(this_year=end_year(request.until_today), complete=request.complete)
    for liste, values in request.facets.items():
        wanted: list[tuple[str, str | None]] = []
        answers: list[str] = []
        for value in values:
            terms, free = _facet(liste, value, notes, store)
            wanted.extend(terms)
            answers.extend(free)
        if wanted:
            filters.terms[liste] = list(dict.fromkeys(wanted))
        if answers:
            filters.answers[liste] = list(dict.fromkeys(answers))
    place_filters(filters, request.fylke, request.kommune, request.region)
    filters.year, filters.span_from, filters.span_to = (
        request.year,
        request.span_from,
        request.span_to,
    )
    _check_years(request)
    return filters, notes


def end_year(until_today: bool = False) -> int:
    """Where open-ended projects end: the catalog's year (it describes 2012),
    or this year when asked (`--til-i-dag`)."""
    return clock.this_year() if until_today else clock.CATALOG_YEAR


def _check_years(request: SearchRequest) -> None:
    """The year filters together ask for one span (`--år 2010 --fra 2008`
    is 2010); one that cannot be is a usage error."""
    named = {"--år": request.year, "--fra": request.span_from, "--til": request.span_to}
    starts = [(o, y) for o, y in named.items() if y is not None and o != "--til"]
    ends = [(o, y) for o, y in named.items() if y is not None and o != "--fra"]
    for first, start in starts:
        for last, end in ends:
            if first != last and start > end:
                raise UsageError(
                    _(
                        "{first} {start} and {last} {end} contradict each other: no year is both"
                    ).format(first=first, start=start, last=last, end=end)
                )


def _facet(
    liste: str, value: str, notes: list[str], store: Store | None
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(terms, free answers) a facet value means."""
    vocab = vocabulary()
    option = FACET_OPTIONS[liste]
    found = vocab.match(liste, value) if liste == "samarbeidspartnere" else None
    if found is not None and found.detail:
        notes.append(f"{option} '{value}' → {found.slug} ({found.detail})")
        return [(found.slug, found.detail)], []
    try:
        terms = vocab.resolve(liste, value)
    except UnknownTerm as exc:
        free = free_answers(store, liste, value) if store is not None else []
        if not free:
            raise UsageError(f"{option}: {_no_match(exc, liste, value)}") from None
        shown = ", ".join(f"'{text}'" for text in free[:5]) + (" …" if len(free) > 5 else "")
        notes.append(
            _("{option} '{value}' is no vocabulary term; it matched free answers: {answers} "
              "(all free answers: tilflytting vocab --unmatched)").format(
                option=option, value=value, answers=shown
            )
        )  # fmt: skip
        return [], free
    if [key(value)] != [key(t.slug) for t in terms] and [key(value)] != [
        key(t.label) for t in terms
    ]:
        shown = ", ".join(f"{t.slug} ({t.label})" for t in terms)
        notes.append(f"{option} '{value}' → {shown}")
    return [(t.slug, None) for t in terms], []


def _no_match(exc: UnknownTerm, liste: str, value: str) -> str:
    hint = ", ".join(f"{t.slug} ({t.label})" for t in exc.closest)
    return _("no {liste} term or free answer matches '{value}'").format(
        liste=liste, value=value
    ) + (_("; closest terms: {hint}").format(hint=hint) if hint else "")


def _phrase(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def free_answers(store: Store, liste: str, value: str) -> list[str]:
    """The free answers of `liste` that `value` names, as written: the same
    words (case, æøå and punctuation aside), else those that contain its words
    as a phrase (`fred og ro` finds "Fred og ro i naturen")."""
    wanted = _phrase(value)
    if not wanted:
        return []
    texts = sorted(store.free_texts(liste), key=key)
    exact = [text for text in texts if _phrase(text) == wanted]
    if exact:
        return exact
    padded = f" {wanted} "
    return [text for text in texts if padded in f" {_phrase(text)} "]


# -- searching -------------------------------------------------------------------
MAX_WORDS = 64  # far more than any question; the page text is searched, not pasted


def search(store: Store, request: SearchRequest) -> SearchResult:
    filters, notes = resolve_filters(request, store)
    if request.raw:
        match, words = (request.text.strip() or None), re.findall(r"[a-z0-9]+", fold(request.text))
    else:
        match, words = build_match(request.text)
    if len(words) > MAX_WORDS:  # each word costs SQLite a pass: thousands took minutes
        raise UsageError(
            _("a search takes at most {most} words; this one has {count}").format(
                most=MAX_WORDS, count=len(words)
            )
        )
    cap = request.cap if request.limit is None else None
    try:
        hits = store.search(match, filters, request.limit if cap is None else cap + 1)
    except sqlite3.OperationalError as exc:
        if not request.raw:
            raise  # a bug in build_match, not the user's fault: let it show
        raise UsageError(
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
    ] + [
        (liste, item.text)  # a free answer: its words, as written
        for liste, texts in filters.answers.items()
        for item in entry.lists[liste]
        if item.term is None and item.text in texts
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
    forms = {search_form(w) for w in words}
    for text in fields:
        tokens = text.split()
        for index, token in enumerate(tokens):
            bare = fold(token).strip(".,:;()«»\"'")
            if any(bare.startswith(w) for w in words) or search_form(bare) in forms:
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
    for liste in dict.fromkeys([*filters.terms, *filters.answers]):
        single = SearchFilters(
            terms={liste: filters.terms.get(liste, [])} if liste in filters.terms else {},
            answers={liste: filters.answers[liste]} if liste in filters.answers else {},
        )
        alone.append(f"{FACET_OPTIONS[liste]}: {store.count_matches(None, single)}")
    singles = {
        "--fylke": SearchFilters(counties=filters.counties, county_numbers=filters.county_numbers),
        "--kommune": SearchFilters(kommuner=filters.kommuner),
        "--region": SearchFilters(regions=filters.regions, region_numbers=filters.region_numbers),
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
