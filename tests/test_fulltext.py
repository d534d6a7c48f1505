"""Full text in both forms (issues 16, 19): the index finds words as written
(`møre`, `næringslivet`, `Holtålen`), folded (`more`, `holtalen`), and in
their search forms (inflections and the other written standard), in our own
`search` and through Datasette, which the exported metadata points at it."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CATALOG, Cli, catalog_copy
from tilflytting.reference.language import FORMS_VERSION, index_forms, query_forms
from tilflytting.store.database import Store


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "fulltext")
    yield cli


@pytest.fixture(scope="module")
def entries(catalog: Cli) -> list[dict[str, Any]]:
    result = catalog("export", "--format", "json")
    data = json.loads(result.stdout)
    return list(data["oppforinger"] if isinstance(data, dict) else data)


def found(cli: Cli, query: str) -> set[str]:
    result = cli("search", query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["slug"] for row in json.loads(result.stdout)}


def words_of(entry: dict[str, Any]) -> list[str]:
    """Every word the index holds for an entry, lowercased as written, read
    from the entry's JSON (not from the index)."""
    texts = [entry["tittel"], entry["ingress"], entry["tekst"], entry["region"] or ""]
    texts += [p["navn"] for p in entry["prosjekter"]]
    for name in ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper"):
        texts += [i["tekst"] for i in entry[name]]
    texts += [k["navn"] or "" for k in entry["kommuner"]] + [
        k["navn_2024"] or "" for k in entry["kommuner"]
    ]
    texts += entry["fylker"] + entry["fylker_2012"]
    return re.findall(r"\w+", " ".join(texts).lower())


def having(entries: list[dict[str, Any]], pattern: str) -> set[str]:
    return {e["slug"] for e in entries if any(re.fullmatch(pattern, w) for w in words_of(e))}


# -- the written standards and inflections --------------------------------------------
def test_bolyst_and_bulyst_find_each_other(catalog: Cli, entries: list[dict[str, Any]]) -> None:
    bolyst, bulyst = having(entries, r"bolyst\w{0,3}"), having(entries, r"bulyst\w{0,3}")
    assert bolyst and bulyst  # both standards are in the catalog
    assert found(catalog, "bulyst") >= bolyst | bulyst
    assert found(catalog, "bolyst") == found(catalog, "bulyst")


def test_tilflyttarar_finds_the_bokmal_forms(catalog: Cli, entries: list[dict[str, Any]]) -> None:
    bokmal = having(entries, r"tilflytter(e|ne|en)?")
    nynorsk = having(entries, r"tilflyttar(ar|ane|en)?")
    assert bokmal - nynorsk  # some entries have only the bokmål forms
    assert found(catalog, "tilflyttarar") >= bokmal | nynorsk
    assert found(catalog, "tilflytterne") == found(catalog, "tilflyttarar")


def test_quoted_words_mean_the_exact_words(catalog: Cli, entries: list[dict[str, Any]]) -> None:
    exact = having(entries, "tilflyttarar")
    assert exact and found(catalog, '"tilflyttarar"') == exact
    assert found(catalog, '"tilflyttarar"') < found(catalog, "tilflyttarar")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("innbyggere", "innbyggjarar"),
        ("kommune", "kommunar"),
        ("barnefamilier", "barnefamiliar"),
        ("arbeidsplasser", "arbeidsplassar"),
        ("nettsted", "nettstad"),
        ("hjemflytting", "heimflytting"),
        ("ungdom", "ungdommen"),
    ],
)
def test_word_pairs_share_a_search_form(one: str, other: str) -> None:
    assert query_forms(one)[-1] == query_forms(other)[-1]


def test_unrelated_words_stay_apart() -> None:
    forms = {query_forms(word)[-1] for word in ("bolyst", "kommune", "tilflytter", "ungdom")}
    assert len(forms) == 4


def test_index_forms_only_add_what_folding_lacks() -> None:
    assert index_forms("og i på") == ""
    assert set(index_forms("Tilflyttarar i kommunane").split()) == {"tilflytt", "kommun"}


# -- as written and folded, in our search ---------------------------------------------
@pytest.mark.parametrize(
    ("written", "folded"),
    [("møre", "more"), ("Holtålen", "holtalen"), ("Sør-Trøndelag", "sor-trondelag")],
)
def test_written_and_folded_words_find_the_same(catalog: Cli, written: str, folded: str) -> None:
    assert found(catalog, written) and found(catalog, written) == found(catalog, folded)


# -- the index itself, as other programs see it --------------------------------------
def fts(db: Path, word: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT e.slug FROM entry_search_fts f JOIN entries e ON e.id = f.rowid "
            "WHERE entry_search_fts MATCH ?",
            [f'"{word}"'],
        )
        return {row[0] for row in rows}


