"""Desktop app benchmark: start-up to first paint, and the navigator over 100,000 cases.

Figures (one JSON line):
- ``start_s``: from launching ``python -m ui``-equivalent start-up in a fresh process to the
  main window painted, unlocked, on the demo workspace (median of runs); the peer
  ``bare_qt_start_s`` is a fresh process that paints an empty QMainWindow; ``start_ratio``.
  ``start_cpu_s``/``bare_qt_cpu_s`` are the CPU seconds those processes used (whole run, so an
  upper bound), which machine load does not inflate; ``load_average`` says how busy it was.
  The demo workspace is passphrase-protected, so start-up includes the scrypt key derivation.
- ``scroll_s`` and ``scroll_mb``: time and extra resident memory to open the navigator on 100,000
  cases and scroll it to the last row (lazy pages); the floor ``page_floor_s`` reads the same
  100,000 summaries in one query without Qt; ``scroll_ratio``.
Targets (issue 3): start ≤ 2 s; scroll to the end ≤ 1 s and ≤ 150 MB more memory.

The workspaces are made here from seeded data (passphrase mode, like ``./dev demo``).
Runs offscreen unless a display is set. ``--cases N`` and ``--runs N`` change the sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PASSPHRASE = "benchmark passphrase, not secret"
READY = "painted"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- child processes ------------------------------------------------------------------------


def child_app(workspace: str) -> None:
    """Start the real app and say when the unlocked main window has painted."""
    from PySide6.QtCore import QEvent, QObject

    from ui.app import start

    app, window = start(["--workspace", workspace])
    assert window is not None

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not window.session.is_locked and window.navigator.cases.rowCount():
                print(READY, flush=True)
                os._exit(0)
            return False

    painted = FirstPaint()
    window.navigator.case_view.viewport().installEventFilter(painted)
    window.session.unlocked.connect(window.navigator.case_view.viewport().update)
    app.exec()


def child_bare() -> None:
    """The floor: a fresh process that paints an empty main window."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print(READY, flush=True)
                os._exit(0)
            return False

    filt = FirstPaint()
    window.installEventFilter(filt)
    window.resize(1200, 800)
    window.show()
    app.exec()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_child(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds to the child's first paint, and the CPU seconds the child used in all.

    The CPU figure does not grow when other work shares the machine, the wall figure does.
    """
    cpu = _children_cpu()
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, env=env, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    elapsed = time.perf_counter() - began
    process.wait(timeout=30)
    if line != READY:
        raise SystemExit(f"child {args} did not paint (said {line!r})")
    return elapsed, _children_cpu() - cpu


# -- measurements ---------------------------------------------------------------------------


def make_workspace(folder: Path):
    from rrmdesk import Workspace

    workspace, _ = Workspace.create(folder, "passphrase", PASSPHRASE, analyst="Bench Analyst")
    return workspace


def measure_start(root: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    from rrmdesk.demo import load_demo

    workspace = make_workspace(root / "demo")
    with workspace.unlock(PASSPHRASE) as store:
        load_demo(store)
    child_env = {**env, "RRMDESK_PASSPHRASE": PASSPHRASE}
    app = [time_child(["--child-app", str(workspace.path)], child_env) for _ in range(runs)]
    bare = [time_child(["--child-bare"], env) for _ in range(runs)]
    start, floor = statistics.median(t for t, _ in app), statistics.median(t for t, _ in bare)
    start_cpu, floor_cpu = statistics.median(c for _, c in app), statistics.median(c for _, c in bare)
    return {"start_s": round(start, 3), "bare_qt_start_s": round(floor, 3), "start_ratio": round(start / floor, 2),
            "start_cpu_s": round(start_cpu, 3), "bare_qt_cpu_s": round(floor_cpu, 3),
            "load_average": round(os.getloadavg()[0], 1)}


def measure_scroll(root: Path, cases: int) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from rrmdesk import Case, vocab
    from ui.messages import MessageBridge
    from ui.navigator import Navigator
    from ui.session import Session

    rng = random.Random(20240501)
    workspace = make_workspace(root / "many")
    session = Session(workspace)
    session.unlock(PASSPHRASE)
    store = session.store
    words = ["election", "leak", "cloned", "site", "network", "bot", "campaign", "forum", "video", "channel"]
    began = time.perf_counter()
    store.add_many([Case(title=f"{' '.join(rng.sample(words, 3)).capitalize()} {n}", tlp=rng.choice(vocab.TLP),
                         status=rng.choice(vocab.CASE_STATUS), severity=rng.choice(vocab.SEVERITY),
                         target_countries=rng.sample(["FR", "DE", "IT", "CA", "JP", "GB", "US"], 2))
                    for n in range(cases)])
    add_s = time.perf_counter() - began

    began = time.perf_counter()
    floor = store.case_page(limit=cases)
    floor_s = time.perf_counter() - began
    assert len(floor) == cases
    del floor

    app = QApplication.instance() or QApplication(sys.argv[:1])
    navigator = Navigator(session, MessageBridge())
    navigator.resize(480, 900)
    navigator.show()
    app.processEvents()
    before = rss_mb()
    began = time.perf_counter()
    navigator.apply_filter()
    view, model = navigator.case_view, navigator.cases
    while True:
        view.scrollToBottom()
        app.processEvents()  # the bench plays the event loop; the view asks for more pages itself
        if not model.canFetchMore():
            break
    view.scrollToBottom()
    app.processEvents()
    scroll_s = time.perf_counter() - began
    grown = rss_mb() - before
    assert model.rowCount() == cases, model.rowCount()
    assert view.rowAt(view.viewport().height() - 2) in (cases - 1, -1) or view.verticalScrollBar().value() == view.verticalScrollBar().maximum()
    navigator.close()
    session.lock()
    return {"cases": cases, "add_many_s": round(add_s, 2), "scroll_s": round(scroll_s, 3),
            "scroll_mb": round(grown, 1), "page_floor_s": round(floor_s, 3),
            "scroll_ratio": round(scroll_s / floor_s, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child-app")
    parser.add_argument("--child-bare", action="store_true")
    args = parser.parse_args()
    if args.child_app:
        child_app(args.child_app)
        return
    if args.child_bare:
        child_bare()
        return
    env = dict(os.environ)
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="rrmdesk-bench-gui-") as tmp:
        root = Path(tmp)
        env["XDG_CONFIG_HOME"] = str(root / "config")  # the app's settings, not the user's
        os.environ["XDG_CONFIG_HOME"] = env["XDG_CONFIG_HOME"]
        figures = {"bench": "gui", **measure_start(root, args.runs, env), **measure_scroll(root, args.cases)}
    figures["targets_met"] = figures["start_s"] <= 2 and figures["scroll_s"] <= 1 and figures["scroll_mb"] <= 150
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
