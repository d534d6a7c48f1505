"""Reading a file the user names without hanging: only regular files.

A named pipe (FIFO) blocks whoever opens it until a writer comes, a device
such as `/dev/zero` never ends, a socket cannot be read at all. So a file is
opened without blocking (`O_NONBLOCK`, which a regular file ignores), asked
what it is on the open handle (no race with a file swapped in between), and
read only if it is a regular file, at most `limit` + 1 bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tilflytting.core.i18n import N_

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(ValueError):
    """A path that is something other than a file (one line for the user)."""


def kind(mode: int) -> str | None:
    """What a file of this mode is, in words (an English template, N_), or
    None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return N_("a folder")
    if stat.S_ISFIFO(mode):
        return N_("a named pipe")
    if stat.S_ISSOCK(mode):
        return N_("a socket")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return N_("a device")
    return N_("not a regular file")


def not_a_file(what: str) -> str:
    """The message for a path that is `what` (from `kind`)."""
    return N_("{kind}, not a file: only regular files are read").format(kind=what)


def irregular(path: Path) -> str | None:
    """What `path` is if it exists and is not a regular file (links
    followed); None for a regular file or a path that cannot be examined."""
    try:
        return kind(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None


def read_limited(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of the regular file `path` (the caller
    decides what more than `limit` means). Raises OSError, or NotRegularFile
    for a named pipe, a device, a socket or a folder."""
    descriptor = os.open(path, _FLAGS)
    try:
        # Asked before a file object is made: making one of a folder fails
        # with the system's words ("[Errno 21] Is a directory").
        what = kind(os.fstat(descriptor).st_mode)
        if what is not None:
            raise NotRegularFile(not_a_file(what))
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        return handle.read(limit + 1)
