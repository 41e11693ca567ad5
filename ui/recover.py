"""Getting back in with the recovery key, from the locked window (``rrmdesk.recovery``).

An analyst whose keyring entry is gone (a new OS profile) or who forgot the passphrase would
otherwise need the command line. Recovery derives keys and may write the keyring, so it runs on
a worker; the dialog hands back the ministry identity that came back and an unlocked ``Store``.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import RRMDeskError
from rrmdesk.recovery import Recovered, recover

from .fields import error_line, secret_field
from .messages import MessageBridge
from .session import Session
from .tasks import TaskRunner


class RecoverDialog(QDialog):
    #: (the ministry identity brought back or None, the unlocked store)
    recovered = Signal(object, object)

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bridge = session, tasks, bridge
        self.setWindowTitle("Recover the workspace")
        self.setAccessibleName("Recover the workspace")
        intro = QLabel("<p>Enter the recovery key printed when this workspace was created, or at its last "
                       f"rekey.</p><p>Workspace: <tt>{session.workspace.path}</tt></p>")
        intro.setWordWrap(True)
        self.key = secret_field("Recovery key")
        self.keyring = QRadioButton("the OS keyring (nothing to type)")
        self.passphrase_method = QRadioButton("a new passphrase")
        self.methods = QButtonGroup(self)
        self.methods.addButton(self.keyring)
        self.methods.addButton(self.passphrase_method)
        (self.passphrase_method if session.needs_passphrase else self.keyring).setChecked(True)
        self.passphrase = secret_field("New passphrase")
        self.confirm = secret_field("New passphrase again")
        self.methods.buttonToggled.connect(lambda *_: self._method_changed())
        self.error = error_line("recoverError", "Recovery error")
        self.buttons = QDialogButtonBox()
        self.recover_button = self.buttons.addButton("Recover", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_recover)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Recovery key:", self.key)
        form.addRow("Unlock afterwards with:", self.keyring)
        form.addRow("", self.passphrase_method)
        form.addRow("", self.passphrase)
        form.addRow("", self.confirm)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._method_changed()

    @property
    def method(self) -> str:
        return "passphrase" if self.passphrase_method.isChecked() else "keyring"

    def _method_changed(self) -> None:
        for field in (self.passphrase, self.confirm):
            field.setEnabled(self.method == "passphrase")

    def try_recover(self) -> None:
        key, method = self.key.text().strip(), self.method
        passphrase = self.passphrase.text() if method == "passphrase" else None
        if not key:
            self._show("Enter the recovery key", "it was printed once, when the workspace was created")
            return
        if method == "passphrase" and passphrase != self.confirm.text():
            self._show("The two passphrases differ", "type the new passphrase twice, the same way")
            return
        self._busy(True)
        workspace = self.session.workspace
        self.tasks.run("Recovering", lambda _progress: recover(workspace, key, method, passphrase), self._done,
                       on_error=self._failed, quiet=True)

    def _show(self, message: str, hint: str) -> None:
        self.error.setText(f"<b>{message}</b><br>{hint}")
        self.error.show()

    def _busy(self, busy: bool) -> None:
        self.recover_button.setEnabled(not busy)
        for field in (self.key, self.passphrase, self.confirm):
            field.setEnabled(not busy and (field is self.key or self.method == "passphrase"))
        if busy:
            self._show("Recovering…", "")

    def _done(self, result: Recovered) -> None:
        self._busy(False)
        for field in (self.key, self.passphrase, self.confirm):
            field.clear()
        self.accept()
        self.recovered.emit(result.identity, result.store)

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, RRMDeskError):
            self._show(exc.message, exc.hint)
        else:
            self.error.hide()
            self.bridge.error(exc)
