"""Machine formats for stdout: JSON, JSON lines, CSV, Markdown and YAML.

Text from entry files is untrusted: control characters are removed from
every format, Markdown special characters are escaped, and JSON escaping is
left to the json module.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from tilflytting.core.fold import strip_controls
from tilflytting.core.model import LIST_LABELS, LISTS
from tilflytting.query.results import (
    CompareResult,
    EntryDetail,
    EntryList,
    FolketallResult,
    Report,
    SearchResult,
    TableResult,
    TimelineResult,
)

MACHINE_FORMATS = ("json", "jsonl", "csv", "markdown", "yaml")


def clean(value: Any) -> str:
    """A value as one safe line of text."""
    if value is None:
        return ""
    return strip_controls(str(value))[0]


Result = (
    EntryList
    | EntryDetail
    | TableResult
    | SearchResult
    | Report
    | CompareResult
    | TimelineResult
    | FolketallResult
)


def format_result(result: Result, fmt: str) -> str:
    if isinstance(result, Report | CompareResult | TimelineResult | FolketallResult):
        return _document(result, fmt)
    if isinstance(result, TableResult):
        return _table_result(result, fmt)
    if isinstance(result, SearchResult):
        return _search_result(result, fmt)
    if isinstance(result, EntryList):
        rows = result.rows
        if fmt == "json":
            return _json(rows)
        if fmt == "jsonl":
            return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        if fmt == "csv":
            return _csv([_flat_summary(row) for row in rows])
        if fmt == "markdown":
            return _markdown_table([_flat_summary(row) for row in rows])
    else:
        if fmt == "json":
            return _json(result.data)
        if fmt == "jsonl":
            return json.dumps(result.data, ensure_ascii=False) + "\n"
        if fmt == "csv":
            return _csv(_long_rows(result.data))
        if fmt == "markdown":
            return _markdown_entry(result.data)
        if fmt == "yaml":
            from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data

            return dump_yaml(entry_to_data(result.entry))
    raise ValueError(f"format '{fmt}' is not available here")


def _table_result(result: TableResult, fmt: str) -> str:
    if fmt == "json":
        return _json(result.rows)
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in result.rows)
    rows = [{column: row.get(column) for column in result.columns} for row in result.rows]
    if fmt == "csv":
        return _csv(rows) or ",".join(result.columns) + "\n"
    if fmt == "markdown":
        return f"## {md(result.title)}\n\n" + _markdown_table(rows)
    raise ValueError(f"format '{fmt}' is not available here")


def _document(result: Report | CompareResult | TimelineResult | FolketallResult, fmt: str) -> str:
    """Reports with a JSON document behind them; CSV is one long table."""
    if fmt == "json":
        return _json(result.data)
    if fmt == "jsonl":
        return json.dumps(result.data, ensure_ascii=False) + "\n"
    tables = _tables_of(result)
    if fmt == "csv":
        rows = [{"tabell": table.title, **row} for table in tables for row in table.rows]
        columns = list(dict.fromkeys(k for row in rows for k in row))
        return _csv([{c: _cell(row.get(c)) for c in columns} for row in rows])
    if fmt == "markdown":
        text = "\n".join(
            f"## {md(table.title)}\n\n"
            + _markdown_table([{c: _cell(row.get(c)) for c in table.columns} for row in table.rows])
            for table in tables
        )
        if isinstance(result, FolketallResult):  # the caveats and the source travel along
            notes = [*result.data["merknader"], result.data["kilde"]]
            text += "\n" + "".join(f"{md(note)}\n\n" for note in notes)
        return text
    raise ValueError(f"format '{fmt}' is not available here")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "x" if value else ""
    return value


def _tables_of(
    result: Report | CompareResult | TimelineResult | FolketallResult,
) -> list[TableResult]:
    if isinstance(result, Report):
        return result.tables
    if isinstance(result, FolketallResult):
        return folketall_tables(result.data)
    if isinstance(result, CompareResult):
        return compare_tables(result)
    rows = [
        {
            "slug": e["slug"],
            "prosjekt": p["navn"],
            "fra": p["fra"],
            "til": p["til"],
            "pagaende": p["pagaende"],
        }
        for e in result.entries
        for p in e["prosjekter"]
    ]
    return [TableResult("Tidslinje", ["slug", "prosjekt", "fra", "til", "pagaende"], rows)]


def compare_tables(result: CompareResult) -> list[TableResult]:
    """One table per list: a row per term, a column per entry (1, 2, ...)."""
    numbers = [str(n) for n in range(1, len(result.entries) + 1)]
    tables = []
    for liste, rows in result.lists.items():
        share = result.similarity[liste]
        caption = f"felles: {share:.0%}" if share is not None else "ingen termer"
        flat = [
            {
                "liste": liste,
                "term": r["term"],
                "etikett": r["etikett"],
                **dict(zip(numbers, r["har"], strict=True)),
            }
            for r in rows
        ]
        tables.append(TableResult(LIST_LABELS[liste], ["etikett", *numbers], flat, caption))
    return tables


def _search_result(result: SearchResult, fmt: str) -> str:
    if fmt == "json":
        return _json(result.rows)
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in result.rows)
    flat = [
        {
            **_flat_summary(_counted(row)),
            "score": row["score"],
            "treff": "; ".join(row["treff"]),
            "snippet": row["snippet"],
        }
        for row in result.rows
    ]
    if fmt == "csv":
        return _csv(flat) or "slug,tittel,kommuner,fylke,score,treff,snippet\n"
    if fmt == "markdown":
        return _markdown_table(flat)
    raise ValueError(f"format '{fmt}' is not available here")


def _counted(row: dict[str, Any]) -> dict[str, Any]:
    """A full entry object in the shape of a `list` row (lists as counts)."""
    return {**row, **{name: len(row[name]) for name in (*LISTS, "hovedmal")}}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def period(project: dict[str, Any]) -> str:
    start = project["fra"] or "?"
    end = "" if project["pagaende"] else (project["til"] or "?")
    return f"{start}–{end}"


def _places(row: dict[str, Any]) -> str:
    return "; ".join(k["navn"] for k in row["kommuner"])


def _flat_summary(row: dict[str, Any]) -> dict[str, Any]:
    flat = {
        "slug": row["slug"],
        "tittel": row["tittel"],
        "kommuner": _places(row),
        "fylke": "; ".join(row["fylker"]),
        "fylke_2012": "; ".join(row["fylker_2012"]),
        "region": row["region"] or "",
        "prosjekter": "; ".join(f"{p['navn']} ({period(p)})" for p in row["prosjekter"]),
    }
    flat.update({name: row[name] for name in (*LISTS, "hovedmal")})
    flat["komplett"] = "ja" if row["komplett"] else "nei"
    return flat


def _long_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per fact of an entry: what spreadsheets want for a single entry."""
    rows = [{"felt": "tittel", "tekst": data["tittel"], "term": "", "linje": ""}]
    rows += [
        {"felt": "kommune", "tekst": k["navn"], "term": k["nummer"], "linje": ""}
        for k in data["kommuner"]
    ]
    rows += [
        {"felt": "prosjekt", "tekst": f"{p['navn']} ({period(p)})", "term": "", "linje": p["linje"]}
        for p in data["prosjekter"]
    ]
    for name in LISTS:
        rows += [
            {"felt": name, "tekst": i["tekst"], "term": i["term"] or "", "linje": i["linje"]}
            for i in data[name]
        ]
    rows += [
        {"felt": "hovedmal", "tekst": text, "term": "", "linje": ""} for text in data["hovedmal"]
    ]
    return rows


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: clean(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(value: Any) -> str:
    """Escape text for Markdown: no markup, links or HTML can come through."""
    return _MD_SPECIAL.sub(r"\\\1", clean(value).replace("\n", " "))


def _markdown_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "_Ingen oppføringer._\n"
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md(row[h]) for h in header) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _markdown_entry(data: dict[str, Any]) -> str:
    out = [f"# {md(data['tittel'])}", ""]
    if data["ingress"]:
        out += [md(data["ingress"]), ""]
    facts = [
        ("Kommuner", ", ".join(f"{k['navn']} ({k['nummer']})" for k in data["kommuner"])),
        ("Fylke", ", ".join(data["fylker"])),
        ("Fylke (2012)", ", ".join(data["fylker_2012"])),
        ("Region", data["region"] or ""),
        ("Komplett", "ja" if data["komplett"] else "nei"),
        ("Kilde", data["kilde"]["url"] or ""),
    ]
    out += [f"- **{label}:** {md(value)}" for label, value in facts if value] + [""]
    if data["prosjekter"]:
        out += ["## Prosjekter", ""]
        out += [f"- {md(p['navn'])}: {period(p)}" for p in data["prosjekter"]] + [""]
    for name in (*LISTS, "hovedmal"):
        values = [i["tekst"] if isinstance(i, dict) else i for i in data[name]]
        if values:
            out += [f"## {LIST_LABELS[name]}", ""] + [f"- {md(v)}" for v in values] + [""]
    if data["tekst"]:
        out += ["## Tekst", ""] + [md(p) + "\n" for p in data["tekst"].split("\n\n")]
    return "\n".join(out).rstrip() + "\n"


