"""Year periods as the catalog writes them.

Seen forms: `2005 – 2009`, `2008-2012`, `2010- 2020`, `2010-12`, `(2011-)`,
`2007 – til d.d.`, `fra og med 2012`, `2004 til 2014`, and typos such as
`20012`. A year that cannot be right is reported, never "fixed". Still
running is also written `2011 – pågående` and `pågående fra 2009` (nynorsk
`pågåande frå`); `pågående` alone is a period with no year, read only as a
whole (`parse_period`), never found in prose.

A single start year (`fra 2009`, `siden 2010`, nynorsk `frå`, `sidan`) is a
period of its own kind: open-ended, and so common in prose ("the plan from
2004") that it is read only where a page gives it a name (`find_starts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tilflytting.core.i18n import N_

FIRST_YEAR = 1900
LAST_YEAR = 2100

_YEAR = r"(?<!\d)(\d{4,5})(?!\d)"
# Still running: `d.d.`, `i dag`, `pågående` (nynorsk `pågåande`), `pågår`.
_ONGOING = r"(?:p[åa]g[åa](?:ende|ande|r)\b)"
# `pågående fra 2009` is a period; `Hyttetreffet pågår siden 2012` is a
# sentence with a start year (`find_starts`).
_ONGOING_ADJ = r"(?:p[åa]g[åa](?:ende|ande)\b)"
_OPEN = rf"(?:til\s+)?(?:d\.\s?d\.?|dd\b|i\s+dag\b|dags\s+dato\b|{_ONGOING})"
_DASH = r"\s*[-–—‐]\s*"
# `fra 2005 til 2009`, `frå 2008-2012`: the `fra` belongs to the period.
_FROM = r"(?:\b(?:fra|frå)\s+)?"
_Y = r"(?<!\d)(?P<{}>\d{{4,5}})(?!\d)"  # a year, in a named group
PERIOD = re.compile(
    rf"""
    (?:fra\s+og\s+med|f\.o\.m\.)\s+{_Y.format("fom")}                     # fra og med 2012
    | {_ONGOING_ADJ}(?:\s*,)?\s+(?:fra|frå|siden|sidan)\s+{_Y.format("since")}  # pågående fra 2009
    | {_FROM}{_Y.format("dash")}{_DASH}                                          # 2005 – 2009
        (?:(?P<open1>{_OPEN})|(?P<end>\d{{4,5}}|\d{{2}})(?!\d)|(?=\s*(?:\)|$)))
    | {_FROM}{_Y.format("til")}\s+til\s+                                       # 2004 til 2014
        (?:(?P<open2>{_OPEN})|(?P<end2>\d{{4,5}})(?!\d))
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A period that is the word alone, no year: `Ungdomssatsinga: pågående`.
# Read only where a page gives it a name in a list of project periods.
ONGOING_ONLY = re.compile(_ONGOING, re.IGNORECASE)


# `fra 2009`, `siden 2010`: a start year alone, open-ended.
START = re.compile(rf"\b(?:fra|frå|siden|sidan|f\.o\.m\.?|fom)\s+{_YEAR}", re.IGNORECASE)


@dataclass
class Period:
    start: int | None
    end: int | None
    ongoing: bool
    text: str
    span: tuple[int, int]
    problems: list[str]


def _check(year: int, raw: str, problems: list[str]) -> int | None:
    if FIRST_YEAR <= year <= LAST_YEAR:
        return year
    problems.append(N_("impossible year {year} in period '{period}'").format(year=year, period=raw))
    return None


def _end_year(raw_end: str, start: int | None) -> int:
    # A two-digit end year continues the start year's century: 2010-12 is 2012.
    if len(raw_end) == 2 and start is not None:
        return start - start % 100 + int(raw_end)
    return int(raw_end)


def _period_from(match: re.Match[str]) -> Period:
    raw = match.group(0).strip()
    problems: list[str] = []
    start_raw = next(g for g in (match.group(n) for n in ("fom", "since", "dash", "til")) if g)
    start = _check(int(start_raw), raw, problems)
    end_raw = match.group("end") or match.group("end2")
    ongoing = end_raw is None
    end = None
    if end_raw is not None:
        end = _check(_end_year(end_raw, start), raw, problems)
    if start is not None and end is not None and end < start:
        problems.append(N_("period '{period}' ends before it starts").format(period=raw))
    return Period(start, end, ongoing, raw, match.span(), problems)


def find_periods(text: str) -> list[Period]:
    """Every period written anywhere in `text`."""
    return [_period_from(m) for m in PERIOD.finditer(text)]


def find_starts(text: str) -> list[Period]:
    """Every single start year (`fra 2009`, `siden 2010`) in `text`: open-ended."""
    return [_start_from(m) for m in START.finditer(text)]


def _start_from(match: re.Match[str]) -> Period:
    raw = match.group(0).strip()
    problems: list[str] = []
    start = _check(int(match.group(1)), raw, problems)
    return Period(start, None, True, raw, match.span(), problems)


def parse_period(text: str) -> Period | None:
    """The period if `text` is one and nothing else (trailing `.` allowed);
    a start year alone (`fra 2009`) is an open-ended period here."""
    cleaned = text.strip().rstrip(".").strip()
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = cleaned[1:-1].strip()
    # `2008–d.d.` keeps the full stop that is part of it.
    for candidate in (f"{cleaned}.", cleaned) if text.rstrip().endswith(".") else (cleaned,):
        if match := PERIOD.fullmatch(candidate):
            return _period_from(match)
    start = START.fullmatch(cleaned)
    if start:
        return _start_from(start)
    if ONGOING_ONLY.fullmatch(cleaned):
        return Period(None, None, True, cleaned, (0, len(cleaned)), [])
    return None