def test_sqlite_finds_both_forms(catalog: Cli, entries: list[dict[str, Any]]) -> None:
    moere = having(entries, "møre")
    assert moere and fts(catalog.db, "møre") == moere == fts(catalog.db, "more")
    naering = having(entries, "næringslivet")
    assert naering and fts(catalog.db, "næringslivet") == naering
    assert fts(catalog.db, "naeringslivet") == naering


def test_datasette_finds_both_forms(
    catalog: Cli, entries: list[dict[str, Any]], tmp_path: Path
) -> None:
    datasette_app = pytest.importorskip(
        "datasette.app", reason="pip install tilflytting[datasette]"
    )
    metadata = json.loads(catalog("export", "-f", "datasette-metadata").stdout)
    db = tmp_path / "catalog.db"
    shutil.copy(catalog.db, db)

    async def search(words: list[str]) -> dict[str, set[str]]:
        datasette = datasette_app.Datasette([str(db)], metadata=metadata)
        await datasette.invoke_startup()
        answers = {}
        for word in words:
            response = await datasette.client.get(
                "/catalog/entries.json",
                params={"_search": word, "_shape": "objects", "_size": "max"},
            )
            assert response.status_code == 200, response.text[:300]
            answers[word] = {row["slug"] for row in response.json()["rows"]}
        return answers

    answers = asyncio.run(search(["møre", "more", "næringslivet", "Holtålen", "holtalen"]))
    assert answers["møre"] == answers["more"] == having(entries, "møre")
    assert answers["næringslivet"] == having(entries, "næringslivet")
    assert answers["Holtålen"] == answers["holtalen"] == having(entries, "holtålen")


# -- rebuilt when the search forms change ---------------------------------------------
def test_rows_are_rebuilt_when_the_search_forms_change(tmp_path: Path) -> None:
    from tilflytting.ingest.importer import import_paths
    from tilflytting.store import search_index

    db = tmp_path / "catalog.db"
    store = Store.open(db, create=True)
    import_paths(store, [CATALOG / "bulyst-i-utsira.yaml"])
    with store.transaction():
        # The row as an older version of the search forms left it: here the
        # title, lead and lists hold none of them; the index says so in _meta.
        ((entry_id, _, _),) = store.find("slug", "bulyst-i-utsira")
        columns = ", ".join(search_index.SEARCH_COLUMNS)
        row = store.conn.execute(
            f"SELECT {columns} FROM entry_search WHERE entry_id = ?", (entry_id,)
        ).fetchone()
        search_index.delete_rows(store.conn, [entry_id])
        search_index.write_rows(store.conn, [(entry_id, ("x", "x", row[2], row[3], "x", row[5]))])
        older = search_index.search_version(FORMS_VERSION - 1)
        store.conn.execute("UPDATE _meta SET verdi = ? WHERE navn = 'search_version'", (older,))
    store.close()
    assert older != search_index.SEARCH_VERSION  # new search forms, a new index version
    assert fts(db, "utsira") == {"bulyst-i-utsira"}  # the places column still has it
    assert fts(db, "bolyst") == set()  # the search forms of the title are gone
    Store.open(db).close()  # a version that makes other forms opens it
    assert fts(db, "bolyst") == {"bulyst-i-utsira"}
    with sqlite3.connect(db) as conn:
        version = conn.execute("SELECT verdi FROM _meta WHERE navn = 'search_version'")
        assert version.fetchone() == (search_index.SEARCH_VERSION,)


@pytest.mark.parametrize("how", ["query_only", "mode=ro"])
def test_a_read_only_file_keeps_its_older_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """A file that cannot be written opens with the rows it has (searching
    them works; only new word forms are missing) instead of failing."""
    from tilflytting.ingest.importer import import_paths
    from tilflytting.store import search_index

    db = tmp_path / "catalog.db"
    store = Store.open(db, create=True)
    import_paths(store, [CATALOG / "bulyst-i-utsira.yaml"])
    with store.transaction():
        older = search_index.search_version(FORMS_VERSION - 1)
        store.conn.execute("UPDATE _meta SET verdi = ? WHERE navn = 'search_version'", (older,))
    store.close()
    real_connect = sqlite3.connect

    def read_only(path: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection
        if kwargs.pop("uri", False):  # a URI the store opens read-only already
            conn = real_connect(path, uri=True, **kwargs)
            return conn
        if how == "mode=ro":  # as a file the user may not write (root may write any)
            conn = real_connect(f"file:{path}?mode=ro", uri=True, **kwargs)
        else:
            conn = real_connect(path, **kwargs)
            conn.execute("PRAGMA query_only = ON")
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    result = Cli(db)("search", "utsira", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [row["slug"] for row in json.loads(result.stdout)] == ["bulyst-i-utsira"]
    monkeypatch.undo()
    with sqlite3.connect(db) as conn:
        version = conn.execute("SELECT verdi FROM _meta WHERE navn = 'search_version'")
        assert version.fetchone() == (older,)  # untouched
