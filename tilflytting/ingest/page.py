"""Parse one published catalog page (plain text) into an Entry.

Pure: text in, Entry out (the bundled vocabulary and place names help it
tell a list from prose). See ../shared/FORMAT.md for what varies between
real pages and docs/page-format.md for the rules below and the evidence for
each. Two promises hold for any text:

- Nothing vanishes: every non-empty line ends up in a field, in the free
  text, or in a warning that says where it went (`read_page` tells which).
- No step costs more than linear time in the size of the page: no regular
  expression that can backtrack over the page, no look-ahead by copying the
  rest of it, no search repeated per match.
"""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from tilflytting.core.fold import fold, key, strip_controls
from tilflytting.core.i18n import N_
from tilflytting.core.model import LIST_LABELS, LISTS, Entry, Heading, Item, Project
from tilflytting.ingest.decode import normalise_line_ends, split_lines
from tilflytting.ingest.periods import (
    ONGOING_ONLY,
    Period,
    find_periods,
    find_starts,
    parse_period,
)

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
PERIOD_HEADINGS = {
    "periode",
    "perioder",
    "periodar",
    "prosjektperiode",
    "prosjektperioder",
    "prosjektperiodar",
}
# A word after the first that makes a line a sentence, not a heading.
_VERBS = {"er", "var", "ble", "blir", "har", "hadde", "vert", "vart", "skal", "kan"}
_MAX_EXTRA_WORDS = 3
_SIMILAR = 0.85
# A survey answer is short: the longest category has 13 words.
MAX_ANSWER_WORDS = 16
# A name read from prose is a name, not a clause.
MAX_NAME_WORDS = 8
# Look-behind for a name before `(period)`: a name is never longer than this.
_NAME_WINDOW = 160

CLOSING_HEADING = "tilflyttingsarbeidinorskedistriktskommuner"
_CLOSING_SENTENCE = re.compile(r"\ber\s+pres[ae]ntert\s+med\s+grunnlegg", re.I)
# Bullets as pages and word processors write them: •, ·, ▪, ●, ◦, ○, ■, ►,
# Word's Symbol-font bullets (private use U+F0B7, U+F0A7, U+F0D8), a dash,
# star or `o` followed by a space, and numbers: `1.`, `1)`, `(1)`.
_BULLET_CHARS = "•·▪●◦‣∙○■□►▸➢➤✓✔◆◇❖\uf0b7\uf0a7\uf0d8"
_BULLET = re.compile(
    rf"^\s*(?:[{_BULLET_CHARS}]|[-*–—](?=\s)|o(?=\s+\S)|\(?(\d{{1,2}})[.)](?=\s))\s*(.*)$"
)
# A bullet in the middle of a line: two items (or a heading and an item)
# written on one line. Only the bullet characters count (no dash, star or
# `o`: those are words and signs inside a line), with a space on each side:
# `– Vertskapsordning · Brosyrer og lignende` is two items.
_INNER_BULLET = re.compile(rf"(?<=\S)\s+(?=[{_BULLET_CHARS}]\s)")
_INNER_BULLET_CHAR = re.compile(rf"[{_BULLET_CHARS}]")
_FAGOMRADE = re.compile(r"^\s*fagomr[aå]der?\s*:\s*(.*)$", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"”])")
_INNER_SENTENCE = re.compile(r"[.!?]\s+[A-ZÆØÅ«\"”]")
_DIGIT = re.compile(r"\d")  # any digit, as the period patterns' \d reads them
_YEARISH = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_INLINE = (
    ("malgrupper", re.compile(r"^(?:hoved)?m[aå]lgrupp\w*\s+(?:er|var)\s+(.+)$", re.I)),
    ("malgrupper", re.compile(r"^(.{2,60}?)\s+er\s+(?:hoved)?m[aå]lgrupp\w*$", re.I)),
    ("samarbeidspartnere", re.compile(r"^samarbeidspart\w*\s+(?:er|var)\s+(.+)$", re.I)),
    ("salgsargumenter", re.compile(r"^viktig\w*\s+sal\w*\s+(?:er|var)\s+(.+)$", re.I)),
    ("aktiviteter", re.compile(r"^aktivitet\w*\s+(?:er|var)\s+(.+)$", re.I)),
)
_MAX_INLINE_PART_WORDS = 6
_MAX_INLINE_SENTENCE = 240

# Where a line went (PageReading.lines).
AREAS, TITLE, LEAD, HEADING, ITEM, TEXT, CLOSING, WARNING = (
    "fagomrade",
    "tittel",
    "ingress",
    "overskrift",
    "punkt",
    "tekst",
    "avslutning",
    "advarsel",
)


@dataclass(slots=True)
class Line:
    no: int
    raw: str
    bullet: str | None  # the item text if the line is a bullet or numbered item
    number: str | None
    # The line stripped, and whether nothing is left: made once, though read
    # about 200 times a page.
    text: str = field(init=False)
    blank: bool = field(init=False)

    def __post_init__(self) -> None:
        self.text = self.raw.strip()
        self.blank = not self.text

    @property
    def content(self) -> str:
        """What the line says: its item text if it is a bullet."""
        return self.bullet if self.bullet is not None else self.text


@dataclass
class _Section:
    """The known list the parser is in, or none (free text)."""

    kind: str | None = None
    heading: str = ""
    items: int = 0
    plain: bool = False  # its items so far were lines without bullets
    blank_since_item: bool = False


@dataclass
class PageReading:
    """A parsed page and, for every non-empty line, where it went."""

    entry: Entry
    lines: dict[int, list[str]] = field(default_factory=dict)
    closing_line: int | None = None  # where the closing block starts, if any


