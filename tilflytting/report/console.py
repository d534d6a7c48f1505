"""Human output with Rich: tables, the entry view, the import progress bar.

The only module that imports Rich (ruff's banned-api rule enforces it), and
it is imported lazily, only when a table is printed. Untrusted text never
reaches Rich as markup: every value goes in as a `Text` with control and
bidi characters removed.

Every table is laid out for the terminal's width (80 columns when piped):
labels come before codes, slugs and numbers are never wrapped, long text
wraps at word boundaries, and a table whose narrowest layout would still
split words is shown stacked instead, one record per block (`fit`).
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
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from tilflytting.core.fold import fold
from tilflytting.core.i18n import _, localise, number, percent
from tilflytting.core.model import LISTS, Entry
from tilflytting.query.results import (
    CompareResult,
    EntryDetail,
    EntryList,
    FolketallResult,
    Record,
    Result,
    SearchResult,
    SimilarResult,
    TimelineProject,
    TimelineResult,
    field,
)
from tilflytting.report.formats import clean, display
from tilflytting.report.tables import (
    COUNTS_LEGEND,
    Section,
    compare_sections,
    count_title,
    evidence_text,
    facts,
    file_rows,
    folketall_notes,
    folketall_sections,
    hits_title,
    list_counts,
    list_title,
    period,
    place_names,
    population_line,
    project_span,
    reference_text,
    sections,
)

GAP = 3  # between two columns: padding, the (blank) rule, padding
READABLE = 12  # the narrowest a wrapping column may be before the table is stacked
NO_WRAP = (
    *("slug", "number", "share", "percent", "points", "signed", "decimal", "decimal1"),
    *("mark", "period", "yesno", "bar", "lines"),
)


def t(value: Any, style: str = "") -> Text:
    """Untrusted text as a Rich Text: never parsed as markup."""
    return Text(clean(value), style=style)


def stdout() -> Console:
    # Plain strings (titles, headers) are not read as markup or emoji codes
    # either: safer, and it spares Rich's emoji table (2 ms) on every table.
    return Console(highlight=False, soft_wrap=False, markup=False, emoji=False)


class Safe:
    """A renderable whose every piece of text goes through the one
    sanitiser (core/fold.py `strip_controls`, as `clean`) on its way out,
    whatever made it: the last guard before the terminal. Rich's own
    control codes (styles, cursor moves) are not text and pass."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.inner, options):
            if segment.control or (segment.text.isascii() and segment.text.isprintable()):
                yield segment
            else:
                yield Segment(clean(segment.text), segment.style)


def print_result(result: Result) -> None:
    console = stdout()
    # One print of the whole: each print costs a render pass and a write
    # (`show` prints about 20 parts: 0.7 ms less).
    console.print(Group(*(Safe(part) for part in render(result, console.width))))


def render(result: Result, width: int) -> list[RenderableType]:
    """What the table view of `result` prints, laid out for `width` columns."""
    if isinstance(result, EntryDetail):
        return list(entry_view(result, width))
    if isinstance(result, EntryList):
        return list(list_view(result, width))
    if isinstance(result, SearchResult):
        return list(search_view(result, width))
    if isinstance(result, CompareResult):
        return list(compare_view(result, width))
    if isinstance(result, TimelineResult):
        return list(timeline_view(result, width))
    if isinstance(result, FolketallResult):
        return list(folketall_view(result, width))
    if isinstance(result, SimilarResult):
        return list(section_view(_similar_cells(sections(result)[0]), width))
    parts: list[RenderableType] = []
    for section in sections(result):
        parts += section_view(section, width)
    return parts


# -- laying out a table --------------------------------------------------------------
class Grid(Record):
    """A table before layout: headers, how each column wraps, cells."""

    headers: list[str]
    kinds: list[str]
    rows: list[list[Text]] = field(default_factory=list)
    title: str = ""
    caption: str = ""
    justify: list[str] = field(default_factory=list)
    # Cells that stand for a group (a timeline's entry): bold, alone on their line.
    group_rows: set[int] = field(default_factory=set)


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


def _longest_line(text: str) -> int:
    return max((cell_len(line) for line in text.splitlines()), default=0)


