"""The output contract (issue 15): docs/json.md and report/contract.py list
the same keys, and every command's JSON has exactly the declared keys, with
values of the declared types."""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from tests.conftest import ROOT, Cli, catalog_copy
from tilflytting.report import contract

DOC = (ROOT / "docs" / "json.md").read_text("utf-8")
MARKER = re.compile(r"<!-- contract: (\w+)(?: extends (\w+))? -->\n((?:\|.*\n)+)")


def declared() -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(contract).items()
        if is_typeddict(value) and name.endswith("JSON") and not name.startswith("_")
    }


def keys(kind: Any) -> set[str]:
    return set(kind.__required_keys__) | set(kind.__optional_keys__)


def documented() -> dict[str, tuple[str | None, set[str]]]:
    found = {}
    for name, parent, table in MARKER.findall(DOC):
        rows = table.splitlines()[2:]
        names = {key for row in rows for key in re.findall(r"`(\w+)`", row.split("|")[1])}
        found[name] = (parent or None, names)
    return found


def test_every_declared_object_is_documented_with_its_keys() -> None:
    docs = documented()
    assert set(docs) == set(declared())
    for name, kind in declared().items():
        parent, names = docs[name]
        inherited = keys(declared()[parent]) if parent else set()
        assert names | inherited == keys(kind), name


def check(value: Any, kind: Any, where: str) -> None:
    """`value` has the shape of `kind` (a TypedDict, list, dict, union or scalar)."""
    origin = get_origin(kind)
    if is_typeddict(kind):
        assert isinstance(value, dict), where
        hints = get_type_hints(kind)
        assert set(kind.__required_keys__) <= set(value) <= set(hints), (
            where,
            sorted(set(value) ^ set(hints)),
        )
        for key, item in value.items():
            check(item, hints[key], f"{where}.{key}")
    elif origin in (Union, types.UnionType):
        errors = []
        for option in get_args(kind):
            try:
                check(value, option, where)
                return
            except AssertionError as exc:
                errors.append(exc)
        raise AssertionError(where, value, errors)
    elif origin is list:
        assert isinstance(value, list), where
        for index, item in enumerate(value):
            check(item, get_args(kind)[0], f"{where}[{index}]")
    elif origin is dict:
        assert isinstance(value, dict), where
        for key, item in value.items():
            check(item, get_args(kind)[1], f"{where}[{key}]")
    elif kind is type(None):
        assert value is None, where
    elif kind is float:
        assert isinstance(value, int | float) and not isinstance(value, bool), where
    elif kind is int:
        assert isinstance(value, int) and not isinstance(value, bool), where
    else:
        assert isinstance(value, kind), (where, value, kind)


@pytest.fixture(scope="module")
def catalog(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = catalog_copy(bundled_db, tmp_path_factory, "contract")
    yield cli


COMMANDS: list[tuple[list[str], Any]] = [
    (["show", "holtalen"], contract.EntryJSON),
    (["show", "hamaroy"], contract.EntryJSON),
    (["list"], list[contract.SummaryJSON]),
    (["search", "vertskap*", "--målgruppe", "barnefamilier"], list[contract.SearchHitJSON]),
    (["search", "--salgsargument", "fred og ro"], list[contract.SearchHitJSON]),
    (["compare", "holtalen", "rennebu-3000", "osen"], contract.CompareJSON),
    (["summarise"], contract.SummariseJSON),
    (["summarise", "--by", "region", "--folketall"], contract.SummariseJSON),
    (["similar", "holtalen"], list[contract.SimilarRowJSON]),
    (["timeline"], contract.TimelineJSON),
    (["folketall", "holtalen"], contract.FolketallJSON),
    (["folketall", "holtalen", "--sammenlign"], contract.FolketallJSON),  # with the members
    (["folketall", "tilflyttingsprosjektet-i-nordland"], contract.FolketallJSON),  # all of Norway
    (["folketall", "verran", "--til-i-dag"], contract.FolketallJSON),  # a merger in 2020
    (["folketall", "smakommuneprosjektet", "--referanse", "distrikt"], contract.FolketallJSON),
    (["vocab"], list[contract.VocabRowJSON]),
    (["vocab", "--unmatched"], list[contract.UnmatchedRowJSON]),
    (["export"], contract.ExportJSON),
    (["summarise", "--folketall", "--fra", "2008", "--til", "2010"], contract.SummariseJSON),
]


@pytest.mark.parametrize(("args", "kind"), COMMANDS, ids=[" ".join(a) for a, _ in COMMANDS])
def test_every_command_prints_the_declared_json(catalog: Cli, args: list[str], kind: Any) -> None:
    result = catalog(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    check(data, kind, args[0])
    if args == ["summarise", "--by", "region", "--folketall"]:
        assert {"kryss", "folketall"} <= set(data)
    if args[0] == "folketall" and "--sammenlign" in args:
        assert data["sammenligning"]["medlemmer"]


def test_check_prints_the_declared_json(tmp_path: Path) -> None:
    """`check` reads files without a database: a page with a warning, and a
    file that is not there (status `feil`, no entry)."""
    from typer.testing import CliRunner

    from tilflytting.cli import app

    page = ROOT / "tests" / "fixtures" / "variants" / "unknown-heading.txt"
    result = CliRunner().invoke(
        app, ["check", str(page), str(tmp_path / "missing.txt"), "--format", "json"]
    )
    assert result.exit_code == 1  # the missing file is an error
    data = json.loads(result.stdout)
    check(data, list[contract.CheckJSON], "check")
    rows = {Path(row["fil"]).name: row for row in data}
    assert {name: row["status"] for name, row in rows.items()} == {
        "unknown-heading.txt": "ok",
        "missing.txt": "feil",
    }
    assert rows["unknown-heading.txt"]["oppforing"]["tittel"]
    assert rows["unknown-heading.txt"]["problemer"]
    assert rows["missing.txt"]["oppforing"] is None


def test_json_lines_of_an_export(catalog: Cli) -> None:
    for line in catalog("export", "--format", "jsonl").stdout.splitlines():
        check(json.loads(line), contract.ExportLineJSON, "export jsonl")


def test_no_string_key_reads_outside_the_contract() -> None:
    """Writers read typed fields: no `data["tittel"]` of an entry's JSON
    anywhere in the report, query or command-line layers."""
    json_keys = {key for kind in declared().values() for key in keys(kind)}
    pattern = re.compile(r"""\w+\[["'](\w+)["']\](?!\s*=[^=])""")
    offenders = []
    for folder in ("report", "query", "cli"):
        for path in (ROOT / "tilflytting" / folder).glob("*.py"):
            if path.name == "contract.py":
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                for found in pattern.finditer(line):
                    if found.group(1) in json_keys and "entry.lists[" not in found.group(0):
                        offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, offenders
