"""The Briefing dialog as an analyst uses it: options, the live outline, saving where they choose."""

from __future__ import annotations

from pathlib import Path

import docx
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QProgressDialog, QPushButton

from rrmdesk import Event
from tests.ui.briefing.conftest import wait_for_outline
from tests.ui.helpers import WAIT_MS

RUSSIA = "Russian interference in the 2020"
IRAN = "Iranian influence operations"


def outline(dialog) -> dict[str, tuple[str, str]]:
    """Section heading -> (what it holds, marking) as the outline shows it now."""
    return {heading: (holds, marking) for heading, holds, marking in dialog.outline.rows()}


def tick(dialog, case_id: str, checked: bool = True) -> None:
    for row in range(dialog.cases.count()):
        item = dialog.cases.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == case_id:
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def pick_marking(dialog, marking: str) -> None:
    """As the analyst picks from the list (``activated``), so the choice sticks."""
    index = dialog.marking.findData(marking)
    dialog.marking.setCurrentIndex(index)
    dialog.marking.activated.emit(index)


def save_as(dialog, target: Path) -> None:
    """Type the path into the save dialog's file name field and press Save, as the analyst does."""
    name = dialog.save_dialog.findChild(QLineEdit, "fileNameEdit")
    name.setText(str(target))
    dialog.save_dialog.accept()


