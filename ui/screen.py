"""Sizing windows to the screen they open on.

Windows and dialogs are designed for a desktop monitor, and analysts also work on 1366×768
laptops: a dialog opened at its designed size there ran off the bottom of the screen, with its
Import and Close buttons out of reach. Every top-level window asks for its size through here.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

#: the share of the screen's free area a window takes when its designed size does not fit
SCREEN_SHARE = 0.9


def fit_to_screen(widget: QWidget, width: int, height: int) -> tuple[int, int]:
    """Resize ``widget`` to ``width``×``height`` where the screen has room, else to nine tenths of
    the screen in the dimension that does not fit; return the size given."""
    room = widget.screen().availableGeometry()
    size = (min(width, int(room.width() * SCREEN_SHARE)), min(height, int(room.height() * SCREEN_SHARE)))
    widget.resize(*size)
    return size
