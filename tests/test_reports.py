"""compare, summarise, similar and timeline on the bundled catalog."""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests import catalog_expected as ce
from tests.conftest import CATALOG, Cli, catalog_copy, copy_db


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "reports")
    yield cli


def as_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def term_rows(liste: str, chosen: list[dict[str, Any]], top: int | None = None) -> list[Any]:
    """A list's term rows as docs/json.md defines them, from the YAML: each
    term's entries and share, most used first, equal counts in Norwegian
    order of their labels."""
    counts = ce.term_counts(liste, chosen)
    order = sorted(counts, key=lambda t: (-counts[t], ce.norwegian(ce.label(liste, t))))
    rows = [(t, counts[t], ce.share(counts[t], len(chosen))) for t in order]
    return rows[:top] if top else rows


def test_summarise_counts_and_shares(catalog: Cli) -> None:
    data = as_json(catalog, "summarise")
    everyone = list(ce.entries().values())
    assert (data["oppforinger"], data["kommuner"], data["fylker_2012"], data["fylker_2024"]) == (
        len(everyone),
        len(set().union(*map(ce.municipalities, everyone))),
        len(set().union(*(ce.counties(e, "fylke_2012") for e in everyone))),
        len(set().union(*(ce.counties(e, "fylke_2024") for e in everyone))),
    )
    for liste, rows in data["lister"].items():
        shown = [(r["term"], r["oppforinger"], r["andel"]) for r in rows]
        assert shown == term_rows(liste, everyone), liste
        free = [ce.free_answers(e, liste) for e in everyone]
        assert data["fritekst"][liste] == {
            "oppforinger": sum(1 for answers in free if answers),
            "svar": sum(map(len, free)),
        }
    # What a reader checks first, by hand from the YAML files: 21 of 43
    # entries name Potensielle tilbakeflyttere; Hamarøy's "Lokalbefolkningen,
    # gjester og alle typer innflyttere" counts for Alle typer innflyttere.
    assert data["lister"]["malgrupper"][0]["term"] == "potensielle-tilbakeflyttere"
    assert "tilflytting-og-bolyst-i-hamaroy" in slugs(catalog, "--målgruppe", "alle-typer")


def slugs(cli: Cli, *args: str) -> set[str]:
    return {row["slug"] for row in as_json(cli, "search", *args)}


def project_years(until: int = ce.CATALOG_YEAR) -> dict[str, dict[str, int]]:
    """Projects started and running per year, from the YAML (docs/search.md:
    a project without an end runs until the catalog's year, or `until`; one
    whose start could not be read is not counted), every year from the first
    start to the last end."""
    spans = [span for e in ce.entries().values() for span in ce.spans(e, until)]
    years = range(min(s for s, _ in spans), max(e for _, e in spans) + 1)
    return {
        "startet": {str(y): sum(s == y for s, _ in spans) for y in years},
        "aktive": {str(y): sum(s <= y <= e for s, e in spans) for y in years},
    }


def test_summarise_projects_per_year(catalog: Cli) -> None:
    years = as_json(catalog, "summarise")["prosjekter"]
    assert years == project_years()
    # Since issue 19 a period is a project only where the page names one:
    # Rennebu's "samarbeidet Rennebu med Placement ..." (2005-2009) went, and
    # Hadsel's «Fløtt heim» (2010-) and Orkdal's two "Fra 2009/2007 ..." came.
    assert years["startet"]["2005"] == 4 and years["startet"]["1998"] == 1
    # The six open-ended projects run until the catalog's year, or today when asked.
    today = as_json(catalog, "summarise", "--til-i-dag")["prosjekter"]
    assert today == project_years(until=date.today().year)
    assert today["aktive"][str(date.today().year)] == 6
    assert str(date.today().year) not in years["aktive"]


def test_summarise_subset_and_top(catalog: Cli) -> None:
    data = as_json(catalog, "summarise", "--fylke", "Troms", "--list", "malgrupper", "--top", "2")
    troms = [e for e in ce.entries().values() if ce.in_county(e, "Troms")]
    assert data["oppforinger"] == len(troms) == 4 and list(data["lister"]) == ["malgrupper"]
    shown = [(r["term"], r["oppforinger"], r["andel"]) for r in data["lister"]["malgrupper"]]
    assert shown == term_rows("malgrupper", troms, top=2)


