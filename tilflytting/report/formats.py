"""Machine and document formats for stdout and files: JSON, JSON lines, CSV,
Markdown and YAML. One writer per format: `write_csv` is the only CSV writer
(spreadsheet formulas defused in one place, with `excel`), `markdown_tables`
and `markdown_entry` the only Markdown writers; `export` and the commands'
`--format` both use them.

Text from entry files is untrusted: control characters are removed from
every format, Markdown special characters are escaped, and JSON escaping is
left to the json module. JSON and CSV are the same in every language;
Markdown is a document for people, in the run's language.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from tilflytting.core.fold import strip_controls
from tilflytting.core.i18n import _, number, percent, share
from tilflytting.core.model import LISTS, Entry
from tilflytting.query.results import (
    CompareResult,
    EntryDetail,
    EntryList,
    FolketallResult,
    Result,
    SearchResult,
    SimilarResult,
    SummaryResult,
    TimelineResult,
    UnmatchedResult,
    VocabResult,
)
from tilflytting.report.tables import (
    JOIN,
    Section,
    facts,
    folketall_notes,
    list_title,
    period,
    sections,
)

MACHINE_FORMATS = ("json", "jsonl", "csv", "markdown", "yaml")
# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(value: Any) -> str:
    """A value as one safe line of text."""
    if value is None:
        return ""
    return strip_controls(str(value))[0]


def _cleaned(value: Any) -> Any:
    """Every text in `value` without control, bidi or zero-width characters
    (as CSV and Markdown cells have them): the stored text is ours, but
    another program may have written the database."""
    if isinstance(value, str):
        return strip_controls(value)[0]
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


# -- JSON -------------------------------------------------------------------------------
def to_json(result: Result) -> Any:
    """The documented JSON of a result (report/contract.py, imported only
    when JSON is asked for)."""
    from tilflytting.report import contract

    if isinstance(result, EntryList):
        return contract.list_json(result)
    if isinstance(result, EntryDetail):
        return contract.entry_json(result.entry)
    if isinstance(result, SearchResult):
        return contract.search_json(result)
    if isinstance(result, VocabResult):
        return contract.vocab_json(result)
    if isinstance(result, UnmatchedResult):
        return contract.unmatched_json(result)
    if isinstance(result, CompareResult):
        return contract.compare_json(result)
    if isinstance(result, SimilarResult):
        return contract.similar_json(result)
    if isinstance(result, SummaryResult):
        return contract.summarise_json(result)
    if isinstance(result, TimelineResult):
        return contract.timeline_json(result)
    return contract.folketall_json(result)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def json_lines(values: list[Any]) -> str:
    return "".join(json.dumps(value, ensure_ascii=False) + "\n" for value in values)


# -- every format of a command's result ------------------------------------------------
def format_result(result: Result, fmt: str) -> str:
    if fmt == "json":
        return dumps(to_json(result))
    if fmt == "jsonl":
        data = to_json(result)
        return json_lines(data if isinstance(data, list) else [data])
    if fmt == "csv":
        return write_csv(sections(result))
    if fmt == "markdown":
        if isinstance(result, EntryDetail):
            return markdown_entry(result.entry)
        notes = folketall_notes(result) if isinstance(result, FolketallResult) else []
        return markdown_tables(sections(result), notes)
    if fmt == "yaml" and isinstance(result, EntryDetail):
        from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data

        return dump_yaml(_cleaned(entry_to_data(result.entry)))
    raise ValueError(f"format '{fmt}' is not available here")


# -- CSV --------------------------------------------------------------------------------
def csv_value(value: Any, kind: str = "text") -> str:
    """A cell as CSV holds it: lists joined with `; `, marks as `x`, yes/no as
    `ja`/`nei`, nothing as an empty cell. The same in every language."""
    if isinstance(value, bool):
        if kind == "mark":
            return "x" if value else ""
        return "ja" if value else "nei"
    if isinstance(value, list):
        return JOIN.join(clean(v) for v in value)
    return clean(value)


def write_csv(tables: list[Section], excel: bool = False) -> str:
    """One CSV table: one section as it is; several one after another with a
    first column `tabell` naming the section. With `excel`, lines end in CRLF
    and a cell that a spreadsheet would run as a formula gets a leading `'`."""
    several = len(tables) > 1
    columns = list(
        dict.fromkeys(
            [
                *(["tabell"] if several else []),
                *(c.key for t in tables for c in t.columns if c.csv),
            ]
        )
    )
    kinds = {c.key: c.kind for t in tables for c in t.columns}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n" if excel else "\n")
    writer.writerow(columns)
    for table in tables:
        human = {c.key for c in table.columns if not c.csv}  # another table's column may share it
        for full in table.rows:
            row = {k: v for k, v in full.items() if k not in human}
            values = {"tabell": table.key, **row} if several else row
            cells = [csv_value(values.get(c), kinds.get(c, "text")) for c in columns]
            writer.writerow([_defused(cell) if excel else cell for cell in cells])
    return buffer.getvalue()


def _defused(text: str) -> str:
    """For Excel, a leading quote keeps `=cmd()` from being a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


