"""The static site (`export --format html`, issue 22): files written for
readers (no codes, Norwegian numbers, links that answer the next question,
figures), and the site in a real headless Chromium: search, filters kept in
the address, count links, figures, two widths, no console errors, hostile
text, and axe-core's accessibility check.

Expected values come from the catalog's JSON export and the other commands
(`similar`, `search`), never from the site's own output.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CATALOG, FIXTURES, PAGES, Cli
from tests.test_export import HOSTILE_TITLE, headless_chromium
from tilflytting.core.fold import fold

AXE = FIXTURES / "axe-core" / "axe.min.js"
HOLTALEN = "tilflyttingstiltak-i-holtalen"
HOSTILE_SLUG = "flytt-script-alert-1-script-hit"
HOSTILE_ANSWER = 'Møter "på" </li><b>byen</b>'
LISTS = ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """The bundled catalog and one hostile page: a script in its title, an
    answer that tries to close the list item."""
    folder = tmp_path_factory.mktemp("site-catalog")
    cli = Cli(folder / "catalog.db")
    assert cli("import", str(CATALOG)).exit_code == 0
    page = (PAGES / "bokmal-complete.txt").read_text("utf-8")
    page = page.replace("Tilflyttingsarbeid i Tynset", HOSTILE_TITLE, 1)
    page = page.replace("Eget nettsted", HOSTILE_ANSWER, 1)
    (folder / "hostile.txt").write_text(page, "utf-8")
    assert cli("import", str(folder / "hostile.txt")).exit_code == 0
    yield cli


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = headless_chromium()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def entries(catalog: Cli) -> dict[str, dict[str, Any]]:
    """Every entry as `export --format json` gives it, by slug."""
    document = json.loads(catalog("export", "--format", "json").stdout)
    return {entry["slug"]: entry for entry in document["oppforinger"]}


@pytest.fixture(scope="module")
def site(catalog: Cli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    result = catalog("export", "-f", "html", "--out", str(folder))
    assert result.exit_code == 0, result.stderr
    return folder


# -- reading the files -------------------------------------------------------------------------
class Page(HTMLParser):
    """A page's visible text (no script, style or attribute) and its links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._skip = 0
        self._link: list[str] | None = None
        self._href = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "title"):
            self._skip += 1
        if tag == "a":
            self._href, self._link = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title"):
            self._skip -= 1
        if tag == "a" and self._link is not None:
            self.links.append((self._href, "".join(self._link).strip()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)
            if self._link is not None:
                self._link.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def read(path: Path) -> Page:
    return Page(path.read_text("utf-8"))


def matching(entries: dict[str, dict[str, Any]], key: str, value: str) -> set[str]:
    """The slugs of the entries a filter of the index chooses, from the JSON
    (one model of the filters, tests/test_site_audit.py `chosen`)."""
    from tests.test_site_audit import chosen

    return chosen(list(entries.values()), key, value)


# -- the files ---------------------------------------------------------------------------------
def test_site_files_escape_entry_text(site: Path) -> None:
    index = (site / "index.html").read_text("utf-8")
    assert index.count("<li data-slug=") == 44
    assert "<script>alert(1)</script>" not in index and "&lt;script&gt;alert(1)" in index
    page = (site / "oppforing" / f"{HOSTILE_SLUG}.html").read_text("utf-8")
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "</li><b>byen</b>" not in page and "&lt;/li&gt;&lt;b&gt;byen&lt;/b&gt;" in page
    assert 'lang="en"' in index and '<label for="f-fylke">' in index and '<label for="q">' in index
    assert "Summary in numbers" in (site / "oversikt.html").read_text("utf-8")


def test_index_without_javascript_is_the_whole_list(site: Path) -> None:
    index = (site / "index.html").read_text("utf-8")
    assert '<form id="finder" class="finder" role="search"' in index
    assert re.search(r"<form [^>]*\bhidden>", index)  # search and filters appear with the script
    assert "<noscript>" in index
    assert index.count('href="oppforing/') == 44


def test_every_link_inside_the_site_leads_to_a_file(site: Path) -> None:
    pages = [site / "index.html", site / "oversikt.html", *(site / "oppforing").glob("*.html")]
    assert len(pages) == 46
    for path in pages:
        for href, _text in read(path).links:
            parts = urlsplit(href)
            if parts.scheme or not parts.path:
                continue  # the published page's address; an anchor on the same page
            assert (path.parent / unquote(parts.path)).is_file(), (path.name, href)


def test_pages_show_no_codes(site: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Answers by their words, places by their names: no term slug, no
    municipality number, no machine key in the visible text."""
    overview = read(site / "oversikt.html").visible
    for key in ("etikett", "oppforinger", "mål / antall", "fylker_2012"):
        assert key not in overview
    for slug, entry in entries.items():
        text = read(site / "oppforing" / f"{slug}.html").visible
        for liste in LISTS:
            for item in entry[liste]:
                if item["term"] and item["term"] != fold(item["tekst"]).replace(" ", "-"):
                    assert f"({item['term']})" not in text and f" {item['term']} " not in text
        for kommune in entry["kommuner"]:
            for number in (kommune["nummer"], kommune["nummer_2012"]):
                assert not number or number not in text, (slug, number)


def test_norwegian_numbers_and_headers(
    catalog: Cli,
    entries: dict[str, dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TILFLYTTING_LANG", "nb")
    assert catalog("export", "-f", "html", "--out", str(tmp_path)).exit_code == 0
    overview = (tmp_path / "oversikt.html").read_text("utf-8")
    having = len(matching(entries, "aktiviteter", "eget-nettsted"))
    share = f"{100 * having / len(entries):.1f}".replace(".", ",") + " %"
    assert re.search(rf">{having}</a></td><td class=\"num\">{share}</td>", overview)
    for header in (
        "Svar",
        "Oppføringer",
        "Andel",
        "Oversikt i tall",
        "Oppføringer etter prosjektår",
    ):
        assert f">{header}<" in overview
    assert "%" not in share.replace(" %", "")  # written "51,2 %", never "51.2%"
    index = (tmp_path / "index.html").read_text("utf-8")
    assert 'lang="nb"' in index and "44 oppføringer" in index
    assert 'data-template="{shown} av {count} oppføringer"' in index
    page = (tmp_path / "oppforing" / f"{HOLTALEN}.html").read_text("utf-8")
    assert "<h2>Målgrupper</h2>" in page and ">Kommune<" in page and ">Folketall<" in page


def test_every_count_of_the_overview_opens_its_entries(
    site: Path, entries: dict[str, dict[str, Any]]
) -> None:
    counted = 0
    for href, text in read(site / "oversikt.html").links:
        parts = urlsplit(href)
        if parts.path != "index.html" or not parts.query:
            continue
        ((key, value),) = parse_qsl(parts.query)
        shown = int(text.replace(",", ""))
        if key == "ar":  # entries with a project running that year (to 2012 without an end)
            found = {
                slug
                for slug, e in entries.items()
                if any(
                    p["fra"]
                    and p["fra"]
                    <= int(value)
                    <= (p["til"] or (2012 if p["pagaende"] else p["fra"]))
                    for p in e["prosjekter"]
                )
            }
        else:
            found = matching(entries, key, value)
        assert shown == len(found), (href, shown, sorted(found))
        counted += 1
    assert counted > 60  # the answers of four lists, counties, regions, municipalities


def test_entry_page_links_places_answers_and_similar(
    catalog: Cli, site: Path, entries: dict[str, dict[str, Any]]
) -> None:
    entry = entries[HOLTALEN]
    page = read(site / "oppforing" / f"{HOLTALEN}.html")
    links = dict(page.links)
    (kommune,) = entry["kommuner"]
    assert links[f"../index.html?kommune={kommune['nummer_2012']}"] == kommune["navn"]
    hrefs = {unquote(h) for h in links}
    for county in entry["fylker"]:
        assert f"../index.html?fylke={county}" in hrefs
    for county in set(entry["fylker_2012"]) - set(entry["fylker"]):  # "(in 2012: ...)"
        assert f"../index.html?fylke2012={county}" in hrefs
    for liste in LISTS:
        for item in entry[liste]:
            if item["term"]:
                assert links[f"../index.html?{liste}={item['term']}"] == item["tekst"]
    wanted = json.loads(catalog("similar", HOLTALEN, "--limit", "5", "--format", "json").stdout)
    shown = [href for href, _ in page.links if re.fullmatch(r"[a-z0-9-]+\.html", href)]
    assert shown == [f"{row['slug']}.html" for row in wanted] and len(shown) == 5


def test_entry_page_has_the_population_figure_and_sources(site: Path) -> None:
    page = (site / "oppforing" / f"{HOLTALEN}.html").read_text("utf-8")
    (image,) = re.findall(
        r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="([^"]+)"', page
    )
    assert "Holtålen" in image and "2005 = 100" in image
    footer = page[page.index('<footer class="site">') :]
    assert "https://distriktssenteret.no/prosjektdatabase/" in footer
    assert "Statistics Norway (SSB), StatBank table 07459" in footer
    overview = (site / "oversikt.html").read_text("utf-8")
    assert overview.count('<img src="data:image/svg+xml;base64,') == 4  # the answers as bars
    assert "The figures are left out" not in overview


def test_site_without_matplotlib(
    catalog: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tilflytting.report import figures

    figures._pyplot.cache_clear()
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` fails
    try:
        result = catalog("export", "-f", "html", "--out", str(tmp_path))
    finally:
        figures._pyplot.cache_clear()
    assert result.exit_code == 0, result.stderr
    assert 'without figures: they need matplotlib (pip install "tilflytting[rapport]")' in (
        result.stderr
    )
    overview = (tmp_path / "oversikt.html").read_text("utf-8")
    assert (
        'The figures are left out: they need matplotlib (pip install "tilflytting[rapport]")'
        in (overview.replace("&quot;", '"'))
    )
    assert not any("<img" in p.read_text("utf-8") for p in tmp_path.rglob("*.html"))
    page = (tmp_path / "oppforing" / f"{HOLTALEN}.html").read_text("utf-8")
    assert "The numbers behind the figure" in page  # the numbers stay


def test_a_filtered_site_links_only_its_own_pages(catalog: Cli, tmp_path: Path) -> None:
    assert (
        catalog("export", "-f", "html", "--fylke", "Nordland", "--out", str(tmp_path)).exit_code
        == 0
    )
    pages = sorted(p.stem for p in (tmp_path / "oppforing").glob("*.html"))
    nordland = json.loads(catalog("list", "--fylke", "Nordland", "--format", "json").stdout)
    assert pages == sorted(row["slug"] for row in nordland)
    for slug in pages:
        for href, _text in read(tmp_path / "oppforing" / f"{slug}.html").links:
            if re.fullmatch(r"[a-z0-9-]+\.html", href):
                assert href[: -len(".html")] in pages


def test_page_names_are_safe_and_distinct() -> None:
    from tilflytting.report.site import page_file, page_files

    assert (
        page_file("tilflyttingstiltak-i-holtalen") == "oppforing/tilflyttingstiltak-i-holtalen.html"
    )
    assert page_file("../../etc/passwd") == "oppforing/etc-passwd.html"
    assert page_file("") == "oppforing/oppforing.html"
    names = page_files(["a b", "a-b", "A_B"])
    assert sorted(names.values()) == [
        "oppforing/a-b-2.html",
        "oppforing/a-b-3.html",
        "oppforing/a-b.html",
    ]


def test_the_search_index(site: Path, entries: dict[str, dict[str, Any]]) -> None:
    text = (site / "sok.js").read_text("utf-8")
    prefix = "window.tilflyttingSok = "
    assert text.startswith(prefix) and text.endswith(";\n")
    index = json.loads(text[len(prefix) : -2])
    assert index["skjema"] == 1 and sorted(index["oppforinger"]) == sorted(entries)
    holtalen = index["oppforinger"].index(HOLTALEN)
    assert holtalen in index["ord"]["holtalen"]  # folded: Holtålen
    assert all(re.fullmatch(r"[a-z0-9]+", word) for word in index["ord"])
    assert "tilflytt" in index["former"]["tilflyttere"]  # a search form (docs/search.md)


# -- in the browser ----------------------------------------------------------------------------
def visible_slugs(browser: Any) -> list[str]:
    slugs: list[str] = browser.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll('#entries li'),"
        " function (li) { return !li.hidden; }).map(function (li) { return li.dataset.slug; });"
    )
    return slugs


def typed(browser: Any, text: str) -> None:
    field = browser.find_element("id", "q")
    field.clear()
    field.send_keys(text)


def errors(browser: Any) -> list[Any]:
    return [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def cli_search(catalog: Cli, query: str) -> set[str]:
    return {hit["slug"] for hit in json.loads(catalog("search", query, "--format", "json").stdout)}


@pytest.mark.slow
def test_filters_in_a_real_browser(browser: Any, site: Path) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get((site / "index.html").as_uri())
    browser.find_element("css selector", "#more summary").click()
    Select(browser.find_element("id", "f-fylke")).select_by_visible_text("Troms")
    assert len(visible_slugs(browser)) == 4
    Select(browser.find_element("id", "f-malgrupper")).select_by_value("barnefamilier")
    titles = {li.find_element("tag name", "a").text for li in browser.find_elements(
        "css selector", "#entries li") if li.is_displayed()}  # fmt: skip
    assert titles == {"Tilflyttingsarbeid i Dyrøy", "Tilflyttingsarbeid i Kåfjord"}
    browser.find_element("link text", "Tilflyttingsarbeid i Dyrøy").click()
    headings = [h.text for h in browser.find_elements("tag name", "h2")]
    assert "Target groups" in headings and "Projects" in headings
    assert "Rekrutteringsteam" in browser.page_source


@pytest.mark.slow
def test_search_narrows_the_list_and_the_address_keeps_it(
    browser: Any, site: Path, catalog: Cli
) -> None:
    errors(browser)
    browser.get((site / "index.html").as_uri())
    assert len(visible_slugs(browser)) == 44
    typed(browser, "HOLTÅLEN")
    assert visible_slugs(browser) == [HOLTALEN]
    assert browser.find_element("id", "count").text == "1 of 44 entries"
    typed(browser, "holtalen")  # folded as the CLI folds: holtalen finds Holtålen
    assert visible_slugs(browser) == [HOLTALEN]
    assert "q=holtalen" in browser.current_url
    # A typed word finds what `search` finds for it as a word or a beginning.
    for word in ("nederland", "tilflyttere", "bolyst", "barnefamilier", "innbyggjarar", "kommune"):
        typed(browser, word)
        assert set(visible_slugs(browser)) == cli_search(catalog, f"{word} OR {word}*"), word
    typed(browser, "constructor")  # not a key of the index's objects' prototype
    assert visible_slugs(browser) == []
    typed(browser, "zzzzqx")
    assert visible_slugs(browser) == [] and browser.find_element("id", "none").is_displayed()
    assert errors(browser) == []


@pytest.mark.slow
def test_search_with_filters_shared_by_address(
    browser: Any, site: Path, entries: dict[str, dict[str, Any]], catalog: Cli
) -> None:
    from selenium.webdriver.support.ui import Select

    browser.get((site / "index.html").as_uri())
    typed(browser, "kommune")
    browser.find_element("css selector", "#more summary").click()
    Select(browser.find_element("id", "f-malgrupper")).select_by_value("barnefamilier")
    Select(browser.find_element("id", "f-fylke")).select_by_visible_text("Nordland")
    expected = (
        cli_search(catalog, "kommune OR kommune*")
        & matching(entries, "malgrupper", "barnefamilier")
        & matching(entries, "fylke", "Nordland")
    )
    assert expected and set(visible_slugs(browser)) == expected
    shared = browser.current_url
    asked = dict(parse_qsl(urlsplit(shared).query))
    assert asked == {"q": "kommune", "malgrupper": "barnefamilier", "fylke": "Nordland"}
    browser.get((site / "oversikt.html").as_uri())
    browser.get(shared)  # the link, opened again: the same list
    assert set(visible_slugs(browser)) == expected
    assert browser.find_element("id", "q").get_attribute("value") == "kommune"
    assert browser.find_element("id", "more").get_attribute("open") is not None
    browser.find_element("id", "clear").click()
    assert len(visible_slugs(browser)) == 44 and urlsplit(browser.current_url).query == ""


@pytest.mark.slow
def test_a_count_link_opens_the_right_list(
    browser: Any, site: Path, entries: dict[str, dict[str, Any]]
) -> None:
    errors(browser)
    browser.get((site / "oversikt.html").as_uri())
    row = browser.find_element(
        "xpath", "//section[@id='s-aktiviteter']//tr[th[normalize-space()='Eget nettsted']]"
    )
    link = row.find_element("tag name", "a")
    count = int(link.text)
    link.click()
    assert urlsplit(browser.current_url).query == "aktiviteter=eget-nettsted"
    assert set(visible_slugs(browser)) == matching(entries, "aktiviteter", "eget-nettsted")
    assert len(visible_slugs(browser)) == count == 22
    assert browser.find_element("id", "count").text == f"{count} of 44 entries"
    # From an entry page: its county opens that county's entries.
    browser.get((site / "oppforing" / f"{HOLTALEN}.html").as_uri())
    browser.find_element("link text", "Sør-Trøndelag").click()
    assert set(visible_slugs(browser)) == matching(entries, "fylke2012", "Sør-Trøndelag")
    # A year's count (the audit: "18" running in 2010 opened 14 entries).
    for query in ("ar=2010", "startet=2005"):
        browser.get((site / "oversikt.html").as_uri())
        link = browser.find_element("css selector", f'a[href="index.html?{query}"]')
        count = int(link.text)
        link.click()
        assert len(visible_slugs(browser)) == count, query
    assert errors(browser) == []


@pytest.mark.slow
def test_entry_page_figure_is_drawn(browser: Any, site: Path) -> None:
    errors(browser)
    browser.get((site / "oppforing" / f"{HOLTALEN}.html").as_uri())
    (image,) = browser.find_elements("css selector", "figure img")
    assert (
        browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", image)
        > 300
    )
    assert image.get_attribute("alt")
    assert errors(browser) == []


@pytest.fixture
def narrow(browser: Any) -> Iterator[Any]:
    """The browser as a phone 375 CSS pixels wide."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True},
    )
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.fixture
def wide(browser: Any) -> Iterator[Any]:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False},
    )
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


