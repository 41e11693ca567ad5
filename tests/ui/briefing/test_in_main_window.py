"""The dialog over the real main window, with its session, task runner and bridge, as the
Case ▸ Briefing… action opens it."""

from __future__ import annotations

from rrmdesk import Actor, Event
from tests.ui.briefing.conftest import wait_for_outline
from ui.briefing import run_briefing_dialog


def test_the_main_window_opens_the_dialog_on_its_open_case(qtbot, window):
    store = window.session.store
    case = store.create_case("Main window case", tlp="green")
    actor = store.add(Actor(case_id=case.id, name="Outlet"))
    store.add(Event(case_id=case.id, title="First article", start="2024-03-01", actor_ids=[actor.id]))
    window.refresh()
    window.open_case(case.id)
    dialog = run_briefing_dialog(window, window.session, window.tasks, window.bridge, window.exchange.current_case())
    wait_for_outline(qtbot, dialog)
    assert dialog.selected_cases() == [case.id]
    rows = {heading: holds for heading, holds, _marking in dialog.outline.rows()}
    assert rows["Chronology"] == "1 event" and rows["Actors and attribution"] == "1 actor"
    dialog.reject()
