"""Import signed bundle: verify first and show who sent what, merge only when the analyst says so.

Step one runs ``BundleVerifier.verify`` on a worker and shows the result: sender, the signer's
fingerprint (to compare with the trust store), recipients, cases with their TLP, files. A refusal
is shown in the dialog as the verdict, with its reason and what to do; nothing is imported.
Step two, ``import_bundle``, repeats every check (the file may have changed since) and merges in
one transaction; its merge report replaces the verification.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from rrmdesk import Cancelled, Progress, RRMDeskError, Store
from rrmdesk.bundles.importer import BundleImport, import_bundle
from rrmdesk.bundles.manifest import STIX_PATH
from rrmdesk.bundles.verify import BundleVerifier, VerificationResult

from ..messages import MessageBridge
from ..models.columns import human_size, short_time
from ..screen import fit_to_screen
from ..session import Session
from ..tasks import TaskRunner
from ..tlp import label as tlp_label
from .fingerprint import monospace_font, monospace_label, spoken
from .signing_key import identity_loader, passphrase_field

REFUSED_STYLE = "QLabel { border: 2px solid #c62828; border-radius: 4px; padding: 8px; }"
VERIFIED_STYLE = "QLabel { border: 2px solid #2e7d32; border-radius: 4px; padding: 8px; }"


def _table(headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    for column in range(len(headers)):
        if headers[column] in ("SHA-256", "Id"):
            table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            for row in range(len(rows)):
                table.item(row, column).setFont(monospace_font())
    shown = min(len(rows), 6)
    table.setMaximumHeight(table.horizontalHeader().height() + shown * table.verticalHeader().defaultSectionSize()
                           + 2 * table.frameWidth() + table.horizontalScrollBar().sizeHint().height())
    return table


def _sentence(text: str) -> str:
    return text if text.endswith(".") else text + "."


def _content(path: str) -> str:
    return "the cases (STIX 2.1)" if path == STIX_PATH else "evidence file"


class ImportDialog(QDialog):
    """Pick a bundle, read the verification, then import it or walk away."""

    imported = Signal(object)

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bridge = session, tasks, bridge
        self.verified: VerificationResult | None = None
        self.setWindowTitle("Import signed bundle")
        self.setAccessibleName("Import signed bundle")
        fit_to_screen(self, 760, 620)
        self.path = QLineEdit()
        self.path.setAccessibleName("Bundle file")
        self.path.setPlaceholderText("the .rrmb or .rrmb.age file a partner sent")
        choose = QPushButton("Choose…")
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        self.verify_button = QPushButton("Verify")
        self.verify_button.setDefault(True)
        where.addWidget(self.verify_button)
        self.passphrase = passphrase_field(session)
        form = QFormLayout()
        form.addRow("Bundle", where)
        if self.passphrase is not None:
            form.addRow("Passphrase", self.passphrase)

        self.verdict = QLabel("Choose a bundle and press Verify. Nothing is imported until you press Import.")
        self.verdict.setAccessibleName("Verification")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.details = QFormLayout()
        self.fingerprint = monospace_label(scale=1.2)
        self.tables = QVBoxLayout()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setAccessibleName("Merge report")
        self.report.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.verify_button.clicked.connect(self.verify)
        self.import_button.clicked.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        self.path.textChanged.connect(self._path_changed)
        self._path_changed()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.verdict)
        layout.addLayout(self.details)
        layout.addLayout(self.tables)
        layout.addWidget(self.report, 10)
        layout.addStretch(1)  # keeps the verdict under the file row while nothing else is shown
        layout.addWidget(self.buttons)

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a signed bundle", filter="Signed bundles (*.rrmb *.age);;All files (*)")
        if path:
            self.path.setText(path)

    def _path_changed(self) -> None:
        """A different file is a different bundle: it must be verified again before import."""
        self.verified = None
        self.import_button.setEnabled(False)
        self.verify_button.setEnabled(bool(self.path.text().strip()))

    def _clear(self) -> None:
        while self.details.rowCount():
            self.details.removeRow(0)
        self.fingerprint = monospace_label(scale=1.2)
        while self.tables.count():
            widget = self.tables.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def verify(self) -> None:
        path = Path(self.path.text().strip())
        load = identity_loader(self.session, self.passphrase)

        def work(store: Store, progress: Progress) -> VerificationResult:
            return BundleVerifier(store, load(store)).verify(path, progress)

        self._clear()
        self.verify_button.setEnabled(False)
        self.verdict.setText(f"Verifying {path.name}…")
        self.tasks.run(f"Verifying {path.name}", work, self._show_verified, store=self.session.store, on_error=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.import_button.setEnabled(False)
        self.verified = None
        if not isinstance(exc, RRMDeskError) or isinstance(exc, Cancelled):
            self.verdict.setText("Not verified; nothing was imported.")
            self.verdict.setStyleSheet("")
            self.bridge.error(exc)
            return
        self.verdict.setText(f"Bundle refused. Nothing was imported.\n\n{_sentence(exc.message)}\n{_sentence(exc.hint[:1].upper() + exc.hint[1:])}")
        self.verdict.setStyleSheet(REFUSED_STYLE)
        self.bridge.note(f"Bundle refused: {exc.message}")

    def _show_verified(self, result: VerificationResult) -> None:
        self.verified = result
        m, signer = result.manifest, result.signer
        self.verdict.setText(f"Verified: signed by {m.sender}'s trusted key; every file matches. "
                             "Check the details, then press Import to merge.")
        self.verdict.setStyleSheet(VERIFIED_STYLE)
        self.fingerprint.setText(spoken(signer.fingerprint))
        rows = (("Confirmed", f"by {signer.confirmed_by} on {signer.confirmed_at[:10]}"),
                ("Recipients", ", ".join(m.recipients)), ("Bundle", f"{m.bundle_id}, sequence {m.sequence}"),
                ("Created", short_time(m.created_at) + " UTC"), ("Encrypted", "yes (age)" if result.encrypted else "no"))
        sender = QLabel(m.sender)
        sender.setAccessibleName("Sender")
        self.details.addRow("Sender", sender)
        self.details.addRow("Signer key", self.fingerprint)
        for name, text in rows:
            value = QLabel(text)
            value.setAccessibleName(name)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(name, value)
        self.tables.addWidget(_table(["TLP", "Case", "Id"], [[tlp_label(c.tlp), c.title, c.id] for c in m.cases], "Cases"))
        self.tables.addWidget(_table(["Size", "Content", "SHA-256"],
                                     [[human_size(f.size), _content(f.path), f.sha256] for f in m.files], "Files"))
        self.verify_button.setEnabled(True)
        self.import_button.setEnabled(True)

    def merge(self) -> None:
        if self.verified is None:
            return
        path = Path(self.path.text().strip())
        workspace, passphrase = self.session.workspace, self.passphrase.text() if self.passphrase is not None else None

        def work(store: Store, progress: Progress) -> BundleImport:
            return import_bundle(workspace, store, path, passphrase, progress)

        self.import_button.setEnabled(False)
        self.verify_button.setEnabled(False)
        self.tasks.run(f"Importing {path.name}", work, self._merged, store=self.session.store, on_error=self._refused)

    def _merged(self, result: BundleImport) -> None:
        self._clear()
        self.verified = None
        added = sum(r.total_added for r in result.reports)
        conflicts = sum(r.conflict_count for r in result.reports)
        self.verdict.setText(f"Imported from {result.verification.manifest.sender}: {len(result.reports)} case(s), "
                             f"{added} objects added, {conflicts} conflicts kept for review.")
        titles = {c.id: f"{tlp_label(c.tlp)} {c.title}" for c in result.verification.manifest.cases}
        self.report.setPlainText("\n\n".join("\n".join([f"Case {titles.get(r.case_id, r.case_id)}", *r.lines()])
                                             for r in result.reports))
        self.report.show()
        self.verify_button.setEnabled(False)
        self.import_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.bridge.note(f"Imported the bundle from {result.verification.manifest.sender}")
        self.imported.emit(result)
