"""The output contract: the JSON of an entry and of every command's result,
declared once (docs/json.md, shape version 1, documents these types; a test
checks that the two agree and that every command's output has exactly these
keys).

The query layer hands over typed results holding domain objects
(query/results.py); the functions here turn them into the documented JSON.
Every other writer (CSV, Markdown, YAML, HTML, tables) reads the typed
results, or these typed dictionaries, never keys spelled out by hand.

Adding a key: add it to the TypedDict and its converter here, and to
docs/json.md.
"""

from __future__ import annotations

from typing import TypedDict

from tilflytting.core import clock
from tilflytting.core.model import LISTS, Entry, Item, Place, Problem, Project, Source
from tilflytting.query.results import (
    Change,
    CompareResult,
    ComparisonGroup,
    CrossRow,
    EntryList,
    FolketallResult,
    FreeAnswer,
    GrowthSummary,
    PeriodChange,
    SearchHit,
    SearchResult,
    SimilarResult,
    SiteSearch,
    SummaryResult,
    TermCount,
    TimelineResult,
    UnmatchedResult,
    VocabResult,
)

SCHEMA_VERSION = 1


# -- an entry ------------------------------------------------------------------------
class PlaceJSON(TypedDict):
    navn: str | None
    nummer: str | None
    fylke: str | None
    fylke_2012: str | None
    nummer_2012: str | None
    navn_2024: str | None


class EvidenceJSON(TypedDict):
    type: str
    navn: str | None
    nummer_2012: str | None
    fylke_2012: str | None
    nummer: str | None
    fylke: str | None
    bevis: str | None
    linje: int | None


class ProjectJSON(TypedDict):
    navn: str
    fra: int | None
    til: int | None
    pagaende: bool
    periode: str
    linje: int | None


class ItemJSON(TypedDict):
    tekst: str
    term: str | None
    detalj: str | None
    linje: int | None
    avkortet: bool


class WarningJSON(TypedDict):
    linje: int | None
    melding: str


class FileJSON(TypedDict):
    fil: str
    format: str
    rolle: str | None
    url: str | None
    sha256: str
    tegnsett: str
    importert: str | None


class SourceJSON(TypedDict):
    fil: str | None
    url: str | None
    sha256: str | None
    tegnsett: str | None
    format: str | None
    filer: list[FileJSON]


# `aktiviteter` and the other survey lists are declared by name below: the four
# lists of core.model.LISTS, each a list of ItemJSON.
class EntryJSON(TypedDict):
    slug: str
    tittel: str
    ingress: str
    tekst: str
    fagomrader: list[str]
    kommuner: list[PlaceJSON]
    fylker: list[str]
    fylker_2012: list[str]
    region: str | None
    steder: list[EvidenceJSON]
    prosjekter: list[ProjectJSON]
    aktiviteter: list[ItemJSON]
    salgsargumenter: list[ItemJSON]
    samarbeidspartnere: list[ItemJSON]
    malgrupper: list[ItemJSON]
    hovedmal: list[str]
    komplett: bool
    advarsler: list[WarningJSON]
    kilde: SourceJSON


def place_json(place: Place) -> PlaceJSON:
    return {
        "navn": place.name_2024 if place.name is None else place.name,
        "nummer": place.nr_2024,
        "fylke": place.fylke_2024,
        "fylke_2012": place.fylke_2012,
        "nummer_2012": place.nr_2012,
        "navn_2024": place.name_2024,
    }


def evidence_json(place: Place) -> EvidenceJSON:
    """A place of any kind (municipality or county) with its evidence."""
    return {
        "type": place.kind,
        "navn": place.name,
        "nummer_2012": place.nr_2012,
        "fylke_2012": place.fylke_2012,
        "nummer": place.nr_2024,
        "fylke": place.fylke_2024,
        "bevis": place.evidence,
        "linje": place.line,
    }


def project_json(project: Project) -> ProjectJSON:
    return {
        "navn": project.name,
        "fra": project.start,
        "til": project.end,
        "pagaende": project.ongoing,
        "periode": project.period,
        "linje": project.line,
    }


def item_json(item: Item) -> ItemJSON:
    return {
        "tekst": item.text,
        "term": item.term,
        "detalj": item.detail,
        "linje": item.line,
        "avkortet": item.truncated,
    }


