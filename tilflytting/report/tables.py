"""Every result as tables: the one place that decides which columns a
command's output has, for the CSV writer (machine keys, the same in every
language), the Markdown writer and the terminal (headers in the run's
language), and the HTML site's summary.

A `Column` has a machine `key` (CSV header, never translated), a `header`
(an English message, shown translated) and a `kind` that says how a value
is shown and wrapped: `label` and `text` wrap at word boundaries, `slug`,
`number`, `share`, `percent`, `mark` and `period` are never wrapped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tilflytting.core.i18n import N_, _, localise, ngettext, number, percent
from tilflytting.core.model import LIST_LABELS, LISTS, Entry, Place, Project
from tilflytting.query.results import (
    CompareResult,
    ComparisonGroup,
    EntryDetail,
    EntryList,
    FolketallResult,
    PopulationSpan,
    Record,
    SearchResult,
    SimilarResult,
    SummaryResult,
    TermCount,
    TimelineResult,
    UnmatchedResult,
    VocabResult,
)

# Lists in CSV cells are joined with this (docs/json.md, "CSV").
JOIN = "; "

LIST_TITLES = {
    "aktiviteter": N_("Activities"),
    "salgsargumenter": N_("Main selling points"),
    "samarbeidspartnere": N_("Partners"),
    "malgrupper": N_("Target groups"),
    "hovedmal": N_("Main goals"),
}


def list_title(liste: str) -> str:
    """A list's title in the run's language (the catalog's own heading in
    Norwegian: `Viktigste salgsargument`)."""
    return _(LIST_TITLES[liste]) if liste in LIST_TITLES else LIST_LABELS.get(liste, liste)


class Column(Record):
    key: str
    header: str  # an English message; shown with _()
    kind: str = "text"
    table: bool = True  # shown in the terminal and Markdown
    csv: bool = True  # in CSV (and the same in every language there)


class Section(Record):
    key: str  # machine name of the table (the CSV `tabell` column)
    title: str  # in the run's language
    columns: list[Column]
    rows: list[dict[str, Any]]
    caption: str = ""
    empty: str = ""  # said instead of an empty table

    @property
    def shown(self) -> list[Column]:
        return [c for c in self.columns if c.table]


# -- facts of an entry (terminal, site and Markdown) ------------------------------------
def period(project: Project) -> str:
    start = project.start or "?"
    end = "" if project.ongoing else (project.end or "?")
    return f"{start}–{end}"


def kommune_text(place: Place) -> str:
    """`Orkdal → Orkland 5059 Trøndelag (2012: 1638 Sør-Trøndelag)`."""
    name = place.name or place.name_2024 or ""
    if place.name_2024 and place.name_2024 != name:
        name += f" → {place.name_2024}"
    text = f"{name} {place.nr_2024 or ''} {place.fylke_2024 or ''}".rstrip()
    if place.nr_2012:
        text += f"  (2012: {place.nr_2012} {place.fylke_2012})"
    return text


def facts(entry: Entry) -> list[tuple[str, str]]:
    """The facts block of an entry, (label, value) in the run's language: the
    terminal, the HTML page and the Markdown report all show these."""
    rows = [(_("Municipality"), kommune_text(k)) for k in entry.municipalities()]
    if not entry.municipalities() and entry.counties():
        old = [c for c in entry.counties_2012() if c not in entry.counties()]
        rows.append(
            (
                _("County"),
                ", ".join(entry.counties()) + (f"  (2012: {', '.join(old)})" if old else ""),
            )
        )
    rows += [
        (_("Region"), entry.region or ""),
        (_("Subject areas"), ", ".join(entry.areas)),
        (_("Complete"), _("yes") if entry.complete else _("no")),
        (_("Source"), entry.url or ""),
    ]
    return [(label, value) for label, value in rows if value]


# How a place was found (`Place.evidence`, machine words in JSON `bevis`),
# shown in the run's language: `region: Namdalen` stays `region: Namdalen`.
EVIDENCE_LABELS = {
    "oppgitt": N_("stated"),
    "tittel": N_("title"),
    "ingress": N_("lead"),
    "kommuneliste": N_("list of municipalities"),
    "fylke": N_("county named"),
    "region": N_("region"),
    "fylkesadjektiv": N_("county adjective"),
    "partner": N_("partner"),
}


def evidence_text(evidence: str | None) -> str:
    """`fylkesadjektiv: nordtrønderske` as `county adjective: nordtrønderske`."""
    if not evidence:
        return "–"
    kind, colon, words = evidence.partition(": ")
    label = _(EVIDENCE_LABELS[kind]) if kind in EVIDENCE_LABELS else kind
    return f"{label}{colon}{words}"


# What kind of file each source of an entry is (core/merge.py ROLES; JSON
# `kilde.filer[].rolle`), shown in the run's language.
ROLE_LABELS = {
    "side": N_("published page"),
    "medfulgt": N_("bundled catalog"),
    "egen": N_("maintainer's YAML entry"),
}


def file_rows(entry: Entry, label: Callable[[str], str]) -> list[tuple[str, str]]:
    """The files an entry was built from, the one that wins first, as rows
    of the facts block: (`Files` on the first row, `PATH (role)`), each
    path shown through `label`."""
    rows = []
    for n, source in enumerate(entry.sources):
        role = ROLE_LABELS.get(source.role or "")
        shown = f"{label(source.path)} ({_(role) if role else '?'})"
        rows.append((_("Files") if n == 0 else "", shown))
    return rows


def population_line(span: PopulationSpan) -> str:
    """`show`'s population line, in the terminal and on the site's entry
    pages: `Folketall 1.1.2006: 2 644 → 1.1.2012: 2 705 (+61, +2,3 %); resten av
    Nord-Trøndelag: +3,7 % (SSB, 2012-grenser)`."""
    if span.persons is None or span.percent is None:
        if span.end_borders is not None:
            return _(
                "Population {start}–{end}: the borders changed during the period ({year}); "
                "see tilflytting folketall (SSB)"
            ).format(start=span.start, end=span.end, year=span.end_borders)
        return _("Population: no figures for {start}–{end} (SSB)").format(
            start=span.start, end=span.end
        )
    assert span.first is not None and span.last is not None
    versus = ""
    if span.reference is not None and span.reference_percent is not None:
        versus = _("; {name}: {percent}").format(
            name=localise(span.reference), percent=percent(span.reference_percent, 1, sign=True)
        )
    return _(
        "Population 1 Jan. {start}: {first} → 1 Jan. {end}: {last} ({persons}, {percent})"
        "{versus} (SSB, {year} borders)"
    ).format(
        start=span.start,
        first=number(span.first),
        end=span.end,
        last=number(span.last),
        persons=number(span.persons, sign=True),
        percent=percent(span.percent, 1, sign=True),
        versus=versus,
        year=span.borders,
    )


def place_names(entry: Entry) -> str:
    """The entry's places in a word or two: the municipalities it names as its
    own; a regional entry whose municipalities are only its region's members
    by its region's name (Valdres, not its six municipalities)."""
    kommuner = entry.municipalities()
    own = [p for p in kommuner if not (p.evidence or "").startswith("region")]
    if entry.region and kommuner and not own:
        return entry.region
    return ", ".join(p.name or p.name_2024 or "" for p in kommuner) or (entry.region or "")


