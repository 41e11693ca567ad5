"""On a 1366×768 laptop screen (a 1229×691 window) every part of the window stays readable and
within reach: seen in screenshots, where case titles were two letters wide, the case title took
four lines and the Graph tab's buttons were pushed out of sight."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from rrmdesk import Narrative
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


def test_chart_views_fit_the_case_area_of_a_laptop(store) -> None:
    for view in (GraphView(store), TimelineView(store)):
        assert view.minimumSizeHint().width() <= CASE_AREA - 20, type(view).__name__


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
