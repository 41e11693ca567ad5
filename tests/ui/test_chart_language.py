"""The chart language preference: the Timeline and Graph tabs (and so exported charts) draw
their words in French once the analyst chooses it, and in English by default."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from rrmdesk import Actor, Event, Relationship
from tests.ui.helpers import WAIT_MS
from tests.ui.test_case_tabs import open_new_case
from ui import settings
from ui.settings import Preferences


def _drawn(qtbot, window, tab_title: str) -> list[str]:
    tab = window.workspace.tab(tab_title)
    window.workspace.tabs.setCurrentWidget(tab)
    QApplication.processEvents()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.canvas is not None and not tab.view.busy,
                    timeout=WAIT_MS)
    return [t.get_text() for t in tab.view.canvas.figure.findobj(lambda a: hasattr(a, "get_text"))]


def test_charts_follow_the_chart_language_preference(qtbot, window, tmp_path):
    case = open_new_case(window, summary="x")
    store = window.session.store
    agency = store.add(Actor(case_id=case.id, name="Social Design Agency", kind="state-affiliated"))
    outlet = store.add(Actor(case_id=case.id, name="RRN", kind="media-outlet"))
    store.add(Relationship(case_id=case.id, source_id=agency.id, target_id=outlet.id, type="controls"))
    store.add(Event(case_id=case.id, title="Clone of a daily registered", start="2024-03-05", actor_ids=[agency.id]))
    window.refresh()
    assert f"{case.title}: timeline" in _drawn(qtbot, window, "Timeline")
    graph = _drawn(qtbot, window, "Graph")
    assert "Nodes" in graph and "controls" in graph

    window.actions["preferences"].trigger()
    dialog = window.dialog
    assert dialog.chart_language.currentData() == "en"
    dialog.chart_language.setCurrentIndex(dialog.chart_language.findData("fr"))
    dialog.accept()
    assert Preferences().get(settings.CHART_LANGUAGE) == "fr"
    graph = _drawn(qtbot, window, "Graph")
    assert "Nœuds" in graph and "Nodes" not in graph and "controls" not in graph
    timeline = _drawn(qtbot, window, "Timeline")
    assert f"{case.title}\u00a0: chronologie" in timeline
    assert not any("timeline" in text for text in timeline)
    exported = window.workspace.tab("Timeline").view.export_chart(tmp_path / "chart.svg")
    assert "chronologie" in exported.read_text(encoding="utf-8")
