"""Twins an older version made, merged once after the upgrade that gave
entries their sources (m011).

Before, an entry was keyed by its file's path: importing the published
pages after the bundled catalog gave every page a `…-2` twin beside its
bundled entry, and so did a copy of a folder. Those twins are merged by the
rule imports follow now (core/merge.py, docs/reliability.md): an entry
`x-N` is merged into `x` unless the two are different initiatives, that is
unless both have a catalog address and the addresses differ, or both come
from files of one kind whose contents differ and which both still exist.
This is not a migration: it uses today's merge rule, once.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from tilflytting.core.merge import ROLES, merge
from tilflytting.core.model import Entry, Source
from tilflytting.reference.catalog import role_of
from tilflytting.store import snapshot
from tilflytting.store.writes import EntryWrite

if TYPE_CHECKING:
    from tilflytting.store.database import Store

_TWIN = re.compile(r"(.+)-(\d+)")


def merge_twins(store: Store) -> list[tuple[str, str]]:
    """Merge the twins; (kept slug, merged slug) for each merge."""
    rows = store.conn.execute("SELECT id, slug, url_nokkel FROM entries").fetchall()
    by_slug = {slug: (entry_id, url) for entry_id, slug, url in rows}
    twins = []
    for entry_id, slug, url in rows:
        found = _TWIN.fullmatch(slug)
        if found and found.group(1) in by_slug:
            twins.append((int(found.group(2)), found.group(1), slug, entry_id, url))
    merged: list[tuple[str, str]] = []
    for _, base, slug, twin_id, twin_url in sorted(twins):
        base_id, base_url = by_slug[base]
        if base_url and twin_url and base_url != twin_url:
            continue
        if _merge(store, base_id, twin_id):
            merged.append((base, slug))
    return merged


def _merge(store: Store, base_id: int, twin_id: int) -> bool:
    base, twin = store.load_entries([base_id, twin_id], raw=True)
    parts: list[tuple[Source, Entry]] = []
    for entry_id, entry in ((base_id, base), (twin_id, twin)):
        stored = {s.source.path: s.snapshot for s in store.sources_of(entry_id)}
        for source in entry.sources:
            source.role = role_of(source.format, source.path, source.sha256)
            source.precedence = ROLES[source.role]
            taken = stored.get(source.path)
            parts.append((source, snapshot.load(taken) if taken else entry))
    if _different(parts):
        return False
    parts.sort(key=lambda p: (p[0].precedence or 0, p[0].imported or ""), reverse=True)
    result = merge([entry for _, entry in parts])
    result.slug, result.sources = base.slug, [source for source, _ in parts]
    result.source = result.sources[0]
    snapshots = {source.path: snapshot.dump(entry) for source, entry in parts}
    store.delete_entries([twin_id])
    store.save_entries([EntryWrite(base_id, result, False, snapshots)])
    return True


def _different(parts: list[tuple[Source, Entry]]) -> bool:
    """Two sources of one role, different contents, both files still there."""
    seen: dict[str, str] = {}
    for source, _ in parts:
        if not os.path.exists(source.path):
            continue
        role = source.role or ""
        if seen.setdefault(role, source.sha256) != source.sha256:
            return True
    return False
