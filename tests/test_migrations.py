"""Upgrades: a database made at every earlier schema step, filled with the
SQL of its time, upgrades to today's without losing anything; a database
made by the version before entries had sources merges its `-2` twins; the
migrations stay frozen; derived data is rebuilt when its version changes."""

from __future__ import annotations

import ast
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, PAGES, ROOT, Cli
from tilflytting.core.fold import key
from tilflytting.ingest.importer import read_entry
from tilflytting.store import search_index
from tilflytting.store.database import MIGRATIONS, Store, StoreError

# m001_initial ... m009_items_by_entry were applied by earlier versions under
# these names: they must stay exactly these strings.
SHIPPED = [
    "m001_initial",
    "m002_search_index",
    "m003_vocabulary",
    "m004_folded_search",
    "m005_lookup_keys",
    "m006_covering_term_index",
    "m007_filter_indexes",
    "m008_tallies",
    "m009_items_by_entry",
]
BEFORE_SOURCES = SHIPPED.index("m009_items_by_entry") + 1  # the schema of the version before


def at_step(path: Path, steps: int) -> sqlite3.Connection:
    """A database with the first `steps` migrations applied, as that version left it."""
    store = Store(sqlite3.connect(path, isolation_level=None), path)
    store._upgrade(upto=steps)
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS[:steps]]
    return store.conn


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def insert(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    """Insert the values the table has columns for at this step (the SQL of its time)."""
    present = {k: v for k, v in values.items() if k in columns(conn, table)}
    names = ", ".join(present)
    marks = ", ".join("?" for _ in present)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(present.values()))


OLD_ENTRY = {
    "id": 1,
    "slug": "gammel-oppforing",
    "tittel": "Gammel oppføring",
    "tittel_linje": 1,
    "ingress": "Om tilflytting",
    "tekst": "Holtålen og næringslivet",
    "fagomrader": '["Tilflytting"]',
    "region": None,
    "komplett": 1,
    "advarsler": "[]",
    "kilde_fil": "/old/place/gammel-oppforing.txt",
    "kilde_url": "https://distriktssenteret.no/prosjektdatabase/gammel-oppforing/",
    "format": "txt",
    "sha256": "ab" * 32,
    "tegnsett": "utf-8",
    "parser_versjon": 1,
    "importert": "2012-05-01T00:00:00+00:00",
    "lister_raw": json.dumps(
        {"malgrupper": [{"tekst": "Barnefamiliar", "linje": 7, "avkortet": False, "term": None}]}
    ),
    "slug_nokkel": "gammeloppforing",
    "tittel_nokkel": "gammeloppforing",
    "url_nokkel": "distriktssenteret.no/prosjektdatabase/gammel-oppforing",
}


def tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def fill_old(conn: sqlite3.Connection) -> None:
    if "terms" in tables(conn):
        # From m012 on, items and places point into the lookup tables, which
        # the version of that time filled before it wrote an entry.
        conn.execute(
            "INSERT INTO terms (slug, liste, etikett) "
            "VALUES ('barnefamilier', 'malgrupper', 'Barnefamilier')"
        )
        conn.execute(
            "INSERT INTO kommuner (nummer, navn) VALUES ('1644', 'Holtålen'), ('5026', 'Holtålen')"
        )
        conn.execute("INSERT INTO fylker (navn) VALUES ('Sør-Trøndelag'), ('Trøndelag')")
    insert(conn, "entries", OLD_ENTRY)
    term = "barnefamilier" if "detalj" in columns(conn, "items") else None
    insert(
        conn,
        "items",
        {"entry_id": 1, "liste": "malgrupper", "pos": 0, "tekst": "Barnefamiliar",
         "term": term, "linje": 7, "avkortet": 0, "detalj": None},
    )  # fmt: skip
    insert(
        conn,
        "places",
        {"entry_id": 1, "pos": 0, "type": "kommune", "navn": "Holtålen", "nummer_2012": "1644",
         "fylke_2012": "Sør-Trøndelag", "navn_2024": "Holtålen", "nummer_2024": "5026",
         "fylke_2024": "Trøndelag", "navn_nokkel": "holtalen", "navn_2024_nokkel": "holtalen",
         "bevis": "tittel", "linje": 1},
    )  # fmt: skip
    insert(
        conn,
        "projects",
        {"entry_id": 1, "pos": 0, "navn": "Lys i alle grender", "fra": 2008, "til": 2012,
         "pagaende": 0, "periode": "2008 – 2012", "linje": 12},
    )  # fmt: skip
    insert(
        conn, "headings", {"entry_id": 1, "tekst": "Målgrupper", "type": "malgrupper", "linje": 6}
    )
    if "sources" in tables(conn):
        insert(
            conn,
            "sources",
            {"entry_id": 1, "fil": OLD_ENTRY["kilde_fil"], "sha256": OLD_ENTRY["sha256"],
             "format": "txt", "tegnsett": "utf-8", "url": OLD_ENTRY["kilde_url"],
             "rolle": "side", "forrang": 2, "parser_versjon": 1,
             "importert": OLD_ENTRY["importert"]},
        )  # fmt: skip


