"""Recovering from the desktop: a forgotten passphrase or a lost keyring entry, with the
recovery key, unlocks the window again (and brings the ministry keys back), as ``rrmdesk
recover`` does."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from rrmdesk import UnlockError, Workspace
from rrmdesk.bundles.identity import create_identity, forget_identity_secret, load_identity
from tests.conftest import TEST_PASSPHRASE
from tests.ui.conftest import open_window
from tests.ui.helpers import WAIT_MS

NEW_PASSPHRASE = "a brand new passphrase for the desk"


def _recover(qtbot, window, key: str, passphrase: str | None = None) -> None:
    dialog = window.dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "Recover the workspace"
    dialog.key.setText(key)
    if passphrase is not None:
        dialog.passphrase_method.setChecked(True)
        dialog.passphrase.setText(passphrase)
        dialog.confirm.setText(passphrase)
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)


def test_a_forgotten_passphrase_is_replaced_from_the_unlock_dialog(qtbot, passphrase_workspace, bridge) -> None:
    workspace, recovery_key = passphrase_workspace
    window = open_window(qtbot, workspace, bridge)
    window.start()
    assert window.unlock_dialog is not None and window.unlock_dialog.isVisible()
    recover = next(b for b in window.unlock_dialog.buttons.buttons() if b.text() == "Use the recovery key…")
    qtbot.mouseClick(recover, Qt.MouseButton.LeftButton)
    assert not window.unlock_dialog.isVisible()
    dialog = window.dialog
    assert dialog.passphrase_method.isChecked()  # the workspace's own method is offered first

    _recover(qtbot, window, "AAAA-BBBB-CCCC-DDDD", NEW_PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.recover_button.isEnabled(), timeout=WAIT_MS)
    assert "recovery key" in dialog.error.text() and window.session.is_locked

    dialog.confirm.setText(NEW_PASSPHRASE + "x")
    dialog.key.setText(recovery_key)
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert "The two passphrases differ" in dialog.error.text() and window.session.is_locked

    _recover(qtbot, window, recovery_key, NEW_PASSPHRASE)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    assert not dialog.isVisible() and dialog.key.text() == "" and dialog.passphrase.text() == ""
    assert window.stack.currentWidget() is window.splitter
    again = Workspace.load(workspace.path)
    again.unlock(NEW_PASSPHRASE).close()
    with pytest.raises(UnlockError, match="wrong passphrase"):
        again.unlock(TEST_PASSPHRASE)
    window.close()


def test_a_lost_keyring_entry_is_recovered_with_the_ministry_keys(qtbot, keyring_workspace, bridge) -> None:
    workspace, recovery_key = keyring_workspace
    with workspace.unlock() as store:
        identity = create_identity(workspace, store, "fr-meae")
    workspace.credentials.delete(workspace.keyring_account)  # a new OS profile: nothing in the keyring
    forget_identity_secret(workspace)
    window = open_window(qtbot, workspace, bridge)
    window.start()
    qtbot.waitUntil(lambda: bridge.current is not None, timeout=WAIT_MS)
    bridge.current.done(0)
    assert window.session.is_locked and window.actions["recover"].isEnabled()
    assert "keyring" in window.locked_page.message.text().lower()
    buttons = [b.text() for b in window.locked_page.findChildren(QPushButton)]
    assert buttons == ["Unlock…", "Use the recovery key…"]
    window.actions["recover"].trigger()
    dialog = window.dialog
    assert dialog.keyring.isChecked() and not dialog.passphrase.isEnabled()
    notes: list[str] = []
    bridge.status.connect(notes.append)
    _recover(qtbot, window, recovery_key)
    qtbot.waitUntil(lambda: not window.session.is_locked, timeout=WAIT_MS)
    assert not window.actions["recover"].isEnabled()
    assert any(identity.fingerprint_line in note for note in notes)
    with Workspace.load(workspace.path).unlock() as store:
        assert load_identity(workspace, store).public.fingerprint == identity.fingerprint
    window.close()
