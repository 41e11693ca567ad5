"""Where the files RRM Desk ships (DISARM catalog, icons, templates) live on disk.

``resources/`` sits beside the ``rrmdesk/`` package at the repository root, and the installed
layout keeps that arrangement, so one path relative to this file serves both. The app is
offline: anything it needs at run time must be found here, never fetched.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR: Path = Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource, e.g. ``resource_path("disarm", "catalog.json")``."""
    return RESOURCES_DIR.joinpath(*parts)
