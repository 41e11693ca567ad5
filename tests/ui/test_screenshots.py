"""Screenshots of the main window on the demo workspace and of every case tab, for a person to look at.

They are written to ``screenshots/`` at the repository root (ignored by git).
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTableView

from rrmdesk.demo import load_demo
from tests.conftest import REPO
from tests.ui.helpers import WAIT_MS
from ui.main_window import MainWindow
from ui.messages import MessageBridge
from ui.session import Session
from ui.settings import Preferences
from ui.views.chart_view import ChartView

SHOTS = REPO / "screenshots"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def dark_palette() -> QPalette:
    """A dark system palette, as a desktop in dark mode hands the app."""
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.AlternateBase, "#262626"),
                         (QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.Button, "#353535"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"), (QPalette.ColorRole.Highlight, "#2f65ca"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff"), (QPalette.ColorRole.PlaceholderText, "#9a9a9a"),
                         (QPalette.ColorRole.ToolTipBase, "#353535"), (QPalette.ColorRole.ToolTipText, "#e6e6e6")):
        palette.setColor(role, QColor(colour))
    return palette


def dark_screenshot(qtbot, window) -> Path:
    """A window started under a dark system palette (as in dark mode), on the same workspace."""
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        dark = MainWindow(Session(window.session.workspace), MessageBridge(), Preferences())
        qtbot.addWidget(dark)
        dark.resize(1920, 1080)
        dark.show()
        dark.start()
        qtbot.waitUntil(lambda: dark.workspace.case is not None, timeout=WAIT_MS)
        dark.navigator.search.setText("Doppelganger")
        dark.navigator.run_search()
        qtbot.waitUntil(lambda: not dark.tasks.busy, timeout=WAIT_MS)
        path = SHOTS / "22-dark.png"
        assert dark.grab().save(str(path))
        dark.close()
    finally:
        app.setPalette(light)
    return path


def test_screenshots_of_every_tab(qtbot, window):
    load_demo(window.session.store)
    window.refresh()
    window.resize(1920, 1080)  # a common analyst monitor
    navigator = window.navigator
    qtbot.waitUntil(lambda: navigator.cases.rowCount() > 0, timeout=WAIT_MS)
    navigator.case_view.selectRow(0)
    assert window.workspace.case is not None
    SHOTS.mkdir(exist_ok=True)
    written = []
    for number in range(window.workspace.tabs.count()):
        window.workspace.tabs.setCurrentIndex(number)
        tab = window.workspace.current_tab()
        view = getattr(tab, "view", None)
        if isinstance(view, QTableView) and view.model().rowCount():
            view.selectRow(0)
        if isinstance(view, ChartView):
            qtbot.waitUntil(lambda: view.canvas is not None and not view.busy, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT_MS)
        qtbot.wait(50)
        path = SHOTS / f"{number:02d}-{slug(window.workspace.tabs.tabText(number))}.png"
        assert window.grab().save(str(path))
        written.append(path)
    window.workspace.tabs.setCurrentIndex(0)
    navigator.search.setText("Doppelganger")
    navigator.run_search()
    assert navigator.results.rowCount() > 0
    path = SHOTS / "20-search.png"
    assert window.grab().save(str(path))
    written.append(path)
    written.append(dark_screenshot(qtbot, window))
    window.lock_now()
    path = SHOTS / "21-locked.png"
    assert window.grab().save(str(path))
    written.append(path)
    assert all(p.stat().st_size > 10_000 for p in written)