class PageError(ValueError):
    """The page cannot be read as a catalog entry."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _lines(text: str) -> list[Line]:
    result = []
    for no, raw in enumerate(split_lines(text), start=1):
        # Most lines hold no bullet character: no need to look for a place to split.
        parts = _INNER_BULLET.split(raw) if _INNER_BULLET_CHAR.search(raw) else (raw,)
        for part in parts:
            match = _BULLET.match(part)
            bullet = match.group(2).strip() if match else None
            result.append(Line(no, part.rstrip(), bullet, match.group(1) if match else None))
    return result


@lru_cache(maxsize=8192)
def heading_kind(text: str) -> str | None:
    """Which list a heading line introduces, or None if it is no list heading.
    Words after a colon are the heading's items, not part of it."""
    head = text.split(":", 1)[0]
    if len(head) > 80:
        return None
    words = fold(head).split()
    if not words or head.rstrip().endswith((".", "!", "?")):
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
    return key(text[:200]).startswith(CLOSING_HEADING[:-2])


def _looks_like_heading(line: Line) -> bool:
    """Short, capitalised, no sentence end, no verb second (`Delmålene er:`)."""
    words = line.text.split()
    return (
        line.bullet is None
        and 0 < len(words) <= 5
        and line.text[0].isupper()
        and not line.text.endswith((".", "!", "?", ",", ";"))
        and (len(words) == 1 or words[1].lower().strip(":,") not in _VERBS)
    )


def _could_head_list(line: Line) -> bool:
    """A line that may be the heading of a list below it: short, capitalised,
    no sentence end (`Dette har vi gjort`, `Tiltak:`). Whether it is one is
    for the list to tell."""
    words = line.text.split()
    return (
        line.bullet is None
        and 0 < len(words) <= MAX_NAME_WORDS
        and line.text[0].isupper()
        and not line.text.endswith((".", "!", "?", ",", ";"))
    )


def answer_like(text: str) -> bool:
    """Short like a survey answer: a few words, one sentence, no year, not
    a lead-in (`... følgende:`)."""
    words = text.split()
    return (
        0 < len(words) <= MAX_ANSWER_WORDS
        and not text.rstrip().endswith(":")
        and not _INNER_SENTENCE.search(text)
        and not _YEARISH.search(text)
    )


def parse_page(text: str) -> Entry:
    """Parse the text of one published page."""
    return read_page(text).entry


def read_page(text: str) -> PageReading:
    """Parse a page and say where each of its lines went. Line ends are
    normalised before control characters go: a CR of a CRLF line end is
    no control character."""
    text, removed = strip_controls(normalise_line_ends(text.lstrip("\ufeff")))
    parser = _PageParser(_lines(text))
    reading = parser.run()
    if removed:
        reading.entry.warn(N_("removed {count} control character(s)").format(count=removed))
    return reading


