"""TLP 2.0 markings as the analyst sees them: the official colours on black, always labelled.

Colours are those of the FIRST TLP 2.0 standard (RED #FF2B2B, AMBER #FFC000, GREEN #33FF00,
CLEAR white), each shown on a black background as the standard asks, so the badge reads the
same in light and dark themes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

COLOURS: dict[str, str] = {
    "red": "#FF2B2B",
    "amber+strict": "#FFC000",
    "amber": "#FFC000",
    "green": "#33FF00",
    "clear": "#FFFFFF",
}
BACKGROUND = "#000000"


def label(tlp: str) -> str:
    """``TLP:AMBER+STRICT``: the marking as it is written on documents."""
    return f"TLP:{tlp.upper()}"


_QCOLOURS = {marking: QColor(code) for marking, code in COLOURS.items()}


def colour(tlp: str) -> QColor:
    """The marking's colour (shared instance: copy it before changing it)."""
    return _QCOLOURS.get(tlp, _QCOLOURS["clear"])


class TlpBadge(QLabel):
    """A black pill with the coloured TLP label; empty (hidden) when there is no marking."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAccessibleName("TLP marking")
        self.set_tlp(None)

    def set_tlp(self, tlp: str | None) -> None:
        self.tlp = tlp
        if tlp is None:
            self.hide()
            return
        self.setText(label(tlp))
        self.setToolTip(f"This case is marked {label(tlp)}")
        self.setAccessibleDescription(label(tlp))
        self.setStyleSheet(
            f"QLabel {{ background: {BACKGROUND}; color: {COLOURS.get(tlp, '#FFFFFF')}; font-weight: bold;"
            " border: 1px solid #5a5a5a; border-radius: 4px; padding: 2px 8px; }"
        )
        self.show()
