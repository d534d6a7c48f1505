"""Parse one published catalog page (plain text) into an Entry.

Pure: text in, Entry out. See ../shared/FORMAT.md for what varies between
real pages; every rule below exists because some page needs it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from tilflytting.core.fold import fold, key, strip_controls
from tilflytting.core.i18n import N_
from tilflytting.core.model import Entry, Heading, Item, Project
from tilflytting.ingest.decode import split_lines
from tilflytting.ingest.periods import Period, find_periods, parse_period

# Heading spellings per list (folded). Matching also tolerates small typos.
HEADINGS: dict[str, tuple[str, ...]] = {
    "aktiviteter": ("aktiviteter", "aktivitetar"),
    "salgsargumenter": (
        "viktigste salgsargument",
        "viktigste salgsargumenter",
        "viktigaste salgsargument",
        "viktigaste salsargument",
        "viktige salgsargument",
        "salgsargument",
        "salgsargumenter",
    ),
    "samarbeidspartnere": ("samarbeidspartnere", "samarbeidspartnarar"),
    "hovedmal": ("hovedmal", "hovudmal", "hovedmalet", "hovudmalet"),
    "malgrupper": ("malgrupper", "malgruppe", "malgruppar", "malgruppene"),
}
# Every heading's first three letters (misspellings keep them, so far).
_FIRST_LETTERS = {variant[:3] for variants in HEADINGS.values() for variant in variants}
# Sub-headings of the free text that are known and stay in the text; the
# period ones also mark lines below them as project periods.
TEXT_HEADINGS = {"organisering", "mal", "delmal", "arbeidsomrader", "tema"}
PERIOD_HEADINGS = {"periode", "perioder", "prosjektperiode", "prosjektperioder"}
# A word after the first that makes a line a sentence, not a heading.
_VERBS = {"er", "var", "ble", "blir", "har", "hadde", "vert", "vart", "skal", "kan"}
_MAX_EXTRA_WORDS = 3
_SIMILAR = 0.85

CLOSING_HEADING = "tilflyttingsarbeidinorskedistriktskommuner"
_CLOSING_SENTENCE = re.compile(r"\ber\s+pres[ae]ntert\s+med\s+grunnlegg", re.I)
_BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙]|[-*–](?=\s)|(\d{1,2})[.)](?=\s))\s*(.*)$")
_FAGOMRADE = re.compile(r"^\s*fagomr[aå]der?\s*:\s*(.*)$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"”])")
_INLINE = (
    ("malgrupper", re.compile(r"^(?:hoved)?m[aå]lgrupp\w*\s+(?:er|var)\s+(.+)$", re.I)),
    ("malgrupper", re.compile(r"^(.{2,60}?)\s+er\s+(?:hoved)?m[aå]lgrupp\w*$", re.I)),
    ("samarbeidspartnere", re.compile(r"^samarbeidspart\w*\s+(?:er|var)\s+(.+)$", re.I)),
    ("salgsargumenter", re.compile(r"^viktig\w*\s+sal\w*\s+(?:er|var)\s+(.+)$", re.I)),
    ("aktiviteter", re.compile(r"^aktivitet\w*\s+(?:er|var)\s+(.+)$", re.I)),
)


@dataclass
class Line:
    no: int
    raw: str
    bullet: str | None  # the item text if the line is a bullet or numbered item
    number: str | None

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


@dataclass
class _Section:
    """Where the parser is: in a list (kind) or in free text (kind None)."""

    kind: str | None = None
    items: int = 0
    after_heading: bool = False
    lists_started: bool = False
    period_mode: bool = False


class PageError(ValueError):
    """The page cannot be read as a catalog entry."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _lines(text: str) -> list[Line]:
    result = []
    for no, raw in enumerate(split_lines(text), start=1):
        match = _BULLET.match(raw)
        bullet = match.group(2).strip() if match else None
        result.append(Line(no, raw.rstrip(), bullet, match.group(1) if match else None))
    return result


