"""The static HTML catalog: an index of every entry, filterable by county and
by each list's terms with a little plain JavaScript (without it, the index is
a plain readable list), one page per entry, and a summary page.

No server, no build tools, works offline. Every piece of entry text goes
through `html.escape`; the filter script reads data attributes only and
never writes HTML.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from tilflytting.core.collate import sort_key
from tilflytting.core.i18n import _, language, ngettext
from tilflytting.core.model import LISTS, Entry
from tilflytting.query.results import SummaryResult
from tilflytting.report.formats import clean, display
from tilflytting.report.tables import facts, list_title, period, place_names, summary_sections

CSS = """
:root { --ink: #1b1b1b; --muted: #4a4a4a; --accent: #00457d; --line: #c8c8c8; --paper: #ffffff; }
* { box-sizing: border-box; }
body { font: 17px/1.5 system-ui, sans-serif; color: var(--ink); background: var(--paper);
       max-width: 60rem; margin: 0 auto; padding: 1rem; }
a { color: var(--accent); }
a:focus, select:focus, button:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
nav ul { list-style: none; padding: 0; display: flex; gap: 1rem; }
.filters { display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; margin: 1rem 0;
           padding: 1rem; border: 1px solid var(--line); }
.filters label { display: block; font-weight: 600; }
.filters select { font: inherit; min-width: 12rem; }
#entries { list-style: none; padding: 0; }
#entries li { border-bottom: 1px solid var(--line); padding: .6rem 0; }
#entries li[hidden] { display: none; }
.meta { color: var(--muted); font-size: .95rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .6rem; text-align: left; }
td.num { text-align: right; }
.term { color: var(--muted); font-size: .9rem; }
"""

# Reads only data-* attributes and values of <select>; sets `hidden`, never HTML.
SCRIPT = """
(function () {
  var selects = document.querySelectorAll('.filters select');
  var items = document.querySelectorAll('#entries li');
  var count = document.getElementById('count');
  function apply() {
    var shown = 0;
    items.forEach(function (item) {
      var keep = true;
      selects.forEach(function (select) {
        if (!select.value) { return; }
        var values = (item.getAttribute('data-' + select.name) || '').split('|');
        if (values.indexOf(select.value) < 0) { keep = false; }
      });
      item.hidden = !keep;
      if (keep) { shown += 1; }
    });
    count.textContent = count.getAttribute('data-template')
      .replace('{shown}', shown).replace('{count}', items.length);
  }
  document.querySelector('.filters').hidden = false;
  selects.forEach(function (select) { select.addEventListener('change', apply); });
  apply();
})();
"""


def write_site(entries: list[Entry], folder: Path, summary: SummaryResult | None) -> list[Path]:
    """Write the site into `folder`; returns the files written."""
    pages = folder / "oppforing"
    pages.mkdir(parents=True, exist_ok=True)
    written = {
        folder / "style.css": CSS,
        folder / "filter.js": SCRIPT,
        folder / "index.html": _index(entries),
        folder / "oversikt.html": _summary(summary),
    }
    for entry in entries:
        written[pages / f"{entry.slug}.html"] = _entry_page(entry)
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    return list(written)


def _e(value: Any) -> str:
    """Entry text for HTML: control characters gone, everything escaped."""
    return escape(clean(value), quote=True)


def _page(title: str, body: str, depth: int = 0) -> str:
    up = "../" * depth
    footer = _(
        "From «Katalog over tilflyttingsarbeid i distriktene» (Distriktssenteret, 2012). "
        "Municipal and county data: SSB, NLOD 2.0. Made with tilflytting."
    )
    return f"""<!doctype html>
<html lang="{language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<link rel="stylesheet" href="{up}style.css">
</head>
<body>
<a class="skip" href="#main">{_e(_("Skip to content"))}</a>
<header><nav aria-label="{_e(_("Main menu"))}"><ul>
<li><a href="{up}index.html">{_e(_("All entries"))}</a></li>
<li><a href="{up}oversikt.html">{_e(_("Summary in numbers"))}</a></li>
</ul></nav></header>
<main id="main">
{body}
</main>
<footer><p class="meta">{_e(footer)}</p></footer>
</body>
</html>
"""


# -- index ------------------------------------------------------------------------------
def _index(entries: list[Entry]) -> str:
    names = sorted({c for e in entries for c in e.counties()}, key=sort_key)
    filters = [_select("fylke", _("County"), [(c, c) for c in names])]
    for name in LISTS:
        terms = sorted(
            {(i.term, _label(name, i.term)) for e in entries for i in e.lists[name] if i.term},
            key=lambda t: sort_key(t[1]),
        )
        filters.append(_select(name, list_title(name), terms))
    items = "\n".join(_index_item(e) for e in entries)
    template = _("{shown} of {count} entries")
    counted = ngettext("{count} entry", "{count} entries", len(entries)).format(count=len(entries))
    body = f"""<h1>Katalog over tilflyttingsarbeid i distriktene</h1>
<p>{_e(_("What municipalities and regions did to get people to move there."))}</p>
<form class="filters" hidden aria-label="{_e(_("Filter the entries"))}">
{"".join(filters)}
</form>
<p id="count" role="status" aria-live="polite" data-template="{_e(template)}">{_e(counted)}</p>
<ul id="entries">
{items}
</ul>
<script src="filter.js"></script>"""
    return _page("Katalog over tilflyttingsarbeid", body)


def _label(liste: str, term: str) -> str:
    from tilflytting.reference.vocabulary import vocabulary

    return vocabulary().label(liste, term)


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    choices = "".join(f'<option value="{_e(value)}">{_e(text)}</option>' for value, text in options)
    return (
        f'<div><label for="f-{name}">{_e(label)}</label>'
        f'<select id="f-{name}" name="{name}"><option value="">{_e(_("All"))}</option>{choices}'
        "</select></div>"
    )


def _index_item(entry: Entry) -> str:
    attributes = {"fylke": entry.counties() + entry.counties_2012()}
    for name in LISTS:
        attributes[name] = [i.term for i in entry.lists[name] if i.term]
    attrs = " ".join(f'data-{k}="{_e("|".join(v))}"' for k, v in attributes.items())
    where = ", ".join(x for x in (place_names(entry), ", ".join(entry.counties())) if x)
    return (
        f'<li {attrs}><a href="oppforing/{_e(entry.slug)}.html">{_e(entry.title)}</a>'
        f'<div class="meta">{_e(where)}</div></li>'
    )


# -- entry pages ------------------------------------------------------------------------
def _entry_page(entry: Entry) -> str:
    parts = [f"<h1>{_e(entry.title)}</h1>"]
    if entry.lead:
        parts.append(f"<p>{_e(entry.lead)}</p>")
    if not entry.complete:
        cut = _("The published page is cut off; the entry is incomplete.")
        parts.append(f'<p class="meta">{_e(cut)}</p>')
    parts.append(_facts(entry))
    if entry.projects:
        rows = "".join(
            f"<tr><td>{_e(p.name)}</td><td>{_e(period(p))}</td></tr>" for p in entry.projects
        )
        parts.append(
            f"<h2>{_e(_('Projects'))}</h2><table><thead><tr>"
            f'<th scope="col">{_e(_("Project"))}</th><th scope="col">{_e(_("Period"))}</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    for name in LISTS:
        if entry.lists[name]:
            items = "".join(_item(i.text, i.term) for i in entry.lists[name])
            parts.append(f"<h2>{_e(list_title(name))}</h2><ul>{items}</ul>")
    if entry.main_goal:
        goals = "".join(f"<li>{_e(g.text)}</li>" for g in entry.main_goal)
        parts.append(f"<h2>{_e(list_title('hovedmal'))}</h2><ul>{goals}</ul>")
    if entry.text:
        paragraphs = "".join(f"<p>{_e(p)}</p>" for p in entry.text.split("\n\n"))
        parts.append(f"<h2>{_e(_('Text'))}</h2>{paragraphs}")
    return _page(entry.title, "\n".join(parts), depth=1)


def _facts(entry: Entry) -> str:
    """The facts block the terminal shows too (report.tables.facts); the
    source address as a link where it is a web address."""
    rows = [(label, value) for label, value in facts(entry) if value != entry.url]
    cells = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows)
    link = ""
    if _is_web(entry.url):
        url = _e(entry.url)
        link = f'<p>{_e(_("Published page"))}: <a href="{url}">{url}</a></p>'
    return f"<table>{cells}</table>{link}"


def _is_web(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def _item(text: str, term: str | None) -> str:
    shown = f' <span class="term">({_e(term)})</span>' if term else ""
    return f"<li>{_e(text)}{shown}</li>"


# -- summary ----------------------------------------------------------------------------
def _summary(summary: SummaryResult | None) -> str:
    parts = [f"<h1>{_e(_('Summary in numbers'))}</h1>"]
    for table in summary_sections(summary) if summary is not None else []:
        shown = table.shown
        head = "".join(f'<th scope="col">{_e(_(c.header))}</th>' for c in shown)
        rows = "".join(
            "<tr>" + "".join(_cell(row.get(c.key), c.kind) for c in shown) + "</tr>"
            for row in table.rows
        )
        caption = f"<caption>{_e(table.title)}</caption>"
        parts.append(f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return _page(_("Summary in numbers"), "\n".join(parts))


def _cell(value: Any, kind: str) -> str:
    numeric = kind in ("number", "share", "percent", "points", "signed", "decimal")
    css = ' class="num"' if numeric else ""
    return f"<td{css}>{_e(display(value, kind))}</td>"
