"""Writing a folder of files, confined to it: the one writer of `export
--format yaml` and `--format html`.

- Every file name is checked here, whoever made it: a relative path of
  names that follow the rule of `core/names.py` (with a suffix), so no name
  can climb out of the folder (`..`, `/`, `\\`, an absolute path), hide
  (a leading dot), hold a control character, name a device (`con`) or be
  too long; and no two names are the same after case folding (`A.yaml` and
  `a.yaml` are one file on macOS and Windows).
- Entries are named by their slugs (`safe_slugs`): a slug that breaks the
  rule (one imported by an older version) is written under a safe name made
  from it, which the YAML file also carries as its slug.
- The files are written into a new folder beside the target and moved into
  place when all are written: an export that fails (a full disk) leaves the
  target as it was, never half written.
- A folder that is not empty and was not made by the same kind of output
  (the marker `.tilflytting-export` says which kind wrote it, `yaml`,
  `html` or `rapport`, and lists what it wrote, which must be everything in
  the folder) is refused unless `force`: then the files are moved into it
  one by one, each replacing the file of its name; the folder's other files
  stay. So a report never replaces a site, nor a site a report. A marker of
  the previous format lists only the files; its kind is told by them.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Literal

from tilflytting.core.fold import strip_controls
from tilflytting.core.i18n import _
from tilflytting.core.model import Entry
from tilflytting.core.names import MAX_LENGTH, RESERVED, name_problem, safe_name
from tilflytting.query.lookup import QueryError, UsageError

MARKER = ".tilflytting-export"
_HEADER = "# Written by tilflytting: the files below."
_KIND = "# kind: "  # the marker's second line names the kind of output
Kind = Literal["yaml", "html", "rapport"]
KINDS: tuple[Kind, ...] = ("yaml", "html", "rapport")
# A part of a path the writer accepts: a name of lowercase letters, digits,
# hyphens (and underscores, for the names of our own files) that begins and
# ends with a letter or digit, then at most one suffix.
_PART = re.compile(r"(?P<stem>[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)(?:\.[a-z0-9]{1,8})?")


class FolderError(QueryError):
    """A folder that cannot be written as asked (one line for the user)."""


def safe_slugs(entries: list[Entry]) -> tuple[list[Entry], list[str]]:
    """The entries with slugs that are safe, unique file names (an entry
    whose slug breaks the rule gets a copy with a safe one), and a note for
    each slug changed."""
    # Safe slugs keep their names (a catalog's slugs are unique); the others
    # take a safe name no other entry has.
    keep = [name_problem(e.slug) is None for e in entries]
    taken = {e.slug for e, kept in zip(entries, keep, strict=True) if kept}
    named, notes, seen = [], [], set()
    for entry, kept in zip(entries, keep, strict=True):
        if kept and entry.slug not in seen:
            seen.add(entry.slug)
            named.append(entry)
            continue
        base = safe_name(entry.slug)[: MAX_LENGTH - 4].rstrip("-")
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        seen.add(slug)
        named.append(replace(entry, slug=slug))
        notes.append(
            _("slug '{slug}' is not a safe file name; written as '{name}'").format(
                slug=strip_controls(entry.slug[:60])[0], name=slug
            )
        )
    return named, notes


def checked_names(files: dict[str, str]) -> list[PurePosixPath]:
    """The relative paths of `files`, each checked (see the module's
    docstring); FolderError for the first that is not safe."""
    seen: dict[str, str] = {}
    paths = []
    for name in files:
        if not all(_part_ok(part) for part in name.split("/")):
            raise FolderError(
                _("refusing to write '{name}': not a safe file name").format(
                    name=strip_controls(name[:80])[0]
                )
            )
        path = PurePosixPath(name)
        folded = name.casefold()
        if folded in seen:
            raise FolderError(
                _("refusing to write '{name}': the same file as '{other}'").format(
                    name=name, other=seen[folded]
                )
            )
        seen[folded] = name
        paths.append(path)
    return paths


def _part_ok(part: str) -> bool:
    found = _PART.fullmatch(part)
    if found is None or len(part) > MAX_LENGTH + 9:
        return False
    return found.group("stem") not in RESERVED


def write_folder(
    target: Path, files: dict[str, str], force: bool = False, *, kind: Kind
) -> list[Path]:
    """Write `files` ({relative path: text}), output of `kind`, into the
    folder `target`, as the module's docstring says. Returns the paths
    written."""
    relative = checked_names(files)
    given, target = target, Path(os.path.abspath(target))
    if target.is_symlink() and target.is_dir():
        target = target.resolve()  # the folder the link names, not the link
    state, other = _state(target, kind)
    if state == "foreign" and not force:
        raise UsageError(_refusal(target, other))
    if state == "foreign":
        _check_inside(target, relative)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _beside(target, "new")
    except OSError as exc:
        raise _cannot(target, exc) from None
    try:
        for path, text in zip(relative, files.values(), strict=True):
            file = staging.joinpath(*path.parts)
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
        if state != "foreign":
            listed = "\n".join(str(p) for p in sorted(relative))
            (staging / MARKER).write_text(f"{_HEADER}\n{_KIND}{kind}\n{listed}\n", encoding="utf-8")
        _move(staging, target, state, relative)
    except OSError as exc:
        raise _cannot(target, exc, untouched=state != "foreign") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [given.joinpath(*p.parts) for p in relative]


def _check_inside(target: Path, relative: list[PurePosixPath]) -> None:
    """Before writing into a folder of other files (`--force`): every file
    must land inside it. A link among the folders on a file's way (`site/
    oppforing -> ../elsewhere`) would take the files out, and a folder where
    a file goes would stop the export half-way: either refuses the whole
    export, before anything is written."""
    for path in relative:
        place = target
        for part in path.parts[:-1]:
            place = place / part
            if place.is_symlink() or (os.path.lexists(place) and not place.is_dir()):
                raise FolderError(
                    _(
                        "refusing to write into {path}: {place} is a link or not a folder; "
                        "the folder was left as it was"
                    ).format(path=target, place=strip_controls(str(place))[0])
                )
        file = target.joinpath(*path.parts)
        if file.is_dir() and not file.is_symlink():
            raise FolderError(
                _(
                    "refusing to write into {path}: {place} is a folder; "
                    "the folder was left as it was"
                ).format(path=target, place=strip_controls(str(file))[0])
            )


def _state(target: Path, kind: Kind) -> tuple[str, Kind | None]:
    """'missing', 'empty', 'ours' (made by output of `kind`, nothing added
    since) or 'foreign'; and for a foreign folder the kind of output that
    made it, if tilflytting did."""
    if not os.path.lexists(target):
        return "missing", None
    if not target.is_dir():
        raise FolderError(
            _("{path} is a file; --out takes a folder for this format").format(path=target)
        )
    try:
        found = _contents(target)
    except OSError as exc:
        raise _cannot(target, exc) from None
    if not found:
        return "empty", None
    marker = target / MARKER
    if MARKER not in found or marker.is_symlink() or not marker.is_file():
        return "foreign", None
    try:
        lines = marker.read_text(encoding="utf-8").splitlines()[1:]
    except (OSError, UnicodeDecodeError):
        return "foreign", None
    written = [line for line in lines if line and not line.startswith("#")]
    allowed = {MARKER, *written}
    allowed |= {str(parent) for w in written for parent in PurePosixPath(w).parents}
    if not found <= allowed:
        return "foreign", None
    kinds = [line.removeprefix(_KIND) for line in lines if line.startswith(_KIND)]
    made = _known(kinds[0]) if kinds else _guessed(written)
    if made == kind or not written:  # a folder of the marker alone loses nothing
        return "ours", None
    return "foreign", made


def _known(name: str) -> Kind | None:
    return next((k for k in KINDS if k == name.strip()), None)


def _guessed(written: list[str]) -> Kind | None:
    """The kind of output a marker of the previous format (the files only)
    was written by, told by its files: a site has its index page, a report
    its rapport.md or rapport.html, a YAML export only .yaml files."""
    if "index.html" in written:
        return "html"
    if "rapport.md" in written or "rapport.html" in written:
        return "rapport"
    if written and all("/" not in w and w.endswith(".yaml") for w in written):
        return "yaml"
    return None


def _refusal(target: Path, other: Kind | None) -> str:
    """Why a foreign folder is refused: what is there."""
    there = {
        "yaml": _("a YAML export (export --format yaml)"),
        "html": _("a static site (export --format html)"),
        "rapport": _("a report (rapport --out)"),
    }
    if other is None:
        return _(
            "{path} is not empty and was not made by tilflytting; give a new or empty "
            "folder, or --force to write into it (files of the same names are replaced)"
        ).format(path=target)
    return _(
        "{path} holds {what}; give another folder, or --force to write into it (files of "
        "the same names are replaced, the others stay)"
    ).format(path=target, what=there[other])


def _contents(folder: Path) -> set[str]:
    """Every file and folder in `folder`, as relative POSIX paths (links
    are not followed)."""
    found = set()
    for root, dirs, names in os.walk(folder):
        base = PurePosixPath(Path(root).relative_to(folder).as_posix())
        found |= {str(base / n) if str(base) != "." else n for n in [*dirs, *names]}
    return found


def _move(staging: Path, target: Path, state: str, relative: list[PurePosixPath]) -> None:
    if state == "missing":
        os.rename(staging, target)
    elif state == "empty":
        try:
            os.rename(staging, target)  # replaces an empty folder at once (POSIX)
        except OSError:
            os.rmdir(target)
            os.rename(staging, target)
    elif state == "ours":
        # The old export goes aside, the new one takes its place: at every
        # moment one of them is whole.
        old = _beside(target, "old")
        os.rmdir(old)
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:  # foreign, with --force: each file replaces its namesake, the others stay
        for path in relative:
            file = target.joinpath(*path.parts)
            file.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging.joinpath(*path.parts), file)


def _beside(target: Path, kind: str) -> Path:
    """A new hidden folder beside `target` (the same file system, so that
    moving it is a rename), with the permissions a new folder gets."""
    for _attempt in range(100):
        folder = target.with_name(f".{target.name}.{os.urandom(4).hex()}.{kind}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary folder", str(target))


def _cannot(target: Path, exc: OSError, untouched: bool = True) -> FolderError:
    error = exc.strerror or str(exc)
    if untouched:
        return FolderError(
            _("cannot write {path}: {error}; the folder was left as it was").format(
                path=target, error=error
            )
        )
    return FolderError(_("cannot write {path}: {error}").format(path=target, error=error))