@lru_cache(maxsize=8192)
def heading_kind(text: str) -> str | None:
    """Which list a heading line introduces, or None if it is no list heading.
    Words after a colon are the heading's items, not part of it."""
    head = text.split(":", 1)[0]
    words = fold(head).split()
    if not words or len(head) > 80 or head.rstrip().endswith((".", "!", "?")):
        return None
    if len(words) > 1 and words[1] in _VERBS:
        return None
    if words[0][:3] not in _FIRST_LETTERS:
        return None  # no heading starts so: no need to compare spellings
    for kind, variants in HEADINGS.items():
        for variant in variants:
            size = len(variant.split())
            head, extra = " ".join(words[:size]), len(words) - size
            if 0 <= extra <= _MAX_EXTRA_WORDS and _similar(head, variant):
                return kind
    return None


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    return len(a) > 5 and difflib.SequenceMatcher(None, a, b).ratio() >= _SIMILAR


def _introduces_prose(body: list[Line], index: int) -> bool:
    """A short line followed by a sentence paragraph is a heading, not an item:
    `Resultater` above `Tre nye familiar har flytta hit.`"""
    line = body[index]
    after = next((ln for ln in body[index + 1 :] if not ln.blank), None)
    return (
        _looks_like_heading(line)
        and after is not None
        and after.bullet is None
        and heading_kind(after.text) is None
        and not _is_closing_heading(after.text)
        and after.text.endswith((".", "!", "?"))
    )


def _is_closing_heading(text: str) -> bool:
    # Asked of every line. A line whose first letter or digit is ASCII and not
    # a t cannot fold to the heading: answered without folding the line.
    for char in text:
        if not char.isascii():
            break  # folding decides what this becomes
        if char.isalnum():
            if char not in "tT":
                return False
            break
    return key(text).startswith(CLOSING_HEADING[:-2])


def _looks_like_heading(line: Line) -> bool:
    words = line.text.split()
    return (
        line.bullet is None
        and 0 < len(words) <= 5
        and line.text[0].isupper()
        and not line.text.endswith((".", "!", "?", ",", ";"))
    )


def parse_page(text: str) -> Entry:
    """Parse the text of one published page."""
    text, removed = strip_controls(text.lstrip("\ufeff"))
    lines = _lines(text)
    parser = _PageParser(lines)
    entry = parser.run()
    if removed:
        entry.warn(N_("removed {count} control character(s)").format(count=removed))
    return entry


