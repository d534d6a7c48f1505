"""Import entry files into the store: find files, read, parse, normalise, save.

Files are read and parsed first, without holding the database's write lock;
the lock (BEGIN IMMEDIATE) is then taken only for the writes, so that a slow
or blocked file never keeps other writers waiting. (An import of more than
PARSE_AHEAD changed files parses the rest while it holds the lock, so that
memory stays bounded.) A whole import is one write transaction: files that
fail are reported and skipped, and the rest are saved together (or, with
`strict`, nothing is). An unchanged file (same hash, same parser version) is
not parsed again.

An entry is keyed by what it is, not by where its file lies: its catalog
address where one is known (a YAML entry's `url`, or for a page the
INDEX.tsv beside it), else its slug. A file that describes an entry the
store already has (the bundled YAML entry of a page, a copy, a moved folder)
becomes one more source of that entry, which is then the merge of its
sources (core/merge.py; the rule is in docs/reliability.md).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from tilflytting.core import clock
from tilflytting.core.files import irregular, not_a_file, read_limited
from tilflytting.core.i18n import N_
from tilflytting.core.merge import ROLES, merge
from tilflytting.core.model import Entry, Problem, Source
from tilflytting.ingest.decode import DecodeError, decode
from tilflytting.ingest.normalise import apply_vocabulary, normalise
from tilflytting.ingest.page import PageError, parse_page
from tilflytting.ingest.yaml_entry import EntryFormatError, parse_yaml
from tilflytting.reference.catalog import role_of
from tilflytting.store import snapshot
from tilflytting.store.database import EntryWrite, Store
from tilflytting.store.reads import KnownFile, StoredSource
from tilflytting.store.writes import url_key

# Raised whenever parsing or normalising changes what a file turns into, so
# that stored entries are read again even though their files did not change.
# 6: line ends, project-period lines, `siden` verbs, mid-line bullets, capped
# warnings (5: YAML text sanitised as pages are; slugs made safe names)
PARSER_VERSION = 6
MAX_FILE_BYTES = 2 * 1024 * 1024
SUFFIXES = {".txt": "txt", ".yaml": "yaml", ".yml": "yaml"}
# Files read and parsed before the write lock is taken: about 10 kB of
# memory per parsed page, so 20 MB at most.
PARSE_AHEAD = 2_000
WRITE_BATCH = 500  # new entries saved per round of statements
INDEX_FILE = "INDEX.tsv"  # beside published pages: slug, url, ... per page
# Problems kept per file, stored and shown: a 2 MB page of empty headings
# made 150,000 warnings (22 s to import, most of it showing them).
MAX_PROBLEMS = 20

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 3


@dataclass
class FileResult:
    """What became of one file: added, updated, unchanged or failed."""

    path: str  # shown as text: bytes that are not UTF-8 escaped, `z\\xff.txt`
    status: str
    slug: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.path = shown_path(self.path)


def shown_path(path: str) -> str:
    """A path as text that can be printed and stored: a file name's bytes
    that are not UTF-8 (which Python keeps as lone surrogates) written as
    escapes, `z\\xff.txt`."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogateescape") if _bytes_only(path) else None
        if raw is not None:
            return raw.decode("utf-8", "backslashreplace")
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


def _bytes_only(path: str) -> bool:
    """Whether every lone surrogate in `path` stands for a byte (U+DC80-DCFF)."""
    return all(not 0xD800 <= ord(c) <= 0xDFFF or 0xDC80 <= ord(c) <= 0xDCFF for c in path)


def _check_name(path: str, real: str) -> None:
    """A file whose name (or real path) is not UTF-8 text cannot be stored
    (SQLite keeps text as UTF-8): that file's error, not the import's end."""
    if shown_path(path) != path:
        raise ValueError(N_("the file name is not UTF-8 text; rename the file to import it"))
    if shown_path(real) != real:
        raise ValueError(
            N_(
                "the path this file links to is not UTF-8 text ({path}); rename it to import it"
            ).format(path=shown_path(real))
        )


