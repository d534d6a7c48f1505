"""One catalog (issue 16): an entry is the same entry wherever its file comes
from; which file wins; sources, prune and remove; kept counts that cannot
lie; lookup tables with labels for Datasette."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, PAGES, Cli, corpus_index
from tilflytting.ingest.importer import read_entry
from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data
from tilflytting.reference import catalog as bundled

TYNSET = "tilflyttingsarbeid-i-tynset"
TYNSET_URL = "https://distriktssenteret.no/prosjektdatabase/tilflyttingsarbeid-i-tynset/"


def as_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def counts(cli: Cli, *tables: str) -> list[int]:
    conn = sqlite3.connect(cli.db)
    found = [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    conn.close()
    return found


def done_line(stderr: str) -> str:
    return [line for line in stderr.splitlines() if line.startswith("Import done")][-1]


# -- the real catalog -----------------------------------------------------------------------
def test_the_published_pages_fill_the_bundled_entries(cli: Cli, corpus: Path) -> None:
    """README's steps: the bundled catalog, then the 43 pages: 43 entries."""
    assert cli("import").exit_code == 0
    result = cli("import", str(corpus))
    assert result.exit_code == 0, result.stderr
    pages = len(list(corpus.glob("*.txt")))
    assert (
        done_line(result.stderr) == f"Import done: 0 added, {pages} updated, 0 unchanged, 0 failed"
    )
    assert as_json(cli, "summarise")["oppforinger"] == pages == len(corpus_index())
    holtalen = as_json(cli, "show", "holtalen")
    text = (corpus / "tilflyttingstiltak-i-holtalen.txt").read_text("utf-8")
    assert holtalen["tekst"] and holtalen["tekst"].split("\n\n")[0] in text  # the page's text
    assert [(f["rolle"], Path(f["fil"]).name) for f in holtalen["kilde"]["filer"]] == [
        ("side", "tilflyttingstiltak-i-holtalen.txt"),
        ("medfulgt", "tilflyttingstiltak-i-holtalen.yaml"),
    ]
    assert holtalen["kilde"]["format"] == "txt"  # today's keys: the file that wins
    shown = cli("show", "holtalen")
    assert "tilflyttingstiltak-i-holtalen.txt" in shown.stdout
    assert "tilflyttingstiltak-i-holtalen.yaml" in shown.stdout
    again = cli("import", str(corpus))
    assert done_line(again.stderr).endswith(f"0 updated, {pages} unchanged, 0 failed")


def test_a_copy_of_the_catalog_elsewhere_adds_nothing(cli: Cli, tmp_path: Path) -> None:
    assert cli("import").exit_code == 0
    copy = tmp_path / "somewhere" / "catalog"
    shutil.copytree(CATALOG, copy)
    result = cli("import", str(copy))
    entries = len(list(CATALOG.glob("*.yaml")))
    assert done_line(result.stderr) == (
        f"Import done: 0 added, 0 updated, {entries} unchanged, 0 failed"
    )
    assert counts(cli, "entries", "sources") == [entries, 2 * entries]
    # The copy is moved: the old place is gone, --prune forgets it, no entry goes.
    moved = tmp_path / "moved"
    copy.rename(moved)
    result = cli("import", "--prune", str(moved))
    assert done_line(result.stderr).endswith(f"{entries} unchanged, 0 failed")
    assert counts(cli, "entries", "sources") == [entries, 2 * entries]


# -- which file wins (fixtures) -------------------------------------------------------------
@pytest.fixture
def tynset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """The Tynset page with an INDEX.tsv giving its address, and its
    facts-only YAML entry in a folder taken for the bundled catalog."""
    pages, catalog = tmp_path / "pages", tmp_path / "data" / "catalog"
    pages.mkdir()
    catalog.mkdir(parents=True)
    page = pages / f"{TYNSET}.txt"
    shutil.copy(PAGES / "bokmal-complete.txt", page)
    (pages / "INDEX.tsv").write_text(f"slug\turl\n{TYNSET}\t{TYNSET_URL}\n", "utf-8")
    _, entry = read_entry(page)
    entry.url, entry.lead = TYNSET_URL, "Ei ingress skrevet for katalogen."
    (catalog / f"{TYNSET}.yaml").write_text(dump_yaml(entry_to_data(entry, with_text=False)))
    monkeypatch.setattr(bundled, "catalog_dir", lambda: catalog)
    bundled.bundled_digests.cache_clear()
    yield {"pages": pages, "page": page, "catalog": catalog, "yaml": catalog / f"{TYNSET}.yaml"}
    bundled.bundled_digests.cache_clear()


