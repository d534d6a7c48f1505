"""The `tilflytting` command line. Each command reads its options, calls one
function of the library, and hands the result to the output layer.

Exit codes: 0 ok, 1 error, 2 usage, 3 import partly done (some files failed).
"""

from __future__ import annotations

import functools
import inspect
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from tilflytting import __version__
from tilflytting.core.model import SearchRequest

if TYPE_CHECKING:
    from tilflytting.store.database import Store

EXIT_ERROR = 1

app = typer.Typer(
    name="tilflytting",
    help=(
        "A catalog of Norwegian in-migration work (tilflyttingsarbeid): import catalog pages "
        "into a local SQLite database; list, show, search, compare and summarise them; "
        "put them beside population figures; export them for reports.\n\n"
        "Exit codes: 0 ok, 1 error, 2 usage error, 3 import partly done."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ListFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"


class ShowFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    yaml = "yaml"


class Sort(StrEnum):
    slug = "slug"
    tittel = "tittel"
    kommune = "kommune"
    fylke = "fylke"
    start = "start"


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        envvar="TILFLYTTING_DB",
        help="Catalog database [default: $TILFLYTTING_DB, else a file in the user data folder].",
        show_default=False,
    ),
]


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")]
# Without --limit the table view of `list`, `search` and `timeline` stops here, saying how
# many more there are: drawing 100,000 rows takes Rich minutes, and each row
# about 0.5 ms. 50 is a screenful or two and the whole real catalog (43
# pages). Machine formats give every row.
TABLE_ROWS = 50
LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        help=f"At most this many entries [default: all; a table shows {TABLE_ROWS}].",
    ),
]


def table_cap(fmt: ListFormat) -> int | None:
    return TABLE_ROWS if fmt is ListFormat.table else None


