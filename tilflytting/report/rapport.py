"""`rapport`: the report of the catalog, or of the entries the filters
choose, as Markdown and as one self-contained HTML file, with its figures as
SVG and the table behind every figure as CSV.

The report is first built as a list of blocks (headings, paragraphs, tables,
figures) from the typed results of the query layer; then one writer turns
the blocks into Markdown and another into HTML. Every piece of text passes
through its writer's escaping on the way out (Markdown: `md_text` and
`formats.md`; HTML: `html.escape`), so a hostile title is shown as text in
both, with no template to forget a filter in. The tables are the same
`Section`s the other commands print (report/tables.py), so the CSV files are
written by the one CSV writer.

Reproducible: the same catalog, figures and filters give the same files,
byte for byte (no dates; the SVG's ids and metadata fixed in figures.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from tilflytting import __version__
from tilflytting.core.collate import sort_key
from tilflytting.core.i18n import N_, _, language, localise, ngettext, number
from tilflytting.core.model import LISTS
from tilflytting.core.names import FALLBACK, MAX_LENGTH, safe_name
from tilflytting.query.lookup import QueryError
from tilflytting.query.results import FolketallResult, RapportResult, SummaryResult
from tilflytting.report.files import write_folder
from tilflytting.report.formats import clean, display, markdown_table, md, write_csv
from tilflytting.report.tables import (
    Column,
    Section,
    folketall_sections,
    group_line,
    list_title,
    reference_text,
    signed,
    summary_sections,
    timeline_section,
)

FIGURES = "figurer"  # folder of the SVG files, beside rapport.md
TABLES = "tabeller"  # folder of the CSV files
INSTALL = 'pip install "tilflytting[rapport]"'


class RapportError(QueryError):
    """A report that cannot be written as asked (one line for the user)."""


# -- the blocks of a report ---------------------------------------------------------------
@dataclass
class Heading:
    text: str
    level: int = 2


@dataclass
class Paragraph:
    text: str
    note: bool = False  # a remark set apart (a caveat, a missing extra)


@dataclass
class Table:
    key: str  # its CSV file: tabeller/{key}.csv
    section: Section


@dataclass
class Figure:
    key: str  # figurer/{key}.svg, and the numbers behind it in tabeller/{key}.csv
    title: str
    table: Section
    svg: str | None = None
    csv: str = ""  # the numbers' file, when a table of the report holds them (not `key`)

    @property
    def numbers(self) -> str:
        return self.csv or self.key


Block = Heading | Paragraph | Table | Figure


@dataclass
class Report:
    title: str
    blocks: list[Block] = field(default_factory=list)
    figures: bool = False  # drawn (matplotlib was there)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    @property
    def tables(self) -> list[tuple[str, Section]]:
        """Every table and every figure's table, by file name, once each."""
        found: dict[str, Section] = {}
        for block in self.blocks:
            if isinstance(block, Figure):
                found.setdefault(block.numbers, block.table)
            elif isinstance(block, Table):
                found.setdefault(block.key, block.section)
        return list(found.items())


@dataclass
class Written:
    """What `rapport` wrote: files, and Markdown for stdout."""

    files: list[Path] = field(default_factory=list)
    text: str | None = None
    figures: bool = False
    folder: Path | None = None


# -- building the report -----------------------------------------------------------------
def build(result: RapportResult, files: bool = True) -> Report:
    """The report's blocks; with `files` (written to a folder), the figures
    are drawn when matplotlib is there."""
    from tilflytting.report import figures as charts

    drawing = files and charts.available()
    report = Report(_("In-migration work in rural Norway: a report"), figures=drawing)
    report.add(Paragraph(_intro(result)))
    if not files:
        report.add(
            Paragraph(_("The figures and the CSV files are written with --out DIR."), note=True)
        )
    elif not drawing:
        report.add(
            Paragraph(
                _("The figures are left out: they need matplotlib ({command}).").format(
                    command=INSTALL
                ),
                note=True,
            )
        )
    _selection(report, result, drawing)
    _what_they_do(report, result.summary, drawing)
    _population(report, result, drawing)
    _method(report, result)
    return report


