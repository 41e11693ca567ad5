"""Packaging fixtures: the packaging scripts as modules, and the frozen app built once per session.

The PyInstaller build takes a few minutes, so it happens once, in a session-scoped fixture, into
a temporary folder; every frozen-app test runs the programs it produced.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))  # wheelhouse.py and sbom.py are scripts, imported here by name


@pytest.fixture(scope="session")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dist/rrmdesk/``: the Linux one-folder app built from this checkout by packaging/rrmdesk.spec."""
    root = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(root / "dist"), "--workpath", str(root / "work"), str(PACKAGING / "rrmdesk.spec")],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stderr[-4000:]}"
    return root / "dist" / "rrmdesk"
