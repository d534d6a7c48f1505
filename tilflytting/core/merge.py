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
no lead, an empty list) is filled from the next source that has it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from tilflytting.core.model import LISTS, Entry

ROLES = {"egen": 3, "side": 2, "medfulgt": 1}


def merge(entries: Sequence[Entry]) -> Entry:
    """The entry `entries` make together, the one that wins first."""
    merged = copy.copy(entries[0])
    merged.lists = dict(merged.lists)
    merged.raw_lists = dict(merged.raw_lists)
    for other in entries[1:]:
        _fill(merged, other)
    return merged


def _fill(merged: Entry, other: Entry) -> None:
    if not merged.lead:
        merged.lead = other.lead
    if not merged.text:
        merged.text, merged.headings = other.text, other.headings
    if not merged.areas:
        merged.areas = other.areas
    if not merged.projects:
        merged.projects = other.projects
    for name in LISTS:
        if not merged.lists.get(name) and other.lists.get(name):
            merged.lists[name] = other.lists[name]
            merged.raw_lists[name] = other.raw_lists.get(name, other.lists[name])
    if not merged.main_goal:
        merged.main_goal = other.main_goal
    if not merged.places:
        merged.places = other.places
    if merged.region is None:
        merged.region = other.region
    if merged.url is None:
        merged.url = other.url
