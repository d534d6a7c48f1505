"""Municipalities, counties and regions: the reference tables and how an
entry's places are found in them.

The catalog's era is 2012 (Holtålen was 1644 in Sør-Trøndelag); today the
same place is 5026 in Trøndelag. Every place keeps both.
"""

from __future__ import annotations

import csv
import re
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from tilflytting.core.fold import fold, key
from tilflytting.core.model import Place


def data_dir() -> Path:
    """The bundled data: inside the installed package, or `data/` in a checkout."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "data"
    return installed if (installed / "kommuner.csv").exists() else package.parent / "data"


class Kommune(NamedTuple):
    """A municipality of the reference table (tuples: 447 of them are read on
    every start that needs places, much faster than frozen dataclasses)."""

    name: str
    nr_2012: str
    fylke_2012: str
    nr_2020: str
    nr_2024: str
    fylke_2024: str
    merged_into: str
    merged_year: str = ""


class Fylke(NamedTuple):
    name: str
    valid_from: str
    valid_to: str
    became: str


class Reference:
    """The reference tables, indexed for lookups by folded name and number."""

    def __init__(self, kommuner: list[Kommune], fylker: list[Fylke], regions: dict[str, list[str]]):
        self.kommuner = kommuner
        self.fylker = fylker
        self.regions = regions

    # The indexes are built on first use: `show` needs none of them.
    @cached_property
    def by_name(self) -> dict[str, list[Kommune]]:
        index: dict[str, list[Kommune]] = {}
        for kommune in self.kommuner:
            index.setdefault(key(kommune.name), []).append(kommune)
        return index

    @cached_property
    def by_number(self) -> dict[str, list[Kommune]]:
        index: dict[str, list[Kommune]] = {}
        for kommune in self.kommuner:
            for number in {kommune.nr_2012, kommune.nr_2020, kommune.nr_2024} - {""}:
                index.setdefault(number, []).append(kommune)
        return index

    @cached_property
    def county_names(self) -> dict[str, str]:
        return {key(f.name): f.name for f in self.fylker}

    @cached_property
    def old_counties(self) -> dict[str, str]:
        return {key(f.name): f.name for f in self.fylker if not f.valid_from}

    # -- municipalities --------------------------------------------------
    def existing_2012(self, name: str) -> list[Kommune]:
        return [k for k in self.by_name.get(key(name), []) if k.nr_2012]

    def successors(self, kommune: Kommune) -> list[Kommune]:
        """The 2024 municipality (or, after a split, municipalities) of `kommune`."""
        if kommune.nr_2024:
            return [kommune]
        result: list[Kommune] = []
        for target in kommune.merged_into.split(";"):
            for candidate in self.by_name.get(key(target), []):
                if candidate.nr_2024 or candidate.merged_into:
                    result.extend(self.successors(candidate))
                    break
        return result

    def place(self, kommune: Kommune) -> list[Place]:
        return [
            Place(
                "kommune",
                kommune.name,
                kommune.nr_2012 or None,
                kommune.fylke_2012 or None,
                now.name,
                now.nr_2024,
                now.fylke_2024,
            )
            for now in self.successors(kommune) or [kommune]
        ]

    # -- counties --------------------------------------------------------
    def county(self, text: str) -> str | None:
        """The county named by `text` (any era, any case, with or without æøå)."""
        return self.county_names.get(key(text))

    def county_2024(self, name: str) -> str | None:
        """What a county of any era is called under the 2024 structure."""
        for fylke in self.fylker:
            if fylke.name == name and not fylke.valid_to:
                return name
        for fylke in self.fylker:
            if fylke.name == name and fylke.became:
                choices = [c.strip() for c in fylke.became.split(";")]
                pick = name if name in choices else choices[0]
                return pick if pick == name else self.county_2024(pick)
        return None

    def counties_in(self, text: str) -> list[str]:
        """County names of 2012 or later written anywhere in `text`, longest first
        so that `Sør-Trøndelag` is not also read as `Trøndelag`."""
        folded = key(text)
        found: list[str] = []
        for county_key in sorted(self.county_names, key=len, reverse=True):
            if county_key in folded:
                folded = folded.replace(county_key, "|")
                found.append(self.county_names[county_key])
        return found


@cache
def reference() -> Reference:
    """Load the bundled reference tables once per process."""
    base = data_dir()
    kommuner = [Kommune(*(r[c] for c in Kommune._fields)) for r in _rows(base / "kommuner.csv")]
    fylker = [
        Fylke(r["fylke"], r["valid_from"], r["valid_to"], r["became"])
        for r in _rows(base / "fylker.csv")
    ]
    regions = {
        r["region"]: [c.strip() for c in r["fylker_2012"].split(";")]
        for r in _rows(base / "regioner.csv")
    }
    return Reference(kommuner, fylker, regions)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return [dict(zip(header, row, strict=True)) for row in reader]


# Municipality names that are also everyday words or very short: in running
# text they count only in a list of municipalities or next to "kommune".
_COMMON = {"time", "sola", "moss", "vik", "re", "hole", "lund", "ski", "fet", "sel", "vang", "nes"}
_NAME_RUN = re.compile(r"[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[A-ZÆØÅ][\wæøåÆØÅ-]*){0,2}")
_MUNICIPAL_LIST = re.compile(
    r"kommun(?:ene|ane|ar|er)\s+((?:[A-ZÆØÅ][\w-]*(?:,\s*|\s+og\s+)?)+)", re.UNICODE
)


def names_in(text: str, allow_common: bool = False) -> list[Kommune]:
    """2012 municipalities named in `text`, in order, each once."""
    ref = reference()
    found: list[Kommune] = []
    for match in _NAME_RUN.finditer(text):
        words = match.group(0).split()
        # Longest run first: "Stor-Elvdal", "Indre Fosen", "Sogn og Fjordane".
        for size in range(len(words), 0, -1):
            name = " ".join(words[:size])
            follows = text[match.start() + len(name) : match.start() + len(name) + 9]
            common = key(name) in _COMMON and not follows.strip().startswith("kommune")
            if common and not allow_common:
                continue
            hits = ref.existing_2012(name)
            if hits:
                found.extend(k for k in hits if k not in found)
                break
    return found


def municipal_lists(text: str) -> list[Kommune]:
    """Municipalities listed after `kommunene`/`kommunane`: `kommunane Andøy, Bø og Øksnes`."""
    found: list[Kommune] = []
    for match in _MUNICIPAL_LIST.finditer(text):
        for kommune in names_in(match.group(1), allow_common=True):
            if kommune not in found:
                found.append(kommune)
    return found


def regions_in(text: str) -> list[str]:
    """Known regions named in `text` (also inside names such as `LevVesterålen`)."""
    spaced = fold(re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", text))
    counties = [
        m.span() for c in reference().county_names.values() for m in _word(c).finditer(spaced)
    ]
    found = []
    for region in reference().regions:
        for match in _word(region).finditer(spaced):
            # "Møre og Romsdal" is no Romsdal, but "Vest-Telemark" is more than Telemark.
            if not any(start <= match.start() and match.end() <= end for start, end in counties):
                found.append(region)
                break
    return found


@cache
def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])")
