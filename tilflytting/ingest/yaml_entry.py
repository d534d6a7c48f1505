"""The YAML entry format: read (strictly validated) and write.

Validation walks PyYAML's node tree, which keeps line numbers, before any
value is built, so that YAML 1.1 traps (`0301` read as a number, `NO` read as
false), duplicate keys, unknown keys, tags and aliases are errors naming the
key and the line. Values are then built from the checked nodes by the safe
constructor only (`yaml.safe_load`'s).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

import yaml

from tilflytting.core.fold import key, strip_controls
from tilflytting.core.i18n import N_
from tilflytting.core.model import LISTS, Entry, Item, Project
from tilflytting.core.names import name_problem, safe_name
from tilflytting.reference.places import reference

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
FLOAT = "tag:yaml.org,2002:float"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
_READ_AS = {INT: "a number", FLOAT: "a number", BOOL: "yes/no (a boolean)", NULL: "empty"}

SCHEMA_KEYS = (
    "tittel",
    "slug",
    "ingress",
    "tekst",
    "fagomrader",
    "kommuner",
    "fylke",
    "region",
    "prosjekter",
    *LISTS,
    "hovedmal",
    "komplett",
    "url",
)
PROJECT_KEYS = ("navn", "fra", "til", "pagaende", "periode")
FIRST_YEAR, LAST_YEAR = 1900, 2100  # as ingest/periods.py reads a page's years
_YEAR = re.compile(r"[0-9]{4}")
_SURROGATE = re.compile("[\ud800-\udfff]")
ITEM_KEYS = ("tekst", "term", "avkortet")
# libyaml's parser where PyYAML was built with it: the pure-Python one took
# 25 s for 2 MB of list items (0.3 s). Both compose the same nodes with the
# same lines; values are built by the same safe constructor.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EntryFormatError(ValueError):
    """A YAML entry that does not follow the format, with the line at fault."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


class _Validator:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.lines: dict[str, int] = {}  # "aktiviteter[2]" -> its line, for provenance
        self.controls: list[int] = []  # lines of text with control characters

    def visit(self, node: yaml.Node, where: str = "") -> None:
        # PyYAML composes an alias as the node it points to; meeting a node
        # twice means aliases, which also guards against "billion laughs".
        if id(node) in self.seen:
            raise EntryFormatError(N_("YAML anchors and aliases are not allowed"), _line(node))
        self.seen.add(id(node))
        self.lines[where] = _line(node)

    def mapping(
        self, node: yaml.Node, allowed: tuple[str, ...], where: str
    ) -> dict[str, yaml.Node]:
        self.visit(node, where)
        if not isinstance(node, yaml.MappingNode) or node.tag != MAP:
            raise EntryFormatError(
                N_("{where} must be a mapping of keys to values").format(where=where), _line(node)
            )
        result: dict[str, yaml.Node] = {}
        for key_node, value in node.value:
            name = str(key_node.value)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != STR:
                raise EntryFormatError(
                    N_("{where}: key '{name}' must be text").format(where=where, name=name),
                    _line(key_node),
                )
            if name in result:
                raise EntryFormatError(
                    N_("{where}: duplicate key '{name}'").format(where=where, name=name),
                    _line(key_node),
                )
            if name not in allowed:
                close = difflib.get_close_matches(name, allowed, n=1)
                if close:
                    message = N_("{where}: unknown key '{name}' (did you mean '{close}'?)").format(
                        where=where, name=name, close=close[0]
                    )
                else:
                    message = N_("{where}: unknown key '{name}'").format(where=where, name=name)
                raise EntryFormatError(message, _line(key_node))
            result[name] = value
        return result

    def scalar(self, node: yaml.Node, tags: tuple[str, ...], where: str) -> None:
        self.visit(node, where)
        if isinstance(node, yaml.ScalarNode) and node.tag in tags:
            if node.tag == STR:
                self.text(node, where)
            return
        want = {STR: "text", INT: "a year", BOOL: "true or false", NULL: "empty"}
        expected = " or ".join(want[t] for t in tags if t in want)
        if isinstance(node, yaml.ScalarNode) and node.tag in _READ_AS and STR in tags:
            raise EntryFormatError(
                N_("'{where}': {value} was read as {kind}; put it in quotes: '{quoted}'").format(
                    where=where, value=node.value, kind=_READ_AS[node.tag], quoted=node.value
                ),
                _line(node),
            )
        found = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        if isinstance(node, yaml.ScalarNode):
            found = f"'{node.value}'" if node.tag in (STR, INT, BOOL, NULL, FLOAT) else node.tag
        raise EntryFormatError(
            N_("'{where}' must be {expected}, found {found}").format(
                where=where, expected=expected, found=found
            ),
            _line(node),
        )

    def text(self, node: yaml.ScalarNode, where: str) -> None:
        """Text that is no text (a lone surrogate, from an escape such as
        `"\\ud800"`) is an error; control characters are noted, to be removed."""
        value = str(node.value)
        if _SURROGATE.search(value):
            raise EntryFormatError(
                N_("'{where}' holds a lone surrogate (an escape such as \\ud800), not text").format(
                    where=where
                ),
                _line(node),
            )
        if strip_controls(value)[1]:
            self.controls.append(_line(node))

    def sequence(self, node: yaml.Node, where: str, each: Callable[[yaml.Node, str], None]) -> None:
        self.visit(node, where)
        if isinstance(node, yaml.ScalarNode) and node.tag == NULL:
            return
        if not isinstance(node, yaml.SequenceNode) or node.tag != SEQ:
            raise EntryFormatError(N_("'{where}' must be a list").format(where=where), _line(node))
        for index, child in enumerate(node.value):
            each(child, f"{where}[{index}]")


