"""Is this file a catalog? Asked before anything is written to it.

A catalog has the table `_migrations` with the schema's first step
(`m001_initial`). An empty file, an SQLite database without tables, and
another program's database are refused untouched: never converted into a
catalog, never switched to WAL. The look is read-only (immutable where no
other connection is at work): it creates nothing, not even a -wal.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tilflytting.core.i18n import _
from tilflytting.store.errors import StoreError, describe
from tilflytting.store.files import read_only_uri

FIRST_STEP = "m001_initial"
SHOWN_TABLES = 3


def identify(path: Path) -> None:
    """Raise StoreError unless `path` is a catalog (of any version: a newer
    one is refused later, naming its step)."""
    try:
        tables = _tables(path, read_only_uri(path))
    except sqlite3.DatabaseError:
        try:  # a writer began between the look for its files and the open
            tables = _tables(path, f"{path.absolute().as_uri()}?mode=ro")
        except sqlite3.DatabaseError as exc:
            raise StoreError(describe(exc, path)) from exc
    if tables is None:
        return
    if not tables:
        raise StoreError(
            _(
                "{path} is empty, not a tilflytting catalog; nothing was written to it "
                "(remove it, or give another --db)"
            ).format(path=path)
        )
    shown = ", ".join(sorted(tables)[:SHOWN_TABLES]) + (", …" if len(tables) > SHOWN_TABLES else "")
    raise StoreError(
        _(
            "{path} is not a tilflytting catalog (it holds other tables: {tables}); "
            "nothing was written to it (give another --db)"
        ).format(path=path, tables=shown)
    )


def _tables(path: Path, uri: str) -> list[str] | None:
    """None for a catalog, else the file's tables (none: an empty file)."""
    conn = sqlite3.connect(uri, uri=True, timeout=10)
    try:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        if "_migrations" in tables:
            found = conn.execute(
                "SELECT 1 FROM _migrations WHERE name = ?", (FIRST_STEP,)
            ).fetchone()
            if found:
                return None
        return tables
    finally:
        conn.close()