def _intro(result: RapportResult) -> str:
    chosen = (
        "; ".join(f"{option} {value}".strip() for option, value in result.selection)
        if result.selection
        else _("the whole catalog")
    )
    return _(
        "The entries of «Katalog over tilflyttingsarbeid i distriktene» (Distriktssenteret, "
        "2012) that this selection chooses: what they are, what they do, and how the "
        "population of their areas changed while the work went on. Selection: {selection}."
    ).format(selection=chosen)


def _n(text: str, count: int) -> str:
    """A message of ngettext filled in with the count written the language's way."""
    return text.format(count=number(count))


# 1. the selection
def _selection(report: Report, result: RapportResult, drawing: bool) -> None:
    summary = result.summary
    report.add(Heading(_("1. The selection")))
    entries = _n(ngettext("{count} entry", "{count} entries", summary.entries), summary.entries)
    report.add(
        Paragraph(
            ngettext(
                "{entries} names {kommuner} (on the borders of 2012), in {fylker_2012} of 2012 "
                "({fylker_2024} of today).",
                "{entries} name {kommuner} (on the borders of 2012), in {fylker_2012} of 2012 "
                "({fylker_2024} of today).",
                summary.entries,
            ).format(
                entries=entries,
                kommuner=_n(
                    ngettext("{count} municipality", "{count} municipalities", summary.kommuner),
                    summary.kommuner,
                ),
                fylker_2012=_n(
                    ngettext("{count} county", "{count} counties", summary.fylker_2012),
                    summary.fylker_2012,
                ),
                fylker_2024=_n(
                    ngettext("{count} county", "{count} counties", summary.fylker_2024),
                    summary.fylker_2024,
                ),
            )
            + " "
            + _n(
                ngettext(
                    "{count} of the published pages was cut off before the end: its lists may be "
                    "incomplete.",
                    "{count} of the published pages were cut off before the end: their lists may "
                    "be incomplete.",
                    len(result.cut_off),
                ),
                len(result.cut_off),
            )
        )
    )
    measures = [
        ("oppforinger", _("entries"), summary.entries),
        ("kommuner", _("municipalities (2012)"), summary.kommuner),
        ("regioner", _("regions named"), len(result.regions)),
        ("fylker_2012", _("counties (2012)"), summary.fylker_2012),
        ("fylker_2024", _("counties (2024)"), summary.fylker_2024),
        ("prosjekter", _("projects"), result.projects),
        ("avkortet", _("pages cut off"), len(result.cut_off)),
    ]
    report.add(
        Table(
            "utvalget",
            Section(
                "utvalget",
                _("The selection in numbers"),
                [
                    Column("mal", N_("Measure"), "slug", table=False),
                    Column("etikett", N_("Measure"), "label", csv=False),
                    Column("antall", N_("Count"), "number"),
                ],
                [{"mal": k, "etikett": label, "antall": n} for k, label, n in measures],
                _("Regions: {names}").format(names=", ".join(result.regions))
                if result.regions
                else "",
            ),
        )
    )
    report.add(Heading(_("Project periods"), 3))
    report.add(
        Paragraph(
            _(
                "Each bar is a project, from 1 January of its first year to the end of its "
                "last; a project with no end year runs to {year}, the year it is counted to. "
                "Projects without a readable start year are not drawn."
            ).format(year=result.end_year)
        )
    )
    figure = Figure("tidslinje", _("Project periods"), timeline_section(result.timeline))
    if drawing and any(p.start for e in result.timeline.entries for p in e.projects):
        from tilflytting.report import figures as charts

        figure.svg = charts.timeline(result.timeline)
    report.add(figure)
    years = next(s for s in summary_sections(summary) if s.key == "prosjekter")
    report.add(Table("prosjekter_per_ar", years))


