"""Fingerprints written to be read aloud: ``SHA256:abcd efgh …`` in groups of four, monospace.

Two desk officers compare a key on the phone; groups of four are what a person can say and
check without losing the place. The text stays the ``ssh-keygen -lf`` fingerprint with spaces.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel

PREFIX = "SHA256:"


def spoken(fingerprint: str, group: int = 4) -> str:
    """``SHA256:AbCdEfGh…`` as ``SHA256:AbCd EfGh …``."""
    body = fingerprint[len(PREFIX):] if fingerprint.startswith(PREFIX) else fingerprint
    groups = " ".join(body[i:i + group] for i in range(0, len(body), group))
    return f"{PREFIX}{groups}" if fingerprint.startswith(PREFIX) else groups


def monospace_label(text: str = "", accessible: str = "Fingerprint") -> QLabel:
    """A selectable label in the system's fixed-width font (l, 1 and I look different there)."""
    label = QLabel(text)
    label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setAccessibleName(accessible)
    return label
