"""Export signed bundle: cases, recipients from the trust store, TLP warnings, encryption, progress.

The dialog only gathers choices and shows the outcome; ``BundleExporter.export`` runs on a worker
(``TaskRunner``: progress with Cancel) and enforces the TLP 2.0 rules itself. The warnings here
tell the analyst before they press Export what the exporter will leave out or refuse.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from rrmdesk import Progress, Store
from rrmdesk.bundles.export import BundleExporter, ExportReport
from rrmdesk.bundles.trust import TrustStore
from rrmdesk.clock import utc_now
from rrmdesk.model import Case

from ..messages import MessageBridge
from ..screen import fit_to_screen
from ..session import Session
from ..tasks import TaskRunner
from ..tlp import label as tlp_label
from .fingerprint import spoken
from .signing_key import identity_loader, passphrase_field

ROLE_ID = Qt.ItemDataRole.UserRole


def tlp_warnings(tlps: set[str], confirm_red: bool) -> list[str]:
    """What the TLP 2.0 rules will do to the chosen cases, in the analyst's words."""
    out = []
    if "red" in tlps:
        out.append("TLP:RED case: it goes only with 'Recipients are named individuals' ticked, and only to the "
                   "partners chosen here." if not confirm_red else
                   "TLP:RED: you confirm every recipient is a named individual; it must not be passed on.")
    if "amber+strict" in tlps:
        out.append("TLP:AMBER+STRICT: the recipients' own organisations only, not their partners or clients.")
    out.append("Objects marked RED inside a case are left out unless RED is confirmed; content received from a "
               "partner as AMBER+STRICT or RED goes back only to that partner. The report lists what was left out.")
    return out


def _checkable(text: str, data: str, checked: bool, tip: str = "") -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(ROLE_ID, data)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    if tip:
        item.setToolTip(tip)
    return item


def _checked(view: QListWidget) -> list[str]:
    return [view.item(i).data(ROLE_ID) for i in range(view.count()) if view.item(i).checkState() == Qt.CheckState.Checked]


class ExportDialog(QDialog):
    """Choose cases and partners, then write the signed (optionally encrypted) bundle."""

    exported = Signal(object)

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, parent: QWidget | None,
                 case_id: str | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bridge = session, tasks, bridge
        self.setWindowTitle("Export signed bundle")
        self.setAccessibleName("Export signed bundle")
        fit_to_screen(self, 680, 520)
        store = session.store
        self._cases: dict[str, Case] = {c.id: c for c in store.list_cases(order="title")}
        now = utc_now()
        partners = [p for p in TrustStore(store).partners(include_revoked=False) if p.status(now) == "trusted"]

        self.cases = QListWidget()
        self.cases.setAccessibleName("Cases")
        for case in self._cases.values():
            self.cases.addItem(_checkable(f"{tlp_label(case.tlp)}  {case.title}", case.id, case.id == case_id, case.id))
        self.recipients = QListWidget()
        self.recipients.setAccessibleName("Recipients")
        self.recipients.setMaximumHeight(120)
        for partner in partners:
            self.recipients.addItem(_checkable(partner.principal, partner.principal, False,
                                               f"{spoken(partner.fingerprint)}\nconfirmed by {partner.confirmed_by}"))
        self.no_partners = QLabel("No trusted partners yet. Add them under Partners… after confirming their "
                                  "fingerprints on another channel.")
        self.no_partners.setWordWrap(True)
        self.no_partners.setVisible(not partners)

        self.warnings = QLabel()
        self.warnings.setObjectName("tlpWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setAccessibleName("TLP warnings")
        self.confirm_red = QCheckBox("Recipients are named individuals (needed for TLP:RED content)")
        self.encrypt = QCheckBox("Encrypt to the recipients (age): only they can open it")
        self.encrypt.setChecked(True)
        self.passphrase = passphrase_field(session)
        self.destination = QLineEdit()
        self.destination.setAccessibleName("Save as")
        self.destination.setPlaceholderText("where to write the .rrmb bundle")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(choose)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Export report")
        self.report.hide()

        self.choices = QWidget()
        form = QFormLayout(self.choices)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Cases", self.cases)
        form.addRow("Recipients", self.recipients)
        form.addRow("", self.no_partners)
        form.addRow("", self.confirm_red)
        form.addRow("", self.encrypt)
        if self.passphrase is not None:
            form.addRow("Passphrase", self.passphrase)
        form.addRow("Save as", where)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.choices)
        layout.addWidget(self.warnings)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        for signal in (self.cases.itemChanged, self.recipients.itemChanged):
            signal.connect(self._update)
        self.confirm_red.toggled.connect(self._update)
        self.destination.textChanged.connect(self._update)
        self._update()

    def selected_cases(self) -> list[str]:
        return _checked(self.cases)

    def selected_recipients(self) -> list[str]:
        return _checked(self.recipients)

    def _update(self) -> None:
        tlps = {self._cases[c].tlp for c in self.selected_cases()}
        self.warnings.setText("\n".join(f"⚠ {line}" for line in tlp_warnings(tlps, self.confirm_red.isChecked())))
        self.export_button.setEnabled(bool(self.selected_cases() and self.selected_recipients()
                                           and self.destination.text().strip()))

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the signed bundle", "case.rrmb", "Signed bundle (*.rrmb)")
        if path:
            self.destination.setText(path)

    def start(self) -> None:
        """Export on a worker; the report replaces the choices when it is written."""
        cases, recipients = self.selected_cases(), self.selected_recipients()
        destination, encrypt, confirm_red = Path(self.destination.text().strip()), self.encrypt.isChecked(), self.confirm_red.isChecked()
        load = identity_loader(self.session, self.passphrase)
        ministry = str(self.session.workspace.config.get("ministry", ""))

        def work(store: Store, progress: Progress) -> ExportReport:
            exporter = BundleExporter(store, load(store), ministry)
            return exporter.export(cases, recipients, destination, encrypt, confirm_red, progress)

        self.export_button.setEnabled(False)
        self.tasks.run("Exporting the signed bundle", work, self._done, store=self.session.store, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._update()
        self.bridge.error(exc)

    def _done(self, report: ExportReport) -> None:
        self.report.setPlainText("\n".join(report.lines()))
        self.choices.hide()
        self.warnings.hide()
        self.report.show()
        self.export_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.bridge.note(f"Wrote the signed bundle {report.path}")
        self.exported.emit(report)
