"""What the timeline and graph views share: a matplotlib canvas fed by work off the main thread.

Figures are built by ``rrmdesk.charts`` on a worker (``TaskRunner``, its own database
connection) and only wrapped in a ``FigureCanvasQTAgg`` here, on the main thread. Each render
carries a generation number, so a slow render that finishes after a newer one is dropped
instead of replacing the picture the analyst is looking at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from rrmdesk import RRMDeskError, Store, UsageError
from rrmdesk.charts import export_figure

from ..messages import MessageBridge
from ..tasks import Task, TaskRunner

ZOOM_STEP = 1.25


class ChartView(QWidget):
    """A toolbar row, a canvas and a status line; subclasses say what to render."""

    #: a new figure is on screen (tests and the lead's screenshots wait for it)
    rendered = Signal()

    def __init__(self, store: Store, tasks: TaskRunner | None = None, bridge: MessageBridge | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.bridge = bridge or MessageBridge(self)
        self.tasks = tasks or TaskRunner(self.bridge, self)
        self.case_id: str | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self._generation = 0
        self._running: Task | None = None
        self.status = QLabel("")
        self.status.setObjectName("chartStatus")
        self.status.setAccessibleName("Chart status")
        self.canvas_area = QWidget()
        self.body = QVBoxLayout(self.canvas_area)
        self.body.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel("Choose a case to see it here.")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.addWidget(self._placeholder, 1)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(6, 6, 6, 6)
        self.toolbar = QVBoxLayout()
        self.outer.addLayout(self.toolbar)
        self.outer.addWidget(self.canvas_area, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        self.export_button = QPushButton("Export chart…")
        self.export_button.setToolTip("Save the chart as PDF, PNG or SVG, with its TLP marking")
        self.export_button.clicked.connect(self._ask_export)
        footer.addWidget(self.export_button)
        self.outer.addLayout(footer)

    # -- running renders off the main thread ----------------------------------------------

    def run(self, label: str, work: Callable[..., Any], done: Callable[[Any], None], with_store: bool) -> None:
        """Start ``work`` on a worker (``work(own_store, progress)`` when ``with_store``)."""
        if self._running is not None:
            self._running.cancel()
        self._generation += 1
        generation = self._generation
        self.status.setText(label + "…")

        def finished(result: Any) -> None:
            if generation != self._generation:
                return  # a newer render was asked for meanwhile
            self._running = None
            done(result)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._running = None
            self.status.setText(getattr(exc, "message", "Drawing failed"))
            self.bridge.error(exc)

        self._running = self.tasks.run(label, work, finished, store=self.store if with_store else None,
                                       on_error=failed, quiet=True)

    @property
    def busy(self) -> bool:
        return self._running is not None

    def show_figure(self, figure: Figure) -> FigureCanvasQTAgg:
        """Put a figure built on a worker on screen, replacing the previous canvas."""
        canvas = FigureCanvasQTAgg(figure)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        canvas.setMouseTracking(True)
        self._swap(canvas)
        self.canvas = canvas
        self.connect_canvas(canvas)
        canvas.draw_idle()
        return canvas

    def _swap(self, widget: QWidget) -> None:
        old = self.canvas or self._placeholder
        self.body.replaceWidget(old, widget)
        widget.show()
        old.hide()
        old.deleteLater()

    def clear(self) -> None:
        """Forget the case (workspace locked, case closed): stop drawing, show nothing of it."""
        self.stop()
        self.case_id = None
        if self.canvas is not None:
            self._placeholder = QLabel("Choose a case to see it here.")
            self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._swap(self._placeholder)
            self.canvas = None
        self.status.setText("")

    def export_chart(self, path: Path) -> Path:
        """Write the figure on screen to PNG, SVG or PDF (by extension), as the CLI would."""
        if self.canvas is None:
            raise UsageError("nothing is drawn yet", "choose a case first")
        figure = self.canvas.figure
        title = next((t.get_text() for t in figure.texts if t.get_gid() == "chart-title"), "")
        tlp = next((t.get_text() for t in figure.texts if t.get_gid() == "tlp-banner-top"), "")
        path = export_figure(figure, Path(path), title=title, tlp=tlp.removeprefix("TLP:").lower(), overwrite=True)
        if self.case_id:
            self.store.record_event("export-chart", self.case_id, {"format": path.suffix.lstrip("."), "file": path.name})
        return path

    def _ask_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export chart", "chart.pdf", "PDF (*.pdf);;PNG (*.png);;SVG (*.svg)")
        if name:
            try:
                self.export_chart(Path(name))
            except RRMDeskError as exc:
                self.bridge.error(exc)

    def connect_canvas(self, canvas: FigureCanvasQTAgg) -> None:
        """Hook mouse and key handlers to a new canvas (subclasses)."""

    def stop(self) -> None:
        """Cancel a render in flight (before the store closes)."""
        if self._running is not None:
            self._running.cancel()
            self._running = None
        self._generation += 1

    # -- helpers for zooming about a point --------------------------------------------------

    @staticmethod
    def zoomed(low: float, high: float, centre: float, factor: float) -> tuple[float, float]:
        """The span ``low``–``high`` scaled by ``factor`` (below 1 zooms in) about ``centre``."""
        return centre - (centre - low) * factor, centre + (high - centre) * factor

    def qt_position(self, display_x: float, display_y: float) -> tuple[int, int]:
        """Widget coordinates of a matplotlib display point (for tests and tooltips)."""
        assert self.canvas is not None
        ratio = self.canvas.device_pixel_ratio or 1
        return round(display_x / ratio), round(self.canvas.height() - display_y / ratio)