def folketall_tables(data: dict[str, Any]) -> list[TableResult]:
    """The series and the periods as tables (CSV, Markdown, the table view)."""
    series = TableResult(
        f"Folketall 1. januar: {data['omrade']['navn']}",
        ["ar", "folketall", "grenser", "indeks", "referanse_indeks"],
        data["serie"],
        f"indeks: {data['indeksar']} = 100; referanse: {data['referanse']['navn']}",
    )
    rows = [
        {
            "prosjekt": p["prosjekt"],
            "periode": p["prosjektperiode"],
            "grenser": p["under"]["grenser"],
            "endring": p["under"]["personer"],
            "endring_prosent": p["under"]["prosent"],
            "foer_prosent": p["foer"]["prosent"],
            "referanse_prosent": p["referanse"]["prosent"],
            "differanse_pp": p["differanse_prosentpoeng"],
        }
        for p in data["perioder"]
    ]
    periods = TableResult(
        "Endring over prosjektperiodene",
        [
            "prosjekt",
            "periode",
            "grenser",
            "endring",
            "endring_prosent",
            "foer_prosent",
            "referanse_prosent",
            "differanse_pp",
        ],
        rows,
        "1. januar første år til 1. januar året etter siste; foer: like mange år før",
    )
    return [series, periods]
