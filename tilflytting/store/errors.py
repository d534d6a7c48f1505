"""What the store raises for the CLI to report in one line."""

from __future__ import annotations


class StoreError(Exception):
    """A database problem to report to the user in one line."""


class StoreMissing(StoreError):
    """No database at the path a read command was given."""
