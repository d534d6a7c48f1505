"""Population around each initiative (`folketall`), from SSB table 07459.

Figures are the population on 1 January on the 2024 municipal structure
(data/folkemengde.csv). A project that ran 2008–2012 is measured from
1 January 2008 to 1 January 2013, the years it was at work. Missing years
are shown as missing, never filled in; references leave out municipalities
whose series has gaps, so that their sums mean the same every year.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from tilflytting.core.i18n import N_, _
from tilflytting.core.model import Entry, Place
from tilflytting.query.lookup import QueryError, show_entry
from tilflytting.query.results import (
    Change,
    FolketallResult,
    GrowthEntry,
    GrowthSummary,
    PeriodChange,
    PopulationSpan,
    SeriesPoint,
)
from tilflytting.reference.places import reference
from tilflytting.reference.population import (
    ATTRIBUTION,
    PopulationData,
    Series,
    population,
    update,
)
from tilflytting.store.database import Store

REFERENCES = ("fylke", "landet", "distrikt")
# `distrikt`: municipalities whose population at project start was between
# half and twice the area's.
SIMILAR_SIZE = (0.5, 2.0)
# Notes travel in the JSON in English (the same in every language) and are
# shown in the run's language (core.i18n.localise).
CAVEAT = N_(
    "The figures show the change, not the effect of the work: people move for many "
    "reasons, and a difference from the reference is no proof that the work had an effect."
)


def checked_update(path: Path) -> int:
    """`update`, with every problem as a QueryError (one line for the user)."""
    try:
        return update(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(_("{path}: cannot read: {error}").format(path=path, error=exc)) from None
    except ValueError as exc:
        raise QueryError(
            _("{path}: {error}; the population figures were not changed").format(
                path=path, error=exc
            )
        ) from None


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
        note = N_("The entry names no municipality; all of {counties} is used.").format(
            counties=", ".join(counties)
        )
        return Area(" og ".join(counties), numbers, counties, [note])
    raise QueryError(
        _("'{slug}' has no municipality or county to count people in").format(slug=entry.slug)
    )


def _place_label(place: Place) -> str:
    if place.name and place.name_2024 and place.name != place.name_2024:
        return f"{place.name} (→ {place.name_2024} {place.nr_2024})"
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
            notes.append(
                N_("{name} {number}: the figures before {year} are the sum of {names}.").format(
                    name=now.name, number=number, year=merged, names=names
                )
            )
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
        return N_("the rest of {counties}").format(counties=", ".join(area.counties)), numbers
    if kind in ("fylke", "landet"):
        return N_("the rest of the country"), usable
    own = data.total(area.numbers).get(start)
    if own is None:
        return N_("municipalities of similar size"), []
    low, high = (own * f for f in SIMILAR_SIZE)
    similar = [n for n in usable if low <= data.series(n).get(start, 0) <= high]
    label = N_("municipalities with {low}–{high} inhabitants in {year}").format(
        low=round(low), high=round(high), year=start
    )
    return label, similar


def _county_numbers(counties: list[str]) -> list[str]:
    return [k.nr_2024 for k in reference().kommuner if k.nr_2024 and k.fylke_2024 in counties]


def _county_of(number: str) -> str | None:
    return _counties_by_number().get(number)


@cache
def _counties_by_number() -> dict[str, str]:
    """2024 county of each 2024 municipality number (asked 357 times for
    every entry `summarise --folketall` compares: a scan each took minutes)."""
    return {k.nr_2024: k.fylke_2024 for k in reference().kommuner if k.nr_2024 and k.fylke_2024}


def change(series: Series, start: int, end: int) -> Change:
    """Persons and percent from 1 January `start` to 1 January `end`."""
    first, last = series.get(start), series.get(end)
    if first is None or last is None:
        return Change(start, end, None, None)
    return Change(start, end, last - first, round(100 * (last - first) / first, 2))


def folketall(store: Store, name: str, kind: str = "fylke") -> FolketallResult:
    """Population around one entry; its `data` is documented in docs/json.md."""
    if kind not in REFERENCES:
        raise QueryError(
            _("--referanse takes {choices}, not '{text}'").format(
                choices=", ".join(REFERENCES), text=kind
            )
        )
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
        slug=entry.slug,
        title=entry.title,
        area=area.name,
        numbers=area.numbers,
        area_notes=area.notes,
        reference_kind=kind,
        reference_name=label,
        reference_count=len(numbers),
        index_year=base,
        series=[
            SeriesPoint(year, own.get(year), _index(own, year, base), _index(other, year, base))
            for year in data.years
        ],
        periods=[_period_change(p, own, other) for p in periods],
        notes=_plain_words(entry, periods, own, data),
        source=ATTRIBUTION,
    )


def _index(series: Series, year: int, base: int) -> float | None:
    if year not in series or base not in series:
        return None
    return round(100 * series[year] / series[base], 1)


def _period_change(period: Period, own: Series, other: Series) -> PeriodChange:
    length = period.end - period.start
    during, before = (
        change(own, period.start, period.end),
        change(own, period.start - length, period.start),
    )
    reference_change = change(other, period.start, period.end)
    difference = None
    if during.percent is not None and reference_change.percent is not None:
        difference = round(during.percent - reference_change.percent, 2)
    return PeriodChange(period.name, period.label, during, before, reference_change, difference)


def _plain_words(
    entry: Entry, periods: list[Period], own: Series, data: PopulationData
) -> list[str]:
    words = [CAVEAT]
    missing = [y for y in data.years if y not in own]
    if missing:
        words.append(
            N_("No figures for {years}: shown as empty, not filled in.").format(
                years=_years(missing)
            )
        )
    early = [p.name for p in periods if p.start - (p.end - p.start) < data.years[0]]
    if early:
        words.append(
            N_(
                "The figures begin in {year}: the years just before are unknown for {names}."
            ).format(year=data.years[0], names=", ".join(early))
        )
    if len(periods) < len(entry.projects):
        words.append(N_("Projects without a readable start year are left out."))
    return words


def _years(years: list[int]) -> str:
    return (
        f"{years[0]}–{years[-1]}"
        if years == list(range(years[0], years[-1] + 1))
        else ", ".join(map(str, years))
    )


def summary_line(entry: Entry) -> PopulationSpan | None:
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
    return PopulationSpan(
        start, end, series.get(start), series.get(end), moved.persons, moved.percent
    )


def span_change(
    entry: Entry, data: PopulationData, others: dict[tuple[str, ...], Series] | None = None
) -> GrowthEntry | None:
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
    if own.percent is None or other.percent is None or end <= start:
        return None
    return GrowthEntry(
        slug=entry.slug,
        title=entry.title,
        area=area.name,
        start=start,
        end=end,
        percent=own.percent,
        reference_percent=other.percent,
        difference=round(own.percent - other.percent, 2),
    )


def growth_summary(entries: list[Entry]) -> GrowthSummary:
    """How many entries grew over their project periods, and how many grew
    more than the rest of their county."""
    data, others = population(), dict[tuple[str, ...], Series]()
    found = [c for c in (span_change(e, data, others) for e in entries) if c is not None]
    return GrowthSummary(
        with_figures=len(found),
        without_figures=len(entries) - len(found),
        grew=sum(1 for c in found if c.percent > 0),
        declined=sum(1 for c in found if c.percent <= 0),
        better=sum(1 for c in found if c.difference > 0),
        weaker=sum(1 for c in found if c.difference <= 0),
        entries=found,
        source=ATTRIBUTION,
        note=CAVEAT,
    )
