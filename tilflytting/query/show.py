"""`show`: one entry, with a line on its population over its projects.

Apart from `lookup` so that the population answers, which find entries
through `lookup`, are not imported by it (no cycle).
"""

from __future__ import annotations

from tilflytting.query.lookup import show_entry
from tilflytting.query.population import summary_line
from tilflytting.query.results import EntryDetail
from tilflytting.store.database import Store


def show(store: Store, text: str, sources: bool = False, until_today: bool = False) -> EntryDetail:
    """The entry `text` names, and its population line (open-ended projects
    ending with the catalog's year, or today's)."""
    detail = show_entry(store, text, sources)
    detail.population = summary_line(detail.entry, until_today)
    return detail