def project_span(projects: list[Project]) -> str:
    """All projects' years as one span, with their number: `2005–2012 (3)`."""
    starts = [p.start for p in projects if p.start]
    ends = [p.end for p in projects if p.end]
    if not starts and not ends:
        return "–"
    ongoing = any(p.ongoing for p in projects)
    first = min(starts) if starts else "?"
    last = "" if ongoing else (max(ends) if ends else "?")
    count = f" ({len(projects)})" if len(projects) > 1 else ""
    return f"{first}–{last}{count}"


def list_counts(entry: Entry) -> str:
    return "/".join(str(len(entry.lists[name])) for name in LISTS)


COUNTS_LEGEND = N_("A/S/P/M: activities, selling points, partners, target groups")


# -- an entry as a CSV row ---------------------------------------------------------------
ENTRY_COLUMNS = [
    Column("slug", N_("Slug"), "slug"),
    Column("tittel", N_("Title"), "label"),
    Column("ingress", N_("Lead"), table=False),
    Column("kommuner", N_("Municipalities")),
    Column("kommunenummer", N_("Number"), "slug", table=False),
    Column("fylke", N_("County")),
    Column("fylke_2012", N_("County (2012)"), table=False),
    Column("region", N_("Region"), table=False),
    Column("prosjekter", N_("Projects"), table=False),
    Column("periode", N_("Period"), "period"),
    *[
        column
        for name in LISTS
        for column in (
            Column(name, LIST_TITLES[name], table=False),
            Column(f"{name}_termer", N_("Terms"), table=False),
        )
    ],
    Column("hovedmal", N_("Main goals"), table=False),
    Column("komplett", N_("Complete"), "yesno", table=False),
    Column("url", N_("Source"), table=False),
    Column("antall", "A/S/P/M", "slug"),
]


