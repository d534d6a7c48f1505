"""`export`: the catalog (or any filtered part of it) as files for reports
and publishing: JSON, JSON lines, CSV, YAML entries, a Markdown report, a
static HTML site, and Datasette metadata.

Part of the output layer: it writes the entries the query layer chose
(`query.reports.selection`); it never touches the store.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilflytting.core.collate import sort_key
from tilflytting.core.i18n import _, ngettext
from tilflytting.core.model import Entry
from tilflytting.query.lookup import QueryError
from tilflytting.query.reports import Selection
from tilflytting.report.contract import export_json, export_line_json
from tilflytting.report.files import safe_slugs, write_folder
from tilflytting.report.formats import dumps, json_lines, markdown_entry, md, write_csv
from tilflytting.report.tables import entry_rows, item_rows
from tilflytting.store.database import TALLY_TABLES

FORMATS = ("json", "jsonl", "csv", "yaml", "markdown", "html", "datasette-metadata")
FOLDER_FORMATS = ("yaml", "html")


class ExportError(QueryError):
    """An export that cannot be made as asked (one line for the user)."""


@dataclass
class Exported:
    """What an export wrote: files, or text for stdout; notes for stderr."""

    files: list[Path] = field(default_factory=list)
    text: str | None = None
    count: int = 0
    notes: list[str] = field(default_factory=list)  # for stderr


def export(
    chosen: Selection,
    fmt: str,
    out: Path | None,
    *,
    long: bool = False,
    excel: bool = False,
    by: str = "fylke",
    force: bool = False,
) -> Exported:
    """Write what the query layer chose (`Selection`) in format `fmt`. A
    folder (yaml, html) is written by the one confined writer
    (report/files.py): names from safe slugs, never outside `out`, never
    half, never over a folder it did not make unless `force`."""
    entries, database = chosen.entries, chosen.database
    if fmt in FOLDER_FORMATS:
        if out is None:
            raise ExportError(
                _("--format {format} writes a folder: give it with --out FOLDER").format(format=fmt)
            )
        if fmt == "yaml":
            named, notes = safe_slugs(entries)
            written = write_folder(out, _yaml_files(named), force, kind="yaml")
        else:
            from tilflytting.report import figures
            from tilflytting.report.site import INSTALL, site_files

            assert chosen.site is not None  # the query layer chose it for "html"
            # The site names its pages through site.page_file (safe names).
            written = write_folder(out, site_files(chosen.site), force, kind="html")
            notes = (
                []
                if figures.available()
                else [
                    _(
                        "the site is written without figures: they need matplotlib ({command})"
                    ).format(command=INSTALL)
                ]
            )
        return Exported(written, count=len(entries), notes=notes)
    text = _text(entries, fmt, long, excel, by, database)
    if out is None:
        return Exported(text=text, count=len(entries))
    _write_file(out, text, "utf-8-sig" if excel else "utf-8")
    return Exported([out], count=len(entries))


def _write_file(out: Path, text: str, encoding: str) -> None:
    """One file, whole or not at all: written beside it, then moved into
    place. A path that is not a regular file (`/dev/stdout`, a named pipe)
    is written to directly."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if os.path.exists(out) and not os.path.isfile(out):
            if os.path.isdir(out):
                raise ExportError(_("{path} is a folder; give a file name").format(path=out))
            with open(out, "w", encoding=encoding) as handle:
                handle.write(text)
            return
        target = Path(os.path.realpath(out))  # a link: the file it names is replaced
        handle_, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".new", dir=target.parent
        )
        try:
            # mkstemp makes the file readable by its owner only: give it the
            # mode the file had, or the one a new file gets (umask).
            mode = _mode_of(target)
            with os.fdopen(handle_, "w", encoding=encoding) as handle:
                handle.write(text)
            os.chmod(name, mode)
            os.replace(name, target)
        finally:
            with suppress(OSError):
                os.unlink(name)
    except OSError as exc:
        raise ExportError(
            _("cannot write {path}: {error}").format(path=out, error=exc.strerror or exc)
        ) from None