def entry_json(entry: Entry) -> EntryJSON:
    """The documented JSON object for one entry."""
    source = entry.source
    lists = {name: [item_json(i) for i in entry.lists[name]] for name in LISTS}
    return {
        "slug": entry.slug,
        "tittel": entry.title,
        "ingress": entry.lead,
        "tekst": entry.text,
        "fagomrader": entry.areas,
        "kommuner": [place_json(p) for p in entry.municipalities()],
        "fylker": entry.counties(),
        "fylker_2012": entry.counties_2012(),
        "region": entry.region,
        "steder": [evidence_json(p) for p in entry.places],
        "prosjekter": [project_json(p) for p in entry.projects],
        "aktiviteter": lists["aktiviteter"],
        "salgsargumenter": lists["salgsargumenter"],
        "samarbeidspartnere": lists["samarbeidspartnere"],
        "malgrupper": lists["malgrupper"],
        "hovedmal": [item.text for item in entry.main_goal],
        "komplett": entry.complete,
        "advarsler": [{"linje": p.line, "melding": p.message} for p in entry.problems],
        "kilde": {
            "fil": source.path if source else None,
            "url": entry.url,
            "sha256": source.sha256 if source else None,
            "tegnsett": source.encoding if source else None,
            "format": source.format if source else None,
            # Every file the entry was built from, the one that wins first.
            "filer": [file_json(s) for s in entry.sources],
        },
    }


def file_json(source: Source) -> FileJSON:
    return {
        "fil": source.path,
        "format": source.format,
        "rolle": source.role,
        "url": source.url,
        "sha256": source.sha256,
        "tegnsett": source.encoding,
        "importert": source.imported,
    }


# -- list ------------------------------------------------------------------------------
class ProjectSummaryJSON(TypedDict):
    navn: str
    fra: int | None
    til: int | None
    pagaende: bool


class SummaryJSON(TypedDict):
    slug: str
    tittel: str
    kommuner: list[PlaceJSON]
    fylker: list[str]
    fylker_2012: list[str]
    region: str | None
    prosjekter: list[ProjectSummaryJSON]
    aktiviteter: int
    salgsargumenter: int
    samarbeidspartnere: int
    malgrupper: int
    hovedmal: int
    komplett: bool


def summary_json(entry: Entry) -> SummaryJSON:
    """The shorter object `list` prints: lists reduced to their counts."""
    return {
        "slug": entry.slug,
        "tittel": entry.title,
        "kommuner": [place_json(p) for p in entry.municipalities()],
        "fylker": entry.counties(),
        "fylker_2012": entry.counties_2012(),
        "region": entry.region,
        "prosjekter": [
            {"navn": p.name, "fra": p.start, "til": p.end, "pagaende": p.ongoing}
            for p in entry.projects
        ],
        "aktiviteter": len(entry.lists["aktiviteter"]),
        "salgsargumenter": len(entry.lists["salgsargumenter"]),
        "samarbeidspartnere": len(entry.lists["samarbeidspartnere"]),
        "malgrupper": len(entry.lists["malgrupper"]),
        "hovedmal": len(entry.main_goal),
        "komplett": entry.complete,
    }


def list_json(result: EntryList) -> list[SummaryJSON]:
    return [summary_json(entry) for entry in result.entries]


# -- search ----------------------------------------------------------------------------
class SearchHitJSON(EntryJSON):
    score: float
    snippet: str
    treff: list[str]


def search_hit_json(hit: SearchHit) -> SearchHitJSON:
    data = entry_json(hit.entry)
    return {
        **data,
        "score": hit.score,
        "snippet": hit.snippet,
        "treff": [f"{liste}:{term}" for liste, term in hit.matched],
    }


def search_json(result: SearchResult) -> list[SearchHitJSON]:
    return [search_hit_json(hit) for hit in result.hits]


# -- compare ----------------------------------------------------------------------------
class CompareEntryJSON(TypedDict):
    slug: str
    tittel: str
    kommuner: list[PlaceJSON]
    fylker: list[str]
    fylker_2012: list[str]
    region: str | None
    prosjekter: list[ProjectJSON]


class CompareRowJSON(TypedDict):
    term: str | None
    etikett: str
    har: list[bool]


class CompareJSON(TypedDict):
    oppforinger: list[CompareEntryJSON]
    lister: dict[str, list[CompareRowJSON]]
    likhet: dict[str, float | None]