def entry_row(entry: Entry) -> dict[str, Any]:
    """One row per entry, the same in `list`, `search` and `export`: each list
    joined with `; `, its terms beside it (an empty place for a free answer)."""
    kommuner = entry.municipalities()
    row: dict[str, Any] = {
        "slug": entry.slug,
        "tittel": entry.title,
        "ingress": entry.lead,
        "kommuner": JOIN.join(p.name or p.name_2024 or "" for p in kommuner),
        "kommunenummer": JOIN.join(p.nr_2024 or "" for p in kommuner),
        "fylke": JOIN.join(entry.counties()),
        "fylke_2012": JOIN.join(entry.counties_2012()),
        "region": entry.region or "",
        "prosjekter": JOIN.join(f"{p.name} ({period(p)})" for p in entry.projects),
        "periode": project_span(entry.projects),
    }
    for name in LISTS:
        row[name] = JOIN.join(i.text for i in entry.lists[name])
        row[f"{name}_termer"] = JOIN.join(i.term or "" for i in entry.lists[name])
    row["hovedmal"] = JOIN.join(i.text for i in entry.main_goal)
    row["komplett"] = entry.complete
    row["url"] = entry.url or ""
    row["antall"] = list_counts(entry)
    return row


def entry_rows(entries: list[Entry]) -> Section:
    return Section(
        "oppforinger",
        _entries_title(len(entries), None),
        ENTRY_COLUMNS,
        [entry_row(e) for e in entries],
        _(COUNTS_LEGEND),
    )


def item_rows(entries: list[Entry]) -> Section:
    """`--long`: one row per list item (entry, list, text, term)."""
    rows = [
        {
            "slug": entry.slug,
            "liste": name,
            "tekst": item.text,
            "term": item.term or "",
            "detalj": item.detail or "",
            "linje": item.line,
        }
        for entry in entries
        for name in LISTS
        for item in entry.lists[name]
    ]
    columns = [
        Column("slug", N_("Slug"), "slug"),
        Column("liste", N_("List"), "slug"),
        Column("tekst", N_("Text"), "label"),
        Column("term", N_("Term"), "slug"),
        Column("detalj", N_("Detail")),
        Column("linje", N_("Line"), "number"),
    ]
    return Section("punkter", _("List items"), columns, rows)


def entry_facts(entry: Entry) -> Section:
    """One entry, one row per fact (`show --format csv`)."""
    rows = [{"felt": "tittel", "tekst": entry.title, "term": "", "linje": entry.title_line}]
    rows += [
        {"felt": "kommune", "tekst": p.name or p.name_2024 or "", "term": p.nr_2024, "linje": None}
        for p in entry.municipalities()
    ]
    rows += [
        {"felt": "prosjekt", "tekst": f"{p.name} ({period(p)})", "term": "", "linje": p.line}
        for p in entry.projects
    ]
    for name in LISTS:
        rows += [
            {"felt": name, "tekst": i.text, "term": i.term or "", "linje": i.line}
            for i in entry.lists[name]
        ]
    rows += [
        {"felt": "hovedmal", "tekst": i.text, "term": "", "linje": i.line} for i in entry.main_goal
    ]
    columns = [
        Column("felt", N_("Field"), "slug"),
        Column("tekst", N_("Text"), "label"),
        Column("term", N_("Term"), "slug"),
        Column("linje", N_("Line"), "number"),
    ]
    return Section("fakta", entry.title, columns, rows)


def _entries_title(shown: int, total: int | None) -> str:
    if total is None:
        return ngettext("{count} entry", "{count} entries", shown).format(count=shown)
    return ngettext("{shown} of {count} entry", "{shown} of {count} entries", total).format(
        shown=shown, count=total
    )


def count_title(shown: int, total: int | None) -> str:
    return _entries_title(shown, total)


def hits_title(shown: int, total: int | None) -> str:
    if total is None:
        return ngettext("{count} hit", "{count} hits", shown).format(count=shown)
    return ngettext("{shown} of {count} hit", "{shown} of {count} hits", total).format(
        shown=shown, count=total
    )


# -- the sections of each result ---------------------------------------------------------
def sections(result: Any) -> list[Section]:
    """The tables of a result, in order (CSV and Markdown print them all)."""
    if isinstance(result, EntryList):
        return [entry_rows(result.entries)]
    if isinstance(result, EntryDetail):
        return [entry_facts(result.entry)]
    if isinstance(result, SearchResult):
        return [search_section(result)]
    if isinstance(result, VocabResult):
        return [vocab_section(result)]
    if isinstance(result, UnmatchedResult):
        return [unmatched_section(result)]
    if isinstance(result, CompareResult):
        return compare_sections(result)
    if isinstance(result, SimilarResult):
        return [similar_section(result)]
    if isinstance(result, SummaryResult):
        return summary_sections(result)
    if isinstance(result, TimelineResult):
        return [timeline_section(result)]
    if isinstance(result, FolketallResult):
        return folketall_sections(result)
    raise TypeError(f"no tables for {type(result).__name__}")