# 2. what they do
def _what_they_do(report: Report, summary: SummaryResult, drawing: bool) -> None:
    report.add(Heading(_("2. What they do")))
    report.add(
        Paragraph(
            _n(
                ngettext(
                    "The survey behind the catalog gave four lists of answers to tick. Each "
                    "table and figure shows how many entries chose each answer and their "
                    "share of the selection's {count} entry; answers in an entry's own words, "
                    "which no answer of the list covers, are counted apart as free text.",
                    "The survey behind the catalog gave four lists of answers to tick. Each "
                    "table and figure shows how many entries chose each answer and their "
                    "share of all {count} entries; answers in an entry's own words, which no "
                    "answer of the list covers, are counted apart as free text.",
                    summary.entries,
                ),
                summary.entries,
            )
        )
    )
    tables = {s.key: s for s in summary_sections(summary)}
    for liste in LISTS:
        if liste not in summary.lists:
            continue
        section = tables[liste]
        report.add(Heading(list_title(liste), 3))
        # The numbers as a table too (issue 21): the figure is drawn only
        # with --out and matplotlib, and is no text to read or copy.
        figure = Figure(liste, section.title, section, csv=liste)
        if drawing:
            from tilflytting.report import figures as charts

            free = summary.free[liste]
            share = round(free.entries / summary.entries, 3) if summary.entries else 0.0
            figure.svg = charts.term_bars(
                section.title, summary.lists[liste], (free.entries, share)
            )
        report.add(figure)
        report.add(Table(liste, section))
    if summary.cross is None:
        return
    report.add(Heading(_("Answers by county (2012)"), 3))
    report.add(
        Paragraph(
            _(
                "The same answers by the county the entries' municipalities lay in in 2012: "
                "the entries with the answer, and their share of the county's entries. An "
                "entry in two counties counts in both."
            )
        )
    )
    for liste, rows in summary.cross.items():
        report.add(Table(f"fylker_{liste}", _cross_section(liste, rows)))


def _cross_section(liste: str, rows: list[Any]) -> Section:
    groups = sorted(rows[0].groups, key=sort_key) if rows else []
    columns = [
        Column("liste", N_("List"), "slug", table=False),
        Column("etikett", N_("Answer"), "label"),
        Column("term", N_("Slug"), "slug", table=False),
    ]
    for group in groups:
        columns += [
            Column(f"{group}_vist", group, "slug", csv=False),
            Column(group, group, "number", table=False),
            Column(f"{group}_andel", group, "share", table=False),
        ]
    shown = []
    for row in rows:
        cells: dict[str, Any] = {"liste": liste, "etikett": row.label, "term": row.term}
        for group in groups:
            count = row.groups[group]
            cells[group] = count.entries
            cells[f"{group}_andel"] = count.share
            cells[f"{group}_vist"] = (
                f"{count.entries} ({display(count.share, 'share')})" if count.entries else "·"
            )
        shown.append(cells)
    return Section(
        f"fylker_{liste}",
        _("{list} by county (2012)").format(list=list_title(liste)),
        columns,
        shown,
        _("entries with the answer (share of the county's entries)"),
    )