def compare_json(result: CompareResult) -> CompareJSON:
    return {
        "oppforinger": [
            {
                "slug": e.slug,
                "tittel": e.title,
                "kommuner": [place_json(p) for p in e.municipalities()],
                "fylker": e.counties(),
                "fylker_2012": e.counties_2012(),
                "region": e.region,
                "prosjekter": [project_json(p) for p in e.projects],
            }
            for e in result.entries
        ],
        "lister": {
            liste: [{"term": r.term, "etikett": r.label, "har": r.has} for r in rows]
            for liste, rows in result.lists.items()
        },
        "likhet": result.similarity,
    }


# -- vocab ------------------------------------------------------------------------------
class VocabRowJSON(TypedDict):
    liste: str
    term: str | None
    etikett: str
    oppforinger: int
    andel: float


class UnmatchedRowJSON(TypedDict):
    liste: str
    tekst: str
    oppforinger: int


def vocab_row_json(row: TermCount) -> VocabRowJSON:
    return {
        "liste": row.liste,
        "term": row.term,
        "etikett": row.label,
        "oppforinger": row.entries,
        "andel": row.share,
    }


def vocab_json(result: VocabResult) -> list[VocabRowJSON]:
    return [vocab_row_json(row) for row in result.rows]


def unmatched_row_json(row: FreeAnswer) -> UnmatchedRowJSON:
    return {"liste": row.liste, "tekst": row.text, "oppforinger": row.entries}


def unmatched_json(result: UnmatchedResult) -> list[UnmatchedRowJSON]:
    return [unmatched_row_json(row) for row in result.rows]


# -- similar ----------------------------------------------------------------------------
class SimilarRowJSON(TypedDict):
    slug: str
    tittel: str
    likhet: float
    antall_felles: int
    felles: list[str]


def similar_json(result: SimilarResult) -> list[SimilarRowJSON]:
    return [
        {
            "slug": hit.slug,
            "tittel": hit.title,
            "likhet": hit.score,
            "antall_felles": len(hit.shared),
            "felles": [term.label for term in hit.shared],
        }
        for hit in result.hits
    ]


# -- summarise --------------------------------------------------------------------------
class TermRowJSON(TypedDict):
    term: str
    etikett: str
    oppforinger: int
    andel: float


class FreeJSON(TypedDict):
    oppforinger: int
    svar: int


class GroupJSON(TypedDict):
    antall: int
    andel: float


class CrossRowJSON(TypedDict):
    term: str
    etikett: str
    grupper: dict[str, GroupJSON]


class ProjectYearsJSON(TypedDict):
    startet: dict[str, int]
    aktive: dict[str, int]


class GrowthEntryJSON(TypedDict):
    slug: str
    tittel: str
    omrade: str
    fra: int
    til: int
    grenser: str
    endring_prosent: float
    referanse_prosent: float
    differanse_prosentpoeng: float


class GrowthJSON(TypedDict):
    med_tall: int
    uten_tall: int
    vekst: int
    nedgang: int
    bedre_enn_referansen: int
    svakere_enn_referansen: int
    fra: int | None
    til: int | None
    grenser: str
    oppforinger: list[GrowthEntryJSON]
    kilde: str
    merknad: str


class _SummariseRequired(TypedDict):
    oppforinger: int
    kommuner: int
    fylker_2012: int
    fylker_2024: int
    lister: dict[str, list[TermRowJSON]]
    fritekst: dict[str, FreeJSON]
    prosjekter: ProjectYearsJSON


class SummariseJSON(_SummariseRequired, total=False):
    kryss: dict[str, list[CrossRowJSON]]  # with --by
    folketall: GrowthJSON  # with --folketall


def term_row_json(row: TermCount) -> TermRowJSON:
    return {
        "term": row.term or "",
        "etikett": row.label,
        "oppforinger": row.entries,
        "andel": row.share,
    }


def cross_row_json(row: CrossRow) -> CrossRowJSON:
    return {
        "term": row.term,
        "etikett": row.label,
        "grupper": {
            name: {"antall": group.entries, "andel": group.share}
            for name, group in row.groups.items()
        },
    }


def growth_json(growth: GrowthSummary) -> GrowthJSON:
    return {
        "med_tall": growth.with_figures,
        "uten_tall": growth.without_figures,
        "vekst": growth.grew,
        "nedgang": growth.declined,
        "bedre_enn_referansen": growth.better,
        "svakere_enn_referansen": growth.weaker,
        "fra": growth.span_from,
        "til": growth.span_to,
        "grenser": growth.borders,
        "oppforinger": [
            {
                "slug": e.slug,
                "tittel": e.title,
                "omrade": e.area,
                "fra": e.start,
                "til": e.end,
                "grenser": e.borders,
                "endring_prosent": e.percent,
                "referanse_prosent": e.reference_percent,
                "differanse_prosentpoeng": e.difference,
            }
            for e in growth.entries
        ],
        "kilde": growth.source,
        "merknad": growth.note,
    }


