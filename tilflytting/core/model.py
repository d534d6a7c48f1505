"""The domain objects every step passes along: parse builds them, normalise
fills in places, the store saves them and the query layer rebuilds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from tilflytting.core import clock

# The four survey lists with fixed answer categories; the main goal is kept
# apart because it is usually one line of prose.
LISTS: tuple[str, ...] = (
    "aktiviteter",
    "salgsargumenter",
    "samarbeidspartnere",
    "malgrupper",
)
LIST_LABELS: dict[str, str] = {
    "aktiviteter": "Aktiviteter",
    "salgsargumenter": "Viktigste salgsargument",
    "samarbeidspartnere": "Samarbeidspartnere",
    "malgrupper": "Målgrupper",
    "hovedmal": "Hovedmål",
}

# Every way a list may be named (after folding: æ→ae, ø→o, å→a, lowercase,
# letters only): `--list målgruppe`, `målgrupper`, `malgrupper`, `Målgrupper`
# all name the same list, wherever a list is named.
_LIST_NAMES: dict[str, str] = {
    "aktivitet": "aktiviteter",
    "aktiviteter": "aktiviteter",
    "salgsargument": "salgsargumenter",
    "salgsargumenter": "salgsargumenter",
    "viktigstesalgsargument": "salgsargumenter",
    "viktigstesalgsargumenter": "salgsargumenter",
    "samarbeidspartner": "samarbeidspartnere",
    "samarbeidspartnere": "samarbeidspartnere",
    "samarbeidspartnerer": "samarbeidspartnere",
    "partner": "samarbeidspartnere",
    "partnere": "samarbeidspartnere",
    "malgruppe": "malgrupper",
    "malgrupper": "malgrupper",
    "hovedmal": "hovedmal",
}


def list_name(text: str) -> str | None:
    """The list `text` names, in any of the ways people name it; None if none."""
    from tilflytting.core.fold import key

    return _LIST_NAMES.get(key(text))


Level = Literal["warning", "error"]


@dataclass
class Problem:
    """Something wrong or doubtful in an input file, at a line where known."""

    message: str
    line: int | None = None
    level: Level = "warning"


@dataclass
class Item:
    """One list item, stored as written (trimmed), with its canonical term."""

    text: str
    line: int | None = None
    term: str | None = None
    truncated: bool = False
    detail: str | None = None  # the county, region or municipality a public body is for


@dataclass
class Project:
    """A named project with its period; years that could not be read are None."""

    name: str
    start: int | None
    end: int | None
    ongoing: bool
    period: str
    line: int | None = None


@dataclass
class Heading:
    """A heading as it appeared, what it was taken to be, and where."""

    text: str
    kind: str
    line: int


@dataclass
class Place:
    """A municipality (or, with no municipality known, a county) an entry is about."""

    kind: Literal["kommune", "fylke"]
    name: str | None
    nr_2012: str | None
    fylke_2012: str | None
    name_2024: str | None
    nr_2024: str | None
    fylke_2024: str | None
    # Where the place came from: the kind of evidence (for example "tittel",
    # "ingress", "region", "fylkesadjektiv", "partner", "oppgitt" for a YAML
    # entry's own list) and the line it was read on, for `show --sources`.
    evidence: str | None = None
    line: int | None = None


@dataclass
class Source:
    """A file an entry was built from: the file as imported, its hash and
    encoding, and what kind of source it is (see core/merge.py)."""

    path: str
    sha256: str
    encoding: str
    format: Literal["txt", "yaml"]
    url: str | None = None
    role: str | None = None  # side, medfulgt or egen (core/merge.py ROLES)
    precedence: int | None = None
    imported: str | None = None
    parser_version: int | None = None


@dataclass
class Entry:
    """One catalog page: one initiative by a municipality or region."""

    title: str
    title_line: int | None = None
    lead: str = ""
    text: str = ""
    areas: list[str] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    lists: dict[str, list[Item]] = field(default_factory=lambda: {name: [] for name in LISTS})
    # The lists as the file had them, before the vocabulary split, matched and
    # de-duplicated them: kept so that `vocab --apply` can normalise again.
    raw_lists: dict[str, list[Item]] = field(default_factory=dict)
    main_goal: list[Item] = field(default_factory=list)
    complete: bool = True
    problems: list[Problem] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    # Stated places (YAML) or the names found in the page (normalise fills
    # `places` from these and the reference tables).
    stated_places: list[str] = field(default_factory=list)
    stated_counties: list[str] = field(default_factory=list)
    region: str | None = None
    places: list[Place] = field(default_factory=list)
    slug: str = ""
    url: str | None = None
    source: Source | None = None  # the source that wins (first of `sources`)
    sources: list[Source] = field(default_factory=list)  # every file it was built from

    def warn(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(message, line))

    def municipalities(self) -> list[Place]:
        """The places that are municipalities (not a county standing alone)."""
        return [p for p in self.places if p.kind == "kommune"]

    def counties(self) -> list[str]:
        """The entry's counties under the 2024 structure, each once."""
        return [c for c in dict.fromkeys(p.fylke_2024 for p in self.places) if c]

    def counties_2012(self) -> list[str]:
        """The entry's counties as of 2012, each once."""
        return [c for c in dict.fromkeys(p.fylke_2012 for p in self.places) if c]


@dataclass
class SearchFilters:
    """What a search asks for besides its words. Different filters AND
    together; the values of one filter OR."""

    terms: dict[str, list[tuple[str, str | None]]] = field(
        default_factory=dict
    )  # list: (term, detail)
    # list -> free answers (items no term covers) as written, any of which will do
    answers: dict[str, list[str]] = field(default_factory=dict)
    counties: list[str] = field(default_factory=list)  # names of any era
    # The 2012 numbers of the municipalities that lay in the asked counties
    # in the counties' own eras (`--fylke Viken`); ORed with `counties`.
    county_numbers: list[str] = field(default_factory=list)
    kommuner: list[str] = field(default_factory=list)  # names and numbers of any era
    regions: list[str] = field(default_factory=list)
    # The asked regions' member municipalities (2012 numbers); ORed with `regions`.
    region_numbers: list[str] = field(default_factory=list)
    year: int | None = None  # a project active this year
    span_from: int | None = None  # a project overlapping this span
    span_to: int | None = None
    complete: bool = False
    # Open-ended projects ("til d.d.", "pågående") run until here: the
    # catalog's year unless today is asked for (`--til-i-dag`).
    this_year: int = clock.CATALOG_YEAR


@dataclass
class SearchRequest:
    """A search as the user asked it, before anything is resolved."""

    text: str = ""
    raw: bool = False
    facets: dict[str, list[str]] = field(default_factory=dict)  # list -> typed values
    fylke: list[str] = field(default_factory=list)
    kommune: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    year: int | None = None
    span_from: int | None = None
    span_to: int | None = None
    complete: bool = False
    until_today: bool = False  # open-ended projects run to today, not to the catalog's year
    limit: int | None = None
    # Without a limit, show at most this many and count the rest (the table view).
    cap: int | None = None
