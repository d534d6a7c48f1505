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
from typer._click.shell_completion import CompletionItem
from typer._click.types import StringParamType

from tilflytting import __version__
from tilflytting.cli import framework
from tilflytting.core.i18n import N_, _, ngettext
from tilflytting.core.model import SearchRequest

if TYPE_CHECKING:
    from tilflytting.store.database import Store

EXIT_ERROR = 1
framework.localise()  # Click's and Typer's own words in the run's language

app = typer.Typer(
    name="tilflytting",
    help=_(
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
        help=_("Catalog database [default: $TILFLYTTING_DB, else a file in the user data folder]."),
        show_default=False,
    ),
]


FormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help=_("Output format."))]
# Without --limit the table view of `list`, `search` and `timeline` stops here, saying how
# many more there are: drawing 100,000 rows takes Rich minutes, and each row
# about 0.5 ms. 50 is a screenful or two and the whole real catalog (43
# pages). Machine formats give every row.
TABLE_ROWS = 50
# A count larger than any catalog means "all": capped here, so that SQLite
# (64-bit integers) never sees 10**30.
MOST = 1_000_000_000


def capped(value: int | None) -> int | None:
    return None if value is None else min(value, MOST)


LimitOption = Annotated[
    int | None,
    typer.Option(
        "--limit",
        min=1,
        callback=capped,
        help=_("At most this many entries [default: all; a table shows {rows}].").format(
            rows=TABLE_ROWS
        ),
    ),
]


FYLKE_HELP = N_(
    "County of any era (2012, 2018, 2020, 2024), by name or number, e.g. Viken or 54 "
    "(repeat for any of several)."
)
KOMMUNE_HELP = N_(
    "Municipality name or number, old or new; 'Herøy (Nordland)' or 'Bø i Vesterålen' "
    "for namesakes (repeatable)."
)
REGION_HELP = N_(
    "Region by name or alias, e.g. Hardanger: its entries and its municipalities' (repeatable)."
)


