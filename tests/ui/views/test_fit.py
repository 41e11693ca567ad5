"""The chart tabs in the main window: the figure fills its canvas and every control is on screen.

Run at the two common analyst monitor sizes; the pictures are written to ``screenshots/`` so a
person can look at them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QSpinBox, QWidget

from rrmdesk.demo import load_demo
from tests.conftest import REPO
from tests.ui.helpers import WAIT_MS
from ui.views.chart_view import SCREEN_DPI, ChartView

SHOTS = REPO / "screenshots"


def open_tab(qtbot, window, name: str) -> tuple[QWidget, ChartView]:
    tabs = window.workspace.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == name)
    tabs.setCurrentIndex(index)
    tab = window.workspace.current_tab()
    qtbot.waitUntil(lambda: isinstance(tab.view, ChartView) and tab.view.canvas is not None and not tab.view.busy,
                    timeout=WAIT_MS)
    return tab, tab.view


def right_edge(widget: QWidget, window: QWidget) -> int:
    return widget.mapTo(window, QPoint(widget.width(), 0)).x()


@pytest.mark.parametrize("size", [(1600, 1000), (1920, 1080)])
def test_charts_fill_their_canvas_and_every_control_shows(qtbot, window, size):
    load_demo(window.session.store)
    window.refresh()
    window.resize(*size)
    qtbot.waitUntil(lambda: window.navigator.cases.rowCount() > 0, timeout=WAIT_MS)
    window.navigator.case_view.selectRow(0)
    for name in ("Timeline", "Graph"):
        tab, view = open_tab(qtbot, window, name)
        canvas = view.canvas
        width, height = canvas.figure.get_size_inches()
        # laid out for the canvas it is shown in, not stretched from another size
        assert abs(width * SCREEN_DPI - canvas.width()) <= 10 and abs(height * SCREEN_DPI - canvas.height()) <= 10
        assert canvas.width() > 540 and canvas.height() > 550
        visible = right_edge(tab, window)
        controls = [w for w in view.findChildren(QWidget) if isinstance(w, (QAbstractButton, QComboBox, QLineEdit,
                                                                            QSpinBox)) and w.isVisible()]
        assert controls
        cut = [w.accessibleName() or getattr(w, "text", lambda: "")() for w in controls
               if right_edge(w, window) > visible]
        assert not cut, f"cut off at the right: {cut}"
        SHOTS.mkdir(exist_ok=True)
        assert window.grab().save(str(SHOTS / f"views-{size[0]}x{size[1]}-{name.lower()}.png"))


def test_a_resized_canvas_gets_a_figure_laid_out_for_its_new_size(qtbot, window):
    load_demo(window.session.store)
    window.refresh()
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.navigator.cases.rowCount() > 0, timeout=WAIT_MS)
    window.navigator.case_view.selectRow(0)
    _, view = open_tab(qtbot, window, "Timeline")
    before = view.canvas.figure
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: view.canvas.figure is not before and not view.busy, timeout=WAIT_MS)
    width, _ = view.canvas.figure.get_size_inches()
    assert abs(width * SCREEN_DPI - view.canvas.width()) <= 10
