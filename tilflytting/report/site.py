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

from tilflytting.core.model import LIST_LABELS, LISTS, Entry
from tilflytting.query.lookup import entry_json
from tilflytting.query.results import TableResult
from tilflytting.report.formats import clean, period

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
    count.textContent = shown + ' av ' + items.length + ' oppføringer';
  }
  document.querySelector('.filters').hidden = false;
  selects.forEach(function (select) { select.addEventListener('change', apply); });
  apply();
})();
"""


def write_site(entries: list[Entry], folder: Path, summary: list[TableResult]) -> list[Path]:
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
    return f"""<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<link rel="stylesheet" href="{up}style.css">
</head>
<body>
<a class="skip" href="#main">Til innholdet</a>
<header><nav aria-label="Hovedmeny"><ul>
<li><a href="{up}index.html">Alle oppføringer</a></li>
<li><a href="{up}oversikt.html">Oversikt i tall</a></li>
</ul></nav></header>
<main id="main">
{body}
</main>
<footer><p class="meta">Fra «Katalog over tilflyttingsarbeid i distriktene» (Distriktssenteret,
2012). Kommune- og fylkesdata: SSB, NLOD 2.0. Laget med tilflytting.</p></footer>
</body>
</html>
"""


# -- index ------------------------------------------------------------------------------
def _index(entries: list[Entry]) -> str:
    data = [entry_json(e) for e in entries]
    counties = sorted({c for d in data for c in d["fylker"]})
    filters = [_select("fylke", "Fylke", [(c, c) for c in counties])]
    for name in LISTS:
        terms = sorted(
            {
                (i["term"], i["tekst"] if not i["term"] else _label(name, i["term"]))
                for d in data
                for i in d[name]
                if i["term"]
            },
            key=lambda t: t[1],
        )
        filters.append(_select(name, LIST_LABELS[name], terms))
    items = "\n".join(_index_item(d) for d in data)
    body = f"""<h1>Katalog over tilflyttingsarbeid i distriktene</h1>
<p>Tiltak kommuner og regioner har gjort for å få folk til å flytte dit.</p>
<form class="filters" hidden aria-label="Filtrer oppføringene">
{"".join(filters)}
</form>
<p id="count" role="status" aria-live="polite">{len(data)} oppføringer</p>
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
        f'<select id="f-{name}" name="{name}"><option value="">Alle</option>{choices}'
        "</select></div>"
    )


def _index_item(data: dict[str, Any]) -> str:
    attributes = {"fylke": data["fylker"] + data["fylker_2012"]}
    for name in LISTS:
        attributes[name] = [i["term"] for i in data[name] if i["term"]]
    attrs = " ".join(f'data-{k}="{_e("|".join(v))}"' for k, v in attributes.items())
    places = ", ".join(k["navn"] for k in data["kommuner"]) or data["region"] or ""
    where = ", ".join(x for x in (places, ", ".join(data["fylker"])) if x)
    return (
        f'<li {attrs}><a href="oppforing/{_e(data["slug"])}.html">{_e(data["tittel"])}</a>'
        f'<div class="meta">{_e(where)}</div></li>'
    )


# -- entry pages ------------------------------------------------------------------------
def _entry_page(entry: Entry) -> str:
    data = entry_json(entry)
    parts = [f"<h1>{_e(entry.title)}</h1>"]
    if entry.lead:
        parts.append(f"<p>{_e(entry.lead)}</p>")
    if not entry.complete:
        parts.append(
            '<p class="meta">Den publiserte siden er avkortet; oppføringen er ufullstendig.</p>'
        )
    parts.append(_facts(data))
    if data["prosjekter"]:
        rows = "".join(
            f"<tr><td>{_e(p['navn'])}</td><td>{_e(period(p))}</td></tr>" for p in data["prosjekter"]
        )
        parts.append(
            f'<h2>Prosjekter</h2><table><thead><tr><th scope="col">Prosjekt</th>'
            f'<th scope="col">Periode</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    for name in LISTS:
        if data[name]:
            items = "".join(_item(i) for i in data[name])
            parts.append(f"<h2>{_e(LIST_LABELS[name])}</h2><ul>{items}</ul>")
    if data["hovedmal"]:
        goals = "".join(f"<li>{_e(g)}</li>" for g in data["hovedmal"])
        parts.append(f"<h2>{_e(LIST_LABELS['hovedmal'])}</h2><ul>{goals}</ul>")
    if entry.text:
        paragraphs = "".join(f"<p>{_e(p)}</p>" for p in entry.text.split("\n\n"))
        parts.append(f"<h2>Tekst</h2>{paragraphs}")
    return _page(entry.title, "\n".join(parts), depth=1)


def _facts(data: dict[str, Any]) -> str:
    rows = [(f"Kommune ({k['nummer']})", k["navn"]) for k in data["kommuner"]]
    rows += [
        ("Fylke", ", ".join(data["fylker"])),
        ("Fylke i 2012", ", ".join(data["fylker_2012"])),
        ("Region", data["region"] or ""),
    ]
    cells = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in rows if v)
    source = data["kilde"]["url"]
    link = (
        f'<p>Publisert side: <a href="{_e(source)}">{_e(source)}</a></p>' if _is_web(source) else ""
    )
    return f"<table>{cells}</table>{link}"


def _is_web(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def _item(item: dict[str, Any]) -> str:
    term = f' <span class="term">({_e(item["term"])})</span>' if item["term"] else ""
    return f"<li>{_e(item['tekst'])}{term}</li>"


# -- summary ----------------------------------------------------------------------------
def _summary(tables: list[TableResult]) -> str:
    parts = ["<h1>Oversikt i tall</h1>"]
    for table in tables:
        head = "".join(f'<th scope="col">{_e(c)}</th>' for c in table.columns)
        rows = "".join(
            "<tr>" + "".join(_cell(row.get(c)) for c in table.columns) + "</tr>"
            for row in table.rows
        )
        caption = f"<caption>{_e(table.title)}</caption>"
        parts.append(f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return _page("Oversikt i tall", "\n".join(parts))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f'<td class="num">{value:.1%}</td>'
    if isinstance(value, int):
        return f'<td class="num">{value}</td>'
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    return f"<td>{_e('–' if value is None else value)}</td>"