# 3. population
def _population(report: Report, result: RapportResult, drawing: bool) -> None:
    growth = result.summary.growth
    assert growth is not None
    report.add(Heading(_("3. Population")))
    report.add(
        Paragraph(
            _(
                "Population on 1 January each year (SSB table 07459), counted on the borders of "
                "2012: an entry's municipalities as they were then. For each entry with "
                "figures, its change from 1 January of its first project year to 1 January "
                "after its last is set beside two others over the same years: the rest of its "
                "2012 county (the reference), and a comparison group of 2012 municipalities "
                "with no entry in the catalog, with between half and twice the area's "
                "population at the start, in the same 2012 county (all of Norway when fewer "
                "than five qualify there)."
            )
        )
    )
    groups = [f.group for f in result.population if f.group and f.group.difference is not None]
    above = sum(1 for g in groups if g.difference is not None and g.difference > 0)
    words = [
        _n(
            ngettext(
                "{count} entry has figures for its project years",
                "{count} entries have figures for their project years",
                growth.with_figures,
            ),
            growth.with_figures,
        )
        + " "
        + _n(
            ngettext(
                "({count} has none: no project year given, or none since 2005).",
                "({count} have none: no project year given, or none since 2005).",
                growth.without_figures,
            ),
            growth.without_figures,
        ),
        _n(ngettext("{count} grew;", "{count} grew;", growth.grew), growth.grew)
        + " "
        + _n(
            ngettext(
                "{count} grew more than the rest of its county.",
                "{count} grew more than the rest of their county.",
                growth.better,
            ),
            growth.better,
        ),
    ]
    if groups:
        words.append(
            ngettext(
                "Of the {count} entry with a comparison group, {above} grew more than the "
                "group's median.",
                "Of the {count} entries with a comparison group, {above} grew more than their "
                "group's median.",
                len(groups),
            ).format(count=number(len(groups)), above=number(above))
        )
    else:
        words.append(_("No entry has a comparison group."))
    report.add(Paragraph(" ".join(words)))
    overview = _population_section(result)
    figure = Figure(
        "folketall_forskjell",
        _("Each entry's change against its comparison group"),
        overview,
        csv="folketall_oppforinger",
    )
    if drawing and groups:
        from tilflytting.report import figures as charts

        figure.svg = charts.differences(
            [
                (f.title, f.group.difference)
                for f in result.population
                if f.group is not None and f.group.difference is not None
            ]
        )
    report.add(figure)
    report.add(Table("folketall_oppforinger", overview))
    for entry in result.population:
        _entry_population(report, entry, drawing)


def _population_section(result: RapportResult) -> Section:
    """One row per entry with figures: its change, the reference's (from
    `summarise --folketall`), and its comparison group (from `folketall`)."""
    growth = result.summary.growth
    assert growth is not None
    groups = {f.slug: f.group for f in result.population}
    rows = []
    for entry in sorted(growth.entries, key=lambda e: (sort_key(e.title), e.slug)):
        group = groups.get(entry.slug)
        rows.append(
            {
                "slug": entry.slug,
                "tittel": entry.title,
                "omrade": entry.area,
                "fra": entry.start,
                "til": entry.end,
                "periode": f"{entry.start}–{entry.end}",
                "grenser": entry.borders,
                "endring_prosent": entry.percent,
                "referanse_prosent": entry.reference_percent,
                "differanse_prosentpoeng": entry.difference,
                "gruppe_omfang": group.scope if group else None,
                "gruppe_antall": len(group.members) if group and group.members else None,
                "gruppe_median_prosent": group.median if group else None,
                "gruppe_nedre_kvartil_prosent": group.lower_quartile if group else None,
                "gruppe_ovre_kvartil_prosent": group.upper_quartile if group else None,
                "differanse_gruppe_prosentpoeng": group.difference if group else None,
            }
        )
    section = Section(
        "folketall_oppforinger",
        _("Population over the project years"),
        [
            Column("slug", N_("Slug"), "slug", table=False),
            Column("tittel", N_("Entry"), "label"),
            Column("omrade", N_("Area"), table=False),
            Column("fra", N_("From"), "number", table=False),
            Column("til", N_("To"), "number", table=False),
            Column("periode", N_("1 Jan. to 1 Jan."), "period"),
            Column("grenser", N_("Borders"), "slug", table=False),
            Column("endring_prosent", N_("Change"), "percent"),
            Column("referanse_prosent", N_("Rest of county"), "percent"),
            Column("differanse_prosentpoeng", N_("Difference"), "points", table=False),
            Column("gruppe_omfang", N_("Group from"), "slug", table=False),
            Column("gruppe_antall", N_("Group size"), "number"),
            Column("gruppe_median_prosent", N_("Group median"), "percent"),
            Column("gruppe_nedre_kvartil_prosent", N_("Lower quartile"), "percent", table=False),
            Column("gruppe_ovre_kvartil_prosent", N_("Upper quartile"), "percent", table=False),
            Column("differanse_gruppe_prosentpoeng", N_("From the group"), "points"),
        ],
        rows,
        _(
            "Change: 1 January of the first project year to 1 January after the last; "
            "From the group: the change less the group's median, in percentage points"
        ),
    )
    return signed(section, "endring_prosent", "referanse_prosent", "gruppe_median_prosent")


