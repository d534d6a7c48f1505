"""The static HTML catalog, written as a publication: an index of the
entries with search and filters, a page per entry, and an overview in
numbers; all of it chosen by the query layer (`SiteResult`, query/site.py).

- The index searches offline: the export writes a prebuilt index (`sok.js`,
  JSON documented in docs/json.md) that a small script searches, folding
  typed text the way the index was folded (the folding travels in the
  index, from core/fold.py), combined with the filters; the address keeps
  the query and the filters, so a search can be shared. Without
  JavaScript the index is the full list, and links to it still open it.
- Pages are written for readers: no codes in the visible text (terms,
  municipality numbers stay in links and `data-` attributes), headers,
  plurals and numbers through core/i18n.py, as in the terminal.
- Numbers lead somewhere: every count of the overview opens the index
  filtered to the entries behind it, and is the number of entries that
  list shows (counted from the same values the index filters by: entries,
  never projects); an entry's places and answers open the index filtered
  to them; its most similar entries are linked.
- Figures are `rapport`'s (report/figures.py), embedded as SVG images
  (data: addresses: the site stays self-contained, and nothing in a figure
  can run); without matplotlib the site is written without them and the
  overview says so.

Every piece of entry text goes through `html.escape`; the scripts read
`data-` attributes and the index, set `hidden` and `textContent`, and never
write HTML. The site is a mapping of relative paths to text (`site_files`);
export.py writes it into the folder.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from tilflytting import __version__
from tilflytting.core.collate import sort_key
from tilflytting.core.i18n import _, language, localise, ngettext, number
from tilflytting.core.model import LISTS, Entry, Place
from tilflytting.core.names import MAX_LENGTH, safe_name
from tilflytting.query.results import (
    FolketallResult,
    PlaceCount,
    SitePage,
    SiteResult,
    SummaryResult,
)
from tilflytting.report.formats import clean, display
from tilflytting.report.tables import (
    folketall_sections,
    group_line,
    list_title,
    period,
    place_names,
    population_line,
    source_text,
)

CATALOG_NAME = "Katalog over tilflyttingsarbeid i distriktene"  # its proper name
PAGES = "oppforing"  # folder of the entry pages
FREE = "_fritekst"  # the filter value of a list's free answers (never a term's slug)
INDEX = "index.html"
OVERVIEW = "oversikt.html"
INSTALL = 'pip install "tilflytting[rapport]"'
# The index's filters, in the order of the form: URL parameter -> the entry's values.
# `fylke` is a county of 2024, `fylke2012` one of 2012 (a county's entries
# differ between the two: Svelvik was in Vestfold, Drammen is in Buskerud).
PLACE_FILTERS = ("fylke", "fylke2012", "kommune", "region")
YEAR_FILTERS = ("ar", "startet")

CSS = """
:root { --ink: #1b1b1b; --muted: #4a4a4a; --accent: #00457d; --line: #c8c8c8;
        --soft: #f2f5f8; --paper: #ffffff; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--paper); margin: 0; }
.wrap { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--accent); }
a:focus-visible, input:focus-visible, select:focus-visible, button:focus-visible,
summary:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 1rem 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p, li, dd, td, th { overflow-wrap: anywhere; }
.skip, .sr { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem; z-index: 1; }
header.site { background: var(--accent); color: #fff; }
header.site .wrap { display: flex; flex-wrap: wrap; align-items: baseline;
                    gap: .25rem 1.5rem; padding-top: .6rem; padding-bottom: .6rem; }
header.site a { color: #fff; }
header.site .name { font-weight: 700; text-decoration: none; }
header.site ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
                 gap: .25rem 1.25rem; }
footer.site { margin-top: 3rem; border-top: 1px solid var(--line); color: var(--muted);
              font-size: .9rem; padding: .5rem 0 2rem; }
.lead { font-size: 1.1rem; }
.note { color: var(--muted); font-style: italic; }
.meta { color: var(--muted); font-size: .95rem; }
.finder { margin: 1rem 0; padding: 1rem; background: var(--soft); border: 1px solid var(--line); }
.finder label, .finder legend { display: block; font-weight: 600; }
.finder input[type=search] { font: inherit; width: 100%; padding: .4rem .5rem;
                             border: 1px solid #767676; }
.finder .help { margin: .25rem 0 0; font-size: .9rem; color: var(--muted); }
.finder fieldset { border: 0; margin: 1rem 0 0; padding: 0; min-width: 0; }
.finder legend { font-size: 1.05rem; margin-bottom: .25rem; }
.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr));
           gap: .6rem 1.25rem; }
