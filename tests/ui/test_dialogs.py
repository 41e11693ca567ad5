"""First-run wizard, preferences, the message bridge, the worker helper and the About box."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

import rrmdesk
from rrmdesk import Cancelled, Workspace, WorkspaceError
from tests.conftest import TEST_PASSPHRASE
from tests.ui.helpers import WAIT_MS
from ui import settings
from ui.first_run import PASSPHRASE, RECOVERY, FirstRunWizard
from ui.messages import MessageBridge
from ui.settings import Preferences
from ui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[2]


def test_first_run_with_a_passphrase_shows_the_recovery_key_once(qtbot, tmp_path, bridge):
    path = tmp_path / "new-workspace"
    wizard = FirstRunWizard(path, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.method_page.passphrase.setChecked(True)
    wizard.method_page.analyst.setText("A. Analyst")
    wizard.method_page.ministry.setText("Global Affairs")
    wizard.next()
    assert wizard.currentId() == PASSPHRASE
    page = wizard.passphrase_page
    page.first.setText(TEST_PASSPHRASE)
    page.second.setText("something else entirely")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert "differ" in page.error.text()
    page.second.setText(TEST_PASSPHRASE)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentId() == RECOVERY
    key = wizard.recovery_page.key.text()
    assert len(key.replace("-", "")) == 40
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    wizard.recovery_page.stored.setChecked(True)
    assert finish.isEnabled()
    finish.click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    workspace = Workspace.load(path)
    assert workspace.method == "passphrase" and workspace.config["ministry"] == "Global Affairs"
    assert workspace.config["analyst"] == "A. Analyst"
    assert key not in (path / "workspace.json").read_text()
    workspace.unlock(TEST_PASSPHRASE).close()
    workspace.recover(key, "passphrase", "another passphrase here")  # the key shown is the real one


def test_first_run_with_the_keyring(qtbot, tmp_path, bridge):
    path = tmp_path / "keyring-workspace"
    wizard = FirstRunWizard(path, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.method_page.keyring.isChecked()
    wizard.next()
    assert wizard.currentId() == RECOVERY
    wizard.recovery_page.stored.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    workspace = wizard.workspace
    try:
        assert workspace.method == "keyring"
        workspace.unlock().close()
    finally:
        workspace.credentials.delete(workspace.keyring_account)


def test_first_run_into_a_folder_that_is_not_empty_explains(qtbot, tmp_path, bridge):
    path = tmp_path / "busy"
    path.mkdir()
    (path / "notes.txt").write_text("mine")
    wizard = FirstRunWizard(path, bridge)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.method_page.keyring.setChecked(True)
    wizard.next()
    assert wizard.currentId() != RECOVERY and wizard.workspace is None
    assert "is not empty" in bridge.current.text()
    assert "empty or new folder" in bridge.current.informativeText()
    bridge.current.accept()


def test_preferences_are_stored_in_qsettings(qtbot, window, tmp_path):
    window.actions["preferences"].trigger()
    dialog = window.dialog
    assert dialog.analyst.text() == "test-analyst"
    dialog.idle.setValue(3)
    dialog.tlp.setCurrentText("red")
    dialog.analyst.setText("Jeanne Analyste")
    dialog.ministry.setText("MEAE")
    dialog.accept()
    stored = Preferences()
    assert stored.get(settings.IDLE_LOCK_MINUTES) == 3
    assert stored.get(settings.DEFAULT_TLP) == "red"
    assert QSettings().fileName().startswith(str(tmp_path))
    assert window.idle.timer.interval() == 3 * 60_000
    assert window.session.workspace.config["ministry"] == "MEAE"
    assert "MEAE" in window.analyst_label.text()
    window.actions["new_case"].trigger()
    assert window.dialog.tlp.currentText() == "red"
    window.dialog.reject()


def test_a_bad_stored_setting_falls_back_to_its_default(qapp):
    QSettings().setValue(settings.DEFAULT_TLP.key, "purple")
    QSettings().setValue(settings.IDLE_LOCK_MINUTES.key, "soon")
    QSettings().setValue(settings.CHART_LANGUAGE.key, "de")
    assert Preferences().get(settings.DEFAULT_TLP) == "amber"
    assert Preferences().get(settings.IDLE_LOCK_MINUTES) == 10
    assert Preferences().get(settings.CHART_LANGUAGE) == "en"


def test_bridge_shows_message_and_hint(qtbot, bridge):
    bridge.error(WorkspaceError("no RRM Desk workspace in /x"))
    box = bridge.current
    assert box.text() == "no RRM Desk workspace in /x"
    assert "rrmdesk init" in box.informativeText()
    assert box.icon() == QMessageBox.Icon.Warning
    box.accept()
    assert bridge.current is None


def test_bridge_crash_dialog_logs_no_case_content(qtbot, bridge, caplog):
    try:
        raise ValueError("Secret case title: Operation Nightfall")
    except ValueError as exc:
        error = exc
    with caplog.at_level(logging.ERROR, logger="rrmdesk.ui"):
        bridge.error(error)
    box = bridge.current
    assert box.icon() == QMessageBox.Icon.Critical
    assert "bug" in box.text()
    assert "Nightfall" not in caplog.text and "Nightfall" not in box.detailedText()
    assert "ValueError" in caplog.text and "test_dialogs.py" in box.detailedText()
    box.accept()


def test_cancelled_work_is_a_status_note(qtbot, bridge):
    with qtbot.waitSignal(bridge.status, timeout=WAIT_MS) as blocker:
        bridge.error(Cancelled())
    assert blocker.args == ["Cancelled; nothing was changed."]
    assert bridge.current is None


def test_task_runner_delivers_results_progress_and_cancellation(qtbot, bridge):
    runner = TaskRunner(bridge)
    results, errors = [], []
    main = threading.get_ident()

    def work(progress):
        for step in range(1, 4):
            progress.update(step, 3, "counting")
        return threading.get_ident()

    task = runner.run("Counting", work, lambda r: results.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(results), timeout=WAIT_MS)
    worker, delivered_on = results[0]
    assert worker != main and delivered_on == main
    assert not runner.busy

    release = threading.Event()

    def slow(progress):
        release.wait(5)
        progress.update(1, 2, "stopping")
        return "not reached"

    task = runner.run("Slow", slow, results.append, on_error=errors.append)
    task.dialog.canceled.emit()  # the analyst presses Cancel
    release.set()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert isinstance(errors[0], Cancelled) and len(results) == 1


def test_about_box_names_the_version(qtbot, window):
    window.actions["about"].trigger()
    assert rrmdesk.__version__ in window.dialog.text()
    window.dialog.accept()


def test_exchange_actions_are_enabled(window):
    for name in ("import", "export_stix", "export_misp", "briefing", "import_bundle", "export_bundle", "partners"):
        assert window.actions[name].isEnabled()


def test_shortcuts_for_common_actions(window):
    shortcuts = {name: window.actions[name].shortcut().toString() for name in
                 ("new_case", "add_item", "lock", "search", "undo", "add_evidence", "quit")}
    assert shortcuts == {"new_case": "Ctrl+N", "add_item": "Ins", "lock": "Ctrl+L", "search": "Ctrl+F",
                         "undo": "Ctrl+Z", "add_evidence": "Ctrl+E", "quit": "Ctrl+Q"}
    redo = {key.toString() for key in window.actions["redo"].shortcuts()}
    assert redo & {"Ctrl+Y", "Ctrl+Shift+Z"}


def test_ui_never_touches_the_database_directly():
    forbidden = ("execute(", "executemany(", "sqlite_utils", "sqlcipher3")
    offenders = [f"{path.relative_to(REPO)}: {word}" for path in (REPO / "ui").rglob("*.py")
                 for word in forbidden if word in path.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.parametrize("argv", [["--version"]])
def test_version_flag(argv, capsys):
    from ui.app import parse_args

    with pytest.raises(SystemExit):
        parse_args(argv)
    assert rrmdesk.__version__ in capsys.readouterr().out


def test_app_explains_an_unreadable_workspace(qtbot, tmp_path, capsys):
    from PySide6.QtCore import QTimer

    from ui import app as desktop

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "workspace.json").write_text("{not json")
    shown = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget() or next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        shown.append(box.text() if box else None)
        if box:
            box.accept()

    QTimer.singleShot(200, close_dialog)
    _app, window = desktop.start(["--workspace", str(folder)])
    assert window is None
    assert shown and "unreadable" in shown[0]
    assert "unreadable" in capsys.readouterr().err
