"""The Related cases panel, observable markers and the clusters view, on real Qt widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTableView

from rrmdesk import Observable
from rrmdesk.correlation import correlate
from rrmdesk.demo import load_demo
from tests.conftest import TEST_PASSPHRASE
from tests.ui.helpers import WAIT_MS
from ui.correlation import ClustersView, ObservableMarkers, RelatedCasesPanel, RelatedMarkerDelegate
from ui.correlation.markers import RecordRole
from ui.correlation.related_panel import CaseRole
from ui.tasks import TaskRunner

SHOTS = Path(__file__).resolve().parents[3] / "screenshots"
FIAT_RUSSIA = "Russian interference in the 2020 US presidential election"
FIAT_CHINA = "Chinese influence activity around the 2020 US election"


@pytest.fixture
def demo(passphrase_workspace):
    store = passphrase_workspace[0].unlock(TEST_PASSPHRASE)
    load_demo(store)
    yield store, {c.title: c.id for c in store.list_cases()}
    store.close()


def _top_row(panel: RelatedCasesPanel, title: str) -> int:
    model = panel.tree.model()
    rows = [model.index(r, 3).data() for r in range(model.rowCount())]
    return rows.index(title)


def test_related_cases_panel_lists_and_opens_cases(qtbot, qtmodeltester, demo) -> None:
    store, ids = demo
    panel = RelatedCasesPanel(store, ids[FIAT_RUSSIA])
    qtbot.addWidget(panel)
    panel.resize(900, 500)
    panel.show()
    qtmodeltester.check(panel.tree.model())
    expected = [c.title for c in correlate(store, ids[FIAT_RUSSIA])]
    model = panel.tree.model()
    assert [model.index(r, 3).data() for r in range(model.rowCount())] == expected
    china = model.index(_top_row(panel, FIAT_CHINA), 0)
    shared = [model.index(r, 3, china).data() for r in range(model.rowCount(china))]
    assert "actor: China = China" in shared and any(s.startswith("techniques: ") for s in shared)
    panel.tree.expandAll()
    SHOTS.mkdir(exist_ok=True)
    assert panel.grab().save(str(SHOTS / "correlation-related-cases.png"))
    with qtbot.waitSignal(panel.caseActivated, timeout=WAIT_MS) as opened:
        panel.tree.doubleClicked.emit(model.index(0, 3, china))  # a line under the case opens the case
    assert opened.args == [ids[FIAT_CHINA]]


def test_panel_dismiss_confirm_and_withdraw(qtbot, demo) -> None:
    store, ids = demo
    panel = RelatedCasesPanel(store, ids[FIAT_RUSSIA])
    qtbot.addWidget(panel)

    def select(title: str) -> None:
        index = panel.tree.model().index(_top_row(panel, title), 0)
        panel.tree.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                           | QItemSelectionModel.SelectionFlag.Rows)

    assert not panel.confirm_button.isEnabled()
    select(FIAT_CHINA)
    assert panel.dismiss_button.isEnabled() and not panel.withdraw_button.isEnabled()
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    titles = [panel.tree.model().index(r, 3).data() for r in range(panel.tree.model().rowCount())]
    assert FIAT_CHINA not in titles
    panel.show_dismissed.setChecked(True)
    row = _top_row(panel, FIAT_CHINA)
    assert panel.tree.model().index(row, 2).data() == "dismissed"
    select(FIAT_CHINA)
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    assert panel.tree.model().index(0, 3).data() == FIAT_CHINA  # confirmed cases come first
    assert panel.tree.model().index(0, 2).data() == "confirmed"
    select(FIAT_CHINA)
    qtbot.mouseClick(panel.withdraw_button, Qt.MouseButton.LeftButton)
    actions = [e.action for e in store.audit_entries(ids[FIAT_CHINA]) if e.action.startswith("correlation-")]
    assert actions == ["correlation-dismiss", "correlation-confirm", "correlation-withdraw"]


def test_marker_shows_on_shared_observables_and_opens_the_other_case(qtbot, demo) -> None:
    store, ids = demo
    doppelganger = ids["Doppelganger: spoofed news sites targeting Europe"]
    mine = store.create_case("Spoofed sites seen by a partner")
    shared = store.add(Observable(case_id=mine.id, value="hxxps://www.spiegel[.]ltd/politik"))
    alone = store.add(Observable(case_id=mine.id, value="nowhere-else.example"))
    model = QStandardItemModel()
    for record in (shared, alone):
        item = QStandardItem(record.value)
        item.setData(record, RecordRole)
        model.appendRow(item)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 200)
    view.setColumnWidth(0, 400)
    markers = ObservableMarkers(store, mine.id)
    assert markers.cases(shared.id) == [doppelganger] and markers.cases(alone.id) == []
    delegate = RelatedMarkerDelegate(markers, view)
    view.setItemDelegate(delegate)
    view.show()
    qtbot.waitExposed(view, timeout=WAIT_MS)
    rect = view.visualRect(model.index(0, 0))
    with qtbot.waitSignal(delegate.caseActivated, timeout=WAIT_MS) as opened:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(rect.right() - 8, rect.center().y()))
    assert opened.args == [doppelganger]
    with qtbot.assertNotEmitted(delegate.caseActivated):
        other = view.visualRect(model.index(1, 0))
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(other.right() - 8, other.center().y()))


def test_clusters_view_on_a_worker(qtbot, qtmodeltester, demo, bridge) -> None:
    store, ids = demo
    view = ClustersView(store, TaskRunner(bridge))
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    view.refresh()
    qtbot.waitUntil(lambda: view.find_button.isEnabled(), timeout=WAIT_MS)
    qtmodeltester.check(view.tree.model())
    model = view.tree.model()
    first = model.index(0, 0)
    members = {model.index(r, 0, first).data(CaseRole) for r in range(model.rowCount(first))}
    assert {ids[FIAT_RUSSIA], ids[FIAT_CHINA]} <= members
    assert view.status.text().startswith("1 cluster.") and len(view.found) == 1
    assert view.grab().save(str(SHOTS / "correlation-clusters.png"))
    with qtbot.waitSignal(view.caseActivated, timeout=WAIT_MS) as opened:
        view.tree.doubleClicked.emit(model.index(0, 0, first))
    assert opened.args == [model.index(0, 0, first).data(CaseRole)]


def test_clusters_view_in_place_and_threshold(qtbot, demo) -> None:
    store, ids = demo
    view = ClustersView(store)
    qtbot.addWidget(view)
    view.threshold.setValue(100.0)
    view.refresh()
    assert view.found == [] and view.status.text().startswith("0 clusters.")