.filters select { font: inherit; width: 100%; max-width: 100%; }
.finder button { font: inherit; margin-top: 1rem; padding: .3rem .8rem; }
#count { font-weight: 600; }
#entries { list-style: none; padding: 0; margin: 0; }
#entries li { border-bottom: 1px solid var(--line); padding: .6rem 0; }
#entries li[hidden], [hidden] { display: none !important; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
@media (max-width: 30rem) {
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .4rem; }
}
table { border-collapse: collapse; margin: .5rem 0 1rem; max-width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left;
         vertical-align: top; }
th.num, td.num { text-align: right; white-space: nowrap; }
.table { max-width: 100%; overflow-x: auto; }
figure { margin: 1rem 0; }
figure img { display: block; width: 100%; max-width: 46rem; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; }
details { margin: .5rem 0 1rem; }
summary { cursor: pointer; color: var(--accent); }
ul.similar li { margin-bottom: .4rem; }
th[scope=row] { font-weight: normal; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr));
           gap: 0 2rem; align-items: start; }
@media (max-width: 30rem) {
  h1 { font-size: 1.5rem; }
  body { font-size: 16px; }
  th, td { padding: .3rem .4rem; }
}
"""

# The index's search and filters. Reads the prebuilt index (sok.js) and
# the items' data-f attributes; sets `hidden`, `textContent` and the
# address, never HTML. Plain ES5 with a few later built-ins, no library.
SCRIPT = r"""
(function () {
  'use strict';
  var form = document.getElementById('finder');
  var list = document.getElementById('entries');
  if (!form || !list) { return; }
  var has = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };
  var index = window.tilflyttingSok || { folding: { bokstaver: [], tegn: '[]' },
                                         oppforinger: [], ord: {}, former: {} };
  var items = Array.prototype.slice.call(list.children);
  var facets = items.map(function (item) {
    return JSON.parse(item.getAttribute('data-f') || '{}');
  });
  var place = {};
  items.forEach(function (item, i) { place[item.getAttribute('data-slug')] = i; });
  var where = index.oppforinger.map(function (slug) {
    return has(place, slug) ? place[slug] : -1;
  });
  var words = Object.keys(index.ord).sort();
  var letters = index.folding.bokstaver;
  var marks = new RegExp(index.folding.tegn, 'g');
  var query = document.getElementById('q');
  var selects = Array.prototype.slice.call(form.querySelectorAll('select'));
  var count = document.getElementById('count');
  var none = document.getElementById('none');

  function swap(text) {
    letters.forEach(function (pair) { text = text.split(pair[0]).join(pair[1]); });
    return text;
  }
  // core/fold.py `fold`: the letters, NFKD without its marks, the letters again, lowercase.
  function fold(text) {
    return swap(swap(text).normalize('NFKD').replace(marks, '')).toLowerCase();
  }
  window.tilflyttingFold = fold;

  function first(word) {  // the first word of the sorted list not before `word`
    var low = 0, high = words.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (words[middle] < word) { low = middle + 1; } else { high = middle; }
    }
    return low;
  }
  function mark(found, word) {
    if (!has(index.ord, word)) { return; }
    index.ord[word].forEach(function (position) {
      if (where[position] >= 0) { found[where[position]] = true; }
    });
  }
  // Entries with a word starting with `typed`, or with a search form of it.
  function matching(typed) {
    var found = {};
    for (var i = first(typed); i < words.length && words[i].lastIndexOf(typed, 0) === 0; i++) {
      mark(found, words[i]);
    }
    if (has(index.former, typed)) {
      index.former[typed].forEach(function (form) { mark(found, form); });
    }
    return found;
  }
  function grouped(value) {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, count.getAttribute('data-group'));
  }
  function apply(keep) {
    var typed = fold(query.value).match(/[a-z0-9]+/g) || [];
    var found = typed.map(matching);
    var shown = 0;
    items.forEach(function (item, i) {
      var show = found.every(function (set) { return set[i] === true; }) &&
        selects.every(function (select) {
          return !select.value || (facets[i][select.name] || []).indexOf(select.value) >= 0;
        });
      item.hidden = !show;
      if (show) { shown += 1; }
    });
    count.textContent = count.getAttribute('data-template')
      .replace('{shown}', grouped(shown)).replace('{count}', grouped(items.length));
    none.hidden = shown > 0;
    if (keep) { remember(); }
  }
  function remember() {
    var params = new URLSearchParams();
    if (query.value.trim()) { params.set('q', query.value.trim()); }
    selects.forEach(function (select) {
      if (select.value) { params.set(select.name, select.value); }
    });
    var search = params.toString();
    try {
      history.replaceState(null, '', search ? '?' + search : location.pathname);
    } catch (error) { /* an address that cannot change (some file: pages): keep the page */ }
  }
  function restore() {
    var params = new URLSearchParams(location.search);
    query.value = params.get('q') || '';
    var asked = false;
    selects.forEach(function (select) {
      var value = params.get(select.name) || '';
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === value;
      });
      select.value = known ? value : '';
      asked = asked || (known && value !== '');
    });
    var more = document.getElementById('more');
    if (more && asked) { more.open = true; }
  }

  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); apply(true); });
  query.addEventListener('input', function () { apply(true); });
  selects.forEach(function (select) {
    select.addEventListener('change', function () { apply(true); });
  });
  document.getElementById('clear').addEventListener('click', function () {
    query.value = '';
    selects.forEach(function (select) { select.value = ''; });
    apply(true);
    query.focus();
  });
  window.addEventListener('popstate', function () { restore(); apply(false); });
  restore();
  apply(false);
})();
"""


# -- the files ---------------------------------------------------------------------------------
def site_files(site: SiteResult) -> dict[str, str]:
    """The site as {relative path: text}: the index, the overview, a page
    per entry, the style sheet, the script and the search index."""
    from tilflytting.report import figures as charts
    from tilflytting.report.contract import site_search_json

    drawing = charts.available()
    names = page_files([page.entry.slug for page in site.pages])
    files = {
        "style.css": CSS.lstrip(),
        "filter.js": SCRIPT.lstrip(),
        "sok.js": "window.tilflyttingSok = "
        + json.dumps(site_search_json(site.search), ensure_ascii=False, separators=(",", ":"))
        + ";\n",
        INDEX: _index(site, names),
        OVERVIEW: _overview(site, drawing),
    }
    for page in site.pages:
        files[names[page.entry.slug]] = _entry_page(page, names, drawing)
    return files


def page_file(slug: str) -> str:
    """An entry page's path in the site, made from its slug by the project's
    one rule for file names (core/names.py: letters, digits and hyphens, no
    device names, not too long); the one place a page's file name is made."""
    return f"{PAGES}/{safe_name(slug)}.html"


