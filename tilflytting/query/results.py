"""The result objects commands hand to the output layer (the pattern of
pypa/pipx: each command returns one; one renderer draws it as a table, another
prints it as JSON, CSV or Markdown).

Typed, and holding domain objects (Entry, counts, series), never JSON: the
documented JSON of each result is made in one place, `report/contract.py`.
Light on purpose: every command defines all of these at start-up, and a
dataclass costs about 0.2 ms to define (it writes and compiles its methods),
a named tuple 0.06 ms: 29 of them took 5 ms. So they are `Record`s, plain
classes whose one shared `__init__` fills the fields in order:
0.005 ms each. Type checkers see them as dataclasses (`dataclass_transform`).

To add a field to a command's output: add it here, fill it where the query
builds the result, and add its key in report/contract.py and docs/json.md (a
test checks those two agree).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

from tilflytting.core.model import Entry

T = TypeVar("T")


class _Factory:
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


def field(*, default_factory: Callable[[], T]) -> T:
    """A field whose default is made afresh for each record (a new list)."""
    return _Factory(default_factory)  # type: ignore[return-value]


@dataclass_transform(field_specifiers=(field,))
class Record:
    """A typed record: fields are the annotations, in order (base class
    first); a class attribute is a field's default."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls) -> None:
        own = [
            name
            for name, kind in inspect.get_annotations(cls).items()
            if not str(kind).startswith("ClassVar")
        ]
        cls._fields = (*cls._fields, *(n for n in own if n not in cls._fields))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__} takes {len(self._fields)} fields")
        for name, value in zip(self._fields, args, strict=False):
            object.__setattr__(self, name, value)
        for name in self._fields[len(args) :]:
            if name in kwargs:
                value = kwargs.pop(name)
            else:
                value = getattr(type(self), name, _MISSING)
                if value is _MISSING:
                    raise TypeError(f"{type(self).__name__}: no value for {name}")
                if isinstance(value, _Factory):
                    value = value.make()
            object.__setattr__(self, name, value)
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unknown fields {', '.join(kwargs)}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, name) == getattr(other, name) for name in self._fields
        )

    __hash__ = None  # type: ignore[assignment]


_MISSING = object()


class Notes(Record):
    """What typed filter values were taken to mean (shown on stderr)."""

    notes: list[str] = field(default_factory=list)


# -- list, show, search ----------------------------------------------------------
class EntryList(Record):
    """Rows for `list`: one entry per row."""

    entries: list[Entry]
    total: int | None = None  # set when `entries` were cut short to fit a table


class PopulationSpan(Record):
    """`show`'s population line: 1 January of `start` to 1 January of `end`,
    on the borders the figures are on, against the rest of the 2012 county."""

    start: int
    end: int
    first: int | None  # population then (None: no figures)
    last: int | None
    persons: int | None  # None: no figures, or figures on two borders
    percent: float | None
    borders: int | None = None  # the year the borders of both figures began
    end_borders: int | None = None  # set when the end's borders differ from the start's
    reference: str | None = None  # English: "the rest of {counties}" (shown translated)
    reference_percent: float | None = None


class EntryDetail(Record):
    """One entry for `show` (the JSON, the table and YAML are all made from it)."""

    entry: Entry
    sources: bool = False
    population: PopulationSpan | None = None
    # With `sources`, the file each part of a merged entry came from, by its
    # JSON key ("tekst", "malgrupper", ...; core/merge.py GROUPS and LISTS).
    origins: dict[str, str] = field(default_factory=dict)


class SearchHit(Record):
    entry: Entry
    score: float  # higher is better; 0 without search words
    snippet: str
    matched: list[tuple[str, str]]  # what matched a facet: (list, term or free answer)


class SearchResult(Notes):
    hits: list[SearchHit] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # folded words searched, for highlighting
    hint: str | None = None  # why nothing was found
    total: int | None = None  # set when `hits` were cut short to fit a table


# -- vocab --------------------------------------------------------------------------
class TermCount(Record):
    """A term of a list (None: the free answers) and the entries using it."""

    liste: str
    term: str | None
    label: str
    entries: int
    share: float  # of all entries counted, 0-1, three decimals