@dataclass
class ImportReport:
    results: list[FileResult] = field(default_factory=list)
    problems: list[FileResult] = field(default_factory=list)  # paths that are not files
    skipped: list[FileResult] = field(default_factory=list)  # pipes, devices in a folder
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
        elif (what := irregular(path)) is not None:  # a named pipe, /dev/zero: never opened
            report.problems.append(_path_problem(path, not_a_file(what)))
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
                path = Path(root) / name
                what = irregular(path)  # a named pipe would block the import: skipped
                if what is None:
                    yield path  # a file (or one that cannot be examined: its read says why)
                else:
                    problem = Problem(N_("skipped: {why}").format(why=not_a_file(what)))
                    report.skipped.append(FileResult(str(path), "skipped", None, [problem]))


def _path_problem(path: Path, message: str) -> FileResult:
    return FileResult(str(path), "failed", None, [Problem(message, None, "error")])


def read_entry(path: Path, source: str | None = None) -> tuple[bytes, Entry]:
    """Read, decode, parse and normalise one file (`source`: its real path,
    where known). Raises ValueError or OSError."""
    real = source or os.path.realpath(path)
    _check_name(str(path), real)
    data = _read_limited(path)
    return data, _parse(path, data, real)


def _parse(path: Path, data: bytes, real: str, digest: str | None = None) -> Entry:
    digest = digest or hashlib.sha256(data).hexdigest()
    decoded = decode(data)
    kind = SUFFIXES[path.suffix.lower()]
    entry = parse_yaml(decoded.text) if kind == "yaml" else parse_page(decoded.text)
    entry.source = Source(real, digest, decoded.encoding, kind, entry.url)  # type: ignore[arg-type]
    if decoded.encoding not in ("utf-8", "utf-8-sig"):
        entry.warn(N_("not UTF-8: read as {encoding}").format(encoding=decoded.encoding))
    entry = normalise(entry, decoded.text)
    entry.problems = capped(entry.problems)
    return entry


def capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS problems of a file, then one line for the
    rest: an error if any of them is one (the file still fails)."""
    if len(problems) <= MAX_PROBLEMS + 1:
        return problems
    rest = problems[MAX_PROBLEMS:]
    errors = sum(1 for p in rest if p.level == "error")
    if errors:
        message = N_("... and {count} more problems in this file ({errors} of them errors)")
        last = Problem(message.format(count=len(rest), errors=errors), None, "error")
    else:
        message = N_("... and {count} more warnings in this file")
        last = Problem(message.format(count=len(rest)), None, "warning")
    return [*problems[:MAX_PROBLEMS], last]


def _read_limited(path: Path) -> bytes:
    data = read_limited(path, MAX_FILE_BYTES)  # a regular file only: never blocks
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


# -- reading and parsing (no lock held) ----------------------------------------------------
@dataclass
class _Unchanged:
    result: FileResult
    # Planned as unchanged from the store before the lock: checked again
    # under it (another import may have changed or removed its entry).
    path: Path | None = None
    real: str = ""
    known: KnownFile | None = None


@dataclass
class _Copy:
    """A file whose bytes are those of a source the store has: one more
    source of that entry, which does not change."""

    path: Path
    source: Source
    known: KnownFile


@dataclass
class _Parsed:
    path: Path
    entry: Entry  # its `source` is the file


_Job = _Unchanged | _Copy | _Parsed


def _jobs(
    files: dict[str, Path],
    known: dict[str, KnownFile],
    advance: Progress | None,
) -> Iterator[_Job]:
    """What to do with each file, in order: read and hash every file, parse
    the changed ones."""
    copies = {k.sha256: k for k in known.values() if k.parser_version == PARSER_VERSION}
    urls = _IndexFiles()
    for real, path in files.items():
        yield _job(path, real, known.get(real), copies, urls)
        if advance:
            advance(path)


def _job(
    path: Path,
    real: str,
    mine: KnownFile | None,
    copies: dict[str, KnownFile],
    urls: _IndexFiles,
) -> _Job:
    try:
        _check_name(str(path), real)
        data = _read_limited(path)
        digest = hashlib.sha256(data).hexdigest()
        if mine and mine.parser_version == PARSER_VERSION and mine.sha256 == digest:
            return _Unchanged(FileResult(str(path), "unchanged", mine.slug), path, real, mine)
        kind = SUFFIXES[path.suffix.lower()]
        role = role_of(kind, real, digest, data)
        if mine is None and digest in copies:
            source = Source(real, digest, "", kind)  # type: ignore[arg-type]
            return _Copy(path, _sourced(source, role), copies[digest])
        entry = _parse(path, data, real, digest)
    except Exception as exc:  # one bad file never sinks the others: its error line
        return _failed(path, [file_problem(exc)])
    if any(p.level == "error" for p in entry.problems):
        return _failed(path, entry.problems)
    assert entry.source is not None
    if entry.url is None and kind == "txt":
        entry.url = entry.source.url = urls.url(path)
    _sourced(entry.source, role)
    return _Parsed(path, entry)


def file_problem(exc: Exception) -> Problem:
    """What went wrong reading or parsing one file, as its error line. Any
    exception at all: whatever a file holds, the import goes on with the
    others (exit 3); only the database failing stops it."""
    if isinstance(exc, PageError | EntryFormatError):
        return Problem(str(exc), exc.line, "error")
    if isinstance(exc, DecodeError | ValueError):  # incl. a pipe or a device: NotRegularFile
        return Problem(str(exc), None, "error")
    if isinstance(exc, OSError):
        return Problem(N_("cannot read: {error}").format(error=exc.strerror or exc), None, "error")
    if isinstance(exc, RecursionError):
        return Problem(N_("nested too deeply to read"), None, "error")
    name = type(exc).__name__
    return Problem(
        N_("cannot read this file: {error}").format(error=f"{name}: {exc}"[:200]), None, "error"
    )


def _failed(path: Path, problems: list[Problem]) -> _Unchanged:
    return _Unchanged(FileResult(str(path), "failed", None, problems))


def _sourced(source: Source, role: str) -> Source:
    source.role, source.precedence = role, ROLES[role]
    source.imported, source.parser_version = clock.timestamp(), PARSER_VERSION
    return source


class _IndexFiles:
    """The catalog addresses INDEX.tsv files give pages, folder by folder."""

    def __init__(self) -> None:
        self._folders: dict[Path, dict[str, str]] = {}

    def url(self, page: Path) -> str | None:
        folder = page.parent
        if folder not in self._folders:
            self._folders[folder] = _read_index(folder / INDEX_FILE)
        return self._folders[folder].get(page.stem)

    # A page's row is found by its file name (the `slug` column).


def _read_index(path: Path) -> dict[str, str]:
    try:
        # A regular file only, and no larger than a page may be: never blocks.
        text = read_limited(path, MAX_FILE_BYTES).decode("utf-8-sig")
        rows = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t")
        return {
            (row.get("slug") or "").strip(): (row.get("url") or "").strip()
            for row in rows
            if (row.get("slug") or "").strip() and (row.get("url") or "").strip()
        }
    except (OSError, ValueError, csv.Error):  # incl. UnicodeDecodeError, a named pipe
        return {}


# -- writing (under the lock) ----------------------------------------------------------------
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
    jobs = _jobs(files, store.known_files(), advance)
    ahead = list(islice(jobs, PARSE_AHEAD))
    try:
        with store.transaction():
            writer = _Writer(store)
            for job in chain(ahead, jobs):
                report.results.append(writer.place(job))
            writer.flush()
            if prune:
                report.pruned = _prune(store, writer)
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
    except Exception as exc:  # as import reports it: one line, never a traceback
        return FileResult(str(path), "failed", None, [file_problem(exc)]), None
    failed = any(p.level == "error" for p in entry.problems)
    status = "failed" if failed else "checked"
    return FileResult(str(path), status, entry.slug, entry.problems), entry


class _Writer:
    """Places files' entries in the store: which entry each belongs to, and
    the entry they make together. Knows every entry's slug and address
    (read once), and saves new entries in batches."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.slugs, self.urls = store.identities()
        self.slug_of = {entry_id: slug for slug, (entry_id, _) in self.slugs.items()}
        self.known = store.known_files()  # again: under the lock now
        self.pending: list[EntryWrite] = []

    def place(self, job: _Job) -> FileResult:
        """Store one file's job. The job was planned from the store as it was
        before the lock; another import may have stored (or changed) the same
        files since: each is checked against the store as it is now, so that
        imports at the same time end as if run one after the other."""
        if isinstance(job, _Unchanged):
            if job.path is None or job.known is None:
                return job.result  # failed
            now = self.known.get(job.real)
            if now is not None and now.sha256 == job.known.sha256:
                return FileResult(str(job.path), "unchanged", now.slug)
            return self.place(_job(job.path, job.real, now, {}, _IndexFiles()))
        source = job.source if isinstance(job, _Copy) else job.entry.source
        assert source is not None
        mine = self.known.get(source.path)
        if mine and mine.parser_version == PARSER_VERSION and mine.sha256 == source.sha256:
            return FileResult(str(job.path), "unchanged", mine.slug)  # stored meanwhile
        if isinstance(job, _Copy):
            if mine is not None:  # stored meanwhile with other contents: read it again
                return self.place(_job(job.path, source.path, mine, {}, _IndexFiles()))
            return self._copy(job)
        entry = job.entry
        target = mine.entry_id if mine else self._match(entry)
        if target is None:
            self._add(entry)
            return FileResult(str(job.path), "added", entry.slug, entry.problems)
        status, slug = self._update(target, entry)
        return FileResult(str(job.path), status, slug, entry.problems)

    # -- which entry -------------------------------------------------------------
    def _match(self, entry: Entry) -> int | None:
        """The stored entry this file describes, if any (see the module's
        docstring); a different initiative with the same title gets a
        warning here and its own entry."""
        assert entry.source is not None
        address = url_key(entry.url)
        if address and address in self.urls:
            return self.urls[address]
        found = self.slugs.get(entry.slug)
        if found is None:
            return None
        entry_id, other_address = found
        if address and other_address and address != other_address:
            entry.warn(
                N_(
                    "another entry has the title of this one ('{slug}') but the address "
                    "{address}; both are kept, as different entries"
                ).format(slug=entry.slug, address=other_address)
            )
            return None
        for stored in self._sources(entry_id):
            theirs = stored.source
            if (
                theirs.role == entry.source.role
                and theirs.sha256 != entry.source.sha256
                and os.path.exists(theirs.path)
            ):
                entry.warn(
                    N_(
                        "{file} has the title of this file ('{slug}') but other contents; "
                        "both are kept, as different entries"
                    ).format(file=Path(theirs.path).name, slug=entry.slug)
                )
                return None
        return entry_id

    def _sources(self, entry_id: int) -> list[StoredSource]:
        self.flush()
        return self.store.sources_of(entry_id)

    # -- saving ------------------------------------------------------------------
    def _add(self, entry: Entry) -> None:
        assert entry.source is not None
        entry_id = self.store.new_entry_id()
        entry.slug = self._unique_slug(entry, entry_id)
        entry.sources = [entry.source]
        self._remember(entry_id, entry)
        self.pending.append(EntryWrite(entry_id, entry, True))
        if len(self.pending) >= WRITE_BATCH:
            self.flush()

    def _update(self, entry_id: int, entry: Entry) -> tuple[str, str]:
        """Make `entry` a source of the stored entry: 'updated', or
        'unchanged' when another of its sources has the same contents, and
        the entry's slug."""
        assert entry.source is not None
        mine = entry.source
        parts = [
            (source, part)
            for source, part in self.parts(entry_id)
            # A file imported again replaces itself; one of its kind whose
            # file is gone was moved or renamed: this one takes its place.
            if source.path != mine.path
            and not (source.role == mine.role and not os.path.exists(source.path))
        ]
        same = any(source.sha256 == mine.sha256 for source, _ in parts)
        parts.append((mine, entry))
        return ("unchanged" if same else "updated"), self.save(entry_id, parts)

    def _copy(self, job: _Copy) -> FileResult:
        entry_id = job.known.entry_id
        parts = self.parts(entry_id)
        same = [(s, part) for s, part in parts if s.sha256 == job.source.sha256]
        if not same:  # another process changed the entry since the files were read
            real = job.source.path
            return self.place(_job(job.path, real, None, {}, _IndexFiles()))
        job.source.encoding = same[0][0].encoding
        slug = self.save(entry_id, [*parts, (job.source, same[0][1])])
        return FileResult(str(job.path), "unchanged", slug)

    def parts(self, entry_id: int) -> list[tuple[Source, Entry]]:
        """The entry's sources with what each gave."""
        self.flush()
        return self.store.source_parts(entry_id)

    def save(self, entry_id: int, parts: list[tuple[Source, Entry]]) -> str:
        """Save the entry its sources make together; its slug."""
        parts.sort(key=lambda p: (p[0].precedence or 0, p[0].imported or ""), reverse=True)
        snapshots: dict[str, str | None]
        if len(parts) == 1:
            result, snapshots = parts[0][1], {parts[0][0].path: None}
        else:
            result = merge([part for _, part in parts])
            apply_vocabulary(result)  # snapshots keep the terms of their day
            snapshots = {source.path: snapshot.dump(part) for source, part in parts}
        result.sources = [source for source, _ in parts]
        result.source = result.sources[0]
        result.slug = self._unique_slug(result, entry_id)
        self._remember(entry_id, result)
        self.store.save_entries([EntryWrite(entry_id, result, False, snapshots)])
        return result.slug

    def _unique_slug(self, entry: Entry, entry_id: int) -> str:
        """The entry's slug, or with -2, -3, ... if another entry has it;
        an entry keeps its slug on every later import."""
        base, number, slug = entry.slug, 1, entry.slug
        while self.slugs.get(slug, (entry_id, None))[0] != entry_id:
            number += 1
            slug = f"{base}-{number}"
        if number > 1:
            entry.warn(
                N_("slug '{slug}' is taken by another entry; using '{other}'").format(
                    slug=base, other=slug
                )
            )
        return slug

    def _remember(self, entry_id: int, entry: Entry) -> None:
        old = self.slug_of.get(entry_id)
        if old is not None and old != entry.slug:
            del self.slugs[old]
        address = url_key(entry.url)
        self.slugs[entry.slug], self.slug_of[entry_id] = (entry_id, address), entry.slug
        if address:
            self.urls.setdefault(address, entry_id)

    def flush(self) -> None:
        if self.pending:
            self.store.save_entries(self.pending)
            self.pending = []


def _prune(store: Store, writer: _Writer) -> list[str]:
    """Take out the sources whose files are gone; entries left with no
    source go, the others are merged again from what is left."""
    writer.flush()
    gone: dict[int, list[str]] = {}
    for path, known in store.known_files().items():
        if not os.path.exists(path):
            gone.setdefault(known.entry_id, []).append(path)
    pruned, empty = [], []
    slugs = {entry_id: slug for entry_id, slug, _ in store.sources() if entry_id in gone}
    for entry_id in gone:
        parts = [(s, e) for s, e in writer.parts(entry_id) if s.path not in gone[entry_id]]
        if parts:
            writer.save(entry_id, parts)
        else:
            empty.append(entry_id)
            pruned.append(slugs[entry_id])
    store.delete_entries(empty)
    return sorted(pruned)


def remove_entries(store: Store, ids: Iterable[int]) -> None:
    """Take these entries out of the catalog (`tilflytting remove`)."""
    with store.transaction():
        store.delete_entries(list(ids))


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