def page_files(slugs: list[str]) -> dict[str, str]:
    """Each slug's page; two slugs that make the same name get `-2`, `-3`."""
    taken: set[str] = set()
    names = {}
    for slug in slugs:
        path = page_file(slug)
        # Room for `-NN` within the longest name the writer takes.
        stem, n = path[: -len(".html")][: len(PAGES) + 1 + MAX_LENGTH - 4].rstrip("-"), 2
        while path in taken:
            path, n = f"{stem}-{n}.html", n + 1
        taken.add(path)
        names[slug] = path
    return names


# -- shared pieces -----------------------------------------------------------------------------
def _e(value: Any) -> str:
    """Text for HTML: control characters gone, everything escaped."""
    return escape(clean(value), quote=True)


def _filtered(up: str, **params: str) -> str:
    """The index filtered: `index.html?fylke=Nordland` (escaped for an attribute)."""
    wanted = {k: v for k, v in params.items() if v}
    query = urlencode(wanted, quote_via=quote) if wanted else ""
    return _e(f"{up}{INDEX}" + (f"?{query}" if query else ""))


def _count_link(up: str, count: int, **params: str) -> str:
    """A count that opens the entries behind it (a zero opens nothing)."""
    if not count:
        return _e(number(count))
    return f'<a href="{_filtered(up, **params)}">{_e(number(count))}</a>'


def _page(title: str, body: str, depth: int = 0, footer: str = "") -> str:
    up = "../" * depth
    skip, menu = _("Skip to content"), _("Main menu")
    entries, summary = _("All entries"), _("Summary in numbers")
    credit = _(
        "From «Katalog over tilflyttingsarbeid i distriktene» (Distriktssenteret, 2012). "
        "Municipal and county data: SSB, NLOD 2.0. Made with tilflytting {version}."
    ).format(version=__version__)
    return f"""<!doctype html>
<html lang="{language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="tilflytting {_e(__version__)}">
<title>{_e(title)}</title>
<link rel="stylesheet" href="{up}style.css">
</head>
<body>
<a class="skip" href="#main">{_e(skip)}</a>
<header class="site"><div class="wrap">
<a class="name" href="{up}{INDEX}">{_e(CATALOG_NAME)}</a>
<nav aria-label="{_e(menu)}"><ul>
<li><a href="{up}{INDEX}">{_e(entries)}</a></li>
<li><a href="{up}{OVERVIEW}">{_e(summary)}</a></li>
</ul></nav>
</div></header>
<main id="main" class="wrap">
{body}
</main>
<footer class="site"><div class="wrap">
{footer}<p>{_e(credit)}</p>
</div></footer>
</body>
</html>
"""


