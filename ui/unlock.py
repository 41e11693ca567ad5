"""Asking for the passphrase: the unlock dialog, with the reason shown when it is wrong.

Unlocking derives the key with scrypt (~0.3 s), so it runs on a worker and the window stays
responsive; the dialog only hands back an unlocked ``Store``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from rrmdesk import Store, UnlockError

from .fields import error_line, secret_field
from .messages import MessageBridge
from .session import Session
from .tasks import TaskRunner


class UnlockDialog(QDialog):
    unlocked = Signal(object)
    #: the analyst would rather use the recovery key (forgotten passphrase)
    wants_recovery = Signal()

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, parent: QWidget | None = None,
                 reason: str = "") -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bridge = session, tasks, bridge
        self.setWindowTitle("Unlock workspace")
        self.setAccessibleName("Unlock workspace")
        intro = QLabel(f"{reason}<p>Enter the passphrase of the workspace<br><tt>{session.workspace.path}</tt></p>")
        intro.setWordWrap(True)
        self.passphrase = secret_field("Passphrase")
        self.error = error_line("unlockError", "Unlock error")
        self.buttons = QDialogButtonBox()
        self.unlock_button = self.buttons.addButton("Unlock", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        recover = self.buttons.addButton("Use the recovery key…", QDialogButtonBox.ButtonRole.ResetRole)
        recover.clicked.connect(self.wants_recovery)
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def try_unlock(self) -> None:
        passphrase = self.passphrase.text()
        self._busy(True)
        self.tasks.run("Unlocking", lambda _progress: self.session.open_store(passphrase), self._done,
                       on_error=self._failed, quiet=True)

    def show_error(self, exc: UnlockError) -> None:
        self.error.setText(f"<b>{exc.message}</b><br>{exc.hint}")
        self.error.show()
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        if busy:
            self.error.setText("Unlocking…")
            self.error.show()

    def _done(self, store: Store) -> None:
        self._busy(False)
        self.passphrase.clear()
        self.accept()
        self.unlocked.emit(store)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, UnlockError):
            self.show_error(exc)
        else:
            self.error.hide()
            self.bridge.error(exc)