def search_section(result: SearchResult) -> Section:
    rows = []
    for hit in result.hits:
        row = entry_row(hit.entry)
        row["score"] = hit.score
        row["treff"] = JOIN.join(f"{liste}:{term}" for liste, term in hit.matched)
        row["snippet"] = hit.snippet
        rows.append(row)
    columns = [
        *ENTRY_COLUMNS,
        Column("score", N_("Score"), "number", table=False),
        Column("treff", N_("Matched"), table=False),
        Column("snippet", N_("Snippet")),
    ]
    return Section("treff", hits_title(len(rows), result.total), columns, rows)


def _term_columns(with_list: bool, slug: bool = True) -> list[Column]:
    """Label first; the term's slug last (`vocab`, which is about terms) or
    only in the machine formats (`summarise`)."""
    return [
        *([Column("liste", N_("List"), "slug", table=False)] if with_list else []),
        Column("navn", N_("Term"), "label", csv=False),
        Column("etikett", N_("Term"), "label", table=False),
        Column("oppforinger", N_("Entries"), "number"),
        Column("andel", N_("Share"), "share"),
        Column("term", N_("Slug"), "slug", table=slug),
    ]


def _term_row(row: TermCount) -> dict[str, Any]:
    return {
        "liste": row.liste,
        "navn": _("(free text)") if row.term is None else row.label,
        "etikett": row.label,
        "oppforinger": row.entries,
        "andel": row.share,
        "term": row.term,
    }


def vocab_section(result: VocabResult) -> Section:
    lists = list(dict.fromkeys(row.liste for row in result.rows))
    title = ngettext("Terms in {count} entry", "Terms in {count} entries", result.total)
    if len(lists) == 1:
        title = list_title(lists[0]) + ": " + title.format(count=result.total)
    return Section(
        "termer",
        title.format(count=result.total),
        _term_columns(len(lists) > 1),
        [_term_row(row) for row in result.rows],
        _("Entries: entries with the term; (free text): entries with answers no term covers"),
    )


def unmatched_section(result: UnmatchedResult) -> Section:
    rows = [{"liste": r.liste, "tekst": r.text, "oppforinger": r.entries} for r in result.rows]
    count = len(rows)
    return Section(
        "fritekst",
        ngettext(
            "{count} free answer without a term", "{count} free answers without a term", count
        ).format(count=count),
        [
            Column("tekst", N_("Answer"), "label"),
            Column("oppforinger", N_("Entries"), "number"),
            Column("liste", N_("List"), "slug"),
        ],
        rows,
        empty=_("Every answer has a term."),
    )


def compare_sections(result: CompareResult) -> list[Section]:
    """One table per list: a row per term, a column per entry (named by its
    slug), and the list's share of terms in common; then the scores."""
    slugs = [e.slug for e in result.entries]
    # CSV names the columns by slug, Markdown by title (the terminal numbers them).
    marks = [Column(e.slug, e.title, "mark") for e in result.entries]
    out = []
    for liste, rows in result.lists.items():
        share = result.similarity.get(liste)
        out.append(
            Section(
                liste,
                list_title(liste),
                [
                    Column("liste", N_("List"), "slug", table=False),
                    Column("etikett", N_("Term"), "label"),
                    *marks,
                    Column("term", N_("Slug"), "slug", table=False),
                ],
                [
                    {
                        "liste": liste,
                        "etikett": r.label,
                        "term": r.term,
                        **dict(zip(slugs, r.has, strict=True)),
                    }
                    for r in rows
                ],
                _("In common: {share}").format(share=_share_text(share)),
                empty=_("No terms."),
            )
        )
    scores = [
        {"liste": liste, "etikett": list_title(liste) if liste in LISTS else _("All lists"),
         "likhet": value}
        for liste, value in result.similarity.items()
    ]  # fmt: skip
    out.append(
        Section(
            "likhet",
            _("Terms in common"),
            [
                Column("liste", N_("List"), "slug", table=False),
                Column("etikett", N_("List"), "label", csv=False),
                Column("likhet", N_("In common"), "share"),
            ],
            scores,
            _("terms all have / terms any has"),
        )
    )
    return out


