"""Population around each initiative (`folketall`), from SSB table 07459.

Figures are the population on 1 January on the 2024 municipal structure
(data/folkemengde.csv). A project that ran 2008–2012 is measured from
1 January 2008 to 1 January 2013, the years it was at work. Missing years
are shown as missing, never filled in; references leave out municipalities
whose series has gaps, so that their sums mean the same every year.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

from tilflytting.model import Entry, Place
from tilflytting.paths import user_dir
from tilflytting.places import data_dir, reference
from tilflytting.query import QueryError, show_entry
from tilflytting.results import FolketallResult, TableResult
from tilflytting.store import Store

ATTRIBUTION = "Befolkning: Statistisk sentralbyrå (SSB), Statistikkbanken tabell 07459 (NLOD 2.0)"
COLUMNS = ["kommunenummer", "aar", "folkemengde", "grenser"]
REFERENCES = ("fylke", "landet", "distrikt")
# `distrikt`: municipalities whose population at project start was between
# half and twice the area's.
SIMILAR_SIZE = (0.5, 2.0)
CAVEAT = (
    "Tallene viser utviklingen, ikke effekten av tiltaket: flytting har mange årsaker, "
    "og en forskjell mot referansen er ikke bevis for at tiltaket virket."
)


Series = dict[int, int]  # year -> population on 1 January


class PopulationData:
    """Population per 2024 municipality number and year. A municipality's
    figures are read from the file's text when first asked for: `show` needs
    two or three of 357, and reading them all cost it 5 ms."""

    def __init__(self, text: str) -> None:
        self._text = "\n" + text.partition("\n")[2]  # the rows, each after a newline
        self._series: dict[str, Series] = {}
        self._all: dict[str, Series] | None = None

    def series(self, number: str) -> Series:
        if number not in self._series:
            rows = re.findall(rf"\n{re.escape(number)},(\d+),(\d+),", self._text)
            self._series[number] = {int(year): int(count) for year, count in rows}
        return self._series[number]

    @property
    def rows(self) -> dict[str, Series]:
        """Every municipality's figures (read once, when all are asked for)."""
        if self._all is None:
            self._all = {}
            for line in self._text.split("\n"):
                if line:
                    number, year, count, _ = line.split(",")
                    self._all.setdefault(number, {})[int(year)] = int(count)
            self._series = self._all
        return self._all

    @cached_property
    def years(self) -> list[int]:
        """Every year any municipality has figures for."""
        return sorted({int(year) for year in set(re.findall(r"\n\d+,(\d+),", self._text))})

    def complete(self, number: str) -> bool:
        return len(self.series(number)) == len(self.years)

    def total(self, numbers: list[str]) -> Series:
        """The sum per year; a year any of them lacks is left out."""
        series = [self.series(n) for n in numbers]
        if not series:
            return {}
        years = sorted(set(series[0]).intersection(*series[1:]))
        return {year: sum(s[year] for s in series) for year in years}


def user_file() -> Path:
    """Where `folketall --update` keeps a newer file (the user's data folder)."""
    return user_dir() / "folkemengde.csv"


def source_file() -> Path:
    updated = user_file()
    return updated if updated.exists() else data_dir() / "folkemengde.csv"


@cache
def population() -> PopulationData:
    """The figures in use. Checked when they came in (`--update` checks every
    row; the bundled file is checked by the tests), so read plainly here,
    and only as far as asked: 2 ms instead of 35 ms on every `show`."""
    return PopulationData(source_file().read_text(encoding="utf-8"))


