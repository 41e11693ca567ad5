"""First run: create the workspace, choose how it unlocks, and see the recovery key once.

The recovery key is not stored anywhere; the wizard cannot finish until the analyst confirms
they have stored it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from rrmdesk import RRMDeskError, Workspace
from rrmdesk.credentials import CredentialStore
from rrmdesk.keywrap import MIN_PASSPHRASE

from .fields import error_line, secret_field
from .messages import MessageBridge

METHOD, PASSPHRASE, RECOVERY = range(3)


class MethodPage(QWizardPage):
    def __init__(self, keyring_ok: bool) -> None:
        super().__init__()
        self.setTitle("Create your RRM Desk workspace")
        self.setSubTitle("Cases are kept in an encrypted database on this computer. Choose how it is unlocked.")
        self.keyring = QRadioButton("With my desktop &keyring (unlocks when I log in)")
        self.passphrase = QRadioButton("With a &passphrase I type when RRM Desk starts")
        self.keyring.setEnabled(keyring_ok)
        (self.keyring if keyring_ok else self.passphrase).setChecked(True)
        note = QLabel("" if keyring_ok else "No desktop keyring is available on this computer, so the workspace "
                      "will be protected by a passphrase.")
        note.setWordWrap(True)
        self.analyst = QLineEdit()
        self.analyst.setAccessibleName("Analyst name")
        self.ministry = QLineEdit()
        self.ministry.setAccessibleName("Ministry")
        form = QFormLayout()
        form.addRow("Your &name", self.analyst)
        form.addRow("&Ministry", self.ministry)
        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring)
        layout.addWidget(self.passphrase)
        layout.addWidget(note)
        layout.addSpacing(12)
        layout.addLayout(form)

    def nextId(self) -> int:
        return PASSPHRASE if self.passphrase.isChecked() else RECOVERY


class PassphrasePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Choose a passphrase")
        self.setSubTitle(f"At least {MIN_PASSPHRASE} characters. A few unrelated words are easy to type and hard to guess.")
        self.first, self.second = secret_field("Passphrase", ""), secret_field("Passphrase again", "")
        for line in (self.first, self.second):
            line.textChanged.connect(self.completeChanged)
        self.error = error_line("passphraseError", "Passphrase error")
        self.error.show()  # empty until the two entries differ or are too short
        form = QFormLayout(self)
        form.addRow("&Passphrase", self.first)
        form.addRow("&Again", self.second)
        form.addRow(self.error)

    def isComplete(self) -> bool:
        ok = len(self.first.text()) >= MIN_PASSPHRASE and self.first.text() == self.second.text()
        self.error.setText("" if ok or not self.second.text() else
                           "The two entries differ." if self.first.text() != self.second.text()
                           else f"Use at least {MIN_PASSPHRASE} characters.")
        return ok

    def nextId(self) -> int:
        return RECOVERY


class RecoveryPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Your recovery key")
        self.setSubTitle("Shown once and stored nowhere. It unlocks the workspace if the keyring entry or the "
                         "passphrase is lost. Write it down and keep it apart from this computer.")
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setAccessibleName("Recovery key")
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        copy = QPushButton("Copy")
        copy.setToolTip("Copy the recovery key to the clipboard")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.key.text()))
        self.stored = QCheckBox("I have stored the recovery key somewhere safe")
        self.stored.setAccessibleName("I have stored the recovery key")
        self.stored.toggled.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.key)
        layout.addWidget(copy)
        layout.addSpacing(12)
        layout.addWidget(self.stored)

    def isComplete(self) -> bool:
        return self.stored.isChecked() and bool(self.key.text())

    def nextId(self) -> int:
        return -1


class FirstRunWizard(QWizard):
    """Creates the workspace at ``path`` when leaving the choice pages; ``workspace`` holds it."""

    def __init__(self, path: Path, bridge: MessageBridge, parent: QWidget | None = None,
                 credentials: CredentialStore | None = None) -> None:
        super().__init__(parent)
        self.path, self.bridge = path, bridge
        self.credentials = credentials or CredentialStore()
        self.workspace: Workspace | None = None
        self.setWindowTitle("RRM Desk: first start")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.method_page = MethodPage(self.credentials.available())
        self.passphrase_page = PassphrasePage()
        self.recovery_page = RecoveryPage()
        self.setPage(METHOD, self.method_page)
        self.setPage(PASSPHRASE, self.passphrase_page)
        self.setPage(RECOVERY, self.recovery_page)
        self.setStartId(METHOD)

    def validateCurrentPage(self) -> bool:
        """Leaving the last choice page creates the workspace, so the key shown is real."""
        if self.nextId() == RECOVERY and self.workspace is None:
            return self._create()
        return super().validateCurrentPage()

    def _create(self) -> bool:
        use_passphrase = self.method_page.passphrase.isChecked()
        try:
            workspace, recovery_key = Workspace.create(
                self.path, "passphrase" if use_passphrase else "keyring",
                self.passphrase_page.first.text() if use_passphrase else None,
                analyst=self.method_page.analyst.text().strip() or None, credentials=self.credentials)
            if self.method_page.ministry.text().strip():
                workspace.set_profile(ministry=self.method_page.ministry.text())
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return False
        self.workspace = workspace
        self.passphrase_page.second.clear()
        self.recovery_page.key.setText(recovery_key)
        return True
