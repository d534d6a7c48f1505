"""Benchmarks: print figures and ratios against baselines measured in the same run.

Usage: python -m benchmarks.bench [--sizes 1000,10000,100000] [--runs 11] [--work DIR]
(`make bench` runs it with the sizes of docs/performance.md.)

Whole processes, wall time, median of several runs, as a user meets them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.corpus_pages import DEFAULT_CORPUS, write_from_corpus
from benchmarks.generate import write

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLI = str(BIN / "tilflytting")
TABLES = ("entries", "projects", "items", "places", "headings", "sources")


def run(args: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds one process takes, start to end."""
    started = time.perf_counter()
    subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def median(args: Sequence[str], runs: int, env: dict[str, str] | None = None) -> float:
    run(args, env)  # warm the file cache
    return statistics.median(run(args, env) for _ in range(runs))


def timed_with_memory(args: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds a process takes and its peak resident memory in MB (GNU time)."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *args],
        env=env,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )
    seconds = time.perf_counter() - started
    return seconds, int(result.stderr.strip().splitlines()[-1]) / 1024


def with_db(db: Path) -> dict[str, str]:
    return {**os.environ, "TILFLYTTING_DB": str(db)}


def row(name: str, seconds: float, base: float | None = None, note: str = "") -> None:
    ratio = f"{seconds / base:5.2f}x" if base else "      "
    print(f"  {name:<52} {seconds * 1000:9.1f} ms  {ratio}  {note}")


