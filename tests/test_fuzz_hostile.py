"""Fuzzing that would have found issue 17: Hypothesis strategies for slugs,
YAML documents (lone surrogates, deep nesting, huge and base-60 numbers,
control characters) and page text of repeated structures, run through what
the tool does with them: name files, import (into a throwaway database),
read arguments.

Each property is one of the issue's classes:
- a slug, whatever it holds, names a file inside the export folder, and
  every entry gets a file of its own;
- a YAML document or a page is an entry or that file's error line, never an
  exception, and what is stored holds no control character, no year outside
  1900-2100 and no slug that cannot name a file;
- a text argument, whatever it holds, is an answer or a usage error.

CI runs the `ci` profile; `make fuzz` runs the `fuzz` profile (see
EXAMPLES for the properties that run fewer).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CATALOG, Cli
from tests.test_terminal import FORBIDDEN
from tilflytting.core.model import Entry
from tilflytting.core.names import name_problem, safe_name
from tilflytting.ingest.importer import check_file, import_paths
from tilflytting.report.files import safe_slugs, write_folder
from tilflytting.store.database import Store

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
# The profile's examples (300 in CI, 20,000 in `make fuzz`) for cheap
# properties; half for those that import a file (about 10 ms each), a fifth
# for the one that runs a whole command (about 15 ms): `make fuzz` stays
# about ten minutes.
EXAMPLES = settings().max_examples

# -- slugs ------------------------------------------------------------------------------------
SLUG_PARTS = ["..", ".", "/", "\\", "a", "A", "con", "NUL", "-", " ", "\x1b[2J", "æ", "\u202e"]
slugs = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(SLUG_PARTS), max_size=12).map("".join),
    st.text(alphabet="a-", min_size=95, max_size=320),
)


@given(slugs)
def test_fuzz_any_slug_makes_a_safe_name(slug: str) -> None:
    name = safe_name(slug)
    assert name_problem(name) is None, (slug, name)
    if name_problem(slug) is None:
        assert name == slug  # a safe slug is its own name


@settings(suppress_health_check=SLOW)
@given(st.lists(slugs, min_size=1, max_size=8))
def test_fuzz_exported_names_stay_in_the_folder(names: list[str]) -> None:
    entries = [replace(Entry(title=f"T{i}"), slug=s) for i, s in enumerate(names)]
    named, _notes = safe_slugs(entries)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "out"
        files = {f"{e.slug}.yaml": e.title for e in named}
        written = write_folder(folder, files, kind="yaml")
        real = folder.resolve()
        assert all(real in p.resolve().parents for p in written)
        on_disk = sorted(p.name for p in folder.iterdir() if p.name != ".tilflytting-export")
        assert len(on_disk) == len(names)  # one file each, none lost, none hidden
        assert len({n.casefold() for n in on_disk}) == len(names)
        assert sorted(p.name for p in Path(scratch).iterdir()) == ["out"]


# -- YAML documents ---------------------------------------------------------------------------
KEYS = ["tittel", "slug", "ingress", "tekst", "kommuner", "fylke", "aktiviteter", "malgrupper"]
text_escapes = st.sampled_from(
    ["\\ud800", "\\udfff", "\\e[2J", "\\e]0;x\\a", "\\x9b", "\\u202e", "\\u2028", "\\U000E0041"]
)
plain_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(
    lambda t: t.replace("\\", "/").replace('"', "'")
)
quoted = st.lists(st.one_of(plain_text, text_escapes), max_size=5).map(
    lambda parts: '"' + "".join(parts) + '"'
)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=1800, max_value=2200).map(str),
    st.sampled_from(["20:08", "1:0:0", "0x7d8", "0o3730", "-2008", "2_008", "1e3", "9" * 5000]),
)
scalars = st.one_of(quoted, numbers, plain_text, st.sampled_from(["~", "yes", "NO", "0301", ""]))


# Depths around Python's recursion limit, and far past it (20,000 `[` sank
# an import); each deep document costs a unwinding of ~1,000 frames.
DEPTHS = st.integers(min_value=1, max_value=40).map(
    lambda n: {38: 900, 39: 1_100, 40: 20_000}.get(n, n)
)


def nested(depth: int) -> str:
    return "[" * depth + "x" + "]" * depth


lists = st.lists(quoted, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
# Mostly what the format takes (so that many documents import and reach the
# database), else anything.
values = st.one_of(
    quoted,
    lists,
    st.one_of(scalars, DEPTHS.map(nested), DEPTHS.map(lambda n: "[" * n)),
)
years = st.one_of(st.integers(min_value=1990, max_value=2020).map(str), numbers)
projects = st.lists(
    st.tuples(quoted, years, years).map(
        lambda p: f"- navn: {p[0] if len(p[0]) > 2 else 'P'}\n  fra: {p[1]}\n  til: {p[2]}\n"
    ),
    max_size=3,
).map(lambda ps: "prosjekter:\n" + "".join(ps) if ps else "")


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    fields = draw(
        st.lists(st.tuples(st.sampled_from(KEYS), values), max_size=6, unique_by=lambda f: f[0])
    )
    lines = [f"tittel: {draw(st.one_of(quoted, plain_text.filter(bool)))}"]
    lines += [f"{key}: {value}" for key, value in fields if key != "tittel"]
    return "\n".join(lines) + "\n" + draw(projects)


_STORE: list[Store] = []


def scratch_store() -> Store:
    """One throwaway database for the whole run (dry runs leave it empty)."""
    if not _STORE:
        folder = Path(tempfile.mkdtemp(prefix="tilflytting-fuzz-"))
        _STORE.append(Store.open(folder / "c.db", create=True))
    return _STORE[0]


def imports_alone(path: Path) -> None:
    """The file is an entry or one error line; what would be stored is sane."""
    result, entry = check_file(path)
    assert result.status in ("checked", "failed")
    if result.status == "failed":
        assert [p.level for p in result.problems].count("error") >= 1
        assert all(not FORBIDDEN.search(p.message) or "\\" in p.message for p in result.problems)
        return
    assert entry is not None
    assert name_problem(entry.slug) is None, entry.slug
    texts = [entry.title, entry.lead, entry.text, *(p.name for p in entry.projects)]
    texts += [i.text for items in entry.lists.values() for i in items]
    assert not any(FORBIDDEN.search(t) or re.search("[\ud800-\udfff]", t) for t in texts)
    for project in entry.projects:
        for year in (project.start, project.end):
            assert year is None or 1900 <= year <= 2100
    report = import_paths(scratch_store(), [path], dry_run=True)  # the database takes it
    assert [r.status for r in report.results] == ["added"], report.results


@settings(max_examples=max(300, EXAMPLES // 2), suppress_health_check=SLOW)
@given(yaml_documents())
def test_fuzz_yaml_documents_are_an_entry_or_one_error(document: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "entry.yaml"
        path.write_text(document, "utf-8", errors="surrogatepass")
        imports_alone(path)


# -- pages of repeated structures -------------------------------------------------------------
UNITS = [
    "2001 – 2002, ",
    "Navn Navn (2011-) ",
    "prosjektet Navn ",
    " • Annonsering i media\n",
    "Aktiviteter\n",
    "Målgruppe er ungdom. ",
    "(",
    "«",
    "\x1b]0;x\x07",
    "\u202e",
    "\u2028",
    "\U000e0041",
    "2008–2001 ",
    "99999999999999999999 ",
    "Prosjekt i perioden ",
]
pages = st.tuples(
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=4).map("".join),
    st.integers(min_value=1, max_value=400),
    st.sampled_from(["", "Aktiviteter\n\n", "Prosjekt i perioden "]),
).map(lambda t: f"Tittel i Holtålen\n\nIngress.\n\n{t[2]}{t[0] * t[1]}\n")


@settings(max_examples=max(300, EXAMPLES // 2), suppress_health_check=SLOW)
@given(pages)
def test_fuzz_pages_of_repeated_structures_import_alone(page: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "page.txt"
        path.write_text(page, "utf-8")
        imports_alone(path)


# -- arguments --------------------------------------------------------------------------------
_CLI: list[Cli] = []


def catalog() -> Cli:
    if not _CLI:
        cli = Cli(Path(tempfile.mkdtemp(prefix="tilflytting-fuzz-")) / "c.db")
        assert cli("import", str(CATALOG)).exit_code == 0
        _CLI.append(cli)
    return _CLI[0]


arguments = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(["\udcff", "\x1b[2J", "holtalen", "*", '"', "\u202e", "NOT"])).map(
        "".join
    ),
)


@settings(max_examples=max(30, EXAMPLES // 5), suppress_health_check=SLOW)
@given(st.sampled_from(["show", "search", "folketall", "similar", "search --raw"]), arguments)
def test_fuzz_text_arguments_are_an_answer_or_a_usage_error(command: str, value: str) -> None:
    result = catalog()(*command.split(), "--", value)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    assert not FORBIDDEN.search(result.stderr), result.stderr
    if re.search("[\ud800-\udfff]", value):
        assert result.exit_code == 2