def summarise_json(result: SummaryResult) -> SummariseJSON:
    data: SummariseJSON = {
        "oppforinger": result.entries,
        "kommuner": result.kommuner,
        "fylker_2012": result.fylker_2012,
        "fylker_2024": result.fylker_2024,
        "lister": {
            liste: [term_row_json(row) for row in rows] for liste, rows in result.lists.items()
        },
        "fritekst": {
            liste: {"oppforinger": free.entries, "svar": free.answers}
            for liste, free in result.free.items()
        },
        "prosjekter": {
            "startet": {str(year): n for year, n in result.started.items()},
            "aktive": {str(year): n for year, n in result.active.items()},
        },
    }
    if result.cross is not None:
        data["kryss"] = {
            liste: [cross_row_json(row) for row in rows] for liste, rows in result.cross.items()
        }
    if result.growth is not None:
        data["folketall"] = growth_json(result.growth)
    return data


# -- timeline ---------------------------------------------------------------------------
class TimelineProjectJSON(TypedDict):
    navn: str
    fra: int | None
    til: int | None
    pagaende: bool
    vist_til: int | None


class TimelineEntryJSON(TypedDict):
    slug: str
    tittel: str
    prosjekter: list[TimelineProjectJSON]


class TimelineJSON(TypedDict):
    fra: int
    til: int
    oppforinger: list[TimelineEntryJSON]


def timeline_json(result: TimelineResult) -> TimelineJSON:
    return {
        "fra": result.first,
        "til": result.last,
        "oppforinger": [
            {
                "slug": e.slug,
                "tittel": e.title,
                "prosjekter": [
                    {
                        "navn": p.name,
                        "fra": p.start,
                        "til": p.end,
                        "pagaende": p.ongoing,
                        "vist_til": p.shown_to,
                    }
                    for p in e.projects
                ],
            }
            for e in result.entries
        ],
    }


# -- folketall --------------------------------------------------------------------------
class AreaJSON(TypedDict):
    navn: str
    kommunenummer: list[str]
    kommunenummer_2012: list[str]
    grenser: str
    merknader: list[str]


class ReferenceJSON(TypedDict):
    type: str
    navn: str
    kommuner: int
    grenser: str


class SeriesJSON(TypedDict):
    ar: int
    folketall: int | None
    grenser: str | None
    indeks: float | None
    referanse_folketall: int | None
    referanse_indeks: float | None
    referanse_grenser: str | None
    gruppe_indeks: float | None


class ChangeJSON(TypedDict):
    fra: int
    til: int
    personer: int | None
    prosent: float | None
    grenser: str | None


class PeriodJSON(TypedDict):
    prosjekt: str
    prosjektperiode: str
    under: ChangeJSON
    foer: ChangeJSON
    referanse: ChangeJSON
    differanse_prosentpoeng: float | None
    gruppe_median_prosent: float | None
    differanse_gruppe_prosentpoeng: float | None


class GroupMemberJSON(TypedDict):
    navn: str
    nummer_2012: str
    fylke_2012: str
    folketall_fra: int
    folketall_til: int
    personer: int
    prosent: float


class _ComparisonRequired(TypedDict):
    omfang: str
    fylker_2012: list[str]
    faktor: float
    fra: int
    til: int
    folketall: int
    minst: int
    hoyst: int
    i_fylket: int
    antall: int
    median_prosent: float | None
    nedre_kvartil_prosent: float | None
    ovre_kvartil_prosent: float | None
    min_prosent: float | None
    maks_prosent: float | None
    endring_prosent: float | None
    differanse_prosentpoeng: float | None


class ComparisonJSON(_ComparisonRequired, total=False):
    medlemmer: list[GroupMemberJSON]  # with --sammenlign


class FolketallJSON(TypedDict):
    slug: str
    tittel: str
    omrade: AreaJSON
    referanse: ReferenceJSON
    indeksar: int
    serie: list[SeriesJSON]
    perioder: list[PeriodJSON]
    merknader: list[str]
    kilde: str
    sammenligning: ComparisonJSON | None


def change_json(change: Change) -> ChangeJSON:
    return {
        "fra": change.start,
        "til": change.end,
        "personer": change.persons,
        "prosent": change.percent,
        "grenser": change.borders,
    }


