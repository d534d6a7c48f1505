"""The catalog's file before SQLite has it: what it is, whether it can be
written, how to open it read-only, how a new one is made."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

from tilflytting.core.files import irregular
from tilflytting.core.i18n import _
from tilflytting.store.errors import CANTOPEN, FULL, IOERR, READONLY, StoreError, code

SIDE_FILES = ("-wal", "-shm", "-journal")


def refuse_irregular(path: Path) -> None:
    """A named pipe, a device or a folder is no database (SQLite would block
    on a pipe, or read a device for ever)."""
    what = irregular(path)
    if what is not None:
        raise StoreError(
            _("{path} is {kind}, not a catalog database").format(path=path, kind=_(what))
        )


def refuse_read_only(path: Path) -> None:
    """Before a write: a file that cannot be written says so (SQLite would
    say "unable to open database file" on a read-only file system)."""
    if not writable(path):
        raise StoreError(
            _(
                "cannot write {path}: it is read-only, or its folder is (attempt to write a "
                "readonly database); commands that only read it still work"
            ).format(path=path)
        )


def writable(path: Path) -> bool:
    """The file and its folder (for the -wal beside it) can be written: not
    a read-only file, nor a read-only file system."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def cannot_write(exc: BaseException | None) -> bool:
    """`exc` says the file cannot be written or its side files made (a full
    disk, a read-only place): reading may still work, read-only."""
    return code(exc) in (READONLY, IOERR, FULL, CANTOPEN)


def busy(path: Path) -> bool:
    """Another connection may be at work: a -journal (rollback) exists, or a
    -wal with anything in it. (An empty -wal holds nothing that is not in
    the file: one left by a connection that failed on a full disk.)"""
    if path.with_name(path.name + "-journal").exists():
        return True
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def read_only_uri(path: Path) -> str:
    """The URI that opens `path` read-only. Where no other connection is at
    work it is opened `immutable`, which creates nothing beside it (a
    read-only connection to a WAL database would leave a -wal and -shm it may
    not remove); while one is at work, `mode=ro`, through its files."""
    mode = "mode=ro" if busy(path) else "mode=ro&immutable=1"
    return f"{path.absolute().as_uri()}?{mode}"


def temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.new")


def link_into_place(new: Path, path: Path) -> None:
    """`new` becomes `path` unless `path` exists by now (another process
    made it: that one is used)."""
    try:
        os.link(new, path)
    except FileExistsError:
        return
    except OSError:  # a file system without hard links
        if not path.exists():
            os.replace(new, path)


def remove_quietly(path: Path) -> None:
    for end in ("", *SIDE_FILES):
        with suppress(OSError):
            path.with_name(path.name + end).unlink()
