"""Progress reporting and cancellation for long work, without Qt.

Long operations take a ``Progress``; the CLI prints it, the desktop app forwards it to a dialog
from a worker thread. ``cancel()`` may be called from any thread; the work checks it between
steps and raises ``Cancelled`` inside its transaction, so nothing half-done is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled

ProgressCallback = Callable[[int, int, str], None]


class Progress:
    """Counts ``done`` of ``total`` steps (bytes, rows) and carries the cancel flag."""

    def __init__(self, callback: ProgressCallback | None = None) -> None:
        self._callback = callback
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled()

    def update(self, done: int, total: int, label: str = "") -> None:
        """Report and check for cancellation in one call, as every loop step should."""
        self.check()
        if self._callback is not None:
            self._callback(done, total, label)


def quiet() -> Progress:
    return Progress()