class _PageParser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.pos = 0
        self.text_lines: list[tuple[int, str]] = []  # (line, text) of free text
        self.explicit_projects: list[tuple[Project, list[str]]] = []
        self.prose: list[tuple[int, str]] = []  # (line, content) that may state projects
        self.entry = Entry(title="")
        self.state = _Section()
        self.lists_started = False
        self.period_mode = False  # under a heading of project periods
        self.period_heading = ""
        self.period_lines = 0  # lines taken under it so far
        self.period_gap = False  # a blank line since the last of them
        self.where: dict[int, list[str]] = {}
        self.body: list[Line] = []
        self.next_line: list[int] = []  # index of the next non-blank body line

    def _went(self, line: Line | int, role: str) -> None:
        no = line if isinstance(line, int) else line.no
        roles = self.where.setdefault(no, [])
        if role not in roles:
            roles.append(role)

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
            self._went(first, AREAS)
            first = self._next_nonblank()
        if first is None or first.bullet is not None or heading_kind(first.text):
            raise PageError(N_("page has no title"), first.no if first else None)
        self.entry.title, self.entry.title_line = first.text, first.no
        self._went(first, TITLE)
        self._read_lead()

    def _read_lead(self) -> None:
        start = self.pos
        lead = self._next_nonblank()
        if lead is None or lead.bullet is not None or self._stops_body(lead):
            self.pos = start  # no lead: the body starts right away
            return
        if heading_kind(lead.text) or self._heads_a_list(lead):
            self.pos = start  # a heading, not a lead
            return
        self.entry.lead = lead.text
        self._went(lead, LEAD)

    def _heads_a_list(self, lead: Line) -> bool:
        """A heading-like line right under the title with a list below it (or
        an item on its own line) is the body's first heading, not a lead."""
        if self.pos < len(self.lines) and self.lines[self.pos].no == lead.no:
            return True  # a heading and an item on one line
        if not _looks_like_heading(lead):
            return False
        index = self.pos
        while index < len(self.lines) and self.lines[index].blank:
            index += 1
        return index < len(self.lines) and self.lines[index].bullet is not None

    # -- closing block ---------------------------------------------------
    def _stops_body(self, line: Line) -> bool:
        # Asked of every line: the cheap tests first (a bullet or a blank line
        # is neither the closing heading nor its sentence).
        if line.bullet is not None or line.blank:
            return False
        return _is_closing_heading(line.text) or bool(_CLOSING_SENTENCE.search(line.text))

    def _find_closing(self) -> int:
        """Index of the first closing line; len(lines) if there is none."""
        for index in range(self.pos, len(self.lines)):
            if self._stops_body(self.lines[index]):
                return index
        for index in range(len(self.lines) - 1, self.pos - 1, -1):
            last = self.lines[index]
            if last.blank:
                continue
            # The heading cut off mid-word: `Tilfl`.
            cut = len(last.text) >= 4 and last.bullet is None
            if cut and CLOSING_HEADING.startswith(key(last.text[:80])):
                return index
            break
        return len(self.lines)

    def _read_closing(self, start: int) -> bool:
        """Split off the closing block; keep text around it. True if complete."""
        if start >= len(self.lines):
            return False
        for line in self.lines[start:]:
            if not line.blank:
                self._went(line, CLOSING)
        first = self.lines[start]
        match = _CLOSING_SENTENCE.search(first.text)
        if match and not _is_closing_heading(first.text):
            before = _sentence_start(first.text, match.start())
            if before.strip():
                self.text_lines.append((first.no, before.strip()))
                self.prose.append((first.no, before.strip()))
                self._went(first, TEXT)
        paragraphs = [ln for ln in self.lines[start:] if not ln.blank]
        closing = [ln for ln in paragraphs if not _is_closing_heading(ln.text)]
        if not closing:
            return False
        # Text after the closing paragraph is the page's own: keep it.
        for extra in closing[1:]:
            if not _is_boilerplate(extra.text):
                self.text_lines.append((extra.no, extra.text))
                self.prose.append((extra.no, extra.text))
                self._went(extra, TEXT)
        return closing[0].text.endswith((".", "!", "?"))

    # -- body ------------------------------------------------------------
    def run(self) -> PageReading:
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
        for problem in self.entry.problems:
            if problem.line is not None:
                self._went(problem.line, WARNING)
        closing_line = self.lines[closing_at].no if closing_at < len(self.lines) else None
        return PageReading(self.entry, self.where, closing_line)

    def _read_body(self, body: list[Line]) -> None:
        self.body = body
        self.next_line = [len(body)] * (len(body) + 1)
        for index in range(len(body) - 1, -1, -1):
            self.next_line[index] = index if not body[index].blank else self.next_line[index + 1]
        index = 0
        while index < len(body):
            line = body[index]
            if line.blank:
                self.state.blank_since_item = self.state.items > 0
                self.period_gap = self.period_mode and self.period_lines > 0
                index += 1
            elif line.bullet is None and (kind := heading_kind(line.text)):
                self._start_section(kind, line)
                index += 1
            elif self.state.kind is not None and (after := self._section_line(index)):
                index = after
            else:
                index = self._free(index)
        self._close_section()

    def _after(self, index: int) -> Line | None:
        """The next non-blank body line after `index`."""
        following = self.next_line[index + 1] if index + 1 <= len(self.body) else len(self.body)
        return self.body[following] if following < len(self.body) else None

    def _start_section(self, kind: str, line: Line) -> None:
        self._close_section()
        self.entry.headings.append(Heading(line.text, kind, line.no))
        self._went(line, HEADING)
        self.state = _Section(kind=kind, heading=line.text)
        self.lists_started = True
        self.period_mode = False
        # `Målgrupper: Ungdom, barnefamilier`: the items follow on the same line.
        _, colon, rest = line.text.partition(":")
        for part in re.split(r"[,;]", rest) if colon else []:
            if part.strip():
                self._add_item(kind, part.strip().rstrip("."), line.no)
                self.state.items += 1

    def _section_line(self, index: int) -> int:
        """Take line `index` (and maybe a run after it) into the open list;
        the index after what was taken, or 0 to leave it to the free text."""
        state, line = self.state, self.body[index]
        assert state.kind is not None
        if line.bullet is not None:
            if state.items and state.blank_since_item and state.kind != "hovedmal":
                return self._new_run(index)
            self._add_item(state.kind, line.bullet, line.no)
            state.items, state.plain, state.blank_since_item = state.items + 1, False, False
            return index + 1
        if self._plain_item(index):
            self._add_item(state.kind, line.text.rstrip("."), line.no)
            state.items, state.plain, state.blank_since_item = state.items + 1, True, False
            return index + 1
        self._close_section()  # a paragraph after the list: back to free text
        return 0

    def _plain_item(self, index: int) -> bool:
        """Whether a line without a bullet is an item of the open list: the
        lines right under a heading, one item each, and more such lines after
        them; never a sentence paragraph, nor a heading of what follows."""
        state, line = self.state, self.body[index]
        if state.items and not state.plain:
            return False  # after a bulleted list, a plain line is text
        if state.kind == "hovedmal":
            return not state.items or not state.blank_since_item
        if not answer_like(line.text) or self._introduces(index):
            return False
        if state.blank_since_item:
            # A new paragraph continues a plain list only with another answer.
            return not line.text.endswith((".", "!", "?"))
        return True

    def _introduces(self, index: int) -> bool:
        """A short line followed by a sentence paragraph or a bulleted list is
        a heading, not an item: `Resultater` above `Tre nye familiar ...`."""
        line = self.body[index]
        after = self._after(index)
        if not _looks_like_heading(line) or after is None:
            return False
        if after.bullet is not None:
            return self.next_line[index + 1] > index + 1  # a blank line between
        return (
            heading_kind(after.text) is None
            and not _is_closing_heading(after.text)
            and after.text.endswith((".", "!", "?"))
            and not answer_like(after.text)
        ) or (after.text.endswith((".", "!", "?")) and len(after.text.split()) > 6)

    def _new_run(self, index: int) -> int:
        """Bullets after a blank line in an open list: the same list, unless
        most of them are answers of another list (its heading was left out)."""
        state = self.state
        run, after = self._collect(index)
        assert state.kind is not None
        kind = _list_kind([ln.content for ln in run])
        answers = sum(1 for ln in run if answer_like(ln.content))
        if kind is not None and kind != state.kind and state.kind != "hovedmal":
            self._close_section()
            self.entry.warn(
                N_("list with no heading read as {label}").format(label=LIST_LABELS[kind]),
                run[0].no,
            )
            self._take_run(kind, run)
            self.state = _Section(kind=kind, heading=LIST_LABELS[kind], items=len(run))
            return after
        if kind == state.kind or answers * 2 > len(run):
            self._take_run(state.kind, run)
            state.items += len(run)
            state.blank_since_item = False
            return after
        self._close_section()
        return 0

    def _collect(self, index: int) -> tuple[list[Line], int]:
        """A list starting at `index`: bullets one under the other, or plain
        answer-like lines of one paragraph. Returns the lines and the index
        after them (a blank line ends a list; what follows is a new run)."""
        body, run = self.body, []
        if body[index].bullet is not None:
            while index < len(body) and body[index].bullet is not None:
                run.append(body[index])
                index += 1
            return run, index
        while index < len(body) and not body[index].blank:
            line = body[index]
            if line.bullet is not None or heading_kind(line.text) or not answer_like(line.text):
                break
            run.append(line)
            index += 1
        return run, index

    def _take_run(self, kind: str, run: list[Line]) -> None:
        for line in run:
            self._add_item(
                kind, line.content.rstrip(".") if line.bullet is None else line.content, line.no
            )

    def _free(self, index: int) -> int:
        """Line `index` outside any known list; the index after what was read."""
        line = self.body[index]
        folded = key(line.text[:80])
        if line.bullet is None and folded in PERIOD_HEADINGS | TEXT_HEADINGS:
            self.period_mode = folded in PERIOD_HEADINGS
            self.period_heading, self.period_lines, self.period_gap = line.text, 0, False
            self.entry.headings.append(Heading(line.text, "tekst", line.no))
            self._went(line, HEADING)
            self._text_line(line)
            return index + 1
        if self.period_mode and (after := self._period_line(index)):
            return after
        if _could_head_list(line):
            start = self.next_line[index + 1] if index + 1 < len(self.body) else len(self.body)
            if start < len(self.body) and self._list_starts(start):
                return self._headed_list(line, start)
        if line.bullet is not None and self.lists_started and not self.period_mode:
            return self._headless_list(index)
        if self.lists_started and _looks_like_heading(line) and self._after(index) is not None:
            # A heading heads something: the body's last line heads nothing
            # (a page cut off in its last sentence: `Vi vil ha flere innbyg`).
            self.entry.warn(
                N_("unknown heading '{heading}' kept in the text").format(heading=line.text),
                line.no,
            )
            self.entry.headings.append(Heading(line.text, "ukjent", line.no))
        self._text_line(line)
        return index + 1

    def _period_line(self, index: int) -> int:
        """A line under a heading of project periods: `Name period` or
        `Name: period`, else kept in the text with a warning. After a blank
        line only another such line continues the list; anything else ends
        it (and is read as usual). The index after the line, or 0."""
        line = self.body[index]
        if self.period_gap and _explicit_project(line.content, True, self.entry.title) is None:
            self.period_mode = False
            return 0
        found = len(self.explicit_projects)
        self._text_line(line)
        if len(self.explicit_projects) == found:
            self.entry.warn(
                N_(
                    "line under heading '{heading}' is no name with a period; kept in the text"
                ).format(heading=self.period_heading),
                line.no,
            )
        self.period_lines += 1
        self.period_gap = False
        return index + 1

    def _list_starts(self, index: int) -> bool:
        """Whether a list starts at `index`: a bullet, or two answer-like
        lines without bullets, one under the other."""
        line = self.body[index]
        if line.bullet is not None:
            return True
        run, _ = self._collect(index)
        return len(run) >= 2

    def _headed_list(self, heading: Line, start: int) -> int:
        """A list under a heading the parser does not know: read as the list
        most of its items are answers of, else kept as text (and said so)."""
        run, after = self._collect(start)
        kind = _list_kind([ln.content for ln in run])
        self._close_section()
        if kind is not None:
            self.entry.warn(
                N_("heading '{heading}' read as {label}").format(
                    heading=heading.text, label=LIST_LABELS[kind]
                ),
                heading.no,
            )
            self.entry.headings.append(Heading(heading.text, kind, heading.no))
            self._went(heading, HEADING)
            self._take_run(kind, run)
            self.lists_started = True
            self.state = _Section(kind=kind, heading=heading.text, items=len(run))
            self.state.plain = run[-1].bullet is None
            return after
        self.entry.headings.append(Heading(heading.text, "ukjent", heading.no))
        self._text_line(heading)
        for line in run:
            self._text_line(line)
        if self.lists_started and self._answers(run):
            self.entry.warn(
                N_("{count} items under heading '{heading}' kept as text").format(
                    count=len(run), heading=heading.text
                ),
                heading.no,
            )
        return after

    def _headless_list(self, index: int) -> int:
        """Bullets with no heading after the lists began: read as the list
        most of them are answers of, else kept as text (and said so)."""
        run, after = self._collect(index)
        kind = _list_kind([ln.content for ln in run])
        if kind is not None:
            self.entry.warn(
                N_("list with no heading read as {label}").format(label=LIST_LABELS[kind]),
                run[0].no,
            )
            self._take_run(kind, run)
            self.state = _Section(kind=kind, heading=LIST_LABELS[kind], items=len(run))
            return after
        for line in run:
            self._text_line(line)
        if self._answers(run):
            self.entry.warn(
                N_("{count} list items with no heading kept as text").format(count=len(run)),
                run[0].no,
            )
        return after

    @staticmethod
    def _answers(run: list[Line]) -> bool:
        """Whether a list reads as answers (short items), not as prose."""
        return sum(1 for ln in run if answer_like(ln.content)) * 2 > len(run)

    def _close_section(self) -> None:
        """End the current list; a list heading with nothing under it is reported."""
        state = self.state
        if state.kind is not None and not state.items:
            heading = next((h for h in reversed(self.entry.headings) if h.kind == state.kind), None)
            if heading is not None:
                self.entry.warn(
                    N_("heading '{heading}' has no items").format(heading=heading.text),
                    heading.line,
                )
        self.state = _Section()

    def _add_item(self, section: str, text: str, line: int) -> None:
        text = " ".join(text.split())
        if not text:
            self.entry.warn(N_("empty list item"), line)
            self._went(line, WARNING)
            return
        target = self.entry.main_goal if section == "hovedmal" else self.entry.lists[section]
        target.append(Item(text, line))
        self._went(line, ITEM)

    def _text_line(self, line: Line) -> None:
        if line.bullet is not None:
            marker = f"{line.number}." if line.number else "•"
            self.text_lines.append((line.no, f"{marker} {line.bullet}".rstrip()))
        else:
            self.text_lines.append((line.no, line.text))
        self._went(line, TEXT)
        found = _explicit_project(line.content, self.period_mode, self.entry.title)
        if found is not None:
            found[0].line = line.no
            self.explicit_projects.append(found)
        else:
            self.prose.append((line.no, line.content))

    # -- cut off: only on evidence -----------------------------------------
    def _mark_cut(self, body: list[Line], closing_at: int) -> None:
        if closing_at < len(self.lines):
            self.entry.warn(
                N_("page is cut off in its closing block; imported as incomplete"),
                self.lines[-1].no,
            )
            return
        last = next((ln for ln in reversed(body) if not ln.blank), None)
        evidence = self._cut_evidence(last) if last is not None else None
        if evidence is None:
            self.entry.complete = True  # no closing block, but nothing shows a cut
            return
        assert last is not None
        self.entry.warn(
            N_("page is cut off before its end ({evidence}); imported as incomplete").format(
                evidence=evidence
            ),
            last.no,
        )
        for items in [*self.entry.lists.values(), self.entry.main_goal]:
            if items and items[-1].line == last.no and heading_kind(last.text) is None:
                items[-1].truncated = True

    def _cut_evidence(self, last: Line) -> str | None:
        """What shows that the page stops before its end, or None."""
        if last.bullet is None and heading_kind(last.text):
            return N_("heading '{heading}' with nothing after it").format(heading=last.text)
        text = last.content
        if not text:
            return N_("an empty list item")
        if text.endswith((",", ";", ":", "-", "–", "/", "(", "&", "+")):
            return N_("it stops at '{mark}'").format(mark=text[-1])
        if text.count("(") > text.count(")") or text.count("«") > text.count("»"):
            return N_("a bracket or quote is left open")
        words = _words(text)
        if not words:
            return None
        if words[-1] in _DANGLING:
            return N_("it stops after '{word}'").format(word=text.split()[-1])
        if text.endswith((".", "!", "?", ")", "»", '"', "”")):
            return None
        known = _known_words() | _words_before_last(self.lines)
        kind = next((k for k in (*LISTS, "hovedmal") if self._last_item_is(k, last)), None)
        if kind in LISTS and (term := _cut_term(kind, text, words, known)) is not None:
            return N_("'{text}' is the beginning of '{term}'").format(text=text, term=term)
        last_word = words[-1]
        if len(last_word) >= 2 and last_word not in known and _starts_known(last_word, known):
            return N_("'{word}' stops mid-word").format(word=text.split()[-1])
        return None

    def _last_item_is(self, kind: str, line: Line) -> bool:
        items = self.entry.main_goal if kind == "hovedmal" else self.entry.lists[kind]
        return bool(items) and items[-1].line == line.no

    # -- sections written as sentences -----------------------------------
    def _inline_sections(self) -> None:
        headed = {h.kind for h in self.entry.headings}
        for no, text in list(self.text_lines):
            for sentence in _SENTENCE_END.split(text):
                self._inline_sentence(sentence.strip().rstrip("."), no, headed)

    def _inline_sentence(self, sentence: str, no: int, headed: set[str]) -> None:
        if len(sentence) > _MAX_INLINE_SENTENCE:
            return
        for kind, pattern in _INLINE:
            match = pattern.match(sentence)
            if match is None or kind in headed:
                continue
            parts = [" ".join(p.split()) for p in match.group(1).split(",") if p.strip()]
            # A list of answers, not a clause: "Målgruppen er primært ungdom,
            # eller unge voksne i aldersgruppen 25 – 35 år, ..." stays text.
            if not parts or any(
                len(p.split()) > _MAX_INLINE_PART_WORDS or any(c.isdigit() for c in p)
                for p in parts
            ):
                return
            self.entry.lists[kind].extend(Item(part, no) for part in parts)
            self.entry.headings.append(Heading(sentence, f"{kind} (setning)", no))
            return

    # -- projects --------------------------------------------------------
    def _projects(self) -> None:
        found = self.explicit_projects or self._prose_projects()
        seen: set[tuple[str, int | None, int | None]] = set()
        for project, problems in found:
            identity = (project.name, project.start, project.end)
            if identity in seen:
                continue
            seen.add(identity)
            self.entry.projects.append(project)
            for problem in problems:
                self.entry.warn(problem, project.line)

    def _prose_projects(self) -> list[tuple[Project, list[str]]]:
        """Projects the free text states: a name with a period or start year
        in a recognisable form (see `_Sentence`), never a clause as a name."""
        named: list[tuple[Project, list[str]]] = []
        unnamed: list[tuple[int, Period]] = []
        periods = 0
        for no, text in self.prose:
            if not _DIGIT.search(text):
                continue  # a period and a start year both need a year's digits
            for raw in _SENTENCE_END.split(text):
                sentence = _Sentence(raw.strip())
                for period in find_periods(sentence.text):
                    periods += 1
                    name = sentence.name_for(period)
                    if name:
                        named.append(_project(name, period, no))
                    else:
                        unnamed.append((no, period))
                for start in sentence.starts():
                    name = sentence.name_for_start(start)
                    if name:
                        named.append(_project(name, start, no))
        if periods == 1 and len(unnamed) == 1:
            # A page about one initiative with one period: the initiative's.
            no, period = unnamed[0]
            return [*named, _project(self.entry.title, period, no)]
        reported: set[int] = set()
        for no, period in unnamed:
            if no not in reported:
                reported.add(no)
                self.entry.warn(
                    N_("period '{period}' names no project; left in the text").format(
                        period=period.text
                    ),
                    no,
                )
        return named


