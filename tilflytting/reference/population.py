"""Population figures from SSB table 07459, on the catalog's borders.

The figures are SSB's own, per municipality number in use each year
(data/folkemengde_per_nummer.csv, 2005–2026; number `0` is the country), or
a newer file of the same columns kept by `folketall --update`. A 2012
municipality's area is followed through the years (`units`): its 2012
number while in use, the number its unchanged area had later (Holtålen
1644, then 5026), and, once it merged or another municipality joined it,
the numbers of the larger area, marked with the year those borders began.
Nothing is estimated or shared out.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from tilflytting.core.clock import CATALOG_YEAR
from tilflytting.core.files import NotRegularFile, not_a_file, read_limited
from tilflytting.core.i18n import N_, _, localise
from tilflytting.core.paths import user_dir
from tilflytting.reference.places import Kommune, data_dir, reference

ATTRIBUTION = "Befolkning: Statistisk sentralbyrå (SSB), Statistikkbanken tabell 07459 (NLOD 2.0)"
COLUMNS = ["nummer", "aar", "folkemengde"]
COUNTRY = "0"
BUNDLED = "folkemengde_per_nummer.csv"


Series = dict[int, int]  # year -> population on 1 January
_YEAR_COUNT = re.compile(r"(\d+),(\d+)")


class PopulationData:
    """Population per municipality number and year. A number's figures are
    read from the file's text when first asked for: `show` needs a few of
    about 900, and reading them all costs every `show` several ms."""

    def __init__(self, text: str) -> None:
        self._text = "\n" + text.partition("\n")[2]  # the rows, each after a newline
        self._series: dict[str, Series] = {}
        self._all: dict[str, Series] | None = None

    def series(self, number: str) -> Series:
        if number not in self._series:
            # Each row "\nNUMBER,YEAR,COUNT" found by str.find: a regex per
            # number cost a compile each (26 for `show`'s line, 2 ms).
            text, key, found = self._text, f"\n{number},", {}
            at = text.find(key)
            while at != -1:
                row = _YEAR_COUNT.match(text, at + len(key))
                if row:
                    found[int(row[1])] = int(row[2])
                at = text.find(key, row.end() if row else at + 1)
            self._series[number] = found
        return self._series[number]

    def prefetch(self, numbers: Iterable[str]) -> None:
        """Read several numbers' figures in one pass (the rest of a county:
        about 25 numbers, 1 ms instead of 2.5)."""
        wanted = sorted(set(numbers) - set(self._series), key=len, reverse=True)
        if len(wanted) < 2:
            return
        found: dict[str, Series] = {number: {} for number in wanted}
        pattern = "|".join(map(re.escape, wanted))
        for number, year, count in re.findall(rf"\n({pattern}),(\d+),(\d+)", self._text):
            found[number][int(year)] = int(count)
        self._series.update(found)

    @property
    def rows(self) -> dict[str, Series]:
        """Every number's figures (read once, when all are asked for)."""
        if self._all is None:
            self._all = {}
            for line in self._text.split("\n"):
                if line:
                    number, year, count = line.split(",")[:3]
                    self._all.setdefault(number, {})[int(year)] = int(count)
            self._series = self._all
        return self._all

    @cached_property
    def years(self) -> list[int]:
        """Every year the country has a figure for."""
        return sorted(self.series(COUNTRY))

    def total(self, numbers: list[str]) -> Series:
        """The sum per year; a year any of them lacks is left out."""
        series = [self.series(n) for n in numbers]
        if not series:
            return {}
        years = sorted(set(series[0]).intersection(*series[1:]))
        return {year: sum(s[year] for s in series) for year in years}


# -- a 2012 municipality through the years -------------------------------------------
class Unit(NamedTuple):
    """What stands for a 2012 municipality in one year: the numbers whose
    figures are summed, and the year the borders of that area began
    (CATALOG_YEAR: the municipality as it was in 2012)."""

    numbers: tuple[str, ...]
    borders: int


class Change(NamedTuple):
    """A change of borders that an area's figures follow from `year` on."""

    year: int
    kommune: str  # the 2012 municipality whose figures change
    merged_into: tuple[str, ...]  # it became part of these (empty: others joined it)
    joined: tuple[str, ...]  # these became part of it
    left: tuple[str, ...] = ()  # these left it again (Haram left Ålesund in 2024)


