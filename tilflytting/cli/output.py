"""Where results go: data to stdout (a table, or a machine format), messages
to stderr, in the run's language. Rich is imported only when a table or
progress bar is drawn."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from tilflytting.core.i18n import _, localise, ngettext
from tilflytting.query.lookup import AmbiguousEntry, QueryError, UsageError
from tilflytting.query.results import (
    EntryDetail,
    EntryList,
    Notes,
    Result,
    SearchResult,
    TimelineResult,
)
from tilflytting.report.formats import clean, format_result

if TYPE_CHECKING:
    from tilflytting.core.model import Entry
    from tilflytting.ingest.importer import FileResult, ImportReport
    from tilflytting.report.export import Exported

T = TypeVar("T")
EXIT_USAGE = 2  # an unknown option or a value that names nothing


def answer(ask: Callable[[], T]) -> T:
    """Run a query; a question that cannot be answered ends in one line: exit
    2 for a value that names nothing (usage), 1 for anything else."""
    try:
        return ask()
    except AmbiguousEntry as exc:
        message(str(exc))
        for slug, title in exc.candidates:
            typer.echo(f"  {clean(slug)}  {clean(title)}", err=True)
        raise typer.Exit(1) from None
    except UsageError as exc:
        message(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except QueryError as exc:
        message(str(exc))
        raise typer.Exit(1) from None


def message(text: str) -> None:
    typer.echo(f"tilflytting: {clean(text)}", err=True)


def notes(found: list[str]) -> None:
    """What typed filter values were taken to mean: 'tilbakeflyttere' → ..."""
    for note in found:
        message(note)


def emit(result: Result, fmt: str) -> None:
    if isinstance(result, Notes):
        notes(result.notes)
    shown = _shown(result)
    if shown is not None:
        message(
            ngettext(
                "showing the first {shown} of {count} entry; "
                "--limit N shows more, --format csv or json shows all",
                "showing the first {shown} of {count} entries; "
                "--limit N shows more, --format csv or json shows all",
                shown[1],
            ).format(shown=shown[0], count=shown[1])
        )
    empty = _empty(result)
    if fmt == "table":
        if empty:  # no table at all: the note on stderr says why
            message(empty)
            return
        from tilflytting.report import console as render

        render.print_result(result)
    else:
        sys.stdout.write(format_result(result, fmt))
        if empty:
            message(empty)


def _empty(result: Result) -> str | None:
    """A note on stderr when a result holds no rows (the table view prints
    nothing then; a machine format its empty list)."""
    if isinstance(result, SearchResult) and not result.hits:
        return _("no hits") + (f"; {result.hint}" if result.hint else "")
    if isinstance(result, EntryList) and not result.entries:
        return _("no entries match")
    return None


def _shown(result: Result) -> tuple[int, int] | None:
    """(entries shown, entries found) when a table was cut short."""
    if isinstance(result, SearchResult) and result.total is not None:
        return len(result.hits), result.total
    if isinstance(result, EntryList) and result.total is not None:
        return len(result.entries), result.total
    if isinstance(result, TimelineResult) and result.total is not None:
        return len(result.entries), result.total
    return None


@contextmanager
def import_progress() -> Iterator[Callable[[int], Callable[[Path], None]] | None]:
    """A progress bar when stderr is a terminal; nothing when it is piped."""
    if not sys.stderr.isatty():
        with nullcontext():
            yield None
        return
    from tilflytting.report import console as render

    with render.progress_bar() as start:
        yield start


def problems(result: FileResult) -> None:
    """One `FILE:LINE: level: message` line on stderr per problem of a file."""
    _print_problems(_problem_lines(result))


def _problem_lines(result: FileResult) -> list[str]:
    """`FILE:LINE: level: message` per problem, in the run's language."""
    levels = {"warning": _("warning"), "error": _("error")}
    lines = []
    for problem in result.problems:
        path = _shown_path(result.path)
        where = f"{path}:{problem.line}" if problem.line else path
        level = levels.get(problem.level, problem.level)
        lines.append(f"{clean(where)}: {level}: {clean(localise(problem.message))}")
    return lines


def _print_problems(lines: list[str]) -> None:
    if lines and sys.stderr.isatty():
        from tilflytting.report import console as render

        render.print_wrapped(lines)  # at word boundaries, for people
    else:
        for line in lines:  # one line each, for grep and editors
            typer.echo(line, err=True)


def checked(files: list[tuple[FileResult, Entry | None]], fmt: str) -> None:
    """`check`: each file's entry as `show` prints it (or as YAML, or one JSON
    list of {fil, status, oppforing, problemer}), its problems on stderr."""
    if fmt == "json":
        from tilflytting.report import contract

        rows = [
            contract.check_json(result.path, result.status == "failed", entry, result.problems)
            for result, entry in files
        ]
        import json  # only here: 1.5 ms a start otherwise

        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    for result, entry in files:
        problems(result)
        if entry is not None and fmt != "json":
            emit(EntryDetail(entry, sources=True), fmt)
    failed = sum(1 for result, _entry in files if result.status == "failed")
    warned = sum(1 for result, _entry in files if result.problems and result.status != "failed")
    message(
        _("{files} checked: {failed} with errors, {warned} with warnings").format(
            files=len(files), failed=failed, warned=warned
        )
    )


def import_report(report: ImportReport) -> None:
    """One `FILE:LINE: level: message` line per problem, then the counts."""
    lines = []
    for result in [*report.problems, *report.skipped, *report.results]:
        lines += _problem_lines(result)
    _print_problems(lines)
    counts = [
        ("added", _("added"), report.count("added")),
        ("updated", _("updated"), report.count("updated")),
        ("unchanged", _("unchanged"), report.count("unchanged")),
        ("failed", _("failed"), report.count("failed") + len(report.problems)),
    ]
    if report.pruned:
        counts.append(("pruned", _("pruned"), len(report.pruned)))
    title = _title(report)
    if sys.stderr.isatty():
        from tilflytting.report import console as render

        render.print_summary(counts, title)
    else:
        typer.echo(f"{title}: " + ", ".join(f"{n} {label}" for _key, label, n in counts), err=True)


def _shown_path(path: str) -> str:
    """A path under the working folder relative to it (shorter lines)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def _title(report: ImportReport) -> str:
    if report.dry_run:
        return _("Dry run, nothing written")
    if report.rolled_back:
        return _("Strict import failed, nothing written")
    if not report.results and not report.pruned:
        return _("Nothing imported")
    return _("Import done")


def exported(done: Exported) -> None:
    """Text to stdout, or one line on stderr saying what was written."""
    notes(done.notes)
    if done.text is not None:
        sys.stdout.write(done.text)
    elif len(done.files) == 1:
        message(
            ngettext(
                "{count} entry written to {path}", "{count} entries written to {path}", done.count
            ).format(count=done.count, path=done.files[0])
        )
    else:
        folder = os.path.commonpath([str(p) for p in done.files]) if done.files else ""
        message(
            ngettext(
                "{count} entry written to {path} ({files} files)",
                "{count} entries written to {path} ({files} files)",
                done.count,
            ).format(count=done.count, path=folder, files=len(done.files))
        )
