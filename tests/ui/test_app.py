"""``rrmdesk-gui --smoke``: the real app starts, unlocks a throwaway workspace, paints and quits."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO
from ui.app import parse_args


def test_smoke_start_unlocks_paints_and_exits_0(tmp_path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    env.pop("RRMDESK_PASSPHRASE", None)  # the smoke start sets its own, for its throwaway workspace
    for entry in (["-m", "ui"], [str(REPO / "packaging" / "rrmdesk_gui.py")]):  # the wheel's and the frozen app's
        result = subprocess.run([sys.executable, *entry, "--smoke"], env=env, cwd=REPO, capture_output=True,
                                text=True, timeout=300, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "smoke test passed: main window unlocked and painted" in result.stdout
    assert not list(tmp_path.glob("rrmdesk-smoke-*"))  # the throwaway workspace is gone


def test_smoke_is_an_option_of_the_app() -> None:
    assert parse_args(["--smoke"]).smoke and not parse_args([]).smoke
