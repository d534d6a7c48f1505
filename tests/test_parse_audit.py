"""Pages an auditor wrote (parser2): CRLF line ends are no control
characters, `Name ... siden YEAR` only where the verb says something runs,
every line under a heading of project periods read or reported, nynorsk
participles, bullets in mid-line, a cut-off last line that is no heading.
Expected values come from the page text written here, not from our output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import CORPUS, FIXTURES
from tilflytting.cli import app
from tilflytting.core.model import Entry
from tilflytting.ingest.decode import decode
from tilflytting.ingest.importer import read_entry
from tilflytting.ingest.page import read_page
from tilflytting.ingest.periods import find_periods, parse_period

PERIOD_PAGE = FIXTURES / "variants" / "project-periods.txt"
HEAD = "Tilflytting i Testdal\n\nTestdal kommune vil ha fleire innbyggjarar.\n\n"
LISTS = "\n\nAktiviteter\n\n • Vertskapsordning\n • Annonsering i media\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def parse(body: str) -> Entry:
    return read_page(HEAD + body).entry


def projects(entry: Entry) -> list[tuple[str, int | None, int | None, bool]]:
    return [(p.name, p.start, p.end, p.ongoing) for p in entry.projects]


def messages(entry: Entry) -> list[str]:
    return [p.message for p in entry.problems]


def _pages() -> list[Path]:
    holtalen = CORPUS / "tilflyttingstiltak-i-holtalen.txt"
    return [PERIOD_PAGE, *([holtalen] if holtalen.is_file() else [])]


def _same(a: Entry, b: Entry) -> None:
    assert (a.title, a.lead, a.text, a.complete) == (b.title, b.lead, b.text, b.complete)
    assert a.lists == b.lists and a.main_goal == b.main_goal and a.projects == b.projects
    assert [(p.line, p.message) for p in a.problems] == [(p.line, p.message) for p in b.problems]


# -- 1. CRLF and CR line ends ------------------------------------------------------------
@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_line_ends_are_no_control_characters(path: Path, ending: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert "\r" not in text
    windows = read_page(text.replace("\n", ending)).entry
    assert not any("control character" in m for m in messages(windows))
    _same(windows, read_page(text).entry)


def test_a_real_control_character_is_still_counted_on_a_crlf_page() -> None:
    text = PERIOD_PAGE.read_text("utf-8").replace("Vinje kommune", "Vinje\x07 kommune")
    entry = read_page(text.replace("\n", "\r\n")).entry
    assert "removed 1 control character(s)" in messages(entry)


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_windows_1252_with_crlf_reads_as_the_utf8_page(path: Path, tmp_path: Path) -> None:
    text = path.read_text("utf-8")
    data = text.replace("\n", "\r\n").encode("cp1252")
    decoded = decode(data)
    assert decoded.encoding == "windows-1252" and decoded.text == text
    file = tmp_path / path.name
    file.write_bytes(data)
    _, entry = read_entry(file)  # the import and check path
    assert not any("control character" in m for m in messages(entry))
    assert "not UTF-8: read as windows-1252" in messages(entry)


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_check_strict_passes_a_clean_crlf_page(path: Path, tmp_path: Path) -> None:
    file = tmp_path / path.name
    file.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    lf = run("check", "--strict", "-f", "json", str(path))
    crlf = run("check", "--strict", "-f", "json", str(file))
    assert crlf.exit_code == lf.exit_code
    assert "kontrolltegn" not in crlf.stderr and "control character" not in crlf.stderr
    converted = run("convert", str(file))
    assert converted.exit_code == 0 and "\r" not in converted.stdout
    assert converted.stdout.split("\n", 3)[3] == run("convert", str(path)).stdout.split("\n", 3)[3]


# -- 2. a person is no project -------------------------------------------------------
@pytest.mark.parametrize(
    "sentence",
    [
        "Ola har bodd her siden 1991.",
        "Kari har vore ordførar sidan 2011.",
        "Per har jobbet her siden 2005.",
        "Anne og Jon har budd på garden sidan 1998.",
    ],
)
def test_a_sentence_about_a_person_is_no_project(sentence: str) -> None:
    entry = parse(sentence + LISTS)
    assert projects(entry) == []
    assert sentence in entry.text


@pytest.mark.parametrize(
    ("sentence", "name", "start"),
    [
        ("Fløtt heim har pågått siden 2010.", "Fløtt heim", 2010),  # the docs' example
        ("Sommarfesten har vorte arrangert sidan 2005.", "Sommarfesten", 2005),
        ("Hyttetreffet pågår siden 2012.", "Hyttetreffet", 2012),
        ("Ungdomsnettverket har vore i drift sidan 2011.", "Ungdomsnettverket", 2011),
        ("Bygdedagen har blitt holdt hvert år siden 2003.", "Bygdedagen", 2003),
        ("Jobbmessa har vart siden 2009.", "Jobbmessa", 2009),
    ],
)
def test_a_name_that_runs_since_a_year_is_a_project(sentence: str, name: str, start: int) -> None:
    assert projects(parse(sentence + LISTS)) == [(name, start, None, True)]


# -- 3. lines under a heading of project periods --------------------------------------
EXPECTED_PERIODS = [  # from the fixture's lines, one by one
    ("Velkomstpakka", 2009, None, True),  # Name: 2009-
    ("Heimattprosjektet", 2010, None, True),  # Name fra 2010
    ("Bygdeløftet", 2008, None, True),  # Name 2008–d.d.
    ("Ungdomssatsinga", None, None, True),  # Name: pågående
    ("Jobbsatsinga", 2011, None, True),  # Name (2011 – pågående)
    ("Heimflyttingsprosjektet", 2007, None, True),  # Name (pågåande frå 2007)
    ("Grendeturen", 2005, 2008, False),  # Name frå 2005 til 2008
    ("Nettverket", 2008, 2012, False),  # Name: 2008–2012
]


@pytest.mark.parametrize(
    "heading", ["Prosjektperiodar", "Prosjektperioder", "Periode", "Perioder", "Prosjektperioder:"]
)
def test_every_line_under_a_period_heading_is_a_project_or_a_warning(heading: str) -> None:
    text = PERIOD_PAGE.read_text("utf-8").replace("Prosjektperiodar", heading)
    entry = read_page(text).entry
    assert projects(entry) == EXPECTED_PERIODS
    unread = [p for p in entry.problems if "no name with a period" in p.message]
    line = text.splitlines().index(" • Alle prosjekta er evaluerte av kommunestyret") + 1
    assert [p.line for p in unread] == [line]
    assert heading.rstrip(":") in unread[0].message
    assert "Alle prosjekta er evaluerte av kommunestyret" in entry.text


def test_a_paragraph_after_the_list_of_periods_is_no_period_line() -> None:
    entry = parse(
        "Prosjektperioder\n\n • Bygdeløftet: 2008 – 2012\n\n"
        "Kommunen vil fortsette arbeidet med nye prosjekter." + LISTS
    )
    assert projects(entry) == [("Bygdeløftet", 2008, 2012, False)]
    assert not any("no name with a period" in m for m in messages(entry))


def test_ongoing_without_a_year_is_a_project_only_under_the_heading() -> None:
    assert projects(parse("Status: pågående" + LISTS)) == []


def test_a_name_before_an_ongoing_period_in_prose() -> None:
    entry = parse(
        "Kommunen driv Heimflyttingsprosjektet (pågående fra 2009) saman med lag." + LISTS
    )
    assert projects(entry) == [("Heimflyttingsprosjektet", 2009, None, True)]


@pytest.mark.parametrize(
    ("text", "start", "end", "ongoing"),
    [
        ("2011 – pågående", 2011, None, True),
        ("pågående fra 2009", 2009, None, True),
        ("pågåande frå 2009", 2009, None, True),
        ("fra 2005 til 2009", 2005, 2009, False),
        ("pågående", None, None, True),
    ],
)
def test_ongoing_period_forms(text: str, start: int | None, end: int | None, ongoing: bool) -> None:
    period = parse_period(text)
    assert period is not None and (period.start, period.end, period.ongoing) == (
        start,
        end,
        ongoing,
    )


def test_ongoing_alone_and_a_present_verb_are_no_period_in_prose() -> None:
    assert find_periods("Arbeidet er pågående, og prosjektet pågår siden 2012.") == []


# -- 4. nynorsk participles ----------------------------------------------------------
@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Frå 2009 har kommunen delteke på karrieredagar ved NTNU.", "Karrieredagar ved NTNU"),
        ("Fra 2009 har kommunen deltatt på karrieredager ved NTNU.", "Karrieredager ved NTNU"),
        ("Frå 2010 har Testdal halde sommarfest for hyttefolk.", "Sommarfest for hyttefolk"),
        ("Frå 2011 har kommunen vore med på bustadmessa i Oslo.", "Bustadmessa i Oslo"),
        (
            "Frå 2006 har kommunen starta hyttedagen for nye innbyggjarar.",
            "Hyttedagen for nye innbyggjarar",
        ),
    ],
)
def test_a_participle_is_no_part_of_the_name(sentence: str, name: str) -> None:
    entry = parse(sentence + LISTS)
    start = int(sentence.split()[1])
    assert projects(entry) == [(name, start, None, True)]


# -- 5. a bullet in mid-line ----------------------------------------------------------
@pytest.mark.parametrize("bullet", ["·", "•", "▪", "◦", "■", "►"])
def test_a_bullet_in_mid_line_splits_and_goes(bullet: str) -> None:
    entry = parse(f"Aktiviteter\n\n – Vertskapsordning {bullet} Brosyrer og lignende\n")
    assert [i.text for i in entry.lists["aktiviteter"]] == [
        "Vertskapsordning",
        "Brosyrer og lignende",
    ]


# -- 6. a cut-off last line is no heading ---------------------------------------------
def test_a_cut_off_last_line_gets_only_the_cut_off_warning() -> None:
    body = (
        "Aktiviteter\n\n • Vertskapsordning\n\nResultater\n"
        "Tre nye familiar har flytta til kommunen.\n\nVi vil ha fleire innbyg"
    )
    entry = parse(body)
    last = len((HEAD + body).splitlines())
    found = [p for p in entry.problems if p.line == last]
    assert len(found) == 1 and "cut off" in found[0].message
    assert not entry.complete
    assert "unknown heading 'Resultater' kept in the text" in messages(entry)  # it heads text
