"""The store: migrations, one-transaction imports, idempotence, prune."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import CATALOG, PAGES
from tilflytting.ingest.importer import ImportReport, import_paths
from tilflytting.ingest.normalise import apply_vocabulary
from tilflytting.store.database import MIGRATIONS, Store, StoreError, StoreMissing

EXPECTED_TABLES = {
    "entries",
    "projects",
    "items",
    "places",
    "headings",
    "entry_search",
    "entry_search_fts",
    "_migrations",
}


def tables(store: Store) -> set[str]:
    rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


def count(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_empty_database_reaches_the_latest_schema(db: Path) -> None:
    store = Store.open(db, create=True)
    assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
    assert tables(store) >= EXPECTED_TABLES
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_database_of_the_first_schema_upgrades_without_losing_data(db: Path, pages: Path) -> None:
    old = Store.open(db, create=True)
    old.conn.close()
    # Build a database as the first version made it: only migration 1, then data.
    db.unlink()
    first = Store(sqlite3.connect(db, isolation_level=None), db)
    first._upgrade(upto=1)
    assert first.applied_migrations() == ["m001_initial"]
    first.conn.execute(
        "INSERT INTO entries (slug, tittel, ingress, tekst, fagomrader, komplett, advarsler, "
        "kilde_fil, format, sha256, tegnsett, parser_versjon) "
        "VALUES ('gammel', 'Gammel oppføring', '', 'Om Holtålen', '[]', 1, '[]', '/x.txt', "
        "'txt', 'abc', 'utf-8', 1)"
    )
    first.conn.execute(
        "INSERT INTO items (entry_id, liste, pos, tekst, linje, avkortet) "
        "VALUES (1, 'malgrupper', 0, 'Barnefamiliar', 7, 0)"
    )
    first.conn.close()
    upgraded = Store.open(db)
    assert upgraded.schema_version == len(MIGRATIONS)
    assert upgraded.conn.execute("SELECT tittel FROM entries").fetchall() == [("Gammel oppføring",)]
    hits = upgraded.conn.execute(
        "SELECT entry_id FROM entry_search_fts JOIN entry_search ON entry_search.rowid = "
        "entry_search_fts.rowid WHERE entry_search_fts MATCH 'holtålen'"
    ).fetchall()
    assert len(hits) == 1  # the search index was built for old rows too
    kept = upgraded.conn.execute("SELECT verdi FROM tally_catalog WHERE navn = 'oppforinger'")
    assert kept.fetchone() == (1,)  # and the kept counts
    (entry,) = upgraded.load_entries([1], raw=True)
    assert [(i.text, i.line) for i in entry.raw_lists["malgrupper"]] == [("Barnefamiliar", 7)]
    apply_vocabulary(entry)
    assert [i.term for i in entry.lists["malgrupper"]] == ["barnefamilier"]


def test_migrated_schema(db: Path) -> None:
    store = Store.open(db, create=True)

    def columns(table: str) -> list[str]:
        return [row[1] for row in store.conn.execute(f"PRAGMA table_info({table})")]

    assert columns("items") == [
        "id", "entry_id", "liste", "pos", "tekst", "term", "linje", "avkortet", "detalj"
    ]  # fmt: skip
    assert columns("entries")[-4:] == ["lister_raw", "slug_nokkel", "tittel_nokkel", "url_nokkel"]
    assert "kilde_fil" not in columns("entries")  # a file's facts are in `sources` (m011)
    assert columns("sources") == [
        "id", "entry_id", "fil", "sha256", "format", "tegnsett", "url", "rolle", "forrang",
        "parser_versjon", "importert", "oppforing",
    ]  # fmt: skip
    assert columns("places") == [
        "id", "entry_id", "pos", "type", "navn", "nummer_2012", "fylke_2012", "navn_2024",
        "nummer_2024", "fylke_2024", "navn_nokkel", "navn_2024_nokkel", "bevis", "linje",
    ]  # fmt: skip
    indexes = {
        row[1]
        for table in ("items", "projects", "entries")
        for row in store.conn.execute(f"PRAGMA index_list({table})")
    }
    assert {
        "idx_items_liste_term_entry_id",
        "idx_items_entry_id_liste_term",
        "idx_projects_fra_til_pagaende_entry_id",
        "idx_entries_region_komplett",
        "idx_entries_slug",  # search names it (INDEXED BY)
    } <= indexes
    assert "idx_items_entry_id" not in indexes  # the index above begins with it
    assert columns("tally_terms") == ["liste", "term", "oppforinger", "svar"]
    assert columns("tally_years") == ["ar", "startet", "siste"]
    assert columns("tally_catalog") == ["navn", "verdi"]


def test_newer_schema_is_refused_untouched(db: Path) -> None:
    store = Store.open(db, create=True)
    store.conn.execute("INSERT INTO _migrations (name, applied) VALUES ('m999_future', 'x')")
    store.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(db)
    assert db.read_bytes() == before


def test_missing_and_corrupt_databases(tmp_path: Path) -> None:
    with pytest.raises(StoreMissing):
        Store.open(tmp_path / "none.db")
    assert not (tmp_path / "none.db").exists()
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot use"):
        Store.open(corrupt)


def test_reimport_changes_nothing(db: Path, pages: Path) -> None:
    store = Store.open(db, create=True)
    first = import_paths(store, [pages])
    assert first.count("added") == 4 and first.exit_code == 0
    snapshot = store.conn.execute("SELECT * FROM items ORDER BY id").fetchall()
    again = import_paths(store, [pages])
    assert again.count("unchanged") == 4 and again.count("added") == again.count("updated") == 0
    assert store.conn.execute("SELECT * FROM items ORDER BY id").fetchall() == snapshot


def test_changed_file_replaces_its_entry_completely(db: Path, pages: Path) -> None:
    store = Store.open(db, create=True)
    import_paths(store, [pages])
    page = pages / "bokmal-complete.txt"
    page.write_text(page.read_text("utf-8").replace(" • Vertskapsordning\n", ""), "utf-8")
    report = import_paths(store, [pages])
    assert report.count("updated") == 1 and report.count("unchanged") == 3
    items = store.conn.execute(
        "SELECT i.tekst FROM items i JOIN entries e ON e.id = i.entry_id "
        "WHERE e.slug = 'tilflyttingsarbeid-i-tynset' AND i.liste = 'aktiviteter'"
    ).fetchall()
    assert items == [("Annonsering i media",), ("Eget nettsted",)]
    orphans = store.conn.execute(
        "SELECT count(*) FROM items WHERE entry_id NOT IN (SELECT id FROM entries)"
    ).fetchone()
    assert orphans == (0,)


def test_prune_removes_entries_whose_file_is_gone(db: Path, pages: Path) -> None:
    store = Store.open(db, create=True)
    import_paths(store, [pages])
    (pages / "odd-headings.txt").unlink()
    report = import_paths(store, [pages], prune=True)
    assert report.pruned == ["flytt-til-heroy"]
    assert count(store, "entries") == 3
    assert count(store, "items") == sum(
        1
        for _ in store.conn.execute(
            "SELECT 1 FROM items WHERE entry_id IN (SELECT id FROM entries)"
        )
    )


def test_copies_of_a_page_are_one_entry_with_two_sources(db: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "a", tmp_path / "b"
    for folder in (one, two):
        folder.mkdir()
        (folder / "p.txt").write_text((PAGES / "bokmal-complete.txt").read_text("utf-8"), "utf-8")
    store = Store.open(db, create=True)
    report = import_paths(store, [one, two])
    assert [r.status for r in report.results] == ["added", "unchanged"]
    assert count(store, "entries") == 1 and count(store, "sources") == 2
    (two / "p.txt").write_text((two / "p.txt").read_text("utf-8") + "\n", "utf-8")
    again = import_paths(store, [one, two])
    assert [r.status for r in again.results] == ["unchanged", "updated"]
    assert {r.slug for r in again.results} == {"tilflyttingsarbeid-i-tynset"}
    assert count(store, "entries") == 1


def test_two_pages_with_one_title_but_other_contents_are_two_entries(
    db: Path, tmp_path: Path
) -> None:
    page = (PAGES / "bokmal-complete.txt").read_text("utf-8")
    one, two = tmp_path / "a", tmp_path / "b"
    for folder, text in ((one, page), (two, page.replace(" • Vertskapsordning\n", ""))):
        folder.mkdir()
        (folder / "p.txt").write_text(text, "utf-8")
    store = Store.open(db, create=True)
    report = import_paths(store, [one, two])
    assert [r.slug for r in report.results] == [
        "tilflyttingsarbeid-i-tynset",
        "tilflyttingsarbeid-i-tynset-2",
    ]
    warned = [p.message for p in report.results[1].problems]
    assert any("other contents; both are kept" in m for m in warned), warned
    again = import_paths(store, [two, one])  # the first to take a slug keeps it
    assert {(Path(r.path).parent.name, r.slug) for r in again.results} == {
        ("a", "tilflyttingsarbeid-i-tynset"),
        ("b", "tilflyttingsarbeid-i-tynset-2"),
    }


def test_failed_files_do_not_stop_the_rest(db: Path, pages: Path) -> None:
    (pages / "broken.yaml").write_text("tittel: X\nkommuner:\n  - 0301\n", "utf-8")
    (pages / "empty.txt").write_text("  \n", "utf-8")
    store = Store.open(db, create=True)
    report = import_paths(store, [pages])
    assert report.exit_code == 3
    failed = {Path(r.path).name: r.problems[0] for r in report.results if r.status == "failed"}
    assert set(failed) == {"broken.yaml", "empty.txt"}
    assert failed["broken.yaml"].line == 3
    assert count(store, "entries") == 4


def test_strict_import_is_all_or_nothing(db: Path, pages: Path) -> None:
    store = Store.open(db, create=True)
    import_paths(store, [PAGES / "bokmal-complete.txt"])
    (pages / "broken.yaml").write_text("tittel: [X\n", "utf-8")
    report = import_paths(store, [pages], strict=True)
    assert report.exit_code == 1 and report.rolled_back
    assert count(store, "entries") == 1


def test_dry_run_writes_nothing(db: Path, pages: Path) -> None:
    store = Store.open(db, create=True)
    report = import_paths(store, [pages], dry_run=True)
    assert report.count("added") == 4
    assert count(store, "entries") == 0


def test_outlines_hold_what_population_figures_need(db: Path) -> None:
    store = Store.open(db, create=True)
    import_paths(store, [CATALOG])
    ids = [entry_id for entry_id, _, _ in store.sources()][::-1]  # any order is kept
    outlines, full = store.load_outlines(ids), store.load_entries(ids)
    assert [(o.slug, o.title, o.places, o.projects) for o in outlines] == [
        (e.slug, e.title, e.places, e.projects) for e in full
    ]
    assert any(o.projects for o in outlines) and any(o.places for o in outlines)
    assert not any(o.text or any(o.lists.values()) for o in outlines)  # not read


def test_a_blocked_file_does_not_hold_the_write_lock(
    db: Path, pages: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are read and parsed before the write lock is taken: while the
    import waits on a slow file (a disk that does not answer, held here by
    an event), another process can still write to the database. (A named
    pipe no longer blocks anything: it is skipped, tests/test_hardening.py.)"""
    import threading

    from tilflytting.ingest import importer

    slow = pages / "zz-slow.txt"
    slow.write_bytes((PAGES / "bokmal-complete.txt").read_bytes().replace(b"Tynset", b"Alvdal"))
    Store.open(db, create=True).close()
    reading, go_on = threading.Event(), threading.Event()
    real_read = importer.read_limited  # type: ignore[attr-defined]

    def slow_read(path: Path, limit: int) -> bytes:
        if Path(path).name == slow.name:
            reading.set()
            assert go_on.wait(60)  # a guard against a hang, not a timing
        return real_read(path, limit)

    monkeypatch.setattr(importer, "read_limited", slow_read)
    done: dict[str, object] = {}

    def run() -> None:
        store = Store.open(db)
        done["report"] = import_paths(store, [pages])
        store.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert reading.wait(60)
    other = sqlite3.connect(db, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # raises 'database is locked' if the import held it
    other.execute("COMMIT")
    other.close()
    go_on.set()
    thread.join(timeout=60)
    report = done["report"]
    assert isinstance(report, ImportReport)
    assert {Path(r.path).name: r.status for r in report.results}["zz-slow.txt"] == "added"
