"""An analyst's day through the widgets: case, actor, event, evidence, edit, undo, search, lock."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from rrmdesk import Actor, Event, Evidence
from tests.ui.helpers import WAIT_MS, cell, drop_files, type_into_cell


def create_case(qtbot, window, title: str) -> None:
    window.actions["new_case"].trigger()
    dialog = window.dialog
    qtbot.keyClicks(dialog.title, title)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def test_analyst_workflow(qtbot, window, tmp_path):
    create_case(qtbot, window, "Cloned news sites before the vote")
    case = window.workspace.case
    assert case is not None and case.title == "Cloned news sites before the vote"
    assert "TLP:AMBER" in window.windowTitle()
    assert window.tlp_badge.text() == "TLP:AMBER"
    assert window.navigator.cases.rowCount() == 1

    # an actor, added and named in place
    actors = window.workspace.tab("Actors")
    window.workspace.tabs.setCurrentWidget(actors)
    actors.add_button.click()
    assert actors.model.rowCount() == 1
    type_into_cell(qtbot, actors.view, 0, "Name", "Storm-1516")
    assert actors.model.record(0).name == "Storm-1516"
    stored = window.session.store.parts(case.id, Actor)
    assert [a.name for a in stored] == ["Storm-1516"]

    # an event with a real date
    events = window.workspace.tab("Events")
    window.workspace.tabs.setCurrentWidget(events)
    window.actions["add_item"].trigger()
    type_into_cell(qtbot, events.view, 0, "Title", "Fake article on cloned site")
    type_into_cell(qtbot, events.view, 0, "Start (UTC)", "2024-05-02T08:15Z")
    event = window.session.store.parts(case.id, Event)[0]
    assert (event.title, event.start) == ("Fake article on cloned site", "2024-05-02T08:15:00.000Z")
    assert events.model.data(cell(events.view, 0, "Start (UTC)")) == "2024-05-02 08:15"

    # an evidence file dropped on the table, hashed on a worker
    screenshot = tmp_path / "article.txt"
    screenshot.write_text("Le faux article, capture du 2 mai\n", encoding="utf-8")
    evidence = window.workspace.tab("Evidence")
    window.workspace.tabs.setCurrentWidget(evidence)
    drop_files(evidence.view, [screenshot])
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 1, timeout=WAIT_MS)
    stored_evidence = window.session.store.parts(case.id, Evidence)[0]
    assert stored_evidence.filename == "article.txt" and len(stored_evidence.sha256) == 64

    # edit, undo, redo
    window.workspace.tabs.setCurrentWidget(actors)
    type_into_cell(qtbot, actors.view, 0, "Country", "ru")
    assert window.session.store.get(actors.model.record(0).id).country == "RU"
    window.actions["undo"].trigger()
    assert window.session.store.get(actors.model.record(0).id).country == ""
    assert actors.model.data(cell(actors.view, 0, "Country")) == ""
    window.actions["redo"].trigger()
    assert actors.model.data(cell(actors.view, 0, "Country")) == "RU"

    # search and open the hit: from another case, the hit brings its case and tab back
    create_case(qtbot, window, "Unrelated case")
    assert window.workspace.case.title == "Unrelated case"
    qtbot.keyClicks(window.navigator.search, "Storm")
    qtbot.waitUntil(lambda: window.navigator.results.rowCount() > 0, timeout=WAIT_MS)
    hits = window.navigator.results
    row = next(r for r in range(hits.rowCount()) if hits.hits[r].kind == "actor")
    window.navigator.result_view.activated.emit(hits.index(row))
    assert window.workspace.case.id == case.id
    assert window.workspace.current_tab() is actors
    assert actors.current_record().name == "Storm-1516"

    # lock hides everything; unlock brings the case back
    window.actions["lock"].trigger()
    assert window.session.is_locked
    assert window.stack.currentWidget() is window.locked_page
    assert window.navigator.cases.rowCount() == 0 and actors.model.rowCount() == 0
    assert "locked" in window.windowTitle()
    window.actions["unlock"].trigger()
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    assert window.workspace.case.id == case.id
    assert actors.model.rowCount() == 1


def test_invalid_date_shows_error_and_keeps_old_value(qtbot, window):
    create_case(qtbot, window, "Bad dates")
    events = window.workspace.tab("Events")
    window.workspace.tabs.setCurrentWidget(events)
    events.add_button.click()
    type_into_cell(qtbot, events.view, 0, "Start (UTC)", "2024-03-01")
    type_into_cell(qtbot, events.view, 0, "Start (UTC)", "the second of May")
    box = window.bridge.current
    assert box is not None and box.isVisible()
    assert "'the second of May' is not a valid event start" in box.text()
    assert "ISO 8601" in box.informativeText()
    assert events.model.data(cell(events.view, 0, "Start (UTC)")) == "2024-03-01"
    assert events.model.record(0).start == "2024-03-01T00:00:00.000Z"
    assert window.session.store.get(events.model.record(0).id).start == "2024-03-01T00:00:00.000Z"
    box.accept()