def _validate(root: yaml.Node) -> _Validator:
    """Check the whole document; the validator keeps the line of each key and
    list element (`tittel`, `aktiviteter[2]`, `prosjekter[0]`)."""
    check = _Validator()
    fields = check.mapping(root, SCHEMA_KEYS, "the entry")
    if "tittel" not in fields:
        raise EntryFormatError(N_("the entry has no 'tittel' (title)"), _line(root))
    text_or_null = (STR, NULL)
    for name in ("tittel", "slug", "ingress", "tekst", "region", "url"):
        if name in fields:
            check.scalar(fields[name], (STR,) if name == "tittel" else text_or_null, name)
    if "komplett" in fields:
        check.scalar(fields["komplett"], (BOOL,), "komplett")
    if isinstance(fields.get("fylke"), yaml.ScalarNode):
        check.scalar(fields["fylke"], (STR, NULL), "fylke")  # one county, or a list of them
    elif "fylke" in fields:
        check.sequence(fields["fylke"], "fylke", lambda n, w: check.scalar(n, (STR,), w))
    for name in ("fagomrader", "kommuner", "hovedmal"):
        if name in fields:
            check.sequence(fields[name], name, lambda n, w: check.scalar(n, (STR,), w))
    for name in LISTS:
        if name in fields:
            check.sequence(fields[name], name, lambda n, w: _item(check, n, w))
    if "prosjekter" in fields:
        check.sequence(fields["prosjekter"], "prosjekter", lambda n, w: _project(check, n, w))
    if isinstance(fields.get("slug"), yaml.ScalarNode) and fields["slug"].tag == STR:
        _slug(fields["slug"])
    return check


def _item(check: _Validator, node: yaml.Node, where: str) -> None:
    if isinstance(node, yaml.MappingNode):
        fields = check.mapping(node, ITEM_KEYS, where)
        check.scalar(fields.get("tekst", node), (STR,), f"{where}.tekst")
        if "term" in fields:
            check.scalar(fields["term"], (STR, NULL), f"{where}.term")
        if "avkortet" in fields:
            check.scalar(fields["avkortet"], (BOOL,), f"{where}.avkortet")
    else:
        check.scalar(node, (STR,), where)


def _project(check: _Validator, node: yaml.Node, where: str) -> None:
    fields = check.mapping(node, PROJECT_KEYS, where)
    if "navn" not in fields:
        raise EntryFormatError(
            N_("'{where}' has no 'navn' (name)").format(where=where), _line(node)
        )
    check.scalar(fields["navn"], (STR,), f"{where}.navn")
    years = {}
    for name in ("fra", "til"):
        if name in fields:
            check.scalar(fields[name], (INT, NULL), f"{where}.{name}")
            if fields[name].tag == INT:
                years[name] = _year(fields[name], f"{where}.{name}")
    if "fra" in years and "til" in years and years["til"] < years["fra"]:
        raise EntryFormatError(
            N_("'{where}' ends ({end}) before it starts ({start})").format(
                where=where, end=years["til"], start=years["fra"]
            ),
            _line(fields["til"]),
        )
    if "pagaende" in fields:
        check.scalar(fields["pagaende"], (BOOL,), f"{where}.pagaende")
    if "periode" in fields:
        check.scalar(fields["periode"], (STR,), f"{where}.periode")