def _mode_of(target: Path) -> int:
    """The permissions `target` has, or those a new file gets here."""
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _text(entries: list[Entry], fmt: str, long: bool, excel: bool, by: str, database: str) -> str:
    if fmt == "json":
        return dumps(export_json(entries))
    if fmt == "jsonl":
        return json_lines([export_line_json(e) for e in entries])
    if fmt == "csv":
        return write_csv([item_rows(entries) if long else entry_rows(entries)], excel=excel)
    if fmt == "markdown":
        return _markdown(entries, by)
    if fmt == "datasette-metadata":
        return dumps(datasette_metadata(database))
    raise ExportError(
        _("--format takes {choices}, not '{text}'").format(choices=", ".join(FORMATS), text=fmt)
    )


# -- YAML -----------------------------------------------------------------------------
def _yaml_files(entries: list[Entry]) -> dict[str, str]:
    """One YAML file per entry, named by its (safe) slug."""
    from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data

    return {f"{entry.slug}.yaml": dump_yaml(entry_to_data(entry)) for entry in entries}


# -- Markdown ----------------------------------------------------------------------------
def _markdown(entries: list[Entry], by: str) -> str:
    """One report, grouped by county (2024, or 2012 with `by=fylke2012`); each
    entry as `show --format markdown` writes it, a level further down."""
    old = by.replace("_", "").replace("-", "") == "fylke2012"
    none = _("(no county)")
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        counties = [p.fylke_2012 if old else p.fylke_2024 for p in entry.places]
        for county in dict.fromkeys(c for c in counties if c) or [none]:
            groups.setdefault(county, []).append(entry)
    era = "2012" if old else "2024"
    count = ngettext(
        "{count} entry, ordered by county ({era}).",
        "{count} entries, ordered by county ({era}).",
        len(entries),
    ).format(count=len(entries), era=era)
    out = ["# Katalog over tilflyttingsarbeid i distriktene", "", count, ""]
    for county in sorted(groups, key=lambda c: (c == none, sort_key(c))):
        out += [f"## {md(county)}", ""]
        for entry in sorted(groups[county], key=lambda e: e.slug):
            out += [markdown_entry(entry, level=3)]
    return "\n".join(out).rstrip() + "\n"


# -- Datasette ----------------------------------------------------------------------------
def datasette_metadata(database: str) -> dict[str, Any]:
    """Metadata for `datasette DB -m metadata.json`: title, source and licence,
    facets on counties and terms, full-text search, internal tables hidden."""
    return {
        "title": "Katalog over tilflyttingsarbeid i distriktene",
        "description": "Tiltak for å få folk til å flytte til distriktskommuner, fra "
        "Distriktssenterets katalog (2012), importert med tilflytting.",
        "source": "Distriktssenteret: Katalog over tilflyttingsarbeid i distriktene",
        "source_url": "https://distriktssenteret.no/prosjektdatabase/",
        "license": "Kommune- og fylkesdata: SSB, NLOD 2.0",
        "license_url": "https://data.norge.no/nlod/no/2.0",
        "databases": {
            database: {
                "tables": {
                    "entries": {
                        "label_column": "tittel",
                        "facets": ["region", "komplett"],
                        "sortable_columns": ["slug", "tittel", "region", "komplett"],
                        "fts_table": "entry_search_fts",
                        "fts_pk": "rowid",
                        "searchmode": "escaped",
                    },
                    # Foreign keys into the lookup tables below: facets and
                    # rows show "Barnefamilier" and "Holtålen", not the codes.
                    "items": {"facets": ["liste", "term", "detalj"]},
                    "places": {"facets": ["fylke_2024", "fylke_2012", "nummer_2024", "type"]},
                    "projects": {"facets": ["pagaende", "fra"]},
                    "sources": {"label_column": "fil", "facets": ["rolle", "format"]},
                    "terms": {"label_column": "etikett", "facets": ["liste"]},
                    "kommuner": {"label_column": "navn", "facets": ["fylke_2024", "fylke_2012"]},
                    "fylker": {"label_column": "navn"},
                    "headings": {"hidden": True},
                    "_migrations": {"hidden": True},
                    "_meta": {"hidden": True},
                    # Derived counts that `summarise` reads; not data to browse.
                    **{table: {"hidden": True} for table in TALLY_TABLES},
                }
            }
        },
    }