# -- cut-off evidence -------------------------------------------------------
# Words a sentence or list cannot end with.
_DANGLING = {
    "og", "eller", "samt", "for", "a", "til", "med", "i", "av", "pa", "som", "at", "om",
    "fra", "ved", "mot", "der", "men", "en", "ei", "et", "ein", "eit", "den", "det",
    "dei", "de", "sin", "sitt", "sine", "the", "and", "of",
}  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


@cache
def _known_words() -> frozenset[str]:
    """Every word of every written form in the vocabulary."""
    from tilflytting.reference.vocabulary import vocabulary

    words: set[str] = set()
    for terms in vocabulary().terms.values():
        for term in terms.values():
            for form in term.forms:
                words.update(_words(form))
    return frozenset(words)


def _words_before_last(lines: list[Line]) -> set[str]:
    """The words of a page except its last word (which is under suspicion)."""
    texts = [ln.raw for ln in lines if not ln.blank]
    words = _words("\n".join(texts))
    return set(words[:-1])


def _starts_known(prefix: str, known: set[str] | frozenset[str]) -> bool:
    return any(len(word) > len(prefix) and word.startswith(prefix) for word in known)


def _cut_term(
    kind: str, text: str, words: list[str], known: set[str] | frozenset[str]
) -> str | None:
    """The answer `text` is the beginning of (cut off mid-way), if it is one
    answer's beginning and not an answer itself; a one-word item counts only
    if that word is no word the page or vocabulary knows (`Kvinne`, `Hyttef`)."""
    from tilflytting.reference.vocabulary import match_key, vocabulary

    vocab = vocabulary()
    if vocab.match_form(kind, text) is not None:
        return None
    if len(words) == 1 and words[0] in known:
        return None
    prefix = match_key(text)
    if len(prefix) < 4:
        return None
    slugs = {slug for form, slug in vocab.exact[kind].items() if form.startswith(prefix)}
    if len(slugs) != 1:
        return None
    return vocab.label(kind, slugs.pop())