def _year(node: yaml.Node, where: str) -> int:
    """A project's year: four digits, 1900-2100. YAML 1.1 reads `20:08` as
    1208 (base 60), `0x7d8` and `-2008` as numbers too: all refused."""
    value = str(node.value)
    if not _YEAR.fullmatch(value):
        raise EntryFormatError(
            N_("'{where}': {value} is not a year; write four digits, e.g. 2008").format(
                where=where, value=value[:20]
            ),
            _line(node),
        )
    year = int(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise EntryFormatError(
            N_("'{where}': {year} is not a year between {first} and {last}").format(
                where=where, year=year, first=FIRST_YEAR, last=LAST_YEAR
            ),
            _line(node),
        )
    return year


def _slug(node: yaml.Node) -> None:
    """A stated slug must be a safe file name (core/names.py)."""
    slug = str(node.value).strip()
    if not slug:
        return  # empty: made from the title
    problem = name_problem(slug)
    if problem:
        raise EntryFormatError(
            N_("'slug': '{slug}' cannot name a file: {problem}; for example '{safe}'").format(
                slug=strip_controls(slug[:60])[0], problem=problem, safe=safe_name(slug)
            ),
            _line(node),
        )


def parse_yaml(text: str) -> Entry:
    """Read one YAML entry; raise EntryFormatError naming the line at fault."""
    try:
        root = _compose(text)
    except RecursionError:
        raise EntryFormatError(N_("YAML nested too deeply"), None) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:  # libyaml's limit, 1,000 levels
            raise EntryFormatError(N_("YAML nested too deeply"), None) from None
        raise EntryFormatError(
            N_("not valid YAML: {problem}").format(problem=problem), mark.line + 1 if mark else None
        ) from exc
    if root is None:
        raise EntryFormatError(N_("the file is empty"), None)
    check = _validate(root)
    data = _construct(root)
    removed = 0
    if check.controls:
        data, removed = _without_controls(data)
    entry = _entry(data, check.lines)
    if removed:
        entry.warn(
            N_("removed {count} control character(s)").format(count=removed), check.controls[0]
        )
    return entry


def _compose(text: str) -> yaml.Node | None:
    """The node tree; a lone surrogate escape (`"\\ud800"`), which libyaml
    refuses on its own terms, is read by PyYAML's parser to be named as such."""
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        if _LOADER is yaml.SafeLoader or "invalid Unicode" not in str(exc):
            raise
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _construct(root: yaml.Node) -> dict[str, Any]:
    """The values of the checked node tree, built by the safe constructor
    (the text is not parsed a second time)."""
    loader = _LOADER("")
    try:
        data: dict[str, Any] = loader.construct_document(root)
    finally:
        loader.dispose()
    return data


def _without_controls(value: Any) -> tuple[Any, int]:
    """`value` with control characters taken out of every text in it (the
    one rule of core/fold.py, as for pages), and how many went."""
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        items = [_without_controls(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(value, dict):
        fields = {k: _without_controls(v) for k, v in value.items()}
        return {k: v for k, (v, _) in fields.items()}, sum(n for _, n in fields.values())
    return value, 0


def _entry(data: dict[str, Any], lines: dict[str, int]) -> Entry:
    entry = Entry(title=data["tittel"].strip(), title_line=lines["tittel"])
    entry.slug = (data.get("slug") or "").strip()
    entry.lead = (data.get("ingress") or "").strip()
    entry.text = (data.get("tekst") or "").strip()
    entry.areas = list(data.get("fagomrader") or [])
    entry.stated_places = list(data.get("kommuner") or [])
    county = data.get("fylke") or []
    entry.stated_counties = [county] if isinstance(county, str) else list(county)
    entry.region = data.get("region")
    entry.url = data.get("url")
    entry.complete = data.get("komplett", True)
    for name in LISTS:
        entry.lists[name] = [
            _to_item(raw, lines.get(f"{name}[{i}]")) for i, raw in enumerate(data.get(name) or [])
        ]
    entry.main_goal = [
        Item(text, lines.get(f"hovedmal[{i}]")) for i, text in enumerate(data.get("hovedmal") or [])
    ]
    entry.projects = [
        _to_project(raw, lines.get(f"prosjekter[{i}]"))
        for i, raw in enumerate(data.get("prosjekter") or [])
    ]
    return entry


def _to_item(raw: str | dict[str, Any], line: int | None) -> Item:
    if isinstance(raw, dict):
        return Item(raw["tekst"].strip(), line, raw.get("term"), raw.get("avkortet", False))
    return Item(raw.strip(), line)


def _to_project(raw: dict[str, Any], line: int | None) -> Project:
    start, end = raw.get("fra"), raw.get("til")
    ongoing = bool(raw.get("pagaende", end is None and start is not None))
    period = raw.get("periode") or plain_period(start, end, ongoing)
    return Project(raw["navn"].strip(), start, end, ongoing, period, line)


def _from_region(evidence: str | None) -> bool:
    return evidence is not None and evidence.startswith("region")


def plain_period(start: int | None, end: int | None, ongoing: bool) -> str:
    """A period written the plain way: `2008–2012`, `2011–`."""
    if ongoing and end is None:
        return f"{start}–" if start else ""
    return "–".join(str(y) for y in (start, end) if y)


# -- writing --------------------------------------------------------------
def entry_to_data(entry: Entry, with_text: bool = True) -> dict[str, Any]:
    """The entry as the YAML format's mapping (keys in documented order)."""
    data: dict[str, Any] = {"tittel": entry.title, "slug": entry.slug}
    data["ingress"] = entry.lead
    if with_text and entry.text:
        data["tekst"] = entry.text
    if entry.areas:
        data["fagomrader"] = entry.areas
    # Members of a named region come back from `region` when read again.
    own = [p for p in entry.places if not (entry.region and _from_region(p.evidence))]
    kommuner = [_place_name(p.name, p.fylke_2012 or p.fylke_2024) for p in own if p.name]
    if kommuner:
        data["kommuner"] = list(dict.fromkeys(kommuner))
    elif own:
        counties = [p.fylke_2012 or p.fylke_2024 for p in own]
        data["fylke"] = counties[0] if len(counties) == 1 else counties
    if entry.region:
        data["region"] = entry.region
    if entry.projects:
        data["prosjekter"] = [_project_data(p) for p in entry.projects]
    # The lists as written: terms come from the vocabulary when the file is
    # imported, so an export follows later vocabulary changes.
    lists = entry.raw_lists or entry.lists
    for name in LISTS:
        if lists.get(name):
            data[name] = [_item_data(item) for item in lists[name]]
    if with_text and entry.main_goal:
        data["hovedmal"] = [item.text for item in entry.main_goal]
    data["komplett"] = entry.complete
    if entry.url:
        data["url"] = entry.url
    return data


def _item_data(item: Item) -> str | dict[str, Any]:
    """An item as plain text, or a mapping when it carries more than its text
    (a term a maintainer stated, or a cut-off mark)."""
    if not item.truncated and item.term is None:
        return item.text
    data: dict[str, Any] = {"tekst": item.text}
    if item.term is not None:
        data["term"] = item.term
    if item.truncated:
        data["avkortet"] = True
    return data


def _place_name(name: str, county: str | None) -> str:
    """A municipality as YAML names it; namesakes get their county: `Herøy (Nordland)`."""
    namesakes = reference().by_name.get(key(name), [])
    return f"{name} ({county})" if len(namesakes) > 1 and county else name


def _project_data(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {
        "navn": project.name,
        "fra": project.start,
        "til": project.end,
        "pagaende": project.ongoing,
    }
    # The period as the page wrote it, where that says more than the years.
    if project.period and project.period != plain_period(
        project.start, project.end, project.ongoing
    ):
        data["periode"] = project.period
    return data


class _Dumper(yaml.SafeDumper):
    """Multi-line text as literal blocks, so paragraphs read as they were written."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(STR, value, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