def search(store: Store, word: str) -> list[int]:
    return [entry_id for entry_id, _ in store.search(f'"{word}"', _no_filters())]


def _no_filters() -> Any:
    from tilflytting.core.model import SearchFilters

    return SearchFilters()


@pytest.mark.parametrize("steps", range(1, len(MIGRATIONS)), ids=lambda k: MIGRATIONS[k - 1][0])
def test_a_database_of_every_earlier_step_upgrades_without_losing_data(
    steps: int, db: Path
) -> None:
    conn = at_step(db, steps)
    fill_old(conn)
    conn.close()
    store = Store.open(db)
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    (entry,) = store.load_entries([1], raw=True)
    assert (entry.slug, entry.title, entry.text) == (
        "gammel-oppforing",
        "Gammel oppføring",
        "Holtålen og næringslivet",
    )
    assert [(i.text, i.line) for i in entry.lists["malgrupper"]] == [("Barnefamiliar", 7)]
    assert [(i.text, i.line) for i in entry.raw_lists["malgrupper"]] == [("Barnefamiliar", 7)]
    assert [(p.name, p.nr_2012, p.nr_2024) for p in entry.places] == [("Holtålen", "1644", "5026")]
    assert [(p.name, p.start, p.end) for p in entry.projects] == [
        ("Lys i alle grender", 2008, 2012)
    ]
    assert [h.text for h in entry.headings] == ["Målgrupper"]
    # The file it came from moved into `sources` (m011), with its facts.
    assert entry.source is not None
    assert (entry.source.path, entry.source.sha256, entry.source.role) == (
        OLD_ENTRY["kilde_fil"],
        OLD_ENTRY["sha256"],
        "side",
    )
    assert entry.url == OLD_ENTRY["kilde_url"]
    # Derived data was built for the old rows: the search index and the counts.
    assert search(store, "holtalen") == search(store, "naeringslivet") == [1]
    counted = store.count_entries(_no_filters())
    kept = store.conn.execute("SELECT verdi FROM tally_catalog WHERE navn = 'oppforinger'")
    assert counted == kept.fetchone()[0] == 1
    labels = store.conn.execute("SELECT navn FROM kommuner WHERE nummer IN ('1644', '5026')")
    assert {row[0] for row in labels} == {"Holtålen"}
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_migration_names_are_the_shipped_ones_and_come_from_the_functions() -> None:
    names = [name for name, _ in MIGRATIONS]
    assert names[: len(SHIPPED)] == SHIPPED
    assert all(name == function.__name__ for name, function in MIGRATIONS)
    assert len(set(names)) == len(names)