class _PageParser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.pos = 0
        self.text_lines: list[tuple[int, str]] = []  # (line, text) of free text
        self.explicit_projects: list[tuple[Project, list[str]]] = []
        self.entry = Entry(title="")
        self.state = _Section()

    # -- top of the page -------------------------------------------------
    def _next_nonblank(self) -> Line | None:
        while self.pos < len(self.lines) and self.lines[self.pos].blank:
            self.pos += 1
        if self.pos < len(self.lines):
            line = self.lines[self.pos]
            self.pos += 1
            return line
        return None

    def _read_top(self) -> None:
        first = self._next_nonblank()
        if first is not None and (match := _FAGOMRADE.match(first.text)):
            areas = match.group(1)
            splitter = "," if "," in areas else None
            self.entry.areas = [a.strip() for a in areas.split(splitter) if a.strip()]
            first = self._next_nonblank()
        if first is None or first.bullet is not None or heading_kind(first.text):
            raise PageError(N_("page has no title"), first.no if first else None)
        self.entry.title, self.entry.title_line = first.text, first.no
        self._read_lead()

    def _read_lead(self) -> None:
        start = self.pos
        lead = self._next_nonblank()
        if lead is None or lead.bullet is not None or self._stops_body(lead):
            self.pos = start  # no lead: the body starts right away
            return
        if heading_kind(lead.text):
            self.pos = start
            return
        self.entry.lead = lead.text

    # -- closing block ---------------------------------------------------
    def _stops_body(self, line: Line) -> bool:
        return (_is_closing_heading(line.text) and line.bullet is None) or bool(
            _CLOSING_SENTENCE.search(line.text) and line.bullet is None
        )

    def _find_closing(self) -> int:
        """Index of the first closing line; len(lines) if there is none."""
        for index in range(self.pos, len(self.lines)):
            line = self.lines[index]
            if line.bullet is None and (
                _is_closing_heading(line.text) or _CLOSING_SENTENCE.search(line.text)
            ):
                return index
        last = self._last_nonblank()
        cut_heading = last is not None and len(last.text) >= 4 and last.bullet is None
        if last is not None and cut_heading and CLOSING_HEADING.startswith(key(last.text)):
            return self.lines.index(last)  # heading cut off mid-word
        return len(self.lines)

    def _last_nonblank(self) -> Line | None:
        return next((ln for ln in reversed(self.lines) if not ln.blank), None)

    def _read_closing(self, start: int) -> bool:
        """Split off the closing block; keep text around it. True if complete."""
        if start >= len(self.lines):
            return False
        first = self.lines[start]
        match = _CLOSING_SENTENCE.search(first.text)
        if match and not _is_closing_heading(first.text):
            before = _sentence_start(first.text, match.start())
            if before.strip():
                self.text_lines.append((first.no, before.strip()))
        paragraphs = [ln for ln in self.lines[start:] if not ln.blank]
        closing = [ln for ln in paragraphs if not _is_closing_heading(ln.text)]
        if not closing:
            return False
        # Text after the closing paragraph is the page's own: keep it.
        for extra in closing[1:]:
            if not _is_boilerplate(extra.text):
                self.text_lines.append((extra.no, extra.text))
        return closing[0].text.endswith((".", "!", "?"))

    # -- body ------------------------------------------------------------
    def run(self) -> Entry:
        self._read_top()
        closing_at = self._find_closing()
        body = self.lines[self.pos : closing_at]
        self._read_body(body)
        complete = self._read_closing(closing_at)
        self.entry.complete = complete
        if not complete:
            self._mark_cut(body, closing_at)
        self._inline_sections()
        self._projects()
        self.entry.text = _join_text(self.text_lines)
        return self.entry

    def _read_body(self, body: list[Line]) -> None:
        for index, line in enumerate(body):
            if line.blank:
                # Only the first paragraph under a heading can hold plain items.
                self.state.after_heading = self.state.after_heading and not self.state.items
            elif line.bullet is None and (kind := heading_kind(line.text)):
                self._start_section(kind, line)
            elif not self._list_line(body, index):
                self._free_line(line)
        self._close_section()

    def _start_section(self, kind: str, line: Line) -> None:
        self._close_section()
        self.entry.headings.append(Heading(line.text, kind, line.no))
        self.state = _Section(kind=kind, after_heading=True, lists_started=True)
        # `Målgrupper: Ungdom, barnefamilier`: the items follow on the same line.
        _, colon, rest = line.text.partition(":")
        for part in re.split(r"[,;]", rest) if colon else []:
            if part.strip():
                self._add_item(kind, part.strip().rstrip("."), line.no)
                self.state.items += 1

    def _list_line(self, body: list[Line], index: int) -> bool:
        """Take the line as an item of the current list if it is one."""
        state, line = self.state, body[index]
        if state.kind is None:
            return False
        if line.bullet is not None:
            self._add_item(state.kind, line.bullet, line.no)
        elif (
            not state.items
            and state.after_heading
            and (state.kind == "hovedmal" or not _introduces_prose(body, index))
        ):
            self._add_item(state.kind, line.text.rstrip("."), line.no)
        else:
            self._close_section()  # a paragraph after the list: back to free text
            return False
        state.items += 1
        return True

    def _free_line(self, line: Line) -> None:
        folded = key(line.text)
        if line.bullet is None and folded in PERIOD_HEADINGS | TEXT_HEADINGS:
            self.state.period_mode = folded in PERIOD_HEADINGS
            self.entry.headings.append(Heading(line.text, "tekst", line.no))
        elif self.state.lists_started and _looks_like_heading(line):
            self.entry.warn(
                N_("unknown heading '{heading}' kept in the text").format(heading=line.text),
                line.no,
            )
            self.entry.headings.append(Heading(line.text, "ukjent", line.no))
        self._text_line(line, self.state.period_mode)

    def _close_section(self) -> None:
        """End the current list; a list heading with nothing under it is reported."""
        state = self.state
        if state.kind is not None and not state.items:
            heading = next(h for h in reversed(self.entry.headings) if h.kind == state.kind)
            self.entry.warn(
                N_("heading '{heading}' has no items").format(heading=heading.text), heading.line
            )
        self.state = _Section(lists_started=state.lists_started)

    def _add_item(self, section: str, text: str, line: int) -> None:
        text = " ".join(text.split())
        if not text:
            self.entry.warn(N_("empty list item"), line)
            return
        target = self.entry.main_goal if section == "hovedmal" else self.entry.lists[section]
        target.append(Item(text, line))

    def _text_line(self, line: Line, period_mode: bool) -> None:
        if line.bullet is not None:
            marker = f"{line.number}." if line.number else "•"
            self.text_lines.append((line.no, f"{marker} {line.bullet}".rstrip()))
            content = line.bullet
        else:
            self.text_lines.append((line.no, line.text))
            content = line.text
        found = _explicit_project(content, period_mode, self.entry.title)
        if found is not None:
            found[0].line = line.no
            self.explicit_projects.append(found)

    def _mark_cut(self, body: list[Line], closing_at: int) -> None:
        if closing_at < len(self.lines):
            self.entry.warn(
                N_("page is cut off in its closing block; imported as incomplete"),
                self.lines[-1].no,
            )
            return
        last = next((ln for ln in reversed(body) if not ln.blank), None)
        line_no = last.no if last else None
        self.entry.warn(N_("page is cut off before its end; imported as incomplete"), line_no)
        for items in [*self.entry.lists.values(), self.entry.main_goal]:
            if items and items[-1].line == line_no:
                items[-1].truncated = True

    # -- sections written as sentences -----------------------------------
    def _inline_sections(self) -> None:
        headed = {h.kind for h in self.entry.headings}
        for no, text in list(self.text_lines):
            for sentence in _SENTENCE_END.split(text):
                self._inline_sentence(sentence.strip().rstrip("."), no, headed)

    def _inline_sentence(self, sentence: str, no: int, headed: set[str]) -> None:
        for kind, pattern in _INLINE:
            match = pattern.match(sentence)
            if match is None or kind in headed:
                continue
            items = self.entry.lists[kind]
            for part in match.group(1).split(","):
                if part.strip():
                    items.append(Item(" ".join(part.split()), no))
            self.entry.headings.append(Heading(sentence, f"{kind} (setning)", no))
            return

    # -- projects --------------------------------------------------------
    def _projects(self) -> None:
        found = self.explicit_projects or self._prose_projects()
        for project, problems in found:
            self.entry.projects.append(project)
            for problem in problems:
                self.entry.warn(problem, project.line)

    def _prose_projects(self) -> list[tuple[Project, list[str]]]:
        found: list[tuple[int, str, Period]] = []
        for no, text in self.text_lines:
            for sentence in _SENTENCE_END.split(text):
                found.extend((no, sentence, period) for period in find_periods(sentence))
        projects = []
        for no, sentence, period in found:
            name = _name_before(sentence, period.span[0]) or _name_after_project_word(sentence)
            if not name:
                name = self.entry.title if len(found) == 1 else _describe(sentence, period)
            projects.append(_project(name, period, no))
        return projects


