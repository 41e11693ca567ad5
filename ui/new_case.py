"""The short form for a new case; the rest is filled in on the Overview tab."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from rrmdesk import Case, vocab


class NewCaseDialog(QDialog):
    def __init__(self, default_tlp: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self.title = QLineEdit()
        self.title.setAccessibleName("Case title")
        self.title.setPlaceholderText("e.g. Cloned news sites ahead of the regional elections")
        self.tlp = QComboBox()
        self.tlp.addItems(list(vocab.TLP))
        self.tlp.setCurrentText(default_tlp)
        self.tlp.setAccessibleName("TLP marking")
        self.severity = QComboBox()
        self.severity.addItems(list(vocab.SEVERITY))
        self.severity.setCurrentText("moderate")
        self.severity.setAccessibleName("Severity")
        self.countries = QLineEdit()
        self.countries.setAccessibleName("Target countries")
        self.countries.setPlaceholderText("ISO 3166 codes, e.g. FR, DE")
        form = QFormLayout(self)
        form.addRow("&Title", self.title)
        form.addRow("TL&P marking", self.tlp)
        form.addRow("&Severity", self.severity)
        form.addRow("Target &countries", self.countries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create case")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(480)

    def case(self, created_by: str) -> Case:
        """The case as entered; raises UsageError (with a hint) for an empty title or a bad code."""
        countries = [c.strip() for c in self.countries.text().split(",") if c.strip()]
        return Case(title=self.title.text(), tlp=self.tlp.currentText(), severity=self.severity.currentText(),
                    target_countries=countries, created_by=created_by, status="open")
