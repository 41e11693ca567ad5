"""The one place the desktop app reports to the analyst (qutebrowser's ``message`` bridge).

Code anywhere hands an outcome to ``MessageBridge``; it decides how to show it:
an ``RRMDeskError`` is an expected failure and becomes a dialog with its message and hint;
``Cancelled`` is a status-bar note; anything else is a bug, shown as a crash dialog and logged
with its traceback but without the exception's text, which may quote case content.
Dialogs are opened window-modal without blocking (``open()``), so no nested event loop runs
inside a slot and tests can read the dialog that is showing.
"""

from __future__ import annotations

import logging
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from rrmdesk import Cancelled, RRMDeskError

log = logging.getLogger("rrmdesk.ui")


def scrubbed_traceback(exc: BaseException) -> str:
    """Where the bug happened (files, lines, functions) without values that may hold case content."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
    return "\n".join(["Traceback (most recent call last):", *lines, f"{type(exc).__module__}.{type(exc).__qualname__}"])


class MessageBridge(QObject):
    """Shows errors, notes and crashes; panels get it passed in, there is no global instance."""

    status = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window: QWidget | None = None
        self.current: QMessageBox | None = None

    def note(self, text: str) -> None:
        """A passing remark for the status bar."""
        self.status.emit(text)

    def error(self, exc: BaseException) -> None:
        """Report a failure of something the analyst asked for."""
        if isinstance(exc, Cancelled):
            self.note("Cancelled; nothing was changed.")
        elif isinstance(exc, RRMDeskError):
            self.note(exc.message)
            self._show(QMessageBox.Icon.Warning, "RRM Desk", exc.message, exc.hint)
        else:
            self.crash(exc)

    def crash(self, exc: BaseException) -> None:
        details = scrubbed_traceback(exc)
        log.error("internal error %s\n%s", type(exc).__name__, details)
        self._show(
            QMessageBox.Icon.Critical,
            "RRM Desk: internal error",
            f"Something went wrong inside RRM Desk ({type(exc).__name__}). This is a bug, not your mistake.",
            "Your saved work is safe: every change is stored when you make it. "
            "Send the details below to your support desk; they contain no case content.",
            details,
        )

    def excepthook(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """For ``sys.excepthook``: an exception escaping a slot becomes a crash dialog."""
        self.error(exc.with_traceback(tb))

    def _show(self, icon: QMessageBox.Icon, title: str, text: str, hint: str, details: str = "") -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setInformativeText(hint)
        if details:
            box.setDetailedText(details)
        box.setAccessibleName(title)
        box.finished.connect(lambda _result, shown=box: self._closed(shown))
        self.current = box
        box.open()

    def _closed(self, box: QMessageBox) -> None:
        if self.current is box:
            self.current = None
        box.deleteLater()