def test_summarise_cross_table_by_county_of_2012(catalog: Cli) -> None:
    data = as_json(catalog, "summarise", "--by", "fylke2012", "--list", "malgrupper")
    row = next(r for r in data["kryss"]["malgrupper"] if r["term"] == "barnefamilier")
    groups = {g: (v["antall"], v["andel"]) for g, v in row["grupper"].items()}
    everyone = ce.entries().values()
    expected = {}
    for county in set().union(*(ce.counties(e, "fylke_2012") for e in everyone)):
        inside = [e for e in everyone if county in ce.counties(e, "fylke_2012")]
        having = sum("barnefamilier" in ce.slugs_of(e, "malgrupper") for e in inside)
        expected[county] = (having, ce.share(having, len(inside)))
    assert groups == expected
    assert groups["Sør-Trøndelag"] == (2, 0.4)  # Holtålen and Rennebu of five


FILTERS = [
    ["--kommune", "Holtålen"],
    ["--fylke", "Troms"],
    ["--målgruppe", "barnefamilier"],
    ["--aktivitet", "nettside", "--komplett"],
    ["--fra", "2008", "--til", "2010"],
]


@pytest.mark.parametrize("share", [0.0, 1.0])
@pytest.mark.parametrize("filters", FILTERS, ids=" ".join)
def test_summarise_of_a_subset_counts_its_entries_terms(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch, filters: list[str], share: float
) -> None:
    """Both ways of counting (entry by entry, or each list whole: chosen by
    the subset's size) give what the subset's own entries hold."""
    monkeypatch.setattr("tilflytting.store.counts.BY_ENTRY_SHARE", share)
    entries = as_json(catalog, "search", *filters)
    data = as_json(catalog, "summarise", *filters)
    assert data["oppforinger"] == len(entries) > 0
    for liste, rows in data["lister"].items():
        expected = Counter(
            term for entry in entries for term in {i["term"] for i in entry[liste]} if term
        )
        assert {r["term"]: r["oppforinger"] for r in rows if r["oppforinger"]} == expected
        free = [[i for i in entry[liste] if not i["term"]] for entry in entries]
        assert data["fritekst"][liste] == {
            "oppforinger": sum(1 for answers in free if answers),
            "svar": sum(len(answers) for answers in free),
        }


def test_summarize_is_an_alias(catalog: Cli) -> None:
    assert as_json(catalog, "summarize")["oppforinger"] == 43


def similarity(slug: str, among: list[str] | None = None) -> dict[str, float]:
    """`similar`'s score of every entry sharing a term with `slug`, by the
    formula of README and docs/json.md, from the YAML entries' terms: each
    (list, term) weighs log(1 + N/n), N the entries with any term and n
    those with this one; the score is the weight of the shared terms over
    the weight of all terms either has (a term counts once per entry)."""
    everyone = {
        s: {(liste, t) for liste in ce.LISTS for t in ce.slugs_of(e, liste)}
        for s, e in ce.entries().items()
    }
    with_terms = [terms for terms in everyone.values() if terms]
    frequency: Counter[tuple[str, str]] = Counter(p for t in with_terms for p in t)
    weight = {p: math.log(1 + len(with_terms) / n) for p, n in frequency.items()}
    mine = everyone[slug]
    return {
        other: round(
            sum(weight[p] for p in mine & theirs) / sum(weight[p] for p in mine | theirs), 3
        )
        for other, theirs in everyone.items()
        if other != slug and mine & theirs and (among is None or other in among)
    }


@pytest.mark.parametrize("slug", ["tilflyttingstiltak-i-holtalen", "smakommuneprosjektet"])
def test_similar_scores_follow_the_documented_formula(catalog: Cli, slug: str) -> None:
    """Småkommuneprosjektet names one partner term twice, for two places:
    counted once."""
    expected = similarity(slug)
    rows = as_json(catalog, "similar", slug, "--limit", "100")
    assert {r["slug"]: r["likhet"] for r in rows} == expected
    assert [r["likhet"] for r in rows] == sorted(expected.values(), reverse=True)