def _widths(grid: Grid) -> tuple[list[int], list[int]]:
    """Each column's narrowest width that splits no word, and its natural width."""
    low, high = [], []
    for index, (header, kind) in enumerate(zip(grid.headers, grid.kinds, strict=True)):
        cells = [row[index].plain for row in grid.rows]
        fixed = kind in NO_WRAP
        low.append(
            max(
                [_longest_word(header)]
                + [_longest_line(c) if fixed else _longest_word(c) for c in cells]
            )
        )
        high.append(max([cell_len(header)] + [_longest_line(c) for c in cells]))
    return low, high


def layout(grid: Grid, width: int) -> list[int] | None:
    """Column widths that fit `width` without splitting a word; None: none do."""
    if _fits(grid, width, natural=True):
        return _widths(grid)[1]
    return fit(grid, width)


def _fits(grid: Grid, width: int, natural: bool) -> bool:
    low, high = _widths(grid)
    return sum(high if natural else low) + GAP * (len(low) - 1) <= width


def fit(grid: Grid, width: int) -> list[int] | None:
    """Column widths that fit `width` without splitting a word (labels get
    the room first), or None when no such layout exists."""
    low, high = _widths(grid)
    room = width - GAP * (len(low) - 1)
    if sum(low) > room:
        return None
    if sum(high) <= room:
        return high
    widths = list(low)
    spare = room - sum(low)
    if spare < 0:
        return None
    wants = [h - w for h, w in zip(high, low, strict=True)]
    while spare > 0 and any(wants):
        hungry = [i for i, want in enumerate(wants) if want > 0]
        share = max(1, spare // len(hungry))
        for i in hungry:
            give = min(share, wants[i], spare)
            widths[i] += give
            wants[i] -= give
            spare -= give
            if spare == 0:
                break
    # A column of running text squeezed to a dozen characters reads worse
    # than a record per block. Labels (names, places, periods) may wrap
    # narrower: they break between words into short lines that still read.
    squeezed = [
        i
        for i, (kind, width_) in enumerate(zip(grid.kinds, widths, strict=True))
        if kind == "text" and width_ < min(high[i], READABLE)
    ]
    return None if squeezed else widths


def grid_view(grid: Grid, width: int) -> list[RenderableType]:
    """The grid as a table that fits `width`, or stacked when none fits."""
    parts: list[RenderableType] = []
    if grid.title:
        parts.append(t(grid.title, "bold"))
    widths = layout(grid, width)
    if widths is None:
        parts += _stacked(grid)
    else:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for index, (header, kind) in enumerate(zip(grid.headers, grid.kinds, strict=True)):
            justify = grid.justify[index] if grid.justify else "left"
            table.add_column(
                t(header),
                width=widths[index],
                no_wrap=kind in NO_WRAP,
                overflow="fold",
                justify=justify,  # type: ignore[arg-type]
            )
        for row in grid.rows:
            table.add_row(*(_indented(cell) for cell in row))
        parts.append(table)
    if grid.caption:
        parts.append(t(grid.caption, "dim"))
    parts.append(Text(""))
    return parts


def _indented(cell: Text) -> RenderableType:
    """A cell starting with two spaces (a project under its entry) keeps its
    indent on every line it wraps to."""
    if cell.plain.startswith("  ") and cell.plain.strip():
        return Padding(cell[2:], (0, 0, 0, 2))
    return cell


def _stacked(grid: Grid) -> list[RenderableType]:
    """One record per block: the first cell in bold, then `header: value`
    lines; Rich wraps them at word boundaries."""
    blocks: list[RenderableType] = []
    for number_, row in enumerate(grid.rows):
        if number_ in grid.group_rows:
            group = row[0].copy()
            group.stylize("bold")
            blocks.append(group)
            continue
        lines = []
        for index, (header, cell) in enumerate(zip(grid.headers, row, strict=True)):
            if index == 0:
                cell = cell.copy()
                cell.stylize("bold")
            if cell.plain.strip():
                label = f"{clean(header).replace(chr(10), ' / ')}: " if header.strip() else ""
                value = Text(" · ").join(cell.split("\n"))
                lines.append(Text.assemble((label, "dim"), value))
        blocks.append(Text("\n").join(lines))
        blocks.append(Text(""))
    return blocks


def _shown_cell(value: Any, kind: str) -> Text:
    if kind == "share" and isinstance(value, float):
        bar = "█" * round(value * 10)
        return Text.assemble((f"{display(value, kind):>7}", ""), " ", (f"{bar:<10}", "green"))
    if kind == "lines" and isinstance(value, list):
        return t("\n".join(str(v) for v in value))
    if kind == "mark":
        return Text("✓", "green") if value else Text("·", "dim")
    if kind == "slug":
        return t("–" if value in (None, "") else value, "cyan")
    return t(display(value, kind))


def section_grid(section: Section) -> Grid:
    shown = section.shown
    numeric = ("number", "percent", "points", "signed", "decimal", "decimal1")
    return Grid(
        headers=[_(c.header) for c in shown],
        kinds=[c.kind for c in shown],
        rows=[[_shown_cell(row.get(c.key), c.kind) for c in shown] for row in section.rows],
        title=section.title,
        caption=section.caption,
        justify=["right" if c.kind in numeric else "left" for c in shown],
    )


def section_view(section: Section | Grid, width: int) -> list[RenderableType]:
    grid = section if isinstance(section, Grid) else section_grid(section)
    if not grid.rows and isinstance(section, Section):
        return [t(section.title, "bold"), t(section.empty or _("No rows."), "yellow")]
    return grid_view(grid, width)


SHOWN_IN_CELL = 4  # list values in a cell: this many, then "(+N)"


def _similar_cells(section: Section) -> Grid:
    grid = section_grid(section)
    if not section.rows:
        return grid
    at = [c.key for c in section.shown].index("felles")
    for row, cells in zip(section.rows, grid.rows, strict=True):
        terms = row.get("felles") or []
        more = f" (+{len(terms) - SHOWN_IN_CELL})" if len(terms) > SHOWN_IN_CELL else ""
        cells[at] = t("; ".join(terms[:SHOWN_IN_CELL]) + more)
    return grid


# -- list ----------------------------------------------------------------------------
def _two(first: Any, second: Any, style: str = "cyan") -> Text:
    return Text.assemble(t(first, style), "\n", t(second, "dim"))


def list_view(result: EntryList, width: int) -> Iterator[RenderableType]:
    """Slug and title, place and county, the span of project years and the
    size of each list."""
    grid = Grid(
        headers=[_("Slug / title"), _("Municipality / county"), _("Period") + "\nA/S/P/M"],
        kinds=["label", "label", "label"],  # `2005–2012 (3)` may break before `(3)`
        title=count_title(len(result.entries), result.total),
        caption=_(COUNTS_LEGEND),
    )
    for entry in result.entries:
        title = t(entry.title, "dim" if entry.complete else "dim italic")
        grid.rows.append(
            [
                Text.assemble(t(entry.slug, "cyan"), "\n", title),
                _two(place_names(entry) or "–", ", ".join(entry.counties()), ""),
                Text.assemble(t(project_span(entry.projects)), "\n", t(list_counts(entry), "dim")),
            ]
        )
    yield from grid_view(grid, width)


# -- search ----------------------------------------------------------------------------
def search_view(result: SearchResult, width: int) -> Iterator[RenderableType]:
    grid = Grid(
        headers=[_("Slug / title"), _("Municipality / county"), _("Matched")],
        kinds=["label", "label", "text"],
        title=hits_title(len(result.hits), result.total),
    )
    from tilflytting.reference.vocabulary import vocabulary

    vocab = vocabulary()  # a matched term by its label; a free answer as written
    for hit in result.hits:
        found = Text("\n").join(t(vocab.label(liste, term), "green") for liste, term in hit.matched)
        if hit.snippet:
            found = Text.assemble(
                found, "\n" if hit.matched else "", _marked(hit.snippet, result.words)
            )
        entry = hit.entry
        grid.rows.append(
            [
                Text.assemble(t(entry.slug, "cyan"), "\n", t(entry.title, "dim")),
                _two(place_names(entry) or "–", ", ".join(entry.counties()), ""),
                found,
            ]
        )
    yield from grid_view(grid, width)


def _marked(text: str, words: list[str]) -> Text:
    """The snippet with the searched words in bold."""
    shown = t(text)
    for match in re.finditer(r"\S+", shown.plain):
        if any(fold(match.group()).strip(".,:;()«»\"'").startswith(w) for w in words):
            shown.stylize("bold yellow", match.start(), match.end())
    return shown


# -- compare ---------------------------------------------------------------------------
def compare_view(result: CompareResult, width: int) -> Iterator[RenderableType]:
    """A legend numbering the entries, their facts, then a table per list with a
    narrow column per entry, so that several entries fit 80 columns."""
    grid = Grid(
        headers=["", _("Entry"), _("Municipality / county"), _("Projects")],
        kinds=["slug", "label", "label", "text"],
        title=_("Entries"),
    )
    for index, entry in enumerate(result.entries, start=1):
        projects = "\n".join(f"{p.name} {period(p)}" for p in entry.projects) or "–"
        grid.rows.append(
            [
                t(str(index)),
                Text.assemble(t(entry.slug, "cyan"), "\n", t(entry.title, "dim")),
                _two(place_names(entry) or "–", ", ".join(entry.counties()), ""),
                t(projects),
            ]
        )
    yield from grid_view(grid, width)
    numbers = [str(n) for n in range(1, len(result.entries) + 1)]
    tables = compare_sections(result)
    for section in tables[:-1]:
        marks = section_grid(section)
        marks.headers = [marks.headers[0], *numbers]
        marks.justify = ["left"] + ["center"] * len(numbers)
        for row, cells in zip(section.rows, marks.rows, strict=True):
            if row.get("term") is None:
                cells[0].stylize("italic dim")
        yield from section_view(marks if section.rows else section, width)
    overall = result.similarity.get("samlet")
    if overall is not None:
        yield Text(
            _("Terms in common overall: {share} (terms all have / terms any has)").format(
                share=percent(100 * overall, 0)
            )
        )


# -- timeline -----------------------------------------------------------------------------
def timeline_view(result: TimelineResult, width: int) -> Iterator[RenderableType]:
    if not result.entries:
        yield Text(_("No projects with years."), style="yellow")
        return
    years = result.last - result.first + 1
    names = [p.name for e in result.entries for p in e.projects]
    slugs = [e.slug for e in result.entries]
    label = max(cell_len(x) for x in [*slugs, *("  " + n for n in names)])
    label_low = max([cell_len(s) for s in slugs] + [_longest_word(n) + 2 for n in names])
    period_width = max(cell_len(_("Period")), 9)
    room = width - period_width - 2 * GAP
    label = min(label, max(label_low, room - years))
    scale = max(1, math.ceil(years / max(10, room - label)))
    title = _("Projects {first}–{last}").format(first=result.first, last=result.last)
    if result.total is not None:
        title += ", " + count_title(len(result.entries), result.total)
    grid = Grid(
        headers=[_("Entry / project"), _("Period"), _axis(result.first, result.last, scale)],
        kinds=["label", "period", "bar"],
        title=title,
        caption=_("█ = project running ({scale} year per character); ▶ = no end").format(
            scale=scale
        ),
    )
    for entry in result.entries:
        grid.group_rows.add(len(grid.rows))
        grid.rows.append([t(entry.slug, "cyan bold"), Text(""), Text("")])
        for project in entry.projects:
            grid.rows.append(
                [
                    t("  " + project.name),
                    t(_period(project)),
                    _bar(project, result.first, result.last, scale),
                ]
            )
    yield from grid_view(grid, width)


def _period(project: TimelineProject) -> str:
    start = project.start or "?"
    end = "" if project.ongoing else (project.end or "?")
    return f"{start}–{end}"


def _axis(first: int, last: int, scale: int) -> str:
    """Year labels over the bars, one every ten years."""
    cells = [" "] * ((last - first) // scale + 1)
    for year in range(first, last + 1):
        if year % 10 == 0 or year == first:
            at = (year - first) // scale
            label = str(year)
            if at + len(label) <= len(cells) and all(c == " " for c in cells[at : at + len(label)]):
                cells[at : at + len(label)] = list(label)
    return "".join(cells).rstrip()


def _bar(project: TimelineProject, first: int, last: int, scale: int) -> Text:
    cells = (last - first) // scale + 1
    if project.start is None or project.shown_to is None:
        return Text("?" + " " * (cells - 1), "dim")
    start = (project.start - first) // scale
    end = (min(project.shown_to, last) - first) // scale
    bar = Text("·" * start, "dim")
    bar.append("█" * max(1, end - start + 1), "green")
    if project.ongoing and project.end is None:
        bar.append("▶", "green bold")
    return bar


# -- folketall ----------------------------------------------------------------------------
def folketall_view(result: FolketallResult, width: int) -> Iterator[RenderableType]:
    """A bar per year with project years marked, then the periods, then the
    plain words and the source."""
    yield Text.assemble(
        (_("Population: "), "bold"),
        t(result.title, "bold"),
        "\n",
        t(_("Area: {area}").format(area=result.area)),
        "\n",
        t(
            _("Reference: {name} ({count} municipalities)").format(
                name=reference_text(result.reference_name), count=result.reference_count
            )
        ),
    )
    notes = folketall_notes(result)
    if result.group is not None:
        yield t(notes.pop(0))  # the comparison group's line
    yield from _population_chart(result, width)
    tables = folketall_sections(result)
    yield from section_view(tables[1], width)
    if result.group is not None and result.group.details:
        yield from section_view(tables[-1], width)
    for note in notes[:-1]:
        yield t(note, "yellow")
    yield t(notes[-1], "dim")


def _population_chart(result: FolketallResult, width: int) -> list[RenderableType]:
    # Bars for the figures on the area's own (2012) borders; later borders
    # are another area, named instead of drawn on the same scale.
    values = [
        p.population
        for p in result.series
        if p.population is not None and p.borders == result.borders
    ]
    low, high = (min(values), max(values)) if values else (0, 1)
    active: dict[int, list[str]] = {p.year: [] for p in result.series}
    for index, span in enumerate(result.periods, start=1):
        for year in range(span.during.start, span.during.end):
            active.setdefault(year, []).append(str(index))
    marks = max((len(",".join(v)) + 1 for v in active.values()), default=0)
    headers = [_("1 Jan."), _("Population"), "", _("Index"), _("Ref."), _("Group")]
    fixed = sum(max(cell_len(h), 7) for h in headers if h) + GAP * 5
    bar_width = max(3, min(40, width - fixed - marks))
    grid = Grid(
        headers=headers,
        # The bar column may wrap its words ("borders of 2020") on a narrow terminal.
        kinds=["slug", "number", "text", "decimal1", "decimal1", "decimal1"],
        justify=["right", "right", "left", "right", "right", "right"],
        caption="\n".join(_legend(result)),
    )
    for point in result.series:
        count = point.population
        if count is None:
            bar = Text(_("missing"), "dim")
        elif point.borders != result.borders:
            bar = Text(_("borders of {year}").format(year=point.borders), "yellow")
        else:
            share = (count - low) / (high - low) if high > low else 1.0
            bar = Text(
                "█" * (1 + round(share * (bar_width - 1))),
                "cyan" if active[point.year] else "blue",
            )
            if active[point.year]:
                bar.append(" " + ",".join(active[point.year]), "green")
        grid.rows.append(
            [
                t(point.year),
                t(display(count, "number")),
                bar,
                t(display(point.indexed, "decimal1")),
                t(display(point.reference_index, "decimal1")),
                t(display(point.group_index, "decimal1")),
            ]
        )
    return grid_view(grid, width)


def _legend(result: FolketallResult) -> list[str]:
    names = "; ".join(f"{n} = {p.project}" for n, p in enumerate(result.periods, start=1))
    scale = _(
        "index: {year} = 100 (the first project start with figures); Group: the comparison "
        "group's median; the bars span the lowest to the highest population; numbers in "
        "green: projects at work that year"
    ).format(year=result.index_year)
    return [names, scale] if names else [scale]


# -- show -----------------------------------------------------------------------
def entry_view(result: EntryDetail, width: int) -> Iterator[RenderableType]:
    entry = result.entry
    where = _source_label(entry.source.path if entry.source else None) if result.sources else None

    def where_of(part: str) -> str | None:
        """The file a part of a merged entry came from (core/merge.py)."""
        if where and part in result.origins:
            return _source_label(result.origins[part])
        return where

    heading = t(entry.title, "bold")
    if not entry.complete:
        heading.append("  " + _("(incomplete page)"), style="yellow")
    yield heading
    if entry.lead:
        yield t(entry.lead)
    yield Text("")
    yield from _facts(entry, width)
    if result.population:
        yield t(population_line(result.population), "dim")
    yield Text("")
    if where and entry.places:
        yield from _evidence(entry, where_of("kommuner") or where, width)
    if entry.projects:
        at = where_of("prosjekter")
        grid = Grid(
            headers=[_("Project"), _("Period")] + ([_("Source")] if at else []),
            kinds=["label", "period"] + (["slug"] if at else []),
            title=_("Projects"),
        )
        for project in entry.projects:
            cells = [
                t(project.name),
                t(period(project) + (" " + _("(ongoing)") if project.ongoing else "")),
            ]
            if at:
                cells.append(t(f"{at}:{project.line or '?'}", "dim"))
            grid.rows.append(cells)
        yield from grid_view(grid, width)
    for name in LISTS:
        items = entry.lists[name]
        if items:
            yield from _items(
                list_title(name),
                [(i.text, i.line, i.truncated) for i in items],
                where_of(name),
                width,
            )
    if entry.main_goal:
        yield from _items(
            list_title("hovedmal"),
            [(i.text, i.line, False) for i in entry.main_goal],
            where_of("hovedmal"),
            width,
        )
    if entry.text:
        yield Text(_("Text"), style="bold")
        yield t(entry.text)
        yield Text("")
    if entry.problems:
        yield Text(_("Warnings"), style="bold")
        for problem in entry.problems:
            line = (
                f"{where}:{problem.line or ''} "
                if where
                else (_("line {line}: ").format(line=problem.line) if problem.line else "")
            )
            yield t(line + localise(problem.message), "yellow")


def _source_label(path: str | None) -> str:
    """A source file as `show` names it: relative to the working folder, or
    absolute when outside it; a file of the bundled catalog that lies outside
    it as `data/catalog/NAME` (where the package keeps it: the same on every
    machine)."""
    if not path:
        return "?"
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        relative = path
    if relative.startswith(os.pardir):
        from tilflytting.reference.catalog import catalog_dir

        folder = catalog_dir()
        if os.path.dirname(path) == os.path.realpath(folder):
            return f"{folder.parent.name}/{folder.name}/{os.path.basename(path)}"
        return path  # elsewhere outside the working folder: where it is, not ../../
    return relative


def _facts(entry: Entry, width: int) -> list[RenderableType]:
    """Label and value side by side; a value with a word too long for the
    room beside the labels (a web address) goes on a line of its own."""
    rows = facts(entry) + file_rows(entry, _source_label)
    label_width = max((cell_len(label) for label, _value in rows), default=0)
    parts: list[RenderableType] = []
    table: Table | None = None
    for label, value in rows:
        if _longest_word(value) > width - label_width - 2:
            table = None
            # A label of its own line; a row with none (a second file) needs no line.
            parts.append(Text.assemble((label, "bold"), "\n", t(value)) if label else t(value))
            continue
        if table is None:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, min_width=label_width)
            table.add_column(overflow="fold")
            parts.append(table)
        table.add_row(t(label), t(value))
    return parts


def _evidence(entry: Entry, where: str, width: int) -> list[RenderableType]:
    """Each place with what it was read from: `Verran  title  FILE:3`."""
    grid = Grid(
        headers=[_("Place"), _("Evidence"), _("Source")],
        kinds=["label", "label", "slug"],
        title=_("Places and their evidence"),
    )
    for place in entry.places:
        name = place.name or place.fylke_2012 or place.fylke_2024 or "?"
        grid.rows.append(
            [t(name), t(evidence_text(place.evidence)), t(f"{where}:{place.line or '?'}", "dim")]
        )
    return grid_view(grid, width)


def _items(
    title: str, items: list[tuple[str, int | None, bool]], where: str | None, width: int
) -> list[RenderableType]:
    grid = Grid(
        headers=[title] + ([_("Source")] if where else []),
        kinds=["label"] + (["slug"] if where else []),
    )
    for text, line, truncated in items:
        cell = t(text)
        if truncated:
            cell.append(" " + _("(cut off)"), style="yellow")
        grid.rows.append([cell] + ([t(f"{where}:{line or '?'}", "dim")] if where else []))
    return grid_view(grid, width)


# -- import --------------------------------------------------------------------
@contextmanager
def progress_bar() -> Iterator[Callable[[int], Callable[[Path], None]]]:
    """A progress bar on stderr; yields a function that starts it for N files."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    bar = Progress(
        TextColumn(_("Importing")),
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


def summary_panel(counts: list[tuple[str, str, int]], title: str) -> Group:
    """(key, label, count) rows: the key chooses the colour."""
    table = Table.grid(padding=(0, 2))
    styles = {"failed": "red", "added": "green", "updated": "cyan"}
    for key, label, count in counts:
        table.add_row(t(label, styles.get(key, "")), number(count))
    return Group(t(title, "bold"), table)


def print_wrapped(lines: list[str]) -> None:
    """Messages on stderr, each wrapped at word boundaries."""
    console = Console(stderr=True, highlight=False, markup=False, emoji=False)
    for line in lines:
        console.print(Safe(t(line)))


def print_summary(counts: list[tuple[str, str, int]], title: str) -> None:
    Console(stderr=True, highlight=False).print(Safe(summary_panel(counts, title)))