class VocabResult(Record):
    total: int  # entries in the catalog
    rows: list[TermCount]


class FreeAnswer(Record):
    liste: str
    text: str
    entries: int


class UnmatchedResult(Record):
    rows: list[FreeAnswer]


# -- compare ------------------------------------------------------------------------
class CompareRow(Record):
    term: str | None  # None: a free answer, `label` is its text
    label: str
    has: list[bool]  # per entry, in the order asked


class CompareResult(Record):
    entries: list[Entry]  # in the order asked
    lists: dict[str, list[CompareRow]]
    similarity: dict[str, float | None]  # list (and "samlet") -> share of terms in common


# -- similar ------------------------------------------------------------------------
class SharedTerm(Record):
    liste: str
    term: str
    label: str


class SimilarHit(Record):
    slug: str
    title: str
    score: float  # 0-1
    shared: list[SharedTerm]  # rarest first


class SimilarResult(Notes):
    target: str = ""  # the slug of the entry others are compared with
    hits: list[SimilarHit] = field(default_factory=list)


# -- summarise ----------------------------------------------------------------------
class FreeCount(Record):
    entries: int  # entries with free answers
    answers: int


class GroupCount(Record):
    entries: int
    share: float  # of the group's entries


class CrossRow(Record):
    term: str
    label: str
    groups: dict[str, GroupCount]  # every group, by name


class GrowthEntry(Record):
    """One entry's population change over its project years."""

    slug: str
    title: str
    area: str
    start: int
    end: int
    borders: str  # the year the borders of both figures began ("2012")
    percent: float
    reference_percent: float
    difference: float  # percentage points


class GrowthSummary(Record):
    with_figures: int
    without_figures: int
    grew: int
    declined: int
    better: int  # than the reference
    weaker: int
    span_from: int | None  # the years asked for (--fra/--til/--år), None: all
    span_to: int | None
    borders: str  # the borders the changes are measured on ("2012")
    entries: list[GrowthEntry]
    source: str
    note: str


class SummaryResult(Notes):
    entries: int = 0
    kommuner: int = 0
    fylker_2012: int = 0
    fylker_2024: int = 0
    lists: dict[str, list[TermCount]] = field(default_factory=dict)
    free: dict[str, FreeCount] = field(default_factory=dict)
    by: str | None = None  # the grouping of `cross`, as typed
    cross: dict[str, list[CrossRow]] | None = None
    started: dict[int, int] = field(default_factory=dict)  # projects by start year
    active: dict[int, int] = field(default_factory=dict)  # projects running each year
    growth: GrowthSummary | None = None


# -- timeline ------------------------------------------------------------------------
class TimelineProject(Record):
    name: str
    start: int | None
    end: int | None
    ongoing: bool
    shown_to: int | None  # where the bar ends


class TimelineEntry(Record):
    slug: str
    title: str
    projects: list[TimelineProject]


class TimelineResult(Notes):
    entries: list[TimelineEntry] = field(default_factory=list)
    first: int = 0
    last: int = 0  # this year: open-ended projects run to here
    total: int | None = None  # set when `entries` were cut short to fit a table


# -- folketall -----------------------------------------------------------------------
class Change(Record):
    """Persons and percent from 1 January `start` to 1 January `end`, where
    both figures are on the same borders (`borders`: the year they began)."""

    start: int
    end: int
    persons: int | None
    percent: float | None
    borders: str | None = None  # None: no change (a figure missing, or two borders)


class PeriodChange(Record):
    project: str
    label: str  # the project's years as the catalog gives them
    during: Change
    before: Change
    reference: Change
    difference: float | None  # percentage points
    group_median: float | None = None  # the comparison group's median change, percent
    group_difference: float | None = None  # the change less the group's median, points


class SeriesPoint(Record):
    year: int
    population: int | None
    borders: str | None  # the year the borders of the figure's area began
    indexed: float | None  # the area, first project start = 100 (same borders only)
    reference_population: int | None
    reference_index: float | None
    reference_borders: str | None
    group_index: float | None = None  # the comparison group's median index