def test_similar_to_holtalen(catalog: Cli) -> None:
    expected = similarity("tilflyttingstiltak-i-holtalen")
    best = sorted(expected, key=lambda s: (-expected[s], s))[:4]
    rows = as_json(catalog, "similar", "holtalen", "--limit", "4")
    assert [(r["slug"], r["likhet"]) for r in rows] == [(s, expected[s]) for s in best]
    assert "tilflyttingstiltak-i-holtalen" not in [
        r["slug"] for r in as_json(catalog, "similar", "holtalen")
    ]
    holtalen, first = (ce.entries()[s] for s in ("tilflyttingstiltak-i-holtalen", best[0]))
    shared = sum(len(ce.slugs_of(holtalen, li) & ce.slugs_of(first, li)) for li in ce.LISTS)
    assert rows[0]["antall_felles"] == len(rows[0]["felles"]) == shared
    nearby = as_json(catalog, "similar", "holtalen", "--fylke", "Sør-Trøndelag")
    in_county = [s for s, e in ce.entries().items() if ce.in_county(e, "Sør-Trøndelag")]
    scores = similarity("tilflyttingstiltak-i-holtalen", among=in_county)
    assert [r["slug"] for r in nearby] == sorted(scores, key=lambda s: (-scores[s], s))


def test_compare_marks_shared_terms_first(catalog: Cli) -> None:
    data = as_json(catalog, "compare", "holtalen", "rennebu-3000")
    assert [e["slug"] for e in data["oppforinger"]] == [
        "tilflyttingstiltak-i-holtalen",
        "rennebu-3000",
    ]
    # docs/json.md: per list, the terms all entries have over the terms any has.
    one, two = (ce.entries()[s] for s in ("tilflyttingstiltak-i-holtalen", "rennebu-3000"))
    expected = {
        liste: round(ce.jaccard(ce.slugs_of(one, liste), ce.slugs_of(two, liste)), 3)
        for liste in ce.LISTS
    }
    pairs = [{(li, t) for li in ce.LISTS for t in ce.slugs_of(e, li)} for e in (one, two)]
    expected["samlet"] = round(ce.jaccard(*pairs), 3)
    assert data["likhet"] == expected
    assert expected["salgsargumenter"] == 0.0  # nothing in common: still a number
    rows = data["lister"]["aktiviteter"]
    flags = [tuple(r["har"]) for r in rows if r["term"]]
    assert flags == sorted(flags, key=lambda f: -sum(f))  # shared first
    assert rows[0]["har"] == [True, True]


