"""Municipalities, counties and regions: the reference tables and how an
entry's places are found in them.

The catalog's era is 2012 (Holtålen was 1644 in Sør-Trøndelag); today the
same place is 5026 in Trøndelag. Every place keeps both. Counties are known
in every era (2012, Trøndelag from 2018, the 2020 and the 2024 counties),
by name and number; regions (data/regioner.csv) by name and alias, with
their member municipalities (2012 numbers).
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Any, NamedTuple

from tilflytting.core.fold import key
from tilflytting.core.i18n import _
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
    fylke_2020: str
    nr_2024: str
    fylke_2024: str
    merged_into: str
    merged_year: str = ""
    dissolved_year: str = ""
    parallel_name: str = (
        ""  # the official name in all its languages: `Gáivuotna - Kåfjord - Kaivuono`
    )


class Fylke(NamedTuple):
    name: str
    valid_from: str
    valid_to: str
    became: str
    nr: str = ""


class Region(NamedTuple):
    """A district, regional council or SSB economic region of about 2012."""

    name: str
    aliases: tuple[str, ...]
    type: str  # distrikt, regionrad or okonomisk
    members: tuple[str, ...]  # 2012 municipality numbers
    counties: tuple[str, ...]  # 2012 counties the members lie in


class Fylker(NamedTuple):
    """What a `--fylke` value stands for: the county names (of any era) a
    county-only place may carry, and the 2012 numbers of the municipalities
    that lay in the county in its own era."""

    names: tuple[str, ...]
    numbers: tuple[str, ...]


class UnknownPlace(ValueError):
    """A county, municipality or region that the reference tables lack; the
    message suggests close names where there are any."""


class Reference:
    """The reference tables, indexed for lookups by folded name and number."""

    def __init__(
        self,
        kommuner: list[Kommune],
        fylker: list[Fylke],
        regions: dict[str, Region] | None = None,
        extra_aliases: dict[str, str] | None = None,
    ):
        self.kommuner = kommuner
        self.fylker = fylker
        if regions is not None:  # else read from data/ on first use
            self.regions = regions
            self.extra_aliases = extra_aliases or {}

    # The regions are read on first use: `show` needs none (1 ms a start).
    @cached_property
    def regions(self) -> dict[str, Region]:
        return {
            r["region"]: Region(
                r["region"],
                _split(r["alias"]),
                r["type"],
                _split(r["kommuner_2012"]),
                _split(r["fylker_2012"]),
            )
            for r in _rows(data_dir() / "regioner.csv")
        }

    @cached_property
    def extra_aliases(self) -> dict[str, str]:
        return {r["alias"]: r["region"] for r in _rows(data_dir() / "regioner_tillegg.csv")}

    # The indexes are built on first use: `show` needs none of them.
    @cached_property
    def by_name(self) -> dict[str, list[Kommune]]:
        index: dict[str, list[Kommune]] = {}
        for kommune in self.kommuner:
            index.setdefault(key(kommune.name), []).append(kommune)
        return index

    @cached_property
    def by_other_name(self) -> dict[str, list[Kommune]]:
        """By the names a user may also write: each part of a parallel name
        (Sami and Kven forms, `Gáivuotna`), and a name held in 2012 that
        the municipality no longer has (data/tidligere_navn.csv: Nes in
        Buskerud, now Nesbyen)."""
        index: dict[str, list[Kommune]] = {}
        for kommune in self.kommuner:
            for name in kommune.parallel_name.split(" - "):
                if name.strip() and key(name) != key(kommune.name):
                    index.setdefault(key(name), []).append(kommune)
        by_number = {k.nr_2012: k for k in self.kommuner if k.nr_2012}
        for row in _rows(data_dir() / "tidligere_navn.csv"):
            former = by_number.get(row["nr_2012"])
            if former is not None:
                index.setdefault(key(row["navn"]), []).append(former)
        return index

    def named(self, name: str) -> list[Kommune]:
        """The municipalities a user means by `name`: by their name, or by
        another name they have or had (`by_other_name`)."""
        found = self.by_name.get(key(name), [])
        other = self.by_other_name.get(key(name), [])
        return found + [k for k in other if k not in found] if other else found

    def counties_over_time(self, kommune: Kommune) -> set[str]:
        """Every county `kommune` lay in, 2012 to 2024: its own, and those of
        the municipalities it merged into (Orkdal: Sør-Trøndelag, then, as
        part of Orkland, Trøndelag)."""
        found = {kommune.fylke_2012, kommune.fylke_2020, kommune.fylke_2024}
        for target in kommune.merged_into.split(";"):
            for candidate in self.by_name.get(key(target), []):
                if candidate.nr_2020 or candidate.nr_2024 or candidate.merged_into:
                    found |= self.counties_over_time(candidate)
                    break
        return found - {""}

    @cached_property
    def by_exact_name(self) -> dict[str, list[Kommune]]:
        """By name as written (no folding: cheaper where names come from the
        tables themselves, as `merged_into` does)."""
        index: dict[str, list[Kommune]] = {}
        for kommune in self.kommuner:
            index.setdefault(kommune.name, []).append(kommune)
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

    @cached_property
    def by_2012_number(self) -> dict[str, Kommune]:
        return {k.nr_2012: k for k in self.kommuner if k.nr_2012}

    def fylker_named(self, text: str) -> Fylker:
        """A county of any era by name or number (`Troms og Finnmark`, `54`,
        `Sør-Trøndelag`, `16`, `Viken`). Raises UnknownPlace."""
        typed = text.strip()
        if typed.isdigit():
            rows = [f for f in self.fylker if f.nr == typed.zfill(2)]
        else:
            rows = [f for f in self.fylker if key(f.name) == key(typed)]
        if not rows:
            known = sorted({f.name for f in self.fylker})
            raise UnknownPlace(_unknown(_("unknown county '{name}'"), typed, known))
        names = {f.name for f in rows}
        numbers = {
            k.nr_2012 for k in self.kommuner if k.nr_2012 and names & self.counties_over_time(k)
        }
        # A county-only place of another era is in when most of its county is.
        for column in ("fylke_2012", "fylke_2024"):
            sizes: dict[str, list[bool]] = {}
            for k in self.kommuner:
                county = getattr(k, column)
                if county and k.nr_2012:
                    sizes.setdefault(county, []).append(k.nr_2012 in numbers)
            names |= {c for c, inside in sizes.items() if sum(inside) * 2 > len(inside)}
        return Fylker(tuple(sorted(names)), tuple(sorted(numbers)))

    # -- municipalities, as a user or a YAML entry writes them ----------------
    def kommuner_named(self, text: str) -> list[Kommune]:
        """Municipalities by number (any era) or name, also with a county or
        region to choose among namesakes: `Herøy (Nordland)`, `Nes (Akershus)`,
        `Bø i Vesterålen`, `Bø i Telemark`. Several only for a bare namesake.
        Raises UnknownPlace."""
        typed = " ".join(text.split())
        if typed.isdigit():
            hits = self.by_number.get(typed.zfill(4), [])
        else:
            hits = self.named(typed)
            qualified = _QUALIFIER.match(typed)
            if not hits and qualified:
                name = qualified.group(1) or qualified.group(3)
                where = qualified.group(2) or qualified.group(4)
                hits = [k for k in self.named(name) if self._lies_in(k, where)]
        if not hits:
            names = sorted({k.name for k in self.kommuner})
            raise UnknownPlace(_unknown(_("unknown municipality '{name}'"), typed, names))
        return hits

    def _lies_in(self, kommune: Kommune, where: str) -> bool:
        """Whether `kommune` lies in the county (any era) or region `where`."""
        wanted = key(where)
        if any(key(c) == wanted for c in self.counties_over_time(kommune)):
            return True
        region = self.region(where)
        return region is not None and kommune.nr_2012 in region.members

    # -- regions ----------------------------------------------------------------
    @cached_property
    def region_keys(self) -> dict[str, Region]:
        """Regions by the folded form of their names and aliases."""
        index: dict[str, Region] = {}
        for region in self.regions.values():
            for name in (region.name, *region.aliases):
                index.setdefault(key(name), region)
        for alias, name in self.extra_aliases.items():
            if name in self.regions:
                index.setdefault(key(alias), self.regions[name])
        return index

    def region(self, text: str) -> Region | None:
        """A region by name or alias, also written `Xregionen`, `X-regionen`,
        `Xrådet` or `X regionråd` (Valdresregionen, Haugalandrådet)."""
        wanted = key(text)
        found = self.region_keys.get(wanted)
        if found is None:
            stem = re.sub(r"(?:-?regionen|-?radet| regionrad)$", "", wanted)
            found = self.region_keys.get(stem) if stem != wanted else None
        return found

    def region_named(self, text: str) -> Region:
        """`region`, or UnknownPlace with close names."""
        found = self.region(text)
        if found is None:
            names = sorted({r.name for r in self.regions.values()})
            raise UnknownPlace(_unknown(_("unknown region '{name}'"), text.strip(), names))
        return found


@cache
def reference() -> Reference:
    """Load the bundled reference tables once per process (the regions when
    first asked for)."""
    base = data_dir()
    with (base / "kommuner.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = [header.index(name) for name in Kommune._fields]
        kommuner = [Kommune._make([row[c] for c in columns]) for row in reader]
    fylker = [
        Fylke(r["fylke"], r["valid_from"], r["valid_to"], r["became"], r["nr"])
        for r in _rows(base / "fylker.csv")
    ]
    return Reference(kommuner, fylker)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


# `Herøy (Nordland)`, `Bø i Vesterålen`.
_QUALIFIER = re.compile(r"^(.+?)\s*\((.+)\)$|^(.+?)\s+i\s+(.+)$")


def _unknown(message: str, typed: str, names: list[str]) -> str:
    """`unknown county 'Sogn'; did you mean Sogn og Fjordane?`: only close
    names (by spelling, or names the typed text begins a word of)."""
    folded = {key(name): name for name in names}
    wanted = key(typed)
    close = difflib.get_close_matches(wanted, list(folded), n=3, cutoff=0.75)
    if len(wanted) >= 3:
        close += [k for k in folded if re.search(rf"(?<![a-z]){re.escape(wanted)}", k)]
    shown = list(dict.fromkeys(folded[c] for c in close))[:3]
    hint = _("; did you mean {names}?").format(names=", ".join(shown)) if shown else ""
    return message.format(name=typed) + hint


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
            hits = [k for k in ref.existing_2012(name) if _written_as(name, k.name)]
            if hits:
                found.extend(k for k in hits if k not in found)
                break
    return found


def _written_as(written: str, name: str) -> bool:
    """Whether `written` in running text is `name`: as spelt (any case), or
    without its æøå where the name is long enough not to be another word
    ("Bo" is no Bø, "Holtalen" is Holtålen)."""
    return written.casefold() == name.casefold() or (written.isascii() and len(name) > 3)


def municipal_lists(text: str) -> list[Kommune]:
    """Municipalities listed after `kommunene`/`kommunane`: `kommunane Andøy, Bø og Øksnes`."""
    found: list[Kommune] = []
    for match in _MUNICIPAL_LIST.finditer(text):
        for kommune in names_in(match.group(1), allow_common=True):
            if kommune not in found:
                found.append(kommune)
    return found


def regions_in(text: str) -> list[str]:
    """Known regions named in `text`, in order, each once: by name or alias
    as written (capitalised, so that `lister` or `land` in running text are
    no regions), also inside names (`LevVesterålen`) and as `Valdresregionen`,
    `Haugalandrådet`. A county's name is no region (`Møre og Romsdal` is no
    Romsdal)."""
    spaced = re.sub(r"(?<=[a-zæøå])(?=[A-ZÆØÅ])", " ", text)
    found: list[str] = []
    for match in _region_pattern().finditer(spaced):
        region = reference().region(match.group(1))
        if region is not None and region.name not in found:
            found.append(region.name)
    return found


@cache
def _region_pattern() -> re.Pattern[str]:
    ref = reference()
    names = {n for r in ref.regions.values() for n in (r.name, *r.aliases)}
    names |= set(ref.extra_aliases)
    counties = {f.name for f in ref.fylker}
    # Counties among the names: `Møre og Romsdal` is found whole, not as Romsdal.
    words = names | counties
    either = one_of(words)
    # Only where a name can begin: the look-ahead lets the engine skip the
    # other letters of a page at once (whole pages 40 → 19 µs).
    first = re.escape("".join(sorted({word[0] for word in words})))
    suffix = "(?:-?regionen|rådet| regionråd)?"
    return re.compile(rf"(?=[{first}])(?<![\w-])({either}{suffix})(?![\w-])")


def one_of(words: Iterable[str]) -> str:
    """A regular expression for any of `words`, the longest that fits first,
    shaped as a trie: `Nord(?:-(?:Gudbrandsdal|Troms)|fjord)?`. The same
    matches as `|`.join of the words longest first (every word that fits at
    a place is a prefix of the same text, and the trie tries the longer
    first), but tried letter by letter instead of word after word: on a
    whole page 344 names and counties cost 265 µs as one alternation, and a
    trie 40 µs (tests/test_places.py compares the two)."""
    trie: dict[str, dict[str, Any]] = {}
    for word in words:
        node = trie
        for letter in word:
            node = node.setdefault(letter, {})
        node[""] = {}  # a word ends here
    return _trie(trie)


def _trie(node: dict[str, dict[str, Any]]) -> str:
    branches = [re.escape(letter) + _trie(rest) for letter, rest in sorted(node.items()) if letter]
    if not branches:
        return ""
    either = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    # Greedy: a longer word is tried before the one that ends here.
    return f"(?:{either})?" if "" in node else either
