"""Fuzzing the parsers with Hypothesis: pages mutated from the catalog's own
building blocks, and YAML documents. Every input gives an entry or a clean
error, and an entry survives parse → YAML → parse unchanged.

CI runs the `ci` profile (hundreds of examples); `make fuzz` runs `fuzz`.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CORPUS, PAGES
from tilflytting.ingest.normalise import normalise
from tilflytting.ingest.page import PageError, parse_page
from tilflytting.ingest.yaml_entry import EntryFormatError, dump_yaml, entry_to_data, parse_yaml


def _blocks() -> list[str]:
    """Paragraphs of real pages where the corpus is here, else of our fixtures."""
    source = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else sorted(PAGES.glob("*.txt"))
    return [p for path in source for p in path.read_text("utf-8").split("\n\n") if p.strip()]


BLOCKS = _blocks()
NOISE = [
    "",
    " ",
    "\t",
    "\r\n",
    "•",
    " • ",
    ":",
    "–",
    "-",
    "«",
    "»",
    "(",
    ")",
    "2010-",
    "20012",
    "\x00",
    "\x1b[31m",
    "[bold]",
    "\u202e",
    "Aktiviteter",
    "Målgruppe",
    "æøå",
    "\ufeff",
]


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=14))
    text = "\n\n".join(blocks)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "cut"]))
        if kind == "insert":
            text = text[:at] + draw(st.sampled_from(NOISE)) + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            text = text[:at]
    return text


def _roundtrip(text: str) -> None:
    try:
        entry = normalise(parse_page(text))
    except PageError:
        return
    data = entry_to_data(entry)
    again = entry_to_data(normalise(parse_yaml(dump_yaml(data))))
    assert again == data


@given(mutated_pages())
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_mutated_pages_parse_or_fail_cleanly_and_roundtrip(text: str) -> None:
    _roundtrip(text)


yaml_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from(["0301", "NO", "~"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    [
        "tittel",
        "kommuner",
        "fylke",
        "prosjekter",
        "aktiviteter",
        "malgrupper",
        "komplett",
        "hovedmal",
        "navn",
        "fra",
        "ukjent",
        "region",
        "url",
    ]
)


@given(st.dictionaries(keys, yaml_values, max_size=8))
def test_random_yaml_documents_load_or_fail_cleanly(document: dict[str, object]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        entry = normalise(parse_yaml(text))
    except EntryFormatError as error:
        assert str(error)
        return
    data = entry_to_data(entry)
    assert entry_to_data(normalise(parse_yaml(dump_yaml(data)))) == data


@given(st.text(max_size=300))
def test_any_text_as_yaml_loads_or_fails_cleanly(text: str) -> None:
    with contextlib.suppress(EntryFormatError):
        parse_yaml(text)


def test_fuzz_profile_is_in_use_or_ci() -> None:
    assert settings().max_examples >= 200, "run with the ci or fuzz Hypothesis profile"


def test_corpus_blocks_are_there_when_the_corpus_is(tmp_path: Path) -> None:
    assert len(BLOCKS) > (300 if CORPUS.is_dir() else 20)
