"""Write N catalog pages made from the real pages of ../shared/corpus.

Each page is one of the 43 published pages with its municipalities swapped
for others (in the title and everywhere in the text) and, where the title
names no municipality, the new one added to it: every page is its own entry,
with real pages' length, layout and quirks. The pages are written at bench
time into a temporary folder only; the project keeps none of their prose.

Usage: python -m benchmarks.corpus_pages N OUT_DIR [--corpus DIR]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from tilflytting.core.fold import slugify
from tilflytting.ingest.importer import read_entry
from tilflytting.reference.places import reference

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def write_from_corpus(count: int, out: Path, corpus: Path = DEFAULT_CORPUS) -> None:
    templates = [_template(page) for page in sorted(corpus.glob("*.txt"))]
    if not templates:
        raise SystemExit(f"no pages in {corpus}")
    names = sorted({k.name for k in reference().kommuner if k.nr_2012 and k.name.isalpha()})
    seen: set[str] = set()
    for n in range(count):
        text, title, places = templates[n % len(templates)]
        turn = n // len(templates)
        swap = {old: names[(turn * 7 + j * 37 + n) % len(names)] for j, old in enumerate(places)}
        new_title = _swapped(title, swap)
        if new_title == title:
            new_title = f"{title} – {names[(turn + n) % len(names)]}"
        if slugify(new_title) in seen:
            new_title = f"{new_title} {n}"
        seen.add(slugify(new_title))
        page = _swapped(text, swap).replace(_swapped(title, swap), new_title, 1)
        folder = out / f"{n // 1000:03}"  # a thousand files a folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"side-{n:06}.txt").write_text(page, encoding="utf-8")


def _template(page: Path) -> tuple[str, str, list[str]]:
    """A page's text, its title and the municipality names it uses."""
    _, entry = read_entry(page)
    text = page.read_bytes().decode("utf-8-sig")
    places = [p.name for p in entry.places if p.kind == "kommune" and p.name and p.name in text]
    return text, entry.title, list(dict.fromkeys(places))


def _swapped(text: str, swap: dict[str, str]) -> str:
    for old, new in swap.items():
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    write_from_corpus(args.count, args.out, args.corpus)


if __name__ == "__main__":
    main()
