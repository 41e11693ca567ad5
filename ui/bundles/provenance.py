"""Where an object came from, for the inspector: sender, bundle, signer fingerprint, received at.

``provenance_rows`` turns ``rrmdesk.interop.provenance_of`` into label/text pairs, one group per
import that brought the object (oldest first); objects made here have none.
``provenance_widgets`` makes them into the inspector's form rows, styled like its own fields:
the signer's fingerprint in the fixed-width font, ids in a read-only field to copy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from rrmdesk import Store
from rrmdesk.interop import provenance_of

from ..models.columns import short_time
from .fingerprint import monospace_label, spoken

SIGNER = "Signed by key"
BUNDLE = "Bundle"


def provenance_rows(store: Store, object_id: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for entry in provenance_of(store, object_id):
        rows.append(("Received from", entry.get("sender") or "an unsigned file import"))
        if entry.get("bundle_id"):
            rows.append((BUNDLE, entry["bundle_id"]))
        if entry.get("signer"):
            rows.append((SIGNER, spoken(entry["signer"])))
        if entry.get("received_at"):
            rows.append(("Received at", short_time(entry["received_at"]) + " UTC"))
    return rows


def _value(name: str, text: str) -> QWidget:
    if name == SIGNER:
        return monospace_label(text, name)
    if name == BUNDLE:
        field = QLineEdit(text)
        field.setObjectName("inspectorId")  # styled like the inspector's own id field
        field.setReadOnly(True)
        field.setFrame(False)
        field.setCursorPosition(0)
        field.setAccessibleName(name)
        return field
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


def provenance_widgets(store: Store, object_id: str) -> list[tuple[QLabel, QWidget]]:
    """(title, value) widgets for ``QFormLayout.addRow``, titled as the inspector titles its fields."""
    made: list[tuple[QLabel, QWidget]] = []
    for name, text in provenance_rows(store, object_id):
        title = QLabel(name)
        title.setObjectName("inspectorField")
        made.append((title, _value(name, text)))
    return made