def default_db() -> Path:
    from tilflytting.core.paths import user_dir

    return user_dir() / "catalog.db"


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    typer.echo(f"tilflytting: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def opened(db: Path | None, create: bool = False) -> Iterator[Store]:
    """The store, with database problems turned into one clear line."""
    from tilflytting.store.database import Store, StoreError, StoreMissing

    path = db or default_db()
    try:
        store = Store.open(path, create=create)
    except StoreMissing:
        fail(f"no catalog database at {path}; create one with: tilflytting import")
    except StoreError as exc:
        fail(str(exc))
    if store.merged:
        from tilflytting.cli import output
        from tilflytting.core.i18n import _

        for kept, twin in store.merged:
            output.message(
                _(
                    "merged {twin} into {kept}: one initiative an older version imported twice"
                ).format(twin=twin, kept=kept)
            )
    try:
        yield store
    except sqlite3.DatabaseError as exc:
        # Read-only file, full disk, lock held too long: one line, no traceback;
        # the transaction was rolled back, so nothing is half-written.
        fail(f"database error on {path}: {exc}")
    finally:
        store.close()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tilflytting {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Catalog of Norwegian in-migration work."""


@app.command("import")
def import_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Entry files or folders (.txt pages, .yaml entries) [default: bundled catalog].",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="All or nothing: if any file fails, import none.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Parse and report, write nothing.")
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Forget files that are gone; remove entries left with no file."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import catalog pages and YAML entries; re-importing unchanged files changes nothing."""
    from tilflytting.cli import output
    from tilflytting.ingest.importer import import_paths
    from tilflytting.reference.places import data_dir

    targets = paths or [data_dir() / "catalog"]
    path = db or default_db()
    if dry_run and not path.exists():
        path = Path(":memory:")
    with opened(path, create=True) as store, output.import_progress() as progress:
        report = import_paths(
            store, targets, strict=strict, dry_run=dry_run, prune=prune, progress=progress
        )
    output.import_report(report)
    raise typer.Exit(report.exit_code)


@app.command("list")
def list_command(
    fylke: Annotated[
        list[str] | None,
        typer.Option("--fylke", help="County, 2012 or 2024 name (repeat for any of several)."),
    ] = None,
    kommune: Annotated[
        list[str] | None,
        typer.Option("--kommune", help="Municipality name or number, old or new (repeatable)."),
    ] = None,
    sort: Annotated[Sort, typer.Option("--sort", help="Order of the rows.")] = Sort.slug,
    limit: LimitOption = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """One row per entry: slug, title, municipalities, county, periods, list sizes."""
    from tilflytting.cli import output
    from tilflytting.query import lookup as query

    with opened(db) as store:
        result = output.answer(
            lambda: query.list_entries(
                store, fylke or [], kommune or [], sort.value, limit, table_cap(fmt)
            )
        )
    output.emit(result, fmt.value)


@app.command("show")
def show_command(
    entry: Annotated[
        str,
        typer.Argument(help="Slug, title, municipality name or number (any case, æøå optional)."),
    ],
    sources: Annotated[
        bool, typer.Option("--sources", help="Show the FILE:LINE each fact came from.")
    ] = False,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help="Output format (yaml re-imports).")
    ] = ShowFormat.table,
    db: DbOption = None,
) -> None:
    """Everything about one entry."""
    from tilflytting.cli import output
    from tilflytting.query.show import show

    with opened(db) as store:
        result = output.answer(lambda: show(store, entry, sources))
    output.emit(result, fmt.value)


# The filters `search`, the reports and `export` share. Like sqlite-utils'
# shared output options: one decorator gives every such command the same
# options, and hands them over as one SearchRequest.
def _values(*names: str, help: str) -> tuple[Any, Any]:
    """A repeatable filter option: (its annotation, its default)."""
    return Annotated[list[str] | None, typer.Option(*names, help=help)], None


def _year(*names: str, help: str) -> tuple[Any, Any]:
    return Annotated[int | None, typer.Option(*names, help=help)], None


FILTER_OPTIONS: dict[str, tuple[Any, Any]] = {
    "malgruppe": _values(
        "--målgruppe", "--malgruppe", help="Target group term (repeat for any of several)."
    ),
    "aktivitet": _values("--aktivitet", help="Activity term (repeatable)."),
    "salgsargument": _values("--salgsargument", help="Selling point term (repeatable)."),
    "partner": _values(
        "--partner",
        help="Partner term, e.g. fylkeskommunen or 'Troms fylkeskommune' (repeatable).",
    ),
    "fylke": _values("--fylke", help="County, 2012 or 2024 name (repeatable)."),
    "kommune": _values("--kommune", help="Municipality name or number, old or new (repeatable)."),
    "region": _values("--region", help="Region, e.g. Hardanger (repeatable)."),
    "year": _year(
        "--år", "--aar", help="A project active this year (open-ended ones until today)."
    ),
    "span_from": _year("--fra", help="A project active in or after this year."),
    "span_to": _year("--til", help="A project active in or before this year."),
    "complete": (
        Annotated[bool, typer.Option("--komplett", help="Leave out pages that were cut off.")],
        False,
    ),
}
FACET_LISTS = {"malgruppe": "malgrupper", "aktivitet": "aktiviteter",
               "salgsargument": "salgsargumenter", "partner": "samarbeidspartnere"}  # fmt: skip


def with_filters(command: Callable[..., None]) -> Callable[..., None]:
    """Add the filter options to `command`, which receives them as `request`."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "request"]
    db = [p for p in own if p.name == "db"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, (kind, default) in FILTER_OPTIONS.items()
    ]
    parameters = [p for p in own if p.name != "db"] + added + db

    @functools.wraps(command)
    def wrapper(**values: Any) -> None:
        chosen = {name: values.pop(name) for name in FILTER_OPTIONS}
        command(request=_request(chosen), **values)

    wrapper.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters]
    )
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
    return wrapper


def _request(chosen: dict[str, Any]) -> SearchRequest:
    facets = {FACET_LISTS[name]: chosen[name] for name in FACET_LISTS if chosen[name]}
    return SearchRequest(
        facets=facets,
        fylke=chosen["fylke"] or [],
        kommune=chosen["kommune"] or [],
        region=chosen["region"] or [],
        year=chosen["year"],
        span_from=chosen["span_from"],
        span_to=chosen["span_to"],
        complete=chosen["complete"],
    )


@app.command("search")
@with_filters
def search_command(
    request: SearchRequest,
    query: Annotated[
        str, typer.Argument(help="Words to find (any case, æøå optional; word* for a prefix).")
    ] = "",
    raw: Annotated[
        bool, typer.Option("--raw", help="QUERY is FTS5 syntax, passed through as is.")
    ] = False,
    limit: LimitOption = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """Full-text search with facets; different filters AND, a repeated one ORs."""
    from tilflytting.cli import output
    from tilflytting.query.search import search

    request.text, request.raw, request.limit = query, raw, limit
    request.cap = table_cap(fmt)
    with opened(db) as store:
        result = output.answer(lambda: search(store, request))
    output.emit(result, fmt.value)


@app.command("compare")
def compare_command(
    entries: Annotated[
        list[str],
        typer.Argument(help="Two or more entries: slug, title, municipality name or number."),
    ],
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """Entries side by side: places, projects, each list's terms, and how alike they are."""
    from tilflytting.cli import output
    from tilflytting.query import reports

    with opened(db) as store:
        result = output.answer(lambda: reports.compare(store, entries))
    output.emit(result, fmt.value)


@app.command("summarise")
@with_filters
def summarise_command(
    request: SearchRequest,
    liste: Annotated[
        str | None,
        typer.Option("--list", "--liste", help="Only this list (e.g. malgrupper)."),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Cross-table by fylke (2024), fylke2012 or region."),
    ] = None,
    top: Annotated[
        int | None, typer.Option("--top", min=1, help="Only the N most used terms per list.")
    ] = None,
    folketall: Annotated[
        bool,
        typer.Option("--folketall", help="Add population growth over the entries' project years."),
    ] = False,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """The catalog (or the entries the filters choose) in numbers."""
    from tilflytting.cli import output
    from tilflytting.query import reports
    from tilflytting.query.search import resolve_filters

    with opened(db) as store:
        result = output.answer(
            lambda: reports.summarise(store, resolve_filters(request)[0], liste, by, top, folketall)
        )
    output.emit(result, fmt.value)


app.command("summarize", help="The same as summarise.", hidden=True)(summarise_command)


@app.command("similar")
@with_filters
def similar_command(
    request: SearchRequest,
    entry: Annotated[
        str, typer.Argument(help="The entry to find others like: slug, title, municipality.")
    ],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many to show.")] = 10,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """The entries most like one, by shared terms (rare terms count more)."""
    from tilflytting.cli import output
    from tilflytting.query import reports
    from tilflytting.query.search import resolve_filters

    with opened(db) as store:
        result = output.answer(
            lambda: reports.similar(store, entry, resolve_filters(request)[0], limit)
        )
    output.emit(result, fmt.value)


@app.command("timeline")
@with_filters
def timeline_command(
    request: SearchRequest,
    limit: LimitOption = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """Project periods as bars over the years, grouped by entry."""
    from tilflytting.cli import output
    from tilflytting.query import reports
    from tilflytting.query.search import resolve_filters

    with opened(db) as store:
        result = output.answer(
            lambda: reports.timeline(store, resolve_filters(request)[0], limit, table_cap(fmt))
        )
    output.emit(result, fmt.value)


@app.command("remove")
def remove_command(
    entries: Annotated[
        list[str],
        typer.Argument(help="Entries to take out: slug, title, municipality name or number."),
    ],
    db: DbOption = None,
) -> None:
    """Take entries out of the catalog (importing their files again brings them back)."""
    from tilflytting.cli import output
    from tilflytting.core.i18n import _
    from tilflytting.ingest.importer import remove_entries
    from tilflytting.query.lookup import resolve_one

    with opened(db) as store:
        found = output.answer(lambda: dict(resolve_one(store, name) for name in entries))
        remove_entries(store, list(found))
    for slug in found.values():
        output.message(_("removed {slug}").format(slug=slug))


class Referanse(StrEnum):
    fylke = "fylke"
    landet = "landet"
    distrikt = "distrikt"


@app.command("folketall")
def folketall_command(
    entry: Annotated[
        str | None, typer.Argument(help="Slug, title, municipality name or number.")
    ] = None,
    referanse: Annotated[
        Referanse,
        typer.Option(
            "--referanse",
            help="Compare with the rest of the county (2024), the rest of the country, "
            "or municipalities of similar size.",
        ),
    ] = Referanse.fylke,
    update: Annotated[
        Path | None,
        typer.Option(
            "--update", help="Check a newer population CSV (same columns) and use it from now on."
        ),
    ] = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """Population around an entry (SSB table 07459): per year, over each project period."""
    from tilflytting.cli import output
    from tilflytting.query import population

    if update is not None:
        rows = output.answer(lambda: population.checked_update(update))
        output.message(f"population figures updated: {rows} rows from {update}")
        return
    if entry is None:
        fail("name an entry, or give --update FILE", 2)
    with opened(db) as store:
        result = output.answer(lambda: population.folketall(store, entry, referanse.value))
    output.emit(result, fmt.value)


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    markdown = "markdown"
    html = "html"
    datasette_metadata = "datasette-metadata"


@app.command("export")
@with_filters
def export_command(
    request: SearchRequest,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="What to write.")
    ] = ExportFormat.json,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File (or folder, for yaml and html); default: stdout."),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", help="CSV: one row per list item instead of per entry.")
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: UTF-8 with BOM, formulas defused.")
    ] = False,
    by: Annotated[
        str, typer.Option("--by", help="Markdown: group by fylke (2024) or fylke2012.")
    ] = "fylke",
    db: DbOption = None,
) -> None:
    """The catalog, or the entries the filters choose, as files for reports and publishing."""
    from tilflytting.cli import output
    from tilflytting.query.reports import selection
    from tilflytting.query.search import resolve_filters
    from tilflytting.report.export import export

    with opened(db) as store:
        chosen = output.answer(lambda: selection(store, resolve_filters(request)[0], fmt.value))
    done = output.answer(lambda: export(chosen, fmt.value, out, long=long, excel=excel, by=by))
    output.exported(done)


@app.command("vocab")
def vocab_command(
    liste: Annotated[
        str | None,
        typer.Option(
            "--list",
            "--liste",
            help="Only this list: aktiviteter, salgsargumenter, samarbeidspartnere or malgrupper.",
        ),
    ] = None,
    unmatched: Annotated[
        bool, typer.Option("--unmatched", help="Free answers no term covers, most frequent first.")
    ] = False,
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Normalise stored items again after the vocabulary changed."),
    ] = False,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    """The controlled vocabulary: each list's terms and how many entries use them."""
    from tilflytting.cli import output
    from tilflytting.ingest.importer import reapply_vocabulary
    from tilflytting.query import lookup as query

    with opened(db) as store:
        if apply:
            output.message(f"{reapply_vocabulary(store)} entries changed")
        report = query.unmatched_report if unmatched else query.term_report
        result = output.answer(lambda: report(store, liste))
    output.emit(result, fmt.value)


def only_invoked(argv: list[str]) -> None:
    """Keep just the command being run: Typer builds every registered command
    on each start (16 ms for all, 1 ms for one). `--help`, completion and
    unknown names keep the whole app, so their output is unchanged."""
    wanted = argv[1] if len(argv) > 1 else None
    chosen = [c for c in app.registered_commands if c.name == wanted]
    if chosen:
        app.registered_commands = chosen


def main() -> None:
    only_invoked(sys.argv)
    # A closed pipe (`tilflytting list | head`) ends quietly, not with a traceback.
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
