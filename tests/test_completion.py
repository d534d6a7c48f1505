"""Tab completion, driven the way each shell's script drives it (Typer's
scripts for bash, zsh and fish): the program is run with the line typed so
far in environment variables, and prints what to offer.

Expected values come from the files the user knows: the fixture entries in
tests/fixtures/completion (written for these tests), the bundled catalog's
YAML, data/vocabulary.yaml and the reference tables in data/.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from tests.conftest import CATALOG, FIXTURES, ROOT, copy_db
from tilflytting.cli import app

ENTRIES = FIXTURES / "completion"
DATA = ROOT / "data"
PROGRAM = str(Path(sys.executable).parent / "tilflytting")


# -- driving completion as the shells do ------------------------------------------
def complete(line: str, shell: str = "bash", db: Path | None = None) -> list[str]:
    """What the program offers when `line` has been typed and TAB pressed
    (a line ending in a space completes a new, empty word), in `shell`."""
    result = _run(line, shell, db)
    assert result.exit_code == 0 and result.stderr == "", result.stderr
    return parse(result.stdout, shell)


def _run(line: str, shell: str, db: Path | None, fish_action: str = "get-args") -> Result:
    env = {"_TILFLYTTING_COMPLETE": f"complete_{shell}", "TILFLYTTING_DB": str(db or "")}
    if db is None:
        env["TILFLYTTING_DATA"] = "/nonexistent-folder-for-completion-tests"
    if shell == "bash":
        words = line.split(" ")
        env |= {"COMP_WORDS": "\n".join(words), "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": fish_action}
    return CliRunner().invoke(app, [], env=env, prog_name="tilflytting")


def parse(out: str, shell: str) -> list[str]:
    """The values in a completion answer of `shell` (zsh's is code to eval)."""
    if shell == "bash":  # one value a line, quoted with backslashes
        return [re.sub(r"\\(.)", r"\1", line) for line in out.splitlines() if line]
    if shell == "fish":  # value, tab, description
        return [line.split("\t")[0] for line in out.splitlines() if line]
    if out.strip() == "_files":  # zsh: nothing offered, complete file names
        return []
    inner = out.strip().removeprefix("_arguments '*: :((").removesuffix("))'")
    return [item.split('":"')[0].strip('"') for item in inner.split("\n")]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog of the fixture entries (the database is only read)."""
    db = tmp_path_factory.mktemp("completion") / "catalog.db"
    result = CliRunner().invoke(app, ["import", str(ENTRIES), "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


@pytest.fixture(scope="module")
def bundled(bundled_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_db(bundled_db, tmp_path_factory.mktemp("bundled") / "catalog.db")


def fold(text: str) -> str:
    """What the user may leave out: case and æøå (æ→ae, ø→o, å→a)."""
    for letter, plain in (("æ", "ae"), ("ø", "o"), ("å", "a")):
        text = text.lower().replace(letter, plain)
    return text


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# -- entries -------------------------------------------------------------------------
def test_holt_offers_the_entries_of_holtalen(catalog: Path) -> None:
    """The issue's example: the slug that begins with it first, then the
    entry whose municipality is Holtålen but whose slug does not begin so."""
    assert complete("tilflytting show holt", db=catalog) == ["holtalen-2020", "livet-i-holtalen"]


@pytest.mark.parametrize(
    "line",
    [
        "tilflytting show holt",
        "tilflytting show Holtå",  # any case, with æøå
        "tilflytting show 1644",  # the 2012 number
        "tilflytting show 5026",  # today's number
        "tilflytting similar holt",
        "tilflytting folketall holt",
        "tilflytting compare velkommen-til-tokke holt",
        "tilflytting remove holt",
        "tilflytting remove velkommen-til-tokke holt",
        "tilflytting show --format json holt",
    ],
)
def test_every_command_taking_an_entry_completes_it(catalog: Path, line: str) -> None:
    assert set(complete(line, db=catalog)) == {"holtalen-2020", "livet-i-holtalen"}


def test_an_entry_is_found_by_its_title_or_municipality(catalog: Path) -> None:
    # Tokke is the municipality of both; the second names it by its number 4034.
    assert complete("tilflytting show tokke", "fish", catalog) == [
        "velkommen-til-tokke",
        "velkommen-til-tokke-igjen",
    ]
    assert complete("tilflytting show 0833", "fish", catalog) == complete(
        "tilflytting show tokke", "fish", catalog
    )
    # Herøy (Nordland): its title, read without æøå.
    assert complete("tilflytting show heroy", "fish", catalog) == ["flytt-hit-til-heroy-2011"]


def test_an_empty_word_offers_every_entry(catalog: Path) -> None:
    titles = [yaml.safe_load(p.read_text("utf-8"))["tittel"] for p in ENTRIES.glob("*.yaml")]
    slugs = sorted(re.sub("[^a-z0-9]+", "-", fold(t)).strip("-") for t in titles)
    assert complete("tilflytting show ", db=catalog) == slugs


def test_entries_already_named_are_not_offered_again(catalog: Path) -> None:
    assert complete("tilflytting compare livet-i-holtalen holt", db=catalog) == ["holtalen-2020"]


def test_the_bundled_catalog_holt(bundled: Path) -> None:
    """In the bundled catalog (its YAML read here): the entries whose slug or
    title holds `holt`, or one of whose municipalities begins with it."""
    expected = set()
    for path in CATALOG.glob("*.yaml"):
        entry = yaml.safe_load(path.read_text("utf-8"))
        names = [entry["slug"], entry["tittel"], *entry.get("kommuner", [])]
        if any("holt" in fold(n) for n in names[:2]) or any(
            fold(n).startswith("holt") for n in names[2:]
        ):
            expected.add(entry["slug"])
    assert expected == {"tilflyttingstiltak-i-holtalen"}
    assert set(complete("tilflytting show holt", db=bundled)) == expected


def test_slugs_that_begin_with_the_word_come_first(bundled: Path) -> None:
    slugs = [yaml.safe_load(p.read_text("utf-8"))["slug"] for p in CATALOG.glob("*.yaml")]
    begin = sorted(s for s in slugs if s.startswith("bul"))
    inside = sorted(s for s in slugs if "bul" in s and s not in begin)
    assert begin and inside  # the catalog has both kinds
    assert complete("tilflytting show bul", db=bundled) == begin + inside


def test_the_catalog_named_by_db_or_the_environment(catalog: Path, tmp_path: Path) -> None:
    line = f"tilflytting show --db {catalog} holt"
    assert complete(line, db=tmp_path / "other.db") == ["holtalen-2020", "livet-i-holtalen"]
    # The default: a catalog in the user data folder.
    data = tmp_path / "data"
    data.mkdir()
    (data / "catalog.db").write_bytes(catalog.read_bytes())
    env = {
        "_TILFLYTTING_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_ARGS": "tilflytting show holt",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "TILFLYTTING_DB": "",
        "TILFLYTTING_DATA": str(data),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="tilflytting")
    assert parse(result.stdout, "fish") == ["holtalen-2020", "livet-i-holtalen"]


# -- vocabulary terms ------------------------------------------------------------------
def vocabulary() -> dict[str, dict[str, dict[str, str]]]:
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(
        (DATA / "vocabulary.yaml").read_text("utf-8")
    )
    return data


def test_a_target_group_by_its_beginning() -> None:
    """Slugs and labels of both written standards that begin with `barn`,
    continued as typed (lowercase), each once."""
    terms = vocabulary()["malgrupper"].items()
    forms = {s for slug, t in terms for s in (slug, t["label"], t.get("nynorsk")) if s}
    expected = {f.lower() for f in forms if f.lower().startswith("barn")}
    assert expected == {"barnefamilier", "barnefamiliar"}
    for option in ("--målgruppe", "--malgruppe"):
        for command in ("search", "summarise", "similar holtalen", "timeline", "export"):
            offered = complete(f"tilflytting {command} {option} barn")
            assert sorted(offered) == sorted(expected), (command, option)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_terms_with_and_without_aeoeaa(shell: str) -> None:
    """`Høyt utdannet ...` is found as typed with ø and without; the slug is
    offered to whoever types ASCII."""
    with_oe = complete("tilflytting search --målgruppe Høy", shell)
    assert with_oe == ["Høyt utdannet arbeidskraft/arbeidskraft med spesifikk kompetanse"]
    without = complete("tilflytting search --målgruppe hoy", shell)
    assert "hoyt-utdannet-arbeidskraft" in without
    assert all(fold(v).startswith("hoy") for v in without)
    nynorsk = complete("tilflytting search --målgruppe Høg", shell)
    assert nynorsk == ["Høgt utdanna arbeidskraft/arbeidskraft med spesifikk kompetanse"]


def test_a_word_inside_a_term_offers_its_slug() -> None:
    offered = complete("tilflytting search --målgruppe tilbake")
    assert offered == ["potensielle-tilbakeflyttere"]


@pytest.mark.parametrize(
    ("option", "liste"),
    [
        ("--aktivitet", "aktiviteter"),
        ("--salgsargument", "salgsargumenter"),
        ("--samarbeidspartner", "samarbeidspartnere"),
        ("--partner", "samarbeidspartnere"),
    ],
)
def test_every_facet_offers_its_own_list(option: str, liste: str) -> None:
    offered = complete(f"tilflytting search {option} ")
    assert set(vocabulary()[liste]) <= set(offered)
    others = {s for name, terms in vocabulary().items() if name != liste for s in terms}
    assert not others & set(offered) - set(vocabulary()[liste])


def test_every_offered_term_is_taken_by_the_filter(bundled: Path) -> None:
    for value in complete("tilflytting search --målgruppe ", "fish"):
        result = CliRunner().invoke(
            app, ["search", "--målgruppe", value, "--db", str(bundled), "-f", "json"]
        )
        assert result.exit_code == 0, (value, result.stderr)


# -- places ------------------------------------------------------------------------------
def test_counties_of_every_era() -> None:
    names = {r["fylke"] for r in rows("fylker.csv")}
    expected = sorted(fold(n) for n in names if fold(n).startswith("tro"))
    assert expected == ["troms", "troms og finnmark", "trondelag"]
    inside = sorted(n for n in names if "trondelag" in fold(n) and not fold(n).startswith("tro"))
    offered = complete("tilflytting list --fylke tro", "fish")
    assert sorted(offered[:3]) == expected and sorted(offered[3:]) == inside
    assert complete("tilflytting search --fylke Vik", "fish") == ["Viken"]  # 2020-2023
    numbers = sorted(r["nr"] for r in rows("fylker.csv") if r["nr"].startswith("5"))
    assert sorted(complete("tilflytting list --fylke 5", "fish")) == numbers


def test_municipalities_old_and_new_and_namesakes(tmp_path: Path) -> None:
    assert complete("tilflytting list --kommune holt", "fish") == ["holtålen"]
    assert complete("tilflytting list --kommune Holt", "fish") == ["Holtålen"]
    assert complete("tilflytting search --kommune Agd", "fish") == ["Agdenes"]  # gone in 2020
    namesakes = sorted(
        f"Herøy i {r['fylke_2012']}" for r in rows("kommuner.csv") if r["name"] == "Herøy"
    )
    assert sorted(complete("tilflytting list --kommune Herøy", "fish")) == namesakes
    numbers = {
        r[c] for r in rows("kommuner.csv") for c in ("nr_2012", "nr_2020", "nr_2024") if r[c]
    }
    expected = sorted(n for n in numbers if n.startswith("164"))
    assert complete("tilflytting list --kommune 164", "fish") == expected
    # Each namesake's form names one municipality: `list` takes it.
    db = tmp_path / "catalog.db"
    CliRunner().invoke(app, ["import", str(ENTRIES), "--db", str(db)])
    shown = CliRunner().invoke(
        app, ["list", "--kommune", "Herøy i Nordland", "--db", str(db), "-f", "json"]
    )
    assert shown.exit_code == 0 and "flytt-hit-til-heroy-2011" in shown.stdout


def test_every_offered_place_is_taken_by_the_filters(bundled: Path) -> None:
    from tilflytting.query.lookup import county_filter, kommune_names, region_filter

    for value in complete("tilflytting list --kommune ", "fish"):
        assert kommune_names(value), value
    for value in complete("tilflytting list --fylke ", "fish"):
        assert county_filter(value).names, value
    for value in complete("tilflytting list --region ", "fish"):
        assert region_filter(value).name, value
    # As typed without æøå, and in a command.
    for option, line in (("--kommune", "indre\\ f"), ("--fylke", "sor-t"), ("--region", "nord-g")):
        for value in complete(f"tilflytting list {option} {line}", "fish"):
            result = CliRunner().invoke(app, ["list", option, value, "--db", str(bundled)])
            assert result.exit_code == 0, (value, result.stderr)


def test_regions_by_name_and_alias() -> None:
    names = {
        n
        for r in rows("regioner.csv")
        for n in (r["region"], *(a.strip() for a in r["alias"].split(";")))
        if n
    } | {r["alias"] for r in rows("regioner_tillegg.csv")}
    begin = sorted(n for n in names if fold(n).startswith("valdres"))
    inside = sorted(
        n
        for n in names
        if n not in begin and any(w.startswith("valdres") for w in re.findall("[a-z]+", fold(n)))
    )
    assert begin and inside  # Valdres, Valdresrådet, ...; Regionrådet i Valdres
    offered = complete("tilflytting search --region Valdres", "fish")
    assert sorted(offered[: len(begin)]) == begin and sorted(offered[len(begin) :]) == inside


# -- choices -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "tilflytting vocab --list ",
            ["aktiviteter", "salgsargumenter", "samarbeidspartnere", "målgrupper"],
        ),
        ("tilflytting vocab --list mal", ["malgrupper"]),
        ("tilflytting summarise --liste m", ["målgrupper"]),
        ("tilflytting summarise --by ", ["fylke", "fylke2024", "fylke2012", "region"]),
        ("tilflytting export --by fylke2", ["fylke2024", "fylke2012"]),
        ("tilflytting list --format j", ["json", "jsonl"]),
        ("tilflytting show --format y", ["yaml"]),
        ("tilflytting export --format d", ["datasette-metadata"]),
        ("tilflytting list --sort k", ["kommune"]),
        ("tilflytting folketall --referanse ", ["fylke", "landet", "distrikt"]),
    ],
)
def test_choices(line: str, expected: list[str]) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert complete(line, shell) == expected, shell


def test_every_offered_by_is_taken(bundled: Path) -> None:
    for value in complete("tilflytting summarise --by "):
        args = ["summarise", "--by", value, "--db", str(bundled), "-f", "json"]
        assert CliRunner().invoke(app, args).exit_code == 0, value
    for value in complete("tilflytting export --by "):
        args = ["export", "--format", "markdown", "--by", value, "--db", str(bundled)]
        assert CliRunner().invoke(app, args).exit_code == 0, value


# -- no catalog, another file, never a write ----------------------------------------------
def test_without_a_database_reference_data_still_completes(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    for shell in ("bash", "zsh", "fish"):
        assert complete("tilflytting show holt", shell, missing) == []
        assert complete("tilflytting list --fylke tro", shell, missing) != []
        assert complete("tilflytting search --målgruppe barn", shell, missing) != []
    assert not missing.exists() and list(tmp_path.iterdir()) == []


def _not_catalogs(tmp_path: Path) -> list[Path]:
    text = tmp_path / "notes.db"
    text.write_text("not a database\n", "utf-8")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    folder = tmp_path / "folder.db"
    folder.mkdir()
    return [text, other, empty, folder]


def test_a_file_that_is_no_catalog_offers_no_entries_and_no_error(tmp_path: Path) -> None:
    for path in _not_catalogs(tmp_path):
        before = path.read_bytes() if path.is_file() else None
        for shell in ("bash", "zsh", "fish"):
            assert complete("tilflytting show holt", shell, path) == [], path
            assert complete("tilflytting list --region hardanger", shell, path) != []
        assert (path.read_bytes() if path.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "empty.db",
        "folder.db",
        "notes.db",
        "other.db",
    ]


def test_completion_never_writes(catalog: Path, tmp_path: Path) -> None:
    """Nothing is created, upgraded or written: not the file, not a -wal or
    -shm beside it, not for an older schema (no migrations are run)."""
    db = tmp_path / "copy.db"
    db.write_bytes(catalog.read_bytes())
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM _migrations WHERE name = (SELECT max(name) FROM _migrations)")
    conn.commit()
    conn.close()
    digest, stamp = hashlib.sha256(db.read_bytes()).hexdigest(), db.stat().st_mtime_ns
    for shell in ("bash", "zsh", "fish"):
        assert complete("tilflytting show holt", shell, db) != []
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    assert db.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == ["copy.db"]


def test_a_catalog_being_written_is_read(catalog: Path, tmp_path: Path) -> None:
    """While another process has the catalog open (its -wal and -shm exist),
    completion reads it too, read-only."""
    db = tmp_path / "open.db"
    db.write_bytes(catalog.read_bytes())
    writer = sqlite3.connect(db)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("UPDATE entries SET tittel = tittel")
    writer.commit()
    assert (tmp_path / "open.db-wal").exists()
    try:
        assert complete("tilflytting show holt", "fish", db) == [
            "holtalen-2020",
            "livet-i-holtalen",
        ]
    finally:
        writer.close()


def test_a_named_pipe_does_not_hang(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    env = {
        **os.environ,
        "_TILFLYTTING_COMPLETE": "complete_bash",
        "COMP_WORDS": "tilflytting\nshow\nholt",
        "COMP_CWORD": "2",
        "TILFLYTTING_DB": str(pipe),
    }
    done = subprocess.run([PROGRAM], env=env, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")


# -- each shell's form ----------------------------------------------------------------------
def test_bash_quotes_values_with_spaces() -> None:
    result = _run("tilflytting list --kommune indre", "bash", None)
    names = sorted(
        r["name"].lower().replace(" ", "\\ ")
        for r in rows("kommuner.csv")
        if fold(r["name"]).startswith("indre")
    )
    assert sorted(result.stdout.splitlines()) == names
    assert "indre\\ fosen" in names


def test_bash_keeps_the_word_when_offers_do_not_continue_it(catalog: Path) -> None:
    """Two entries of Tokke share `velkommen-til-tokke`: bash would replace
    `tokke` with it (and `holt` with the first letters two offers share). A
    blank offer keeps the word; the others are listed."""
    offered = complete("tilflytting show tokke", "bash", catalog)
    assert offered == ["velkommen-til-tokke", "velkommen-til-tokke-igjen", " "]
    # Offers that continue the word need no such help.
    assert complete("tilflytting show velkommen", "bash", catalog) == [
        "velkommen-til-tokke",
        "velkommen-til-tokke-igjen",
    ]


def test_zsh_and_fish_show_titles_as_written(catalog: Path) -> None:
    """Descriptions are plain text (not Rich markup: the brackets stay)."""
    zsh = _run("tilflytting show Herøy", "zsh", catalog).stdout
    assert '"flytt-hit-til-heroy-2011":"Flytt hit til Herøy [2011]"' in zsh
    fish = _run("tilflytting show heroy", "fish", catalog).stdout
    assert fish == "flytt-hit-til-heroy-2011\tFlytt hit til Herøy [2011]\n"


def test_fish_asks_first_whether_there_is_anything_to_offer(catalog: Path) -> None:
    found = _run("tilflytting show holt", "fish", catalog, "is-args")
    nothing = _run("tilflytting show zzz", "fish", catalog, "is-args")
    assert (found.exit_code, nothing.exit_code) == (0, 1)


def test_control_characters_never_reach_the_terminal(catalog: Path, tmp_path: Path) -> None:
    """A catalog written by another program may hold anything."""
    db = tmp_path / "odd.db"
    db.write_bytes(catalog.read_bytes())
    conn = sqlite3.connect(db)
    conn.execute(
        "UPDATE entries SET tittel = 'Livet\x1b[2J i\nHoltålen \\$(x)' "
        "WHERE slug = 'livet-i-holtalen'"
    )
    conn.execute("UPDATE entries SET slug = 'holt\\x' WHERE slug = 'holtalen-2020'")
    conn.commit()
    conn.close()
    for shell in ("bash", "zsh", "fish"):
        out = _run("tilflytting show holt", shell, db).stdout
        assert "\x1b" not in out and "Holtålen \\$(x)" not in out and "holt\\x" not in out
    fish = _run("tilflytting show holt", "fish", db).stdout
    assert fish == "livet-i-holtalen\tLivet i Holtålen /$(x)\n"  # the escape sequence gone whole


@given(st.text(max_size=12))
def test_any_typed_text_offers_only_what_it_begins_or_names(typed: str) -> None:
    """Whatever is typed: no error, and each offered place or term begins
    with it (case and æøå aside) or has a word that does."""
    from tilflytting.core.fold import fold as tool_fold
    from tilflytting.core.fold import key
    from tilflytting.query.completion import offers

    for kind in ("fylke", "kommune", "region", "malgrupper", "liste"):
        for offer in offers(kind, typed):
            texts = [tool_fold(t) for t in (offer.value, offer.help or "")]
            words = [w for t in texts for w in re.findall("[a-z0-9]+", t)]
            begins = texts[0].startswith(tool_fold(typed))
            assert begins or any(w.startswith(key(typed)) for w in words), (kind, typed, offer)


# -- start-up and speed --------------------------------------------------------------------
def test_ordinary_commands_do_not_load_completion(catalog: Path) -> None:
    code = (
        "import sys; sys.argv = ['tilflytting', 'show', 'holtalen-2020', '--db', sys.argv[1]]\n"
        "from tilflytting.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.endswith('completion') and 'tilflytting' in m))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(catalog)], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_installed_program_completes_in_each_shell(catalog: Path, shell: str) -> None:
    """The console script itself, as the shell's script runs it."""
    env = {
        **os.environ,
        "_TILFLYTTING_COMPLETE": f"complete_{shell}",
        "TILFLYTTING_DB": str(catalog),
    }
    if shell == "bash":
        env |= {"COMP_WORDS": "tilflytting\nshow\nholt", "COMP_CWORD": "2"}
    else:
        env |= {
            "_TYPER_COMPLETE_ARGS": "tilflytting show holt",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        }
    done = subprocess.run([PROGRAM], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    assert parse(done.stdout, shell) == ["holtalen-2020", "livet-i-holtalen"]


def test_entry_look_ups_read_indexes(catalog: Path) -> None:
    """At 100,000 entries a TAB must not read every entry's row: each way of
    finding entries is a range of an index or a walk through one."""
    from tilflytting.store import completion as store

    conn = store.open_readonly(catalog)
    assert conn is not None
    plans = []
    real = conn.execute

    class Spy:
        def execute(self, sql: str, values: Any = ()) -> sqlite3.Cursor:
            plans.append(" | ".join(r[3] for r in real("EXPLAIN QUERY PLAN " + sql, values)))
            return real(sql, values)

    spy: Any = Spy()
    store.slugs_from(spy, "h", 1)
    store.entries_named(spy, "holt", "1644", 10)
    store.entries_containing(spy, "holt", 10)
    conn.close()
    for plan in plans:
        for step in plan.split(" | "):
            if step.startswith(("SCAN", "SEARCH")):
                assert "INDEX" in step, plan