def test_compare_table_fits_80_columns(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = catalog("compare", "holtalen", "tilflyttingsprosjektet-i-nordland", "rennebu-3000")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "Terms in common overall" in result.stdout and "Vertskapsordning" in result.stdout


def test_compare_needs_two_known_entries(catalog: Cli) -> None:
    assert catalog("compare", "holtalen").exit_code == 2
    missing = catalog("compare", "holtalen", "finnes-ikke")
    assert missing.exit_code == 1 and "no entry matches 'finnes-ikke'" in missing.stderr


def test_timeline_spans(catalog: Cli) -> None:
    data = as_json(catalog, "timeline", "--kommune", "Holtålen")
    assert (data["fra"], data["til"]) == (2005, 2012)  # the catalog's year
    (entry,) = data["oppforinger"]
    assert [(p["navn"], p["fra"], p["vist_til"]) for p in entry["prosjekter"]] == [
        ("Prosjekt Nederland", 2005, 2009),
        ("Flytt hit på første klasse", 2005, 2006),
        ("Lys i alle grender", 2008, 2012),
    ]
    dyroy = as_json(catalog, "timeline", "--kommune", "Dyrøy")["oppforinger"][0]["prosjekter"]
    team = next(p for p in dyroy if p["navn"] == "Rekrutteringsteam")
    assert team["pagaende"] and team["vist_til"] == 2012
    today = as_json(catalog, "timeline", "--kommune", "Dyrøy", "--til-i-dag")["oppforinger"]
    team = next(p for p in today[0]["prosjekter"] if p["navn"] == "Rekrutteringsteam")
    assert team["vist_til"] == date.today().year


def test_timeline_draws_bars(catalog: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = catalog("timeline", "--fylke", "Troms").stdout
    assert "Rekrutteringsteam" in out and "█" in out and "▶" in out


def test_timeline_table_shows_the_first_entries(
    catalog: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tilflytting.cli.TABLE_ROWS", 3)
    monkeypatch.setenv("COLUMNS", "200")
    every = as_json(catalog, "timeline")["oppforinger"]  # machine formats are not cut
    assert len(every) > 3 and every == sorted(every, key=lambda e: e["slug"])
    table = catalog("timeline")
    assert f"3 of {len(every)} entries" in table.stdout
    assert f"showing the first 3 of {len(every)} entries" in table.stderr
    assert [e["slug"] for e in every if e["slug"] in table.stdout] == [e["slug"] for e in every[:3]]
    first = as_json(catalog, "timeline", "--limit", "2")
    assert first["oppforinger"] == every[:2]
    starts = [p["fra"] for e in every[:2] for p in e["prosjekter"] if p["fra"]]
    assert first["fra"] == min(starts)


@pytest.mark.parametrize(
    "command",
    [["summarise"], ["similar", "holtalen"], ["timeline"], ["compare", "holtalen", "osen"]],
)
@pytest.mark.parametrize("fmt", ["csv", "markdown", "jsonl"])
def test_every_report_prints_every_format(catalog: Cli, command: list[str], fmt: str) -> None:
    result = catalog(*command, "--format", fmt)
    assert result.exit_code == 0 and result.stdout.strip()


def test_backwards_period_never_makes_running_counts_negative(tmp_path: Any) -> None:
    """A YAML entry may not state a period that ends before it starts (an
    import error, tests/test_hardening.py); one written into the database
    by another program is still counted sanely."""
    entry = tmp_path / "bakvendt.yaml"
    entry.write_text(
        "tittel: Bakvendt\nkommuner: [Tynset]\nprosjekter:\n"
        "  - {navn: A, fra: 2008, til: 2012}\n  - {navn: B, fra: 2010, til: 2011}\n",
        "utf-8",
    )
    cli = Cli(tmp_path / "b.db")
    assert cli("import", str(entry)).exit_code == 0
    _write(cli, "UPDATE projects SET fra = 2012, til = 2008 WHERE navn = 'A'")
    years = as_json(cli, "summarise")["prosjekter"]
    assert years["aktive"] == {"2010": 1, "2011": 1, "2012": 1}
    assert years["startet"] == {"2010": 1, "2011": 0, "2012": 1}


# -- kept counts (tally tables, m008) ------------------------------------------------------
def _write(cli: Cli, *statements: str) -> None:
    """Change the database the way another program would."""
    conn = sqlite3.connect(cli.db)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def _imported(bundled_db: Path, tmp_path: Path) -> Cli:
    return Cli(copy_db(bundled_db, tmp_path / "kept.db"))


def test_kept_counts_follow_added_changed_and_pruned_entries(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG, folder)
    cli = Cli(tmp_path / "kept.db")
    assert cli("import", str(folder)).exit_code == 0
    changed = folder / "auka-busetjing-i-norddal.yaml"
    text = changed.read_text("utf-8").replace("- Barnefamiliar\n", "- Ungdom\n")
    changed.write_text(text, "utf-8")
    (folder / "bulyst-gje-det-vidare.yaml").unlink()
    assert cli("import", "--prune", str(folder)).exit_code == 0
    kept = as_json(cli, "summarise")
    assert kept["oppforinger"] == 42
    _write(cli, "DELETE FROM tally_catalog")  # without them everything is counted afresh
    assert kept == as_json(cli, "summarise")


def test_kept_counts_are_not_trusted_after_another_program_wrote(
    bundled_db: Path, tmp_path: Path
) -> None:
    cli = _imported(bundled_db, tmp_path)
    _write(cli, "INSERT INTO entries (slug, tittel) VALUES ('x', 'X')")
    assert as_json(cli, "summarise")["oppforinger"] == 44


def test_kept_counts_of_another_end_year_are_counted_again(
    bundled_db: Path, tmp_path: Path
) -> None:
    """Project years are kept for open-ended projects ending in the catalog's
    year; counts kept for another end year are not used, and --til-i-dag
    counts live."""
    cli = _imported(bundled_db, tmp_path)
    fresh = as_json(cli, "summarise")["prosjekter"]
    _write(
        cli,
        "UPDATE tally_catalog SET verdi = verdi - 1 WHERE navn = 'ar'",
        "UPDATE tally_years SET siste = siste + 100",  # would show if read
    )
    assert as_json(cli, "summarise")["prosjekter"] == fresh
    today = as_json(cli, "summarise", "--til-i-dag")["prosjekter"]["aktive"]
    assert today[str(date.today().year)] == 6
