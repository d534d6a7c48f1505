"""Population figures from SSB table 07459: the bundled file (or a newer
one kept by `folketall --update`), read lazily, and the check a new file
must pass before it is used.

Figures are the population on 1 January on the 2024 municipal structure
(data/folkemengde.csv).
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache, cached_property
from pathlib import Path

from tilflytting.core.paths import user_dir
from tilflytting.reference.places import data_dir, reference

ATTRIBUTION = "Befolkning: Statistisk sentralbyrå (SSB), Statistikkbanken tabell 07459 (NLOD 2.0)"
COLUMNS = ["kommunenummer", "aar", "folkemengde", "grenser"]


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