def _list_kind(texts: list[str]) -> str | None:
    """The list most of these items are answers of (by the vocabulary), or None."""
    from tilflytting.reference.vocabulary import vocabulary

    if not texts:
        return None
    vocab = vocabulary()
    counts = {kind: sum(1 for t in texts if vocab.fits(kind, t)) for kind in LISTS}
    best = max(counts.values())
    winners = [kind for kind, count in counts.items() if count == best]
    return winners[0] if len(winners) == 1 and best * 2 > len(texts) else None


# -- projects ---------------------------------------------------------------
def _project(name: str, period: Period, line: int) -> tuple[Project, list[str]]:
    project = Project(name, period.start, period.end, period.ongoing, period.text, line)
    return project, period.problems


def _explicit_project(
    content: str, period_mode: bool, title: str
) -> tuple[Project, list[str]] | None:
    """`Name: period`, or under a heading of project periods also `Name
    period` and `Name (period)`. A period with no year (`pågående`) only
    there: `Status: pågående` in the text is no project."""
    name, sep, rest = content.rpartition(":")
    if sep and name.strip() and len(rest) < 80 and (period := parse_period(rest)):
        label = name.strip()
        if key(label) in PERIOD_HEADINGS:
            label = title
        has_year = period.start is not None or period.end is not None or bool(period.problems)
        if len(label.split()) <= MAX_NAME_WORDS * 2 and (has_year or period_mode):
            return _project(label, period, 0)
    if period_mode and len(content) < 300:
        return _name_then_period(content)
    return None


