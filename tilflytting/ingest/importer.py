"""Import entry files into the store: find files, read, parse, normalise, save.

A whole import is one write transaction: files that fail are reported and
skipped, and the rest are saved together (or, with `strict`, nothing is).
An unchanged file (same hash, same parser version) is not parsed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tilflytting.core.i18n import N_
from tilflytting.core.model import Entry, Problem, Source
from tilflytting.ingest.decode import DecodeError, decode
from tilflytting.ingest.normalise import apply_vocabulary, normalise
from tilflytting.ingest.page import PageError, parse_page
from tilflytting.ingest.yaml_entry import EntryFormatError, parse_yaml
from tilflytting.store.database import Store

# Raised whenever parsing or normalising changes what a file turns into, so
# that stored entries are read again even though their files did not change.
PARSER_VERSION = 4
MAX_FILE_BYTES = 2 * 1024 * 1024
SUFFIXES = {".txt": "txt", ".yaml": "yaml", ".yml": "yaml"}

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 3


@dataclass
class FileResult:
    """What became of one file: added, updated, unchanged or failed."""

    path: str
    status: str
    slug: str | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    problems: list[FileResult] = field(default_factory=list)  # paths that are not files
    pruned: list[str] = field(default_factory=list)
    dry_run: bool = False
    rolled_back: bool = False

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def exit_code(self) -> int:
        failed = self.count("failed") + len(self.problems)
        imported = len(self.results) - self.count("failed")
        if self.rolled_back or (failed and not imported):
            return EXIT_ERROR
        if not self.results and not self.pruned:
            return EXIT_ERROR  # nothing to import is a mistake worth an exit code
        return EXIT_PARTIAL if failed else EXIT_OK


def find_files(paths: list[Path], report: ImportReport) -> dict[str, Path]:
    """Entry files in `paths` by their real paths, folders searched
    recursively, each file once, in order."""
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_dir():
            before = len(found)
            for file in _walk(path, report):
                found.setdefault(os.path.realpath(file), file)
            if len(found) == before:
                report.problems.append(
                    _path_problem(path, N_("no entry files (.txt, .yaml) in folder"))
                )
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                found.setdefault(os.path.realpath(path), path)
            else:
                report.problems.append(
                    _path_problem(path, N_("not an entry file (.txt, .yaml, .yml)"))
                )
        else:
            report.problems.append(_path_problem(path, N_("no such file or folder")))
    return dict(sorted(found.items(), key=lambda pair: pair[1]))


def _walk(folder: Path, report: ImportReport) -> Iterator[Path]:
    def on_error(error: OSError) -> None:
        report.problems.append(
            _path_problem(
                Path(error.filename), N_("cannot read: {error}").format(error=error.strerror)
            )
        )

    # followlinks=False: a symlinked folder loop cannot send us round forever.
    for root, dirs, files in os.walk(folder, onerror=on_error, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() in SUFFIXES and not name.startswith("."):
                yield Path(root) / name


def _path_problem(path: Path, message: str) -> FileResult:
    return FileResult(str(path), "failed", None, [Problem(message, None, "error")])


def read_entry(path: Path, source: str | None = None) -> tuple[bytes, Entry]:
    """Read, decode, parse and normalise one file (`source`: its real path,
    where known). Raises ValueError or OSError."""
    data = _read_limited(path)
    digest = hashlib.sha256(data).hexdigest()
    decoded = decode(data)
    kind = SUFFIXES[path.suffix.lower()]
    entry = parse_yaml(decoded.text) if kind == "yaml" else parse_page(decoded.text)
    real = source or os.path.realpath(path)
    entry.source = Source(real, digest, decoded.encoding, kind, entry.url)  # type: ignore[arg-type]
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        entry.warn(N_("not UTF-8: read as {encoding}").format(encoding=decoded.encoding))
    return data, normalise(entry, decoded.text)


def _read_limited(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            N_("file is larger than the {size} MB limit").format(
                size=MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    if not data.strip():
        raise ValueError(N_("file is empty"))
    return data


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(_read_limited(path)).hexdigest()
    except (OSError, ValueError):
        return None


Progress = Callable[[Path], None]


def import_paths(
    store: Store,
    paths: list[Path],
    *,
    strict: bool = False,
    dry_run: bool = False,
    prune: bool = False,
    progress: Callable[[int], Progress] | None = None,
) -> ImportReport:
    """Import every entry file in `paths` into `store` in one transaction."""
    report = ImportReport(dry_run=dry_run)
    files = find_files(paths, report)
    advance = progress(len(files)) if progress else None
    try:
        with store.transaction():
            for source, path in files.items():
                report.results.append(_import_one(store, path, source, dry_run))
                if advance:
                    advance(path)
            if prune:
                report.pruned = _prune(store)
            failed = report.count("failed") + len(report.problems)
            if dry_run or (strict and failed):
                raise _Rollback
    except _Rollback:
        report.rolled_back = strict and not dry_run
    return report


class _Rollback(Exception):
    """Leave the transaction without saving (dry run, or strict with failures)."""


def check_file(path: Path, source: str | None = None) -> tuple[FileResult, Entry | None]:
    """What importing one file would make of it, without a database: its
    entry (None if it cannot be read) and every problem, as `import` reports
    them (status "checked", or "failed" when any problem is an error)."""
    try:
        _, entry = read_entry(path, source)
    except (PageError, EntryFormatError) as exc:
        return FileResult(str(path), "failed", None, [Problem(str(exc), exc.line, "error")]), None
    except (DecodeError, ValueError) as exc:
        return FileResult(str(path), "failed", None, [Problem(str(exc), None, "error")]), None
    except OSError as exc:
        problem = Problem(N_("cannot read: {error}").format(error=exc.strerror), None, "error")
        return FileResult(str(path), "failed", None, [problem]), None
    failed = any(p.level == "error" for p in entry.problems)
    status = "failed" if failed else "checked"
    return FileResult(str(path), status, entry.slug, entry.problems), entry


def _import_one(store: Store, path: Path, source: str, dry_run: bool) -> FileResult:
    known = store.known_source(source)
    if known and known[1] == PARSER_VERSION and known[0] == file_digest(path):
        return FileResult(str(path), "unchanged", known[2])
    checked, entry = check_file(path, source)
    if entry is None or checked.status == "failed":
        return FileResult(str(path), "failed", None, checked.problems)
    _unique_slug(store, entry, source)
    status = store.save_entry(entry, PARSER_VERSION)
    return FileResult(str(path), status, entry.slug, entry.problems)


def _unique_slug(store: Store, entry: Entry, source: str) -> None:
    """Keep the slug unless another file's entry has it; then add -2, -3, ...
    The first file to take a slug keeps it on every later import."""
    base, number = entry.slug, 1
    first_owner = store.slug_owner(base)
    while store.slug_owner(entry.slug) not in (None, source):
        number += 1
        entry.slug = f"{base}-{number}"
    if number > 1 and first_owner:
        entry.warn(
            N_("slug '{slug}' is taken by {file}; using '{used}'").format(
                slug=base, file=Path(first_owner).name, used=entry.slug
            )
        )


def _prune(store: Store) -> list[str]:
    """Remove entries whose source file no longer exists."""
    gone = [(entry_id, slug) for entry_id, slug, path in store.sources() if not Path(path).exists()]
    for entry_id, _ in gone:
        store.delete_entry(entry_id)
    return [slug for _, slug in gone]


def reapply_vocabulary(store: Store) -> int:
    """Normalise every stored entry's lists again from the lists as written
    (after the vocabulary changed), without reading any file. Returns how
    many entries changed."""
    changed = 0
    with store.transaction():
        for entry_id, _, _ in store.sources():
            (entry,) = store.load_entries([entry_id], raw=True)
            before = [(i.text, i.term, i.detail) for items in entry.lists.values() for i in items]
            apply_vocabulary(entry)
            after = [(i.text, i.term, i.detail) for items in entry.lists.values() for i in items]
            if after != before:
                store.replace_items(entry_id, entry)
                changed += 1
    return changed
