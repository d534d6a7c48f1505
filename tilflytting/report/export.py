"""`export`: the catalog (or any filtered part of it) as files for reports
and publishing: JSON, JSON lines, CSV, YAML entries, a Markdown report, a
static HTML site, and Datasette metadata.

Part of the output layer: it writes the entries the query layer chose
(`query.reports.selection`); it never touches the store.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tilflytting.core import clock
from tilflytting.core.model import LIST_LABELS, LISTS, Entry
from tilflytting.query.lookup import QueryError, entry_json
from tilflytting.query.reports import Selection
from tilflytting.report.formats import clean, md, period
from tilflytting.store.database import TALLY_TABLES

SCHEMA_VERSION = 1
FORMATS = ("json", "jsonl", "csv", "yaml", "markdown", "html", "datasette-metadata")
FOLDER_FORMATS = ("yaml", "html")
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(QueryError):
    """An export that cannot be made as asked (one line for the user)."""


@dataclass
class Exported:
    """What an export wrote: files, or text for stdout."""

    files: list[Path] = field(default_factory=list)
    text: str | None = None
    count: int = 0


def export(
    chosen: Selection,
    fmt: str,
    out: Path | None,
    *,
    long: bool = False,
    excel: bool = False,
    by: str = "fylke",
) -> Exported:
    """Write what the query layer chose (`Selection`) in format `fmt`."""
    entries, summary, database = chosen.entries, chosen.summary, chosen.database
    if fmt in FOLDER_FORMATS and out is None:
        raise ExportError(f"--format {fmt} writes a folder: give it with --out FOLDER")
    if fmt == "yaml":
        return Exported(_yaml_folder(entries, _folder(out)), count=len(entries))
    if fmt == "html":
        from tilflytting.report.site import write_site

        return Exported(write_site(entries, _folder(out), summary or []), count=len(entries))
    text = _text(entries, fmt, long=long, excel=excel, by=by, database=database)
    if out is None:
        return Exported(text=text, count=len(entries))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8-sig" if excel else "utf-8")
    return Exported([out], count=len(entries))


def _folder(out: Path | None) -> Path:
    assert out is not None
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; --out takes a folder for this format")
    out.mkdir(parents=True, exist_ok=True)
    return out


def _text(entries: list[Entry], fmt: str, **options: Any) -> str:
    if fmt == "json":
        document = {
            "skjema": SCHEMA_VERSION,
            "generert": clock.today().isoformat(),
            "antall": len(entries),
            "oppforinger": [entry_json(e) for e in entries],
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(
            json.dumps({"skjema": SCHEMA_VERSION, **entry_json(e)}, ensure_ascii=False) + "\n"
            for e in entries
        )
    if fmt == "csv":
        rows = _long_rows(entries) if options["long"] else _wide_rows(entries)
        return _csv(rows, excel=options["excel"])
    if fmt == "markdown":
        return _markdown(entries, options["by"])
    if fmt == "datasette-metadata":
        return (
            json.dumps(datasette_metadata(options["database"]), ensure_ascii=False, indent=2) + "\n"
        )
    raise ExportError(f"--format takes {', '.join(FORMATS)}, not '{fmt}'")


# -- CSV ------------------------------------------------------------------------------
def _wide_rows(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """One row per entry; each list joined with "; ", and its terms beside it."""
    rows = []
    for entry in entries:
        data = entry_json(entry)
        row = {
            "slug": data["slug"],
            "tittel": data["tittel"],
            "ingress": data["ingress"],
            "kommuner": "; ".join(k["navn"] for k in data["kommuner"]),
            "kommunenummer": "; ".join(k["nummer"] or "" for k in data["kommuner"]),
            "fylke": "; ".join(data["fylker"]),
            "fylke_2012": "; ".join(data["fylker_2012"]),
            "region": data["region"] or "",
            "prosjekter": "; ".join(f"{p['navn']} ({period(p)})" for p in data["prosjekter"]),
        }
        for name in LISTS:
            row[name] = "; ".join(i["tekst"] for i in data[name])
            row[f"{name}_termer"] = "; ".join(i["term"] or "" for i in data[name])
        row["hovedmal"] = "; ".join(data["hovedmal"])
        row["komplett"] = "ja" if data["komplett"] else "nei"
        row["url"] = data["kilde"]["url"] or ""
        rows.append(row)
    return rows


def _long_rows(entries: Iterable[Entry]) -> list[dict[str, Any]]:
    """One row per list item: what spreadsheets, R and pandas want."""
    return [
        {
            "slug": entry.slug,
            "liste": name,
            "tekst": item.text,
            "term": item.term or "",
            "detalj": item.detail or "",
            "linje": item.line or "",
        }
        for entry in entries
        for name in LISTS
        for item in entry.lists[name]
    ]


def _csv(rows: list[dict[str, Any]], excel: bool) -> str:
    buffer = io.StringIO()
    if not rows:
        return ""
    writer = csv.DictWriter(
        buffer, fieldnames=list(rows[0]), lineterminator="\r\n" if excel else "\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _safe_cell(v, excel) for k, v in row.items()})
    return buffer.getvalue()


def _safe_cell(value: Any, excel: bool) -> str:
    """Clean text; for Excel, a leading quote keeps `=cmd()` from being a formula."""
    text = clean(value)
    if excel and text.startswith(FORMULA_START):
        return "'" + text
    return text


# -- YAML -----------------------------------------------------------------------------
def _yaml_folder(entries: list[Entry], folder: Path) -> list[Path]:
    from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data

    written = []
    for entry in entries:
        path = folder / f"{entry.slug}.yaml"
        path.write_text(dump_yaml(entry_to_data(entry)), encoding="utf-8")
        written.append(path)
    return written


# -- Markdown ----------------------------------------------------------------------------
def _markdown(entries: list[Entry], by: str) -> str:
    """One report, grouped by county (2024, or 2012 with `by=fylke2012`)."""
    old = by.replace("_", "").replace("-", "") == "fylke2012"
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        counties = [p.fylke_2012 if old else p.fylke_2024 for p in entry.places]
        for county in dict.fromkeys(c for c in counties if c) or ["(uten fylke)"]:
            groups.setdefault(county, []).append(entry)
    era = "2012" if old else "2024"
    out = [
        "# Katalog over tilflyttingsarbeid i distriktene",
        "",
        f"{len(entries)} oppføringer, ordnet etter fylke ({era}).",
        "",
    ]
    for county in sorted(groups, key=lambda c: (c.startswith("("), c)):
        out += [f"## {md(county)}", ""]
        for entry in sorted(groups[county], key=lambda e: e.slug):
            out += _markdown_entry(entry)
    return "\n".join(out).rstrip() + "\n"


def _markdown_entry(entry: Entry) -> list[str]:
    data = entry_json(entry)
    out = [f"### {md(entry.title)}", ""]
    if entry.lead:
        out += [md(entry.lead), ""]
    places = ", ".join(f"{k['navn']} ({k['nummer']})" for k in data["kommuner"])
    facts = [
        ("Kommuner", places),
        ("Region", entry.region or ""),
        ("Prosjekter", "; ".join(f"{p['navn']} {period(p)}" for p in data["prosjekter"])),
        ("Kilde", entry.url or ""),
    ]
    out += [f"- **{label}:** {md(value)}" for label, value in facts if value]
    for name in LISTS:
        if entry.lists[name]:
            items = "; ".join(md(i.text) for i in entry.lists[name])
            out.append(f"- **{LIST_LABELS[name]}:** {items}")
    return [*out, ""]


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