# Verbs in the past that make a line before a period a sentence, not a name.
_PAST = {"varte", "pågikk", "pågjekk", "gikk", "gjekk", "drev", "dreiv", "startet", "starta"}


def _name_then_period(content: str) -> tuple[Project, list[str]] | None:
    """`Bygdeløftet 2008–d.d.`, `Heimattprosjektet fra 2010`, `Jobbsatsinga
    (2011 – pågående)`: a name, then a period that ends the line."""
    cuts = [p.span[0] for p in find_periods(content)]
    cuts += [s.span[0] for s in find_starts(content)]
    if (bracket := content.rfind("(")) > 0:
        cuts.append(bracket)
    if (ongoing := ONGOING_ONLY.search(content)) is not None:
        cuts.append(ongoing.start())
    for cut in sorted(set(cuts)):
        label = content[:cut].strip(" :–—-,")
        words = label.lower().split()
        if not label or len(words) > MAX_NAME_WORDS or any(w in _FINITE | _PAST for w in words):
            continue
        period = parse_period(content[cut:])
        if period is not None:
            return _project(label, period, 0)
    return None


_STOP = {"er", "var", "har", "hadde", "ble", "blir", "skal", "som", "der", "med", "i perioden"}
_CONNECTORS = {"i", "og", "på", "pa", "for", "til", "av"}
# Words that are never a project's name on their own.
_GENERIC = {
    "det", "dette", "den", "denne", "de", "dei", "vi", "man", "ein", "en", "han", "hun", "ho",
    "kommunen", "prosjektet", "arbeidet", "tiltaket", "satsinga", "satsingen", "gruppa",
    "gruppen", "laget", "regionen", "fylket", "ordninga", "ordningen", "alle", "mange", "har",
    "er", "var", "ble", "vart",
}  # fmt: skip
# Words that end the clause a name is taken from.
_CLAUSE_STOP = {
    "der", "som", "hvor", "kor", "fordi", "slik", "og", "hvert", "kvart", "hver", "kvar",
    "årlig", "årleg", "hele", "heile", "blant", "gjennom", "sammen", "saman",
}  # fmt: skip
_FINITE = {"har", "hadde", "er", "var", "ble", "blei", "blir", "vart", "vert", "skal", "kan"}
_AUXILIARIES = {"blitt", "vorte", "vore", "vært", "hatt", "fått", "vorten", "gjort"}
# Participles the endings in `_verbish` miss: nynorsk strong and -a verbs
# (`delteke`, `halde`, `starta`) and bokmål/nynorsk ones in -kt, -pt, -vd.
_PARTICIPLES = {
    "teke", "delteke", "motteke", "overteke", "halde", "gjeve", "skrive", "drive", "kome",
    "komme", "late", "tilbode", "starta", "laga", "jobba", "byrja", "satsa", "skipa", "prøvd",
    "brukt", "kjøpt", "søkt", "køyrt", "haldt",
}  # fmt: skip
# A verb that says the named thing runs or was held: `Fløtt heim har pågått
# siden 2010`, `... har vorte arrangert sidan 2005`. `Name ... siden YEAR`
# names a project only with one of them: `Ola har bodd her siden 1991` is
# about a person. Finite forms (`pågår`) stand where `har` stands.
_RUNS_FINITE = {
    "pågår", "pågikk", "pågjekk", "eksisterer", "eksisterte", "finst", "fanst", "arrangeres",
    "arrangerast", "holdes", "haldast", "gjennomføres", "gjennomførast", "drives", "drivast",
    "kjøres", "køyrast", "avholdes", "avviklas", "avvikles",
}  # fmt: skip
_RUNS = _RUNS_FINITE | {
    "pågått", "vart", "eksistert", "funnest", "drevet", "drive", "drifta", "driftet", "holdt",
    "halde", "haldt", "avholdt", "avhalde", "arrangert", "gjennomført", "kjørt", "køyrt",
    "avviklet", "avvikla",
}  # fmt: skip
_RUNS_PHRASES = {("i", "drift"), ("i", "gang")}
_PARTICLES = {"ut", "opp", "inn", "fram", "frem", "på", "i", "med", "til", "av", "om", "også"}
_PROJECT_WORD = re.compile(
    r"\b\w*prosjekt(?:et)?\s+((?:[A-ZÆØÅ0-9][\w+]*\s?){1,4})(?:(\w+)\s+(\w+))?"
)
_QUOTED = re.compile(r"[«\"“”]([^«»\"“”\n]{2,80})[»\"”“]")
_TAKES_PART = re.compile(
    r"\b(?:deltar|deltek|deltok|deltatt|delteke|er\s+med)\s+(?:også\s+|og\s+|dessutan\s+|"
    r"dessuten\s+)?i\s+(?:det\s+|den\s+)?(?:[a-zæøå-]{2,30}\s+)?(?:prosjektet\s+|satsinga\s+|"
    r"satsingen\s+)?([A-ZÆØÅ][\w+-]*(?:\s+[A-ZÆØÅ0-9][\w+-]*){0,4})"
)
_FROM_START = re.compile(r"^(?:fra|frå)\s+\d{4}\b", re.I)


