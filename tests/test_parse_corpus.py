"""The parser on every real catalog page (skipped where ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS, corpus_index
from tests.corpus_expected import EXPECTED
from tilflytting.core.model import LISTS, Entry
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import parse_page

INDEX = corpus_index()


def read(corpus: Path, slug: str) -> Entry:
    return normalise(parse_page((corpus / f"{slug}.txt").read_text(encoding="utf-8")))


# Two pages were cut off right after a list ended ("• Arbeidsplasser",
# "Tiltrekkje seg nye"), with no closing block: nothing in their text shows
# the cut, so by the rule "cut only on evidence" (docs/page-format.md) they
# read as complete, as a maintainer's page without the closing block must.
# INDEX.tsv knows better because it was made from the source.
NO_EVIDENCE = {"bulyst-i-sogndal", "tilflyttingsarbeid-i-kafjord"}


@pytest.mark.parametrize("slug", sorted(INDEX) or ["(no corpus)"])
def test_every_page_parses_with_title_and_completeness(corpus: Path, slug: str) -> None:
    entry = read(corpus, slug)
    assert entry.title == INDEX[slug]["title"]
    assert entry.complete is (INDEX[slug]["complete"] == "yes" or slug in NO_EVIDENCE)
    if not entry.complete:
        assert any("cut off" in p.message for p in entry.problems)
    else:
        assert not any("cut off" in p.message for p in entry.problems)


@pytest.mark.parametrize("slug", sorted(INDEX) or ["(no corpus)"])
def test_closing_block_never_reaches_text_or_lists(corpus: Path, slug: str) -> None:
    entry = read(corpus, slug)
    everything = [entry.text] + [i.text for items in entry.lists.values() for i in items]
    for text in everything:
        assert "Katalog over tilflyttingsarbeid" not in text
        assert "grunnleggende informasjon uten vurdering" not in text


@pytest.mark.parametrize("slug", sorted(INDEX) or ["(no corpus)"])
def test_slug_comes_from_the_title(corpus: Path, slug: str) -> None:
    entry = read(corpus, slug)
    assert entry.slug.isascii() and entry.slug == entry.slug.lower()
    if INDEX[slug]["title"] != "Tilflytting- og hjemflytting i Gjerstad":  # its URL differs
        assert entry.slug == slug


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_page_fields(corpus: Path, slug: str) -> None:
    entry = read(corpus, slug)
    want = EXPECTED[slug]
    assert entry.title == want["title"]
    assert entry.areas == want["areas"]
    assert entry.complete is want["complete"]
    assert [p.nr_2012 or p.fylke_2012 for p in entry.places] == want["places"]
    assert entry.region == want["region"]
    assert [(p.name, p.start, p.end, p.ongoing) for p in entry.projects] == want["projects"]
    for name in LISTS:  # as written, before the vocabulary splits merged items
        assert [i.text for i in entry.raw_lists[name]] == want[name], name
    assert [i.text for i in entry.main_goal] == want["hovedmal"]


def test_holtalen_in_both_eras(corpus: Path) -> None:
    entry = read(corpus, "tilflyttingstiltak-i-holtalen")
    (place,) = entry.places
    assert (place.nr_2012, place.fylke_2012) == ("1644", "Sør-Trøndelag")
    assert (place.nr_2024, place.fylke_2024) == ("5026", "Trøndelag")
    assert len(entry.lists["aktiviteter"]) == 10
    assert entry.problems == []


def test_every_fact_keeps_its_line(corpus: Path) -> None:
    lines = (CORPUS / "tilflyttingstiltak-i-holtalen.txt").read_text(encoding="utf-8").splitlines()
    entry = read(corpus, "tilflyttingstiltak-i-holtalen")
    for project in entry.projects:
        assert project.line is not None and project.name in lines[project.line - 1]
    for items in [*entry.lists.values(), entry.main_goal]:
        for item in items:
            assert item.line is not None and item.text in lines[item.line - 1]


def test_cut_item_is_flagged(corpus: Path) -> None:
    entry = read(corpus, "heroyloftet-og-heroy-2020")
    assert entry.lists["malgrupper"][-1].text == "Kvinne"
    assert entry.lists["malgrupper"][-1].truncated
    assert not any(i.truncated for i in entry.lists["malgrupper"][:-1])


def test_impossible_year_is_a_warning_not_a_fix(corpus: Path) -> None:
    entry = read(corpus, "tilflytting-og-bolyst-i-hamaroy")
    project = next(p for p in entry.projects if p.name == "Prosjekt tilflytting")
    assert (project.start, project.end, project.period) == (None, 2015, "20012-2015")
    assert any("impossible year 20012" in p.message for p in entry.problems)


def test_namesake_municipality_settled_by_partner_county(corpus: Path) -> None:
    entry = read(corpus, "heroyloftet-og-heroy-2020")
    assert [(p.name, p.fylke_2012) for p in entry.places] == [("Herøy", "Møre og Romsdal")]


def test_namesake_without_evidence_stays_unresolved(corpus: Path) -> None:
    entry = read(corpus, "integrering-og-inkludering-av-tilflyttere-i-heroy")
    assert entry.places == []
    assert any("ambiguous" in p.message for p in entry.problems)