def _entry_population(report: Report, entry: FolketallResult, drawing: bool) -> None:
    report.add(Heading(entry.title, 3))
    words = [_("Area: {area}; reference: {name}.").format(
        area=entry.area, name=reference_text(entry.reference_name)
    )]  # fmt: skip
    if entry.group is not None:
        words.append(group_line(entry.group, entry.area))
    report.add(Paragraph(" ".join(words)))
    series, periods, *_rest = folketall_sections(entry)
    figure = Figure(f"folketall_{_file_key(entry.slug)}", entry.title, series)
    if drawing:
        from tilflytting.report import figures as charts

        figure.svg = charts.population(entry)
    report.add(figure)
    report.add(Table(f"perioder_{_file_key(entry.slug)}", periods))
    for note in [*entry.area_notes, *entry.notes[1:]]:  # the first is the general caveat
        report.add(Paragraph(localise(note), note=True))


def _file_key(slug: str) -> str:
    """A slug as part of a file name (`folketall_SLUG.svg`): a safe name
    (core/names.py), cut so that the whole name stays within the rule's
    length (a slug an older version stored may break the rule)."""
    return safe_name(slug)[: MAX_LENGTH - len("folketall_")].strip("-") or FALLBACK


# 4. method
def _method(report: Report, result: RapportResult) -> None:
    report.add(Heading(_("4. Method, limits and sources")))
    report.add(Heading(_("How the numbers are made"), 3))
    for text in (
        _(
            "Counts and shares: an entry counts once for each answer it gives; a share is "
            "the entries with the answer over all entries of the selection. The answers are "
            "the catalog's own lists, matched to a fixed vocabulary; anything else is free "
            "text."
        ),
        _(
            "Population: SSB's figure for 1 January, summed over the entry's municipalities "
            "as they were in 2012 (a regional entry: the region's members; an entry naming "
            "only a county: the whole county). A project that ran 2008–2012 is measured from "
            "1 January 2008 to 1 January 2013. After a merger a municipality's figures go on "
            "for the larger area, and no change is measured across two borders."
        ),
        _(
            "Index: the population as a share of the figure on 1 January of the first "
            "project year, times 100. The group's line is the median of its members' "
            "indexes, drawn while every member is on its starting borders."
        ),
        _(
            "Comparison group: the 2012 municipalities that no entry of the catalog names, "
            "outside the area, with between half and twice its population on 1 January of "
            "the first project year and figures on the same borders at both ends, in the "
            "area's 2012 county; when fewer than five qualify there, in all of Norway. Its "
            "median is the middle change, the quartiles the changes a quarter from each end; "
            "a difference is the entry's change less the median, in percentage points."
        ),
    ):
        report.add(Paragraph(text))
    report.add(Heading(_("Limits"), 3))
    for text in (
        _(
            "The catalog is not a census of all in-migration work: it holds the initiatives "
            "described in Distriktssenteret's catalog around 2012, and many municipalities "
            "worked to attract residents without being in it."
        ),
        _(
            "The municipalities in a comparison group have no entry in the catalog, but may "
            "have had initiatives of their own."
        ),
        _(
            "None of this shows cause. People move for many reasons (work, housing, family, "
            "the economy), and a difference from the reference or the group is no proof that "
            "the work had an effect, nor that it had none. In a small municipality a handful "
            "of people moves the percentages."
        ),
    ):
        report.add(Paragraph(text))
    report.add(Heading(_("Sources"), 3))
    report.add(
        Paragraph(
            _(
                "Population: Statistics Norway (SSB), StatBank table 07459, 1 January "
                "2005–{last}, under the Norwegian Licence for Open Government Data (NLOD 2.0)."
            ).format(last=result.last_year)
        ),
        Paragraph(
            _(
                "The catalog: Distriktssenteret, «Katalog over tilflyttingsarbeid i "
                "distriktene» (2012); the facts of its pages as read by tilflytting {version}. "
                "Municipalities and counties: SSB's classification of municipalities (KLASS "
                "131)."
            ).format(version=__version__)
        ),
        Paragraph(
            _(
                "Made with tilflytting {version} (the command tilflytting rapport). The "
                "numbers behind each figure and table are in the folder {tables} beside this "
                "report, as CSV."
            ).format(version=__version__, tables=TABLES)
        ),
    )


