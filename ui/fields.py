"""Widgets the unlock, recovery and first-run dialogs share: masked secret fields and the red
line that explains what went wrong, so they look and read the same everywhere."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit

ERROR_COLOUR = "#d01919"


def secret_field(name: str, placeholder: str | None = None) -> QLineEdit:
    """A masked field for a passphrase or recovery key, named for screen readers."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    field.setPlaceholderText(name if placeholder is None else placeholder)
    return field


def error_line(object_name: str, accessible_name: str) -> QLabel:
    """A hidden, wrapping red label for a dialog's one-line error and its hint."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.hide()
    return label
