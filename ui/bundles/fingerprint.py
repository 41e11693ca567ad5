"""Fingerprints written to be read aloud: ``SHA256:abcd efgh …`` in groups of four, monospace.

Two desk officers compare a key on the phone; groups of four are what a person can say and
check without losing the place. The text stays the ``ssh-keygen -lf`` fingerprint with spaces.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel

PREFIX = "SHA256:"


def spoken(fingerprint: str, group: int = 4) -> str:
    """``SHA256:AbCdEfGh…`` as ``SHA256:AbCd EfGh …``."""
    body = fingerprint[len(PREFIX):] if fingerprint.startswith(PREFIX) else fingerprint
    groups = " ".join(body[i:i + group] for i in range(0, len(body), group))
    return f"{PREFIX}{groups}" if fingerprint.startswith(PREFIX) else groups


def monospace_font(scale: float = 1.0) -> QFont:
    """The system's fixed-width font, where l, 1 and I (and O and 0) look different."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    return font


def monospace_label(text: str = "", accessible: str = "Fingerprint", scale: float = 1.0) -> QLabel:
    """A selectable label in the fixed-width font, larger (``scale``) where it is to be read aloud."""
    label = QLabel(text)
    label.setFont(monospace_font(scale))
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    label.setAccessibleName(accessible)
    return label