# -- Markdown -------------------------------------------------------------------------------
_MD_TEXT = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~#&"})


def md_text(value: Any) -> str:
    """Running text for Markdown: no markup, link or HTML can come through,
    and the text stays readable (parentheses and signs are left alone, but a
    line never starts a list or a quote)."""
    text = clean(value).replace("\n", " ").translate(_MD_TEXT)
    return "\\" + text if text[:1] in ("+", "-", "=") else text


def markdown(report: Report, files: bool) -> str:
    """The report as Markdown; `files`: with the figures and the CSV files
    beside it (as `--out` writes them)."""
    out = [f"# {md_text(report.title)}", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + md_text(block.text), ""]
        elif isinstance(block, Paragraph):
            out += [f"_{md_text(block.text)}_" if block.note else md_text(block.text), ""]
        elif isinstance(block, Table):
            out += [_markdown_section(block.section, block.key, files), ""]
        elif files and block.svg is not None:
            out += [f"![{md(block.title)}]({FIGURES}/{block.key}.svg)", ""]
            caption = md_text(_("Figure: {title}.").format(title=block.title))
            out += [caption + ("" if block.csv else " " + _csv_link(block.key)), ""]
        elif files and not block.csv:
            out += [_csv_link(block.key), ""]
    return "\n".join(out).rstrip() + "\n"


def _markdown_section(section: Section, key: str, files: bool) -> str:
    text = f"**{md(section.title)}**\n\n" + markdown_table(section)
    if section.caption and section.rows:
        text += "".join(f"\n_{md_text(line)}_\n" for line in section.caption.splitlines())
    if files:
        text += "\n" + _csv_link(key) + "\n"
    return text


def _csv_link(key: str) -> str:
    label = md_text(_("Numbers"))
    return f"{label}: [{TABLES}/{key}.csv]({TABLES}/{key}.csv)"


# -- HTML ------------------------------------------------------------------------------------
CSS = """
:root { --ink: #1b1b1b; --muted: #4a4a4a; --accent: #00457d; --line: #c8c8c8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, sans-serif; color: var(--ink); background: #fff;
       max-width: 62rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; line-height: 1.2; }
h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--accent); }
h3 { margin-top: 1.8rem; }
a { color: var(--accent); }
.note { color: var(--muted); font-style: italic; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; display: block; }
figcaption, .numbers { color: var(--muted); font-size: .9rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .55rem; text-align: left;
         vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
@media print { h2 { break-before: page; } figure, table { break-inside: avoid; } }
"""
NUMERIC = ("number", "share", "percent", "points", "signed", "decimal", "decimal1")


def _e(value: Any) -> str:
    return escape(clean(value), quote=True)


