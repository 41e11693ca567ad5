"""Where the files RRM Desk ships (DISARM catalog, icons, templates) live on disk.

The app is offline: anything it needs at run time must be found here, never fetched. Three
layouts are supported, looked for in this order:

- the frozen app (PyInstaller one-folder): ``resources/`` inside the bundle's contents folder
  (``sys._MEIPASS``; the folder of the executable for freezers that do not set it);
- a source checkout or editable install: ``resources/`` beside the ``rrmdesk/`` package;
- an install from the wheel (the offline wheelhouse): ``<prefix>/share/rrmdesk/resources``,
  where the wheel's data files land.
"""

from __future__ import annotations

import sys
from pathlib import Path

INSTALLED_SUBDIR = ("share", "rrmdesk", "resources")


def _candidates() -> list[Path]:
    if getattr(sys, "frozen", False):
        bundle = getattr(sys, "_MEIPASS", None)
        return [(Path(bundle) if bundle else Path(sys.executable).resolve().parent) / "resources"]
    return [Path(__file__).resolve().parent.parent / "resources", Path(sys.prefix).joinpath(*INSTALLED_SUBDIR)]


def _locate() -> Path:
    """The first layout that holds resources; the source layout when none does (so errors name it)."""
    candidates = _candidates()
    return next((path for path in candidates if path.is_dir()), candidates[0])


RESOURCES_DIR: Path = _locate()


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource, e.g. ``resource_path("disarm", "catalog.json")``."""
    return RESOURCES_DIR.joinpath(*parts)
