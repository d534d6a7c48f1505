"""The controlled vocabulary: matching, splitting, resolving what users type."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import catalog_expected as ce
from tests.conftest import Cli
from tests.terms_expected import TERMS
from tilflytting.core.model import LISTS, Entry, Item
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import parse_page
from tilflytting.reference.places import data_dir
from tilflytting.reference.vocabulary import UnknownTerm, json_copy, read_yaml, vocabulary


def terms_of(entry: Entry) -> dict[str, list[Any]]:
    return {
        name: [(i.term, i.detail) if i.detail else i.term for i in entry.lists[name]]
        for name in LISTS
    }


@pytest.mark.parametrize("slug", sorted(TERMS))
def test_corpus_page_terms(corpus: Path, slug: str) -> None:
    entry = normalise(parse_page((corpus / f"{slug}.txt").read_text("utf-8")))
    assert terms_of(entry) == TERMS[slug]


def normalised(liste: str, *texts: str, cut: bool = False) -> list[tuple[str, str | None]]:
    items = [Item(text, n, truncated=cut) for n, text in enumerate(texts)]
    return [(i.text, i.term) for i in vocabulary().normalise_items(liste, items)]


@pytest.mark.parametrize(
    ("liste", "text", "term"),
    [
        ("aktiviteter", "Vertsskapsordning", "vertskapsordning"),
        ("aktiviteter", "VERTSKAPSORDNING.", "vertskapsordning"),
        ("aktiviteter", "Brosyrer og lignende", "brosjyrer"),
        (
            "aktiviteter",
            "Samarbeid med næringsliv og /eller frivillige organisasjoner",
            "samarbeid-naeringsliv-frivillige",
        ),
        ("salgsargumenter", "Godt oppvekstmiljø (Nes)", "godt-oppvekstmiljo"),
        ("salgsargumenter", "Bydemiljø/sosialt miljø", "bygdemiljo"),
        ("salgsargumenter", "Kulturtilbod", "kulturtilbud"),
        ("malgrupper", "Barnefamiliar", "barnefamilier"),
        ("malgrupper", "Livstilsflyttere fra utlandet", "livsstilsflyttere-fra-utlandet"),
        (
            "malgrupper",
            "Livsstilsflyttere fra utlandet. Har fått familier fra Belgia",
            "livsstilsflyttere-fra-utlandet",
        ),
        ("samarbeidspartnere", "Grende- /bygdelag", "grende-og-bygdelag"),
        ("samarbeidspartnere", "Næringslivet (Sparebank 1 Hallingdal)", "naeringslivet"),
    ],
)
def test_spellings_of_one_term(liste: str, text: str, term: str) -> None:
    assert normalised(liste, text) == [(text, term)]


@pytest.mark.parametrize(
    ("liste", "text"),
    [
        ("aktiviteter", "Arrangement i kommunen for å rekruttere folk"),  # half of two terms
        ("aktiviteter", "Bruk av sosiale medier"),
        ("salgsargumenter", "Fred og ro"),
        ("malgrupper", "Innflyttere fra Polen"),
        ("samarbeidspartnere", "Bedrifter i Vesterålen"),
    ],
)
def test_free_answers_stay_free(liste: str, text: str) -> None:
    assert normalised(liste, text) == [(text, None)]


def test_merged_items_are_split_and_duplicates_count_once() -> None:
    assert normalised("malgrupper", "Arbeidskraft generelt Barnefamilier", "Barnefamilier") == [
        ("Arbeidskraft generelt", "arbeidskraft-generelt"),
        ("Barnefamilier", "barnefamilier"),
    ]
    assert normalised("samarbeidspartnere", "KRD og Husbanken") == [
        ("KRD", "kommunal-og-regionaldepartementet"),
        ("Husbanken", "husbanken"),
    ]


def test_public_bodies_keep_their_county() -> None:
    items = vocabulary().normalise_items(
        "samarbeidspartnere",
        [
            Item("Aust- Agder fylkeskommune", 1),
            Item("Fylkesmannen i Nord- Trøndelag", 2),
            Item("Fylkeskommunen Oppland", 3),
            Item("Troms Fylkeskommune", 4),
        ],
    )
    assert [(i.term, i.detail) for i in items] == [
        ("fylkeskommunen", "Aust-Agder"),
        ("fylkesmannen", "Nord-Trøndelag"),
        ("fylkeskommunen", "Oppland"),
        ("fylkeskommunen", "Troms"),
    ]


def test_cut_items_match_only_one_term_by_their_beginning() -> None:
    assert normalised("malgrupper", "Hyttef", cut=True) == [("Hyttef", "hyttefolk")]
    assert (
        normalised("malgrupper", "Potensielle tilbake", cut=True)[0][1]
        == "potensielle-tilbakeflyttere"
    )
    assert normalised("malgrupper", "Arbei", cut=True) == [("Arbei", None)]  # two terms start so
    assert normalised("malgrupper", "Ung", cut=True) == [("Ung", None)]  # too short to tell


def test_item_under_the_wrong_heading_moves(corpus: Path) -> None:
    entry = normalise(parse_page((corpus / "stedsutvikling-i-iveland.txt").read_text("utf-8")))
    assert "potensielle-tilbakeflyttere" in [i.term for i in entry.lists["malgrupper"]]
    assert "Potensielle tilbakeflyttere" not in [i.text for i in entry.lists["aktiviteter"]]


@pytest.mark.parametrize(
    ("liste", "typed", "terms"),
    [
        ("malgrupper", "barnefamilier", ["barnefamilier"]),
        ("malgrupper", "Barnefamiliar", ["barnefamilier"]),
        ("malgrupper", "livsstilsflyttere", ["livsstilsflyttere-fra-utlandet"]),
        ("malgrupper", "tilbakeflyttere", ["potensielle-tilbakeflyttere"]),
        ("malgrupper", "potensielle-tilbakeflyttere", ["potensielle-tilbakeflyttere"]),
        ("aktiviteter", "vertskap", ["vertskapsordning"]),
        ("aktiviteter", "kampanje", ["kampanje-bosted", "kampanje-arbeidskraft"]),
        ("samarbeidspartnere", "fylkesmannen", ["fylkesmannen"]),
    ],
)
def test_resolve_what_users_type(liste: str, typed: str, terms: list[str]) -> None:
    assert [t.slug for t in vocabulary().resolve(liste, typed)] == terms


def test_unknown_term_names_the_closest() -> None:
    with pytest.raises(UnknownTerm) as error:
        vocabulary().resolve("malgrupper", "barnfamilje")
    assert "barnefamilier" in str(error.value)


def test_vocab_command_counts_and_unmatched(catalog_cli: Cli) -> None:
    rows = json.loads(catalog_cli("vocab", "--list", "malgrupper", "--format", "json").stdout)
    counts = {r["term"]: r["oppforinger"] for r in rows}
    assert counts["barnefamilier"] == 14 and counts["potensielle-tilbakeflyttere"] == 21
    free = json.loads(catalog_cli("vocab", "--unmatched", "--format", "json").stdout)
    texts = {r["tekst"] for r in free}
    assert {"Fred og ro", "Innflyttere fra Polen", "Bruk av sosiale medier"} <= texts
    assert not texts & {"Vertsskapsordning", "Barnefamiliar", "Hyttef", "Kvinne"}
    assert all(r["oppforinger"] >= 1 for r in free)


def test_vocab_apply_renormalises_without_files(catalog_cli: Cli, tmp_path: Path) -> None:
    catalog_cli.db.parent.mkdir(exist_ok=True)
    from tilflytting.store.database import Store

    store = Store.open(catalog_cli.db)
    store.conn.execute("UPDATE items SET term = NULL")
    store.conn.execute("UPDATE tally_terms SET oppforinger = 0")  # as stale as the terms
    store.close()
    result = catalog_cli("vocab", "--apply", "--format", "json")
    assert result.exit_code == 0 and "entries changed" in result.stderr
    data = json.loads(catalog_cli("show", "holtalen", "--format", "json").stdout)
    assert [i["term"] for i in data["malgrupper"]][:3] == [
        "hoyt-utdannet-arbeidskraft", "arbeidskraft-generelt", "barnefamilier"
    ]  # fmt: skip
    counts = json.loads(catalog_cli("summarise", "--format", "json").stdout)
    barnefamilier = [r for r in counts["lister"]["malgrupper"] if r["term"] == "barnefamilier"]
    assert barnefamilier[0]["oppforinger"] == 14  # --apply counts again


def test_the_json_copy_the_tool_reads_equals_the_yaml() -> None:
    current = (data_dir() / "vocabulary.json").read_text("utf-8")
    assert current == json_copy(), "data/vocabulary.json is stale: run `make vocabulary`"


def test_a_vocabulary_file_of_ones_own_is_read_as_yaml(tmp_path: Path) -> None:
    own = tmp_path / "own.yaml"
    own.write_text("malgrupper:\n  studenter:\n    label: Studenter\n    other: [studentar]\n")
    assert read_yaml(own)["malgrupper"]["studenter"]["label"] == "Studenter"
    assert [t.slug for t in vocabulary(own).resolve("malgrupper", "studentar")] == ["studenter"]


# -- near-forms: matched by words as well as by spelling (issue 19) -------------------
@pytest.mark.parametrize(
    ("liste", "text", "term"),
    [
        ("aktiviteter", "Annonsering i lokale media", "annonsering-i-media"),
        ("aktiviteter", "Media, annonsering i", "annonsering-i-media"),
        ("malgrupper", "Flyttarar frå storbyområda", "flyttere-fra-storbyomrader"),
        ("malgrupper", "Alle typer innflyttere, særlig unge", "alle-typer-innflyttere"),
        # Hamarøy's page: the words of "Alle typer innflyttere" and two more.
        (
            "malgrupper",
            "Lokalbefolkningen, gjester og alle typer innflyttere",
            "alle-typer-innflyttere",
        ),
    ],
)
def test_near_forms_match_by_words(liste: str, text: str, term: str) -> None:
    assert [i.term for i in vocabulary().normalise_items(liste, [Item(text)])] == [term]


@pytest.mark.parametrize(
    ("liste", "text"),
    [
        # Missing one word of a category is no match: `i` for `utenfor` flips it.
        ("aktiviteter", "Arrangement i kommunen for å rekruttere folk"),
        # More than two words added: a free answer that mentions a category.
        ("aktiviteter", "Annonsering i media om ledige stillinger i kommunen"),
        ("malgrupper", "Ungdom"),  # one word: matched by spelling only, never by words
    ],
)
def test_words_alone_do_not_stretch_too_far(liste: str, text: str) -> None:
    found = vocabulary().normalise_items(liste, [Item(text)])
    if text == "Ungdom":
        assert [i.term for i in found] == ["ungdom"]
    else:
        assert [i.term for i in found] == [None], found


def test_bundled_entries_get_the_terms_the_rules_give(catalog_cli: Cli) -> None:
    """Every item of the 43 bundled entries, against a second reading of
    docs/vocabulary.md's rules in tests/catalog_expected.py (written forms,
    two on one line, public bodies with their county, cut-off items, items
    under another list's heading; the two looser matches named there)."""
    data = json.loads(catalog_cli("export", "--format", "json").stdout)["oppforinger"]
    expected = ce.entries()
    assert sorted(entry["slug"] for entry in data) == sorted(expected)
    for entry in data:
        for liste in LISTS:
            stored = {(i["term"], i["detalj"]) for i in entry[liste] if i["term"]}
            wanted = ce.terms(expected[entry["slug"]])[liste]
            assert {t for t, _ in stored} == {t for t, _ in wanted}, (entry["slug"], liste)
            assert {p for p in wanted if p[1]} <= stored, (entry["slug"], liste)  # counties