# -- start-up ------------------------------------------------------------------------------
def startup(work: Path, runs: int) -> float:
    """The start-up lines; returns the floor (seconds) later ratios use."""
    db = work / "bundled.db"
    subprocess.run([CLI, "import", "--db", str(db)], check=True, capture_output=True)
    env = with_db(db)
    python = str(BIN / "python")
    print(
        "\nStart-up (whole process; a table command's ratio is to the floor of importing"
        " Typer, sqlite3 and Rich's console and table, measured in the same run)"
    )
    bare = median([python, "-c", "pass"], runs)
    typer = median([python, "-c", "import typer"], runs)
    row("python -c pass", bare, typer)
    row("python -c 'import typer'  (baseline)", typer, typer)
    row(
        "python -c 'import sqlite_utils'",
        median([python, "-c", "import sqlite_utils"], runs),
        typer,
    )
    row("tilflytting --version  (target 1.15x)", median([CLI, "--version"], runs, env), typer)
    as_json = [CLI, "show", "holtalen", "--format", "json"]
    row("tilflytting show holtalen --format json", median(as_json, runs, env), typer)
    # The floor and the two table commands interleaved, run by run, so that
    # a drift of the machine's speed moves all three alike.
    commands = {
        "floor": [python, "-c", "import typer, sqlite3, rich.console, rich.table"],
        "show": [CLI, "show", "holtalen"],
        "search": [CLI, "search", "--målgruppe", "barnefamilier"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for args in commands.values():
        run(args, env)  # warm the file cache
    for _ in range(max(runs, 21)):
        for name, args in commands.items():
            times[name].append(run(args, env))
    floor = statistics.median(times["floor"])
    row("python -c 'import typer, sqlite3, rich...'  (floor)", floor, floor)
    show = statistics.median(times["show"])
    row("tilflytting show holtalen  (target 1.15x the floor)", show, floor)
    search = statistics.median(times["search"])
    row("tilflytting search --målgruppe barnefamilier  (1.15x)", search, floor)
    return floor


# -- import --------------------------------------------------------------------------------
def imports(work: Path, size: int, runs: int) -> Path:
    pages, db = work / f"pages-{size}", work / f"catalog-{size}.db"
    if not pages.exists():
        write(size, pages)
    db.unlink(missing_ok=True)
    env = with_db(db)
    print(f"\nImport of {size:,} pages")
    # The full import is timed once (it is long) and its peak memory read too.
    full, peak = timed_with_memory([CLI, "import", str(pages)], env)
    row("import into an empty database", full, note=f"{full / size * 1000:.2f} ms a page")
    print(f"  peak memory of that import: {peak:.0f} MB  (target < 300 MB at 100,000 pages)")
    again = statistics.median(
        run([CLI, "import", str(pages)], env) for _ in range(max(1, runs // 4))
    )
    row("import again, nothing changed  (target <= 0.10x)", again, full)
    if size <= 10_000:
        baseline = sqlite_utils_insert(db, work / f"baseline-{size}")
        row("baseline: sqlite-utils insert of the same rows, FTS on", baseline, baseline)
        row("tilflytting import  (target <= 2x the baseline)", full, baseline)
    return db


def sqlite_utils_insert(source: Path, folder: Path) -> float:
    """Time `sqlite-utils insert` loading our rows, prepared as JSON beforehand,
    into the same (empty) tables with the same FTS index."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    conn = sqlite3.connect(source)
    conn.row_factory = sqlite3.Row
    for table in (*TABLES, "entry_search"):
        rows = [dict(r) for r in conn.execute(f"SELECT * FROM {table}")]
        (folder / f"{table}.json").write_text(json.dumps(rows, ensure_ascii=False))
    target = folder / "target.db"
    # The same empty schema (migrations, lookup tables, guards): `vocab` on a
    # missing file no longer makes one, so the store makes it here.
    from tilflytting.store.database import Store

    Store.open(target, create=True).close()
    # Our store writes the FTS5 index itself; for sqlite-utils to fill it,
    # the index follows its table by triggers here, as sqlite-utils sets it up.
    import sqlite_utils

    from tilflytting.store.search_index import SEARCH_COLUMNS, TOKENIZER

    index = sqlite_utils.Database(target).table("entry_search")
    index.disable_fts()
    index.enable_fts(list(SEARCH_COLUMNS), create_triggers=True, tokenize=TOKENIZER)
    index.db.close()
    started = time.perf_counter()
    for table in (*TABLES, "entry_search"):
        subprocess.run(
            [
                str(BIN / "sqlite-utils"),
                "insert",
                str(target),
                table,
                str(folder / f"{table}.json"),
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def corpus_import(work: Path, size: int, runs: int) -> None:
    """Import `size` pages made from the real corpus pages (benchmarks/corpus_pages.py)
    against two baselines: `sqlite-utils insert` of the same page texts into a
    table with FTS on, and of the rows our import wrote."""
    if not DEFAULT_CORPUS.is_dir():
        print(f"\nImport of {size:,} pages from the real corpus: skipped, no {DEFAULT_CORPUS}")
        return
    pages, db = work / f"corpus-{size}", work / f"corpus-{size}.db"
    if not pages.exists():
        write_from_corpus(size, pages)
    print(f"\nImport of {size:,} pages made from the 43 real pages (target < 1 ms a page)")
    times = []
    for _ in range(max(1, runs // 4)):
        db.unlink(missing_ok=True)
        times.append(run([CLI, "import", str(pages)], with_db(db)))
    full = statistics.median(times)
    row("import into an empty database", full, note=f"{full / size * 1000:.2f} ms a page")
    texts = sqlite_utils_texts(pages, work / f"texts-{size}")
    row("baseline: sqlite-utils insert of the page texts, FTS on", texts, texts)
    row("tilflytting import ÷ that", full, texts)
    rows = sqlite_utils_insert(db, work / f"corpus-baseline-{size}")
    row("baseline: sqlite-utils insert of the rows it wrote, FTS on", rows, rows)
    row("tilflytting import ÷ that", full, rows)


def sqlite_utils_texts(pages: Path, folder: Path) -> float:
    """Time `sqlite-utils insert` of every page's path and text, prepared as
    JSON beforehand, into a table with a full-text index on the text."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    texts = [{"fil": str(p), "tekst": p.read_text("utf-8")} for p in sorted(pages.rglob("*.txt"))]
    (folder / "pages.json").write_text(json.dumps(texts, ensure_ascii=False))
    target = folder / "target.db"
    create = [str(BIN / "sqlite-utils"), "create-table", str(target), "pages", "fil", "text"]
    subprocess.run([*create, "tekst", "text", "--pk", "fil"], check=True, capture_output=True)
    fts = [str(BIN / "sqlite-utils"), "enable-fts", str(target), "pages", "tekst"]
    subprocess.run([*fts, "--create-triggers"], check=True, capture_output=True)
    insert = [str(BIN / "sqlite-utils"), "insert", str(target), "pages", str(folder / "pages.json")]
    started = time.perf_counter()
    subprocess.run(insert, check=True, capture_output=True)
    return time.perf_counter() - started


# -- queries -------------------------------------------------------------------------------
def queries(db: Path, size: int, runs: int, floor: float) -> None:
    env = with_db(db)
    conn = sqlite3.connect(db)
    slugs = [r[0] for r in conn.execute("SELECT slug FROM entries LIMIT 2")]
    number, county = conn.execute(
        "SELECT nummer_2024, fylke_2024 FROM places WHERE nummer_2024 IS NOT NULL LIMIT 1"
    ).fetchone()
    conn.close()
    print(f"\nQueries on {size:,} pages (whole command, start-up included; target < 150 ms)")
    cases = {
        "search --målgruppe barnefamilier --limit 20": [
            "search",
            "--målgruppe",
            "barnefamilier",
            "--limit",
            "20",
        ],
        "search bolyst --limit 20  (full text, 1 page in 6)": ["search", "bolyst", "--limit", "20"],
        "search tilflytting --limit 20  (on every page)": [
            "search",
            "tilflytting",
            "--limit",
            "20",
        ],
        "search bolyst --målgruppe ungdom --limit 20": [
            "search",
            "bolyst",
            "--målgruppe",
            "ungdom",
            "--limit",
            "20",
        ],
        "list --sort kommune --limit 20": ["list", "--sort", "kommune", "--limit", "20"],
        # As typed, without --limit: a table of at most 50 rows, with a count.
        "search --målgruppe barnefamilier  (table of 50)": [
            "search",
            "--målgruppe",
            "barnefamilier",
        ],
        "search bolyst  (table of 50)": ["search", "bolyst"],
        "list  (table of 50)": ["list"],
        f"show {slugs[0]}": ["show", slugs[0]],
        "compare (two entries)": ["compare", *slugs],
        "summarise": ["summarise"],
        # Outside the targets: subsets are counted, not read from kept tallies.
        f"summarise --kommune {number}": ["summarise", "--kommune", number],
        f"summarise --fylke {county}": ["summarise", "--fylke", county],
        "summarise --målgruppe barnefamilier": ["summarise", "--målgruppe", "barnefamilier"],
    }
    for name, args in cases.items():
        row(name, median([CLI, *args], runs, env))
    # Tab completion, as bash's script runs it (ratio against the start-up floor).
    for name, line in {
        "TAB: show holt  (its municipality's entries; < 150 ms)": ["show", "holt"],
        f"TAB: show {slugs[0][:8]}  (slugs that begin so)": ["show", slugs[0][:8]],
    }.items():
        row(name, median([CLI], runs, completing(env, line)), floor)


def completing(env: dict[str, str], words: list[str]) -> dict[str, str]:
    """The environment bash's completion script gives the program."""
    typed = ["tilflytting", *words]
    return {
        **env,
        "_TILFLYTTING_COMPLETE": "complete_bash",
        "COMP_WORDS": "\n".join(typed),
        "COMP_CWORD": str(len(typed) - 1),
    }


def compile_bytecode() -> None:
    """Write the package's bytecode, as installing it does. Without it (an
    editable install where PYTHONDONTWRITEBYTECODE is set, as on our
    workplace machines) every run compiles our modules again: +40 ms."""
    import tilflytting

    package = Path(tilflytting.__file__).parent
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", str(package)], check=True)
    print(f"bytecode compiled for {package}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument(
        "--corpus-pages", type=int, default=10_000, help="pages made from the real corpus"
    )
    parser.add_argument("--work", type=Path, default=None, help="keep catalogs here")
    parser.add_argument("--startup", action="store_true", help="the start-up lines only")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="tilflytting-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; work folder {work}")
    compile_bytecode()
    started = time.perf_counter()
    floor = startup(work, args.runs)
    if args.startup:
        if args.work is None:
            shutil.rmtree(work)
        return
    if args.corpus_pages:
        corpus_import(work, args.corpus_pages, args.runs)
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        db = imports(work, size, args.runs)
        queries(db, size, args.runs, floor)
    print(f"\nall measured in {(time.perf_counter() - started) / 60:.1f} minutes")
    if args.work is None:
        shutil.rmtree(work)  # about 2 GB of pages and databases at 100,000 pages


if __name__ == "__main__":
    main()