def parse_csv(text: str) -> dict[str, Series]:
    """Read and check a population file; ValueError names the first problem."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != COLUMNS:
        raise ValueError(f"line 1: the columns must be {','.join(COLUMNS)}, not {header}")
    known = {k.nr_2024 for k in reference().kommuner if k.nr_2024}
    rows: dict[str, Series] = {}
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        number, year, count = _checked(row, line, known)
        if year in rows.setdefault(number, {}):
            raise ValueError(f"line {line}: {number} {year} appears twice")
        rows[number][year] = count
    if not rows:
        raise ValueError("the file has no rows")
    return rows


def _checked(row: list[str], line: int, known: set[str]) -> tuple[str, int, int]:
    if len(row) != len(COLUMNS):
        raise ValueError(f"line {line}: {len(row)} columns, expected {len(COLUMNS)}")
    number, year, count, borders = (cell.strip() for cell in row)
    if not (len(number) == 4 and number.isdigit() and number in known):
        raise ValueError(f"line {line}: '{number}' is no municipality number of 2024")
    if not (year.isdigit() and 1900 <= int(year) <= 2100):
        raise ValueError(f"line {line}: '{year}' is not a year")
    if not (count.isdigit() and int(count) > 0):
        raise ValueError(f"line {line}: '{count}' is not a population count")
    if borders != "2024":
        raise ValueError(f"line {line}: borders must be 2024, not '{borders}'")
    return number, int(year), int(count)


def checked_update(path: Path) -> int:
    """`update`, with every problem as a QueryError (one line for the user)."""
    try:
        return update(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read: {exc}") from None
    except ValueError as exc:
        raise QueryError(f"{path}: {exc}; the population figures were not changed") from None


def update(path: Path) -> int:
    """Check `path` and make it the population file; the old one stays until
    the new one has passed every check. Returns the number of rows."""
    text = path.read_text(encoding="utf-8-sig")
    rows = parse_csv(text)
    target = user_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)  # atomic: readers see the old file or the new one
    population.cache_clear()
    return sum(len(series) for series in rows.values())


# -- an entry's area ------------------------------------------------------------------
class Area(NamedTuple):
    # Named tuples, like places.Kommune: made on every `show`, and cheaper to
    # define at start-up than dataclasses.
    name: str
    numbers: list[str]  # 2024 municipality numbers summed
    counties: list[str]  # 2024 counties it lies in
    notes: list[str]


def area_of(entry: Entry, notes: bool = True) -> Area:
    """The municipalities (2024 numbers) whose population stands for the entry.
    Without `notes`, an entry with municipalities of its own is answered
    without reading the reference tables (what `show` needs: 2 ms less)."""
    kommuner = [p for p in entry.places if p.kind == "kommune" and p.nr_2024]
    numbers = list(dict.fromkeys(p.nr_2024 for p in kommuner if p.nr_2024))
    counties = list(dict.fromkeys(p.fylke_2024 for p in entry.places if p.fylke_2024))
    if numbers:
        names = ", ".join(dict.fromkeys(_place_label(p) for p in kommuner))
        return Area(names, numbers, counties, _merger_notes(numbers) if notes else [])
    if counties:
        ref = reference()
        numbers = [k.nr_2024 for k in ref.kommuner if k.nr_2024 and k.fylke_2024 in counties]
        note = f"Oppføringen har ingen kommune; hele {' og '.join(counties)} er brukt."
        return Area(" og ".join(counties), numbers, counties, [note])
    raise QueryError(f"'{entry.slug}' has no municipality or county to count people in")


def _place_label(place: Place) -> str:
    if place.name and place.name_2024 and place.name != place.name_2024:
        return f"{place.name} (nå {place.name_2024} {place.nr_2024})"
    return f"{place.name or place.name_2024} {place.nr_2024}"


def _merger_notes(numbers: list[str]) -> list[str]:
    """Name the 2024 municipalities whose figures before a merger are sums of
    the municipalities merged (only where such years are in the data)."""
    ref, data = reference(), population()
    notes = []
    for number in numbers:
        now = next((k for k in ref.kommuner if k.nr_2024 == number), None)
        if now is None:
            continue
        parts = [
            k for k in ref.kommuner if now.name in [m.strip() for m in k.merged_into.split(";")]
        ]
        merged = min((int(k.merged_year) for k in parts if k.merged_year), default=None)
        summed = [y for y in data.series(number) if merged and y < merged]
        if parts and summed:
            names = ", ".join([k.name for k in parts] + ([now.name] if now.nr_2012 else []))
            notes.append(f"{now.name} {number}: tallene før {merged} er summen av {names}.")
    return notes


# -- comparison ------------------------------------------------------------------------
class Period(NamedTuple):
    name: str
    start: int
    end: int  # the year whose 1 January closes the period
    label: str  # the project's years as the catalog gives them


def periods_of(entry: Entry, last: int) -> list[Period]:
    """The entry's projects with a start year; one still running ends at
    `last`, the last year with figures."""
    found = []
    for project in entry.projects:
        if project.start is None:
            continue
        open_ended = project.ongoing and project.end is None
        end = last if open_ended else (project.end or project.start) + 1
        label = (
            f"{project.start}–" if open_ended else f"{project.start}–{project.end or project.start}"
        )
        found.append(Period(project.name, project.start, min(end, last), label))
    return found


def reference_numbers(
    kind: str, area: Area, data: PopulationData, start: int
) -> tuple[str, list[str]]:
    """A reference's label and municipalities; none of the area's, none with gaps."""
    mine = set(area.numbers)
    usable = [n for n in data.rows if n not in mine and data.complete(n)]
    if kind == "fylke" and len(area.numbers) < len(_county_numbers(area.counties)):
        counties = set(area.counties)
        numbers = [n for n in usable if _county_of(n) in counties]
        return f"resten av {' og '.join(area.counties)}", numbers
    if kind in ("fylke", "landet"):
        return "resten av landet", usable
    own = data.total(area.numbers).get(start)
    if own is None:
        return "kommuner av lik størrelse", []
    low, high = (own * f for f in SIMILAR_SIZE)
    similar = [n for n in usable if low <= data.series(n).get(start, 0) <= high]
    return f"kommuner med {low:,.0f}–{high:,.0f} innbyggere i {start}".replace(",", " "), similar


def _county_numbers(counties: list[str]) -> list[str]:
    return [k.nr_2024 for k in reference().kommuner if k.nr_2024 and k.fylke_2024 in counties]


def _county_of(number: str) -> str | None:
    return _counties_by_number().get(number)


@cache
def _counties_by_number() -> dict[str, str]:
    """2024 county of each 2024 municipality number (asked 357 times for
    every entry `summarise --folketall` compares: a scan each took minutes)."""
    return {k.nr_2024: k.fylke_2024 for k in reference().kommuner if k.nr_2024 and k.fylke_2024}


def change(series: Series, start: int, end: int) -> dict[str, Any]:
    """Persons and percent from 1 January `start` to 1 January `end`."""
    first, last = series.get(start), series.get(end)
    if first is None or last is None:
        return {"fra": start, "til": end, "personer": None, "prosent": None}
    return {
        "fra": start,
        "til": end,
        "personer": last - first,
        "prosent": round(100 * (last - first) / first, 2),
    }


def folketall(store: Store, name: str, kind: str = "fylke") -> FolketallResult:
    """Population around one entry; its `data` is documented in docs/json.md."""
    if kind not in REFERENCES:
        raise QueryError(f"--referanse takes {', '.join(REFERENCES)}, not '{kind}'")
    entry = show_entry(store, name).entry
    data = population()
    area = area_of(entry)
    own = data.total(area.numbers)
    periods = periods_of(entry, data.years[-1])
    # The index starts at the first project start the figures cover.
    starts = [p.start for p in periods if p.start >= data.years[0]]
    base = min(starts) if starts else data.years[0]
    label, numbers = reference_numbers(kind, area, data, base)
    other = data.total(numbers)
    return FolketallResult(
        {
            "slug": entry.slug,
            "tittel": entry.title,
            "omrade": {"navn": area.name, "kommunenummer": area.numbers, "merknader": area.notes},
            "referanse": {"type": kind, "navn": label, "kommuner": len(numbers)},
            "indeksar": base,
            "serie": [
                {
                    "ar": year,
                    "folketall": own.get(year),
                    "indeks": _index(own, year, base),
                    "referanse_indeks": _index(other, year, base),
                }
                for year in data.years
            ],
            "perioder": [_period_json(p, own, other) for p in periods],
            "merknader": _plain_words(entry, periods, own, data),
            "kilde": ATTRIBUTION,
        }
    )


def _index(series: Series, year: int, base: int) -> float | None:
    if year not in series or base not in series:
        return None
    return round(100 * series[year] / series[base], 1)


def _period_json(period: Period, own: Series, other: Series) -> dict[str, Any]:
    length = period.end - period.start
    during, before = (
        change(own, period.start, period.end),
        change(own, period.start - length, period.start),
    )
    reference_change = change(other, period.start, period.end)
    difference = None
    if during["prosent"] is not None and reference_change["prosent"] is not None:
        difference = round(during["prosent"] - reference_change["prosent"], 2)
    return {
        "prosjekt": period.name,
        "prosjektperiode": period.label,
        "under": during,
        "foer": before,
        "referanse": reference_change,
        "differanse_prosentpoeng": difference,
    }


def _plain_words(
    entry: Entry, periods: list[Period], own: Series, data: PopulationData
) -> list[str]:
    words = [CAVEAT]
    missing = [y for y in data.years if y not in own]
    if missing:
        words.append(f"Mangler tall for {_years(missing)}: vist som tomme, ikke fylt inn.")
    early = [p.name for p in periods if p.start - (p.end - p.start) < data.years[0]]
    if early:
        words.append(
            f"Tallene begynner i {data.years[0]}: årene like før er ukjente for {', '.join(early)}."
        )
    if len(periods) < len(entry.projects):
        words.append("Prosjekter uten lesbart startår er ikke med.")
    return words


def _years(years: list[int]) -> str:
    return (
        f"{years[0]}–{years[-1]}"
        if years == list(range(years[0], years[-1] + 1))
        else ", ".join(map(str, years))
    )


def summary_line(entry: Entry) -> str | None:
    """`show`'s line: population at the first project's start and the last's
    end; a project still running ends at the area's latest figures."""
    try:
        area = area_of(entry, notes=False)
    except QueryError:
        return None
    data = population()
    series = data.total(area.numbers)
    # The area's own last year spares reading every year in the file.
    periods = periods_of(entry, max(series) if series else data.years[-1])
    if not periods:
        return None
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    moved = change(series, start, end)
    if moved["personer"] is None:
        return f"Folketall: ingen tall for {start}–{end} (SSB)"
    return (
        f"Folketall 1.1.{start}: {_number(series[start])} → 1.1.{end}: {_number(series[end])} "
        f"({_number(moved['personer'], sign=True)}, {moved['prosent']:+.1f} %) (SSB)"
    )


