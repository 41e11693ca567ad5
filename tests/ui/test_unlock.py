"""Unlocking: the passphrase dialog (right and wrong), RRMDESK_PASSPHRASE, idle lock, Lock now."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from rrmdesk import UnlockError
from rrmdesk.database import DatabaseFailure
from tests.conftest import TEST_PASSPHRASE
from tests.ui.helpers import WAIT_MS


def enter_passphrase(qtbot, window, passphrase: str) -> None:
    dialog = window.unlock_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.passphrase.setText(passphrase)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)


def test_wrong_passphrase_is_explained_and_the_right_one_unlocks(qtbot, passphrase_window):
    window = passphrase_window
    window.start()
    assert window.session.is_locked and window.stack.currentWidget() is window.locked_page
    enter_passphrase(qtbot, window, "not the passphrase at all")
    dialog = window.unlock_dialog
    qtbot.waitUntil(lambda: dialog.unlock_button.isEnabled(), timeout=WAIT_MS)
    assert window.session.is_locked
    assert dialog.isVisible()
    assert "wrong passphrase" in dialog.error.text()
    enter_passphrase(qtbot, window, TEST_PASSPHRASE)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    assert not dialog.isVisible()
    assert window.stack.currentWidget() is window.splitter


def test_automation_passphrase_unlocks_without_asking(qtbot, passphrase_window, monkeypatch):
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    window = passphrase_window
    window.start()
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    assert window.unlock_dialog is None


def test_wrong_automation_passphrase_falls_back_to_the_dialog(qtbot, passphrase_window, monkeypatch):
    monkeypatch.setenv("RRMDESK_PASSPHRASE", "wrong wrong wrong")
    window = passphrase_window
    window.start()
    qtbot.waitUntil(lambda: window.unlock_dialog is not None and window.unlock_dialog.error.isVisible(), timeout=WAIT_MS)
    assert "wrong passphrase" in window.unlock_dialog.error.text()
    assert window.session.is_locked


def test_idle_lock_hides_content_and_asks_again(qtbot, passphrase_window, monkeypatch):
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    window = passphrase_window
    window.start()
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    window.session.store.create_case("Idle case")
    window.refresh()
    window.navigator.case_view.selectRow(0)
    assert window.workspace.case is not None
    window.idle.set_interval_ms(30)
    qtbot.waitUntil(lambda: window.session.is_locked, timeout=WAIT_MS)
    assert window.stack.currentWidget() is window.locked_page
    assert "idle" in window.locked_page.message.text()
    assert window.workspace.case is None and window.navigator.cases.rowCount() == 0
    assert window.tlp_badge.isHidden()
    # the environment passphrase is for start-up only: after idle, a person must type it
    assert window.unlock_dialog is not None and window.unlock_dialog.isVisible()
    window.idle.set_interval_ms(0)
    enter_passphrase(qtbot, window, TEST_PASSPHRASE)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    assert window.workspace.case is not None and window.workspace.case.title == "Idle case"


def test_lock_now_shortcut_closes_the_store(qtbot, window):
    store = window.session.store
    assert window.actions["lock"].shortcut().toString() == "Ctrl+L"
    window.actions["lock"].trigger()
    assert window.session.is_locked
    assert window.statusBar().currentMessage() == "Locked"
    assert not window.actions["new_case"].isEnabled()
    with pytest.raises(UnlockError):
        window.session.store.count_cases()
    with pytest.raises(DatabaseFailure):  # the old connection is closed, not just hidden
        store.count_cases()
