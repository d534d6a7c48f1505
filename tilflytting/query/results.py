"""The result objects commands hand to the output layer (the pattern of
pypa/pipx: each command returns one; one renderer draws it as a table, another
prints it as JSON, CSV or Markdown).

Typed, and holding domain objects (Entry, counts, series), never JSON: the
documented JSON of each result is made in one place, `report/contract.py`.
Light on purpose: importing this costs little, so output code need not load
the vocabulary or YAML to know them. Rows are named tuples, the results that
are filled in step by step dataclasses: a dataclass costs several times a
named tuple to define, and every command defines them all at start-up.

To add a field to a command's output: add it here, fill it where the query
builds the result, and add its key in report/contract.py and docs/json.md (a
test checks those two agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from tilflytting.core.model import Entry


@dataclass
class Notes:
    """What typed filter values were taken to mean (shown on stderr)."""

    notes: list[str] = field(default_factory=list)


# -- list, show, search ----------------------------------------------------------
@dataclass
class EntryList:
    """Rows for `list`: one entry per row."""

    entries: list[Entry]
    total: int | None = None  # set when `entries` were cut short to fit a table


class PopulationSpan(NamedTuple):
    """`show`'s population line: 1 January of `start` to 1 January of `end`."""

    start: int
    end: int
    first: int | None  # population then (None: no figures)
    last: int | None
    persons: int | None
    percent: float | None


@dataclass
class EntryDetail:
    """One entry for `show` (the JSON, the table and YAML are all made from it)."""

    entry: Entry
    sources: bool = False
    population: PopulationSpan | None = None


class SearchHit(NamedTuple):
    entry: Entry
    score: float  # higher is better; 0 without search words
    snippet: str
    matched: list[tuple[str, str]]  # facet terms that matched: (list, term)


@dataclass
class SearchResult(Notes):
    hits: list[SearchHit] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # folded words searched, for highlighting
    hint: str | None = None  # why nothing was found
    total: int | None = None  # set when `hits` were cut short to fit a table


# -- vocab --------------------------------------------------------------------------
class TermCount(NamedTuple):
    """A term of a list (None: the free answers) and the entries using it."""

    liste: str
    term: str | None
    label: str
    entries: int
    share: float  # of all entries counted, 0-1, three decimals


@dataclass
class VocabResult:
    total: int  # entries in the catalog
    rows: list[TermCount]


class FreeAnswer(NamedTuple):
    liste: str
    text: str
    entries: int


@dataclass
class UnmatchedResult:
    rows: list[FreeAnswer]


# -- compare ------------------------------------------------------------------------
class CompareRow(NamedTuple):
    term: str | None  # None: a free answer, `label` is its text
    label: str
    has: list[bool]  # per entry, in the order asked


@dataclass
class CompareResult:
    entries: list[Entry]  # in the order asked
    lists: dict[str, list[CompareRow]]
    similarity: dict[str, float | None]  # list (and "samlet") -> share of terms in common


# -- similar ------------------------------------------------------------------------
class SharedTerm(NamedTuple):
    liste: str
    term: str
    label: str


class SimilarHit(NamedTuple):
    slug: str
    title: str
    score: float  # 0-1
    shared: list[SharedTerm]  # rarest first


@dataclass
class SimilarResult(Notes):
    target: str = ""  # the slug of the entry others are compared with
    hits: list[SimilarHit] = field(default_factory=list)


# -- summarise ----------------------------------------------------------------------
class FreeCount(NamedTuple):
    entries: int  # entries with free answers
    answers: int


class GroupCount(NamedTuple):
    entries: int
    share: float  # of the group's entries


class CrossRow(NamedTuple):
    term: str
    label: str
    groups: dict[str, GroupCount]  # every group, by name


class GrowthEntry(NamedTuple):
    """One entry's population change over its project years."""

    slug: str
    title: str
    area: str
    start: int
    end: int
    percent: float
    reference_percent: float
    difference: float  # percentage points


@dataclass
class GrowthSummary:
    with_figures: int
    without_figures: int
    grew: int
    declined: int
    better: int  # than the reference
    weaker: int
    entries: list[GrowthEntry]
    source: str
    note: str


@dataclass
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
class TimelineProject(NamedTuple):
    name: str
    start: int | None
    end: int | None
    ongoing: bool
    shown_to: int | None  # where the bar ends


class TimelineEntry(NamedTuple):
    slug: str
    title: str
    projects: list[TimelineProject]


@dataclass
class TimelineResult(Notes):
    entries: list[TimelineEntry] = field(default_factory=list)
    first: int = 0
    last: int = 0  # this year: open-ended projects run to here
    total: int | None = None  # set when `entries` were cut short to fit a table


# -- folketall -----------------------------------------------------------------------
class Change(NamedTuple):
    """Persons and percent from 1 January `start` to 1 January `end`."""

    start: int
    end: int
    persons: int | None
    percent: float | None


class PeriodChange(NamedTuple):
    project: str
    label: str  # the project's years as the catalog gives them
    during: Change
    before: Change
    reference: Change
    difference: float | None  # percentage points


class SeriesPoint(NamedTuple):
    year: int
    population: int | None
    indexed: float | None  # the area, first project start = 100
    reference_index: float | None


@dataclass
class FolketallResult:
    """Population around one entry."""

    slug: str
    title: str
    area: str
    numbers: list[str]  # 2024 municipality numbers summed
    area_notes: list[str]
    reference_kind: str
    reference_name: str
    reference_count: int
    index_year: int
    series: list[SeriesPoint]
    periods: list[PeriodChange]
    notes: list[str]
    source: str


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
