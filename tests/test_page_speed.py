"""No page makes the parser hang (issue 17): a 2 MB page (the import limit)
of each repeated pattern the parser looks for is parsed and normalised in a
subprocess that must finish within a generous guard. Before, 240 KB of
`2001 – 2002, ` after "Prosjekt i perioden" took over 100 s (quadratic in the
project-name search). Hypothesis builds pages of repeated structures too."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from tests.test_page_variants import unaccounted
from tilflytting.ingest.importer import MAX_FILE_BYTES
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import PageError, read_page

GUARD_SECONDS = 10  # only against a hang: every pattern takes 0.1-3 s here
HEAD = "Tittel i Holtålen\n\nIngress.\n\n"
# The repeated unit of each pattern, and what comes before it.
PATTERNS: dict[str, tuple[str, str]] = {
    "periods after 'Prosjekt i perioden'": ("Prosjekt i perioden ", "2001 – 2002, "),
    "names before periods": ("", "Navn Navn (2011-) "),
    "start years": ("", "«Navn» har pågått siden 2010. Fra 2009 har X gjort Y. "),
    "project words": ("", "prosjektet Navn "),
    "bullets in a list": ("Aktiviteter\n\n", " • Annonsering i media\n"),
    "bullets in the text": ("", " • Annonsering i media\n"),
    "bullets in one line": ("Aktiviteter\n\n", " • Annonsering i media"),
    "o bullets and numbers": ("Aktiviteter\n\n", "o Eget nettsted\n 1) Vertskapsordning\n"),
    "headings": ("", "Aktiviteter\n"),
    "heading, item": ("", "Aktiviteter\nEget nettsted\n"),
    "heading, blank lines": ("", "Aktiviteter\n\n\n\n"),
    "unknown headings and lists": ("", "Dette har vi gjort\n • Vertskapsordning\n\nResultat\n\n"),
    "plain lines": ("Målgrupper\n\n", "Ungdom\n"),
    "open brackets": ("", "("),
    "quotes": ("", "«"),
    "closing sentence": ("", "er presentert med grunnlegg "),
    "closing headings": ("", "Tilflyttingsarbeid i norske distriktskommuner\n"),
    "inline sections": ("", "Målgruppe er ungdom. "),
    "whitespace after a period": (".", " "),
    "dashes after a year": ("2001 -", " "),
    "items after a colon": ("Målgrupper: ", "a, "),
    "one long item": ("Aktiviteter\n\n • ", "Annonsering og "),
}

SCRIPT = """
import sys
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import read_page
head, unit, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = {head!r} + head + unit * ((size - len(head.encode()) - 64) // len(unit.encode()))
entry = normalise(read_page(text).entry)
print(len(text.encode()))
"""


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_two_megabyte_page_of_one_pattern_finishes(name: str) -> None:
    head, unit = PATTERNS[name]
    script = SCRIPT.replace("{head!r}", repr(HEAD))
    done = subprocess.run(
        [sys.executable, "-c", script, head, unit, str(MAX_FILE_BYTES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout) > MAX_FILE_BYTES * 0.99  # the page was as big as allowed


# -- Hypothesis: pages of repeated structures ----------------------------------------
FRAGMENTS = [
    "Aktiviteter\n",
    "Målgrupper:",
    " • Annonsering i media\n",
    "o Ungdom\n",
    " 1. ",
    "2001 – 2002, ",
    "(2011-) ",
    "siden 2010. ",
    "Fra 2009 har Orkdal deltatt på ",
    "«Navn» ",
    "prosjektet Navn ",
    "Prosjekt i perioden ",
    "Tilflyttingsarbeid i norske distriktskommuner\n",
    "er presentert med grunnleggende informasjon uten vurdering.",
    "\n",
    "\n\n",
    "(",
    "Hyttef",
    ", ",
    " og ",
]


@st.composite
def repeated_pages(draw: st.DrawFn) -> str:
    """A title, then a few fragments the parser looks for, each repeated."""
    parts = [HEAD]
    for _ in range(draw(st.integers(1, 4))):
        unit = "".join(draw(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4)))
        parts.append(unit * draw(st.integers(1, 300)))
    return "".join(parts)


@given(repeated_pages())
@settings(max_examples=100)
def test_repeated_structures_parse_and_lose_nothing(text: str) -> None:
    try:
        assert unaccounted(text) == []
        normalise(read_page(text).entry)
    except PageError:
        pass  # a fragment took the title's place
