"""Long work off the main thread: the one helper every panel uses (Picard's ``run_task``).

``TaskRunner.run`` puts a core function on a ``QThreadPool`` with a ``rrmdesk.Progress``; a
progress dialog with Cancel shows after a short delay; the result or the exception comes back on
the main thread through queued signals. A worker that needs the database opens its own
connection (``Store.open_another``) and closes it: SQLite connections are not shared across
threads. Workers never touch widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from rrmdesk import Progress, Store

from .messages import MessageBridge

SHOW_AFTER_MS = 400
_SCALE = 1000  # QProgressDialog counts in int; bytes of a large file overflow it


class _Signals(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], store: Store | None, progress: Progress, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._work, self._store, self._progress, self._signals = work, store, progress, signals

    def run(self) -> None:  # worker thread
        own: Store | None = None
        try:
            if self._store is not None:
                own = self._store.open_another()
                result = self._work(own, self._progress)
            else:
                result = self._work(self._progress)
        except BaseException as exc:  # handed to the main thread, reported there
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)
        finally:
            if own is not None:
                own.close()


class Task(QObject):
    """One piece of work in flight: its progress, its dialog and where its outcome goes."""

    done = Signal()

    def __init__(self, title: str, parent_widget: QWidget | None, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None], quiet: bool = False) -> None:
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(self.signals.progressed.emit)
        self._on_done, self._on_error = on_done, on_error
        self.signals.finished.connect(self._finished)
        self.signals.failed.connect(self._failed)
        self.dialog: QProgressDialog | None = None
        if quiet:
            return
        self.dialog = QProgressDialog(title, "Cancel", 0, _SCALE, parent_widget)
        self.dialog.setWindowTitle("RRM Desk")
        self.dialog.setAccessibleName(title)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.canceled.connect(self.progress.cancel)
        self.dialog.setValue(0)
        self.signals.progressed.connect(self._progressed)

    def cancel(self) -> None:
        self.progress.cancel()

    def _progressed(self, done: int, total: int, label: str) -> None:
        assert self.dialog is not None
        if label:
            self.dialog.setLabelText(label[:1].upper() + label[1:] + "…")
        self.dialog.setValue(int(_SCALE * done / total) if total else 0)

    def _close(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.progress.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.done.emit()

    def _finished(self, result: Any) -> None:
        self._close()
        self._on_done(result)

    def _failed(self, exc: BaseException) -> None:
        self._close()
        self._on_error(exc)


class TaskRunner(QObject):
    """Runs core functions on a thread pool and reports failures through the message bridge."""

    def __init__(self, bridge: MessageBridge, parent_widget: QWidget | None = None,
                 pool: QThreadPool | None = None) -> None:
        super().__init__()
        self._bridge = bridge
        self._parent_widget = parent_widget
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()

    def run(self, title: str, work: Callable[..., Any], on_done: Callable[[Any], None] = lambda _r: None,
            store: Store | None = None, on_error: Callable[[BaseException], None] | None = None,
            quiet: bool = False) -> Task:
        """Run ``work(progress)``, or ``work(own_store, progress)`` when ``store`` is given.

        ``quiet`` skips the progress dialog, for short work whose caller shows its own state.
        """
        task = Task(title, self._parent_widget, on_done, on_error or self._bridge.error, quiet)
        self._running.add(task)
        task.done.connect(lambda: self._running.discard(task))
        self._pool.start(_Job(work, store, task.progress, task.signals))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def cancel_all(self) -> None:
        """Ask every task to stop and wait for the workers (before the store closes)."""
        for task in list(self._running):
            task.cancel()
        self._pool.waitForDone()