def test_a_page_fills_and_replaces_its_bundled_entry(cli: Cli, tynset: dict[str, Path]) -> None:
    assert cli("import", str(tynset["catalog"])).exit_code == 0
    bundled_only = as_json(cli, "show", TYNSET)
    assert bundled_only["tekst"] == "" and bundled_only["kilde"]["format"] == "yaml"
    result = cli("import", str(tynset["pages"]))
    assert done_line(result.stderr) == "Import done: 0 added, 1 updated, 0 unchanged, 0 failed"
    merged = as_json(cli, "show", TYNSET)
    page_text = tynset["page"].read_text("utf-8")
    assert merged["tekst"] and merged["tekst"].split("\n\n")[0] in page_text
    assert merged["ingress"] == "Tynset kommune prøver flere veier for å få nye innbyggere."
    assert [f["rolle"] for f in merged["kilde"]["filer"]] == ["side", "medfulgt"]
    assert counts(cli, "entries") == [1]


def test_a_page_without_an_address_joins_the_entry_of_its_slug(
    cli: Cli, tynset: dict[str, Path]
) -> None:
    (tynset["pages"] / "INDEX.tsv").unlink()
    assert cli("import", str(tynset["catalog"]), str(tynset["pages"])).exit_code == 0
    assert counts(cli, "entries", "sources") == [1, 2]


def test_a_maintainers_yaml_correction_wins_over_the_page(
    cli: Cli, tynset: dict[str, Path], tmp_path: Path
) -> None:
    assert cli("import", str(tynset["catalog"]), str(tynset["pages"])).exit_code == 0
    own = tmp_path / "rettelser" / f"{TYNSET}.yaml"
    own.parent.mkdir()
    text = tynset["yaml"].read_text("utf-8").replace("- Vertskapsordning\n", "")
    own.write_text(text.replace("Ei ingress skrevet", "Ei retta ingress skrevet"), "utf-8")
    result = cli("import", str(own))
    assert done_line(result.stderr) == "Import done: 0 added, 1 updated, 0 unchanged, 0 failed"
    data = as_json(cli, "show", TYNSET)
    assert [f["rolle"] for f in data["kilde"]["filer"]] == ["egen", "side", "medfulgt"]
    assert data["ingress"] == "Ei retta ingress skrevet for katalogen."  # the correction
    assert "Vertskapsordning" not in [i["tekst"] for i in data["aktiviteter"]]
    assert data["tekst"]  # the correction has no text: the page's fills it
    # `show --sources` gives each part the file it came from.
    from tilflytting.query.show import show
    from tilflytting.store.database import Store

    store = Store.open(cli.db)
    origins = {k: Path(v).name for k, v in show(store, TYNSET, sources=True).origins.items()}
    store.close()
    assert origins["aktiviteter"] == origins["ingress"] == f"{TYNSET}.yaml"
    assert origins["tekst"] == f"{TYNSET}.txt"


def test_an_older_bundled_copy_gives_way_to_the_page(
    cli: Cli, tynset: dict[str, Path], tmp_path: Path
) -> None:
    """A bundled file of an older version (its bytes differ from today's,
    its generated first line does not) is the bundled catalog's, not a
    maintainer's correction: the page wins over it."""
    old = tmp_path / "old-install" / "catalog" / f"{TYNSET}.yaml"
    old.parent.mkdir(parents=True)
    text = tynset["yaml"].read_text("utf-8").replace("- Vertskapsordning\n", "")
    old.write_text(bundled.GENERATED + text, "utf-8")
    assert cli("import", str(old), str(tynset["pages"])).exit_code == 0
    data = as_json(cli, "show", TYNSET)
    assert [f["rolle"] for f in data["kilde"]["filer"]] == ["side", "medfulgt"]
    assert "Vertskapsordning" in [i["tekst"] for i in data["aktiviteter"]]  # the page's list
    # Without that first line the same file is a maintainer's own, and wins.
    own = tmp_path / "rettelser" / f"{TYNSET}.yaml"
    own.parent.mkdir()
    own.write_text(text, "utf-8")
    assert cli("import", str(own)).exit_code == 0
    data = as_json(cli, "show", TYNSET)
    assert data["kilde"]["filer"][0]["rolle"] == "egen"
    assert "Vertskapsordning" not in [i["tekst"] for i in data["aktiviteter"]]


