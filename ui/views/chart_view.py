"""What the timeline and graph views share: a matplotlib canvas fed by work off the main thread.

Figures are built by ``rrmdesk.charts`` on a worker (``TaskRunner``, its own database
connection) and only wrapped in a ``FigureCanvasQTAgg`` here, on the main thread. Each render
carries a generation number, so a slow render that finishes after a newer one is dropped
instead of replacing the picture the analyst is looking at.

Figures are laid out for the size they are shown at. The chart renderers place their frame,
legends and key-event list in inches, so a figure built for one size and stretched to another
draws a small chart adrift in white space; the view therefore asks for a figure exactly the
size of its canvas (``figure_size``, in logical pixels at ``SCREEN_DPI``: matplotlib scales by
the device pixel ratio itself, so text keeps its point size on a HiDPI screen) and, when the
canvas is resized, lays the chart out again once the resizing has stopped (``REFIT_MS``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import RRMDeskError, Store, UsageError
from rrmdesk.charts import export_figure

from ..messages import MessageBridge
from ..tasks import Task, TaskRunner

ZOOM_STEP = 1.25
#: figure dots per logical pixel-inch on screen: 9.5 pt labels come out about 13 px high
SCREEN_DPI = 100
#: smallest figure laid out (pixels), and so the smallest the canvas gets: a canvas narrower than
#: the figure stretched the chart's layout (a title ran under the TLP banner on a laptop screen)
MIN_FIGURE = (400, 340)
#: after the canvas stops changing size for this long, lay the chart out again for the new size
REFIT_MS = 250
#: narrowest an option box gets on a small screen (pixels); its text is cut short, the tooltip
#: and the open list still show all of it
NARROWEST_OPTION = 90


class OptionCombo(QComboBox):
    """A chart option box that asks for the width of its text but gives way on a narrow screen:
    a row of five full-width boxes was wider than the case area of a 1366-px laptop and pushed
    the chart's buttons out of sight."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), NARROWEST_OPTION), hint.height())


def option_combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
    """An option box of (text, value) items, named for screen readers and tooltips."""
    combo = OptionCombo()
    combo.setAccessibleName(name)
    combo.setToolTip(name)
    for text, data in items:
        combo.addItem(text, data)
    return combo
#: size changes smaller than this (pixels) keep the current layout
REFIT_SLACK = 8


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
        #: the language of the words drawn on the chart (the analyst's preference; "en" or "fr")
        self.language = "en"
        self.canvas: FigureCanvasQTAgg | None = None
        self._generation = 0
        self._running: Task | None = None
        self._drawn_for: tuple[int, int] | None = None  # canvas size (pixels) the figure was laid out for
        self._refit = QTimer(self, singleShot=True, interval=REFIT_MS, timeout=self._refit_if_resized)
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
        """A render is running, or one may follow a resize that has not settled yet."""
        return self._running is not None or self._refit.isActive()

    # -- fitting the figure to the canvas ---------------------------------------------------

    def canvas_pixels(self) -> tuple[int, int]:
        """The logical size the figure is shown at: that of the canvas (or the placeholder in its place)."""
        slot = self.canvas if self.canvas is not None else self._placeholder
        return max(slot.width(), MIN_FIGURE[0]), max(slot.height(), MIN_FIGURE[1])

    def figure_size(self) -> tuple[float, float]:
        """Inches for a figure that fills the canvas at ``SCREEN_DPI`` (the renderers' ``size`` option)."""
        width, height = self.canvas_pixels()
        return width / SCREEN_DPI, height / SCREEN_DPI

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.canvas is not None:
            self._refit.start()

    def _refit_if_resized(self) -> None:
        if self.canvas is None or self.case_id is None or self._drawn_for is None:
            return
        if self._running is not None:
            return  # the render in flight was sized just now; show_figure checks again
        width, height = self.canvas_pixels()
        if abs(width - self._drawn_for[0]) > REFIT_SLACK or abs(height - self._drawn_for[1]) > REFIT_SLACK:
            self.relayout()

    def relayout(self) -> None:
        """Draw the chart again at the canvas's new size, keeping the zoom (subclasses)."""

    def show_figure(self, figure: Figure) -> FigureCanvasQTAgg:
        """Put a figure built on a worker on screen, replacing the previous canvas."""
        width, height = figure.get_size_inches()
        self._drawn_for = (round(width * SCREEN_DPI), round(height * SCREEN_DPI))
        canvas = FigureCanvasQTAgg(figure)
        canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Never narrower than the smallest figure laid out, and as tall as a chart that grew
        # beyond the height asked for to keep its keys clear of the plot (the case tab scrolls).
        grew = self._drawn_for[1] > self.canvas_pixels()[1] + REFIT_SLACK
        canvas.setMinimumSize(MIN_FIGURE[0], self._drawn_for[1] if grew else MIN_FIGURE[1])
        canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        canvas.setMouseTracking(True)
        self._swap(canvas)
        self.canvas = canvas
        self.connect_canvas(canvas)
        canvas.draw_idle()
        self._refit.start()  # the canvas may since have been resized (or laid out for the first time)
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
        self._refit.stop()
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

