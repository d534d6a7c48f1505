"""The report's figures, drawn by matplotlib as SVG.

matplotlib is an optional extra (`pip install "tilflytting[rapport]"`): it
is imported only here, and this module only by `rapport`, so no other
command starts slower. Without it `available()` is false and the report is
written without figures.

Figures are reproducible: the Agg backend (no display), a fixed hash salt
for the SVG's ids, no date or creator in its metadata, text kept as text
(no font paths), and the text of catalog pages never read as mathematics
(`$` is a dollar). Labels are in the run's language; numbers on the axes
are written the language's way.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from tilflytting.core.i18n import _, localise, number
from tilflytting.query.results import (
    FolketallResult,
    TermCount,
    TimelineResult,
)
from tilflytting.report.formats import clean

INSTALL = 'pip install "tilflytting[rapport]"'
WIDTH = 7.5  # inches: a page's text width
BLUE, ORANGE, GREEN, GREY, RED = "#00457d", "#d55e00", "#009e73", "#8c8c8c", "#b2182b"
STYLE: dict[str, Any] = {
    "svg.hashsalt": "tilflytting",
    "svg.fonttype": "none",  # text as text: small files, searchable, the page's fonts
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "figure.dpi": 72,
    "path.simplify": False,
}


def available() -> bool:
    """Whether matplotlib can be imported (the `rapport` extra)."""
    try:
        _pyplot()
    except ImportError:
        return False
    return True


@cache
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    settings: Any = matplotlib.rcParams  # typed by key; STYLE's keys are all known ones
    settings.update(STYLE)
    from matplotlib import pyplot

    return pyplot


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )
    _pyplot().close(figure)
    return buffer.getvalue()


def data_address(svg: str) -> str:
    """A figure as a `data:` address for an <img>: inside the page, and shown
    as an image, so that nothing in it can run."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _label(text: str, limit: int = 48) -> str:
    """Catalog text as one short line for an axis."""
    line = " ".join(clean(text).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _numbers(axis: Any, decimals: int = 0, suffix: str = "") -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(
        FuncFormatter(lambda value, _position: number(value, decimals) + suffix)
    )


# -- the selection ------------------------------------------------------------------------
def timeline(result: TimelineResult) -> str:
    """A row per entry, a bar per project from its first year to its last
    (open-ended ones to the year they are counted to, lighter)."""
    plt = _pyplot()
    rows = [e for e in result.entries if any(p.start for p in e.projects)]
    height = 1.0 + 0.22 * max(len(rows), 1)
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    for index, entry in enumerate(reversed(rows)):
        for project in entry.projects:
            if not project.start:
                continue
            end = (project.shown_to or project.start) + 1
            open_ended = project.ongoing and project.end is None
            axes.broken_barh(
                [(project.start, end - project.start)],
                (index - 0.35, 0.7),
                facecolors=BLUE,
                alpha=0.35 if open_ended else 0.55,
                edgecolor="white",
                linewidth=0.5,
            )
    axes.set_yticks(range(len(rows)), [_label(e.title) for e in reversed(rows)])
    axes.set_ylim(-0.6, max(len(rows), 1) - 0.4)
    axes.set_xlim(result.first - 0.5, result.last + 1.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_title(_("Project periods"))
    axes.set_xlabel(_("Year (a bar: a project at work; lighter: no end year given)"))
    return _svg(figure)


# -- what they do ---------------------------------------------------------------------------
def term_bars(title: str, rows: list[TermCount], free: tuple[int, float]) -> str:
    """Each answer's share of the entries, the free answers apart in grey."""
    plt = _pyplot()
    shown = [r for r in rows if r.entries] or rows
    labels = [_label(r.label, 60) for r in shown] + [_("(free text)")]
    shares = [100 * r.share for r in shown] + [100 * free[1]]
    counts = [r.entries for r in shown] + [free[0]]
    colours = [BLUE] * len(shown) + [GREY]
    height = 0.9 + 0.24 * len(labels)
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    positions = list(range(len(labels)))[::-1]
    axes.barh(positions, shares, color=colours, height=0.7)
    for y, share, count in zip(positions, shares, counts, strict=True):
        axes.text(share + 1, y, number(count), va="center", fontsize=8)
    axes.set_yticks(positions, labels)
    axes.set_xlim(0, max([*shares, 1.0]) * 1.12 + 2)
    _numbers(axes.xaxis, 0, " %")
    axes.set_xlabel(_("Share of the entries (the number: entries)"))
    axes.set_title(_label(title, 80))
    return _svg(figure)


# -- population -----------------------------------------------------------------------------
def population(result: FolketallResult) -> str:
    """The entry's index line against the reference's and the comparison
    group's median, project years shaded."""
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH, 3.0))
    lines = [
        ([p.indexed for p in result.series], BLUE, "-", _("the entry's area")),
        ([p.reference_index for p in result.series], ORANGE, "--", localise(result.reference_name)),
        ([p.group_index for p in result.series], GREEN, ":", _("comparison group (median)")),
    ]
    years = [p.year for p in result.series]
    shown: list[int] = []
    for values, colour, style, label in lines:
        points = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        if points:
            axes.plot(
                [y for y, _v in points],
                [v for _y, v in points],
                color=colour,
                linestyle=style,
                linewidth=1.8,
                marker="o",
                markersize=2.5,
                label=label,
            )
            shown += [y for y, _v in points]
    for period in result.periods:
        if period.during.start <= period.during.end:
            axes.axvspan(
                period.during.start, period.during.end, color=BLUE, alpha=0.06, linewidth=0
            )
    axes.axhline(100, color="#b0b0b0", linewidth=0.8)
    if shown:
        axes.set_xlim(min(shown) - 0.5, max(shown) + 0.5)
    axes.xaxis.get_major_locator().set_params(integer=True)
    _numbers(axes.yaxis, 0)
    axes.set_ylabel(_("Index ({year} = 100)").format(year=result.index_year))
    axes.set_title(_label(result.title, 80))
    axes.legend(frameon=False, fontsize=8, loc="best")
    return _svg(figure)


def differences(rows: list[tuple[str, float]]) -> str:
    """Each entry's change less its comparison group's median, in
    percentage points, largest first."""
    plt = _pyplot()
    ordered = sorted(rows, key=lambda r: r[1])
    height = 1.0 + 0.22 * max(len(ordered), 1)
    figure, axes = plt.subplots(figsize=(WIDTH, height))
    positions = list(range(len(ordered)))
    values = [value for _label_, value in ordered]
    axes.barh(positions, values, color=[BLUE if v > 0 else RED for v in values], height=0.7)
    axes.axvline(0, color="#606060", linewidth=0.8)
    axes.set_yticks(positions, [_label(name) for name, _value in ordered])
    axes.set_ylim(-0.6, max(len(ordered), 1) - 0.4)
    _numbers(axes.xaxis, 0)
    axes.set_xlabel(
        _("Percentage points above (blue) or below (red) the comparison group's median")
    )
    axes.set_title(_("Each entry's change against its comparison group"))
    axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    return _svg(figure)
