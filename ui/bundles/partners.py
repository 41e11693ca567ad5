"""Partners: this ministry's key to read out, and the trust store (trust, list, revoke).

Trusting a key is only safe after both sides read the fingerprint aloud on another channel, so
the trust form shows the fingerprint of the pasted key in groups of four and will not trust it
until the analyst ticks that it was compared and names who did it. Revoking asks first; a
revoked key stays listed, so its bundles are refused by name.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from rrmdesk import RRMDeskError
from rrmdesk.bundles.identity import public_identity
from rrmdesk.bundles.sshsig import PublicKey
from rrmdesk.bundles.trust import Partner, TrustStore
from rrmdesk.clock import utc_now

from ..messages import MessageBridge
from ..screen import fit_to_screen
from ..session import Session
from .fingerprint import monospace_font, monospace_label, spoken

REFUSED_COLOUR = "#c62828"
HEADERS = ["Partner", "Status", "Fingerprint", "Valid until", "Confirmed by"]


class TrustDialog(QDialog):
    """Paste a partner's key and age recipient; trust it once the fingerprint was compared aloud."""

    def __init__(self, session: Session, bridge: MessageBridge, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session, self.bridge = session, bridge
        self.trusted: Partner | None = None
        self._key_ok = False
        self.setWindowTitle("Trust a partner ministry")
        self.setAccessibleName("Trust a partner ministry")
        fit_to_screen(self, 800, 290)
        self.principal = QLineEdit()
        self.principal.setAccessibleName("Partner")
        self.principal.setPlaceholderText("the name it signs as, e.g. ca-gac")
        self.key = QLineEdit()
        self.key.setAccessibleName("Signing key")
        self.key.setPlaceholderText("ssh-ed25519 AAAA… as its 'keys show' prints it")
        self.age = QLineEdit()
        self.age.setAccessibleName("Age recipient")
        self.age.setPlaceholderText("age1…")
        self.valid_until = QLineEdit()
        self.valid_until.setAccessibleName("Valid until")
        self.valid_until.setPlaceholderText("optional, e.g. 2027-12-31")
        self.fingerprint = monospace_label("(paste the key to see its fingerprint)", scale=1.3)
        mine = public_identity(session.store)
        self.compared = QCheckBox("I read this fingerprint aloud with the partner on another channel, and it matches")
        self.confirmed_by = QLineEdit()
        self.confirmed_by.setAccessibleName("Confirmed by")
        self.confirmed_by.setPlaceholderText("who compared it, and how: e.g. J. Martin, phone call")
        form = QFormLayout(self)
        form.addRow("Partner", self.principal)
        form.addRow("Signing key", self.key)
        form.addRow("Age recipient", self.age)
        form.addRow("Valid until", self.valid_until)
        form.addRow("Their fingerprint", self.fingerprint)
        if mine is not None:
            form.addRow("Ours, to read them", monospace_label(spoken(mine.fingerprint), "Our fingerprint", 1.3))
        form.addRow("", self.compared)
        form.addRow("Confirmed by", self.confirmed_by)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.trust_button = self.buttons.addButton("Trust", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.trust)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.key.textChanged.connect(self._key_changed)
        for changed in (self.principal.textChanged, self.age.textChanged, self.confirmed_by.textChanged):
            changed.connect(self._update)
        self.compared.toggled.connect(self._update)
        self._update()

    def _key_changed(self) -> None:
        """A new key was not the one compared: show its fingerprint and ask again."""
        self.compared.setChecked(False)
        self.key.setCursorPosition(0)
        try:
            self.fingerprint.setText(spoken(PublicKey.from_openssh(self.key.text().strip()).fingerprint))
            self._key_ok = True
        except RRMDeskError as exc:
            self.fingerprint.setText(exc.message if self.key.text().strip() else "(paste the key to see its fingerprint)")
            self._key_ok = False
        self._update()

    def _update(self) -> None:
        ready = (self._key_ok and self.compared.isChecked() and bool(self.principal.text().strip())
                 and bool(self.age.text().strip()) and bool(self.confirmed_by.text().strip()))
        self.trust_button.setEnabled(ready)

    def trust(self) -> None:
        try:
            self.trusted = TrustStore(self.session.store).trust(
                self.principal.text().strip(), self.key.text().strip(), self.age.text().strip(),
                self.confirmed_by.text(), None, self.valid_until.text().strip() or None)
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return
        self.bridge.note(f"Trusted {self.trusted.principal} {self.trusted.fingerprint}")
        self.accept()


class PartnersDialog(QDialog):
    """The trust store as a page: who we accept bundles from and send them to."""

    def __init__(self, session: Session, bridge: MessageBridge, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session, self.bridge = session, bridge
        self.trust_dialog: TrustDialog | None = None
        self.confirm: QMessageBox | None = None
        self.setWindowTitle("Partners")
        self.setAccessibleName("Partners")
        fit_to_screen(self, 900, 560)
        layout = QVBoxLayout(self)
        layout.addWidget(self._own_key())
        layout.addWidget(QLabel("<b>Partner ministries</b> — trust a key only after reading its fingerprint aloud "
                                "with the partner on another channel."))
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Partners")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.trust_button = QPushButton("Trust a partner…")
        self.revoke_button = QPushButton("Revoke…")
        self.trust_button.clicked.connect(self.open_trust)
        self.revoke_button.clicked.connect(self.ask_revoke)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.trust_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.refresh()

    def _own_key(self) -> QWidget:
        """What partners need from us, to give them and to read out when they call."""
        box = QWidget()
        form = QFormLayout(box)
        mine = public_identity(self.session.store)
        if mine is None:
            form.addRow(QLabel("This ministry has no signing key yet: create it once with "
                               "'rrmdesk keys init --id PRINCIPAL'."))
            return box
        form.addRow("<b>This ministry</b>", QLabel(mine.principal))
        form.addRow("Our fingerprint", monospace_label(spoken(mine.fingerprint), "Our fingerprint", 1.3))
        for name, text in (("Our signing key", mine.key_line), ("Our age recipient", mine.age_recipient)):
            field = QLineEdit(text)
            field.setReadOnly(True)
            field.setAccessibleName(name)
            field.setCursorPosition(0)
            form.addRow(name, field)
        return box

    def refresh(self) -> None:
        partners = TrustStore(self.session.store).partners()
        now = utc_now()
        self.table.setRowCount(len(partners))
        for row, partner in enumerate(partners):
            cells = [partner.principal, partner.status(now), spoken(partner.fingerprint),
                     (partner.valid_until or "no end")[:10], partner.confirmed_by]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1 and text != "trusted":
                    item.setForeground(QColor(REFUSED_COLOUR))
                if column == 2:
                    item.setFont(monospace_font())
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, partner.revoked_at is None)
                self.table.setItem(row, column, item)
        self._selection_changed()

    def _selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return item.text() if item.data(Qt.ItemDataRole.UserRole) else None

    def _selection_changed(self) -> None:
        self.revoke_button.setEnabled(self._selected() is not None)

    def open_trust(self) -> TrustDialog:
        self.trust_dialog = TrustDialog(self.session, self.bridge, self)
        self.trust_dialog.accepted.connect(self.refresh)
        self.trust_dialog.open()
        return self.trust_dialog

    def ask_revoke(self) -> None:
        principal = self._selected()
        if principal is None:
            return
        self.confirm = QMessageBox(QMessageBox.Icon.Warning, "Revoke partner key",
                                   f"Stop accepting bundles signed by {principal}'s current key?",
                                   QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        self.confirm.setInformativeText("Its bundles are refused from now on, and you can no longer send to it. "
                                        "To accept it again, trust its new key after comparing the fingerprint.")
        self.confirm.setAccessibleName("Revoke partner key")
        self.confirm.accepted.connect(lambda: self.revoke(principal))
        self.confirm.open()

    def revoke(self, principal: str) -> None:
        try:
            partner = TrustStore(self.session.store).revoke(principal)
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return
        self.bridge.note(f"Revoked {partner.principal} {partner.fingerprint}")
        self.refresh()
