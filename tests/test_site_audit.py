"""Findings of the audit of the site and its folders.

1. Every count on the exported site equals the number of entries the list
   it opens shows. Each link whose text is a number is followed: a link to
   the index with filters is evaluated against the items' filter data in
   index.html (what the page's script reads) and, independently, against
   the catalog's JSON export and `search --år`; a link to a table on the
   same page is checked against that table's rows.
2. A report and a site (and a YAML export) never replace each other's
   folder: the folder's marker records which kind of output wrote it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.conftest import Cli, catalog_copy

LISTS = ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper")
CATALOG_YEAR = 2012  # projects without an end year run to the catalog's year


# -- 1: every count opens as many entries ------------------------------------------------------
@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return catalog_copy(bundled_db, tmp_path_factory, "site-audit")


@pytest.fixture(scope="module")
def entries(catalog: Cli) -> list[dict[str, Any]]:
    document = json.loads(catalog("export", "--format", "json").stdout)
    entries: list[dict[str, Any]] = document["oppforinger"]
    return entries


@pytest.fixture(scope="module")
def site(catalog: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    result = catalog("export", "--format", "html", "--out", str(folder))
    assert result.exit_code == 0, result.stderr
    return folder


class Counts(HTMLParser):
    """A page's links with their text, the index's items with their filter
    data, and each element with an id: the rows of the first table after it."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.items: list[dict[str, list[str]]] = []
        self.rows: dict[str, int] = {}
        self._href: str | None = None
        self._text: list[str] = []
        self._waiting: list[str] = []  # ids whose table has not begun
        self._counting: list[str] = []  # ids whose table is being read
        self._depth = 0  # in <tbody>
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self._waiting.append(found["id"] or "")
        if tag == "a":
            self._href, self._text = found.get("href") or "", []
        if tag == "li" and found.get("data-f") is not None:
            self.items.append(json.loads(found["data-f"] or "{}"))
        if tag == "tbody":
            self._counting, self._waiting = self._waiting, []
            self._depth += 1
        if tag == "tr" and self._depth:
            for name in self._counting:
                self.rows[name] = self.rows.get(name, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        if tag == "tbody":
            self._depth -= 1
            self._counting = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def count_of(text: str) -> int | None:
    """The number a link's text is, if it is one (1,234 or 1 234)."""
    if not re.fullmatch(r"\d{1,3}(?:[ ,\u00a0\u202f]\d{3})*", text):
        return None
    return int(re.sub(r"\D", "", text))


def years(entry: dict[str, Any]) -> tuple[set[int], set[int]]:
    """The years an entry has a project starting, and running: from its
    start to its end, to the catalog's year while it runs."""
    started: set[int] = set()
    running: set[int] = set()
    for project in entry["prosjekter"]:
        start = project["fra"]
        if start is None:
            continue
        started.add(start)
        end = project["til"] or (CATALOG_YEAR if project["pagaende"] else start)
        running.update(range(start, max(start, end) + 1))
    return started, running


def chosen(entries: list[dict[str, Any]], key: str, value: str) -> set[str]:
    """The slugs a filter of the index chooses, from the catalog's JSON."""
    found = set()
    for entry in entries:
        if key in LISTS:
            terms = {i["term"] or "_fritekst" for i in entry[key]}
            has = value in terms
        elif key == "fylke":
            has = value in entry["fylker"]
        elif key == "fylke2012":
            has = value in entry["fylker_2012"]
        elif key == "kommune":
            has = value in [k["nummer_2012"] or k["nummer"] for k in entry["kommuner"]]
        elif key == "region":
            has = value in [r.strip() for r in (entry["region"] or "").split(",")]
        elif key == "startet":
            has = int(value) in years(entry)[0]
        elif key == "ar":
            has = int(value) in years(entry)[1]
        else:
            raise AssertionError(f"a filter the test does not know: {key}")
        if has:
            found.add(entry["slug"])
    return found


def test_every_count_on_the_site_equals_the_entries_its_link_shows(
    catalog: Cli, site: Path, entries: list[dict[str, Any]]
) -> None:
    index = Counts((site / "index.html").read_text("utf-8"))
    assert len(index.items) == len(entries)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == len(entries) + 2
    checked: dict[str, int] = {}
    for path in pages:
        page = Counts(path.read_text("utf-8"))
        for href, text in page.links:
            count = count_of(text)
            if count is None:
                continue
            parts = urlsplit(href)
            where = f"{path.relative_to(site)}: {text} -> {href}"
            if not parts.path:  # a table on the same page: as many rows
                assert page.rows.get(parts.fragment) == count, where
                checked["table"] = checked.get("table", 0) + 1
                continue
            assert parts.path.endswith("index.html") and not parts.fragment, where
            asked = parse_qsl(parts.query)
            shown = [
                item
                for item in index.items
                if all(value in item.get(key, []) for key, value in asked)
            ]
            assert len(shown) == count, where  # what the page's filter shows
            expected = {s["slug"] for s in entries}
            for key, value in asked:
                expected &= chosen(entries, key, value)
                checked[key] = checked.get(key, 0) + 1
            assert len(expected) == count, where  # what the catalog holds
            if [key for key, _value in asked] == ["ar"]:  # what `search --år` finds
                found = json.loads(catalog("search", "--år", asked[0][1], "-f", "json").stdout)
                assert len(found) == count, where
    # Every kind of count was met: the catalog, places, four lists, years.
    assert set(checked) >= {"table", "fylke", "fylke2012", "kommune", "region", "ar", "startet"}
    assert set(checked) >= set(LISTS)


def test_the_years_table_counts_entries_for_every_year_a_project_ran(
    site: Path, entries: list[dict[str, Any]]
) -> None:
    """A year with projects running but none starting has its row too."""
    page = Counts((site / "oversikt.html").read_text("utf-8"))
    linked = {
        (key, value)
        for href, _text in page.links
        for key, value in parse_qsl(urlsplit(href).query)
        if key in ("ar", "startet")
    }
    running = {y for e in entries for y in years(e)[1]}
    started = {y for e in entries for y in years(e)[0]}
    assert {int(v) for k, v in linked if k == "ar"} == running
    assert {int(v) for k, v in linked if k == "startet"} == started
    assert running - started  # the catalog has such years: the test can fail


# -- 2: a report and a site never replace each other -----------------------------------------
MARKER = ".tilflytting-export"
WRITE = {
    "yaml": ("export", "--format", "yaml", "--out"),
    "html": ("export", "--format", "html", "--out"),
    "rapport": ("rapport", "--out"),
}
THERE = {  # what the refusal names (English: the suite's language)
    "yaml": "a YAML export (export --format yaml)",
    "html": "a static site (export --format html)",
    "rapport": "a report (rapport --out)",
}
ITS_FILE = {
    "yaml": "tilflyttingstiltak-i-holtalen.yaml",
    "html": "index.html",
    "rapport": "rapport.md",
}


@pytest.fixture(scope="module")
def writer(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """A catalog of Holtålen's entry alone: these tests are about folders,
    and a site or a report of one entry is written in a fraction of the time."""
    cli = catalog_copy(bundled_db, tmp_path_factory, "folders")
    listed = json.loads(cli("list", "--format", "json").stdout)
    others = [e["slug"] for e in listed if e["slug"] != "tilflyttingstiltak-i-holtalen"]
    assert cli("remove", *others).exit_code == 0
    yield cli


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


PAIRS = [(a, b) for a in WRITE for b in WRITE if a != b]


@pytest.mark.parametrize(("first", "then"), PAIRS, ids=[f"{a}-then-{b}" for a, b in PAIRS])
def test_one_kind_of_output_never_replaces_another(
    writer: Cli, tmp_path: Path, first: str, then: str
) -> None:
    out = tmp_path / "out"
    assert writer(*WRITE[first], str(out)).exit_code == 0
    before = tree(out)
    refused = writer(*WRITE[then], str(out))
    assert refused.exit_code == 2, refused.stderr
    assert THERE[first] in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert tree(out) == before
    forced = writer(*WRITE[then], str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    after = tree(out)
    assert (out / ITS_FILE[first]).is_file() and (out / ITS_FILE[then]).is_file()
    kept = set(before) - set(after)
    assert not kept, kept  # the first output's files stay


@pytest.mark.parametrize("kind", list(WRITE))
def test_the_same_kind_replaces_its_own_folder(writer: Cli, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    assert writer(*WRITE[kind], str(out)).exit_code == 0
    again = writer(*WRITE[kind], str(out))
    assert again.exit_code == 0, again.stderr
    lines = (out / MARKER).read_text("utf-8").splitlines()
    listed = sorted(line for line in lines if not line.startswith("#"))
    on_disk = sorted(name for name in tree(out) if name != MARKER)
    assert listed == on_disk and f"# kind: {kind}" in lines


@pytest.mark.parametrize("kind", list(WRITE))
def test_a_marker_of_the_previous_format_still_tells_its_kind(
    writer: Cli, tmp_path: Path, kind: str
) -> None:
    """The previous marker: a comment, then the files, no kind."""
    out = tmp_path / "out"
    assert writer(*WRITE[kind], str(out)).exit_code == 0
    files = sorted(name for name in tree(out) if name != MARKER)
    old = "# Written by tilflytting: the files below.\n" + "".join(f"{f}\n" for f in files)
    (out / MARKER).write_text(old, "utf-8")
    for other in WRITE:
        if other != kind:
            before = tree(out)
            refused = writer(*WRITE[other], str(out))
            assert refused.exit_code == 2 and THERE[kind] in refused.stderr, refused.stderr
            assert tree(out) == before
    again = writer(*WRITE[kind], str(out))
    assert again.exit_code == 0, again.stderr  # its own kind replaces it, as before
    assert f"# kind: {kind}" in (out / MARKER).read_text("utf-8").splitlines()
