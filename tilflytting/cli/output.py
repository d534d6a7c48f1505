"""Where results go: data to stdout (a table, or a machine format), messages
to stderr. Rich is imported only when a table or progress bar is drawn."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer

from tilflytting.core.i18n import _
from tilflytting.query.lookup import AmbiguousEntry, QueryError, UsageError
from tilflytting.query.results import EntryDetail, EntryList, SearchResult, TimelineResult
from tilflytting.report.formats import Result, clean, format_result

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


def emit(result: Result, fmt: str) -> None:
    if isinstance(result, SearchResult):
        for note in result.notes:
            message(note)
    shown = _shown(result)
    if shown is not None:
        message(
            f"showing the first {shown[0]} of {shown[1]} entries; "
            "--limit N shows more, --format csv or json shows all"
        )
    if fmt == "table":
        from tilflytting.report import console as render

        render.print_result(result)
    else:
        sys.stdout.write(format_result(result, fmt))


def _shown(result: Result) -> tuple[int, int] | None:
    """(entries shown, entries found) when a table was cut short."""
    if isinstance(result, SearchResult | EntryList) and result.total is not None:
        return len(result.rows), result.total
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
    for problem in result.problems:
        where = f"{result.path}:{problem.line}" if problem.line else result.path
        typer.echo(f"{clean(where)}: {problem.level}: {clean(problem.message)}", err=True)


def checked(files: list[tuple[FileResult, Entry | None]], fmt: str) -> None:
    """`check`: each file's entry as `show` prints it (or as YAML, or one JSON
    list of {fil, status, oppforing, problemer}), its problems on stderr."""
    from tilflytting.query.lookup import entry_json

    if fmt == "json":
        rows = [
            {
                "fil": result.path,
                "status": "feil" if result.status == "failed" else "ok",
                "oppforing": entry_json(entry) if entry is not None else None,
                "problemer": [
                    {"linje": p.line, "niva": p.level, "melding": p.message}
                    for p in result.problems
                ],
            }
            for result, entry in files
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    for result, entry in files:
        problems(result)
        if entry is not None and fmt != "json":
            emit(EntryDetail(entry_json(entry), entry, sources=True), fmt)
    failed = sum(1 for result, _ in files if result.status == "failed")
    warned = sum(1 for result, _ in files if result.problems and result.status != "failed")
    message(
        _("{files} checked: {failed} with errors, {warned} with warnings").format(
            files=len(files), failed=failed, warned=warned
        )
    )


def import_report(report: ImportReport) -> None:
    """One `FILE:LINE: level: message` line per problem, then the counts."""
    for result in [*report.problems, *report.results]:
        problems(result)
    counts = {
        "added": report.count("added"),
        "updated": report.count("updated"),
        "unchanged": report.count("unchanged"),
        "failed": report.count("failed") + len(report.problems),
    }
    if report.pruned:
        counts["pruned"] = len(report.pruned)
    title = _title(report)
    if sys.stderr.isatty():
        from tilflytting.report import console as render

        render.print_summary(counts, title)
    else:
        typer.echo(
            f"{title}: " + ", ".join(f"{n} {label}" for label, n in counts.items()), err=True
        )


def _title(report: ImportReport) -> str:
    if report.dry_run:
        return "Dry run, nothing written"
    if report.rolled_back:
        return "Strict import failed, nothing written"
    if not report.results and not report.pruned:
        return "Nothing imported"
    return "Import done"


def exported(done: Exported) -> None:
    """Text to stdout, or one line on stderr saying what was written."""
    if done.text is not None:
        sys.stdout.write(done.text)
    elif len(done.files) == 1:
        message(f"{done.count} entries written to {done.files[0]}")
    else:
        folder = os.path.commonpath([str(p) for p in done.files]) if done.files else ""
        message(f"{done.count} entries written to {folder} ({len(done.files)} files)")
