"""Property tests for the page parser: pages built from the catalog's own
building blocks (both standards, heading variants, bullet styles) read back
exactly, and no text at all makes the parser fail other than with PageError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tilflytting.core.model import LISTS
from tilflytting.ingest.page import PageError, parse_page

HEADINGS = {
    "aktiviteter": ["Aktiviteter", "Aktivitetar", "AKTIVITETER"],
    "salgsargumenter": [
        "Viktigste salgsargument",
        "Viktigaste salsargument:",
        "Viktige salgsargument",
    ],
    "samarbeidspartnere": ["Samarbeidspartnere", "Samarbeidspartnarar", "Samarbeidspartnere:"],
    "malgrupper": ["Målgrupper", "Målgruppe", "Malgrupper"],
}
BULLETS = [" • ", "  • ", " •  ", " - "]
CLOSING = [
    "Tilflyttingsarbeid i norske distriktskommuner\n\n{t} er presentert med grunnleggende "
    "informasjon uten vurdering. "
    "Tiltaket inngår i «Katalog over tilflyttingsarbeid i distriktene».",
    "Tilflyttingsarbeid i norske distriktskommunar\n\n«{t}» er presantert med grunnleggjande "
    "informasjon utan vurdering.",
]
words = st.text(alphabet="abcdefghijklmnoprstuvyæøå", min_size=3, max_size=9)
item = st.lists(words, min_size=1, max_size=5).map(lambda w: " ".join(w).capitalize())
title = st.lists(words, min_size=1, max_size=4).map(lambda w: "Tiltak " + " ".join(w))


@st.composite
def pages(draw: st.DrawFn) -> tuple[str, str, dict[str, list[str]]]:
    name = draw(title)
    lists = {k: draw(st.lists(item, max_size=6, unique=True)) for k in LISTS}
    order = draw(st.permutations(list(LISTS)))
    parts = [draw(st.sampled_from(["", "Fagområde: Tilflytting\n\n"])) + name, "Kort ingress."]
    for kind in order:
        if lists[kind]:
            bullet = draw(st.sampled_from(BULLETS))
            body = "\n".join(bullet + text for text in lists[kind])
            parts.append(draw(st.sampled_from(HEADINGS[kind])) + "\n\n" + body)
    parts.append(draw(st.sampled_from(CLOSING)).format(t=name))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join("\n\n".join(parts).split("\n")), name, lists


@given(pages())
@settings(max_examples=150)
def test_generated_pages_read_back(case: tuple[str, str, dict[str, list[str]]]) -> None:
    text, name, lists = case
    entry = parse_page(text)
    assert entry.title == name
    assert entry.complete
    for kind in LISTS:
        assert [i.text for i in entry.lists[kind]] == lists[kind]


@given(pages(), st.integers(1, 400))
@settings(max_examples=150)
def test_a_page_cut_anywhere_still_parses(
    case: tuple[str, str, dict[str, list[str]]], keep: int
) -> None:
    """Cut anywhere, a page still parses; cut inside its closing block it is
    marked incomplete (the closing block is the evidence)."""
    text = case[0][:keep]
    try:
        entry = parse_page(text)
    except PageError:
        return  # cut before the title: nothing to import, said clearly
    closing_at = case[0].find("Tilflyttingsarbeid i norske")
    if closing_at >= 0 and closing_at + 4 <= len(text.rstrip()) < len(case[0].rstrip()) - 1:
        assert not entry.complete or text.rstrip().endswith(".")


@given(st.text(max_size=600))
@settings(max_examples=300)
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        entry = parse_page(text)
    except PageError:
        return
    assert entry.title.strip()


@given(st.text(max_size=200))
def test_folding_is_ascii_lowercase_and_keeps_plain_words(text: str) -> None:
    from tilflytting.core.fold import fold, key

    folded = fold(text)
    assert folded == folded.lower() or not folded.isascii()
    assert key(text).isascii() and key(text) == key(folded)
    assert fold("Tromsø Holtålen ÆRØ") == "tromso holtalen aero"
