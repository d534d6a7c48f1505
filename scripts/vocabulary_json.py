"""Write data/vocabulary.json, the copy of data/vocabulary.yaml that the tool
reads (JSON loads without importing PyYAML).

Usage: python scripts/vocabulary_json.py   (or: make vocabulary)
"""

from __future__ import annotations

from tilflytting.reference.places import data_dir
from tilflytting.reference.vocabulary import json_copy

if __name__ == "__main__":
    (data_dir() / "vocabulary.json").write_text(json_copy(), encoding="utf-8")