def _table(
    caption: str,
    headers: list[tuple[str, bool]],
    rows: list[list[tuple[str, bool]]],
    heading: bool = False,
    wide: bool = False,
) -> str:
    """A table of cells already written as HTML, (html, numeric); the first
    cell of a row heads it. `heading`: a heading above says what the
    caption says (the caption is then there for screen readers only).
    `wide`: it may scroll sideways on a phone, so its frame takes the
    keyboard's focus (arrow keys scroll it) and is named for screen readers."""
    num, hidden = ' class="num"', ' class="sr"' if heading else ""
    frame = f' tabindex="0" role="region" aria-label="{_e(caption)}"' if wide else ""
    head = "".join(
        f'<th scope="col"{num if numeric else ""}>{_e(text)}</th>' for text, numeric in headers
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{cell}</th>' if n == 0 else f"<td{num if numeric else ''}>{cell}</td>"
            for n, (cell, numeric) in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<div class="table"{frame}><table><caption{hidden}>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _figure(svg: str, alt: str, caption: str) -> str:
    from tilflytting.report.figures import data_address

    return (
        f'<figure><img src="{data_address(svg)}" alt="{_e(alt)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _terms(entry: Entry, liste: str) -> list[str]:
    """A list's filter values of an entry: its terms, and FREE for free answers."""
    terms = [i.term for i in entry.lists[liste] if i.term]
    if any(not i.term for i in entry.lists[liste]):
        terms.append(FREE)
    return list(dict.fromkeys(terms))


def _label(liste: str, term: str) -> str:
    from tilflytting.reference.vocabulary import vocabulary

    return vocabulary().label(liste, term)


# -- the index -------------------------------------------------------------------------------
def _index(site: SiteResult, names: dict[str, str]) -> str:
    total = len(site.pages)
    counted = ngettext("{count} entry", "{count} entries", total).format(count=number(total))
    template = ngettext("{shown} of {count} entry", "{shown} of {count} entries", total)
    intro = _("What municipalities and regions did to get people to move there.")
    without = _("Search and filters need JavaScript: here is the whole list.")
    nothing = _("No entry matches. Try fewer or other words, or clear the filters.")
    group = number(1000)[1:-3]  # the language's thousands separator
    items = "\n".join(_index_item(page, names) for page in site.pages)
    body = f"""<h1>{_e(CATALOG_NAME)}</h1>
<p class="lead">{_e(intro)}</p>
<noscript><p class="note">{_e(without)}</p></noscript>
{_finder(site)}
<p id="count" role="status" aria-live="polite" data-template="{_e(template)}" \
data-group="{_e(group)}">{_e(counted)}</p>
<p id="none" class="note" hidden>{_e(nothing)}</p>
<ul id="entries">
{items}
</ul>
<script src="sok.js"></script>
<script src="filter.js"></script>"""
    return _page(CATALOG_NAME, body)


def _finder(site: SiteResult) -> str:
    """The search field and the filters (shown by the script)."""
    entries = [page.entry for page in site.pages]
    counties = [(c.value, c.name) for c in site.counties]
    old = [(c.value, c.name) for c in site.counties_2012]
    kommuner = _municipality_options(site.municipalities)
    selects = [
        _select("fylke", _("County"), [("", counties)]),
        _select("fylke2012", _("County (2012)"), [("", old)]),
        _select("kommune", _("Municipality"), [("", kommuner)]),
        _select("region", _("Region"), [("", [(r.value, r.name) for r in site.regions])]),
    ]
    for liste in LISTS:
        terms = sorted(
            {(t, _label(liste, t)) for e in entries for t in _terms(e, liste) if t != FREE},
            key=lambda pair: sort_key(pair[1]),
        )
        if any(FREE in _terms(e, liste) for e in entries):
            terms.append((FREE, _("(free text)")))
        selects.append(_select(liste, list_title(liste), [("", terms)]))
    running = sorted({y for page in site.pages for y in page.running})
    started = sorted({y for page in site.pages for y in page.started})
    selects.append(
        _select("ar", _("Project running in"), [("", [(str(y), str(y)) for y in running])])
    )
    selects.append(
        _select("startet", _("Project started in"), [("", [(str(y), str(y)) for y in started])])
    )
    label, hint = (
        _("Search the entries"),
        _("Words in any form and without æøå: holtalen finds Holtålen. Every word must match."),
    )
    legend, clear = _("Filters"), _("Clear search and filters")
    name = _("Search and filter the entries")
    return f"""<form id="finder" class="finder" role="search" aria-label="{_e(name)}" hidden>
<label for="q">{_e(label)}</label>
<input type="search" id="q" name="q" autocomplete="off" spellcheck="false" \
aria-describedby="q-help">
<p id="q-help" class="help">{_e(hint)}</p>
<details id="more"><summary>{_e(legend)}</summary>
<fieldset><legend class="skip">{_e(legend)}</legend><div class="filters">
{"".join(selects)}
</div></fieldset>
</details>
<button type="button" id="clear">{_e(clear)}</button>
</form>"""


def _municipality_options(counted: list[PlaceCount]) -> list[tuple[str, str]]:
    """Municipalities by name; a name two of them share gets its county."""
    names = [c.name for c in counted]
    return [
        (c.value, f"{c.name} ({c.county})" if names.count(c.name) > 1 and c.county else c.name)
        for c in counted
    ]


def _select(name: str, label: str, groups: list[tuple[str, list[tuple[str, str]]]]) -> str:
    """A labelled <select>; groups with a name become <optgroup>s."""
    everything = _("All")
    options = ""
    for group, choices in groups:
        inner = "".join(f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in choices)
        options += f'<optgroup label="{_e(group)}">{inner}</optgroup>' if group else inner
    return (
        f'<div><label for="f-{name}">{_e(label)}</label>'
        f'<select id="f-{name}" name="{name}"><option value="">{_e(everything)}</option>'
        f"{options}</select></div>"
    )


def _index_item(page: SitePage, names: dict[str, str]) -> str:
    entry = page.entry
    values: dict[str, list[str]] = {
        "fylke": entry.counties(),
        "fylke2012": entry.counties_2012(),
        "kommune": list(dict.fromkeys(_kommune_value(p) for p in entry.municipalities())),
        "region": _regions(entry),
    }
    for liste in LISTS:
        values[liste] = _terms(entry, liste)
    values["ar"] = [str(y) for y in page.running]
    values["startet"] = [str(y) for y in page.started]
    data = json.dumps(
        {k: [v for v in vs if v] for k, vs in values.items() if vs}, ensure_ascii=False
    )
    where = " · ".join(
        x for x in (_place_names(entry), ", ".join(entry.counties()), _span(entry)) if x
    )
    return (
        f'<li data-slug="{_e(entry.slug)}" data-f="{_e(data)}">'
        f'<a href="{_e(names[entry.slug])}">{_e(entry.title)}</a>'
        f'<div class="meta">{_e(where)}</div></li>'
    )


def _kommune_value(place: Place) -> str:
    from tilflytting.query.site import kommune_value

    return kommune_value(place)


def _regions(entry: Entry) -> list[str]:
    from tilflytting.query.site import regions_of

    return regions_of(entry)


def _place_names(entry: Entry) -> str:
    """The entry's places in a word or two, as `list` names them."""
    return place_names(entry)


def _span(entry: Entry) -> str:
    starts = [p.start for p in entry.projects if p.start]
    if not starts:
        return ""
    ends = [p.end for p in entry.projects if p.end]
    ongoing = any(p.ongoing for p in entry.projects)
    return f"{min(starts)}–{'' if ongoing or not ends else max(ends)}"


# -- an entry's page ---------------------------------------------------------------------------
def _entry_page(page: SitePage, names: dict[str, str], drawing: bool) -> str:
    entry, up = page.entry, "../"
    parts = [f"<h1>{_e(entry.title)}</h1>"]
    if entry.lead:
        parts.append(f'<p class="lead">{_e(entry.lead)}</p>')
    if not entry.complete:
        cut = _("The published page is cut off; the entry is incomplete.")
        parts.append(f'<p class="note">{_e(cut)}</p>')
    parts.append(_facts(entry, up))
    parts.append(_population(page, drawing))
    if entry.projects:
        ongoing = _("(ongoing)")
        rows = [
            [
                (_e(p.name), False),
                (_e(period(p) + (f" {ongoing}" if p.ongoing else "")), False),
            ]
            for p in entry.projects
        ]
        parts.append(f"<h2>{_e(_('Projects'))}</h2>")
        headers = [(_("Project"), False), (_("Period"), False)]
        parts.append(_table(_("Projects"), headers, rows, heading=True))
    for liste in LISTS:
        if entry.lists[liste]:
            items = "".join(_answer(liste, i.text, i.term, up) for i in entry.lists[liste])
            parts.append(f"<h2>{_e(list_title(liste))}</h2><ul>{items}</ul>")
    if entry.main_goal:
        goals = "".join(f"<li>{_e(g.text)}</li>" for g in entry.main_goal)
        parts.append(f"<h2>{_e(list_title('hovedmal'))}</h2><ul>{goals}</ul>")
    if entry.text:
        paragraphs = "".join(f"<p>{_e(p)}</p>" for p in entry.text.split("\n\n") if p.strip())
        parts.append(f"<h2>{_e(_('Text'))}</h2>{paragraphs}")
    parts.append(_similar(page, names))
    body = "\n".join(p for p in parts if p)
    return _page(entry.title, f"<article>\n{body}\n</article>", depth=1, footer=_sources(page))


def _facts(entry: Entry, up: str) -> str:
    """Places, region and subject areas, each place a link to its entries."""
    rows: list[tuple[str, str]] = []
    kommuner = []
    for place in entry.municipalities():
        name = place.name or place.name_2024 or ""
        text = f'<a href="{_filtered(up, kommune=_kommune_value(place))}">{_e(name)}</a>'
        if place.name_2024 and place.name_2024 != name:
            text += " " + _e(_("(now {name})").format(name=place.name_2024))
        kommuner.append(text)
    if kommuner:
        # A label, not a counted sentence: the word of one or of several.
        label = _("Municipality") if len(kommuner) == 1 else _("Municipalities")
        rows.append((label, ", ".join(kommuner)))
    counties = [f'<a href="{_filtered(up, fylke=c)}">{_e(c)}</a>' for c in entry.counties()]
    old = [c for c in entry.counties_2012() if c not in entry.counties()]
    if counties:
        text = ", ".join(counties)
        if old:
            links = ", ".join(f'<a href="{_filtered(up, fylke2012=c)}">{_e(c)}</a>' for c in old)
            text += " " + _e(_("(in 2012: {counties})")).format(counties=links)
        rows.append((_("County") if len(counties) == 1 else _("Counties"), text))
    regions = [f'<a href="{_filtered(up, region=r)}">{_e(r)}</a>' for r in _regions(entry)]
    if regions:
        rows.append((_("Region"), ", ".join(regions)))
    if entry.areas:
        rows.append((_("Subject areas"), _e(", ".join(entry.areas))))
    if not rows:
        return ""
    cells = "".join(f"<dt>{_e(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="facts">{cells}</dl>'


def _answer(liste: str, text: str, term: str | None, up: str) -> str:
    """A list item; one with a term opens the entries that share it."""
    if not term:
        return f"<li>{_e(text)}</li>"
    return f'<li><a href="{_filtered(up, **{liste: term})}">{_e(text)}</a></li>'


def _population(page: SitePage, drawing: bool) -> str:
    """`show`'s population line, `rapport`'s figure of the index against the
    reference, and the numbers behind it."""
    parts = []
    if page.span is not None:
        parts.append(f"<p>{_e(population_line(page.span))}</p>")
    result = page.population
    if result is not None and _drawable(result):
        where = _place_names(page.entry)
        if result.group is not None:
            parts.append(f"<p>{_e(group_line(result.group, where))}</p>")
        if drawing:
            from tilflytting.report import figures as charts

            first = next(p.year for p in result.series if p.indexed is not None)
            last = [p.year for p in result.series if p.indexed is not None][-1]
            alt = _(
                "Line chart: the population of {area} as an index ({year} = 100) from {first} "
                "to {last}, against {reference} and the median of its comparison group."
            ).format(
                area=where,
                year=result.index_year,
                first=first,
                last=last,
                reference=localise(result.reference_name),
            )
            caption = _(
                "Population index ({year} = 100); shaded: the project years. The numbers are below."
            ).format(year=result.index_year)
            parts.append(_figure(charts.population(result), alt, caption))
        parts.append(_series(result))
    if not parts:
        return ""
    return f"<h2>{_e(_('Population'))}</h2>" + "\n".join(parts)


def _drawable(result: FolketallResult) -> bool:
    return sum(1 for p in result.series if p.indexed is not None) >= 2


def _series(result: FolketallResult) -> str:
    """The figure's numbers, folded away: year, population and the indexes."""
    series = folketall_sections(result)[0]
    shown = [c for c in series.shown if c.key != "grenser"]
    numeric = ("number", "decimal1")
    rows = [
        [(_e(display(row.get(c.key), c.kind)), c.kind in numeric) for c in shown]
        for row in series.rows
        if row.get("folketall") is not None
    ]
    headers = [(_(c.header), c.kind in numeric) for c in shown]
    summary = _("The numbers behind the figure")
    caption = _("Population on 1 January, and as an index")
    table = _table(caption, headers, rows, wide=True)
    return f"<details><summary>{_e(summary)}</summary>{table}</details>"


def _similar(page: SitePage, names: dict[str, str]) -> str:
    if not page.similar:
        return ""
    items = []
    for hit in page.similar:
        if hit.slug not in names:
            continue
        shared = _("Shared answers: {labels}").format(
            labels=", ".join(t.label for t in hit.shared[:5])
        )
        href = _e(names[hit.slug].removeprefix(f"{PAGES}/"))
        items.append(
            f'<li><a href="{href}">{_e(hit.title)}</a><div class="meta">{_e(shared)}</div></li>'
        )
    if not items:
        return ""
    title = _("Most like this entry")
    return f'<h2>{_e(title)}</h2><ul class="similar">{"".join(items)}</ul>'


def _sources(page: SitePage) -> str:
    """The entry's sources and the population figures' attribution."""
    entry = page.entry
    lines = []
    if entry.url and entry.url.startswith(("https://", "http://")):
        label = _("Source: the published page")
        lines.append(f'<p>{_e(label)}: <a href="{_e(entry.url)}">{_e(entry.url)}</a></p>')
    kinds = [_source_kind(s.role) for s in entry.sources]
    if kinds:
        built = _("Built from: {sources}.").format(sources=", ".join(dict.fromkeys(kinds)))
        lines.append(f"<p>{_e(built)}</p>")
    if page.span is not None or page.population is not None:
        lines.append(f"<p>{_e(source_text(_attribution()))}</p>")
    return "\n".join(lines) + ("\n" if lines else "")


def _source_kind(role: str | None) -> str:
    from tilflytting.report.tables import ROLE_LABELS

    label = ROLE_LABELS.get(role or "")
    return _(label) if label else "?"


def _attribution() -> str:
    from tilflytting.reference.population import ATTRIBUTION

    return ATTRIBUTION


# -- the overview ----------------------------------------------------------------------------
def _overview(site: SiteResult, drawing: bool) -> str:
    summary = site.summary
    title = _("Summary in numbers")
    counted = ngettext(
        "The {count} entry of the catalog in numbers. Every number opens the entries behind it.",
        "The {count} entries of the catalog in numbers. Every number opens the entries behind it.",
        summary.entries,
    ).format(count=number(summary.entries))
    parts = [f"<h1>{_e(title)}</h1>", f'<p class="lead">{_e(counted)}</p>']
    if not drawing:
        left_out = _("The figures are left out: they need matplotlib ({command}).").format(
            command=INSTALL
        )
        parts.append(f'<p class="note" id="no-figures">{_e(left_out)}</p>')
    parts.append(_catalog_counts(site))
    parts.append(_places(site))
    for liste in LISTS:
        if liste in summary.lists:
            parts.append(_answers(summary, liste, drawing))
    parts.append(_years(site))
    return _page(title, "\n".join(parts))


def _catalog_counts(site: SiteResult) -> str:
    """The catalog's counts, each the number of rows of what it opens."""
    rows = [
        (_("entries"), _count_link("", len(site.pages))),
        (_("municipalities"), _anchor("kommuner", len(site.municipalities))),
        (_("counties (2024)"), _anchor("fylker", len(site.counties))),
        (_("counties (2012)"), _anchor("fylker-2012", len(site.counties_2012))),
        (_("regions named"), _anchor("regioner", len(site.regions))),
    ]
    heading = _("The catalog")
    table = _table(
        heading,
        [(_("Measure"), False), (_("Count"), True)],
        [[(_e(label), False), (cell, True)] for label, cell in rows],
        heading=True,
    )
    return f'<h2 id="katalogen">{_e(heading)}</h2>{table}'


def _anchor(target: str, count: int) -> str:
    return f'<a href="#{target}">{_e(number(count))}</a>' if count else _e(number(count))


def _places(site: SiteResult) -> str:
    heading = _("Where the entries are")
    tables = [
        ("fylker", _("Counties"), _("County"), "fylke", site.counties),
        ("fylker-2012", _("Counties in 2012"), _("County (2012)"), "fylke2012", site.counties_2012),
        ("regioner", _("Regions"), _("Region"), "region", site.regions),
    ]
    blocks = []
    for anchor, title, column, key, counted in tables:
        rows = [
            [(_e(c.name), False), (_count_link("", c.entries, **{key: c.value}), True)]
            for c in counted
        ]
        table = (
            _table(title, [(column, False), (_("Entries"), True)], rows, heading=True)
            if rows
            else f'<p class="note">{_e(_("None."))}</p>'
        )
        blocks.append(f'<div><h3 id="{anchor}">{_e(title)}</h3>{table}</div>')
    title = _("Municipalities")
    rows = [
        [
            (_e(name), False),
            (_e(c.county or "–"), False),
            (_count_link("", c.entries, kommune=c.value), True),
        ]
        for c, (_value, name) in zip(
            site.municipalities, _municipality_options(site.municipalities), strict=True
        )
    ]
    headers = [(_("Municipality"), False), (_("County"), False), (_("Entries"), True)]
    shown = ngettext("Show {count} municipality", "Show {count} municipalities", len(rows))
    return (
        f"<h2>{_e(heading)}</h2>"
        f'<div class="columns">{"".join(blocks)}</div>'
        f'<h3 id="kommuner">{_e(title)}</h3><details><summary>'
        f"{_e(shown.format(count=number(len(rows))))}</summary>"
        f"{_table(title, headers, rows, heading=True)}</details>"
    )


def _answers(summary: SummaryResult, liste: str, drawing: bool) -> str:
    """A list's answers: `rapport`'s bars, and the table, each count a link."""
    rows = summary.lists[liste]
    free = summary.free[liste]
    free_share = round(free.entries / summary.entries, 3) if summary.entries else 0.0
    title = list_title(liste)
    parts = [f'<section id="s-{liste}" aria-labelledby="{liste}"><h2 id="{liste}">{_e(title)}</h2>']
    if drawing and summary.entries:
        from tilflytting.report import figures as charts

        alt = _(
            "Bar chart: each answer's share of the entries, the entries with free answers last. "
            "The numbers are in the table below."
        )
        caption = _("{list}: the share of the entries giving each answer.").format(list=title)
        parts.append(
            _figure(charts.term_bars(title, rows, (free.entries, free_share)), alt, caption)
        )
    cells = [
        [
            (_e(row.label), False),
            (_count_link("", row.entries, **{liste: row.term or ""}), True),
            (_e(display(row.share, "share")), True),
        ]
        for row in rows
        if row.term
    ]
    cells.append(
        [
            (_e(_("(free text)")), False),
            (_count_link("", free.entries, **{liste: FREE}), True),
            (_e(display(free_share, "share")), True),
        ]
    )
    caption = ngettext(
        "{list}: entries giving each answer (of {count} entry)",
        "{list}: entries giving each answer (of {count} entries)",
        summary.entries,
    ).format(list=title, count=number(summary.entries))
    parts.append(
        _table(caption, [(_("Answer"), False), (_("Entries"), True), (_("Share"), True)], cells)
    )
    note = ngettext(
        "(free text): entries with answers in their own words, which no answer of the list "
        "covers ({count} answer).",
        "(free text): entries with answers in their own words, which no answer of the list "
        "covers ({count} answers).",
        free.answers,
    ).format(count=number(free.answers))
    parts.append(f'<p class="meta">{_e(note)}</p></section>')
    return "\n".join(parts)


def _years(site: SiteResult) -> str:
    """Entries per year: with a project starting that year, and with one
    running (the index's `startet` and `ar` filters, from the same years),
    for every year a project ran."""
    title = _("Entries by project year")
    parts = [f'<h2 id="prosjekter">{_e(title)}</h2>']
    started = Counter(y for page in site.pages for y in page.started)
    running = Counter(y for page in site.pages for y in page.running)
    if not running:
        parts.append(f'<p class="note">{_e(_("No projects with years."))}</p>')
        return "\n".join(parts)
    rows = [
        [
            (_e(str(year)), False),
            (_count_link("", started[year], startet=str(year)), True),
            (_count_link("", running[year], ar=str(year)), True),
        ]
        for year in sorted(set(started) | set(running))
    ]
    headers = [(_("Year"), False), (_("A project started"), True), (_("A project running"), True)]
    parts.append(_table(title, headers, rows))
    note = _(
        "The number of entries with a project that started that year, and with a project "
        "running that year; an entry is counted once however many projects it has. A number "
        "opens those entries."
    )
    parts.append(f'<p class="meta">{_e(note)}</p>')
    return "\n".join(parts)
