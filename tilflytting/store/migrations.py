"""The schema, step by step: named, append-only, frozen migrations.

The pattern of simonw/llm: each step is a function registered with
`@migration`, named by the function, applied once and recorded by that name
in `_migrations`, so that a database made by any older version upgrades in
place (`store/schema.py` applies them).

A step that has shipped is never edited, and it is FROZEN: it carries the
SQL it ran and calls no code of ours that may change later (where it needs a
function, it keeps its own copy). Data derived from the stored facts (the
full-text rows, the kept counts, the lookup tables' labels) is not written
here: the store builds it again when its version changes (`store/schema.py`).
So steps m004 and m008, which once filled the search index and the counts
with the code of their day, now only make their tables.

To change the schema, add ONE new function at the end, in the same style.
Each receives a `sqlite_utils.Database` on the store's connection, inside
the upgrade's transaction, with foreign keys off (they are checked at the
end of the upgrade).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

Migration = Callable[[Any], None]  # receives a sqlite_utils.Database
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(function: Migration) -> Migration:
    """Register `function` as the next step of the schema, named after it."""
    MIGRATIONS.append((function.__name__, function))
    return function


def _run(db: Any, *statements: str) -> None:
    for statement in statements:
        db.execute(statement)


@migration
def m001_initial(db: Any) -> None:
    _run(
        db,
        """CREATE TABLE "entries" (
   "id" INTEGER PRIMARY KEY,
   "slug" TEXT NOT NULL,
   "tittel" TEXT NOT NULL,
   "tittel_linje" INTEGER,
   "ingress" TEXT,
   "tekst" TEXT,
   "fagomrader" TEXT,
   "region" TEXT,
   "komplett" INTEGER,
   "advarsler" TEXT,
   "kilde_fil" TEXT NOT NULL,
   "kilde_url" TEXT,
   "format" TEXT,
   "sha256" TEXT,
   "tegnsett" TEXT,
   "parser_versjon" INTEGER,
   "importert" TEXT
)""",
        'CREATE UNIQUE INDEX "idx_entries_slug" ON "entries" ("slug")',
        'CREATE UNIQUE INDEX "idx_entries_kilde_fil" ON "entries" ("kilde_fil")',
        """CREATE TABLE "projects" (
   "id" INTEGER PRIMARY KEY,
   "entry_id" INTEGER REFERENCES "entries"("id"),
   "pos" INTEGER,
   "navn" TEXT,
   "fra" INTEGER,
   "til" INTEGER,
   "pagaende" INTEGER,
   "periode" TEXT,
   "linje" INTEGER
)""",
        """CREATE TABLE "items" (
   "id" INTEGER PRIMARY KEY,
   "entry_id" INTEGER REFERENCES "entries"("id"),
   "liste" TEXT,
   "pos" INTEGER,
   "tekst" TEXT,
   "term" TEXT,
   "linje" INTEGER,
   "avkortet" INTEGER
)""",
        """CREATE TABLE "places" (
   "id" INTEGER PRIMARY KEY,
   "entry_id" INTEGER REFERENCES "entries"("id"),
   "pos" INTEGER,
   "type" TEXT,
   "navn" TEXT,
   "nummer_2012" TEXT,
   "fylke_2012" TEXT,
   "navn_2024" TEXT,
   "nummer_2024" TEXT,
   "fylke_2024" TEXT
)""",
        """CREATE TABLE "headings" (
   "id" INTEGER PRIMARY KEY,
   "entry_id" INTEGER REFERENCES "entries"("id"),
   "tekst" TEXT,
   "type" TEXT,
   "linje" INTEGER
)""",
        'CREATE INDEX "idx_projects_entry_id" ON "projects" ("entry_id")',
        'CREATE INDEX "idx_items_entry_id" ON "items" ("entry_id")',
        'CREATE INDEX "idx_places_entry_id" ON "places" ("entry_id")',
        'CREATE INDEX "idx_headings_entry_id" ON "headings" ("entry_id")',
        'CREATE INDEX "idx_items_liste_term" ON "items" ("liste", "term")',
        'CREATE INDEX "idx_places_fylke_2012" ON "places" ("fylke_2012")',
        'CREATE INDEX "idx_places_fylke_2024" ON "places" ("fylke_2024")',
        'CREATE INDEX "idx_places_nummer_2012" ON "places" ("nummer_2012")',
        'CREATE INDEX "idx_places_nummer_2024" ON "places" ("nummer_2024")',
    )


def _search_table_sql(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The full-text index as sqlite-utils' enable_fts(create_triggers=True)
    made it in m002 and m004 (frozen: used by those two steps only)."""
    quoted = ", ".join(f'"{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    body = ",\n".join(f'   "{c}" TEXT' for c in columns)
    fts = '"entry_search_fts"'
    delete = f"INSERT INTO {fts} ({fts}, rowid, {quoted}) VALUES('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts} (rowid, {quoted}) VALUES (new.rowid, {new});"
    return (
        'CREATE TABLE "entry_search" (\n   "entry_id" INTEGER PRIMARY KEY REFERENCES '
        f'"entries"("id"),\n{body}\n)',
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 (\n    {quoted},\n"
        "    tokenize='unicode61 remove_diacritics 2',\n    content=\"entry_search\"\n)",
        f'CREATE TRIGGER "entry_search_ai" AFTER INSERT ON "entry_search" BEGIN\n  {insert}\nEND',
        f'CREATE TRIGGER "entry_search_ad" AFTER DELETE ON "entry_search" BEGIN\n  {delete}\nEND',
        f'CREATE TRIGGER "entry_search_au" AFTER UPDATE ON "entry_search" BEGIN\n  {delete}\n'
        f"  {insert}\nEND",
    )


@migration
def m002_search_index(db: Any) -> None:
    """One row of searchable text per entry, indexed with FTS5 (its rows are
    written by the store, see store/search_index.py)."""
    _run(db, *_search_table_sql(("tittel", "ingress", "tekst", "prosjekter", "lister")))


@migration
def m003_vocabulary(db: Any) -> None:
    """Items get the place a public body is named for; entries keep their
    lists as written, so the vocabulary can be applied again later."""
    _run(
        db,
        'ALTER TABLE "items" ADD COLUMN "detalj" TEXT',
        'ALTER TABLE "entries" ADD COLUMN "lister_raw" TEXT',
    )
    import json  # here, not at the top: the one step that needs it (1.5 ms a start)

    # Before this step items were stored as written: they are the raw lists.
    for (entry_id,) in db.execute("SELECT id FROM entries").fetchall():
        rows = db.execute(
            "SELECT liste, tekst, linje, avkortet FROM items WHERE entry_id = ? AND liste != "
            "'hovedmal' ORDER BY pos",
            [entry_id],
        ).fetchall()
        raw: dict[str, list[dict[str, Any]]] = {}
        for liste, tekst, linje, avkortet in rows:
            raw.setdefault(liste, []).append(
                {"tekst": tekst, "linje": linje, "avkortet": bool(avkortet), "term": None}
            )
        db.execute(
            "UPDATE entries SET lister_raw = ? WHERE id = ?",
            [json.dumps(raw, ensure_ascii=False), entry_id],
        )


@migration
def m004_folded_search(db: Any) -> None:
    """The search index on folded text, with a column of places."""
    _run(
        db,
        'DROP TABLE "entry_search_fts"',
        'DROP TABLE "entry_search"',  # its triggers go with it
        *_search_table_sql(("tittel", "ingress", "tekst", "prosjekter", "lister", "steder")),
    )


# How lookup keys were made when m005 ran (a frozen copy of core.fold.key).
_M005_LETTERS = (
    ("æ", "ae"),
    ("Æ", "Ae"),
    ("ø", "o"),
    ("Ø", "O"),
    ("å", "a"),
    ("Å", "A"),
    ("ß", "ss"),
)
_M005_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _m005_key(text: str | None) -> str | None:
    if text is None:
        return None
    for letter, ascii_form in _M005_LETTERS:
        text = text.replace(letter, ascii_form)
    folded = _M005_COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()
    return re.sub(r"[^a-z0-9]+", "", folded)


@migration
def m005_lookup_keys(db: Any) -> None:
    """Folded keys for finding an entry by what a user types (`holtalen`),
    indexed, so that `show` need not read every entry."""
    db.conn.create_function("m005_nokkel", 1, _m005_key, deterministic=True)
    _run(
        db,
        'ALTER TABLE "entries" ADD COLUMN "slug_nokkel" TEXT',
        'ALTER TABLE "entries" ADD COLUMN "tittel_nokkel" TEXT',
        'ALTER TABLE "places" ADD COLUMN "navn_nokkel" TEXT',
        'ALTER TABLE "places" ADD COLUMN "navn_2024_nokkel" TEXT',
        "UPDATE entries SET slug_nokkel = m005_nokkel(slug), tittel_nokkel = m005_nokkel(tittel)",
        "UPDATE places SET navn_nokkel = m005_nokkel(navn), "
        "navn_2024_nokkel = m005_nokkel(navn_2024)",
        'CREATE INDEX "idx_entries_slug_nokkel" ON "entries" ("slug_nokkel")',
        'CREATE INDEX "idx_entries_tittel_nokkel" ON "entries" ("tittel_nokkel")',
        'CREATE INDEX "idx_places_navn_nokkel" ON "places" ("navn_nokkel")',
        'CREATE INDEX "idx_places_navn_2024_nokkel" ON "places" ("navn_2024_nokkel")',
    )


@migration
def m006_covering_term_index(db: Any) -> None:
    """Counting entries per term (`summarise`, `vocab`) reads only this index:
    0.6 s → 0.09 s for one list of a 100,000-page catalog."""
    _run(
        db,
        'DROP INDEX IF EXISTS "idx_items_liste_term"',
        'CREATE INDEX "idx_items_liste_term_entry_id" ON "items" ("liste", "term", "entry_id")',
    )


@migration
def m007_filter_indexes(db: Any) -> None:
    """Year filters read projects from an index only, and region or
    completeness filters read a small index instead of every entry's row."""
    _run(
        db,
        'CREATE INDEX "idx_projects_fra_til_pagaende_entry_id" '
        'ON "projects" ("fra", "til", "pagaende", "entry_id")',
        'CREATE INDEX "idx_entries_region_komplett" ON "entries" ("region", "komplett")',
    )


@migration
def m008_tallies(db: Any) -> None:
    """Counts of the whole catalog, for `summarise` and `vocab` (filled by
    the store, see store/counts.py)."""
    _run(
        db,
        "CREATE TABLE tally_terms (liste TEXT NOT NULL, term TEXT, "
        "oppforinger INTEGER NOT NULL, svar INTEGER NOT NULL)",
        "CREATE TABLE tally_years (ar INTEGER PRIMARY KEY, startet INTEGER NOT NULL, "
        "siste INTEGER NOT NULL)",
        "CREATE TABLE tally_catalog (navn TEXT PRIMARY KEY, verdi INTEGER)",
    )


@migration
def m009_items_by_entry(db: Any) -> None:
    """Counting the terms of a few entries (`summarise --kommune`) reads
    their items from this index alone. It replaces the index on entry_id,
    which it begins with, so an import still keeps as many indexes."""
    _run(
        db,
        'DROP INDEX IF EXISTS "idx_items_entry_id"',
        'CREATE INDEX "idx_items_entry_id_liste_term" ON "items" ("entry_id", "liste", "term")',
    )


@migration
def m010_meta(db: Any) -> None:
    """What the store keeps about its own derived data: which version of the
    search index, the kept counts and the lookup tables it holds."""
    _run(db, "CREATE TABLE _meta (navn TEXT PRIMARY KEY, verdi TEXT)")


def _m011_url_key(url: str | None) -> str | None:
    """An entry's catalog address as m011 compared it (frozen)."""
    if url is None or not url.strip():
        return None
    text = url.strip().lower().split("#")[0]
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.removeprefix("www.")
    return text.rstrip("/")


@migration
def m011_sources(db: Any) -> None:
    """An entry is keyed by what it is (its catalog address, else its slug),
    and keeps every file it was built from: one row per file in `sources`,
    where the facts of its one file used to sit in the entry's own row."""
    db.conn.create_function("m011_url_key", 1, _m011_url_key, deterministic=True)
    _run(
        db,
        """CREATE TABLE "sources" (
   "id" INTEGER PRIMARY KEY,
   "entry_id" INTEGER NOT NULL REFERENCES "entries"("id"),
   "fil" TEXT NOT NULL,
   "sha256" TEXT NOT NULL,
   "format" TEXT NOT NULL,
   "tegnsett" TEXT,
   "url" TEXT,
   "rolle" TEXT NOT NULL,
   "forrang" INTEGER NOT NULL,
   "parser_versjon" INTEGER,
   "importert" TEXT,
   "oppforing" TEXT
)""",
        'CREATE UNIQUE INDEX "idx_sources_fil" ON "sources" ("fil")',
        'CREATE INDEX "idx_sources_entry_id" ON "sources" ("entry_id")',
        'CREATE INDEX "idx_sources_sha256" ON "sources" ("sha256")',
        # A page is a published page (precedence 2); a YAML file in a folder
        # named data/catalog is the bundled catalog (1); any other YAML file
        # was written by a maintainer (3).
        "INSERT INTO sources (entry_id, fil, sha256, format, tegnsett, url, rolle, forrang, "
        "parser_versjon, importert) SELECT id, kilde_fil, coalesce(sha256, ''), "
        "coalesce(format, 'txt'), tegnsett, kilde_url, "
        "CASE WHEN format = 'yaml' AND replace(kilde_fil, '\\', '/') LIKE '%/data/catalog/%' "
        "THEN 'medfulgt' WHEN format = 'yaml' THEN 'egen' ELSE 'side' END, "
        "CASE WHEN format = 'yaml' AND replace(kilde_fil, '\\', '/') LIKE '%/data/catalog/%' "
        "THEN 1 WHEN format = 'yaml' THEN 3 ELSE 2 END, parser_versjon, importert FROM entries",
        'DROP INDEX IF EXISTS "idx_entries_kilde_fil"',
        'ALTER TABLE "entries" ADD COLUMN "url_nokkel" TEXT',
        "UPDATE entries SET url_nokkel = m011_url_key(kilde_url)",
        # Not unique: a database made before this step may hold one entry
        # twice (its `-2` twin); the store merges those after the upgrade.
        'CREATE INDEX "idx_entries_url_nokkel" ON "entries" ("url_nokkel")',
    )
    db["entries"].transform(
        drop={"kilde_fil", "format", "sha256", "tegnsett", "parser_versjon", "importert"}
    )


@migration
def m012_lookup_tables(db: Any) -> None:
    """Labels for what items and places hold as codes: `terms` (the
    vocabulary), `kommuner` (numbers of every era) and `fylker`, with
    foreign keys from items and places, so that Datasette shows words. The
    store fills the labels (store/lookups.py); this step only puts in every
    value the data already uses, so that the keys hold from the start."""
    _run(
        db,
        """CREATE TABLE "terms" (
   "slug" TEXT PRIMARY KEY,
   "liste" TEXT NOT NULL,
   "etikett" TEXT NOT NULL,
   "nynorsk" TEXT
)""",
        """CREATE TABLE "kommuner" (
   "nummer" TEXT PRIMARY KEY,
   "navn" TEXT NOT NULL,
   "gyldig" TEXT,
   "nummer_2012" TEXT,
   "fylke_2012" TEXT,
   "nummer_2024" TEXT,
   "navn_2024" TEXT,
   "fylke_2024" TEXT
)""",
        """CREATE TABLE "fylker" (
   "navn" TEXT PRIMARY KEY,
   "nummer_2012" TEXT,
   "nummer_2024" TEXT,
   "ble_til" TEXT
)""",
        # Rows whose entry is gone (deleted by another program with foreign
        # keys off) would fail the check of the new keys: they belong to nothing.
        *(
            f"DELETE FROM {table} WHERE entry_id NOT IN (SELECT id FROM entries)"
            for table in ("projects", "items", "places", "headings", "sources")
        ),
        "INSERT OR IGNORE INTO terms (slug, liste, etikett) "
        "SELECT term, min(liste), term FROM items WHERE term IS NOT NULL GROUP BY term",
        "INSERT OR IGNORE INTO kommuner (nummer, navn) SELECT nummer_2012, "
        "coalesce(min(navn), nummer_2012) FROM places WHERE nummer_2012 IS NOT NULL GROUP BY 1",
        "INSERT OR IGNORE INTO kommuner (nummer, navn) SELECT nummer_2024, "
        "coalesce(min(navn_2024), nummer_2024) FROM places WHERE nummer_2024 IS NOT NULL "
        "GROUP BY 1",
        "INSERT OR IGNORE INTO fylker (navn) SELECT fylke_2012 FROM places "
        "WHERE fylke_2012 IS NOT NULL UNION SELECT fylke_2024 FROM places "
        "WHERE fylke_2024 IS NOT NULL",
    )
    db["items"].transform(add_foreign_keys=[("term", "terms", "slug")])
    db["places"].transform(
        add_foreign_keys=[
            ("nummer_2012", "kommuner", "nummer"),
            ("nummer_2024", "kommuner", "nummer"),
            ("fylke_2012", "fylker", "navn"),
            ("fylke_2024", "fylker", "navn"),
        ]
    )


@migration
def m013_place_evidence(db: Any) -> None:
    """Each place keeps what it was read from (`bevis`: the kind of evidence,
    such as `tittel` or `region: Namdalen`) and the line (`linje`), for
    `show --sources`. Places stored before this step have neither."""
    _run(
        db,
        'ALTER TABLE "places" ADD COLUMN "bevis" TEXT',
        'ALTER TABLE "places" ADD COLUMN "linje" INTEGER',
    )


# Steps recorded under other names by versions that never shipped (made
# between releases, before the registry): the step each stands for, or None
# for a step whose work is now done elsewhere. `m010_place_evidence` ran the
# SQL of m013; `m011_search_forms` made a table of the search forms' version,
# which `_meta` now keeps (search_version). The store renames or removes
# these records when it upgrades such a file (store/schema.py).
ALIASES: dict[str, str | None] = {
    "m010_place_evidence": "m013_place_evidence",
    "m011_search_forms": None,
}
