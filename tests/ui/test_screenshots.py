"""Screenshots of the main window on the demo workspace and of every case tab, for a person to look at.

They are written to ``screenshots/`` at the repository root (ignored by git).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QTableView

from rrmdesk.demo import load_demo
from tests.conftest import REPO
from ui.views.chart_view import ChartView

SHOTS = REPO / "screenshots"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_screenshots_of_every_tab(qtbot, window):
    load_demo(window.session.store)
    window.refresh()
    window.resize(1920, 1080)  # a common analyst monitor
    navigator = window.navigator
    qtbot.waitUntil(lambda: navigator.cases.rowCount() > 0)
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
            qtbot.waitUntil(lambda: view.canvas is not None and not view.busy, timeout=20000)
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20000)
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
    window.lock_now()
    path = SHOTS / "21-locked.png"
    assert window.grab().save(str(path))
    written.append(path)
    assert all(p.stat().st_size > 10_000 for p in written)
