"""THE BUILD: the Linux one-folder app made by packaging/rrmdesk.spec starts, unlocks a
passphrase workspace, passes its self-check and paints its main window (offscreen)."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
from pathlib import Path

import pytest

import rrmdesk
from tests.conftest import TEST_PASSPHRASE

pytestmark = pytest.mark.slow


def run(program: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(program), *args], capture_output=True, text=True, check=False, timeout=300,
                          env={**os.environ, **env})


def test_both_programs_share_one_folder(frozen_app: Path) -> None:
    assert os.access(frozen_app / "rrmdesk", os.X_OK) and os.access(frozen_app / "rrmdesk-gui", os.X_OK)
    internal = frozen_app / "_internal"
    assert (internal / "resources" / "disarm" / "catalog.json").is_file()
    assert (internal / "resources" / "briefing" / "briefing-template.docx").is_file()
    shipped = {p.name.lower() for p in internal.iterdir()}
    assert not {"pytest", "hypothesis", "scipy", "stix2", "pymisp", "pyinstaller"} & shipped


def test_version(frozen_app: Path) -> None:
    result = run(frozen_app / "rrmdesk", "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"rrmdesk {rrmdesk.__version__}"
    gui = run(frozen_app / "rrmdesk-gui", "--version")
    assert gui.returncode == 0 and gui.stdout.strip() == f"rrmdesk-gui {rrmdesk.__version__}"


def test_self_check(frozen_app: Path) -> None:
    result = run(frozen_app / "rrmdesk", "self-check", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["frozen"] is True
    assert Path(report["resources"]) == frozen_app / "_internal" / "resources"


def test_unlocks_a_passphrase_workspace_from_the_environment(frozen_app: Path, workspace_path: Path) -> None:
    cli = frozen_app / "rrmdesk"
    secret = {"RRMDESK_PASSPHRASE": TEST_PASSPHRASE}
    made = run(cli, "--workspace", str(workspace_path), "init", "--passphrase", "--analyst", "Frozen Analyst", **secret)
    assert made.returncode == 0, made.stderr
    new = run(cli, "--workspace", str(workspace_path), "case", "new", "--title", "Frozen app case", **secret)
    assert new.returncode == 0, new.stderr
    listed = run(cli, "--workspace", str(workspace_path), "case", "list", **secret)
    assert listed.returncode == 0 and "Frozen app case" in listed.stdout
    wrong = run(cli, "--workspace", str(workspace_path), "case", "list", RRMDESK_PASSPHRASE="not the passphrase")
    assert wrong.returncode == 1 and wrong.stderr.startswith("rrmdesk: ") and "Traceback" not in wrong.stderr


def test_gui_starts_paints_and_quits(frozen_app: Path) -> None:
    result = run(frozen_app / "rrmdesk-gui", "--smoke", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test passed: main window unlocked and painted" in result.stdout


def test_linux_desktop_entry_and_icons(frozen_app: Path) -> None:
    share = frozen_app / "share"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(share / "applications" / "rrmdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Exec"].split()[0] == "rrmdesk-gui"
    assert (frozen_app / desktop["Exec"].split()[0]).is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{desktop['Icon']}.svg").is_file()
    for size in (16, 32, 48, 256):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{desktop['Icon']}.png").is_file()
