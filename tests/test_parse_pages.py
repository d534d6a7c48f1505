"""The parser on pages written for these tests, one variant each (FORMAT.md)."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES
from tilflytting.core.model import Entry
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import PageError, heading_kind, parse_page


def page(name: str) -> Entry:
    return normalise(parse_page((PAGES / name).read_text(encoding="utf-8")))


def test_complete_bokmal_page() -> None:
    entry = page("bokmal-complete.txt")
    assert entry.title == "Tilflyttingsarbeid i Tynset"
    assert entry.areas == ["Omdømme", "Tilflytting"]
    assert entry.lead.startswith("Tynset kommune")
    assert entry.complete
    assert entry.lists["aktiviteter"][2].text == "Vertskapsordning"
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Friluftsliv", "Godt oppvekstmiljø"]
    assert [i.text for i in entry.main_goal] == ["Flere innbyggere i kommunen"]
    assert "Katalog over" not in entry.text
    assert [(p.nr_2012, p.nr_2024) for p in entry.places] == [("0437", "3427")]


def test_period_forms() -> None:
    projects = {p.name: p for p in page("bokmal-complete.txt").projects}
    assert (projects["Studentkontakt"].start, projects["Studentkontakt"].end) == (2004, 2008)
    assert projects["Boligløftet"].end == 2012  # two-digit end year
    assert projects["Velkomstteam"].ongoing and projects["Velkomstteam"].end is None
    typo = projects["Feilskrevet"]
    assert (typo.start, typo.end) == (None, 2013)


def test_nynorsk_headings_and_cut_page() -> None:
    entry = page("nynorsk-cut.txt")
    assert not entry.complete
    assert [i.text for i in entry.lists["aktiviteter"]] == [
        "Eigen nettstad",
        "Tilrettelagt bustader for tilflyttarar",
    ]
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Livskvalitet"]
    assert entry.lists["malgrupper"][-1].truncated
    assert [i.text for i in entry.main_goal] == ["Fleire innbyggjarar"]
    assert entry.places[0].fylke_2024 == "Vestland"


def test_inline_sections_and_closing_without_heading() -> None:
    entry = page("inline-sections.txt")
    assert [i.text for i in entry.lists["malgrupper"]] == ["alle typer tilflyttere"]
    assert [i.text for i in entry.lists["samarbeidspartnere"]] == [
        "frivillige lag og organisasjoner",
        "næringslivet",
    ]
    assert entry.complete
    assert "presentert med" not in entry.text
    (project,) = entry.projects
    assert (project.start, project.ongoing) == (2011, True)


def test_odd_headings_and_warnings() -> None:
    entry = page("odd-headings.txt")
    assert [i.text for i in entry.lists["aktiviteter"]] == [
        "Annonsering i media",
        "Tilflyttarkontor",
    ]
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Kystkultur"]
    assert [i.text for i in entry.lists["samarbeidspartnere"]] == ["Møre og Romsdal fylkeskommune"]
    assert entry.lists["malgrupper"] == []
    messages = [p.message for p in entry.problems]
    assert "heading 'Målgrupper' has no items" in messages
    assert "unknown heading 'Resultater' kept in the text" in messages
    assert "Resultater" in entry.text and "Tre nye familiar" in entry.text
    assert "Kommunen har sidan starta" in entry.text  # text after the closing block
    (project,) = entry.projects
    assert (project.name, project.start, project.ongoing) == ("Flytt til Herøy", 2012, True)
    assert entry.places[0].nr_2012 == "1515"  # Herøy settled by the partner county


def test_page_without_title_is_an_error() -> None:
    with pytest.raises(PageError) as error:
        parse_page((PAGES / "no-title.txt").read_text(encoding="utf-8"))
    assert error.value.line == 3


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Aktiviteter", "aktiviteter"),
        ("Aktivitetar", "aktiviteter"),
        ("Aktiviteter i prosjektet", "aktiviteter"),
        ("Viktigste salgsargument", "salgsargumenter"),
        ("Viktigaste salsargument:", "salgsargumenter"),
        ("Viktigaste salgargument", "salgsargumenter"),
        ("Viktige salgsargument", "salgsargumenter"),
        ("Samarbeidspartnere:", "samarbeidspartnere"),
        ("Samarbeidspartnerer", "samarbeidspartnere"),
        ("Samarbeidspartarar", "samarbeidspartnere"),
        ("HOVUDMÅL", "hovedmal"),
        ("Målgruppe", "malgrupper"),
        ("Målgrupper er barnefamilier", None),
        ("Aktiviteter for barn og unge i hele kommunen hver uke", None),
        ("Samarbeid med næringslivet", None),
        ("Ungdom", None),
        ("Alle typer innflyttere", None),
        ("Hovedmålet er økt tilflytting.", None),
    ],
)
def test_heading_recognition(line: str, kind: str | None) -> None:
    assert heading_kind(line) == kind


def test_items_on_the_heading_line() -> None:
    entry = page("items-after-colon.txt")
    assert [i.text for i in entry.lists["malgrupper"]] == [
        "Ungdom",
        "barnefamilier",
        "hyttefolk",
        "kvinner",
        "entreprenører",
    ]
    assert [i.term for i in entry.lists["malgrupper"]] == [
        "ungdom",
        "barnefamilier",
        "hyttefolk",
        "kvinner",
        "entreprenorer",
    ]
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Friluftsliv", "Vakker natur"]
    assert [i.text for i in entry.lists["aktiviteter"]] == ["Vertskapsordning"]
    assert not [p for p in entry.problems if "no items" in p.message]
