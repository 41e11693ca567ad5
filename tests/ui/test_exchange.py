"""Import, STIX/MISP export and briefings from the window, on workers, into files the analyst chose."""

from __future__ import annotations

import json

from rrmdesk import Actor, Event
from tests.ui.helpers import WAIT_MS


def busy_done(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT_MS)


def make_case(window):
    store = window.session.store
    case = store.create_case("Exchange case", tlp="green", target_countries=["FR"])
    actor = store.add(Actor(case_id=case.id, name="Outlet"))
    store.add(Event(case_id=case.id, title="First article", start="2024-03-01", actor_ids=[actor.id]))
    window.refresh()
    window.open_case(case.id)
    return case


def test_exports_write_only_the_chosen_files(qtbot, window, tmp_path):
    case = make_case(window)
    stix, misp = tmp_path / "case.json", tmp_path / "case-misp.json"
    window.exchange.export_stix_to(case.id, stix)
    busy_done(qtbot, window)
    bundle = json.loads(stix.read_text(encoding="utf-8"))
    assert bundle["type"] == "bundle" and any(o["type"] == "threat-actor" or o["type"] == "identity"
                                               for o in bundle["objects"])
    window.exchange.export_misp_to(case.id, misp)
    busy_done(qtbot, window)
    assert "Event" in json.loads(misp.read_text(encoding="utf-8"))
    exports = [e for e in window.session.store.audit_entries(case.id) if e.action == "export"]
    assert [e.change_dict()["format"] for e in exports] == ["stix", "misp"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["case-misp.json", "case.json"]


def test_import_opens_the_case_it_filled(qtbot, window, tmp_path):
    case = make_case(window)
    stix = tmp_path / "case.json"
    window.exchange.export_stix_to(case.id, stix)
    busy_done(qtbot, window)
    window.workspace.close_case()
    dialog = window.exchange.import_path(stix)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        dialog.import_button.click()
    with qtbot.waitSignal(window.exchange.imported, timeout=WAIT_MS):
        dialog.open_button.click()
    assert window.workspace.case is not None
    assert "Imported" in window.statusBar().currentMessage()


def test_a_bad_import_file_is_explained(qtbot, window, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("{ this is not json", encoding="utf-8")
    window.exchange.import_path(bad)
    qtbot.waitUntil(lambda: window.bridge.current is not None, timeout=WAIT_MS)
    assert window.bridge.current.informativeText()
    window.bridge.current.accept()


def test_exports_need_an_open_case(window):
    window.workspace.close_case()
    window.actions["export_stix"].trigger()
    assert window.statusBar().currentMessage() == "Open a case first."
