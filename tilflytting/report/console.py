"""Human output with Rich: tables, panels, the import progress bar.

The only module that imports Rich (ruff's banned-api rule enforces it), and
it is imported lazily, only when a table is printed. Untrusted text never
reaches Rich as markup: every value goes in as a `Text` with control and
bidi characters removed.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tilflytting.core.fold import fold
from tilflytting.core.i18n import N_, _
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
from tilflytting.report.formats import Result, clean, compare_tables, folketall_tables, period


def t(value: Any, style: str = "") -> Text:
    """Untrusted text as a Rich Text: never parsed as markup."""
    return Text(clean(value), style=style)


def stdout() -> Console:
    # Plain strings (titles, headers) are not read as markup or emoji codes
    # either: safer, and it spares Rich's emoji table (2 ms) on every table.
    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


def print_result(result: Result) -> None:
    console = stdout()
    if isinstance(result, FolketallResult):
        for part in folketall_view(result, console.width):
            console.print(part)
    elif isinstance(result, Report):
        for table in result.tables:
            console.print(plain_table(table))
    elif isinstance(result, CompareResult):
        for part in compare_view(result):
            console.print(part)
    elif isinstance(result, TimelineResult):
        console.print(timeline_view(result, console.width))
    elif isinstance(result, SearchResult):
        for part in search_view(result):
            console.print(part)
    elif isinstance(result, TableResult):
        console.print(plain_table(result))
    elif isinstance(result, EntryList):
        console.print(list_table(result, console.width))
    else:
        for part in entry_view(result):
            console.print(part)


# -- list ----------------------------------------------------------------------
WIDE = 140  # from this terminal width on, `list` gives titles a column of their own


def list_table(result: EntryList, width: int = 100) -> Table | Text:
    """Slug and title, place, the span of project years and the size of each
    list. Below WIDE columns, title and county share cells with slug and
    municipality, so that the table fits an 80-column terminal."""
    if not result.rows:
        return Text("Ingen oppføringer passer.", style="yellow")
    wide = width >= WIDE
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=_count(len(result.rows), result.total, "oppføringer"),
        title_justify="left",
        caption="A/S/P/M: aktiviteter, salgsargument, samarbeidspartnere, målgrupper",
        caption_justify="left",
    )
    # Most slugs fit in 30 characters: keep them whole where the terminal allows,
    # they are what `show` takes. Rich crops rather than wraps when the
    # columns' minimums overflow, so narrow terminals get narrower minimums.
    slug_width, place_width = min(30, max(14, width - 50)), min(22, max(10, width - 58))
    table.add_column("Slug" if wide else "Slug / tittel", overflow="fold", min_width=slug_width)
    if wide:
        table.add_column("Tittel", overflow="fold")
    table.add_column(
        "Kommune" if wide else "Kommune / fylke",
        overflow="fold",
        max_width=None if wide else place_width,
    )
    if wide:
        table.add_column("Fylke", overflow="fold")
    table.add_column("Periode", no_wrap=True)
    table.add_column("A/S/P/M", no_wrap=True, justify="right")
    for row in result.rows:
        table.add_row(*(_wide_cells(row) if wide else _narrow_cells(row)))
    return table


def _count(shown: int, total: int | None, noun: str) -> str:
    """A table's title: '50 av 36207 treff' when the rows were cut short."""
    return f"{shown} {noun}" if total is None else f"{shown} av {total} {noun}"


def _place(row: dict[str, Any]) -> Text:
    return t(", ".join(k["navn"] for k in row["kommuner"]) or row["region"] or "–")


def _tail(row: dict[str, Any]) -> list[Text]:
    counts = "/".join(str(row[name]) for name in LISTS)
    return [t(_span(row["prosjekter"])), t(counts)]


def _wide_cells(row: dict[str, Any]) -> list[Text]:
    title = t(row["tittel"], "" if row["komplett"] else "italic")
    return [t(row["slug"], "cyan"), title, _place(row), t(_counties(row)), *_tail(row)]


