"""Bringing a database up to date: the schema's migrations, then the data
derived from the stored facts.

Opening a database costs two small queries when nothing is to be done (the
usual case): the names of the applied migrations and the versions of the
derived data in `_meta`. Otherwise, under one write transaction:

1. the migrations not yet applied (store/migrations.py), with foreign keys
   off, as SQLite's documentation asks for schema changes;
2. the derived data whose version differs from this code's: the full-text
   index (store/search_index.py), the triggers that guard the kept counts
   (store/counts.py), the lookup tables (store/lookups.py);
3. after the step that gave entries their sources (m011), the twins an
   older version made (`…-2` beside the entry it duplicates) are merged
   (store/twins.py), and the merges returned for the CLI to report;
4. a check that every foreign key holds, and the kept counts.

A database that has migrations this version does not know was made by a
newer version and is refused untouched. Two names recorded by versions
made between releases (`migrations.ALIASES`) are known: the upgrade renames
`m010_place_evidence` to the step it ran (m013) and removes
`m011_search_forms` with its table, whose work `_meta` now does.

A file that cannot be written (read-only, or held by a writer past the busy
timeout) whose schema is up to date opens with its older derived data: a
search index of older forms still answers, and the kept counts are counted
afresh by the read that finds them stale.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from typing import TYPE_CHECKING

from tilflytting.core import clock, i18n
from tilflytting.store import counts, search_index
from tilflytting.store.errors import StoreError
from tilflytting.store.migrations import ALIASES, MIGRATIONS, Migration

if TYPE_CHECKING:
    from tilflytting.store.database import Store

# Versions of derived data kept in `_meta`, with the code's own.
DERIVED = {
    "search_version": search_index.SEARCH_VERSION,
    "tally_version": counts.TALLY_VERSION,
}
TWINS_AFTER = "m011_sources"
# SQLite's primary result codes for a file that cannot be written now:
# SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY.
CANNOT_WRITE = (5, 6, 8)


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY id")]
    except sqlite3.OperationalError as exc:
        if not _no_table(exc):
            raise  # a disk that cannot be read is not a new file
        return []  # no such table: a new, empty file


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(conn.execute("SELECT navn, verdi FROM _meta").fetchall())
    except sqlite3.OperationalError as exc:
        if not _no_table(exc):
            raise
        return {}


def _no_table(exc: sqlite3.OperationalError) -> bool:
    return str(exc).startswith("no such table")


def pending(
    conn: sqlite3.Connection,
    path: object,
    upto: int | None,
    recorded: list[str] | None = None,
) -> list[tuple[str, Migration]]:
    """The migrations not yet applied (of the first `upto`); `recorded`:
    the names in `_migrations`, if already read."""
    if recorded is None:
        recorded = applied_migrations(conn)
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in recorded if name not in known and name not in ALIASES]
    if unknown:
        raise StoreError(
            i18n._(
                "{path} was made by a newer version of tilflytting (schema step '{step}'); "
                "upgrade tilflytting to use it; nothing was written to it"
            ).format(path=path, step=unknown[0])
        )
    applied = {ALIASES.get(name, name) for name in recorded}
    return [(n, f) for n, f in MIGRATIONS[:upto] if n not in applied]


def aliased(recorded: list[str]) -> list[str]:
    """The names of `ALIASES` among the recorded ones."""
    return [name for name in recorded if name in ALIASES]


def _adopt_aliases(conn: sqlite3.Connection) -> None:
    """Record the steps of `ALIASES` under their registry names (inside the
    upgrade's transaction): `m010_place_evidence` becomes the step whose SQL
    it ran; `m011_search_forms` goes, with the table it made (the search
    index's version is kept in `_meta`; the file has none yet, so the index
    is built again)."""
    for old in aliased(applied_migrations(conn)):
        new = ALIASES[old]
        if new is None:
            conn.execute("DELETE FROM _migrations WHERE name = ?", (old,))
        else:
            conn.execute("UPDATE _migrations SET name = ? WHERE name = ?", (new, old))
        if old == "m011_search_forms":
            conn.execute("DROP TABLE IF EXISTS search_forms")


def stale_derived(conn: sqlite3.Connection) -> list[str]:
    have = meta(conn)
    return [name for name, version in DERIVED.items() if have.get(name) != str(version)]


def upgrade(store: Store, upto: int | None = None) -> list[tuple[str, str]]:
    """Bring `store` up to date (migrations up to `upto`, for tests: then
    nothing else). Returns the twins merged, (kept slug, merged slug)."""
    conn = store.conn
    recorded = applied_migrations(conn)  # one query, and one for _meta: the usual open
    if not pending(conn, store.path, upto, recorded) and not aliased(recorded):
        if upto is not None or not stale_derived(conn):
            return []  # the usual case, and no sqlite-utils import for it
        if conn.execute("PRAGMA query_only").fetchone()[0]:
            return []  # cannot be written: the older derived data stands
        try:
            return _upgrade(store, upto)
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF not in CANNOT_WRITE:
                raise
            return []  # read-only file, or a writer that holds on past the timeout
    return _upgrade(store, upto)


def _upgrade(store: Store, upto: int | None) -> list[tuple[str, str]]:
    conn = store.conn
    import sqlite_utils  # only needed to build or change the schema

    db = sqlite_utils.Database(conn)
    merged: list[tuple[str, str]] = []
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with store.transaction(upgrading=True):
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations "
                "(id INTEGER PRIMARY KEY, name TEXT UNIQUE, applied TEXT)"
            )
            # Asked again under the write lock: another process may have
            # upgraded the file while this one waited.
            _adopt_aliases(conn)
            ran = pending(conn, store.path, upto)
            for name, migrate in ran:
                migrate(db)
                conn.execute(
                    "INSERT INTO _migrations (name, applied) VALUES (?, ?)",
                    (name, clock.timestamp()),
                )
            if upto is None:
                merged = _derived(store, bool(ran), TWINS_AFTER in {n for n, _ in ran})
            if ran:
                _check_foreign_keys(conn, store.path)
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
    # WAL lets searches read while an import writes; the mode is kept in
    # the file. Another process reading right now can keep it from
    # switching; the next upgrade or import tries again.
    with suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA journal_mode = WAL")
    return merged


def _derived(store: Store, migrated: bool, twins: bool) -> list[tuple[str, str]]:
    """Derived data brought up to date (inside the upgrade's transaction)."""
    from tilflytting.store import lookups
    from tilflytting.store import twins as twin_merge

    conn = store.conn
    stale = stale_derived(conn)
    if "search_version" in stale:
        search_index.rebuild(conn, store.load_entries)
    if migrated or "tally_version" in stale:
        counts.create_guards(conn)  # a rebuilt table loses its triggers
    lookups.refresh_if_changed(conn)
    for name, version in DERIVED.items():
        conn.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", (name, str(version)))
    merged = twin_merge.merge_twins(store) if twins else []
    counts.refresh_if_stale(conn)
    return merged


def _check_foreign_keys(conn: sqlite3.Connection, path: object) -> None:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        raise StoreError(
            i18n._(
                "cannot upgrade {path}: {count} rows point at nothing (first: {table} row {row})"
            ).format(path=path, count=len(broken), table=table, row=f"{rowid} → {parent}")
        )
