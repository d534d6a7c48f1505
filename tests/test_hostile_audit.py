"""Second hostile pass (after issue 17): files written through links under
a forced export folder, text another program wrote into the database, the
permissions of an exported file, and searches of thousands of words."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.conftest import Cli
from tilflytting.query.search import MAX_WORDS

BIDI_AND_ZERO_WIDTH = ("\u202e", "\u200b", "\u2066", "\x1b")


@pytest.mark.parametrize(
    ("args", "link"),
    [
        (["export", "--format", "html"], "oppforing"),
        (["export", "--format", "yaml"], None),
        (["rapport", "--kommune", "holtalen"], "figurer"),
    ],
    ids=["html", "yaml", "rapport"],
)
def test_force_never_writes_through_a_link_in_the_folder(
    catalog_cli: Cli, tmp_path: Path, args: list[str], link: str | None
) -> None:
    victim, out = tmp_path / "victim", tmp_path / "out"
    victim.mkdir()
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")  # a folder of the user's: --force needed
    if link is None:  # the YAML files go straight into the folder: a subfolder link instead
        (out / "sub").symlink_to(victim)
    else:
        (out / link).symlink_to(victim)
    result = catalog_cli(*args, "--out", str(out), "--force")
    assert "Traceback" not in result.stderr
    assert list(victim.iterdir()) == []  # nothing written through the link
    if link is not None:
        assert result.exit_code == 1, result.stderr
        assert link in result.stderr and "left as it was" in result.stderr
        assert sorted(p.name for p in out.iterdir()) == sorted(["notes.txt", link])


def test_force_refuses_a_folder_where_a_file_goes(catalog_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "index.html").mkdir(parents=True)
    result = catalog_cli("export", "--format", "html", "--out", str(out), "--force")
    assert result.exit_code == 1 and "index.html" in result.stderr
    assert [p.name for p in out.iterdir()] == ["index.html"]  # nothing half-written


def test_yaml_output_carries_no_invisible_characters(catalog_cli: Cli) -> None:
    with sqlite3.connect(catalog_cli.db) as conn:
        conn.execute(
            "UPDATE items SET tekst = tekst || ? WHERE entry_id = "
            "(SELECT id FROM entries WHERE slug = 'tilflyttingstiltak-i-holtalen')",
            ["\u202eevil\u200b\u2066\x1b[2J"],
        )
        conn.execute(
            "UPDATE entries SET ingress = ingress || ? "
            "WHERE slug = 'tilflyttingstiltak-i-holtalen'",
            ["\u202eevil"],
        )
    for fmt in ("yaml", "markdown", "csv", "table"):
        result = catalog_cli("show", "holtalen", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert "evil" in result.stdout, fmt
        assert not any(c in result.stdout for c in BIDI_AND_ZERO_WIDTH), fmt


@pytest.mark.parametrize(
    "column, value",
    [
        ("advarsler", '["x"]'),
        ("advarsler", '{"melding": 1}'),
        ("advarsler", "not json"),
        ("fagomrader", '{"a": 1}'),
        ("lister_raw", '{"aktiviteter": [1, {"tekst": 2}]}'),
    ],
)
def test_json_columns_written_by_another_program_never_crash(
    catalog_cli: Cli, tmp_path: Path, column: str, value: str
) -> None:
    with sqlite3.connect(catalog_cli.db) as conn:
        conn.execute(f"UPDATE entries SET {column} = ?", [value])  # column from the list above
    for args in (
        ["list"],
        ["show", "holtalen", "--format", "json"],
        ["search", "bolyst"],
        ["export", "--format", "yaml", "--out", str(tmp_path / "y")],
    ):
        result = catalog_cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_exported_file_keeps_its_mode_or_gets_the_usual_one(
    catalog_cli: Cli, tmp_path: Path
) -> None:
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.csv"
        assert catalog_cli("export", "--format", "csv", "--out", str(new)).exit_code == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("x", "utf-8")
        kept.chmod(0o640)
        assert catalog_cli("export", "--format", "csv", "--out", str(kept)).exit_code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text("utf-8") != "x"
    finally:
        os.umask(old)


def test_a_search_of_too_many_words_is_a_usage_error(catalog_cli: Cli) -> None:
    many = " ".join(f"ord{n}" for n in range(MAX_WORDS + 1))
    result = catalog_cli("search", many)
    assert result.exit_code == 2 and str(MAX_WORDS) in result.stderr
    enough = " ".join(f"ord{n}" for n in range(MAX_WORDS))
    assert catalog_cli("search", enough).exit_code == 0
