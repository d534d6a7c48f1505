"""Pages nobody here has seen (issue 19): our own fixture pages for each
variant, and property tests over the corpus and generated variants of it
(headings renamed, bullets swapped, closing block removed, lines merged):
every non-empty line of a page is accounted for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, FIXTURES, PAGES, corpus_index
from tilflytting.core.fold import fold, strip_controls
from tilflytting.core.model import Entry
from tilflytting.ingest.decode import split_lines
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import PageError, read_page

VARIANTS = FIXTURES / "variants"


def page(name: str) -> Entry:
    return normalise(read_page((VARIANTS / name).read_text("utf-8")).entry)


def messages(entry: Entry) -> list[str]:
    return [p.message for p in entry.problems]


# -- nothing vanishes ---------------------------------------------------------------
def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def _line_words(raw: str) -> set[str]:
    """The words of a line without its bullet or number (`o`, `1.`, `(2)`)."""
    tokens = raw.split()
    if tokens and len(tokens[0]) <= 3 and (not tokens[0].isalpha() or tokens[0] == "o"):
        tokens = tokens[1:]
    return _words(" ".join(tokens))


def unaccounted(text: str) -> list[tuple[int, str, str]]:
    """Non-empty lines of `text` that no field, free text or warning holds:
    (line, text, why). Each place the parser says a line went is checked
    against the entry itself."""
    reading = read_page(text)
    entry = reading.entry
    items = [*entry.main_goal, *(i for items in entry.lists.values() for i in items)]
    text_words = _words(entry.text)
    warned = {p.line for p in entry.problems}
    missing = []
    for no, raw in enumerate(split_lines(strip_controls(text.lstrip("\ufeff"))[0]), start=1):
        if not raw.strip():
            continue
        roles = reading.lines.get(no, [])
        if not roles:
            missing.append((no, raw, "nowhere"))
            continue
        if "advarsel" in roles and no not in warned:
            missing.append((no, raw, "a warning that is not there"))
        if "avslutning" in roles:
            if reading.closing_line is None or no < reading.closing_line:
                missing.append((no, raw, "a closing block before the closing block"))
            continue
        held: set[str] = set()
        for role in roles:
            held |= {
                "tittel": _words(entry.title) if entry.title_line == no else set(),
                "ingress": _words(entry.lead),
                "fagomrade": _words(" ".join(entry.areas)) | {"fagomrade", "fagomrader"},
                "overskrift": _words(" ".join(h.text for h in entry.headings if h.line == no)),
                "punkt": _words(" ".join(i.text for i in items if i.line == no)),
                "tekst": text_words,
                "advarsel": _line_words(raw) if no in warned else set(),
            }[role]
        lost = _line_words(raw) - held
        if lost:
            missing.append((no, raw, f"words lost: {sorted(lost)}"))
    return missing


def seed_pages() -> list[str]:
    """Pages to vary: our own fixtures, and the corpus where it is here."""
    texts = [p.read_text("utf-8") for p in sorted(PAGES.glob("*.txt")) if p.name != "no-title.txt"]
    texts += [p.read_text("utf-8") for p in sorted(VARIANTS.glob("*.txt"))]
    if CORPUS.is_dir():
        texts += [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    return texts


SEEDS = seed_pages()


@pytest.mark.parametrize("slug", sorted(corpus_index()) or ["(no corpus)"])
def test_every_corpus_line_is_accounted_for(corpus: Path, slug: str) -> None:
    assert unaccounted((corpus / f"{slug}.txt").read_text("utf-8")) == []


@pytest.mark.parametrize("path", sorted([*PAGES.glob("*.txt"), *VARIANTS.glob("*.txt")]))
def test_every_fixture_line_is_accounted_for(path: Path) -> None:
    if path.name == "no-title.txt":
        pytest.skip("no title: a PageError, tested elsewhere")
    assert unaccounted(path.read_text("utf-8")) == []


NEW_HEADINGS = [
    "Dette har vi gjort",
    "Tiltak",
    "Våre fortrinn",
    "Hvem vi vil nå",
    "Partnere i arbeidet",
    "Slik jobber vi:",
]
BULLETS = ["o ", "- ", "– ", "* ", "· ", "▪ ", "1. ", "2) ", "", "  •  "]
_BULLET_LINE = re.compile(r"^\s*(?:[•·▪]|[-–*](?=\s)|o(?=\s)|\d{1,2}[.)])\s*")
_CLOSING = re.compile(r"(?im)^tilflyttingsarbeid i norske distriktskommun")
_HEADING_LINE = re.compile(
    r"(?im)^(aktivitet\w*|viktig\w* sal\w*|samarbeidspart\w*|hov\w*m[aå]l|m[aå]lgrupp\w*):?\s*$"
)


@st.composite
def variants(draw: st.DrawFn) -> str:
    """A page with some of: headings renamed, bullets swapped, closing block
    removed, two lines merged, blank lines added or dropped."""
    text = draw(st.sampled_from(SEEDS))
    if draw(st.booleans()):
        headings = list(_HEADING_LINE.finditer(text))
        if headings:
            chosen = draw(st.sampled_from(headings))
            new = draw(st.sampled_from(NEW_HEADINGS))
            text = text[: chosen.start()] + new + text[chosen.end() :]
    if draw(st.booleans()):
        bullet = draw(st.sampled_from(BULLETS))
        text = "\n".join(_BULLET_LINE.sub(bullet, line, count=1) for line in text.split("\n"))
    if draw(st.booleans()) and (closing := _CLOSING.search(text)):
        text = text[: closing.start()]
    lines = text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        if len(lines) > 4:
            at = draw(st.integers(2, len(lines) - 2))
            glue = draw(st.sampled_from([" ", " • ", ", "]))
            lines[at : at + 2] = [lines[at] + glue + lines[at + 1].strip()]
    if draw(st.booleans()):
        lines = [line for line in lines if line.strip()]  # no blank lines at all
    elif draw(st.booleans()):
        lines = [part for line in lines for part in (line, "")]  # a blank after each
    return "\n".join(lines)


@given(variants())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
def test_generated_variants_lose_no_line(text: str) -> None:
    try:
        missing = unaccounted(text)
    except PageError:
        return  # the title went (merged or renamed away): said clearly
    assert missing == []


# -- lists under unknown headings, and with no heading --------------------------------
def test_list_under_an_unknown_heading_is_read_as_the_list_it_answers() -> None:
    entry = page("unknown-heading.txt")
    assert [i.term for i in entry.lists["aktiviteter"]] == [
        "arrangement-utenfor-kommunen",
        "annonsering-i-media",
        "eget-nettsted",
        "brosjyrer",
        "utstillinger-og-stand",
        "vertskapsordning",
        "kampanje-bosted",
        None,  # Hyttetreff på Vingelen: a free answer, kept with its list
    ]
    assert "heading 'Dette har vi gjort' read as Aktiviteter" in messages(entry)
    assert [i.term for i in entry.lists["salgsargumenter"]] == [
        "friluftsliv",
        "vakker-natur",
        "lave-levekostnader",
    ]


def test_list_that_answers_nothing_stays_text_and_says_so() -> None:
    entry = page("unknown-heading.txt")
    assert "3 items under heading 'Viktige stikkord' kept as text" in messages(entry)
    assert "Kafé på torget" in entry.text
    assert not any("Kafé" in i.text for items in entry.lists.values() for i in items)


def test_list_with_no_heading_after_the_lists_is_read_as_its_list() -> None:
    entry = page("unknown-heading.txt")
    assert [i.text for i in entry.lists["malgrupper"]] == [
        "Barnefamiliar",
        "Ungdom",
        "Potensielle tilbakeflyttarar",
    ]
    assert "list with no heading read as Målgrupper" in messages(entry)
    line = next(p.line for p in entry.problems if p.message.startswith("list with no heading"))
    lines = (VARIANTS / "unknown-heading.txt").read_text("utf-8").split("\n")
    assert line is not None and lines[line - 1].strip() == "• Barnefamiliar"


def test_headless_run_right_after_a_list_of_another_kind() -> None:
    text = (VARIANTS / "no-closing.txt").read_text("utf-8")
    text = text.replace(" • Annonsering i media\n", " • Annonsering i media\n\n • Friluftsliv\n")
    text = text.replace(" • Vertskapsordning\n", " • Vertskapsordning\n • Eget nettsted\n")
    text = text.replace(" • Friluftsliv\n", " • Friluftsliv\n • Vakker natur\n")
    entry = normalise(read_page(text).entry)
    assert [i.term for i in entry.lists["salgsargumenter"]] == ["friluftsliv", "vakker-natur"]
    assert [i.term for i in entry.lists["aktiviteter"]] == [
        "vertskapsordning",
        "eget-nettsted",
        "annonsering-i-media",
    ]


# -- bullets ------------------------------------------------------------------------
def test_every_common_bullet_form() -> None:
    entry = page("o-bullets.txt")
    assert len(entry.lists["aktiviteter"]) == 9  # `o` bullets: all nine, not one
    assert all(i.term for i in entry.lists["aktiviteter"])
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Friluftsliv", "Godt oppvekstmiljø"]
    assert [i.text for i in entry.lists["samarbeidspartnere"]] == [
        "Næringslivet",
        "Frivillige lag og organisasjoner",
        "Grende-/bygdelag",
        "Hedmark fylkeskommune",
        "Regionrådet for Fjellregionen",
    ]
    assert [i.text for i in entry.lists["malgrupper"]] == ["Barnefamilier", "Ungdom"]
    assert entry.problems == []


def test_plain_lines_are_one_item_each_without_heading_warnings() -> None:
    entry = page("plain-lists.txt")
    assert [i.term for i in entry.lists["aktiviteter"]] == [
        "annonsering-i-media",
        "eget-nettsted",
        "brosjyrer",
        "vertskapsordning",
    ]
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Friluftsliv", "Vakker natur"]
    assert [i.text for i in entry.lists["malgrupper"]] == ["Barnefamilier", "Ungdom"]
    assert not any("heading" in m for m in messages(entry))


def test_two_items_merged_on_one_line_by_a_bullet() -> None:
    text = "Tittel i Alvdal\n\nIngress her.\n\nMålgrupper\n\n • Ungdom • Barnefamilier\n"
    entry = normalise(read_page(text).entry)
    assert [i.text for i in entry.lists["malgrupper"]] == ["Ungdom", "Barnefamilier"]


# -- cut only on evidence -------------------------------------------------------------
def test_page_without_closing_block_is_complete() -> None:
    entry = page("no-closing.txt")
    assert entry.complete
    assert not any(i.truncated for items in entry.lists.values() for i in items)
    assert not any("cut off" in m for m in messages(entry))


@pytest.mark.parametrize(
    ("ending", "evidence"),
    [
        (" • Barnefamilier\n • Hyttef", "'Hyttef' is the beginning of 'Hyttefolk'"),
        (" • Barnefamilier\n • Potensielle tilbake", "the beginning of 'Potensielle"),
        (" • Barnefamilier\n • Ungdom og", "stops after 'og'"),
        (" • Barnefamilier,", "stops at ','"),
        (" • Barnefamilier\n\nHovedmål\n", "heading 'Hovedmål' with nothing after it"),
        (" • Barnefamilier (og ungdom", "left open"),
        ("Vi vil ha fleire innbyg", "'innbyg' stops mid-word"),  # the lead has innbyggjarar
    ],
)
def test_page_cut_off_where_the_text_shows_it(ending: str, evidence: str) -> None:
    text = "Tittel i Alvdal\n\nNye innbyggjarar.\n\nAktiviteter\n\n • Vertskapsordning\n\n"
    entry = normalise(read_page(f"{text}Målgrupper\n\n{ending}").entry)
    assert not entry.complete
    assert any(evidence in m and "cut off" in m for m in messages(entry)), messages(entry)


def test_only_the_item_the_evidence_is_on_is_marked_cut() -> None:
    text = "Tittel i Alvdal\n\nIngress her.\n\nMålgrupper\n\n • Ungdom\n • Hyttef\n"
    entry = normalise(read_page(text).entry)
    assert [(i.text, i.truncated, i.term) for i in entry.lists["malgrupper"]] == [
        ("Ungdom", False, "ungdom"),
        ("Hyttef", True, "hyttefolk"),
    ]


def test_corpus_pages_without_their_closing_block_are_complete(corpus: Path) -> None:
    for slug, row in corpus_index().items():
        if row["complete"] != "yes":
            continue
        text = (corpus / f"{slug}.txt").read_text("utf-8")
        closing = _CLOSING.search(text) or re.search(r"(?m)^.*er presentert med", text)
        assert closing is not None, slug
        entry = read_page(text[: closing.start()]).entry
        assert entry.complete, (slug, messages(entry))


# -- projects only where the page states them ------------------------------------------
def test_projects_named_in_recognisable_forms() -> None:
    entry = page("projects-in-prose.txt")
    assert [(p.name, p.start, p.end, p.ongoing) for p in entry.projects] == [
        ("Bolyst i Østerdalen", 2009, 2012, False),  # Navn (2009 – 2012)
        ("Fjellregionen", 2011, 2014, False),  # deltar også i Navn ... (2011-2014)
        ("Hjem til jul", 2010, None, True),  # «Navn» ... siden 2010
        ("Sommerfest for hyttefolk", 2008, None, True),  # Fra 2008 har X arrangert Navn
        ("Elvdølen", 2011, None, True),  # Fra 2011 har det blitt sendt ut Navn, ...
    ]


def test_a_period_without_a_name_is_no_project_and_is_reported() -> None:
    entry = page("projects-in-prose.txt")
    assert not any(p.start == 2004 for p in entry.projects)
    assert "period '2004-2006' names no project; left in the text" in messages(entry)
    assert not any(p.start == 2001 for p in entry.projects)  # "Det har vært ... siden 2001"


def test_no_clause_becomes_a_target_group() -> None:
    entry = page("projects-in-prose.txt")
    assert entry.lists["malgrupper"] == []
    assert "primært ungdom" in entry.text


def test_rennebu_hadsel_and_orkdal_projects(corpus: Path) -> None:
    def projects(slug: str) -> list[tuple[str, int | None, int | None, bool]]:
        entry = read_page((corpus / f"{slug}.txt").read_text("utf-8")).entry
        return [(p.name, p.start, p.end, p.ongoing) for p in entry.projects]

    assert projects("rennebu-3000") == [
        ("Rennebu 3000", 2010, 2012, False),
        ("Blilyst", 2011, 2014, False),
    ]
    assert ("Fløtt heim", 2010, None, True) in projects("okt-tilflytting-til-hadsel")
    assert projects("tilflyttingstiltak-i-orkdal") == [
        ("Brevet hjemmefra", 2004, 2010, False),
        ("Karrieredager på NTNU", 2009, None, True),
        ("Orkdalingen", 2007, None, True),
    ]
