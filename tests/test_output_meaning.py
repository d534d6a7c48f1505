"""Issue 20's "Seen today": options that line up, exports that keep their
meaning, filter notes from every command that takes filters, and the
researchers' tables. Expected values come from the JSON (which other tests
check against the YAML files) or are counted from it here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, catalog_copy


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "meaning")
    yield cli


def as_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def as_csv(cli: Cli, *args: str) -> list[dict[str, str]]:
    result = cli(*args, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


# -- options that line up -------------------------------------------------------------
@pytest.mark.parametrize(
    "name", ["målgruppe", "målgrupper", "malgrupper", "Målgrupper", "malgruppe"]
)
def test_a_list_is_named_the_same_way_everywhere(catalog: Cli, name: str) -> None:
    """Seen: `--målgruppe` but `summarise --list malgrupper`, `--list målgruppe` refused."""
    summary = as_json(catalog, "summarise", "--list", name)
    assert list(summary["lister"]) == ["malgrupper"]
    vocab = as_json(catalog, "vocab", "--list", name)
    assert {row["liste"] for row in vocab} == {"malgrupper"}


def test_every_facet_option_has_the_name_of_its_list(catalog: Cli) -> None:
    """Seen: `--partner`, but the list is samarbeidspartnere."""
    by_list = as_json(catalog, "search", "--samarbeidspartner", "fylkeskommunen")
    by_short = as_json(catalog, "search", "--partner", "fylkeskommunen")
    assert [e["slug"] for e in by_list] == [e["slug"] for e in by_short]
    expected = sorted(
        e["slug"]
        for e in as_json(catalog, "search", "--limit", "100")
        if any(i["term"] == "fylkeskommunen" for i in e["samarbeidspartnere"])
    )
    assert sorted(e["slug"] for e in by_list) == expected


# -- exports that keep their meaning ------------------------------------------------------
def test_compare_exports_name_their_columns_and_keep_the_scores(catalog: Cli) -> None:
    """Seen: compare's CSV and Markdown named the columns "1" and "2" and left
    out the shared-terms scores."""
    data = as_json(catalog, "compare", "holtalen", "rennebu-3000")
    rows = as_csv(catalog, "compare", "holtalen", "rennebu-3000")
    assert {"tilflyttingstiltak-i-holtalen", "rennebu-3000"} <= set(rows[0])
    assert "1" not in rows[0] and "2" not in rows[0]
    scores = {r["liste"]: r["likhet"] for r in rows if r["tabell"] == "likhet"}
    assert scores == {k: str(v) for k, v in data["likhet"].items()}
    vertskap = next(r for r in rows if r["term"] == "vertskapsordning")
    assert (vertskap["tilflyttingstiltak-i-holtalen"], vertskap["rennebu-3000"]) == ("x", "x")
    markdown = catalog("compare", "holtalen", "rennebu-3000", "--format", "markdown").stdout
    assert "| Term | Tilflyttingstiltak i Holtålen | Rennebu 3000 |" in markdown
    assert "64 %" in markdown or "64%" in markdown  # activities in common, 0.643


def test_lists_in_csv_are_joined_never_a_python_list(catalog: Cli) -> None:
    """Seen: `similar -f csv` wrote `felles` as a Python list."""
    data = as_json(catalog, "similar", "holtalen", "--limit", "3")
    rows = as_csv(catalog, "similar", "holtalen", "--limit", "3")
    for row, hit in zip(rows, data, strict=True):
        assert not row["felles"].startswith("[")
        assert row["felles"].split("; ") == hit["felles"]


def test_aktiviteter_mean_the_same_in_list_and_export_csv(catalog: Cli) -> None:
    """`aktiviteter` was a count in `list -f csv` and joined texts in `export -f csv`."""
    listed = {r["slug"]: r for r in as_csv(catalog, "list")}
    exported = {
        r["slug"]: r for r in csv.DictReader(io.StringIO(catalog("export", "-f", "csv").stdout))
    }
    assert listed == exported
    holtalen = as_json(catalog, "show", "holtalen")
    row = listed["tilflyttingstiltak-i-holtalen"]
    assert row["aktiviteter"].split("; ") == [i["tekst"] for i in holtalen["aktiviteter"]]


# -- filter notes -----------------------------------------------------------------------------
NOTE = "'tilbakeflyttere' → potensielle-tilbakeflyttere"


@pytest.mark.parametrize(
    "command",
    [["search"], ["summarise"], ["similar", "holtalen"], ["timeline"], ["export", "-f", "json"]],
    ids=lambda c: c[0],
)
def test_every_command_with_filters_says_what_a_value_was_taken_to_mean(
    catalog: Cli, command: list[str]
) -> None:
    """Seen: `search` said "'tilbakeflyttere' → potensielle-tilbakeflyttere";
    summarise, similar, timeline and export with the same filter said nothing."""
    result = catalog(*command, "--målgruppe", "tilbakeflyttere")
    assert result.exit_code == 0, result.stderr
    assert NOTE in result.stderr
    assert NOTE not in result.stdout


# -- researchers' tables ------------------------------------------------------------------------
def test_summarise_folketall_lists_the_entries_behind_each_count(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seen: the table and CSV gave counts only; which entries grew was only
    in the JSON."""
    growth = as_json(catalog, "summarise", "--folketall")["folketall"]
    grew = sorted(e["slug"] for e in growth["oppforinger"] if e["endring_prosent"] > 0)
    assert len(grew) == growth["vekst"] > 0
    rows = as_csv(catalog, "summarise", "--folketall")
    listed = [r for r in rows if r["tabell"] == "folketall_oppforinger"]
    assert sorted(r["slug"] for r in listed if float(r["endring_prosent"]) > 0) == grew
    holtalen = next(r for r in listed if r["slug"] == "tilflyttingstiltak-i-holtalen")
    expected = next(e for e in growth["oppforinger"] if e["slug"] == holtalen["slug"])
    assert holtalen["tittel"] == "Tilflyttingstiltak i Holtålen"
    assert float(holtalen["differanse_prosentpoeng"]) == expected["differanse_prosentpoeng"]
    monkeypatch.setenv("COLUMNS", "120")
    table = catalog("summarise", "--folketall").stdout
    # The area by its 2012 number: figures are on the catalog's borders (issue 18).
    assert "Tilflyttingstiltak i Holtålen" in table and "Holtålen 1644" in table


def test_cross_table_uses_the_terms_of_the_table_above(catalog: Cli) -> None:
    """Seen: `summarise --list malgrupper --by region --top 3` cross-tabulated
    other terms than its own top 3."""
    for by in ("region", "fylke"):
        data = as_json(catalog, "summarise", "--list", "malgrupper", "--by", by, "--top", "3")
        top = [r["term"] for r in data["lister"]["malgrupper"]]
        crossed = [r["term"] for r in data["kryss"]["malgrupper"]]
        assert crossed == [t for t in top if t in crossed] and len(top) == 3
        assert set(crossed) <= set(top)
