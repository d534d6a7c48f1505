"""The catalog database: `Store`, an open and up-to-date catalog file.

The store package holds all of the project's SQL, by job:

- migrations.py: the schema, as named, frozen migrations (a registry);
- schema.py: bringing a file up to date (migrations, then derived data);
- search_index.py: what goes into the full-text index (one place);
- writes.py: saving and deleting entries; snapshot.py: an entry per source;
- reads.py: loading entries, look-ups, searches, what an import must know;
- filters.py: the filters as SQL;
- counts.py: counting, live or kept (and the guards that keep kept counts true);
- lookups.py: the lookup tables with labels (terms, kommuner, fylker);
- twins.py: merging the `…-2` twins an older version made.

`Store` puts reads, writes and counts together over one connection. The
store never prints: what a user should hear of (twins merged on upgrade)
is returned for the CLI to say.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tilflytting.core.i18n import _
from tilflytting.store import counts, files, ours, schema
from tilflytting.store.counts import TALLY_TABLES, Counts, Tallies, term_counts_sql
from tilflytting.store.errors import StoreError, StoreMissing, describe
from tilflytting.store.filters import count_sql, search_sql
from tilflytting.store.migrations import MIGRATIONS
from tilflytting.store.reads import Reads
from tilflytting.store.writes import EntryWrite, Writes

__all__ = [
    "MIGRATIONS",
    "TALLY_TABLES",
    "EntryWrite",
    "Store",
    "StoreError",
    "StoreMissing",
    "Tallies",
    "count_sql",
    "search_sql",
    "term_counts_sql",
]

BUSY_TIMEOUT_MS = 10_000


class Store(Counts, Reads, Writes):
    """An open catalog database, migrated to this version's schema."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._tallies: Tallies | None = None  # kept counts read since the last write
        self._next_id: int | None = None  # the next new entry's id, inside a transaction
        # Twins an older version made, merged when this file was upgraded:
        # (kept slug, merged slug), for the CLI to report.
        self.merged: list[tuple[str, str]] = []
        self.read_only = False  # opened read-only: the file cannot be written

    @classmethod
    def open(cls, path: Path, create: bool = False, write: bool | None = None) -> Store:
        """Open (and upgrade) the catalog at `path`; create it only if asked.
        `write` (default: `create`): the caller means to write. A file that is
        not a catalog (empty, another program's database) is refused before
        anything is written to it; one that cannot be written (a read-only
        file or file system, a full disk) is opened read-only for reading."""
        write = create if write is None else write
        if str(path) == ":memory:":
            return cls._connect(path, str(path), uri=False)
        if not path.exists():
            if not create:
                raise StoreMissing(f"no catalog database at {path}")
            cls._create(path)
        files.refuse_irregular(path)
        ours.identify(path)  # a read-only look: never writes, never creates anything
        if not files.writable(path):
            if write:
                files.refuse_read_only(path)
            return cls._read_only(path)
        try:
            return cls._connect(path, str(path), uri=False)
        except StoreError as exc:
            if write or not files.cannot_write(exc.__cause__):
                raise
            return cls._read_only(path)  # a full disk: reading still works

    @classmethod
    def _connect(cls, path: Path, target: str, uri: bool, read_only: bool = False) -> Store:
        try:
            conn = sqlite3.connect(
                target, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(describe(exc, path)) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            if read_only:
                conn.execute("PRAGMA query_only = ON")
            store = cls(conn, path)
            store.read_only = read_only
            store.merged = schema.upgrade(store)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(describe(exc, path)) from exc
        return store

    @classmethod
    def _read_only(cls, path: Path) -> Store:
        """The catalog opened for reading only: nothing is created beside it
        (no -wal, no -shm) where no other connection is at work."""
        return cls._connect(path, files.read_only_uri(path), uri=True, read_only=True)

    @classmethod
    def _create(cls, path: Path) -> None:
        """A new catalog at `path`, made whole beside it and then linked into
        place, so that `path` is never a file without the schema (which the
        next run could not tell from another program's empty file), and two
        processes creating it at once make one catalog."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                _("cannot create folder for {path}: {error}").format(path=path, error=exc.strerror)
            ) from exc
        new = files.temporary_beside(path)
        try:
            cls._connect(new, str(new), uri=False).close()
            files.link_into_place(new, path)
        except StoreError as exc:  # named by the path asked for, not the new file's
            cause = exc.__cause__
            raise StoreError(describe(cause, path) if cause else str(exc)) from cause
        except OSError as exc:
            raise StoreError(describe(exc, path)) from exc
        finally:
            files.remove_quietly(new)

    def close(self) -> None:
        self.conn.close()

    # -- schema ------------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        return schema.applied_migrations(self.conn)

    @property
    def schema_version(self) -> int:
        return len(self.applied_migrations())

    def _upgrade(self, upto: int | None = None) -> None:
        """Apply the migrations (only the first `upto`: for tests)."""
        self.merged = schema.upgrade(self, upto)

    # -- transactions --------------------------------------------------------
    @contextmanager
    def transaction(self, upgrading: bool = False) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE) so that a
        concurrent writer waits on the busy timeout instead of failing later.
        It begins by filling the lookup tables again if their data files
        changed, and ends by counting the catalog again if a write (of this
        store or anyone's) made the kept counts stale."""
        self.conn.execute("BEGIN IMMEDIATE")
        self._tallies, self._next_id = None, None
        try:
            if not upgrading:
                from tilflytting.store import lookups  # writes only: not at every start

                lookups.refresh_if_changed(self.conn)
            yield
            if not upgrading:
                counts.refresh_if_stale(self.conn)
        except BaseException:
            if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._tallies, self._next_id = None, None
        self.conn.execute("COMMIT")