def _number(value: int, sign: bool = False) -> str:
    """Norwegian thousands: 2 132; with `sign`, +39 or −39."""
    text = f"{value:+,}" if sign else f"{value:,}"
    return text.replace(",", " ")


def tables(data: dict[str, Any]) -> list[TableResult]:
    """The series and the periods as tables (CSV, Markdown, the table view)."""
    series = TableResult(
        f"Folketall 1. januar: {data['omrade']['navn']}",
        ["ar", "folketall", "indeks", "referanse_indeks"],
        data["serie"],
        f"indeks: {data['indeksar']} = 100; referanse: {data['referanse']['navn']}",
    )
    rows = [
        {
            "prosjekt": p["prosjekt"],
            "periode": p["prosjektperiode"],
            "endring": p["under"]["personer"],
            "endring_prosent": p["under"]["prosent"],
            "foer_prosent": p["foer"]["prosent"],
            "referanse_prosent": p["referanse"]["prosent"],
            "differanse_pp": p["differanse_prosentpoeng"],
        }
        for p in data["perioder"]
    ]
    periods = TableResult(
        "Endring over prosjektperiodene",
        [
            "prosjekt",
            "periode",
            "endring",
            "endring_prosent",
            "foer_prosent",
            "referanse_prosent",
            "differanse_pp",
        ],
        rows,
        "1. januar første år til 1. januar året etter siste; foer: like mange år før",
    )
    return [series, periods]