def test_every_bundled_file_begins_with_the_generated_line() -> None:
    files = sorted(CATALOG.glob("*.yaml"))
    assert len(files) == 43
    assert all(f.read_text("utf-8").startswith(bundled.GENERATED) for f in files)


def test_show_sources_names_the_file_of_each_part(
    cli: Cli, tynset: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A correction that gives only the lead and the municipality: the table
    lists the three files with their roles, each place the correction's line,
    each activity the page's line; all within 80 columns."""
    assert cli("import", str(tynset["catalog"]), str(tynset["pages"])).exit_code == 0
    own = tmp_path / "fix" / "tynset.yaml"
    own.parent.mkdir()
    lines = ["tittel: Tilflyttingsarbeid i Tynset", f"url: {TYNSET_URL}",
             "ingress: Rettet ingress.", "kommuner:", "- Tynset"]  # fmt: skip
    own.write_text("\n".join(lines) + "\n", "utf-8")
    assert cli("import", str(own)).exit_code == 0
    monkeypatch.chdir(tmp_path)  # paths are shown relative to the working folder
    shown = cli("show", TYNSET, "--sources")
    assert shown.exit_code == 0, shown.stderr
    text = " ".join(shown.stdout.split())  # rows may wrap: compare words
    assert "Rettet ingress." in text
    for name, role in (
        ("tynset.yaml", "maintainer's YAML entry"),
        (f"{TYNSET}.txt", "published page"),
        (f"{TYNSET}.yaml", "bundled catalog"),
    ):
        assert f"{name} ({role})" in text, name
    page = tynset["page"].read_text("utf-8").splitlines()
    line = next(n for n, row in enumerate(page, 1) if "Vertskapsordning" in row)
    assert f"{TYNSET}.txt:{line}" in text  # an activity: the page's
    assert f"tynset.yaml:{lines.index('- Tynset') + 1}" in text  # the place: the correction's
    assert max(len(row) for row in shown.stdout.splitlines()) <= 80


def test_two_initiatives_with_one_title_stay_two(cli: Cli, tynset: dict[str, Path]) -> None:
    assert cli("import", str(tynset["catalog"])).exit_code == 0
    (tynset["pages"] / "INDEX.tsv").write_text(
        f"slug\turl\n{TYNSET}\thttps://example.no/another-tynset/\n", "utf-8"
    )
    result = cli("import", str(tynset["pages"]))
    assert done_line(result.stderr) == "Import done: 1 added, 0 updated, 0 unchanged, 0 failed"
    assert "both are kept" in result.stderr
    listed = as_json(cli, "list")
    assert sorted(row["slug"] for row in listed) == [TYNSET, f"{TYNSET}-2"]


def test_prune_forgets_gone_files_and_entries_left_with_none(
    cli: Cli, tynset: dict[str, Path]
) -> None:
    assert cli("import", str(tynset["catalog"]), str(tynset["pages"])).exit_code == 0
    tynset["page"].unlink()
    result = cli("import", "--prune", str(tynset["catalog"]))
    assert result.exit_code == 0, result.stderr
    data = as_json(cli, "show", TYNSET)
    assert data["tekst"] == "" and [f["rolle"] for f in data["kilde"]["filer"]] == ["medfulgt"]
    assert data["ingress"] == "Ei ingress skrevet for katalogen."  # the bundled entry's again
    tynset["yaml"].unlink()
    (tynset["catalog"] / "annen.yaml").write_text(
        "tittel: Annen oppføring\nkommuner: [Bø (Nordland)]\n"
    )
    result = cli("import", "--prune", str(tynset["catalog"]))
    assert "pruned" in done_line(result.stderr)
    assert [row["slug"] for row in as_json(cli, "list")] == ["annen-oppforing"]
    assert counts(cli, "sources", "items") == [1, 0]


# -- remove ---------------------------------------------------------------------------------
def test_remove_takes_entries_out(catalog_cli: Cli) -> None:
    result = catalog_cli("remove", "holtalen", "5059")
    assert result.exit_code == 0, result.stderr
    assert "removed tilflyttingstiltak-i-holtalen" in result.stderr
    assert "removed tilflyttingstiltak-i-orkdal" in result.stderr
    slugs = {row["slug"] for row in as_json(catalog_cli, "list")}
    assert len(slugs) == 41 and "tilflyttingstiltak-i-holtalen" not in slugs
    assert as_json(catalog_cli, "summarise")["oppforinger"] == 41
    assert json.loads(catalog_cli("search", "holtalen", "-f", "json").stdout) == []
    conn = sqlite3.connect(catalog_cli.db)
    orphans = [
        conn.execute(
            f"SELECT count(*) FROM {t} WHERE entry_id NOT IN (SELECT id FROM entries)"
        ).fetchone()[0]
        for t in ("items", "places", "projects", "headings", "sources", "entry_search")
    ]
    assert orphans == [0] * 6


def test_remove_of_an_ambiguous_name_lists_the_entries_and_removes_nothing(
    catalog_cli: Cli,
) -> None:
    result = catalog_cli("remove", "holtalen", "tilflytting")
    assert result.exit_code == 1
    assert "matches" in result.stderr and "tilflyttingstiltak-i-orkdal" in result.stderr
    assert len(as_json(catalog_cli, "list")) == 43


# -- kept counts ----------------------------------------------------------------------------
def sql(cli: Cli, statement: str) -> None:
    """Change the database the way another program would (sqlite3, Datasette)."""
    conn = sqlite3.connect(cli.db)
    with conn:
        conn.execute(statement)
    conn.close()


def summarised(cli: Cli, term: str) -> int:
    rows = as_json(cli, "summarise", "--list", "malgrupper")["lister"]["malgrupper"]
    return next((row["oppforinger"] for row in rows if row["term"] == term), 0)


def searched(cli: Cli, term: str) -> int:
    return len(as_json(cli, "search", "--målgruppe", term))


def test_kept_counts_follow_a_plain_sql_edit_of_items(catalog_cli: Cli) -> None:
    before = {t: summarised(catalog_cli, t) for t in ("barnefamilier", "ungdom")}
    assert before["ungdom"] > 0  # cached now
    sql(catalog_cli, "UPDATE items SET term = 'barnefamilier' WHERE term = 'ungdom'")
    for term in ("barnefamilier", "ungdom"):
        assert summarised(catalog_cli, term) == searched(catalog_cli, term)
    assert summarised(catalog_cli, "ungdom") == 0
    assert summarised(catalog_cli, "barnefamilier") > before["barnefamilier"]


def test_kept_counts_follow_deleted_places_and_projects(catalog_cli: Cli) -> None:
    whole = as_json(catalog_cli, "summarise")
    sql(catalog_cli, "DELETE FROM places WHERE fylke_2024 = 'Trøndelag'")
    sql(catalog_cli, "DELETE FROM projects WHERE fra < 2005")
    after = as_json(catalog_cli, "summarise")
    live = as_json(catalog_cli, "summarise", "--komplett")  # a filter: counted live
    assert after["fylker_2024"] == whole["fylker_2024"] - 1
    assert min(int(year) for year in after["prosjekter"]["startet"]) >= 2005
    complete = as_json(catalog_cli, "list")
    assert live["oppforinger"] == sum(1 for row in complete if row["komplett"])


# -- lookup tables and Datasette ----------------------------------------------------------
def test_items_and_places_point_at_labelled_lookup_tables(catalog_cli: Cli) -> None:
    conn = sqlite3.connect(catalog_cli.db)
    keys = {
        (table, row[3], row[2], row[4])
        for table in ("items", "places")
        for row in conn.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert {
        ("items", "term", "terms", "slug"),
        ("places", "nummer_2012", "kommuner", "nummer"),
        ("places", "nummer_2024", "kommuner", "nummer"),
        ("places", "fylke_2012", "fylker", "navn"),
        ("places", "fylke_2024", "fylker", "navn"),
    } <= keys
    label = conn.execute("SELECT etikett, nynorsk, liste FROM terms WHERE slug = 'barnefamilier'")
    assert label.fetchone() == ("Barnefamilier", "Barnefamiliar", "malgrupper")
    holtalen = conn.execute(
        "SELECT navn, nummer_2012, fylke_2012, nummer_2024, fylke_2024 FROM kommuner "
        "WHERE nummer IN ('1644', '5026')"
    ).fetchall()
    assert set(holtalen) == {("Holtålen", "1644", "Sør-Trøndelag", "5026", "Trøndelag")}
    orkdal = conn.execute("SELECT navn, navn_2024, nummer_2024 FROM kommuner WHERE nummer = '1638'")
    assert orkdal.fetchone() == ("Orkdal", "Orkland", "5059")
    troms = conn.execute(
        "SELECT nummer_2012, nummer_2024, ble_til FROM fylker WHERE navn = 'Troms'"
    )
    assert troms.fetchone() == ("19", "55", None)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_lookup_tables_are_filled_again_when_their_data_changes(catalog_cli: Cli) -> None:
    sql(catalog_cli, "UPDATE terms SET etikett = 'gammel' WHERE slug = 'barnefamilier'")
    sql(catalog_cli, "UPDATE _meta SET verdi = 'an older vocabulary' WHERE navn = 'lookups'")
    assert catalog_cli("vocab", "--apply").exit_code == 0  # a write transaction
    conn = sqlite3.connect(catalog_cli.db)
    label = conn.execute("SELECT etikett FROM terms WHERE slug = 'barnefamilier'").fetchone()
    assert label == ("Barnefamilier",)


def test_datasette_shows_labels_for_terms_and_municipalities(
    catalog_cli: Cli, tmp_path: Path
) -> None:
    datasette_app = pytest.importorskip(
        "datasette.app", reason="pip install tilflytting[datasette]"
    )
    metadata = json.loads(catalog_cli("export", "-f", "datasette-metadata").stdout)
    (name,) = metadata["databases"]
    db = tmp_path / "datasette" / f"{name}.db"
    db.parent.mkdir()
    shutil.copy(catalog_cli.db, db)
    tables = metadata["databases"][name]["tables"]
    assert tables["terms"]["label_column"] == "etikett"
    assert tables["kommuner"]["label_column"] == tables["fylker"]["label_column"] == "navn"

    async def ask() -> list[Any]:
        datasette = datasette_app.Datasette([str(db)], metadata=metadata)
        await datasette.invoke_startup()
        answers = []
        for path in (
            f"/{name}/items.json?_facet=term&liste=malgrupper",
            f"/{name}/places.json?_facet=nummer_2012&_facet=nummer_2024&_labels=on"
            "&_shape=objects&_facet_size=max",
        ):
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            answers.append(response.json())
        return answers

    items, places = asyncio.run(ask())
    terms = {r["value"]: r["label"] for r in items["facet_results"]["term"]["results"]}
    assert terms["barnefamilier"] == "Barnefamilier"
    numbers = {r["value"]: r["label"] for r in places["facet_results"]["nummer_2024"]["results"]}
    assert numbers["5026"] == "Holtålen"
    old = {r["value"]: r["label"] for r in places["facet_results"]["nummer_2012"]["results"]}
    assert old["1644"] == "Holtålen"
    row = next(r for r in places["rows"] if r["navn"] == "Holtålen")
    assert row["nummer_2012"] == {"value": "1644", "label": "Holtålen"}


def test_a_snapshot_spoilt_by_hand_does_not_stop_an_import(
    cli: Cli, tynset: dict[str, Path]
) -> None:
    assert cli("import", str(tynset["catalog"]), str(tynset["pages"])).exit_code == 0
    sql(cli, "UPDATE sources SET oppforing = '{not json'")
    page = tynset["page"]
    page.write_text(page.read_text("utf-8").replace("Eget nettsted", "Egen nettside"), "utf-8")
    result = cli("import", str(tynset["pages"]))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    activities = [i["tekst"] for i in as_json(cli, "show", TYNSET)["aktiviteter"]]
    assert "Egen nettside" in activities
