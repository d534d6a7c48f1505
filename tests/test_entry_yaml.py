"""The YAML entry format: strict validation with lines, and round trips."""

from __future__ import annotations

import pytest

from tests.conftest import PAGES
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import parse_page
from tilflytting.ingest.yaml_entry import EntryFormatError, dump_yaml, entry_to_data, parse_yaml

GOOD = """\
tittel: Flytt til Tynset
kommuner:
  - Tynset
  - "0301"
prosjekter:
  - navn: Velkomst
    fra: 2010
    til: 2012
aktiviteter:
  - Annonsering i media
  - tekst: Vertskapsordning
    term: vertskapsordning
komplett: true
"""


def test_good_entry_reads_with_lines() -> None:
    entry = normalise(parse_yaml(GOOD))
    assert entry.title == "Flytt til Tynset"
    assert [p.nr_2024 for p in entry.places] == ["3427", "0301"]
    assert [(p.name, p.start, p.end, p.ongoing) for p in entry.projects] == [
        ("Velkomst", 2010, 2012, False)
    ]
    assert [(i.text, i.term, i.line) for i in entry.lists["aktiviteter"]] == [
        ("Annonsering i media", "annonsering-i-media", 10),
        ("Vertskapsordning", "vertskapsordning", 11),
    ]


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("tittel: X\nkommuner:\n  - 0301\n", "0301 was read as a number; put it in quotes", 3),
        ("tittel: X\nfylke: NO\n", "NO was read as yes/no", 2),
        ("tittel: X\ntittel: Y\n", "duplicate key 'tittel'", 2),
        ("tittel: X\nmalgruppe: [a]\n", "unknown key 'malgruppe' (did you mean 'malgrupper'?)", 2),
        ("- tittel: X\n", "must be a mapping", 1),
        ("tittel: X\naktiviteter: Annonsering\n", "'aktiviteter' must be a list", 2),
        ("tittel: !!python/object:os.system X\n", "tag:yaml.org,2002:python/object", 1),
        ("ingress: X\n", "no 'tittel'", 1),
        ("tittel: [X\n", "not valid YAML", 2),
        ("tittel: X\nprosjekter:\n  - navn: A\n    fra: '2010'\n", "must be a year or empty", 4),
    ],
)
def test_bad_entries_name_key_and_line(text: str, message: str, line: int) -> None:
    with pytest.raises(EntryFormatError) as error:
        parse_yaml(text)
    assert message in str(error.value)
    assert error.value.line == line


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    with pytest.raises(EntryFormatError, match=r"unknown key 'a0'|aliases"):
        parse_yaml("\n".join(lines))
    with pytest.raises(EntryFormatError, match="aliases are not allowed"):
        parse_yaml("tittel: X\naktiviteter: &a [a, b]\nmalgrupper: *a\n")


@pytest.mark.parametrize("name", ["bokmal-complete.txt", "nynorsk-cut.txt", "odd-headings.txt"])
def test_page_to_yaml_and_back_is_the_same_entry(name: str) -> None:
    entry = normalise(parse_page((PAGES / name).read_text(encoding="utf-8")))
    data = entry_to_data(entry)
    again = normalise(parse_yaml(dump_yaml(data)))
    assert entry_to_data(again) == data


def test_namesake_municipalities_need_their_county() -> None:
    entry = normalise(parse_yaml("tittel: X\nkommuner: [Herøy (Nordland), Bø (Telemark)]\n"))
    assert [(p.name, p.nr_2012, p.nr_2024) for p in entry.places] == [
        ("Herøy", "1818", "1818"),
        ("Bø", "0821", "4020"),  # Bø in Telemark became part of Midt-Telemark
    ]
    bare = normalise(parse_yaml("tittel: X\nkommuner: [Herøy]\n"))
    (problem,) = [p for p in bare.problems if p.level == "error"]
    assert "ambiguous" in problem.message and "Herøy (Møre og Romsdal)" in problem.message
    counties = normalise(parse_yaml("tittel: X\nfylke: [Oppland, Buskerud]\n"))
    assert [(p.fylke_2012, p.fylke_2024) for p in counties.places] == [
        ("Oppland", "Innlandet"),
        ("Buskerud", "Buskerud"),
    ]