def span_change(
    entry: Entry, data: PopulationData, others: dict[tuple[str, ...], Series] | None = None
) -> dict[str, Any] | None:
    """The entry's population change over all its projects (first start with
    figures to last end), against the rest of its county; None if unknown.
    `others` keeps the rest-of-county sums between calls: entries about the
    same municipalities share them."""
    try:
        area = area_of(entry, notes=False)
    except QueryError:
        return None
    periods = [p for p in periods_of(entry, data.years[-1]) if p.start >= data.years[0]]
    if not periods:
        return None
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    own = change(data.total(area.numbers), start, end)
    memo = {} if others is None else others
    place = (*area.numbers, "|", *area.counties)
    if place not in memo:
        memo[place] = data.total(reference_numbers("fylke", area, data, start)[1])
    other = change(memo[place], start, end)
    if own["prosent"] is None or other["prosent"] is None or end <= start:
        return None
    return {
        "slug": entry.slug,
        "fra": start,
        "til": end,
        "endring_prosent": own["prosent"],
        "referanse_prosent": other["prosent"],
        "differanse_prosentpoeng": round(own["prosent"] - other["prosent"], 2),
    }


def growth_summary(entries: list[Entry]) -> dict[str, Any]:
    """How many entries grew over their project periods, and how many grew
    more than the rest of their county."""
    data, others = population(), dict[tuple[str, ...], Series]()
    found = [c for c in (span_change(e, data, others) for e in entries) if c is not None]
    return {
        "med_tall": len(found),
        "uten_tall": len(entries) - len(found),
        "vekst": sum(1 for c in found if c["endring_prosent"] > 0),
        "nedgang": sum(1 for c in found if c["endring_prosent"] <= 0),
        "bedre_enn_referansen": sum(1 for c in found if c["differanse_prosentpoeng"] > 0),
        "svakere_enn_referansen": sum(1 for c in found if c["differanse_prosentpoeng"] <= 0),
        "oppforinger": found,
        "kilde": ATTRIBUTION,
        "merknad": CAVEAT,
    }
