"""What the store raises for the CLI to report in one line, and the one
line that names the cause of a database failure."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from tilflytting.core.i18n import _

# SQLite's primary result codes (https://sqlite.org/rescode.html).
BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
# Less than this free on the database's disk: an I/O error is a full disk
# (SQLite says "disk I/O error" when it cannot make its 32 kB -shm file).
NEARLY_FULL = 64 * 1024


class StoreError(Exception):
    """A database problem to report to the user in one line."""


class StoreMissing(StoreError):
    """No database at the path a read command was given."""


def code(exc: BaseException | None) -> int | None:
    """SQLite's primary result code of `exc`, if it is SQLite's."""
    number = getattr(exc, "sqlite_errorcode", None)
    return number & 0xFF if isinstance(number, int) else None


def disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent if path.parent != Path() else ".").free < NEARLY_FULL
    except OSError:
        return False


def describe(exc: BaseException, path: Path) -> str:
    """One line naming the cause of a database failure on `path`."""
    primary = code(exc)
    full = primary == FULL or (
        (primary in (IOERR, CANTOPEN) or (isinstance(exc, OSError) and exc.errno == 28))
        and disk_full(path)
    )
    if full:
        return _(
            "cannot write {path}: database or disk is full; nothing was changed "
            "(free some space and try again)"
        ).format(path=path)
    if primary == READONLY:
        return _(
            "cannot write {path}: it is read-only (attempt to write a readonly database); "
            "commands that only read it still work"
        ).format(path=path)
    if primary in (BUSY, LOCKED):
        return _(
            "{path} is locked: another process kept it busy too long (database is locked); "
            "try again when it is done"
        ).format(path=path)
    if primary in (NOTADB, CORRUPT):
        return _("cannot use {path} as a catalog database: {error}").format(path=path, error=exc)
    if primary == CANTOPEN:
        return _(
            "cannot open {path} (unable to open database file): its folder must exist and "
            "be readable"
        ).format(path=path)
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        return _("cannot create {path}: {error}").format(path=path, error=exc.strerror or exc)
    return _("database error on {path}: {error}").format(path=path, error=exc)
