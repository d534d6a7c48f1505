"""An entry as one of its sources gave it, kept as JSON in `sources.oppforing`.

An entry built from several files (a bundled YAML entry and the published
page, say) is their merge (core/merge.py); to merge again when one of them
changes or goes, the store keeps what each gave on its own. An entry with
one source keeps no snapshot: the entry as stored is what that file gave.
Unknown keys are ignored and missing ones take their defaults, so that a
snapshot written by an older version still reads.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TypeVar

from tilflytting.core.model import Entry, Heading, Item, Place, Problem, Project

T = TypeVar("T")


def dump(entry: Entry) -> str:
    data = dataclasses.asdict(entry)
    for name in ("source", "sources"):
        data.pop(name, None)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def load(text: str) -> Entry:
    data: dict[str, Any] = json.loads(text)
    entry = _make(Entry, data)
    entry.projects = [_make(Project, p) for p in data.get("projects", [])]
    entry.lists = {name: [_make(Item, i) for i in items] for name, items in data["lists"].items()}
    entry.raw_lists = {
        name: [_make(Item, i) for i in items] for name, items in data["raw_lists"].items()
    }
    entry.main_goal = [_make(Item, i) for i in data.get("main_goal", [])]
    entry.problems = [_make(Problem, p) for p in data.get("problems", [])]
    entry.headings = [_make(Heading, h) for h in data.get("headings", [])]
    entry.places = [_make(Place, p) for p in data.get("places", [])]
    return entry


def _make(kind: type[T], data: dict[str, Any]) -> T:
    """A dataclass from those of `data`'s keys it has fields for (nested
    ones are set by the caller)."""
    names = {f.name for f in dataclasses.fields(kind)}  # type: ignore[arg-type]
    return kind(**{k: v for k, v in data.items() if k in names})