def _project(name: str, period: Period, line: int) -> tuple[Project, list[str]]:
    project = Project(name, period.start, period.end, period.ongoing, period.text, line)
    return project, period.problems


def _explicit_project(
    content: str, period_mode: bool, title: str
) -> tuple[Project, list[str]] | None:
    """`Name: period`, or in a period section also `Name period`."""
    name, sep, rest = content.rpartition(":")
    if sep and name.strip() and (period := parse_period(rest)):
        label = name.strip()
        if key(label) in PERIOD_HEADINGS:
            label = title
        return _project(label, period, 0)
    if period_mode:
        for period in find_periods(content):
            tail = content[period.span[1] :].strip(" .")
            label = content[: period.span[0]].strip(" :–-")
            if label and not tail:
                return _project(label, period, 0)
    return None


_STOP = {"er", "var", "har", "hadde", "ble", "blir", "skal", "som", "der", "med", "i perioden"}


def _name_before(sentence: str, at: int) -> str:
    """A capitalised name right before `(period)`: `Tilflyttingsbygda Finnøy (2011-)`."""
    head = sentence[:at].rstrip()
    if not head.endswith("("):
        return ""
    words: list[str] = []
    for word in reversed(head[:-1].split()[-9:]):
        if word.lower() in _STOP:
            break
        words.insert(0, word)
    capitals = [i for i, word in enumerate(words) if word[0].isupper()]
    if not capitals:
        return ""
    start = capitals[-1]  # the last capital starts the name ...
    while start > 0 and words[start - 1][0].isupper():
        start -= 1  # ... together with the capitals just before it
    return " ".join(words[start:]).strip(" ,")


