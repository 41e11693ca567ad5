"""Relationships: who amplifies, controls or is attributed to whom, added with a short form."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget

from rrmdesk import Relationship, RRMDeskError, vocab

from .context import CaseContext
from .parts import RELATIONSHIPS
from .record_table import RecordTab

COMMON_TYPES = ("amplifies", "attributed-to", "controls", "funds", "impersonates", "part-of", "related-to",
                "uses", "targets", "coordinates-with")


class RelationshipDialog(QDialog):
    def __init__(self, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add relationship")
        self.source, self.target = QComboBox(), QComboBox()
        for combo, name in ((self.source, "Source"), (self.target, "Target")):
            combo.setAccessibleName(name)
            for object_id, label in sorted(names.items(), key=lambda item: item[1].casefold()):
                kind = object_id.split("--", 1)[0]
                if kind not in ("case", "relationship"):
                    combo.addItem(f"{label}  ({kind})", object_id)
        self.type = QComboBox()
        self.type.setEditable(True)
        self.type.addItems(list(COMMON_TYPES))
        self.type.setAccessibleName("Relationship type")
        self.confidence = QComboBox()
        self.confidence.addItems(["", *vocab.CONFIDENCE])
        self.confidence.setAccessibleName("Confidence")
        form = QFormLayout(self)
        form.addRow("&Source", self.source)
        form.addRow("&Relationship", self.type)
        form.addRow("&Target", self.target)
        form.addRow("&Confidence", self.confidence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        if self.target.count() > 1:
            self.target.setCurrentIndex(1)

    def relationship(self, case_id: str) -> Relationship:
        return Relationship(case_id=case_id, source_id=self.source.currentData() or "", type=self.type.currentText(),
                            target_id=self.target.currentData() or "", confidence=self.confidence.currentText() or None)


class RelationshipsTab(RecordTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context, RELATIONSHIPS)
        self.dialog: RelationshipDialog | None = None

    def empty_text(self) -> str:
        return "No relationships yet. Use “Add relationship” (Insert) to link two actors, narratives or events."

    def add(self) -> None:
        if self.case is None:
            return
        self.dialog = RelationshipDialog(self.model.names, self)
        self.dialog.accepted.connect(self._add_from_dialog)
        self.dialog.open()

    def _add_from_dialog(self) -> None:
        if self.case is None or self.dialog is None:
            return
        try:
            record = self.dialog.relationship(self.case.id)
        except RRMDeskError as exc:  # refused by validation: shown, nothing added
            self.context.bridge.error(exc)
            return
        if self.context.editor.add(record):
            self.select(record.id)