@cache
def _numbers_in_use() -> dict[str, list[tuple[tuple[str, ...], int, int]]]:
    """Numbers kommuner.csv has no column for (data/nummer_i_bruk.csv): the
    2013–2019 numbers (Trøndelag 2018–2019, Harstad 2013–2019, ...) and the
    predecessors summed before a 2012 municipality was formed."""
    found: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
    with (data_dir() / "nummer_i_bruk.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            numbers = tuple(row["nummer"].split("+"))
            found.setdefault(row["kommune"], []).append((numbers, int(row["fra"]), int(row["til"])))
    return found


def successors_of(kommune: Kommune) -> list[Kommune]:
    """The municipalities `kommune` became part of (two for a split)."""
    if not kommune.merged_into:
        return []
    year = int(kommune.merged_year or 0)
    ref = reference()
    found: list[Kommune] = []
    for name in (n.strip() for n in kommune.merged_into.split(";")):
        for candidate in ref.by_exact_name.get(name, []):
            if not (candidate.merged_year and int(candidate.merged_year) <= year):
                found.append(candidate)
    return found


def _reestablished(kommune: Kommune) -> int | None:
    """The year a merged municipality came back (Haram, 2024), if it did."""
    if kommune.merged_into and kommune.nr_2024 and not kommune.dissolved_year:
        return 2024 if kommune.nr_2024 not in (kommune.nr_2012, kommune.nr_2020) else None
    return None


@cache
def _growth() -> dict[Kommune, list[tuple[int, Kommune]]]:
    """(year, municipality that joined) for every municipality others joined."""
    grown: dict[Kommune, list[tuple[int, Kommune]]] = {}
    for kommune in reference().kommuner:
        for successor in successors_of(kommune):
            grown.setdefault(successor, []).append((int(kommune.merged_year), kommune))
    return grown


@cache
def _shrunk() -> dict[Kommune, list[tuple[int, Kommune]]]:
    """(year, municipality that left) for every municipality one left again."""
    left: dict[Kommune, list[tuple[int, Kommune]]] = {}
    for kommune in reference().kommuner:
        back = _reestablished(kommune)
        if back is not None:
            for successor in successors_of(kommune):
                left.setdefault(successor, []).append((back, kommune))
    return left


def units(kommune: Kommune, year: int, data: PopulationData) -> Unit | None:
    """The numbers whose SSB figures make up `kommune`'s area in `year`, or,
    after it merged, its successor's; None where there is no figure."""
    back = _reestablished(kommune)
    if back is not None and year >= back and year in data.series(kommune.nr_2024):
        return Unit((kommune.nr_2024,), back)
    if kommune.merged_year and year >= int(kommune.merged_year):
        parts = [units(s, year, data) for s in successors_of(kommune)]
        if not parts or any(p is None for p in parts):
            return None
        numbers = tuple(dict.fromkeys(n for p in parts if p for n in p.numbers))
        borders = max([int(kommune.merged_year), *(p.borders for p in parts if p)])
        return Unit(numbers, borders)
    for numbers in _candidates(kommune, year):
        if all(year in data.series(n) for n in numbers):
            moved = [*_growth().get(kommune, []), *_shrunk().get(kommune, [])]
            return Unit(numbers, max((y for y, _ in moved if y <= year), default=CATALOG_YEAR))
    return None


def _candidates(kommune: Kommune, year: int) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [(kommune.nr_2012,)] if kommune.nr_2012 else []
    found += [
        n for n, first, last in _numbers_in_use().get(kommune.name, []) if first <= year <= last
    ]
    found += [(n,) for n in (kommune.nr_2020, kommune.nr_2024) if n]
    return found


def changes(kommune: Kommune, first: int, last: int) -> list[Change]:
    """The changes of borders `kommune`'s figures follow between the years."""
    found: list[Change] = []
    for year, joined in _growth().get(kommune, []):
        if first < year <= last:
            found.append(Change(year, kommune.name, (), (joined.name,)))
    for year, left in _shrunk().get(kommune, []):
        if first < year <= last:
            found.append(Change(year, kommune.name, (), (), (left.name,)))
    if kommune.merged_year and first < int(kommune.merged_year) <= last:
        year = int(kommune.merged_year)
        successors = successors_of(kommune)
        found.append(Change(year, kommune.name, tuple(s.name for s in successors), ()))
        for successor in successors:
            for change in changes(successor, year, last):
                found.append(change._replace(kommune=successor.name))
    return _merged(found)


def _merged(found: list[Change]) -> list[Change]:
    """One change per year and municipality (Hamarøy: two joined at once)."""
    merged: dict[tuple[int, str, tuple[str, ...]], Change] = {}
    for change in found:
        at = (change.year, change.kommune, change.merged_into)
        before = merged.get(at)
        joined = (*before.joined, *change.joined) if before else change.joined
        left = (*before.left, *change.left) if before else change.left
        merged[at] = change._replace(
            joined=tuple(dict.fromkeys(joined)), left=tuple(dict.fromkeys(left))
        )
    return sorted(merged.values())


class Figure(NamedTuple):
    persons: int
    borders: int  # the year the borders of the figure's area began (CATALOG_YEAR: 2012's)


def area_series(
    kommuner: tuple[Kommune, ...], data: PopulationData, years: tuple[int, ...] | None = None
) -> dict[int, Figure]:
    """The summed figures of 2012 municipalities, each number once (two that
    merged count their new municipality once), year by year; a year where
    any lacks a figure is left out."""
    found: dict[int, Figure] = {}
    wanted = set(kommuner)
    data.prefetch(n for k in kommuner for n in (k.nr_2012, k.nr_2020, k.nr_2024) if n)
    for year in data.years if years is None else years:
        parts = [units(k, year, data) for k in kommuner]
        if not parts or any(p is None for p in parts):
            continue
        numbers = dict.fromkeys(n for p in parts if p for n in p.numbers)
        # A merger inside the set (Harstad and Bjarkøy, both in the rest of
        # Troms) leaves the sum on the 2012 borders: the same land and people.
        borders = max(p.borders for p in parts if p)
        if borders != CATALOG_YEAR and _owners(tuple(numbers), year, data) == wanted:
            borders = CATALOG_YEAR
        found[year] = Figure(sum(data.series(n)[year] for n in numbers), borders)
    return found


def _owners(numbers: tuple[str, ...], year: int, data: PopulationData) -> set[Kommune]:
    """The 2012 municipalities whose areas these numbers of `year` hold."""
    found: set[Kommune] = set()
    for number in numbers:
        for kommune in _possible().get(number, ()):
            unit = units(kommune, year, data)
            if unit is not None and number in unit.numbers:
                found.add(kommune)
    return found


@cache
def _possible() -> dict[str, list[Kommune]]:
    """The 2012 municipalities each number may hold in some year: their
    own numbers and those of what they became."""
    possible: dict[str, list[Kommune]] = {}

    def numbers(kommune: Kommune, seen: set[Kommune]) -> set[str]:
        found = {n for n in (kommune.nr_2012, kommune.nr_2020, kommune.nr_2024) if n}
        found |= {n for ns, _, _ in _numbers_in_use().get(kommune.name, []) for n in ns}
        for successor in successors_of(kommune):
            if successor not in seen:
                found |= numbers(successor, seen | {successor})
        return found

    for kommune in reference().kommuner:
        if kommune.nr_2012:
            for number in numbers(kommune, {kommune}):
                possible.setdefault(number, []).append(kommune)
    return possible


# -- the file in use ---------------------------------------------------------------------
def user_file() -> Path:
    """Where `folketall --update` keeps a newer file (the user's data folder).
    A file kept by an older version (folkemengde.csv, on 2024 borders) is a
    different file, and is not read."""
    return user_dir() / BUNDLED


def bundled_file() -> Path:
    return data_dir() / BUNDLED


# The user's file as `--update` writes it: the header, then rows of a
# municipality number (4 digits, 0 for the country), a year and a count above
# 0 (a count of 0 would divide by zero in an index). Checked in one pass (1-2
# ms) before it is used: it may have been edited, cut short or replaced since
# `--update` checked it.
_ROWS = re.compile(r"(?:(?:0|\d{4}),(?:19|20)\d\d,[1-9]\d{0,8}\r?\n)*")
_passed_over: list[str] = []  # why the user's file was not used, until asked


@cache
def population() -> PopulationData:
    """The figures in use: the user's file when it is a regular, readable,
    well-formed file, else the bundled figures, the reason kept for
    `passed_over` (this layer prints nothing). The bundled file is checked
    by the tests; either is read only as far as asked."""
    path = user_file()
    _passed_over.clear()
    try:
        text = _user_text(path)
    except ValueError as exc:
        _passed_over.append(
            _("{path}: {problem}; the bundled population figures are used instead").format(
                path=path, problem=exc
            )
        )
        text = None
    return PopulationData(text if text is not None else bundled_file().read_text("utf-8"))


def passed_over() -> str | None:
    """Why the figures came from the bundled file although the user's data
    folder holds a population file (one line, in the run's language), once:
    None when the user's file was used or is absent, or when this was asked
    already. The command says it on stderr."""
    return _passed_over.pop() if _passed_over else None


def _user_text(path: Path) -> str | None:
    """The user's file as text; None if there is none; ValueError (in words
    for the user) if it cannot be used. Opened without blocking and read
    only if it is a regular file: a named pipe would hang, a folder fail."""
    try:
        data = read_limited(path, MAX_UPDATE_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return None  # no file (or the data folder is not a folder): the bundled figures
    except NotRegularFile as exc:
        raise ValueError(localise(str(exc))) from None
    except PermissionError:
        raise ValueError(_("not allowed to read it")) from None
    except OSError as exc:
        raise ValueError(_("cannot read: {error}").format(error=exc.strerror or exc)) from None
    if len(data) > MAX_UPDATE_BYTES:
        raise ValueError(_("larger than {size} MB").format(size=MAX_UPDATE_BYTES // 1_000_000))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("not UTF-8 text")) from None
    header, _newline, body = text.partition("\n")
    columns = ",".join(COLUMNS)
    if header.rstrip("\r") != columns:
        raise ValueError(_("line 1: the columns must be {columns}").format(columns=columns))
    if body and not body.endswith("\n"):
        body += "\n"
    rows = _ROWS.match(body)
    end = rows.end() if rows else 0
    if end != len(body):
        line = body.count("\n", 0, end) + 2
        raise ValueError(
            _("line {line}: not a row of {columns}").format(line=line, columns=columns)
        )
    if not body.startswith(f"{COUNTRY},") and f"\n{COUNTRY}," not in body:
        raise ValueError(_("no national figures (number {number})").format(number=COUNTRY))
    return f"{columns}\n{body}"


# -- checking a new file ------------------------------------------------------------------
def parse_csv(text: str, bundled: dict[str, Series] | None = None) -> dict[str, Series]:
    """Read and check a population file; ValueError names the first problem.
    Cells may be quoted or padded (`"1644", 2013`). Every number and year of
    the bundled file (`bundled`) must be there, and each year's municipal
    figures must add up to the country's."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    header = [cell.strip() for cell in next(reader, [])]
    if header != COLUMNS:
        raise ValueError(
            _("line 1: the columns must be {columns}, not {header}").format(
                columns=",".join(COLUMNS), header=header
            )
        )
    rows: dict[str, Series] = {}
    for line, row in enumerate(reader, start=2):
        if not row or not "".join(row).strip():
            continue
        number, year, count = _checked(row, line)
        if year in rows.setdefault(number, {}):
            raise ValueError(
                _("line {line}: {number} {year} appears twice").format(
                    line=line, number=number, year=year
                )
            )
        rows[number][year] = count
    if not rows:
        raise ValueError(_("the file has no rows"))
    _check_totals(rows)
    if bundled is not None:
        _check_coverage(rows, bundled)
    return rows


def _checked(row: list[str], line: int) -> tuple[str, int, int]:
    if len(row) != len(COLUMNS):
        raise ValueError(
            _("line {line}: {count} columns, expected {expected}").format(
                line=line, count=len(row), expected=len(COLUMNS)
            )
        )
    number, year, count = (cell.strip() for cell in row)
    if not (number == COUNTRY or (len(number) == 4 and number.isdigit())):
        raise ValueError(
            _("line {line}: '{number}' is no municipality number (4 digits, or 0)").format(
                line=line, number=number
            )
        )
    if not (year.isdigit() and 1900 <= int(year) <= 2100):
        raise ValueError(_("line {line}: '{year}' is not a year").format(line=line, year=year))
    if not (count.isdigit() and int(count) > 0):
        raise ValueError(
            _("line {line}: '{count}' is not a population count").format(line=line, count=count)
        )
    return number, int(year), int(count)


def _check_totals(rows: dict[str, Series]) -> None:
    country = rows.get(COUNTRY, {})
    if not country:
        raise ValueError(_("no national figures (number {number})").format(number=COUNTRY))
    for year, total in sorted(country.items()):
        municipal = sum(s[year] for n, s in rows.items() if n != COUNTRY and year in s)
        if municipal != total:
            raise ValueError(
                _(
                    "{year}: the municipalities add up to {municipal}, the country has {total}"
                ).format(year=year, municipal=municipal, total=total)
            )


def _check_coverage(rows: dict[str, Series], bundled: dict[str, Series]) -> None:
    missing = [
        f"{number} {year}"
        for number, series in sorted(bundled.items())
        for year in sorted(series)
        if year not in rows.get(number, {})
    ]
    if missing:
        raise ValueError(
            _("figures the bundled file has are missing: {shown}").format(shown=_first(missing))
        )
    # A year after the bundled file's must have every municipality of its
    # last year: the borders are known only that far (a later reform needs
    # a newer tilflytting), and a year of the country and one municipality
    # would add up and still say nothing of the others.
    last = max(bundled[COUNTRY])
    in_use = sorted(n for n, series in bundled.items() if n != COUNTRY and last in series)
    for year in sorted(y for y in rows.get(COUNTRY, {}) if y > last):
        absent = [n for n in in_use if year not in rows.get(n, {})]
        if absent:
            raise ValueError(
                _(
                    "{year}: figures are missing for municipalities in use in {last}: {shown}"
                ).format(year=year, last=last, shown=_first(absent))
            )


def _first(items: list[str]) -> str:
    """The first five of `items`, and how many more."""
    return ", ".join(items[:5]) + (
        _(" and {count} more").format(count=len(items) - 5) if len(items) > 5 else ""
    )


def canonical(rows: dict[str, Series]) -> str:
    """The rows as the bundled file writes them: by number, then year."""
    lines = [",".join(COLUMNS)]
    for number in sorted(rows, key=lambda n: (n != COUNTRY, n)):
        lines += [f"{number},{year},{count}" for year, count in sorted(rows[number].items())]
    return "\n".join(lines) + "\n"


MAX_UPDATE_BYTES = 20_000_000


def update(path: Path) -> int:
    """Check `path` and make it the population file, written back in the
    canonical form; the old one stays until the new one has passed every
    check. Returns the number of rows."""
    # A regular file only (a named pipe would block, /dev/zero never end), and
    # no larger than a hundred times the bundled figures.
    data = read_limited(path, MAX_UPDATE_BYTES)
    if len(data) > MAX_UPDATE_BYTES:
        raise ValueError(_("larger than {size} MB").format(size=MAX_UPDATE_BYTES // 1_000_000))
    text = data.decode("utf-8-sig")
    bundled = PopulationData(bundled_file().read_text(encoding="utf-8")).rows
    rows = parse_csv(text, bundled)
    target = user_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(canonical(rows), encoding="utf-8")
    temporary.replace(target)  # atomic: readers see the old file or the new one
    population.cache_clear()
    return sum(len(series) for series in rows.values())


class ResetError(ValueError):
    """`--reset` could not remove the user's file (one line for the user)."""


def reset() -> bool:
    """Go back to the bundled figures; False if they were already in use.
    Whatever is at the user file's path is removed, a link or a named pipe
    too (never opened, so nothing hangs), except a folder: that was never
    made here, and ResetError says so. ResetError too when removing fails."""
    target = user_file()
    try:
        if stat.S_ISDIR(target.lstat().st_mode):
            raise ResetError(
                _("{path}: {error}; not removed: remove it yourself").format(
                    path=target, error=localise(not_a_file(N_("a folder")))
                )
            )
        target.unlink()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except PermissionError:
        raise ResetError(_("{path}: not allowed to remove it").format(path=target)) from None
    except OSError as exc:
        raise ResetError(
            _("{path}: cannot remove it: {error}").format(path=target, error=exc.strerror or exc)
        ) from None
    finally:
        population.cache_clear()
    return True