class GroupMember(Record):
    """A municipality of a comparison group and its change over the span."""

    name: str
    number: str  # its 2012 number
    county: str  # its 2012 county
    first: int  # population on 1 January of the span's first year
    last: int
    persons: int
    percent: float


class ComparisonGroup(Record):
    """2012 municipalities with no entry in the catalog, of similar size at
    the start of the span, in the area's 2012 counties (`scope` "fylke") or,
    when fewer than five qualify there, in all of Norway ("landet"), and how
    their population changed over the same years on the same borders."""

    scope: str
    counties: list[str]  # the 2012 counties searched first
    factor: float  # a member had between 1/factor and factor times the area's population
    start: int
    end: int  # 1 January of `start` to 1 January of `end`
    base: int  # the area's population at the start
    low: int
    high: int
    in_county: int  # how many qualified in the counties
    members: list[GroupMember]
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    minimum: float | None
    maximum: float | None
    percent: float | None  # the area's own change over the span
    difference: float | None  # the area's change less the group's median, points
    details: bool = False  # `--sammenlign`: the members are shown too


class FolketallResult(Record):
    """Population around one entry."""

    slug: str
    title: str
    area: str
    numbers: list[str]  # 2024 municipality numbers the area lies in
    numbers_2012: list[str]  # the 2012 municipalities summed
    borders: str  # the area's borders: the catalog's ("2012")
    area_notes: list[str]
    reference_kind: str
    reference_name: str
    reference_count: int
    reference_borders: str
    index_year: int
    series: list[SeriesPoint]
    periods: list[PeriodChange]
    notes: list[str]
    source: str
    group: ComparisonGroup | None = None


# -- rapport ------------------------------------------------------------------------
class RapportResult(Notes):
    """Everything `rapport` writes, from the functions behind `summarise`,
    `timeline` and `folketall` (never counted again on its own)."""

    selection: list[tuple[str, str]] = field(default_factory=list)  # (option, value) as typed
    summary: SummaryResult = field(default_factory=SummaryResult)  # by 2012 county, population
    timeline: TimelineResult = field(default_factory=TimelineResult)
    regions: list[str] = field(default_factory=list)  # the regions the entries name
    cut_off: list[str] = field(default_factory=list)  # slugs of pages cut off
    projects: int = 0
    population: list[FolketallResult] = field(default_factory=list)  # entries with figures
    until_today: bool = False
    end_year: int = 0  # open-ended projects run to here (the catalog's year, or today's)
    last_year: int = 0  # the last year with population figures


# -- the static site (`export --format html`) ----------------------------------------
class SitePage(Record):
    """One entry's page on the site, with what it links to and draws."""

    entry: Entry
    similar: list[SimilarHit]  # `similar`'s top five among the chosen entries
    span: PopulationSpan | None  # `show`'s population line
    population: FolketallResult | None  # `folketall`'s numbers: the figure (None: no place)
    started: list[int]  # the years a project of it started
    running: list[int]  # the years a project of it ran (what `--år` matches)


class PlaceCount(Record):
    """A county, municipality or region and how many chosen entries name it."""

    value: str  # what the index filters by: a name (a municipality: its number)
    name: str
    county: str | None  # a municipality's county (2024)
    entries: int


class SiteSearch(Record):
    """The site's search index: each word of the entries' search rows
    (folded, and in search forms) with the entries that have it, and the
    search forms of the words written in them (so a typed inflection finds
    its others), as the full-text index of `search` keeps them."""

    slugs: list[str]  # the entries, in the index page's order
    words: dict[str, list[int]]  # word -> positions in `slugs`
    forms: dict[str, list[str]]  # a folded word -> its search forms, where they differ


class SiteResult(Record):
    """Everything the static site shows, chosen by the query layer."""

    pages: list[SitePage]
    summary: SummaryResult
    counties: list[PlaceCount]  # 2024
    counties_2012: list[PlaceCount]
    municipalities: list[PlaceCount]
    regions: list[PlaceCount]
    search: SiteSearch
    this_year: int  # open-ended projects run to here


Result = (
    EntryList
    | EntryDetail
    | SearchResult
    | VocabResult
    | UnmatchedResult
    | CompareResult
    | SimilarResult
    | SummaryResult
    | TimelineResult
    | FolketallResult
)
