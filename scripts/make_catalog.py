"""Write the bundled catalog: one YAML entry per published page.

Usage: python scripts/make_catalog.py CORPUS_DIR OUT_DIR

Facts only: title, places, region, projects and periods, list items and the
page's address. The pages' prose is left out; each entry's `ingress` comes
from data/ingress.yaml, written for this project.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

from tilflytting.ingest.importer import read_entry
from tilflytting.ingest.yaml_entry import dump_yaml, entry_to_data
from tilflytting.reference.catalog import GENERATED as HEADER


def main(corpus: Path, out: Path) -> int:
    urls = _urls(corpus / "INDEX.tsv")
    # INDEX.tsv says which published pages were cut off. The parser marks a
    # page cut only where its text shows it; two pages were cut right after a
    # list, where nothing shows it (docs/page-format.md), so the index decides.
    cut = _cut(corpus / "INDEX.tsv")
    leads = yaml.safe_load(
        (Path(__file__).parent.parent / "data" / "ingress.yaml").read_text("utf-8")
    )
    out.mkdir(parents=True, exist_ok=True)
    missing = []
    for page in sorted(corpus.glob("*.txt")):
        _, entry = read_entry(page)
        entry.url = urls.get(page.stem)
        if entry.slug not in leads:
            missing.append(entry.slug)
        entry.lead = leads.get(entry.slug, "")
        if page.stem in cut:
            entry.complete = False
        data = entry_to_data(entry, with_text=False)
        (out / f"{entry.slug}.yaml").write_text(HEADER + dump_yaml(data), encoding="utf-8")
    for slug in missing:
        print(f"no ingress written for {slug} in data/ingress.yaml", file=sys.stderr)
    return 1 if missing else 0


def _urls(index: Path) -> dict[str, str]:
    with index.open(encoding="utf-8") as handle:
        return {row["slug"]: row["url"] for row in csv.DictReader(handle, delimiter="\t")}


def _cut(index: Path) -> set[str]:
    with index.open(encoding="utf-8") as handle:
        return {
            row["slug"] for row in csv.DictReader(handle, delimiter="\t") if row["complete"] == "no"
        }


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