class _Sentence:
    """One sentence of prose and the names it gives, each worked out once
    (working them out per period made a page of periods take quadratic time)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._names: dict[str, str] = {}

    def _name(self, how: str) -> str:
        if how not in self._names:
            finder = {
                "quoted": _quoted_name,
                "project": _name_after_project_word,
                "takes-part": _takes_part_name,
                "subject": _subject_name,
            }[how]
            self._names[how] = finder(self.text)
        return self._names[how]

    def name_for(self, period: Period) -> str:
        """`Name (2009 – 2012)`, a quoted name, `prosjektet Name`, `deltar i Name`."""
        return (
            _name_before(self.text, period.span[0])
            or self._name("quoted")
            or self._name("project")
            or self._name("takes-part")
        )

    def starts(self) -> list[Period]:
        """`Fra 2009 ...` opening the sentence, `... siden 2010` anywhere."""
        starts = find_starts(self.text)
        if not starts:
            return []
        sentence_start = _FROM_START.match(self.text)
        return [
            s
            for s in starts
            if (sentence_start and s.span[0] == 0) or fold(s.text).startswith("sid")
        ][:1]

    def name_for_start(self, start: Period) -> str:
        named = self._name("quoted") or self._name("project") or self._name("takes-part")
        if named:
            return named
        if start.span[0] == 0:
            return _object_name(self.text[start.span[1] :])
        return self._name("subject")


def _name_before(sentence: str, at: int) -> str:
    """A capitalised name right before `(period)`: `Tilflyttingsbygda Finnøy (2011-)`."""
    head = sentence[max(0, at - _NAME_WINDOW) : at].rstrip()
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
    while start > 0:
        if words[start - 1][0].isupper():
            start -= 1  # ... together with the capitals just before it,
        elif start > 1 and words[start - 1] in _CONNECTORS and words[start - 2][0].isupper():
            start -= 2  # ... also across `i`, `og`: `Bolyst i Østerdalen`
        else:
            break
    return " ".join(words[start:]).strip(" ,")


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


def _quoted_name(sentence: str) -> str:
    """`«Fløtt heim» har pågått siden 2010` gives `Fløtt heim`."""
    match = _QUOTED.search(sentence)
    if match is None:
        return ""
    name = match.group(1).strip(" ,.")
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or not name[0].isalnum():
        return ""
    return name


def _takes_part_name(sentence: str) -> str:
    """`Rennebu deltar også i Blilyst ...` gives `Blilyst`."""
    match = _TAKES_PART.search(sentence)
    return match.group(1).strip() if match else ""


def _subject_name(sentence: str) -> str:
    """`Fløtt heim har pågått siden 2010`: the name before the verb, if it
    is a name (not `Dette`, `Kommunen` or a municipality) and the verb
    says that it runs or was held (`_RUNS`), not `Ola har bodd her`."""
    words = sentence.split()
    verb = next(
        (
            i
            for i, w in enumerate(words[: MAX_NAME_WORDS + 1])
            if w.lower() in _FINITE or w.lower() in _RUNS_FINITE
        ),
        0,
    )
    if not 1 <= verb <= MAX_NAME_WORDS or not words[0][:1].isupper():
        return ""
    if not _says_it_runs(words[verb:]):
        return ""
    name = " ".join(words[:verb]).strip(" ,")
    if key(words[0]) in _GENERIC or _is_place(name):
        return ""
    return name


def _says_it_runs(words: list[str]) -> bool:
    """Whether the verb phrase (from the finite verb up to `siden`) says
    that something runs or was held."""
    phrase: list[str] = []
    for word in words:
        low = word.lower().strip(",.;:")
        if low in ("siden", "sidan"):
            break
        phrase.append(low)
    if phrase and phrase[0] in _RUNS_FINITE:
        return True
    rest = phrase[1:]
    return any(w in _RUNS for w in rest) or any(
        pair in _RUNS_PHRASES for pair in itertools.pairwise(rest)
    )


def _object_name(rest: str) -> str:
    """`Fra 2009 har Orkdal deltatt på karrieredager på NTNU for å ...` gives
    `Karrieredager på NTNU`: after the verb, its subject, and any participles
    and particles, the words up to the end of the clause."""
    words = rest.split()[:24]
    index = 1  # the finite verb (Norwegian puts it second: `Fra 2009 har ...`)
    if index < len(words):
        index += 1  # its subject
        if index < len(words) and key(words[index]) in ("kommune", "kommunen"):
            index += 1
    skipped = 0
    while index < len(words) and skipped < 4 and _verbish(words[index]):
        index += 1
        skipped += 1
    name: list[str] = []
    rest_words = words[index:]
    for at, word in enumerate(rest_words):
        bare = word.strip(",.;:")
        low = bare.lower()
        follows = rest_words[at + 1].lower() if at + 1 < len(rest_words) else ""
        if name and (low in _CLAUSE_STOP or (low == "for" and follows in ("å", "a"))):
            break
        if bare:  # a lone comma or full stop is no word of a name
            name.append(bare)
        if word != bare or len(name) > MAX_NAME_WORDS:
            break
    if not name or len(name) > MAX_NAME_WORDS - 2 or name[0].lower() in _PARTICLES:
        return ""
    text = " ".join(name)
    return text[0].upper() + text[1:]


def _verbish(word: str) -> bool:
    """An auxiliary, participle or particle after the verb (`blitt sendt ut`).
    Participles by their endings: `arrangert`, `startet`, `deltatt`, `sendt`;
    nynorsk ones too (`delteke`, `halde`, `vore`, `hatt`: `_PARTICIPLES`)."""
    low = word.lower()
    if low in _AUXILIARIES or low in _PARTICLES or low in _PARTICIPLES:
        return True
    endings = ("ert", "et", "tt", "dt", "dd")
    return low.isalpha() and low.islower() and low.endswith(endings) and len(low) > 3


def _is_place(name: str) -> bool:
    from tilflytting.reference.places import reference

    ref = reference()
    return bool(ref.by_name.get(key(name))) or ref.county(name) is not None


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
    blocks: list[list[str]] = []
    previous: tuple[int, str] | None = None
    for no, text in sorted(lines, key=lambda pair: pair[0]):
        together = previous is not None and no in (previous[0], previous[0] + 1)
        if together and _is_list_line(text) and _is_list_line(previous[1]):  # type: ignore[index]
            blocks[-1].append(text)
        else:
            blocks.append([text])
        previous = (no, text)
    return "\n\n".join("\n".join(block) for block in blocks)


_LIST_LINE = re.compile(r"^(?:•|\d{1,2}\.)\s")


def _is_list_line(text: str) -> bool:
    return bool(_LIST_LINE.match(text))