PAGES_SEEN = [
    "index.html?malgrupper=barnefamilier",  # the filters open
    "oversikt.html",
    f"oppforing/{HOLTALEN}.html",
    f"oppforing/{HOSTILE_SLUG}.html",
]


def no_sideways_scrolling(browser: Any, site: Path, width: int) -> None:
    errors(browser)
    for page in PAGES_SEEN:
        browser.get(site.as_uri() + "/" + page)
        browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert browser.execute_script("return window.innerWidth") == width
        scroll = browser.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        )
        assert scroll <= width, (page, scroll)
    assert errors(browser) == []


@pytest.mark.slow
def test_a_phone_375_pixels_wide_never_scrolls_sideways(narrow: Any, site: Path) -> None:
    no_sideways_scrolling(narrow, site, 375)


@pytest.mark.slow
def test_a_screen_1280_pixels_wide_never_scrolls_sideways(wide: Any, site: Path) -> None:
    no_sideways_scrolling(wide, site, 1280)


@pytest.mark.slow
def test_hostile_titles_are_text_in_the_browser(browser: Any, site: Path) -> None:
    browser.get((site / "oppforing" / f"{HOSTILE_SLUG}.html").as_uri())
    assert browser.find_element("tag name", "h1").text == HOSTILE_TITLE
    assert HOSTILE_ANSWER in browser.find_element("tag name", "main").text
    assert browser.execute_script("return document.querySelectorAll('script, main b').length") == 0
    browser.get((site / "index.html").as_uri())
    typed(browser, "alert")
    (slug,) = visible_slugs(browser)
    item = browser.find_element("css selector", f"li[data-slug='{slug}'] a")
    assert slug == HOSTILE_SLUG and item.text == HOSTILE_TITLE
    assert browser.execute_script("return document.scripts.length") == 2  # sok.js, filter.js


