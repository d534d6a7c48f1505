"""Population around each initiative (`folketall`), from SSB table 07459,
on the catalog's borders.

An entry's area is its municipalities as they were in 2012, each with its
own SSB figures while its area was unchanged (Verran 2005–2019, under 1724
and then 5039). After a merger the figures go on for the larger area
(Steinkjer from 2020), every figure saying which borders it is on
(`grenser`: 2012, or the year the later borders began) and a note naming
the merger; a change is never measured across two borders. The reference
(the rest of the 2012 county, the country, municipalities of similar size)
is taken on the same borders for the same years.

A project that ran 2008–2012 is measured from 1 January 2008 to 1 January
2013, the years it was at work. One still running when the catalog was
made ("til d.d.") ends with the catalog's year (1 January 2013), or with
the latest figures when today is asked for (`--til-i-dag`). Missing years
are shown as missing, never filled in.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from tilflytting.core.clock import CATALOG_YEAR, this_year
from tilflytting.core.files import irregular, not_a_file
from tilflytting.core.i18n import N_, _, localise
from tilflytting.core.model import Entry, Place, SearchFilters
from tilflytting.query.lookup import QueryError, UsageError, show_entry
from tilflytting.query.results import (
    Change,
    ComparisonGroup,
    FolketallResult,
    GroupMember,
    GrowthEntry,
    GrowthSummary,
    PeriodChange,
    PopulationSpan,
    SeriesPoint,
)
from tilflytting.reference.places import Kommune, reference
from tilflytting.reference.population import (
    ATTRIBUTION,
    COUNTRY,
    Figure,
    PopulationData,
    ResetError,
    area_series,
    changes,
    population,
    reset,
    successors_of,
    update,
)
from tilflytting.store.database import Store

REFERENCES = ("fylke", "landet", "distrikt")
# `distrikt`: municipalities whose population at project start was between
# half and twice the area's.
SIMILAR_SIZE = (0.5, 2.0)
BORDERS_2012 = str(CATALOG_YEAR)
# Notes and reference names travel in the JSON in English (the same in every
# language), made from marked templates, and are shown in the run's language
# (core.i18n.localise). A template names each field once (localise matches
# the text against it).
CAVEAT = N_(
    "The figures show the change, not the effect of the work: people move for many "
    "reasons, and a difference from the reference is no proof that the work had an effect."
)

Figures = dict[int, Figure]

# The comparison group (`folketall`, `rapport`): 2012 municipalities with no
# entry in the catalog, with between 1/GROUP_FACTOR and GROUP_FACTOR times the
# area's population at the start, in the area's 2012 counties; all of Norway
# when fewer than GROUP_MINIMUM qualify there.
GROUP_FACTOR = 2.0
GROUP_MINIMUM = 5
# The group's `scope` when there is none: the area is a whole 2012 county
# (compared with nothing but its reference), or fewer than GROUP_MINIMUM
# qualified in all of Norway.
WHOLE_COUNTY = "helt_fylke"
TOO_FEW = "ingen"
NO_GROUP = (WHOLE_COUNTY, TOO_FEW)


def checked_update(path: Path) -> int:
    """`update`, with every problem as a QueryError (one line for the user)."""
    what = irregular(path)
    if what is not None:  # a folder: one line, not the system's "[Errno 21]"
        raise QueryError(
            _("{path}: {error}; the population figures were not changed").format(
                path=path, error=localise(not_a_file(what))
            )
        )
    try:
        return update(path)
    except FileNotFoundError:
        raise QueryError(_("{path}: no such file").format(path=path)) from None
    except PermissionError:
        raise QueryError(_("{path}: not allowed to read it").format(path=path)) from None
    except IsADirectoryError:
        raise QueryError(
            _("{path}: {error}; the population figures were not changed").format(
                path=path, error=localise(not_a_file(N_("a folder")))
            )
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise QueryError(
            _("{path}: cannot read: {error}").format(path=path, error=reason)
        ) from None
    except UnicodeDecodeError:
        raise QueryError(_("{path}: not UTF-8 text").format(path=path)) from None
    except ValueError as exc:
        raise QueryError(
            _("{path}: {error}; the population figures were not changed").format(
                path=path, error=localise(str(exc))
            )
        ) from None


def back_to_bundled() -> bool:
    """`folketall --reset`: the bundled figures again (a folder in the
    file's place is left, with one line saying so)."""
    try:
        return reset()
    except ResetError as exc:
        raise QueryError(str(exc)) from None


# -- an entry's area ------------------------------------------------------------------
class Area(NamedTuple):
    # Named tuples, like places.Kommune: made on every `show`, and cheaper to
    # define at start-up than dataclasses.
    name: str
    kommuner: tuple[Kommune, ...]  # as they were in 2012
    counties: tuple[str, ...]  # their 2012 counties
    notes: list[str]
    whole_counties: bool = False  # no municipality named: every one of its counties'


def area_of(entry: Entry) -> Area:
    """The 2012 municipalities whose population stands for the entry."""
    ref = reference()
    places = [p for p in entry.places if p.kind == "kommune"]
    kommuner: list[Kommune] = []
    for place in places:
        kommuner += _kommuner_2012(place)
    kommuner = list(dict.fromkeys(kommuner))
    if kommuner:
        counties = tuple(dict.fromkeys(k.fylke_2012 for k in kommuner))
        names = ", ".join(dict.fromkeys(_place_label(p) for p in places))
        return Area(names, tuple(kommuner), counties, [])
    counties = tuple(dict.fromkeys(c for p in entry.places for c in [_county_2012(p)] if c))
    if counties:
        whole = tuple(k for k in ref.kommuner if k.nr_2012 and k.fylke_2012 in counties)
        note = N_("The entry names no municipality; all of {counties} is used.").format(
            counties=", ".join(counties)
        )
        return Area(" og ".join(counties), whole, counties, [note], True)
    raise QueryError(
        _("'{slug}' has no municipality or county to count people in").format(slug=entry.slug)
    )


def _kommuner_2012(place: Place) -> list[Kommune]:
    """The 2012 municipality of a place, or the 2012 ones a later
    municipality was made of (Indre Fosen: Leksvik and Rissa)."""
    ref = reference()
    if place.nr_2012 and place.nr_2012 in ref.by_2012_number:
        return [ref.by_2012_number[place.nr_2012]]
    return [
        k
        for k in ref.kommuner
        if k.nr_2012 and place.nr_2024 in {s.nr_2024 for s in ref.successors(k)}
    ]


def _county_2012(place: Place) -> str | None:
    if place.fylke_2012:
        return place.fylke_2012
    counties = {k.fylke_2012 for k in reference().kommuner if k.fylke_2024 == place.fylke_2024}
    return min(counties) if len(counties) == 1 else None


def _place_label(place: Place) -> str:
    return f"{place.name or place.name_2024} {place.nr_2012 or place.nr_2024}"


def merger_notes(area: Area, first: int, last: int) -> list[str]:
    """A line per change of borders the area's figures follow: one per
    merger, however many of the area's municipalities it took in (Hardanger:
    Jondal, Odda and Ullensvang became Ullensvang in 2020, one line)."""
    kommuner = () if area.whole_counties else area.kommuner
    # (year, the municipalities the figures go on for) -> (the area's
    # municipalities in it, others that joined them)
    mergers: dict[tuple[int, tuple[str, ...]], tuple[list[str], list[str]]] = {}
    notes = []
    for kommune in kommuner:
        for change in changes(kommune, first, last):
            if change.merged_into:
                mergers.setdefault((change.year, change.merged_into), ([], []))[0].append(
                    change.kommune
                )
            if change.joined:
                parts, joined = mergers.setdefault((change.year, (change.kommune,)), ([], []))
                parts.append(change.kommune)
                joined.extend(change.joined)
            if change.left:
                notes.append(
                    N_(
                        "From {year}: figures for {kommune} without {left}, which became a "
                        "municipality of its own again (borders of that year)."
                    ).format(year=change.year, kommune=change.kommune, left=", ".join(change.left))
                )
    for (year, into), (parts, joined) in sorted(mergers.items()):
        parts = list(dict.fromkeys(parts))
        if len(into) == 1 and into[0] in parts:
            others = [k for k in dict.fromkeys(parts + joined) if k != into[0]]
            notes.append(
                N_(
                    "From {year}: figures for {kommune} with {joined}, which became part "
                    "of it (borders of that year)."
                ).format(year=year, kommune=into[0], joined=", ".join(others))
            )
        else:
            notes.append(
                N_(
                    "From {year}: figures for {merged}, which {kommune} became part of "
                    "(borders of that year)."
                ).format(year=year, merged=", ".join(into), kommune=", ".join(parts))
            )
    return list(dict.fromkeys(notes))


def _series(kommuner: tuple[Kommune, ...], years: tuple[int, ...] | None = None) -> Figures:
    """The summed figures of these 2012 municipalities, from the figures in
    use: every year, or only `years` (what `show`'s line needs)."""
    return _kept_series(kommuner, population(), years)


@cache
def _kept_series(
    kommuner: tuple[Kommune, ...], data: PopulationData, years: tuple[int, ...] | None
) -> Figures:
    # Kept per figures object: entries about the same places share them, and
    # `summarise --folketall` asks many times; a new file is a new object.
    return area_series(kommuner, data, years)


# -- comparison ------------------------------------------------------------------------
class Period(NamedTuple):
    name: str
    start: int
    end: int  # the year whose 1 January closes the period
    label: str  # the project's years as the catalog gives them


def end_year(until_today: bool) -> int:
    """The last year an open-ended project ran: the catalog's, or today's."""
    return this_year() if until_today else CATALOG_YEAR


def periods_of(entry: Entry, last: int, until_today: bool = False) -> list[Period]:
    """The entry's projects with a start year. One still running ends with
    the catalog's year (or today's); none ends after `last`, the last year
    with figures."""
    found = []
    for project in entry.projects:
        if project.start is None:
            continue
        open_ended = project.ongoing and project.end is None
        ends = max(project.start, end_year(until_today)) if open_ended else project.end
        end = (ends or project.start) + 1
        label = (
            f"{project.start}–" if open_ended else f"{project.start}–{project.end or project.start}"
        )
        found.append(Period(project.name, project.start, min(end, last), label))
    return found


def measured_years(periods: list[Period], data: PopulationData) -> tuple[int, int] | None:
    """The years an entry's population change is measured over, the same in
    `show`, `folketall`, `summarise --folketall` and `rapport`: from 1
    January of the first project start the figures cover to 1 January after
    the last of those projects. A project begun before the figures is left
    out (its start is unknown), not measured from their first year."""
    covered = [p for p in periods if p.start >= data.years[0]]
    if not covered:
        return None
    return min(p.start for p in covered), max(p.end for p in covered)


class Reference(NamedTuple):
    kind: str
    name: str  # with its borders: "the rest of Nord-Trøndelag (2012 borders)"
    kommuner: tuple[Kommune, ...]
    figures: Figures
    notes: list[str]
    short: str = ""  # without them: "the rest of Nord-Trøndelag" (show's line)


def reference_area(
    kind: str, area: Area, data: PopulationData, start: int, years: tuple[int, ...] | None = None
) -> Reference:
    """A reference on the area's borders: none of the area's municipalities,
    the same years (all, or only `years`). Kept per area: `summarise
    --folketall` asks for the same few areas again and again."""
    return _kept_reference(
        kind, area.kommuner, area.counties, area.whole_counties, data, start, years
    )


@cache
def _kept_reference(
    kind: str,
    kommuner: tuple[Kommune, ...],
    counties: tuple[str, ...],
    whole: bool,
    data: PopulationData,
    start: int,
    years: tuple[int, ...] | None,
) -> Reference:
    area = Area("", kommuner, counties, [], whole)
    ref = reference()
    mine = set(area.kommuner)
    everyone = [k for k in ref.kommuner if k.nr_2012]
    if kind == "fylke" and not area.whole_counties:
        rest = tuple(k for k in everyone if k.fylke_2012 in area.counties and k not in mine)
        names = ", ".join(area.counties)
        return _reference(
            kind,
            N_("the rest of {counties} ({year} borders)").format(counties=names, year=CATALOG_YEAR),
            N_("the rest of {counties}").format(counties=names),
            rest,
            years,
            start,
        )
    if kind in ("fylke", "landet"):
        own = _series(area.kommuner, years)
        country = data.series(COUNTRY)
        figures = {
            y: Figure(country[y] - f.persons, f.borders) for y, f in own.items() if y in country
        }
        return Reference(
            kind,
            N_("the rest of the country ({year} borders)").format(year=CATALOG_YEAR),
            tuple(k for k in everyone if k not in mine),
            figures,
            [],
            N_("the rest of the country"),
        )
    # Municipalities of similar size, on their 2012 borders in every year the
    # area is on its own (so that the sum means the same every year).
    own = _series(area.kommuner)
    base = own.get(start)
    on_2012 = [y for y, f in own.items() if f.borders == CATALOG_YEAR]
    data.rows  # noqa: B018 - every municipality is asked: read them all at once
    similar: list[Kommune] = []
    if base is not None:
        low, high = (base.persons * f for f in SIMILAR_SIZE)
        for kommune in everyone:
            if kommune in mine:
                continue
            figures = _series((kommune,))
            at = figures.get(start)
            if (
                at
                and low <= at.persons <= high
                and all(y in figures and figures[y].borders == CATALOG_YEAR for y in on_2012)
            ):
                similar.append(kommune)
        low_high = {"low": round(low), "high": round(high), "start": start}
        name = N_(
            "municipalities with {low}–{high} inhabitants in {start} ({year} borders)"
        ).format(**low_high, year=CATALOG_YEAR)
        short = N_("municipalities with {low}–{high} inhabitants in {start}").format(**low_high)
    else:
        name = N_("municipalities of similar size ({year} borders)").format(year=CATALOG_YEAR)
        short = N_("municipalities of similar size")
    return _reference("distrikt", name, short, tuple(similar), years, start)


def _reference(
    kind: str,
    name: str,
    short: str,
    kommuner: tuple[Kommune, ...],
    years: tuple[int, ...] | None,
    start: int,
) -> Reference:
    figures = _series(kommuner, years) if kommuner else {}
    notes = []
    own = {y: f for y, f in figures.items() if f.borders == CATALOG_YEAR}
    if figures and len(own) < len(figures):
        moved = min(y for y, f in figures.items() if f.borders != CATALOG_YEAR)
        # The index (and a change) is only given on the same borders as the
        # start's: say where the reference's stops, not only that it moved.
        notes.append(
            N_(
                "The reference is on {borders} borders until {until}; from {year} its figures "
                "are on later borders, so no index or change of it is given from then."
            ).format(borders=CATALOG_YEAR, until=moved - 1, year=moved)
            if start < moved
            else N_(
                "The reference is on {borders} borders until {until}; from {year} on later borders."
            ).format(borders=CATALOG_YEAR, until=moved - 1, year=moved)
        )
    return Reference(kind, name, kommuner, figures, notes, short)


def change(figures: Figures, start: int, end: int) -> Change:
    """Persons and percent from 1 January `start` to 1 January `end`, where
    both figures are on the same borders."""
    first, last = figures.get(start), figures.get(end)
    if first is None or last is None or first.borders != last.borders:
        return Change(start, end, None, None)
    return Change(
        start,
        end,
        last.persons - first.persons,
        round(100 * (last.persons - first.persons) / first.persons, 2),
        str(first.borders),
    )


def folketall(
    store: Store,
    name: str,
    kind: str = "fylke",
    until_today: bool = False,
    details: bool = False,
) -> FolketallResult:
    """Population around one entry; its `data` is documented in docs/json.md.
    `details`: the comparison group's members are shown too (`--sammenlign`)."""
    if kind not in REFERENCES:
        raise UsageError(
            _("--referanse takes {choices}, not '{text}'").format(
                choices=", ".join(REFERENCES), text=kind
            )
        )
    entry = show_entry(store, name).entry
    return entry_population(entry, kind, until_today, Named(store), details)


def entry_population(
    entry: Entry,
    kind: str,
    until_today: bool,
    named: Named,
    details: bool = False,
    span: tuple[int, int] | None = None,
) -> FolketallResult:
    """`folketall` of an entry. `named`: which 2012 municipalities have an
    entry in the catalog (none of them is in the comparison group); `span`:
    the years the group is measured over, if not the entry's own project
    years (`rapport` with --fra/--til)."""
    data = population()
    area = area_of(entry)
    own = _series(area.kommuner)
    periods = periods_of(entry, data.years[-1], until_today)
    # The index starts at the first project start the figures cover.
    years = measured_years(periods, data)
    base = years[0] if years else data.years[0]
    other = reference_area(kind, area, data, base)
    notes = merger_notes(area, data.years[0], data.years[-1])
    if span is None and years:
        span = years
    group = comparison_group(area, data, span, named) if span else None
    members = _member_series(group)
    if group is not None:
        group.details = details
    return FolketallResult(
        slug=entry.slug,
        title=entry.title,
        area=area.name,
        numbers=_numbers_2024(area),
        numbers_2012=[k.nr_2012 for k in area.kommuner if k.nr_2012],
        borders=BORDERS_2012,
        area_notes=area.notes + notes,
        reference_kind=kind,
        reference_name=other.name,
        reference_count=len(other.kommuner),
        reference_borders=BORDERS_2012,
        index_year=base,
        series=[_point(year, own, other.figures, base, members) for year in data.years],
        periods=[_period_change(p, own, other.figures, members) for p in periods],
        notes=_plain_words(entry, periods, own, data, until_today) + other.notes,
        source=ATTRIBUTION,
        group=group,
    )


# -- the comparison group -----------------------------------------------------------------
class Named:
    """Which 2012 municipalities some entry of the catalog names (a regional
    entry names its members): none of them is in a comparison group. Asked
    of the store for the candidates a group needs, one indexed look-up
    each, and remembered (`rapport` asks for many entries); reading every
    entry's places instead cost 3 s at 100,000 entries."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.known: dict[Kommune, bool] = {}

    def __call__(self, candidates: list[Kommune]) -> set[Kommune]:
        asked = [k for k in candidates if k not in self.known]
        if asked:
            found = self._named(asked)
            self.known.update({k: k in found for k in asked})
        return {k for k in candidates if self.known[k]}

    def _named(self, candidates: list[Kommune]) -> set[Kommune]:
        found: set[Kommune] = set()
        rest: list[Kommune] = []
        for kommune in candidates:
            # The municipality filter finds a place by its 2012 number or its
            # 2024 one, on indexes (0.05 ms at 10,000 entries). A 2012 number
            # that a larger municipality kept (Stavanger with Finnøy) is
            # checked place by place.
            by_number = SearchFilters(kommuner=[kommune.nr_2012])
            hit = self.store.search(None, by_number, limit=1)
            if hit and (kommune.nr_2012 not in _kept_numbers() or self._names(kommune, by_number)):
                found.add(kommune)
            else:
                rest.append(kommune)
        # A place known only by a later municipality (Indre Fosen) names the
        # 2012 ones it was made of: read the entries with such places.
        later = sorted({s.nr_2024 for k in rest for s in reference().successors(k) if s.nr_2024})
        if later:
            ids = [
                entry_id for entry_id, _ in self.store.search(None, SearchFilters(kommuner=later))
            ]
            for entry in self.store.load_outlines(ids):
                for place in entry.places:
                    if place.kind == "kommune" and not place.nr_2012:
                        found.update(k for k in _kommuner_2012(place) if k in rest)
        return found

    def _names(self, kommune: Kommune, filters: SearchFilters) -> bool:
        ids = [entry_id for entry_id, _ in self.store.search(None, filters)]
        return any(
            kommune in _kommuner_2012(place)
            for entry in self.store.load_outlines(ids)
            for place in entry.places
            if place.kind == "kommune"
        )


@cache
def _kept_numbers() -> frozenset[str]:
    """2012 numbers that another municipality had later (Stavanger's 1103,
    which Finnøy and Rennesøy joined in 2020)."""
    kommuner = reference().kommuner
    later: dict[str, set[str]] = {}
    for k in kommuner:
        for number in (k.nr_2020, k.nr_2024):
            if number:
                later.setdefault(number, set()).add(k.name)
    owners = {s.name for k in kommuner for s in successors_of(k)}
    return frozenset(
        k.nr_2012
        for k in kommuner
        if k.nr_2012 and (later.get(k.nr_2012, set()) - {k.name} or k.name in owners)
    )


def comparison_group(
    area: Area, data: PopulationData, span: tuple[int, int], named: Named
) -> ComparisonGroup | None:
    """The area's comparison group over `span` (1 January of the first year
    to 1 January of the second): 2012 municipalities outside the area with
    no entry in the catalog, whose population at the start was within
    GROUP_FACTOR of the area's, with figures on the same borders at both
    ends; in the area's 2012 counties, or in all of Norway when fewer than
    GROUP_MINIMUM qualify there. No members (scope TOO_FEW) when fewer than
    GROUP_MINIMUM qualify in all of Norway either, and none (WHOLE_COUNTY)
    for an area that is a whole county. None without the area's starting
    figure."""
    start, end = span
    own = _series(area.kommuner)
    first = own.get(start)
    if first is None or end <= start:
        return None
    low, high = first.persons / GROUP_FACTOR, first.persons * GROUP_FACTOR
    data.rows  # noqa: B018 - every municipality is asked: read them all at once
    mine = set(area.kommuner)
    candidates: list[GroupMember] = []
    for kommune in reference().kommuner:
        if not kommune.nr_2012 or kommune in mine:
            continue
        # Every municipality is asked: its size at the start first, the end
        # only for those of the right size.
        first_year = _series((kommune,), (start,)).get(start)
        if first_year is None or not low <= first_year.persons <= high:
            continue
        figures = _series((kommune,), (start, end))
        at, to = figures.get(start), figures.get(end)
        if (
            at is not None
            and to is not None
            and at.borders == CATALOG_YEAR
            and to.borders == at.borders
        ):
            moved = change(figures, start, end)
            assert moved.persons is not None and moved.percent is not None
            candidates.append(
                GroupMember(
                    kommune.name,
                    kommune.nr_2012,
                    kommune.fylke_2012,
                    at.persons,
                    to.persons,
                    moved.persons,
                    moved.percent,
                )
            )
    ref = reference()
    taken = named([ref.by_2012_number[m.number] for m in candidates])
    candidates = [m for m in candidates if ref.by_2012_number[m.number] not in taken]
    in_county = [m for m in candidates if m.county in area.counties]
    if area.whole_counties:
        # A whole county is of another kind than any municipality (and has
        # no municipality of its own county outside it): not compared.
        scope, members = WHOLE_COUNTY, []
    elif len(in_county) >= GROUP_MINIMUM:
        scope, members = "fylke", in_county
    elif len(candidates) >= GROUP_MINIMUM:
        scope, members = "landet", candidates
    else:
        # Fewer than the minimum in all of Norway: a median of so few says
        # nothing, and none is given.
        scope, members = TOO_FEW, []
    members.sort(key=lambda m: m.number)
    percents = sorted(m.percent for m in members)
    mid = _median(percents)
    quartiles = _quartiles(percents)
    moved = change(own, start, end)
    return ComparisonGroup(
        scope=scope,
        counties=list(area.counties),
        factor=GROUP_FACTOR,
        start=start,
        end=end,
        base=first.persons,
        low=round(low),
        high=round(high),
        in_county=len(in_county),
        members=members,
        median=mid,
        lower_quartile=quartiles[0],
        upper_quartile=quartiles[1],
        minimum=percents[0] if percents else None,
        maximum=percents[-1] if percents else None,
        percent=moved.percent,
        difference=(
            round(moved.percent - mid, 2) if moved.percent is not None and mid is not None else None
        ),
    )


def _median(values: list[float], decimals: int = 2) -> float | None:
    # statistics is imported here, not at the top: it loads random, decimal
    # and fractions (7 ms), and `show` imports this module.
    from statistics import median

    return round(median(values), decimals) if values else None


def _quartiles(values: list[float]) -> tuple[float | None, float | None]:
    """The lower and upper quartile (the `inclusive` method: for the values
    themselves, not a sample of a larger whole)."""
    if not values:
        return None, None
    if len(values) == 1:
        return values[0], values[0]
    from statistics import quantiles

    cuts = quantiles(values, n=4, method="inclusive")
    return round(cuts[0], 2), round(cuts[2], 2)


def _member_series(group: ComparisonGroup | None) -> list[Figures]:
    """The figures of each member of the group (for its median index and
    its changes over each period)."""
    if group is None:
        return []
    ref = reference()
    return [_series((ref.by_2012_number[m.number],)) for m in group.members]


def _point(
    year: int, own: Figures, other: Figures, base: int, members: list[Figures]
) -> SeriesPoint:
    mine, theirs = own.get(year), other.get(year)
    # The group's median only while every member is on its starting borders:
    # a median of fewer members would be another group.
    indexed = [_index(m, year, base) for m in members]
    known = [i for i in indexed if i is not None]
    group = _median(known, 1) if known and len(known) == len(indexed) else None
    return SeriesPoint(
        year=year,
        population=mine.persons if mine else None,
        borders=str(mine.borders) if mine else None,
        indexed=_index(own, year, base),
        reference_population=theirs.persons if theirs else None,
        reference_index=_index(other, year, base),
        reference_borders=str(theirs.borders) if theirs else None,
        group_index=group,
    )


def _numbers_2024(area: Area) -> list[str]:
    ref = reference()
    return list(dict.fromkeys(s.nr_2024 for k in area.kommuner for s in ref.successors(k)))


def _index(figures: Figures, year: int, base: int) -> float | None:
    """The year's figure as a share of the base year's, on the same borders."""
    if year not in figures or base not in figures:
        return None
    if figures[year].borders != figures[base].borders:
        return None
    return round(100 * figures[year].persons / figures[base].persons, 1)


def _period_change(
    period: Period, own: Figures, other: Figures, members: list[Figures]
) -> PeriodChange:
    length = period.end - period.start
    during, before = (
        change(own, period.start, period.end),
        change(own, period.start - length, period.start),
    )
    reference_change = change(other, period.start, period.end)
    difference = None
    if during.percent is not None and reference_change.percent is not None:
        difference = round(during.percent - reference_change.percent, 2)
    theirs = [change(m, period.start, period.end).percent for m in members]
    group = _median([p for p in theirs if p is not None])
    group_difference = None
    if during.percent is not None and group is not None:
        group_difference = round(during.percent - group, 2)
    return PeriodChange(
        period.name,
        period.label,
        during,
        before,
        reference_change,
        difference,
        group,
        group_difference,
    )


def _plain_words(
    entry: Entry, periods: list[Period], own: Figures, data: PopulationData, until_today: bool
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
    crossing = [
        p.name
        for p in periods
        if p.start in own and p.end in own and own[p.start].borders != own[p.end].borders
    ]
    if crossing:
        words.append(
            N_("No change is given where the borders changed during the period: {names}.").format(
                names=", ".join(crossing)
            )
        )
    if any(p.label.endswith("–") for p in periods):
        words.append(
            N_("Projects without an end year are counted to the latest figures (--til-i-dag).")
            if until_today
            else N_(
                "Projects without an end year are counted to the catalog's year (1 Jan. {year}); "
                "--til-i-dag counts them to the latest figures."
            ).format(year=CATALOG_YEAR + 1)
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


def summary_line(entry: Entry, until_today: bool = False) -> PopulationSpan | None:
    """`show`'s line: population at the first project's start and the last's
    end, against the rest of the 2012 county, on 2012 borders."""
    try:
        area = area_of(entry)
    except QueryError:
        return None
    data = population()
    periods = periods_of(entry, data.years[-1], until_today)
    if not periods:
        return None
    # Projects all before the figures: the line says there are none for them.
    start, end = measured_years(periods, data) or (
        min(p.start for p in periods),
        max(p.end for p in periods),
    )
    own = _series(area.kommuner, (start, end))  # two years, not all: `show` stays quick
    moved = change(own, start, end)
    first, last = own.get(start), own.get(end)
    span = PopulationSpan(
        start,
        end,
        first.persons if first else None,
        last.persons if last else None,
        moved.persons,
        moved.percent,
    )
    if first and last and first.borders != last.borders:
        span.end_borders = last.borders
    if moved.persons is None:
        return span
    span.borders = first.borders if first else None
    other = reference_area("fylke", area, data, start, (start, end))
    span.reference = other.short
    span.reference_percent = change(other.figures, start, end).percent
    return span


def span_change(
    entry: Entry,
    data: PopulationData,
    span: tuple[int | None, int | None] = (None, None),
    until_today: bool = False,
) -> GrowthEntry | None:
    """The entry's population change over all its projects (first start with
    figures to last end; within `span`, the years asked for), against the
    rest of its 2012 county on the same borders; None if unknown."""
    try:
        area = area_of(entry)
    except QueryError:
        return None
    years = measured_years(periods_of(entry, data.years[-1], until_today), data)
    if years is None:
        return None
    start, end = years
    if span[0] is not None:
        start = max(start, span[0])
    if span[1] is not None:
        end = min(end, span[1] + 1)
    if end <= start:
        return None
    own = change(_series(area.kommuner), start, end)
    other = change(reference_area("fylke", area, data, start).figures, start, end)
    if own.percent is None or other.percent is None or own.borders is None:
        return None
    return GrowthEntry(
        slug=entry.slug,
        title=entry.title,
        area=area.name,
        start=start,
        end=end,
        borders=own.borders,
        percent=own.percent,
        reference_percent=other.percent,
        difference=round(own.percent - other.percent, 2),
    )


def growth_summary(
    entries: list[Entry],
    span: tuple[int | None, int | None] = (None, None),
    until_today: bool = False,
) -> GrowthSummary:
    """How many entries grew over their project periods (within `span`), and
    how many grew more than the rest of their 2012 county."""
    data = population()
    found = [c for c in (span_change(e, data, span, until_today) for e in entries) if c]
    return GrowthSummary(
        with_figures=len(found),
        without_figures=len(entries) - len(found),
        grew=sum(1 for c in found if c.percent > 0),
        declined=sum(1 for c in found if c.percent <= 0),
        better=sum(1 for c in found if c.difference > 0),
        weaker=sum(1 for c in found if c.difference <= 0),
        span_from=span[0],
        span_to=span[1],
        borders=BORDERS_2012,
        entries=found,
        source=ATTRIBUTION,
        note=CAVEAT,
    )
