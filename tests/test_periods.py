"""Year periods, including property tests over random text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tilflytting.ingest.periods import find_periods, parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "ongoing"),
    [
        ("2005 – 2009", 2005, 2009, False),
        ("2008-2012", 2008, 2012, False),
        ("2010- 2020", 2010, 2020, False),
        ("2010-12", 2010, 2012, False),
        ("(2011-)", 2011, None, True),
        ("2007 – til d.d.", 2007, None, True),
        ("Fra og med 2012", 2012, None, True),
        ("2004 til 2014", 2004, 2014, False),
        ("20012-2015", None, 2015, False),
    ],
)
def test_period_forms(text: str, start: int | None, end: int | None, ongoing: bool) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.start, period.end, period.ongoing) == (start, end, ongoing)


def test_impossible_and_backwards_years_are_reported() -> None:
    typo = parse_period("20012-2015")
    assert typo is not None and typo.problems == ["impossible year 20012 in period '20012-2015'"]
    backwards = parse_period("2012-2008")
    assert backwards is not None and "ends before it starts" in backwards.problems[0]
    assert (backwards.start, backwards.end) == (2012, 2008)  # reported, not swapped


@pytest.mark.parametrize("text", ["aldersgruppen 25–40 år", "1 455 000 kroner", "13 – 19 år"])
def test_numbers_that_are_no_periods(text: str) -> None:
    assert find_periods(text) == []


@given(st.integers(1900, 2070), st.integers(0, 30), st.sampled_from(["-", "–", " – ", "- "]))
def test_generated_ranges_read_back(start: int, length: int, dash: str) -> None:
    end = start + length
    period = parse_period(f"{start}{dash}{end}")
    assert period is not None and (period.start, period.end) == (start, end)


@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    for period in find_periods(text):
        assert period.start is None or 1900 <= period.start <= 2100


@pytest.mark.parametrize(
    ("text", "start"), [("fra 2010", 2010), ("Frå 2009", 2009), ("siden 2011", 2011)]
)
def test_a_start_year_alone_is_open_ended(text: str, start: int) -> None:
    period = parse_period(text)
    assert period is not None and (period.start, period.end, period.ongoing) == (start, None, True)
    assert find_periods(f"Planen {text} sier mye.") == []  # in prose only where named
