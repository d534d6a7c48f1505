"""`show`: one entry, with a line on its population over its projects.

Apart from `lookup` so that the population answers, which find entries
through `lookup`, are not imported by it (no cycle).
"""

from __future__ import annotations

from tilflytting.core.merge import origins
from tilflytting.query.lookup import show_entry
from tilflytting.query.population import summary_line
from tilflytting.query.results import EntryDetail
from tilflytting.store.database import Store


def show(store: Store, text: str, sources: bool = False, until_today: bool = False) -> EntryDetail:
    """The entry `text` names, and its population line (open-ended projects
    ending with the catalog's year, or today's)."""
    detail = show_entry(store, text, sources)
    detail.population = summary_line(detail.entry, until_today)
    if sources and len(detail.entry.sources) > 1:
        detail.origins = _origins(store, detail)
    return detail


def _origins(store: Store, detail: EntryDetail) -> dict[str, str]:
    """Which file each part of a merged entry came from (by the rule that
    merged it, applied to what each file gave)."""
    (entry_id,) = [i for i, _, _ in store.find("slug", detail.entry.slug)]
    parts = store.source_parts(entry_id)
    return {name: parts[i][0].path for name, i in origins([e for _, e in parts]).items()}
