"""Correlation in the main window: the Related tab, the observable marker and the clusters window.

Driven the way an analyst works, on the demo workspace: open a case, read its Related tab,
double-click a related case, click a ↔ marker, open Workspace ▸ Clusters of related cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from rrmdesk import Observable
from rrmdesk.correlation import correlate
from rrmdesk.demo import load_demo
from tests.ui.helpers import WAIT_MS
from ui.correlation import ClustersDialog
from ui.correlation.clusters_view import CaseRole as ClusterCaseRole

SHOTS = Path(__file__).resolve().parents[3] / "screenshots"
FIAT_RUSSIA = "Russian interference in the 2020 US presidential election"
FIAT_CHINA = "Chinese influence activity around the 2020 US election"
DOPPELGANGER = "Doppelganger: spoofed news sites targeting Europe"


@pytest.fixture
def demo_window(window):
    """The main window on the demo workspace, the case list filled."""
    load_demo(window.session.store)
    window.refresh()
    window.resize(1600, 950)
    return window, {c.title: c.id for c in window.session.store.list_cases()}


def double_click(view: QAbstractItemView, index: QModelIndex) -> None:
    """Click then double-click, as a mouse does (an item view acts on a double-click after a press)."""
    view.scrollTo(index)
    point = view.visualRect(index).center()
    for click in (QTest.mouseClick, QTest.mouseDClick):
        click(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def tab_title(window, title: str) -> str:
    return window.workspace.tabs.tabText(window.workspace.tabs.indexOf(window.workspace.tab(title)))


def related_rows(panel) -> list[str]:
    model = panel.tree.model()
    return [model.index(row, 3).data() for row in range(model.rowCount())]


def test_related_tab_lists_the_related_cases_and_opens_one(qtbot, demo_window) -> None:
    window, ids = demo_window
    window.open_case(ids[FIAT_RUSSIA])
    tab = window.workspace.tab("Related")
    window.workspace.tabs.setCurrentWidget(tab)
    qtbot.waitExposed(tab.panel.tree, timeout=WAIT_MS)
    expected = [c.title for c in correlate(window.session.store, ids[FIAT_RUSSIA])]
    assert expected and related_rows(tab.panel) == expected
    assert tab_title(window, "Related") == f"Related ({len(expected)})"  # seen without opening the tab
    SHOTS.mkdir(exist_ok=True)
    assert window.grab().save(str(SHOTS / "correlation-related-tab.png"))

    china = tab.panel.tree.model().index(related_rows(tab.panel).index(FIAT_CHINA), 3)
    double_click(tab.panel.tree, china)
    qtbot.waitUntil(lambda: window.workspace.case.id == ids[FIAT_CHINA], timeout=WAIT_MS)
    assert window.windowTitle().endswith(FIAT_CHINA)
    assert FIAT_RUSSIA in related_rows(tab.panel)  # the tab now shows the case just opened


def test_confirm_and_dismiss_from_the_tab_are_audited(qtbot, demo_window) -> None:
    window, ids = demo_window
    window.open_case(ids[FIAT_RUSSIA])
    panel = window.workspace.tab("Related").panel
    window.workspace.tabs.setCurrentWidget(window.workspace.tab("Related"))

    def select(title: str) -> None:
        index = panel.tree.model().index(related_rows(panel).index(title), 0)
        panel.tree.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)

    before = len(related_rows(panel))
    select(FIAT_CHINA)
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert panel.tree.model().index(0, 2).data() == "confirmed"
    select(FIAT_CHINA)
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert FIAT_CHINA not in related_rows(panel)
    assert tab_title(window, "Related") == (f"Related ({before - 1})" if before > 1 else "Related")
    store = window.session.store
    for case in (FIAT_RUSSIA, FIAT_CHINA):
        entries = [e for e in store.audit_entries(ids[case]) if e.action.startswith("correlation-")]
        assert [e.action for e in entries] == ["correlation-confirm", "correlation-dismiss"]
    assert store.verify_audit().ok


def test_observable_added_in_the_tab_gets_a_marker_that_opens_the_other_case(qtbot, demo_window) -> None:
    window, ids = demo_window
    store = window.session.store
    mine = store.create_case("Spoofed sites seen by a partner")
    window.refresh()
    window.open_case(mine.id)
    assert tab_title(window, "Related") == "Related"
    tab = window.workspace.tab("Observables")
    window.workspace.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert dialog.isVisible()
    line = dialog.findChild(QLineEdit)
    qtbot.keyClicks(line, "hxxps://www.spiegel[.]ltd/politik")  # defanged, as pasted from a report
    qtbot.keyClick(line, Qt.Key.Key_Return)
    added = tab.current_record()
    assert isinstance(added, Observable) and added.kind == "url"
    qtbot.waitUntil(lambda: tab.marker.markers.cases(added.id) == [ids[DOPPELGANGER]], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: tab_title(window, "Related") == "Related (1)", timeout=WAIT_MS)
    tab.view.clearSelection()
    qtbot.wait(10)
    assert window.grab().save(str(SHOTS / "correlation-observable-marker.png"))

    rect = tab.view.visualRect(tab.model.index(tab.model.row_of(added.id), 0))
    QTest.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(rect.right() - 8, rect.center().y()))
    qtbot.waitUntil(lambda: window.workspace.case.id == ids[DOPPELGANGER], timeout=WAIT_MS)


def test_an_observable_without_a_match_has_no_marker(qtbot, demo_window) -> None:
    window, _ids = demo_window
    mine = window.session.store.create_case("A quiet case")
    window.session.store.add(Observable(case_id=mine.id, value="nowhere-else.example"))
    window.refresh()
    window.open_case(mine.id)
    tab = window.workspace.tab("Observables")
    window.workspace.tabs.setCurrentWidget(tab)
    record = tab.model.record(0)
    assert tab.marker.markers.cases(record.id) == []
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(tab.dialog.findChild(QLineEdit), "   ")
    qtbot.keyClick(tab.dialog.findChild(QLineEdit), Qt.Key.Key_Return)  # nothing pasted: nothing added
    assert tab.model.rowCount() == 1
    rect = tab.view.visualRect(tab.model.index(0, 0))
    QTest.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(rect.right() - 8, rect.center().y()))
    assert window.workspace.case.id == mine.id


def test_clusters_window_from_the_workspace_menu_opens_a_case(qtbot, demo_window) -> None:
    window, ids = demo_window
    action = window.actions["clusters"]
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+Shift+R"
    workspace_menu = window.menuBar().actions()[0].menu()
    assert action in workspace_menu.actions()
    action.trigger()
    dialog = window.clusters
    assert isinstance(dialog, ClustersDialog) and dialog.isVisible()
    qtbot.waitUntil(lambda: bool(dialog.view.found) and dialog.view.find_button.isEnabled(), timeout=WAIT_MS)
    model = dialog.view.tree.model()
    first = model.index(0, 0)
    members = [model.index(row, 0, first).data(ClusterCaseRole) for row in range(model.rowCount(first))]
    assert {ids[FIAT_RUSSIA], ids[FIAT_CHINA]} <= set(members)
    qtbot.wait(10)
    assert dialog.grab().save(str(SHOTS / "correlation-clusters-window.png"))

    target = next(row for row, case_id in enumerate(members) if case_id != window.workspace.case.id)
    double_click(dialog.view.tree, model.index(target, 0, first))
    qtbot.waitUntil(lambda: window.workspace.case.id == members[target], timeout=WAIT_MS)


def test_locking_closes_the_clusters_window_and_empties_the_related_tab(qtbot, demo_window) -> None:
    window, ids = demo_window
    window.open_case(ids[FIAT_RUSSIA])
    window.actions["clusters"].trigger()
    dialog = window.clusters
    qtbot.waitUntil(lambda: bool(dialog.view.found) and dialog.view.find_button.isEnabled(), timeout=WAIT_MS)
    window.show_preferences()  # another dialog opened since: locking still closes the clusters
    window.lock_now()
    assert not dialog.isVisible() and not window.actions["clusters"].isEnabled()
    assert dialog.view.found == [] and dialog.view.tree.model().rowCount() == 0
    assert window.workspace.tab("Related").panel is None and tab_title(window, "Related") == "Related"
    window.unlock()
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    window.actions["clusters"].trigger()  # the same window again, on the new unlock's store
    assert window.clusters is dialog and dialog.isVisible()
    qtbot.waitUntil(lambda: bool(dialog.view.found) and dialog.view.find_button.isEnabled(), timeout=WAIT_MS)