class Completes(StringParamType):
    """Text, as any option's (the same type, help and conversion), that tab
    completion offers values for: `kind` is an entry, a list of terms, a
    county, a municipality, a region, ... (see
    tilflytting.query.completion.offers). The completion code is imported
    only when a shell asks, never by an ordinary command."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
        from tilflytting.cli.completion import complete

        return complete(self.kind, ctx, param, incomplete)


# What ENTRY arguments take (show, compare, similar, folketall, remove):
# `typer.Argument(..., click_type=ENTRY)`.
ENTRY = Completes("entry")


def table_cap(fmt: ListFormat) -> int | None:
    return TABLE_ROWS if fmt is ListFormat.table else None


def default_db() -> Path:
    from tilflytting.core.paths import user_dir

    return user_dir() / "catalog.db"


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    from tilflytting.core.fold import strip_controls  # a path or value typed may hold anything

    typer.echo(f"tilflytting: {strip_controls(message)[0]}", err=True)
    raise typer.Exit(code)


@contextmanager
def opened(db: Path | None, create: bool = False, write: bool = False) -> Iterator[Store]:
    """The store, with database problems turned into one clear line. A
    command that only reads (not `create`, not `write`) opens a file it
    cannot write read-only."""
    from tilflytting.store.database import Store, StoreError, StoreMissing
    from tilflytting.store.errors import describe

    path = db or default_db()
    try:
        store = Store.open(path, create=create, write=create or write)
    except StoreMissing:
        fail(
            _("no catalog database at {path}; create one with: tilflytting import").format(
                path=path
            )
        )
    except StoreError as exc:
        fail(str(exc))
    if store.merged:
        from tilflytting.cli import output

        for kept, twin in store.merged:
            output.message(
                _(
                    "merged {twin} into {kept}: one initiative an older version imported twice"
                ).format(twin=twin, kept=kept)
            )
    try:
        yield store
    except sqlite3.DatabaseError as exc:
        # Read-only file, full disk, lock held too long: one line naming the
        # cause, no traceback; the transaction was rolled back, so nothing is
        # half-written.
        fail(describe(exc, path))
    finally:
        store.close()
        _figures_note()


def _figures_note() -> None:
    """One line on stderr, once, when the population figures came from the
    bundled file because the user's could not be used (read only by the
    commands that show figures, so looked at only if its module was loaded)."""
    figures = sys.modules.get("tilflytting.reference.population")
    note = figures.passed_over() if figures is not None else None
    if note:
        from tilflytting.cli import output

        output.message(note)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tilflytting {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=_("Show the version and exit.")
        ),
    ] = False,
) -> None:
    # The app's help (above, translated) says what the program is.
    return None


@app.command(
    "import",
    help=_("Import catalog pages and YAML entries; re-importing unchanged files changes nothing."),
)
def import_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help=_(
                "Entry files or folders (.txt pages, .yaml entries) [default: bundled catalog]."
            ),
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help=_("All or nothing: if any file fails, import none."))
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=_("Parse and report, write nothing."))
    ] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help=_("Forget files that are gone; remove entries left with no file.")
        ),
    ] = False,
    db: DbOption = None,
) -> None:

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


@app.command(
    "list", help=_("One row per entry: slug, title, municipalities, county, periods, list sizes.")
)
def list_command(
    fylke: Annotated[
        list[str] | None,
        typer.Option("--fylke", help=_(FYLKE_HELP), click_type=Completes("fylke")),
    ] = None,
    kommune: Annotated[
        list[str] | None,
        typer.Option("--kommune", help=_(KOMMUNE_HELP), click_type=Completes("kommune")),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help=_(REGION_HELP), click_type=Completes("region")),
    ] = None,
    sort: Annotated[
        Sort, typer.Option("--sort", help=_("Order of the rows (names in Norwegian order)."))
    ] = Sort.slug,
    limit: LimitOption = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:

    from tilflytting.cli import output
    from tilflytting.query import lookup as query

    with opened(db) as store:
        result = output.answer(
            lambda: query.list_entries(
                store, fylke or [], kommune or [], sort.value, limit, table_cap(fmt), region or []
            )
        )
    output.emit(result, fmt.value)


@app.command("show", help=_("Everything about one entry."))
def show_command(
    entry: Annotated[
        str,
        typer.Argument(
            help=_("Slug, title, municipality name or number (any case, æøå optional)."),
            click_type=ENTRY,
        ),
    ],
    sources: Annotated[
        bool,
        typer.Option(
            "--sources",
            help=_("Show the FILE:LINE each fact came from, and each place's evidence."),
        ),
    ] = False,
    until_today: Annotated[bool, TodayOption] = False,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help=_("Output format (yaml re-imports)."))
    ] = ShowFormat.table,
    db: DbOption = None,
) -> None:

    from tilflytting.cli import output
    from tilflytting.query.show import show

    with opened(db) as store:
        result = output.answer(lambda: show(store, entry, sources, until_today))
    output.emit(result, fmt.value)


# The filters `search`, the reports and `export` share. Like sqlite-utils'
# shared output options: one decorator gives every such command the same
# options, and hands them over as one SearchRequest.
# Open-ended projects ("til d.d.", "pågående") end in the catalog's year.
TodayOption = typer.Option(
    "--til-i-dag",
    "--until-today",
    help=_("Open-ended projects run until today, not until 2012 (the catalog's year)."),
)


def _values(*names: str, help: str, completes: str) -> tuple[Any, Any]:
    """A repeatable filter option: (its annotation, its default); tab
    completion offers values of the kind `completes`."""
    option = typer.Option(*names, help=_(help), click_type=Completes(completes))
    return Annotated[list[str] | None, option], None


FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a project's period may hold


def _year(*names: str, help: str) -> tuple[Any, Any]:
    shown = f"{_(help).rstrip('.')}; {FIRST_YEAR}–{LAST_YEAR}."
    option = typer.Option(*names, help=shown, min=FIRST_YEAR, max=LAST_YEAR)
    return Annotated[int | None, option], None


FILTER_OPTIONS: dict[str, tuple[Any, Any]] = {
    "malgruppe": _values(
        "--målgruppe",
        "--malgruppe",
        help=N_("Target group term (repeat for any of several)."),
        completes="malgrupper",
    ),
    "aktivitet": _values(
        "--aktivitet", help=N_("Activity term (repeatable)."), completes="aktiviteter"
    ),
    "salgsargument": _values(
        "--salgsargument", help=N_("Selling point term (repeatable)."), completes="salgsargumenter"
    ),
    "partner": _values(
        "--samarbeidspartner",
        "--partner",
        help=N_("Partner term, e.g. fylkeskommunen or 'Troms fylkeskommune' (repeatable)."),
        completes="samarbeidspartnere",
    ),
    "fylke": _values("--fylke", help=FYLKE_HELP, completes="fylke"),
    "kommune": _values("--kommune", help=KOMMUNE_HELP, completes="kommune"),
    "region": _values("--region", help=REGION_HELP, completes="region"),
    "year": _year(
        "--år",
        "--aar",
        help=N_("A project active this year (open-ended ones until 2012, the catalog's year)."),
    ),
    "span_from": _year("--fra", help=N_("A project active in or after this year.")),
    "span_to": _year("--til", help=N_("A project active in or before this year.")),
    "complete": (
        Annotated[bool, typer.Option("--komplett", help=_("Leave out pages that were cut off."))],
        False,
    ),
    "until_today": (
        Annotated[bool, TodayOption],
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
    facets = {FACET_LISTS[name]: chosen.get(name) for name in FACET_LISTS}
    return SearchRequest(
        facets={liste: values for liste, values in facets.items() if values},
        fylke=chosen.get("fylke") or [],
        kommune=chosen.get("kommune") or [],
        region=chosen.get("region") or [],
        year=chosen.get("year"),
        span_from=chosen.get("span_from"),
        span_to=chosen.get("span_to"),
        complete=bool(chosen.get("complete")),
        until_today=bool(chosen.get("until_today")),
    )


@app.command(
    "search", help=_("Full-text search with facets; different filters AND, a repeated one ORs.")
)
@with_filters
def search_command(
    request: SearchRequest,
    query: Annotated[
        str, typer.Argument(help=_("Words to find (any case, æøå optional; word* for a prefix)."))
    ] = "",
    raw: Annotated[
        bool, typer.Option("--raw", help=_("QUERY is FTS5 syntax, passed through as is."))
    ] = False,
    limit: LimitOption = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:

    from tilflytting.cli import output
    from tilflytting.query.search import search

    request.text, request.raw, request.limit = query, raw, limit
    request.cap = table_cap(fmt)
    with opened(db) as store:
        result = output.answer(lambda: search(store, request))
    output.emit(result, fmt.value)


@app.command(
    "compare",
    help=_("Entries side by side: places, projects, each list's terms, and how alike they are."),
)
def compare_command(
    entries: Annotated[
        list[str],
        typer.Argument(
            help=_("Two or more entries: slug, title, municipality name or number."),
            click_type=ENTRY,
        ),
    ],
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:

    from tilflytting.cli import output
    from tilflytting.query import reports

    with opened(db) as store:
        result = output.answer(lambda: reports.compare(store, entries))
    output.emit(result, fmt.value)


@app.command("summarise", help=_("The catalog (or the entries the filters choose) in numbers."))
@with_filters
def summarise_command(
    request: SearchRequest,
    liste: Annotated[
        str | None,
        typer.Option(
            "--list",
            "--liste",
            help=_("Only this list (e.g. målgrupper)."),
            click_type=Completes("liste"),
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help=_("Cross-table by fylke (2024), fylke2012 or region."),
            click_type=Completes("by"),
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top", min=1, callback=capped, help=_("Only the N most used terms per list.")
        ),
    ] = None,
    folketall: Annotated[
        bool,
        typer.Option(
            "--folketall",
            help=_("Add population growth over the entries' project years, entry by entry."),
        ),
    ] = False,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    from tilflytting.cli import output
    from tilflytting.query import reports
    from tilflytting.query.search import resolve_filters

    with opened(db) as store:
        filters, notes = output.answer(lambda: resolve_filters(request, store))
        result = output.answer(
            lambda: reports.summarise(store, filters, liste, by, top, folketall, notes)
        )
    output.emit(result, fmt.value)


app.command("summarize", help=_("The same as summarise."), hidden=True)(summarise_command)


@app.command(
    "similar", help=_("The entries most like one, by shared terms (rare terms count more).")
)
@with_filters
def similar_command(
    request: SearchRequest,
    entry: Annotated[
        str,
        typer.Argument(
            help=_("The entry to find others like: slug, title, municipality."), click_type=ENTRY
        ),
    ],
    limit: Annotated[
        int, typer.Option("--limit", min=1, callback=capped, help=_("How many to show."))
    ] = 10,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    from tilflytting.cli import output
    from tilflytting.query import reports
    from tilflytting.query.search import resolve_filters

    with opened(db) as store:
        filters, notes = output.answer(lambda: resolve_filters(request, store))
        result = output.answer(lambda: reports.similar(store, entry, filters, limit, notes))
    output.emit(result, fmt.value)


@app.command("timeline", help=_("Project periods as bars over the years, grouped by entry."))
@with_filters
def timeline_command(
    request: SearchRequest,
    limit: LimitOption = None,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:
    from tilflytting.cli import output
    from tilflytting.query import reports
    from tilflytting.query.search import resolve_filters

    with opened(db) as store:
        filters, notes = output.answer(lambda: resolve_filters(request, store))
        result = output.answer(
            lambda: reports.timeline(store, filters, limit, table_cap(fmt), notes)
        )
    output.emit(result, fmt.value)


@app.command(
    "remove",
    help=_("Take entries out of the catalog (importing their files again brings them back)."),
)
def remove_command(
    entries: Annotated[
        list[str],
        typer.Argument(
            help=_("Entries to take out: slug, title, municipality name or number."),
            click_type=ENTRY,
        ),
    ],
    db: DbOption = None,
) -> None:
    from tilflytting.cli import output
    from tilflytting.ingest.importer import remove_entries
    from tilflytting.query.lookup import resolve_one

    with opened(db, write=True) as store:
        found = output.answer(lambda: dict(resolve_one(store, name) for name in entries))
        remove_entries(store, list(found))
    for slug in found.values():
        output.message(_("removed {slug}").format(slug=slug))


class Referanse(StrEnum):
    fylke = "fylke"
    landet = "landet"
    distrikt = "distrikt"


@app.command(
    "folketall",
    help=_(
        "Population around an entry (SSB table 07459) on the catalog's 2012 borders: per year, "
        "over each project period."
    ),
)
def folketall_command(
    entry: Annotated[
        str | None,
        typer.Argument(help=_("Slug, title, municipality name or number."), click_type=ENTRY),
    ] = None,
    referanse: Annotated[
        Referanse,
        typer.Option(
            "--referanse",
            help=_(
                "Compare with the rest of the 2012 county, the rest of the country, "
                "or municipalities of similar size (all on 2012 borders)."
            ),
        ),
    ] = Referanse.fylke,
    sammenlign: Annotated[
        bool,
        typer.Option(
            "--sammenlign",
            help=_(
                "Also list the comparison group: the municipalities without an entry, of "
                "similar size, and their changes."
            ),
        ),
    ] = False,
    until_today: Annotated[bool, TodayOption] = False,
    update: Annotated[
        Path | None,
        typer.Option(
            "--update",
            help=_(
                "Check a newer population CSV (nummer,aar,folkemengde: SSB's figure per "
                "municipality number in use, 0 for the country) and use it from now on."
            ),
        ),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help=_("Go back to the bundled population figures."))
    ] = False,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:

    from tilflytting.cli import output
    from tilflytting.core.i18n import _
    from tilflytting.query import population

    if reset and update is not None:
        fail(_("--update and --reset cannot go together: give one"), 2)
    if reset:
        if output.answer(population.back_to_bundled):
            output.message(_("population figures: back to the bundled file"))
        else:
            output.message(_("population figures: the bundled file is already in use"))
    if update is not None:
        rows = output.answer(lambda: population.checked_update(update))
        output.message(
            _("population figures updated: {rows} rows from {path}").format(rows=rows, path=update)
        )
    if entry is None and (reset or update is not None):
        return  # figures changed; an ENTRY given as well is shown with them, below
    if entry is None:
        fail(_("name an entry, or give --update FILE"), 2)
    with opened(db) as store:
        result = output.answer(
            lambda: population.folketall(store, entry, referanse.value, until_today, sammenlign)
        )
    output.emit(result, fmt.value)


class RapportFormat(StrEnum):
    markdown = "markdown"


@app.command(
    "rapport",
    help=_(
        "A report of the catalog, or of the entries the filters choose: the selection, what "
        "they do, population against a reference and a comparison group, method and sources. "
        "Writes rapport.md, a self-contained rapport.html, the figures (SVG) and the numbers "
        "behind them (CSV)."
    ),
)
@with_filters
def rapport_command(
    request: SearchRequest,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help=_("The folder to write the report into.")),
    ] = None,
    fmt: Annotated[
        RapportFormat | None,
        typer.Option(
            "--format", "-f", help=_("Also print the report to stdout (Markdown, no figures).")
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=_(
                "Write into a folder that is not empty and was not made by tilflytting (files "
                "of the same names are replaced, the others stay)."
            ),
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    from tilflytting.cli import output
    from tilflytting.query.rapport import rapport
    from tilflytting.query.search import resolve_filters
    from tilflytting.report.rapport import INSTALL, summary_line, write

    if out is None and fmt is None:
        fail(_("give a folder with --out DIR, or --format markdown for stdout"), 2)
    chosen = _typed_filters(request)
    with opened(db) as store:
        filters, notes = output.answer(lambda: resolve_filters(request, store))
        output.notes(notes)
        result = output.answer(lambda: rapport(store, filters, chosen))
    if not result.summary.entries:
        output.message(_("no entries match; the report says so in its numbers"))
    written = output.answer(lambda: write(result, out, fmt is not None, force))
    if written.text is not None:
        sys.stdout.write(written.text)
    if out is not None:
        output.message(summary_line(written))
        if not written.figures:
            output.message(
                _("no figures: they need matplotlib ({command})").format(command=INSTALL)
            )


def _typed_filters(request: SearchRequest) -> list[tuple[str, str]]:
    """The filters as typed (`--fylke Nordland`), for the report to say what
    it covers."""
    facets = {
        "malgrupper": "--målgruppe",
        "aktiviteter": "--aktivitet",
        "salgsargumenter": "--salgsargument",
        "samarbeidspartnere": "--samarbeidspartner",
    }
    found = [(facets[liste], value) for liste, values in request.facets.items() for value in values]
    found += [("--fylke", value) for value in request.fylke]
    found += [("--kommune", value) for value in request.kommune]
    found += [("--region", value) for value in request.region]
    for option, year in (("--år", request.year), ("--fra", request.span_from),
                         ("--til", request.span_to)):  # fmt: skip
        if year is not None:
            found.append((option, str(year)))
    if request.complete:
        found.append(("--komplett", ""))
    if request.until_today:
        found.append(("--til-i-dag", ""))
    return found


class ExportFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    yaml = "yaml"
    markdown = "markdown"
    html = "html"
    datasette_metadata = "datasette-metadata"


@app.command(
    "export",
    help=_("The catalog, or the entries the filters choose, as files for reports and publishing."),
)
@with_filters
def export_command(
    request: SearchRequest,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help=_("What to write."))
    ] = ExportFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help=_("File (or folder, for yaml and html); default: stdout.")
        ),
    ] = None,
    long: Annotated[
        bool, typer.Option("--long", help=_("CSV: one row per list item instead of per entry."))
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help=_("CSV for Excel: UTF-8 with BOM, formulas defused."))
    ] = False,
    by: Annotated[
        str,
        typer.Option(
            "--by",
            help=_("Markdown: group by fylke (2024) or fylke2012."),
            click_type=Completes("by-export"),
        ),
    ] = "fylke",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=_(
                "yaml, html: write into a folder that is not empty and was not made by an "
                "export (files of the same names are replaced, the others stay)."
            ),
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    from tilflytting.cli import output
    from tilflytting.query.reports import selection
    from tilflytting.query.search import resolve_filters
    from tilflytting.report.export import export

    with opened(db) as store:
        filters, notes = output.answer(lambda: resolve_filters(request, store))
        output.notes(notes)
        chosen = output.answer(lambda: selection(store, filters, fmt.value))
    done = output.answer(
        lambda: export(chosen, fmt.value, out, long=long, excel=excel, by=by, force=force)
    )
    output.exported(done)


@app.command(
    "vocab", help=_("The controlled vocabulary: each list's terms and how many entries use them.")
)
def vocab_command(
    liste: Annotated[
        str | None,
        typer.Option(
            "--list",
            "--liste",
            help=_(
                "Only this list: aktiviteter, salgsargumenter, samarbeidspartnere or målgrupper "
                "(singular, plural, with or without æøå)."
            ),
            click_type=Completes("liste"),
        ),
    ] = None,
    unmatched: Annotated[
        bool,
        typer.Option("--unmatched", help=_("Free answers no term covers, most frequent first.")),
    ] = False,
    apply: Annotated[
        bool,
        typer.Option(
            "--apply", help=_("Normalise stored items again after the vocabulary changed.")
        ),
    ] = False,
    fmt: FormatOption = ListFormat.table,
    db: DbOption = None,
) -> None:

    from tilflytting.cli import output
    from tilflytting.ingest.importer import reapply_vocabulary
    from tilflytting.query import lookup as query

    with opened(db, write=apply) as store:
        if apply:
            changed = reapply_vocabulary(store)
            output.message(
                ngettext("{count} entry changed", "{count} entries changed", changed).format(
                    count=changed
                )
            )
        report = query.unmatched_report if unmatched else query.term_report
        result = output.answer(lambda: report(store, liste))
    output.emit(result, fmt.value)


@app.command(
    "check",
    help=_(
        "What the tool understands from entry files before they are imported: each entry as "
        "`show` prints it, and every warning. Writes nothing. Exit 1 if a file has an error "
        "(with --strict: any warning)."
    ),
)
def check_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help=_("Pages (.txt), YAML entries (.yaml) or folders of them."), show_default=False
        ),
    ],
    strict: Annotated[
        bool, typer.Option("--strict", help=_("Warnings fail too (for a maintainer's CI)."))
    ] = False,
    fmt: Annotated[
        ShowFormat, typer.Option("--format", "-f", help=_("Output format (yaml: as `convert`)."))
    ] = ShowFormat.table,
) -> None:
    from tilflytting.cli import output

    checked = output.answer(lambda: _check(paths))
    output.checked(checked, fmt.value)
    failed = any(r.status == "failed" for r, _ in checked)
    warned = any(r.problems for r, _ in checked)
    raise typer.Exit(EXIT_ERROR if failed or (strict and warned) else 0)


def _check(paths: list[Path]) -> list[tuple[Any, Any]]:
    from tilflytting.ingest.importer import ImportReport, check_file, find_files

    report = ImportReport(dry_run=True)
    files = find_files(paths, report)
    return [(problem, None) for problem in [*report.problems, *report.skipped]] + [
        check_file(path, source) for source, path in files.items()
    ]


@app.command(
    "convert",
    help=_(
        "Turn a page into a YAML entry to correct by hand: text, lists as written, projects "
        "and places as the tool read them. Then `check` it and `import` it."
    ),
)
def convert_command(
    page: Annotated[Path, typer.Argument(help=_("A published page (.txt) or a YAML entry."))],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help=_("The YAML file to write [default: stdout].")),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Replace the --out file if it exists."))
    ] = False,
) -> None:
    from tilflytting.cli import output
    from tilflytting.ingest.importer import check_file
    from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data

    if out is not None and out.exists() and not force:
        fail(_("{out} exists; use --force to replace it").format(out=out), 2)
    result, entry = check_file(page)
    output.problems(result)
    if entry is None or result.status == "failed":
        raise typer.Exit(EXIT_ERROR)
    header = (
        f"# Converted by `tilflytting convert` from {page.name}: correct it by hand,\n"
        f"# then `tilflytting check {out.name if out else 'FILE'}` and `tilflytting import`.\n"
    )
    text = header + dump_yaml(entry_to_data(entry, with_text=True))
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(_("cannot write {out}: {error}").format(out=out, error=exc.strerror))
    output.message(_("{slug} written to {out}").format(slug=entry.slug, out=out))


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
