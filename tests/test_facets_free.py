"""Facets on free answers (issue 19): a value that is no vocabulary term
matches the answers pages give in their own words; a value that matches
nothing is a usage error (exit 2) with the closest terms."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import catalog_expected as ce
from tests.conftest import Cli, catalog_copy
from tilflytting.core.fold import fold
from tilflytting.reference.vocabulary import vocabulary


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "free")
    yield cli


def bundled_with(liste: str, words: str) -> list[str]:
    """Slugs of bundled entries with an item of `liste` containing `words`,
    read from the YAML files themselves."""
    found = []
    for data in ce.entries().values():
        items = [i if isinstance(i, str) else i["tekst"] for i in data.get(liste) or []]
        if any(words in fold(item) for item in items):
            found.append(data["slug"])
    return found


def test_fred_og_ro_is_a_free_answer_not_a_term() -> None:
    labels = [fold(t.label) for t in vocabulary().terms["salgsargumenter"].values()]
    assert "fred og ro" not in labels  # else this test would test nothing new
    assert "bulyst-i-utsira" in bundled_with("salgsargumenter", "fred og ro")


def test_facet_finds_a_free_answer_and_says_so(catalog: Cli) -> None:
    result = catalog("search", "--salgsargument", "fred og ro", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert sorted(r["slug"] for r in rows) == bundled_with("salgsargumenter", "fred og ro")
    assert "free answers" in result.stderr and "'Fred og ro'" in result.stderr
    assert "salgsargumenter:Fred og ro" in rows[0]["treff"]


def test_a_word_of_a_free_answer_finds_it_as_a_phrase(catalog: Cli) -> None:
    result = catalog("search", "--salgsargument", "FRED", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "bulyst-i-utsira" in [r["slug"] for r in json.loads(result.stdout)]


def test_free_answers_and_terms_together(catalog: Cli) -> None:
    both = catalog(
        "search", "--salgsargument", "fred og ro", "--salgsargument", "friluftsliv", "-f", "json"
    )
    alone = catalog("search", "--salgsargument", "friluftsliv", "-f", "json")
    slugs = {r["slug"] for r in json.loads(both.stdout)}
    assert slugs == {r["slug"] for r in json.loads(alone.stdout)} | {"bulyst-i-utsira"}


def test_summarise_counts_entries_with_the_free_answer(catalog: Cli) -> None:
    result = catalog("summarise", "--salgsargument", "fred og ro", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["oppforinger"] == len(
        bundled_with("salgsargumenter", "fred og ro")
    )


def test_free_answer_is_listed_by_vocab_unmatched(catalog: Cli) -> None:
    result = catalog("vocab", "--unmatched", "--list", "salgsargumenter", "--format", "json")
    assert "Fred og ro" in [row["tekst"] for row in json.loads(result.stdout)]


def test_a_value_matching_nothing_is_a_usage_error_with_suggestions(catalog: Cli) -> None:
    result = catalog("search", "--målgruppe", "barnfamilje")
    assert result.exit_code == 2 and result.stdout == ""
    assert "barnefamilier" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("search", "--fylke", "Atlantis"),
        ("search", "--kommune", "Atlantis"),
        ("search", "--region", "Atlantis"),
        ("summarise", "--list", "hobbyer"),
        ("summarise", "--by", "planet"),
        ("search", "--fra", "2012", "--til", "2008"),
        ("compare", "holtalen"),
    ],
)
def test_values_that_name_nothing_exit_2(catalog: Cli, args: tuple[str, ...]) -> None:
    result = catalog(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("tilflytting: ") and "Traceback" not in result.stderr


def test_no_matches_for_a_valid_filter_is_exit_0_with_a_note(catalog: Cli) -> None:
    result = catalog("search", "finnesikkeordet", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    table = catalog("search", "finnesikkeordet")
    assert table.exit_code == 0 and "nothing matches" in table.stdout + table.stderr


def test_unknown_entry_stays_an_error_not_usage(catalog: Cli) -> None:
    assert catalog("show", "finnes-ikke-123").exit_code == 1