def html(report: Report) -> str:
    """The report as one HTML file: CSS inline, each figure an SVG image
    inside the file (a data: address, so that nothing in a figure can run),
    no script and nothing fetched."""
    parts = [f"<h1>{_e(report.title)}</h1>"]
    for block in report.blocks:
        if isinstance(block, Heading):
            level = min(block.level, 6)
            parts.append(f"<h{level}>{_e(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            css = ' class="note"' if block.note else ""
            parts.append(f"<p{css}>{_e(block.text)}</p>")
        elif isinstance(block, Table):
            parts.append(_html_table(block.section, block.key))
        elif block.svg is not None:
            caption = _e(_("Figure: {title}.").format(title=block.title))
            from tilflytting.report.figures import data_address

            parts.append(
                f'<figure id="figur-{_e(block.key)}"><img src="{data_address(block.svg)}" '
                f'alt="{_e(block.title)}"><figcaption>{caption}'
                f"{'' if block.csv else ' ' + _html_csv(block.key)}</figcaption></figure>"
            )
        elif not block.csv:
            parts.append(f'<p class="numbers">{_html_csv(block.key)}</p>')
    body = "\n".join(parts)
    return f"""<!doctype html>
<html lang="{language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tilflytting {_e(__version__)}">
<title>{_e(report.title)}</title>
<style>{CSS}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _html_csv(key: str) -> str:
    path = _e(f"{TABLES}/{key}.csv")
    label = _e(_("Numbers"))
    return f'{label}: <a href="{path}">{path}</a>'


def _html_table(section: Section, key: str) -> str:
    shown = section.shown
    if not section.rows:
        empty = _e(section.empty or _("No rows."))
        return f'<p>{_e(section.title)}: {empty}</p><p class="numbers">{_html_csv(key)}</p>'
    head = "".join(f'<th scope="col">{_e(_(c.header))}</th>' for c in shown)
    rows = "".join(
        "<tr>" + "".join(_html_cell(row.get(c.key), c.kind) for c in shown) + "</tr>"
        for row in section.rows
    )
    caption = _e(" ".join(section.caption.split()))  # its lines as one, escaped once
    return (
        f'<div class="table"><table><caption>{_e(section.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        f'<p class="numbers">{caption}{" " if caption else ""}{_html_csv(key)}</p>'
    )


def _html_cell(value: Any, kind: str) -> str:
    css = ' class="num"' if kind in NUMERIC else ""
    return f"<td{css}>{_e(display(value, kind))}</td>"


# -- writing -------------------------------------------------------------------------------
def write(result: RapportResult, out: Path | None, to_stdout: bool, force: bool = False) -> Written:
    """Write the report into folder `out` (rapport.md, rapport.html, the
    figures, the CSV files) and/or return its Markdown for stdout. The
    folder is written as an export's is (report/files.py): whole or not at
    all, and not into a folder of other files without `force`."""
    if out is None and not to_stdout:
        raise RapportError(_("give a folder with --out DIR, or --format markdown for stdout"))
    report = build(result, files=out is not None)
    written = Written(figures=report.figures, folder=out)
    if out is not None:
        written.files = write_folder(out, _files(report), force, kind="rapport")
    if to_stdout:
        written.text = markdown(report, files=out is not None)
    return written


def _files(report: Report) -> dict[str, str]:
    """The report's files, by their path in the folder."""
    files = {"rapport.md": markdown(report, files=True), "rapport.html": html(report)}
    for block in report.blocks:
        if isinstance(block, Figure) and block.svg is not None:
            files[f"{FIGURES}/{block.key}.svg"] = block.svg
    for key, section in report.tables:
        files[f"{TABLES}/{key}.csv"] = write_csv([section])
    return files


def summary_line(written: Written) -> str:
    """What was written, for stderr."""
    count = len(written.files)
    return ngettext(
        "report written to {path} ({count} file)",
        "report written to {path} ({count} files)",
        count,
    ).format(path=written.folder, count=count)