@pytest.mark.slow
def test_keyboard_reaches_search_and_filters(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.get((site / "index.html").as_uri())
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.TAB)
    reached = []
    for _ in range(12):
        active = browser.switch_to.active_element
        reached.append(active.get_attribute("id") or active.tag_name)
        active.send_keys(Keys.TAB)
    assert "q" in reached and reached.index("q") < reached.index("clear")
    browser.find_element("css selector", "#more summary").send_keys(Keys.ENTER)
    select = browser.find_element("id", "f-fylke")
    select.send_keys(Keys.ARROW_DOWN)
    assert select.get_attribute("value") and len(visible_slugs(browser)) < 44


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
# Characters this Python's Unicode tables know: a browser's may be newer, and
# fold a character Python does not know yet (U+A7CB, Unicode 16) its own way.
@given(text=st.text(st.characters(exclude_categories=("Cn", "Cs")), max_size=40))
def test_the_script_folds_as_the_cli_folds(browser: Any, site: Path, text: str) -> None:
    if not browser.current_url.endswith("/index.html"):
        browser.get((site / "index.html").as_uri())
    assert browser.execute_script("return window.tilflyttingFold(arguments[0])", text) == fold(text)


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (results) {
  done(results.violations.map(function (v) {
    var nodes = v.nodes.map(function (n) { return n.target.join(' '); });
    return {id: v.id, impact: v.impact, nodes: nodes};
  }));
}).catch(function (error) {
  done([{id: 'axe failed', impact: 'critical', nodes: [String(error)]}]);
});
"""


@pytest.mark.slow
@pytest.mark.parametrize("width", [375, 1280])
def test_accessibility_has_no_serious_findings(browser: Any, site: Path, width: int) -> None:
    """axe-core (tests/fixtures/axe-core) in the same headless Chromium."""
    source = AXE.read_text("utf-8")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.set_script_timeout(60)
    try:
        for page in [*PAGES_SEEN, "index.html?q=kommune"]:
            browser.get(site.as_uri() + "/" + page)
            browser.execute_script(
                "document.querySelectorAll('details').forEach(d => d.open = true)"
            )
            browser.execute_script(source)
            found = browser.execute_async_script(AXE_RUN)
            serious = [v for v in found if v["impact"] in ("serious", "critical")]
            assert serious == [], (page, serious)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
