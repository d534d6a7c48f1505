"""Where the tool keeps the user's files: the catalog database and a newer
population file. One place, so that both follow the platform's conventions."""

from __future__ import annotations

import os
from pathlib import Path


def user_dir() -> Path:
    """The user's data folder for tilflytting (`TILFLYTTING_DATA` overrides)."""
    override = os.environ.get("TILFLYTTING_DATA")
    if override:
        return Path(override)
    import typer  # get_app_dir knows each platform's convention (~/.config/... on Linux)

    return Path(typer.get_app_dir("tilflytting"))
