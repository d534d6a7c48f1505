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
from typing import Any, NamedTuple

from tilflytting.core.model import Entry, Place
from tilflytting.query.lookup import QueryError, UsageError, show_entry
from tilflytting.query.results import FolketallResult
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
CAVEAT = (
    "Tallene viser utviklingen, ikke effekten av tiltaket: flytting har mange årsaker, "
    "og en forskjell mot referansen er ikke bevis for at tiltaket virket."
)


def checked_update(path: Path) -> int:
    """`update`, with every problem as a QueryError (one line for the user)."""
    try:
        return update(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read: {exc}") from None
    except ValueError as exc:
        raise QueryError(f"{path}: {exc}; the population figures were not changed") from None


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
        raise UsageError(f"--referanse takes {', '.join(REFERENCES)}, not '{kind}'")
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