def _share_text(share: float | None) -> str:
    from tilflytting.core.i18n import share as shown

    return "–" if share is None else shown(share, 0)


def similar_section(result: SimilarResult) -> Section:
    rows = [
        {
            "slug": hit.slug,
            "tittel": hit.title,
            "likhet": hit.score,
            "antall_felles": len(hit.shared),
            "felles": [t.label for t in hit.shared],
        }
        for hit in result.hits
    ]
    return Section(
        "lik",
        _("Most like {slug}").format(slug=result.target),
        [
            Column("slug", N_("Slug"), "slug"),
            Column("tittel", N_("Title"), "label", table=False),
            Column("likhet", N_("Score"), "decimal"),
            Column("antall_felles", N_("Shared"), "number"),
            Column("felles", N_("Shared terms")),
        ],
        rows,
        _("Score: shared terms' weight / all terms' weight; rare terms weigh more and come first"),
        empty=_("No entry shares a term with it."),
    )


def summary_sections(result: SummaryResult) -> list[Section]:
    overview = Section(
        "katalogen",
        _("The catalog"),
        [
            Column("mal", N_("Measure"), "slug", table=False),
            Column("etikett", N_("Measure"), "label", csv=False),
            Column("antall", N_("Count"), "number"),
        ],
        [
            {"mal": "oppforinger", "etikett": _("entries"), "antall": result.entries},
            {"mal": "kommuner", "etikett": _("municipalities"), "antall": result.kommuner},
            {"mal": "fylker_2012", "etikett": _("counties (2012)"), "antall": result.fylker_2012},
            {"mal": "fylker_2024", "etikett": _("counties (2024)"), "antall": result.fylker_2024},
        ],
    )
    out = [overview]
    for liste, rows in result.lists.items():
        free = result.free[liste]
        shown: list[dict[str, Any]] = [_term_row(row) for row in rows]
        share = round(free.entries / result.entries, 3) if result.entries else 0.0
        shown.append(
            {
                "liste": liste,
                "navn": _("(free text)"),
                "etikett": "(fritekst)",
                "oppforinger": free.entries,
                "andel": share,
                "term": None,
            }
        )
        out.append(
            Section(
                liste,
                f"{list_title(liste)} ({_entries_title(result.entries, None)})",
                _term_columns(True, slug=False),
                shown,
                ngettext(
                    "(free text): entries with free answers ({count} answer)",
                    "(free text): entries with free answers ({count} answers)",
                    free.answers,
                ).format(count=free.answers),
            )
        )
    if result.cross is not None:
        for liste, crossed in result.cross.items():
            groups = list(crossed[0].groups) if crossed else []
            cross_rows: list[dict[str, Any]] = []
            for row in crossed:
                used = sorted(
                    (g for g in row.groups.items() if g[1].entries),
                    key=lambda g: -g[1].share,
                )
                spread = [f"{g} {v.entries} ({_share_text(v.share)})" for g, v in used]
                cross_rows.append(
                    {
                        "liste": liste,
                        "etikett": row.label,
                        "fordeling": spread,
                        "term": row.term,
                        **{g: v.entries for g, v in row.groups.items()},
                    }
                )
            out.append(
                Section(
                    f"kryss_{liste}",
                    _("{list} by {group}").format(list=list_title(liste), group=result.by),
                    [
                        Column("liste", N_("List"), "slug", table=False),
                        Column("etikett", N_("Term"), "label"),
                        Column("fordeling", N_("Spread"), "lines", csv=False),
                        Column("term", N_("Slug"), "slug", table=False),
                        *[Column(g, g, "number", table=False) for g in groups],
                    ],
                    cross_rows,
                    _("entries with the term in each group (share of the group's entries)"),
                )
            )
    years = [
        {"ar": year, "startet": result.started[year], "aktive": result.active[year]}
        for year in result.started
    ]
    out.append(
        Section(
            "prosjekter",
            _("Projects per year"),
            [
                Column("ar", N_("Year"), "slug"),
                Column("startet", N_("Started"), "number"),
                Column("aktive", N_("Running"), "number"),
            ],
            years,
            _("Started: projects starting that year; Running: projects running"),
            empty=_("No projects with years."),
        )
    )
    if result.growth is not None:
        out += growth_sections(result)
    return out


