"""rrmdesk.resources finds the shipped files in each layout: checkout, frozen bundle, wheel install."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rrmdesk.resources import RESOURCES_DIR, resource_path
from tests.conftest import REPO

PROBE = """
import sys
{setup}
from rrmdesk.resources import RESOURCES_DIR
print(RESOURCES_DIR)
"""


def _located(setup: str) -> Path:
    result = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], capture_output=True, text=True,
                            check=True, cwd=REPO)
    return Path(result.stdout.strip())


def test_checkout_layout() -> None:
    assert RESOURCES_DIR == REPO / "resources"
    assert resource_path("disarm", "catalog.json").is_file()


def test_frozen_layout_uses_the_bundle_folder(tmp_path: Path) -> None:
    assert _located(f"sys.frozen = True; sys._MEIPASS = {str(tmp_path)!r}") == tmp_path / "resources"


def test_frozen_without_meipass_uses_the_executable_folder() -> None:
    assert _located("sys.frozen = True") == Path(sys.executable).resolve().parent / "resources"
