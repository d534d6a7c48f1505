"""One clock: the catalog's year and today's date come from here only.

The catalog describes rural Norway around 2012 (`CATALOG_YEAR`); "today" is
the date of the run. Tests and reproducible runs fix today with
`TILFLYTTING_TODAY=YYYY-MM-DD` in the environment or `frozen(date)` in code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

# «Katalog over tilflyttingsarbeid i distriktene» was published in 2012.
CATALOG_YEAR = 2012

_fixed: date | None = None


def today() -> date:
    """Today's date: fixed by `frozen` or TILFLYTTING_TODAY, else the system's."""
    if _fixed is not None:
        return _fixed
    stated = os.environ.get("TILFLYTTING_TODAY")
    if stated:
        try:
            return date.fromisoformat(stated)
        except ValueError:
            pass  # a malformed value is ignored rather than fatal
    return date.today()


def this_year() -> int:
    return today().year


def timestamp() -> str:
    """Now, in UTC, to the second (when an entry was imported)."""
    if _fixed is not None or os.environ.get("TILFLYTTING_TODAY"):
        return f"{today().isoformat()}T00:00:00+00:00"
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def frozen(day: date) -> Iterator[None]:
    """Run with today fixed at `day` (for tests)."""
    global _fixed
    before, _fixed = _fixed, day
    try:
        yield
    finally:
        _fixed = before
