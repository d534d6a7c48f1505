"""One entry from several files: which file wins (docs/reliability.md).

An entry is the same entry wherever its file comes from: the bundled
catalog's YAML entry, the published page it was made from, a copy of either
in another folder, a correction a maintainer wrote. Each file is a source of
the entry with a role, and the roles rank:

1. `egen`: a YAML entry a maintainer wrote (not one of the bundled files):
   a correction, so it wins over the page;
2. `side`: a published catalog page, which carries more than the bundled
   entry (the full text, the headings, the lines everything is on);
3. `medfulgt`: a YAML entry of the bundled catalog (data/catalog), facts only.

Among sources of one role the one imported last wins. The entry takes every
field from the source that wins; a field that source leaves empty (no text,
no lead, an empty list) is filled from the next source that has it. The
title, the slug, completeness and warnings are the winner's alone.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from tilflytting.core.model import LISTS, Entry

ROLES = {"egen": 3, "side": 2, "medfulgt": 1}

# Fields taken together from one source, by the name `show` gives them
# (the keys of an entry's JSON); the first attribute decides if it is empty.
GROUPS: dict[str, tuple[str, ...]] = {
    "ingress": ("lead",),
    "tekst": ("text", "headings"),
    "fagomrader": ("areas",),
    "prosjekter": ("projects",),
    "hovedmal": ("main_goal",),
    "kommuner": ("places",),
    "region": ("region",),
    "url": ("url",),
}


def merge(entries: Sequence[Entry]) -> Entry:
    """The entry `entries` make together, the one that wins first."""
    merged = copy.copy(entries[0])
    merged.lists, merged.raw_lists = dict(merged.lists), dict(merged.raw_lists)
    chosen = origins(entries)
    for name, attributes in GROUPS.items():
        for attribute in attributes:
            setattr(merged, attribute, getattr(entries[chosen[name]], attribute))
    for name in LISTS:
        source = entries[chosen[name]]
        merged.lists[name] = source.lists.get(name, [])
        merged.raw_lists[name] = source.raw_lists.get(name, merged.lists[name])
    return merged


def origins(entries: Sequence[Entry]) -> dict[str, int]:
    """Which of `entries` (by position, the winner first) gives each group
    of fields and each list: the first that has it, else the winner."""
    chosen = {}
    for name, attributes in GROUPS.items():
        chosen[name] = _first(entries, lambda e, a=attributes[0]: getattr(e, a))
    for name in LISTS:
        chosen[name] = _first(entries, lambda e, n=name: e.lists.get(n))
    return chosen


def _first(entries: Sequence[Entry], value: Any) -> int:
    return next((i for i, entry in enumerate(entries) if value(entry)), 0)