def test_the_open_case_is_ticked_at_its_marking_and_the_outline_counts_its_content(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    assert dialog.selected_cases() == [desk.case(RUSSIA)]
    assert dialog.chosen_marking() == "amber"
    assert dialog.classification.text() == desk.session.workspace.classification
    shown = outline(dialog)
    assert shown["Briefing note"][0].startswith(RUSSIA)
    assert shown["Chronology"] == ("10 key events of 149, with the timeline figure", "TLP:AMBER")
    assert shown["Actors and attribution"][0].startswith("25 of 58 actors")
    assert shown["Annex A: Evidence"][0].startswith("35 items")
    assert shown["Narratives"][0] == "5 narratives"
    assert dialog.outline.excluded.isHidden()


def test_switching_a_section_off_takes_it_out_of_the_outline_at_once(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    dialog.sections["narratives"].setChecked(False)
    dialog.sections["evidence"].setChecked(False)
    shown = outline(dialog)
    assert "Narratives" not in shown and "Annex A: Evidence" not in shown
    assert "Chronology" in shown and "Annex B: Sources" in shown
    assert dialog.options().without == frozenset({"narratives", "evidence"})


def test_a_lower_marking_drops_the_counts_and_says_what_it_leaves_out(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    tick(dialog, desk.case(IRAN))
    wait_for_outline(qtbot, dialog)
    assert dialog.chosen_marking() == "amber"
    before = outline(dialog)
    assert before["Situation report"][0].count(";") == 1
    assert before["Chronology"][0].startswith("21 of 160 events")
    pick_marking(dialog, "green")
    wait_for_outline(qtbot, dialog)
    after = outline(dialog)
    assert after["Chronology"] == ("11 events, with the timeline figure", "TLP:GREEN")
    assert after["Actors and attribution"][0] == "6 actors, with the actor-link figure"
    assert "Situation report" not in after and after["Briefing note"][0].startswith(IRAN)
    note = dialog.outline.excluded.text()
    assert dialog.outline.excluded.isVisible()
    assert "above TLP:GREEN" in note and "149 events" in note and "1 case" in note and "58 actors" in note
    assert dialog.marking_hint.text().startswith("Below the cases' TLP:AMBER")


def test_records_marked_above_the_case_are_counted_out_by_default(qtbot, desk):
    case_id = desk.case(IRAN)
    store = desk.session.store
    for event in store.parts(case_id, Event)[:3]:
        store.edit(event.id, tlp="red")
    dialog = desk.open(qtbot, case_id)
    assert dialog.chosen_marking() == "green"
    assert outline(dialog)["Chronology"][0].startswith("8 events")
    assert "3 events" in dialog.outline.excluded.text()
    pick_marking(dialog, "red")
    wait_for_outline(qtbot, dialog)
    assert outline(dialog)["Chronology"] == ("11 events, with the timeline figure", "TLP:RED")
    assert dialog.outline.excluded.isHidden()


def test_a_marking_below_every_case_is_refused_before_building(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    pick_marking(dialog, "clear")
    wait_for_outline(qtbot, dialog)
    assert dialog.outline.rows() == []
    assert "TLP:AMBER" in dialog.outline.state.text() and "above TLP:CLEAR" in dialog.outline.state.text()
    assert not dialog.save_button.isEnabled()


def test_no_case_ticked_means_nothing_to_save(qtbot, desk):
    dialog = desk.open(qtbot, None)
    assert dialog.selected_cases() == []
    assert not dialog.save_button.isEnabled()
    assert dialog.outline.state.text() == "Tick at least one case."


def test_french_shows_the_french_headings(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert dialog.sections["chronology"].text() == "Chronologie"
    assert dialog.sections["bluf"].text() == "L'essentiel"
    shown = outline(dialog)
    assert "Note d'information" in shown and "Chronologie" in shown and "Annexe A : Éléments de preuve" in shown


def test_saving_builds_first_then_writes_only_where_the_analyst_chose(qtbot, desk, tmp_path):
    case_id = desk.case(RUSSIA)
    dialog = desk.open(qtbot, case_id)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.version.setText("2.1")
    folder = tmp_path / "out"
    folder.mkdir()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.save_dialog is not None, timeout=WAIT_MS)
    assert list(folder.iterdir()) == []  # built in memory; nothing written yet
    assert dialog.save_dialog.selectedFiles()[0].endswith("-fr.docx")
    target = folder / "note-fr.docx"
    save_as(dialog, target)
    qtbot.waitUntil(lambda: dialog.note.isVisible(), timeout=WAIT_MS)
    assert [p.name for p in folder.iterdir()] == ["note-fr.docx"]
    document = docx.Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert {"L'essentiel", "Jugements clés", "Chronologie", "Acteurs et attribution",
            "Annexe A : Éléments de preuve"} <= set(headings)
    assert any("2.1" == cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert f"Saved the briefing to {target}" in dialog.note.text()
    briefs = [e for e in desk.session.store.audit_entries(case_id) if e.action == "brief"]
    assert [e.change_dict()["language"] for e in briefs] == ["fr"]


def test_declining_the_save_dialog_writes_nothing(qtbot, desk, tmp_path):
    dialog = desk.open(qtbot, desk.case(IRAN))
    statuses: list[str] = []
    desk.bridge.status.connect(statuses.append)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.save_dialog is not None, timeout=WAIT_MS)
    dialog.save_dialog.reject()
    assert statuses[-1] == "The briefing was not saved."
    assert dialog.save_button.isEnabled() and dialog.note.isHidden()
    assert not [e for e in desk.session.store.audit_entries(desk.case(IRAN)) if e.action == "brief"]


def test_a_bad_template_is_flagged_and_the_briefing_still_saves_with_the_note(qtbot, desk, tmp_path):
    bad = tmp_path / "ministry.docx"
    bad.write_text("this is not a Word document", encoding="utf-8")
    dialog = desk.open(qtbot, desk.case(IRAN))
    dialog.set_template(bad)
    qtbot.waitUntil(lambda: dialog.template_warning.isVisible(), timeout=WAIT_MS)
    assert "cannot be used as a Word template" in dialog.template_warning.text()
    assert "default template was used" in dialog.template_warning.text()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.save_dialog is not None, timeout=WAIT_MS)
    target = tmp_path / "note.docx"
    save_as(dialog, target)
    qtbot.waitUntil(lambda: dialog.note.isVisible(), timeout=WAIT_MS)
    assert "For you, not in the document:" in dialog.note.text()
    assert "cannot be used as a Word template" in dialog.note.text()
    assert docx.Document(str(target)).paragraphs
    dialog.set_template(None)
    assert dialog.template_warning.isHidden() and dialog.template.text().startswith("Default template")


def test_cancelling_the_build_writes_nothing_and_lets_the_analyst_try_again(qtbot, desk, tmp_path):
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    statuses: list[str] = []
    desk.bridge.status.connect(statuses.append)
    dialog.save_button.click()
    desk.window.findChild(QProgressDialog).findChild(QPushButton).click()  # the progress dialog's Cancel
    qtbot.waitUntil(lambda: not desk.tasks.busy, timeout=WAIT_MS)
    assert statuses[-1] == "Cancelled; nothing was changed."
    assert dialog.save_dialog is None and dialog.save_button.isEnabled()


def test_closing_the_dialog_while_it_builds_drops_the_briefing(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(IRAN))
    statuses: list[str] = []
    desk.bridge.status.connect(statuses.append)
    dialog.save_button.click()
    dialog.reject()
    qtbot.waitUntil(lambda: not desk.tasks.busy, timeout=WAIT_MS)
    assert statuses[-1] == "The Briefing dialog was closed; the briefing was not saved."
    assert desk.window.findChild(QFileDialog) is None
    assert not [e for e in desk.session.store.audit_entries(desk.case(IRAN)) if e.action == "brief"]


def test_locking_the_workspace_closes_the_dialog(qtbot, desk):
    dialog = desk.open(qtbot, desk.case(IRAN))
    with qtbot.waitSignal(dialog.finished, timeout=WAIT_MS):
        desk.session.lock()
    assert dialog.closed
