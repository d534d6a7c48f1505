"""The result objects commands hand to the output layer (the pattern of
pypa/pipx: each command returns one; one renderer draws it as a table, another
prints it as JSON, CSV or Markdown). Light on purpose: importing this costs
nothing, so output code need not load the vocabulary or YAML to know them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tilflytting.core.model import Entry


@dataclass
class EntryList:
    """Rows for `list`: one summary per entry."""

    rows: list[dict[str, Any]]
    total: int | None = None  # set when `rows` were cut short to fit a table


@dataclass
class EntryDetail:
    """One entry for `show`, in the JSON shape, plus the Entry for YAML."""

    data: dict[str, Any]
    entry: Entry
    sources: bool = False
    population: str | None = None  # one line for the table view
    # With `sources`, the file each part of a merged entry came from, by its
    # JSON key ("tekst", "malgrupper", ...; core/merge.py GROUPS and LISTS).
    origins: dict[str, str] = field(default_factory=dict)


@dataclass
class TableResult:
    """A plain table: the shape of most reports (`vocab`, `summarise`, ...).
    JSON prints `rows`; the table view shows `columns` in order."""

    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    caption: str | None = None


@dataclass
class SearchResult:
    rows: list[dict[str, Any]]  # entry JSON plus score, snippet, treff
    words: list[str]  # folded words searched, for highlighting
    notes: list[str] = field(default_factory=list)  # what typed values were taken to mean
    hint: str | None = None  # why nothing was found
    total: int | None = None  # set when `rows` were cut short to fit a table


@dataclass
class Report:
    """Several tables with one JSON document behind them."""

    title: str
    data: dict[str, Any]
    tables: list[TableResult] = field(default_factory=list)


@dataclass
class CompareResult:
    entries: list[dict[str, Any]]  # entry JSON, in the order asked
    lists: dict[str, list[dict[str, Any]]]  # list -> rows {term, etikett, har: [bool]}
    similarity: dict[str, float | None]  # list (and "samlet") -> share of terms in common

    @property
    def data(self) -> dict[str, Any]:
        return {
            "oppforinger": [
                {
                    k: e[k]
                    for k in (
                        "slug",
                        "tittel",
                        "kommuner",
                        "fylker",
                        "fylker_2012",
                        "region",
                        "prosjekter",
                    )
                }
                for e in self.entries
            ],
            "lister": self.lists,
            "likhet": self.similarity,
        }


@dataclass
class TimelineResult:
    entries: list[dict[str, Any]]  # {slug, tittel, prosjekter: [{navn, fra, til, pagaende}]}
    first: int
    last: int  # this year: open-ended projects run to here
    total: int | None = None  # set when `entries` were cut short to fit a table

    @property
    def data(self) -> dict[str, Any]:
        return {"fra": self.first, "til": self.last, "oppforinger": self.entries}


@dataclass
class FolketallResult:
    """Population around one entry: `data` is the documented JSON."""

    data: dict[str, Any]