def growth_sections(result: SummaryResult) -> list[Section]:
    growth = result.growth
    assert growth is not None
    counts = [
        ("med_tall", _("with figures for the project years"), growth.with_figures),
        ("vekst", _("grew over the project years"), growth.grew),
        ("nedgang", _("declined or no change"), growth.declined),
        ("bedre_enn_referansen", _("better than the rest of the county"), growth.better),
        ("svakere_enn_referansen", _("weaker than the rest of the county"), growth.weaker),
        ("uten_tall", _("without figures (no project year with figures)"), growth.without_figures),
    ]
    summary = Section(
        "folketall",
        _("Population over the project periods"),
        [
            Column("mal", N_("Measure"), "slug", table=False),
            Column("etikett", N_("Measure"), "label", csv=False),
            Column("oppforinger", N_("Entries"), "number"),
        ],
        [{"mal": key, "etikett": label, "oppforinger": n} for key, label, n in counts],
    )
    rows = [
        {
            "slug": e.slug,
            "tittel": e.title,
            "omrade": e.area,
            "fra": e.start,
            "til": e.end,
            "periode": f"{e.start}–{e.end}",
            "grenser": e.borders,
            "endring_prosent": e.percent,
            "referanse_prosent": e.reference_percent,
            "differanse_prosentpoeng": e.difference,
        }
        for e in sorted(growth.entries, key=lambda e: -e.difference)
    ]
    entries = Section(
        "folketall_oppforinger",
        _("Entries behind the counts (from 1 January of the first project year)"),
        [
            Column("slug", N_("Slug"), "slug", table=False),
            Column("tittel", N_("Entry"), "label"),
            Column("omrade", N_("Area")),
            Column("fra", N_("From"), "number", table=False),
            Column("til", N_("To"), "number", table=False),
            Column("periode", N_("1 Jan. to 1 Jan."), "period"),
            Column("grenser", N_("Borders"), "slug", table=False),
            Column("endring_prosent", N_("Change"), "percent"),
            Column("referanse_prosent", N_("Reference"), "percent"),
            Column("differanse_prosentpoeng", N_("Difference"), "points"),
        ],
        rows,
        "\n".join([localise(growth.note), source_text(growth.source)]),
    )
    return [summary, signed(entries, "endring_prosent", "referanse_prosent")]


def source_text(source: str) -> str:
    """The population figures' attribution in the run's language."""
    from tilflytting.reference.population import ATTRIBUTION

    if source == ATTRIBUTION:
        return _("Population: Statistics Norway (SSB), StatBank table 07459 (NLOD 2.0)")
    return localise(source)


def timeline_section(result: TimelineResult) -> Section:
    rows = [
        {
            "slug": e.slug,
            "tittel": e.title,
            "prosjekt": p.name,
            "fra": p.start,
            "til": p.end,
            "pagaende": p.ongoing,
        }
        for e in result.entries
        for p in e.projects
    ]
    return Section(
        "tidslinje",
        _("Projects {first}–{last}").format(first=result.first, last=result.last),
        [
            Column("slug", N_("Slug"), "slug"),
            Column("tittel", N_("Title"), "label", table=False),
            Column("prosjekt", N_("Project"), "label"),
            Column("fra", N_("From"), "slug"),
            Column("til", N_("To"), "slug"),
            Column("pagaende", N_("Ongoing"), "yesno"),
        ],
        rows,
        empty=_("No projects with years."),
    )


def folketall_sections(result: FolketallResult) -> list[Section]:
    """The series and the periods as tables (CSV, Markdown, the terminal)."""
    series = Section(
        "serie",
        _("Population on 1 January: {area}").format(area=result.area),
        [
            Column("ar", N_("Year"), "slug"),
            Column("folketall", N_("Population"), "number"),
            Column("grenser", N_("Borders"), "slug"),
            Column("indeks", N_("Index"), "decimal1"),
            Column("referanse_indeks", N_("Reference index"), "decimal1"),
            Column("gruppe_indeks", N_("Group index"), "decimal1"),
        ],
        [
            {
                "ar": p.year,
                "folketall": p.population,
                "grenser": p.borders,
                "indeks": p.indexed,
                "referanse_indeks": p.reference_index,
                "gruppe_indeks": p.group_index,
            }
            for p in result.series
        ],
        _("index: {year} = 100; reference: {name}; group: the comparison group's median").format(
            year=result.index_year, name=reference_text(result.reference_name)
        ),
    )
    periods = Section(
        "perioder",
        _("Change over the project periods"),
        [
            Column("prosjekt", N_("Project"), "label"),
            Column("periode", N_("Period"), "period"),
            # A change is only measured on one set of borders: said in CSV and JSON.
            Column("grenser", N_("Borders"), "slug", table=False),
            Column("endring", N_("Persons"), "signed"),
            Column("endring_prosent", N_("Change"), "percent"),
            Column("foer_prosent", N_("Before"), "percent"),
            Column("referanse_prosent", N_("Reference"), "percent"),
            Column("differanse_pp", N_("Difference"), "points"),
            # The comparison group per period: CSV only (the table shows its line).
            Column("gruppe_median_prosent", N_("Group median"), "percent", table=False),
            Column("differanse_gruppe_pp", N_("Difference from the group"), "points", table=False),
        ],
        [
            {
                "prosjekt": p.project,
                "periode": p.label,
                "grenser": p.during.borders,
                "endring": p.during.persons,
                "endring_prosent": p.during.percent,
                "foer_prosent": p.before.percent,
                "referanse_prosent": p.reference.percent,
                "differanse_pp": p.difference,
                "gruppe_median_prosent": p.group_median,
                "differanse_gruppe_pp": p.group_difference,
            }
            for p in result.periods
        ],
        _(
            "1 January of the first year to 1 January of the year after the last; "
            "Before: as many years before; Difference: percentage points"
        ),
        empty=_("No project with a start year."),
    )
    signed(periods, "endring_prosent", "foer_prosent", "referanse_prosent")
    out = [series, periods]
    if result.group is not None:
        out.append(group_section(result.group))
        if result.group.details:
            out.append(members_section(result.group))
    return out