_PROJECT_WORD = re.compile(
    r"\b\w*prosjekt(?:et)?\s+((?:[A-ZÆØÅ0-9][\w+]*\s?){1,4})(?:(\w+)\s+(\w+))?"
)


def _name_after_project_word(sentence: str) -> str:
    """`... drev bulystprosjektet Rennebu 3000 der ...` gives `Rennebu 3000`."""
    match = _PROJECT_WORD.search(sentence)
    if match is None:
        return ""
    name = match.group(1).strip()
    # One lowercase word may belong to the name when a clause word follows it:
    # `prosjektet Brevet hjemmefra der ...`.
    extra, after = match.group(2), match.group(3)
    if extra and extra.islower() and extra not in _STOP and after in _STOP:
        name = f"{name} {extra}"
    return name


def _describe(sentence: str, period: Period) -> str:
    """With no name to be found, a short description from the sentence."""
    span = period.span
    rest = (sentence[: span[0]] + sentence[span[1] :]).replace("I perioden", "")
    words = rest.replace("()", "").split()
    text = " ".join(words[:8]).strip(" ,.")
    return text + (" …" if len(words) > 8 else "")


def _sentence_start(text: str, at: int) -> str:
    """The text before the sentence that holds position `at`."""
    cut = max(text.rfind(". ", 0, at), text.rfind("! ", 0, at))
    return text[: cut + 1] if cut >= 0 else ""


def _is_boilerplate(text: str) -> bool:
    folded = fold(text)
    return any(
        phrase in folded
        for phrase in ("katalog over tilflyttingsarbeid", "distriktssenteret", "ideas2evidence")
    )


def _join_text(lines: list[tuple[int, str]]) -> str:
    """Paragraphs apart by a blank line; list lines that follow each other
    stay together as one block."""
    out: list[str] = []
    previous: tuple[int, str] | None = None
    for no, text in sorted(lines):
        together = previous is not None and no == previous[0] + 1
        if together and _is_list_line(text) and _is_list_line(previous[1]):  # type: ignore[index]
            out[-1] += "\n" + text
        else:
            out.append(text)
        previous = (no, text)
    return "\n\n".join(out)


def _is_list_line(text: str) -> bool:
    return bool(re.match(r"^(?:•|\d{1,2}\.)\s", text))
