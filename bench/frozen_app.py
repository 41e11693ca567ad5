"""Packaging benchmark: size of the frozen one-folder app and its cold start to a self-check result.

(Issue 9 names it bench/packaging.py; that name would shadow the ``packaging`` library, which
matplotlib imports, for every script run from bench/, so it is called frozen_app.py.)

Figures (one JSON line):
- ``folder_mb`` and ``files``: the built ``dist/rrmdesk/`` folder (both programs, Python, Qt,
  resources).
- ``frozen_version_s`` / ``source_version_s``: ``rrmdesk --version`` in a fresh process, the
  frozen app beside the source install (``.venv/bin/rrmdesk``): start-up alone.
- ``frozen_selfcheck_s`` / ``source_selfcheck_s``: ``rrmdesk self-check --json`` in a fresh
  process, from launch to the report (workspace, case, charts, briefing, signed bundle, verify);
  the ratios put the frozen app over the source install (the peer). Medians of ``--runs``.
- ``frozen_gui_s`` / ``source_gui_s``: ``rrmdesk-gui --smoke`` (start the desktop app on a
  throwaway workspace, unlock, paint the main window, quit), offscreen unless a display is set.

The app is built once with packaging/rrmdesk.spec into ``build/packaging/`` (a few minutes the
first time; PyInstaller reuses its work folder afterwards), or pass ``--dist DIR`` to measure an
existing ``dist/rrmdesk`` folder. "Cold" is a new process each run; the OS file cache is warm
after the first run, as it is for an analyst who starts the app twice.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILD = REPO / "build" / "packaging"


def build() -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                    "--distpath", str(BUILD / "dist"), "--workpath", str(BUILD / "work"),
                    str(REPO / "packaging" / "rrmdesk.spec")], check=True)
    return BUILD / "dist" / "rrmdesk"


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stdout}{result.stderr}")
    if "self-check" in command and not json.loads(result.stdout)["ok"]:
        raise SystemExit(f"{' '.join(command)}: the self-check failed")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, help="an existing dist/rrmdesk folder (default: build it)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = args.dist or build()
    size, files = folder_size(folder)
    frozen = str(folder / "rrmdesk")
    source = str(REPO / ".venv" / "bin" / "rrmdesk")
    with tempfile.TemporaryDirectory(prefix="rrmdesk-bench-") as scratch:
        env = {**os.environ, "RRMDESK_WORKSPACE": str(Path(scratch) / "workspace"), "TMPDIR": scratch}
        if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        source_gui = [str(REPO / ".venv" / "bin" / "python"), str(REPO / "packaging" / "rrmdesk_gui.py"), "--smoke"]
        figures: dict[str, list[float]] = {key: [] for key in ("frozen_version", "source_version", "frozen_selfcheck",
                                                                "source_selfcheck", "frozen_gui", "source_gui")}
        for _ in range(args.runs):  # interleaved, so machine noise hits both sides alike
            figures["frozen_version"].append(timed([frozen, "--version"], env))
            figures["source_version"].append(timed([source, "--version"], env))
            figures["frozen_selfcheck"].append(timed([frozen, "self-check", "--json"], env))
            figures["source_selfcheck"].append(timed([source, "self-check", "--json"], env))
            figures["frozen_gui"].append(timed([str(folder / "rrmdesk-gui"), "--smoke"], env))
            figures["source_gui"].append(timed(source_gui, env))
    median = {f"{key}_s": round(statistics.median(values), 3) for key, values in figures.items()}
    print(json.dumps({
        "folder_mb": round(size / 1e6, 1),
        "files": files,
        **median,
        "version_ratio": round(median["frozen_version_s"] / median["source_version_s"], 2),
        "selfcheck_ratio": round(median["frozen_selfcheck_s"] / median["source_selfcheck_s"], 2),
        "gui_ratio": round(median["frozen_gui_s"] / median["source_gui_s"], 2),
        "runs": args.runs,
    }))


if __name__ == "__main__":
    main()