# -- values shown to people (Markdown, the terminal, the site) ---------------------------
def display(value: Any, kind: str = "text") -> str:
    """A value as people read it, in the run's language: numbers with the
    language's separators, shares as percentages, lists joined."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        if kind == "mark":
            return "✓" if value else "·"
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return JOIN.join(clean(v) for v in value)
    if kind == "share" and isinstance(value, float):
        return share(value)
    if kind == "percent" and isinstance(value, int | float):
        return percent(value, 2)
    if kind == "points" and isinstance(value, int | float):
        return number(value, 2, sign=True)
    if kind == "signed" and isinstance(value, int):
        return number(value, sign=True)
    if kind == "decimal" and isinstance(value, float):
        return number(value, 3)
    if kind == "decimal1" and isinstance(value, float):
        return number(value, 1)
    if kind == "number" and isinstance(value, int):
        return number(value)
    return clean(value)


# -- Markdown ---------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(value: Any) -> str:
    """Escape text for Markdown: no markup, links or HTML can come through."""
    return _MD_SPECIAL.sub(r"\\\1", clean(value).replace("\n", " "))


def markdown_table(table: Section) -> str:
    if not table.rows:
        return f"_{md(table.empty or _('No rows.'))}_\n"
    shown = table.shown
    lines = [
        "| " + " | ".join(md(_(c.header)) for c in shown) + " |",
        "|" + "".join("---:|" if _numeric(c.kind) else "---|" for c in shown),
    ]
    lines += [
        "| " + " | ".join(md(display(row.get(c.key), c.kind)) for c in shown) + " |"
        for row in table.rows
    ]
    return "\n".join(lines) + "\n"


def _numeric(kind: str) -> bool:
    return kind in ("number", "share", "percent", "points", "signed", "decimal", "decimal1")


def markdown_tables(tables: list[Section], notes: list[str] | None = None) -> str:
    """Each section as a `##` heading, a table and its caption."""
    parts = []
    for table in tables:
        text = f"## {md(table.title)}\n\n" + markdown_table(table)
        if table.caption and table.rows:
            text += "".join(f"\n{md(line)}\n" for line in table.caption.splitlines())
        parts.append(text)
    text = "\n".join(parts)
    if notes:  # the caveats and the source travel along
        text += "\n" + "".join(f"{md(note)}\n\n" for note in notes)
    return text


def markdown_entry(entry: Entry, level: int = 1) -> str:
    """One entry as Markdown: `show --format markdown` (level 1) and each
    entry of `export --format markdown` (level 3)."""
    head, sub = "#" * level, "#" * (level + 1)
    out = [f"{head} {md(entry.title)}", ""]
    if entry.lead:
        out += [md(entry.lead), ""]
    out += [f"- **{md(label)}:** {md(value)}" for label, value in facts(entry)] + [""]
    if entry.projects:
        out += [f"{sub} {md(_('Projects'))}", ""]
        out += [f"- {md(p.name)}: {period(p)}" for p in entry.projects] + [""]
    for name in LISTS:
        if entry.lists[name]:
            out += [f"{sub} {md(list_title(name))}", ""]
            out += [f"- {md(i.text)}" for i in entry.lists[name]] + [""]
    if entry.main_goal:
        out += [f"{sub} {md(list_title('hovedmal'))}", ""]
        out += [f"- {md(i.text)}" for i in entry.main_goal] + [""]
    if entry.text:
        out += [f"{sub} {md(_('Text'))}", ""] + [md(p) + "\n" for p in entry.text.split("\n\n")]
    return "\n".join(out).rstrip() + "\n"
