"""Screenshots of the main window on the demo workspace and of every case tab, for a person to look at.

They are written to ``screenshots/`` at the repository root (ignored by git).
"""

from __future__ import annotations

import re

from rrmdesk.demo import load_demo
from tests.conftest import REPO

SHOTS = REPO / "screenshots"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def test_screenshots_of_every_tab(qtbot, window):
    load_demo(window.session.store)
    window.refresh()
    window.resize(1600, 1000)
    navigator = window.navigator
    qtbot.waitUntil(lambda: navigator.cases.rowCount() > 0)
    navigator.case_view.selectRow(0)
    assert window.workspace.case is not None
    SHOTS.mkdir(exist_ok=True)
    written = []
    for number in range(window.workspace.tabs.count()):
        window.workspace.tabs.setCurrentIndex(number)
        tab = window.workspace.current_tab()
        if hasattr(tab, "view") and tab.view.model().rowCount():
            tab.view.selectRow(0)
        qtbot.waitUntil(lambda: not window.tasks.busy)
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
