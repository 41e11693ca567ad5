"""The right-hand panel: every field of the selected object, references shown by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from rrmdesk import vocab
from rrmdesk.model import Record

from .models.columns import human_size, short_time

_HIDDEN = {"id", "case_id"}
_LABELS = {"tlp": "TLP", "url": "URL", "sha256": "SHA-256", "actor_ids": "Actors", "narrative_ids": "Narratives",
           "evidence_ids": "Evidence", "source_id": "Source", "target_id": "Target", "custody": "Chain of custody",
           "target_countries": "Target countries", "key": "Key event"}


def field_label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def _value_text(record: Record, name: str, value: Any, names: dict[str, str]) -> str:
    if value in (None, "", [], {}):
        return ""
    if name == "size":
        return human_size(int(value)) if getattr(record, "kind", "file") == "file" else ""
    if name in ("created", "modified", "start", "end", "first_seen", "last_seen", "captured_at", "date"):
        return short_time(value) + " UTC"
    if name == "custody":
        return "\n".join(f"{short_time(step.get('at'))} · {step.get('by', '')} · {step.get('action', '')}" for step in value)
    if name == "reliability":
        return f"{value}: {vocab.RELIABILITY_LABEL.get(value, '')}"
    if name == "credibility":
        return f"{value}: {vocab.CREDIBILITY_LABEL.get(value, '')}"
    if name == "tlp":
        return f"TLP:{value.upper()}"
    if isinstance(value, list):
        return ", ".join(names.get(v, v) for v in value)
    if isinstance(value, str) and "--" in value and value in names:
        return names[value]
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Inspector(QScrollArea):
    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Inspector")
        self.setWidgetResizable(True)
        self.setMinimumWidth(220)
        self._page = QWidget()
        self._layout = QVBoxLayout(self._page)
        self._heading = QLabel()
        self._heading.setObjectName("inspectorHeading")
        self._heading.setWordWrap(True)
        self._form = QFormLayout()
        self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self._layout.addWidget(self._heading)
        self._layout.addLayout(self._form)
        self._layout.addStretch(1)
        self.setWidget(self._page)
        self.names: dict[str, str] = {}
        #: (title, value) widgets saying where an object came from (bundle provenance); the main window sets it
        self.provenance: Callable[[str], list[tuple[QLabel, QWidget]]] = lambda _object_id: []
        self.show_record(None)

    def show_record(self, record: Record | None) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        if record is None:
            self._heading.setText("<b>Inspector</b><br><small>Select an actor, event, evidence item or other "
                                  "object to see all its details here.</small>")
            return
        self._heading.setText(f"<b>{record.KIND.replace('-', ' ').capitalize()}</b>")
        for field in dataclasses.fields(record):
            if field.name in _HIDDEN:
                continue
            text = _value_text(record, field.name, getattr(record, field.name), self.names)
            if not text:
                continue
            value = QLabel(text)
            value.setWordWrap(True)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(field_label(field.name))
            title = QLabel(field_label(field.name))
            title.setObjectName("inspectorField")
            self._form.addRow(title, value)
        for title, value in self.provenance(record.id):
            self._form.addRow(title, value)
        ident = QLineEdit(record.id)
        ident.setObjectName("inspectorId")
        ident.setReadOnly(True)
        ident.setFrame(False)
        ident.setCursorPosition(0)
        ident.setAccessibleName("Id")
        ident.setToolTip("The object's id, for the command line and partners")
        self._form.addRow(QLabel("Id"), ident)
