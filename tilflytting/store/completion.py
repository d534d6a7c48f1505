"""Read-only look-ups for tab completion (query/completion.py decides what to offer).

The shell asks on every TAB, so this module never opens the catalog through
Store (which creates a missing file, runs migrations and sets WAL mode): it
opens the file read-only or not at all. Every failure (no file, a file that
is no catalog, a catalog of another schema, a lock) means "nothing to offer",
never an error.

A read-only connection to a WAL database creates `-wal` and `-shm` files
beside it, which it may not remove. So where no other connection is at work
(no `-wal` file, no rollback journal) the file is opened `immutable`, which
reads it without locks and without creating anything; while one is at work
its files exist already, and the file is opened `mode=ro`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# A writer holding a rollback journal's lock makes a reader wait: TAB gives up
# quickly instead (WAL, which Store uses, never blocks readers).
BUSY_TIMEOUT_S = 0.2
# Above every character a slug or key can hold: `prefix + TOP` bounds a range.
TOP = "\U0010ffff"


def open_readonly(path: Path) -> sqlite3.Connection | None:
    """The catalog at `path`, read-only; None where there is nothing to read."""
    try:
        if not path.is_file():  # missing, a folder, a named pipe (opening one would hang)
            return None
        # Another connection at work has its -wal (WAL) or -journal (rollback).
        busy = any(path.with_name(path.name + end).exists() for end in ("-wal", "-journal"))
        mode = "mode=ro" if busy else "mode=ro&immutable=1"
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_S
        )
        conn.execute("PRAGMA query_only = ON")
        return conn
    except (OSError, ValueError, sqlite3.Error):
        return None


def slugs_from(
    conn: sqlite3.Connection, prefix: str, limit: int
) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """(slug, title) of the first `limit` entries whose slug begins with
    `prefix`, in slug order, read from the slug index; and, when there are
    more, the last of them all (so that what a shell fills in, the part all
    offers share, is the part all matches share)."""
    rows = conn.execute(
        "SELECT slug, tittel FROM entries WHERE slug >= ? AND slug < ? ORDER BY slug LIMIT ?",
        (prefix, prefix + TOP, limit + 1),
    ).fetchall()
    found = [(r[0], r[1]) for r in rows]
    if len(found) <= limit:
        return found, None
    last = conn.execute(
        "SELECT slug, tittel FROM entries WHERE slug >= ? AND slug < ? ORDER BY slug DESC LIMIT 1",
        (prefix, prefix + TOP),
    ).fetchone()
    return found[:limit], (last[0], last[1])


def entries_named(
    conn: sqlite3.Connection, word: str, number: str | None, limit: int
) -> list[tuple[str, str]]:
    """(slug, title) of at most `limit` entries, in slug order, that `word`
    (a folded key, as `show` compares) names by its beginning: of the
    folded slug or title, or of one of the entry's municipalities (name of
    2012 or today); with `number`, of a municipality number of either era.
    Each way is a range of an index."""
    ways = [
        "SELECT id FROM entries WHERE slug_nokkel >= :w AND slug_nokkel < :top",
        "SELECT id FROM entries WHERE tittel_nokkel >= :w AND tittel_nokkel < :top",
        "SELECT entry_id FROM places WHERE navn_nokkel >= :w AND navn_nokkel < :top",
        "SELECT entry_id FROM places WHERE navn_2024_nokkel >= :w AND navn_2024_nokkel < :top",
    ]
    if number:
        ways += [
            "SELECT entry_id FROM places WHERE nummer_2012 >= :n AND nummer_2012 < :ntop",
            "SELECT entry_id FROM places WHERE nummer_2024 >= :n AND nummer_2024 < :ntop",
        ]
    values = {"w": word, "top": word + TOP, "n": number or "", "ntop": (number or "") + TOP}
    return _in_slug_order(conn, ways, values, limit)


def entries_containing(conn: sqlite3.Connection, word: str, limit: int) -> list[tuple[str, str]]:
    """(slug, title) of at most `limit` entries, in slug order, whose folded
    slug or title holds `word` anywhere (as `show` finds a part of a name):
    a walk through both indexes, not the entries' rows (about 30 ms at
    100,000 entries)."""
    ways = [
        "SELECT id FROM entries WHERE instr(slug_nokkel, :w) > 0",
        "SELECT id FROM entries WHERE instr(tittel_nokkel, :w) > 0",
    ]
    return _in_slug_order(conn, ways, {"w": word}, limit)


def _in_slug_order(
    conn: sqlite3.Connection, ways: list[str], values: dict[str, str], limit: int
) -> list[tuple[str, str]]:
    # The unary + keeps SQLite walking the slug index in order, testing each
    # entry against the set of matches, and stopping at the limit (a test
    # reads the plan).
    sql = (
        "SELECT slug, tittel FROM entries WHERE +id IN ("
        + " UNION ".join(ways)
        + ") ORDER BY slug LIMIT :limit"
    )
    return [(r[0], r[1]) for r in conn.execute(sql, {**values, "limit": limit})]