def period_json(period: PeriodChange) -> PeriodJSON:
    return {
        "prosjekt": period.project,
        "prosjektperiode": period.label,
        "under": change_json(period.during),
        "foer": change_json(period.before),
        "referanse": change_json(period.reference),
        "differanse_prosentpoeng": period.difference,
        "gruppe_median_prosent": period.group_median,
        "differanse_gruppe_prosentpoeng": period.group_difference,
    }


def comparison_json(group: ComparisonGroup) -> ComparisonJSON:
    data: ComparisonJSON = {
        "omfang": group.scope,
        "fylker_2012": group.counties,
        "faktor": group.factor,
        "fra": group.start,
        "til": group.end,
        "folketall": group.base,
        "minst": group.low,
        "hoyst": group.high,
        "i_fylket": group.in_county,
        "antall": len(group.members),
        "median_prosent": group.median,
        "nedre_kvartil_prosent": group.lower_quartile,
        "ovre_kvartil_prosent": group.upper_quartile,
        "min_prosent": group.minimum,
        "maks_prosent": group.maximum,
        "endring_prosent": group.percent,
        "differanse_prosentpoeng": group.difference,
    }
    if group.details:
        data["medlemmer"] = [
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
        ]
    return data


def folketall_json(result: FolketallResult) -> FolketallJSON:
    return {
        "slug": result.slug,
        "tittel": result.title,
        "omrade": {
            "navn": result.area,
            "kommunenummer": result.numbers,
            "kommunenummer_2012": result.numbers_2012,
            "grenser": result.borders,
            "merknader": result.area_notes,
        },
        "referanse": {
            "type": result.reference_kind,
            "navn": result.reference_name,
            "kommuner": result.reference_count,
            "grenser": result.reference_borders,
        },
        "indeksar": result.index_year,
        "serie": [
            {
                "ar": p.year,
                "folketall": p.population,
                "grenser": p.borders,
                "indeks": p.indexed,
                "referanse_folketall": p.reference_population,
                "referanse_indeks": p.reference_index,
                "referanse_grenser": p.reference_borders,
                "gruppe_indeks": p.group_index,
            }
            for p in result.series
        ],
        "perioder": [period_json(p) for p in result.periods],
        "merknader": result.notes,
        "kilde": result.source,
        "sammenligning": comparison_json(result.group) if result.group else None,
    }


# -- check -------------------------------------------------------------------------------
class CheckProblemJSON(TypedDict):
    linje: int | None
    niva: str
    melding: str


class CheckJSON(TypedDict):
    fil: str
    status: str
    oppforing: EntryJSON | None
    problemer: list[CheckProblemJSON]


def check_json(path: str, failed: bool, entry: Entry | None, problems: list[Problem]) -> CheckJSON:
    """One file `check` read: "ok" or "feil" (errors), its entry, its problems."""
    return {
        "fil": path,
        "status": "feil" if failed else "ok",
        "oppforing": entry_json(entry) if entry is not None else None,
        "problemer": [{"linje": p.line, "niva": p.level, "melding": p.message} for p in problems],
    }


# -- export ------------------------------------------------------------------------------
class ExportJSON(TypedDict):
    skjema: int
    generert: str
    antall: int
    oppforinger: list[EntryJSON]


class ExportLineJSON(EntryJSON):
    skjema: int


def export_json(entries: list[Entry]) -> ExportJSON:
    return {
        "skjema": SCHEMA_VERSION,
        "generert": clock.today().isoformat(),
        "antall": len(entries),
        "oppforinger": [entry_json(e) for e in entries],
    }


def export_line_json(entry: Entry) -> ExportLineJSON:
    return {"skjema": SCHEMA_VERSION, **entry_json(entry)}


# -- the static site's search index -------------------------------------------------------
class FoldingJSON(TypedDict):
    bokstaver: list[list[str]]
    tegn: str


class SiteSearchJSON(TypedDict):
    skjema: int
    folding: FoldingJSON
    oppforinger: list[str]
    ord: dict[str, list[int]]
    former: dict[str, list[str]]


def site_search_json(index: SiteSearch) -> SiteSearchJSON:
    """The index `export --format html` writes beside its pages (sok.js)."""
    from tilflytting.core.fold import LETTERS, MARKS

    return {
        "skjema": SCHEMA_VERSION,
        "folding": {"bokstaver": [list(pair) for pair in LETTERS], "tegn": MARKS},
        "oppforinger": index.slugs,
        "ord": index.words,
        "former": index.forms,
    }