def _narrow_cells(row: dict[str, Any]) -> list[Text]:
    title = t(row["tittel"], "dim" if row["komplett"] else "dim italic")
    county = t(", ".join(row["fylker"]), "dim")
    first = Text.assemble(t(row["slug"], "cyan"), "\n", title)
    return [first, Text.assemble(_place(row), "\n", county), *_tail(row)]


def _counties(row: dict[str, Any]) -> str:
    """`Sør-Trøndelag → Trøndelag`, or one name where nothing changed."""
    old, new = ", ".join(row["fylker_2012"]), ", ".join(row["fylker"])
    if not old or old == new:
        return new or "–"
    return f"{old} → {new}"


def _span(projects: list[dict[str, Any]]) -> str:
    """All projects' years as one span, with their number: `2005–2012 (3)`."""
    starts = [p["fra"] for p in projects if p["fra"]]
    ends = [p["til"] for p in projects if p["til"]]
    if not starts and not ends:
        return "–"
    ongoing = any(p["pagaende"] for p in projects)
    first = min(starts) if starts else "?"
    last = "" if ongoing else (max(ends) if ends else "?")
    count = f" ({len(projects)})" if len(projects) > 1 else ""
    return f"{first}–{last}{count}"


# -- search -----------------------------------------------------------------------
def search_view(result: SearchResult) -> Iterator[Table | Text]:
    if not result.rows:
        yield Text("Ingen treff.", style="yellow")
        if result.hint:
            yield t(f"Hint: {result.hint}", "dim")
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=_count(len(result.rows), result.total, "treff"),
        title_justify="left",
    )
    table.add_column("Slug / tittel", overflow="fold", min_width=24)
    table.add_column("Kommune / fylke", overflow="fold", max_width=22)
    table.add_column("Treff", overflow="fold")
    for row in result.rows:
        first = Text.assemble(t(row["slug"], "cyan"), "\n", t(row["tittel"], "dim"))
        place = Text.assemble(_place(row), "\n", t(", ".join(row["fylker"]), "dim"))
        found = Text("\n").join(t(term.split(":", 1)[1], "green") for term in row["treff"])
        if row["snippet"]:
            found = Text.assemble(
                found, "\n" if row["treff"] else "", _marked(row["snippet"], result.words)
            )
        table.add_row(first, place, found)
    yield table


def _marked(text: str, words: list[str]) -> Text:
    """The snippet with the searched words in bold."""
    shown = t(text)
    for match in re.finditer(r"\S+", shown.plain):
        if any(fold(match.group()).strip(".,:;()«»\"'").startswith(w) for w in words):
            shown.stylize("bold yellow", match.start(), match.end())
    return shown


# -- compare ---------------------------------------------------------------------------
def compare_view(result: CompareResult) -> Iterator[Table | Text]:
    """A legend numbering the entries, their facts, then a table per list with a
    narrow column per entry, so that several entries fit 80 columns."""
    facts = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Oppføringer", title_justify="left")
    for column in ("", "Oppføring", "Kommune / fylke", "Prosjekter"):
        facts.add_column(column, overflow="fold")
    for number, entry in enumerate(result.entries, start=1):
        projects = "\n".join(f"{p['navn']} {period(p)}" for p in entry["prosjekter"]) or "–"
        facts.add_row(
            str(number),
            Text.assemble(t(entry["slug"], "cyan"), "\n", t(entry["tittel"], "dim")),
            Text.assemble(_place(entry), "\n", t(", ".join(entry["fylker"]), "dim")),
            t(projects),
        )
    yield facts
    for table in compare_tables(result):
        yield _marks_table(table)
    overall = result.similarity["samlet"]
    if overall is not None:
        yield Text(f"Felles termer samlet: {overall:.0%} (termer alle har / termer minst én har)")


def _marks_table(table: TableResult) -> Table:
    view = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        title=table.title,
        title_justify="left",
        caption=table.caption,
        caption_justify="left",
    )
    view.add_column("Term", overflow="fold")
    numbers = table.columns[1:]
    for number in numbers:
        view.add_column(number, justify="center", no_wrap=True)
    for row in table.rows:
        label = t(row["etikett"], "" if row["term"] else "italic dim")
        view.add_row(label, *(Text("✓", "green") if row[n] else Text("·", "dim") for n in numbers))
    return view


