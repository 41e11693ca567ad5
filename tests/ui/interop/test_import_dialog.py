"""The Import dialog driven through its widgets on a passphrase workspace, with screenshots."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QPushButton, QWidget

from rrmdesk import Actor, Event, Evidence, Workspace
from rrmdesk.interop.stix_export import export_case
from tests.conftest import TEST_PASSPHRASE
from tests.shared_data import shared
from tests.ui.helpers import WAIT_MS
from ui.interop import ImportDialog, run_import_dialog
from ui.messages import MessageBridge
from ui.session import Session
from ui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[3]
SHOTS = REPO / "screenshots"
FIAT = shared("dfrlab-fiat-2020", "DFRLab_interference2020.csv")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    assert widget.grab().save(str(SHOTS / f"import-{name}.png"))


class Desk:
    """A session, task runner and bridge around an unlocked passphrase workspace, as the window has."""

    def __init__(self, qtbot, workspace: Workspace) -> None:
        self.session = Session(workspace)
        self.session.adopt(workspace.unlock(TEST_PASSPHRASE))
        self.bridge = MessageBridge()
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.window.resize(1100, 800)
        self.window.show()
        self.bridge.window = self.window
        self.tasks = TaskRunner(self.bridge, self.window)

    def dialog(self, qtbot, path: Path, case_id: str | None = None) -> ImportDialog:
        dialog = run_import_dialog(self.window, self.session, self.tasks, self.bridge, path, case_id)
        qtbot.waitExposed(dialog, timeout=WAIT_MS)
        return dialog

    def wait(self, qtbot) -> None:
        qtbot.waitUntil(lambda: not self.tasks.busy, timeout=WAIT_MS)


@pytest.fixture
def desk(qtbot, passphrase_workspace) -> Iterator[Desk]:
    workspace, _ = passphrase_workspace
    made = Desk(qtbot, workspace)
    yield made
    made.tasks.cancel_all()
    QThreadPool.globalInstance().waitForDone()
    made.session.lock()


def choose(combo, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setCurrentIndex(index)


def test_fiat_csv_mapped_previewed_imported_and_reported(qtbot, desk):
    dialog = desk.dialog(qtbot, FIAT)
    assert dialog.format_label.text() == "CSV spreadsheet"
    assert not dialog.import_button.isEnabled()  # nothing mapped yet
    assert "title" in dialog.problem.text()

    choose(dialog.column_combo("title"), "short_title")
    choose(dialog.column_combo("start"), "start_date")
    choose(dialog.column_combo("end"), "end_date")
    choose(dialog.column_combo("actors"), "disinformant")
    choose(dialog.column_combo("urls"), "attribution_url")
    qtbot.keyClicks(dialog.fixed_edit("actor_kind"), "state-affiliated")
    dialog.separator.clear()
    qtbot.keyClicks(dialog.separator, ";")
    assert dialog.import_button.isEnabled()
    errors = dialog.preview_errors()
    assert dialog.preview_table.rowCount() == 10
    assert errors and all("start is empty" in e for e in errors.values())  # FIAT rows with no start date
    shot(dialog, "csv-errors")

    qtbot.keyClicks(dialog.date_format, "%Y-%m-%d")  # a wrong date format: every dated row is bad
    assert all("not a date in the form %Y-%m-%d" in e for line, e in dialog.preview_errors().items() if line not in errors)
    dialog.date_format.clear()
    choose(dialog.column_combo("start", which=2), "attribution_date")  # fallback column fills the gaps
    assert len(dialog.preview_errors()) < len(errors)
    shot(dialog, "csv-preview")

    qtbot.keyClicks(dialog.save_name, "fiat")
    dialog.save_button.click()
    assert dialog.saved.findData("fiat") >= 0

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as imported:
        dialog.import_button.click()
    case_id = imported.args[0]
    report = dialog.report
    assert report is not None and report.case_id == case_id
    store = desk.session.store
    assert report.added["event"] == len(store.parts(case_id, Event)) > 40
    assert report.added["actor"] == len(store.parts(case_id, Actor))
    assert report.added["evidence"] == len(store.parts(case_id, Evidence))
    assert report.rejected_count == 63 - report.added["event"]
    text = dialog.report_view.toPlainText()
    assert f"added: " in text and f"{report.added['event']} event" in text and "rejected:" in text
    assert f"{report.total_added} added" in dialog.summary.text()
    assert dialog.open_button.isVisible() and dialog.report_box.isVisible() and not dialog.csv_box.isVisible()
    shot(dialog, "csv-report")
    with qtbot.waitSignal(dialog.open_case, timeout=WAIT_MS) as opened:
        dialog.open_button.click()
    assert opened.args == [case_id]


def test_a_saved_mapping_fills_the_widgets_and_imports_into_the_open_case(qtbot, desk):
    from rrmdesk.interop.csv_import import ColumnMapping, save_mapping

    store = desk.session.store
    save_mapping(store, "fiat", ColumnMapping(columns={"title": "short_title", "start": "start_date|attribution_date"},
                                              separator=";"))
    case = store.create_case("FIAT review", tlp="amber")
    dialog = desk.dialog(qtbot, FIAT, case_id=case.id)
    dialog.saved.activated.emit(dialog.saved.findData("fiat"))
    assert dialog.column_combo("title").currentText() == "short_title"
    assert dialog.column_combo("start", which=2).currentText() == "attribution_date"
    assert dialog.separator.text() == ";"
    assert dialog.import_button.isEnabled() and dialog.preview_table.rowCount() == 10
    dialog.into_case.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as imported:
        dialog.import_button.click()
    assert imported.args == [case.id] and dialog.report.added["case"] == 0
    assert dialog.report.added["event"] == len(store.parts(case.id, Event)) > 40
    assert store.count_cases() == 1


def test_stix_bundle_from_another_workspace_imports_with_its_report(qtbot, desk, tmp_path):
    partner = Workspace.create(tmp_path / "partner", "passphrase", TEST_PASSPHRASE)[0].unlock(TEST_PASSPHRASE)
    try:
        case = partner.create_case("Exported case", tlp="green")
        actor = partner.add(Actor(case_id=case.id, name="Outlet"))
        partner.add(Event(case_id=case.id, title="First article", start="2024-03-01", actor_ids=[actor.id]))
        bundle = tmp_path / "case.json"
        bundle.write_text(json.dumps(export_case(partner, case.id, ministry="Partner ministry")), encoding="utf-8")
    finally:
        partner.close()

    dialog = desk.dialog(qtbot, bundle)
    assert dialog.format_label.text() == "STIX 2.1 bundle" and not dialog.csv_box.isVisible()
    assert not dialog.into_case.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as imported:
        dialog.import_button.click()
    assert imported.args == [case.id]
    assert dialog.report is not None and "STIX 2.1 bundle" in dialog.summary.text()
    assert dialog.report_view.toPlainText().startswith("Imported case.json (stix)")
    store = desk.session.store
    assert dialog.report.added["event"] == len(store.parts(case.id, Event)) == 1
    assert dialog.report.added["actor"] == len(store.parts(case.id, Actor)) == 1
    shot(dialog, "stix-report")


def test_a_file_that_is_not_json_is_one_clear_error_and_imports_nothing(qtbot, desk, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text("{ this is not json", encoding="utf-8")
    before = desk.session.store.count_cases()
    dialog = desk.dialog(qtbot, bad)
    assert desk.bridge.current is not None
    assert desk.bridge.current.text() and desk.bridge.current.informativeText()
    assert dialog.format_label.text() == "Cannot import this file"
    assert not dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert not desk.tasks.busy and desk.session.store.count_cases() == before
    desk.bridge.current.accept()


def test_the_dialog_fits_a_small_screen_with_its_buttons_in_reach(qtbot, desk):
    """Sized for a desktop monitor (1100×860), it ran off a 1366×768 laptop screen; it now takes at
    most nine tenths of the screen (the test platform's is 800×800) and its layout fits that."""
    dialog = desk.dialog(qtbot, FIAT)
    room = dialog.screen().availableGeometry()
    assert dialog.width() <= room.width() * 0.9 and dialog.height() <= room.height() * 0.9
    hint = dialog.minimumSizeHint()
    assert hint.width() <= dialog.width() and hint.height() <= dialog.height()
    for button in dialog.findChildren(QPushButton):
        if button.isVisible():
            corner = button.mapTo(dialog, button.rect().bottomRight())
            assert dialog.rect().contains(corner), button.text()