def signed(section: Section, *keys: str) -> Section:
    """Human output of a population table: each change in `keys` with its
    sign (+4,34 %, as the differences have theirs). The terminal and
    Markdown show a column of the signed text; CSV keeps the number."""
    columns: list[Column] = []
    for column in section.columns:
        if column.key in keys and column.table:
            columns.append(Column(column.key, column.header, column.kind, False, column.csv))
            columns.append(Column(f"{column.key}_vist", column.header, column.kind, True, False))
        else:
            columns.append(column)
    section.columns = columns
    for row in section.rows:
        for key in keys:
            value = row.get(key)
            row[f"{key}_vist"] = None if value is None else percent(value, 2, sign=True)
    return section


_SIZES = re.compile(r"(\d+)–(\d+)( inhabitants)")


def reference_text(name: str) -> str:
    """A stored reference name in the run's language, its numbers the
    language's way (`1 066–4 264`: the stored English keeps the digits)."""
    return localise(_SIZES.sub(lambda m: f"{number(int(m[1]))}–{number(int(m[2]))}{m[3]}", name))


def folketall_notes(result: FolketallResult) -> list[str]:
    group = [group_line(result.group, result.area)] if result.group else []
    notes = [localise(n) for n in [*result.area_notes, *result.notes]]
    return [*group, *notes, source_text(result.source)]


# -- the comparison group -----------------------------------------------------------------
def group_where(group: ComparisonGroup) -> str:
    """Where the group's members were found, in the run's language."""
    counties = ", ".join(group.counties)
    if group.scope == "fylke":
        return counties
    if group.in_county == 0:
        return _("all of Norway (none in {counties})").format(counties=counties)
    return ngettext(
        "all of Norway (only {count} in {counties})",
        "all of Norway (only {count} in {counties})",
        group.in_county,
    ).format(count=number(group.in_county), counties=counties)


def group_line(group: ComparisonGroup, area: str) -> str:
    """The comparison group in one sentence (the table, Markdown, the report)."""
    from tilflytting.core.i18n import number, percent

    def pct(value: float | None) -> str:
        return "–" if value is None else percent(value, 1, sign=True)

    from tilflytting.query.population import GROUP_MINIMUM, TOO_FEW, WHOLE_COUNTY

    if group.scope == WHOLE_COUNTY:
        return _(
            "No comparison group: {area} is a whole county, and no municipality compares "
            "with it; it is set only against its reference."
        ).format(area=area)
    if group.scope == TOO_FEW:
        return ngettext(
            "No comparison group: fewer than {minimum} municipality with no entry in the "
            "catalog had {low}–{high} inhabitants on 1 Jan. {start} (within a factor of "
            "{factor} of {base}), in {counties} or in all of Norway.",
            "No comparison group: fewer than {minimum} municipalities with no entry in the "
            "catalog had {low}–{high} inhabitants on 1 Jan. {start} (within a factor of "
            "{factor} of {base}), in {counties} or in all of Norway.",
            GROUP_MINIMUM,
        ).format(
            minimum=number(GROUP_MINIMUM),
            low=number(group.low),
            high=number(group.high),
            start=group.start,
            factor=number(group.factor, 0),
            base=number(group.base),
            counties=", ".join(group.counties),
        )
    count = len(group.members)
    text = ngettext(
        "Comparison group: {count} municipality with no entry in the catalog and "
        "{low}–{high} inhabitants on 1 Jan. {start} (within a factor of {factor} of {base}), "
        "in {where}.",
        "Comparison group: {count} municipalities with no entry in the catalog and "
        "{low}–{high} inhabitants on 1 Jan. {start} (within a factor of {factor} of {base}), "
        "in {where}.",
        count,
    ).format(
        count=count,
        low=number(group.low),
        high=number(group.high),
        start=group.start,
        factor=number(group.factor, 0),
        base=number(group.base),
        where=group_where(group),
    )
    if group.median is None:
        return text
    return (
        text
        + " "
        + _(
            "From 1 Jan. {start} to 1 Jan. {end}: median {median} (quartiles {lower} to "
            "{upper}, range {minimum} to {maximum}); {area}: {percent}, {difference} percentage "
            "points from the median."
        ).format(
            start=group.start,
            end=group.end,
            median=pct(group.median),
            lower=pct(group.lower_quartile),
            upper=pct(group.upper_quartile),
            minimum=pct(group.minimum),
            maximum=pct(group.maximum),
            area=area,
            percent=pct(group.percent),
            difference="–" if group.difference is None else number(group.difference, 1, sign=True),
        )
    )


