"""On a 1366×768 laptop screen (a 1229×691 window) every part of the window stays readable and
within reach: seen in screenshots, where case titles were two letters wide, the case title took
four lines and the Graph tab's buttons were pushed out of sight."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from rrmdesk import Narrative
from tests.charts.datasets import demo_case, store_case
from tests.ui.helpers import WAIT_MS
from tests.ui.test_case_tabs import open_new_case
from ui.views import GraphView, TimelineView

LAPTOP = (1229, 691)
#: the window's parts at that size, as ``MainWindow._fit_to_screen`` splits it
NAVIGATOR, CASE_AREA, INSPECTOR = 337, 660, 220


def _laptop(window) -> None:
    window.resize(*LAPTOP)
    window.splitter.setSizes([NAVIGATOR, CASE_AREA, INSPECTOR])
    QApplication.processEvents()


def test_case_titles_keep_most_of_a_narrow_case_list(window) -> None:
    window.session.store.create_case("Doppelganger: spoofed news sites targeting Europe", tlp="amber+strict")
    window.refresh()
    _laptop(window)
    view = window.navigator.case_view
    assert view.isColumnHidden(4)  # Modified goes first; the tooltip keeps the date
    assert view.columnWidth(0) > view.columnWidth(1) + view.columnWidth(2) - 60
    tooltip = window.navigator.cases.index(0, 0).data(3)  # ToolTipRole
    assert "TLP:AMBER+STRICT" in tooltip and "modified 20" in tooltip
    window.splitter.setSizes([600, 500, 129])
    QApplication.processEvents()
    assert not view.isColumnHidden(4)
    assert view.columnWidth(0) > 200


def test_the_case_title_keeps_one_line_beside_long_facts(window) -> None:
    open_new_case(window, summary="x", target_countries=["DE", "FR", "GB", "IL", "IT", "LV", "PL", "UA", "US"],
                  severity="critical")
    window.session.store.edit(window.workspace.case.id, title="Doppelganger: spoofed news sites targeting Europe")
    window.refresh()
    window.workspace.open(window.workspace.case.id)
    _laptop(window)
    title, facts = window.workspace.title, window.workspace.facts
    assert "targets DE, FR" in facts.text()
    assert title.height() < 2 * title.fontMetrics().height()
    assert facts.geometry().top() >= title.geometry().bottom()


@pytest.mark.parametrize("kind", [GraphView, TimelineView])
def test_chart_views_fit_a_laptop_and_lay_the_chart_out_for_the_size_shown(qtbot, store, kind) -> None:
    snapshot = demo_case()
    store_case(store, snapshot)
    view = kind(store)
    qtbot.addWidget(view)
    view.resize(CASE_AREA - 20, 560)
    view.show()
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.set_case(snapshot.case.id)
    qtbot.waitUntil(lambda: not view.busy, timeout=WAIT_MS)
    assert view.minimumSizeHint().width() <= CASE_AREA - 20
    view.canvas.draw()
    renderer = view.canvas.get_renderer()
    boxes = {t.get_gid(): t.get_window_extent(renderer) for t in view.canvas.figure.texts if t.get_gid()}
    # laid out for the size it is shown at: the title and the production line stay clear of the banners
    assert not boxes["chart-title"].overlaps(boxes["tlp-banner-top"])
    assert not boxes["chart-produced"].overlaps(boxes["tlp-banner-bottom"])
    assert boxes["tlp-banner-top"].x1 <= view.canvas.width() * view.canvas.devicePixelRatioF() + 1


def test_the_audit_number_column_shows_four_digit_numbers(window) -> None:
    case = open_new_case(window, summary="x")
    window.session.store.add_many([Narrative(case_id=case.id, title=f"Narrative {n}") for n in range(1000)])
    window.refresh()
    window.workspace.open(case.id)
    tab = window.workspace.tab("Audit")
    window.workspace.tabs.setCurrentWidget(tab)
    QApplication.processEvents()
    last = window.session.store.audit_entries(case.id)[-1].seq
    assert last >= 1000
    assert tab.view.columnWidth(0) >= tab.view.fontMetrics().horizontalAdvance(str(last)) + 8


def test_a_graph_that_grows_for_its_keys_settles_in_the_case_tab(qtbot, window) -> None:
    """A chart taller than its tab brings in the scroll bar; the narrower canvas must not set off
    another layout that loses the bar again, and so on forever (seen on a laptop screen)."""
    snapshot = demo_case()
    store_case(window.session.store, snapshot)
    window.refresh()
    window.open_case(snapshot.case.id)
    _laptop(window)
    tab = window.workspace.tab("Graph")
    window.workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.canvas is not None and not tab.view.busy, timeout=WAIT_MS)
    figure_height = tab.view.canvas.figure.get_figheight() * 100
    assert tab.view.canvas.height() >= figure_height - 1  # grown for its keys, shown whole (the tab scrolls)
    renders = tab.view._generation
    qtbot.wait(1500)  # several refit periods: a loop would have rendered again by now
    assert tab.view._generation == renders and not tab.view.busy