def test_migrations_call_no_code_of_ours() -> None:
    """Frozen: an old step never calls code that later changes, so the
    migrations module imports nothing from the package."""
    tree = ast.parse((ROOT / "tilflytting" / "store" / "migrations.py").read_text("utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if name.startswith("tilflytting")], imported


def test_a_new_search_index_version_rebuilds_the_index(
    catalog_cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, db = catalog_cli, catalog_cli.db
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM entry_search")  # as if the index were of another make
    conn.execute("INSERT INTO entry_search_fts(entry_search_fts) VALUES('rebuild')")
    conn.commit()
    conn.close()
    assert json.loads(cli("search", "holtalen", "-f", "json").stdout) == []
    monkeypatch.setattr(search_index, "SEARCH_VERSION", search_index.SEARCH_VERSION + ".next")
    monkeypatch.setitem(
        __import__("tilflytting.store.schema", fromlist=["DERIVED"]).DERIVED,
        "search_version",
        search_index.SEARCH_VERSION,
    )
    found = json.loads(cli("search", "holtalen", "-f", "json").stdout)
    assert [row["slug"] for row in found] == ["tilflyttingstiltak-i-holtalen"]


# -- a database made between releases ---------------------------------------------------
def between_releases(path: Path) -> sqlite3.Connection:
    """A database as main made it before the registry (never released): the
    released steps, then `m010_place_evidence` and `m011_search_forms` with
    the SQL they ran, recorded under those names."""
    conn = at_step(path, len(SHIPPED))
    conn.execute("ALTER TABLE places ADD COLUMN bevis TEXT")
    conn.execute("ALTER TABLE places ADD COLUMN linje INTEGER")
    conn.execute("CREATE TABLE search_forms (version INTEGER NOT NULL)")
    conn.execute("INSERT INTO search_forms (version) VALUES (1)")
    for name in ("m010_place_evidence", "m011_search_forms"):
        conn.execute(
            "INSERT INTO _migrations (name, applied) VALUES (?, '2026-12-01T00:00:00+00:00')",
            (name,),
        )
    return conn


def test_a_database_made_between_releases_upgrades(db: Path, tmp_path: Path) -> None:
    conn = between_releases(db)
    fill_old(conn)
    conn.close()
    cli = Cli(db)
    shown = cli("show", "gammel-oppforing", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    # Its places kept what they were read from (the columns it had already).
    assert [(p["navn"], p["bevis"], p["linje"]) for p in json.loads(shown.stdout)["steder"]] == [
        ("Holtålen", "tittel", 1)
    ]
    fresh = Store.open(tmp_path / "fresh.db", create=True)
    store = Store.open(db)
    # Every step of the registry is recorded once, under its own name.
    assert sorted(store.applied_migrations()) == sorted(name for name, _ in MIGRATIONS)
    assert columns(store.conn, "places") == columns(fresh.conn, "places")
    assert tables(store.conn) == tables(fresh.conn)  # search_forms is gone
    fresh.close()
    store.close()
    # The search index was built again: folded words and search forms.
    for word in ("holtalen", "Holtålen", "næringsliv"):
        found = cli("search", word, "--format", "json")
        assert [row["slug"] for row in json.loads(found.stdout)] == ["gammel-oppforing"], word
    before = db.read_bytes()
    assert cli("list", "--format", "json").exit_code == 0
    assert db.read_bytes() == before  # up to date: opening it again changes nothing


def test_the_names_of_unreleased_steps_are_known_but_others_are_not(db: Path) -> None:
    conn = between_releases(db)
    conn.execute("INSERT INTO _migrations (name, applied) VALUES ('m014_from_the_future', 'x')")
    conn.close()
    with pytest.raises(StoreError, match=r"newer version.*m014_from_the_future"):
        Store.open(db)


# -- the version before sources: its twins --------------------------------------------------
def old_save(conn: sqlite3.Connection, path: Path, slug: str, url: str | None = None) -> int:
    """Save a file's entry as the version before sources did (its columns
    of `entries`, the file's path as its key)."""
    _, entry = read_entry(path)
    assert entry.source is not None
    raw = {
        name: [{"tekst": i.text, "linje": i.line, "avkortet": i.truncated, "term": i.term}
               for i in items]
        for name, items in entry.raw_lists.items()
    }  # fmt: skip
    cursor = conn.execute(
        "INSERT INTO entries (slug, tittel, tittel_linje, ingress, tekst, fagomrader, region, "
        "komplett, advarsler, kilde_fil, kilde_url, format, sha256, tegnsett, parser_versjon, "
        "importert, lister_raw, slug_nokkel, tittel_nokkel) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, 3, '2026-01-01', ?, ?, ?)",
        (slug, entry.title, entry.title_line, entry.lead, entry.text, json.dumps(entry.areas),
         entry.region, int(entry.complete), entry.source.path, url or entry.url,
         entry.source.format, entry.source.sha256, entry.source.encoding,
         json.dumps(raw), key(slug), key(entry.title)),
    )  # fmt: skip
    entry_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT INTO items (entry_id, liste, pos, tekst, term, linje, avkortet, detalj) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(entry_id, name, pos, i.text, i.term, i.line, int(i.truncated), i.detail)
         for name, items in entry.lists.items() for pos, i in enumerate(items)],
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO places (entry_id, pos, type, navn, nummer_2012, fylke_2012, navn_2024, "
        "nummer_2024, fylke_2024, navn_nokkel, navn_2024_nokkel) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(entry_id, pos, p.kind, p.name, p.nr_2012, p.fylke_2012, p.name_2024, p.nr_2024,
          p.fylke_2024, key(p.name or ""), key(p.name_2024 or ""))
         for pos, p in enumerate(entry.places)],
    )  # fmt: skip
    return entry_id


def test_twins_of_the_version_before_are_merged_on_upgrade(db: Path, tmp_path: Path) -> None:
    bundled = CATALOG / "tilflyttingstiltak-i-holtalen.yaml"
    page = tmp_path / "pages" / "tilflyttingsarbeid-i-tynset.txt"
    page.parent.mkdir()
    shutil.copy(PAGES / "bokmal-complete.txt", page)
    other = tmp_path / "other" / "tilflyttingsarbeid-i-tynset.txt"  # another initiative
    other.parent.mkdir()
    other.write_text(page.read_text("utf-8").replace("Vertskapsordning", "Jobbmesse"), "utf-8")
    holtalen_page = tmp_path / "pages" / "tilflyttingstiltak-i-holtalen.txt"
    holtalen_page.write_text(
        "Tilflyttingstiltak i Holtålen\n\nHoltålen kommune arbeider for nye innbyggere.\n\n"
        "Holtålen har hatt regionale og lokale tiltak over mange år.\n",
        "utf-8",
    )
    conn = at_step(db, BEFORE_SOURCES)
    old_save(conn, bundled, "tilflyttingstiltak-i-holtalen")
    old_save(conn, holtalen_page, "tilflyttingstiltak-i-holtalen-2")
    old_save(conn, page, "tilflyttingsarbeid-i-tynset", url="https://example.no/tynset-1/")
    old_save(conn, other, "tilflyttingsarbeid-i-tynset-2", url="https://example.no/tynset-2/")
    conn.close()
    cli = Cli(db)
    shown = cli("show", "holtalen", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert shown.stderr.count("merged") == 1
    assert "tilflyttingstiltak-i-holtalen-2 into tilflyttingstiltak-i-holtalen" in shown.stderr
    data = json.loads(shown.stdout)
    assert data["tekst"].startswith("Holtålen har hatt regionale")  # the page's text
    assert data["ingress"] == "Holtålen kommune arbeider for nye innbyggere."  # the page wins
    assert [i["tekst"] for i in data["aktiviteter"]][:1] == [
        "Arrangement utenfor kommunen for å rekruttere folk"  # filled from the bundled entry
    ]
    assert [(f["rolle"], Path(f["fil"]).name) for f in data["kilde"]["filer"]] == [
        ("side", "tilflyttingstiltak-i-holtalen.txt"),
        ("medfulgt", "tilflyttingstiltak-i-holtalen.yaml"),
    ]
    listed = json.loads(cli("list", "--format", "json").stdout)
    assert sorted(row["slug"] for row in listed) == [
        "tilflyttingsarbeid-i-tynset",
        "tilflyttingsarbeid-i-tynset-2",  # other address: another initiative, kept
        "tilflyttingstiltak-i-holtalen",
    ]
    again = cli("show", "holtalen")
    assert "merged" not in again.stderr  # once, on the upgrade