# -- timeline -----------------------------------------------------------------------------
def timeline_view(result: TimelineResult, width: int) -> Table | Text:
    if not result.entries:
        return Text("Ingen prosjekter med årstall.", style="yellow")
    years = result.last - result.first + 1
    label_width = min(40, max(24, width // 3))
    scale = max(1, math.ceil(years / max(10, width - label_width - 16)))
    title = f"Prosjekter {result.first}–{result.last}"
    if result.total is not None:
        title += ", " + _count(len(result.entries), result.total, "oppføringer")
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_header=True,
        title=title,
        title_justify="left",
        caption=f"█ = prosjektet pågår ({scale} år per tegn); ▶ = uten slutt",
        caption_justify="left",
    )
    table.add_column("Oppføring / prosjekt", overflow="fold", max_width=label_width)
    table.add_column("Periode", no_wrap=True)
    table.add_column(_axis(result.first, result.last, scale), no_wrap=True)
    for entry in result.entries:
        table.add_row(t(entry["slug"], "cyan bold"), Text(""), Text(""))
        for project in entry["prosjekter"]:
            table.add_row(
                t("  " + project["navn"]),
                t(period(project)),
                _bar(project, result.first, result.last, scale),
            )
    return table


def _axis(first: int, last: int, scale: int) -> str:
    """Year labels over the bars, one every ten years."""
    cells = [" "] * ((last - first) // scale + 1)
    for year in range(first, last + 1):
        if year % 10 == 0 or year == first:
            at = (year - first) // scale
            label = str(year)
            if at + len(label) <= len(cells) and all(c == " " for c in cells[at : at + len(label)]):
                cells[at : at + len(label)] = list(label)
    return "".join(cells)


def _bar(project: dict[str, Any], first: int, last: int, scale: int) -> Text:
    cells = (last - first) // scale + 1
    if project["fra"] is None:
        return Text("?" + " " * (cells - 1), "dim")
    start = (project["fra"] - first) // scale
    end = (min(project["vist_til"], last) - first) // scale
    bar = Text("·" * start, "dim")
    bar.append("█" * max(1, end - start + 1), "green")
    if project["pagaende"] and project["til"] is None:
        bar.append("▶", "green bold")
    return bar


# -- folketall ----------------------------------------------------------------------------
def folketall_view(result: FolketallResult, width: int) -> Iterator[Table | Text]:
    """A bar per year with project years marked, then the periods, then the
    plain words and the source."""
    data = result.data
    area = data["omrade"]
    yield Text.assemble(
        ("Folketall: ", "bold"),
        t(data["tittel"], "bold"),
        "\n",
        t(f"Område: {area['navn']}"),
        "\n",
        t(f"Referanse: {data['referanse']['navn']} ({data['referanse']['kommuner']} kommuner)"),
    )
    yield _population_chart(data, width)
    yield plain_table(folketall_tables(data)[1])
    for note in [*area["merknader"], *data["merknader"]]:
        yield t(note, "yellow")
    yield t(data["kilde"], "dim")


def _population_chart(data: dict[str, Any], width: int) -> Table:
    values = [row["folketall"] for row in data["serie"] if row["folketall"] is not None]
    low, high = (min(values), max(values)) if values else (0, 1)
    bar_width = max(10, min(40, width - 60))
    active: dict[int, list[str]] = {row["ar"]: [] for row in data["serie"]}
    for number, span in enumerate(data["perioder"], start=1):
        for year in range(span["under"]["fra"], span["under"]["til"]):
            active.setdefault(year, []).append(str(number))
    chart = Table(
        box=box.SIMPLE_HEAD, pad_edge=False, caption=_legend(data), caption_justify="left"
    )
    for column in ("1. jan", "folketall", "", "indeks", "ref."):
        chart.add_column(column, justify="right" if column != "" else "left", no_wrap=True)
    for row in data["serie"]:
        count = row["folketall"]
        if count is None:
            bar = Text("mangler", "dim")
        else:
            share = (count - low) / (high - low) if high > low else 1.0
            bar = Text(
                "█" * (1 + round(share * (bar_width - 1))), "cyan" if active[row["ar"]] else "blue"
            )
            if active[row["ar"]]:
                bar.append(" " + ",".join(active[row["ar"]]), "green")
        chart.add_row(
            str(row["ar"]),
            t("–" if count is None else f"{count:,}".replace(",", " ")),
            bar,
            t(row["indeks"] if row["indeks"] is not None else "–"),
            t(row["referanse_indeks"] if row["referanse_indeks"] is not None else "–"),
        )
    return chart


def _legend(data: dict[str, Any]) -> str:
    names = "; ".join(f"{n} = {p['prosjekt']}" for n, p in enumerate(data["perioder"], start=1))
    scale = (
        f"indeks: {data['indeksar']} = 100 (første prosjektstart med tall); søylene spenner fra "
        "laveste til høyeste folketall; tall i grønt: prosjekter i arbeid det året"
    )
    return f"{names}\n{scale}" if names else scale


# -- reports --------------------------------------------------------------------
def plain_table(result: TableResult) -> Table | Text:
    """Any report as a table; shares (0–1) shown as percentages with a bar."""
    if not result.rows:
        return Text(f"{result.title}: ingen rader.", style="yellow")
    table = Table(
        box=box.SIMPLE_HEAD,
        title=clean(result.title),
        title_justify="left",
        caption=clean(result.caption or ""),
        caption_justify="left",
    )
    for column in result.columns:
        numeric = isinstance(result.rows[0].get(column), int) and not column.startswith("andel")
        slug = column in ("term", "slug")  # identifiers people copy: keep them whole
        table.add_column(
            column, justify="right" if numeric else "left", overflow="fold", no_wrap=slug
        )
    for row in result.rows:
        table.add_row(*(_cell(column, row.get(column)) for column in result.columns))
    return table


SHOWN_IN_CELL = 4  # list values: this many, then "+N"


def _cell(column: str, value: Any) -> Text:
    if isinstance(value, list):
        more = f" (+{len(value) - SHOWN_IN_CELL})" if len(value) > SHOWN_IN_CELL else ""
        return t("; ".join(str(v) for v in value[:SHOWN_IN_CELL]) + more)
    if column.startswith("andel") and isinstance(value, float):
        bar = "█" * round(value * 10)
        return Text.assemble((f"{value:6.1%} ", ""), (f"{bar:<10}", "green"))
    return t("–" if value is None else value)


# -- show -----------------------------------------------------------------------
def entry_view(result: EntryDetail) -> Iterator[Any]:
    data = result.data
    where = _source_label(data["kilde"]["fil"]) if result.sources else None

    def where_of(part: str) -> str | None:
        """The file a part of a merged entry came from (core/merge.py)."""
        return _source_label(result.origins[part]) if where and part in result.origins else where

    heading = t(data["tittel"], "bold")
    if not data["komplett"]:
        heading.append("  (ufullstendig side)", style="yellow")
    yield Panel(t(data["ingress"] or "–"), title=heading, title_align="left", box=box.ROUNDED)
    yield _facts(data)
    if result.population:
        yield t(result.population, "dim")
    if data["prosjekter"]:
        yield _projects(data["prosjekter"], where_of("prosjekter"))
    for name in LISTS:
        if data[name]:
            yield _items(LIST_LABELS[name], data[name], where_of(name))
    if data["hovedmal"]:
        yield Panel(
            t("\n".join(data["hovedmal"])),
            title=LIST_LABELS["hovedmal"],
            title_align="left",
            box=box.SIMPLE,
        )
    if data["tekst"]:
        yield Panel(t(data["tekst"]), title="Tekst", title_align="left", box=box.SIMPLE)
    if data["advarsler"]:
        yield _warnings(data["advarsler"], where)


def _source_label(path: str | None) -> str:
    if not path:
        return "?"
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def _facts(data: dict[str, Any]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for kommune in data["kommuner"]:
        table.add_row("Kommune", t(_kommune(kommune)))
    if not data["kommuner"] and data["fylker"]:
        table.add_row("Fylke", t(", ".join(data["fylker"]) + _old(data)))
    rows = [
        ("Region", data["region"]),
        ("Fagområder", ", ".join(data["fagomrader"])),
        ("Komplett", "ja" if data["komplett"] else "nei"),
        ("Kilde", data["kilde"]["url"]),
    ]
    for label, value in rows:
        if value:
            table.add_row(label, t(value))
    for n, source in enumerate(data["kilde"].get("filer", [])):
        role = _(ROLE_LABELS[source["rolle"]]) if source["rolle"] in ROLE_LABELS else "?"
        label = _("Files") if n == 0 else ""
        table.add_row(label, t(f"{_source_label(source['fil'])} ({role})"))
    return table


# What kind of file each source of an entry is (core/merge.py ROLES).
ROLE_LABELS = {
    "side": N_("published page"),
    "medfulgt": N_("bundled catalog"),
    "egen": N_("maintainer's YAML entry"),
}


def _kommune(kommune: dict[str, Any]) -> str:
    """`Orkdal → Orkland 5059 Trøndelag (2012: 1638 Sør-Trøndelag)`."""
    name = kommune["navn"]
    if kommune["navn_2024"] and kommune["navn_2024"] != name:
        name += f" → {kommune['navn_2024']}"
    text = f"{name} {kommune['nummer'] or ''} {kommune['fylke'] or ''}".rstrip()
    if kommune["nummer_2012"]:
        text += f"  (2012: {kommune['nummer_2012']} {kommune['fylke_2012']})"
    return text


def _old(data: dict[str, Any]) -> str:
    old = [c for c in data["fylker_2012"] if c not in data["fylker"]]
    return f"  (2012: {', '.join(old)})" if old else ""


def _projects(projects: list[dict[str, Any]], where: str | None) -> Table:
    table = Table(title="Prosjekter", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("Prosjekt", overflow="fold")
    table.add_column("Periode", no_wrap=True)
    if where:
        table.add_column("Kilde", style="dim", overflow="fold")
    for project in projects:
        cells = [
            t(project["navn"]),
            t(period(project) + (" (pågår)" if project["pagaende"] else "")),
        ]
        if where:
            cells.append(t(f"{where}:{project['linje'] or '?'}"))
        table.add_row(*cells)
    return table


def _items(title: str, items: list[dict[str, Any]], where: str | None) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_header=False,
        min_width=len(title) + 4,
    )
    table.add_column(overflow="fold")
    if where:
        table.add_column(style="dim", overflow="fold")
    for item in items:
        text = t(item["tekst"])
        if item["avkortet"]:
            text.append(" (avkortet)", style="yellow")
        cells = [text] + ([t(f"{where}:{item['linje'] or '?'}")] if where else [])
        table.add_row(*cells)
    return table


def _warnings(warnings: list[dict[str, Any]], where: str | None) -> Table:
    table = Table(title="Advarsler", title_justify="left", box=box.SIMPLE_HEAD, show_header=False)
    table.add_column(style="yellow", overflow="fold")
    for warning in warnings:
        line = f"linje {warning['linje']}: " if warning["linje"] else ""
        prefix = f"{where}:{warning['linje'] or ''} " if where else line
        table.add_row(t(prefix + warning["melding"]))
    return table


# -- import --------------------------------------------------------------------
@contextmanager
def progress_bar() -> Iterator[Callable[[int], Callable[[Path], None]]]:
    """A progress bar on stderr; yields a function that starts it for N files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn("Importerer"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:

        def start(total: int) -> Callable[[Path], None]:
            task = bar.add_task("", total=total)

            def advance(path: Path) -> None:
                bar.update(task, advance=1, description=clean(path.name))

            return advance

        yield start


def summary_panel(counts: dict[str, int], title: str) -> Group:
    table = Table.grid(padding=(0, 2))
    styles = {"failed": "red", "added": "green", "updated": "cyan"}
    for label, count in counts.items():
        table.add_row(Text(label, style=styles.get(label, "")), str(count))
    return Group(Text(title, style="bold"), table)


def print_summary(counts: dict[str, int], title: str) -> None:
    Console(stderr=True, highlight=False).print(summary_panel(counts, title))