def group_section(group: ComparisonGroup) -> Section:
    """The comparison group, a measure per row (CSV `sammenligning`)."""
    from tilflytting.report.formats import display

    measures: list[tuple[str, str, Any, str]] = [
        ("omfang", _("where"), group.scope, "slug"),
        ("fylker_2012", _("counties (2012) searched first"), JOIN.join(group.counties), "text"),
        ("faktor", _("size factor"), group.factor, "decimal1"),
        ("fra", _("from 1 January"), group.start, "slug"),
        ("til", _("to 1 January"), group.end, "slug"),
        ("folketall", _("the area's population at the start"), group.base, "number"),
        ("minst", _("smallest member at the start"), group.low, "number"),
        ("hoyst", _("largest member at the start"), group.high, "number"),
        ("i_fylket", _("qualified in the counties"), group.in_county, "number"),
        ("antall", _("members"), len(group.members), "number"),
        ("median_prosent", _("median change"), group.median, "percent"),
        ("nedre_kvartil_prosent", _("lower quartile"), group.lower_quartile, "percent"),
        ("ovre_kvartil_prosent", _("upper quartile"), group.upper_quartile, "percent"),
        ("min_prosent", _("smallest change"), group.minimum, "percent"),
        ("maks_prosent", _("largest change"), group.maximum, "percent"),
        ("endring_prosent", _("the area's change"), group.percent, "percent"),
        ("differanse_prosentpoeng", _("difference from the median"), group.difference, "points"),
    ]
    return Section(
        "sammenligning",
        _("Comparison group"),
        [
            Column("mal", N_("Measure"), "slug", table=False),
            Column("etikett", N_("Measure"), "label", csv=False),
            Column("vist", N_("Value"), "slug", csv=False),
            Column("verdi", N_("Value"), table=False),
        ],
        [
            {
                "mal": key,
                "etikett": label,
                "vist": percent(value, 2, sign=True)
                if kind == "percent" and value is not None
                else display(value, kind),
                "verdi": value,
            }
            for key, label, value, kind in measures
        ],
        _(
            "2012 municipalities with no entry in the catalog, of similar size at the start, "
            "on the same borders; percent changes from 1 January to 1 January"
        ),
    )


def members_section(group: ComparisonGroup) -> Section:
    """`--sammenlign`: the group's members and their changes."""
    section = Section(
        "sammenligning_medlemmer",
        _("The comparison group's members"),
        [
            Column("navn", N_("Municipality"), "label"),
            Column("nummer_2012", N_("Number"), "slug"),
            Column("fylke_2012", N_("County (2012)"), "label"),
            Column("folketall_fra", N_("Start"), "number"),
            Column("folketall_til", N_("End"), "number"),
            Column("personer", N_("Persons"), "signed"),
            Column("prosent", N_("Change"), "percent"),
        ],
        [
            {
                "navn": m.name,
                "nummer_2012": m.number,
                "fylke_2012": m.county,
                "folketall_fra": m.first,
                "folketall_til": m.last,
                "personer": m.persons,
                "prosent": m.percent,
            }
            for m in group.members
        ],
        _("Start and End: population on 1 January {start} and {end}").format(
            start=group.start, end=group.end
        ),
        empty=_("No municipality qualified."),
    )
    return signed(section, "prosent")
