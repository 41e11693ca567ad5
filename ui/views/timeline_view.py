"""The Timeline tab: the case's events on a zoomable date axis, in swimlanes.

Mouse: wheel zooms about the pointer, drag pans, a click selects the event under the pointer
(``eventSelected``), hovering shows a tooltip. Keyboard (canvas focused): + and - zoom, the
arrow keys pan, Home shows the whole case. The date-range sliders below narrow the view.
A dense view is drawn as density strips; zooming in past the threshold redraws single events.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backend_bases import KeyEvent, MouseEvent
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSlider, QWidget

from rrmdesk import Progress, Store
from rrmdesk.charts import TimelineChart, TimelineFilter, TimelineOptions, load_snapshot, render_timeline
from rrmdesk.charts.snapshot import CaseSnapshot
from rrmdesk.charts.timeline import COLOUR_BY, LANES, utc_datetime
from rrmdesk.disarm import default_catalog

from ..messages import MessageBridge
from ..tasks import TaskRunner
from .chart_view import ZOOM_STEP, ChartView, option_combo

SLIDER_STEPS = 1000
CLICK_SLOP = 4  # pixels a press may move and still count as a click
SETTLE_MS = 250  # after zooming stops, decide whether to redraw single events or strips


class TimelineView(ChartView):
    """A case timeline for the desktop app; construct with a ``Store`` and (optionally) a case id."""

    eventSelected = Signal(str)

    def __init__(self, store: Store, case_id: str | None = None, tasks: TaskRunner | None = None,
                 bridge: MessageBridge | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, tasks, bridge, parent)
        self.snapshot: CaseSnapshot | None = None
        self.chart: TimelineChart | None = None
        self.full_span: tuple[float, float] | None = None
        self._press: tuple[float, float, tuple[float, float]] | None = None
        self._ring = None  # the selection ring, a Line2D on the current chart
        self._build_controls()
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS, timeout=self._settled)
        self._typing = QTimer(self, singleShot=True, interval=300, timeout=self._filters_changed)
        if case_id:
            self.set_case(case_id)

    # -- controls ---------------------------------------------------------------------------

    def _build_controls(self) -> None:
        row = QHBoxLayout()
        self.lanes = option_combo("Swimlanes", [(f"Lanes: {name}", name) for name in LANES])
        self.colour = option_combo("Colour events by", [(f"Colour: {name}", name) for name in COLOUR_BY])
        self.actor_filter = option_combo("Filter by actor", [("All actors", None)])
        self.narrative_filter = option_combo("Filter by narrative", [("All narratives", None)])
        self.tactic_filter = option_combo("Filter by DISARM tactic", [("All tactics", None)])
        self.platform_filter = option_combo("Filter by platform", [("All platforms", None)])
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter events by text")
        self.text_filter.setAccessibleName("Filter events by text")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.textChanged.connect(lambda _text: self._typing.start())
        self.reset = QPushButton("Whole case")
        self.reset.setToolTip("Show the whole case (Home)")
        self.reset.clicked.connect(self.reset_zoom)
        for widget in (self.lanes, self.colour, self.actor_filter, self.narrative_filter, self.tactic_filter,
                       self.platform_filter):
            row.addWidget(widget)
            widget.currentIndexChanged.connect(self._filters_changed)
        row.addStretch(1)
        self.toolbar.addLayout(row)

        sliders = QHBoxLayout()
        self.from_label, self.to_label = QLabel(""), QLabel("")
        self.from_slider, self.to_slider = QSlider(Qt.Orientation.Horizontal), QSlider(Qt.Orientation.Horizontal)
        for slider, name, value in ((self.from_slider, "View starts", 0), (self.to_slider, "View ends", SLIDER_STEPS)):
            slider.setRange(0, SLIDER_STEPS)
            slider.setValue(value)
            slider.setAccessibleName(name)
            slider.valueChanged.connect(self._slider_moved)
        # The text filter and "Whole case" share the dates' row: with the six lists one row is wider
        # than the tab on a 1600-pixel screen.
        self.text_filter.setMinimumWidth(180)
        self.text_filter.setMaximumWidth(300)
        sliders.addWidget(self.text_filter, 1)
        sliders.addWidget(self.from_label)
        sliders.addWidget(self.from_slider, 1)
        sliders.addWidget(self.to_slider, 1)
        sliders.addWidget(self.to_label)
        sliders.addWidget(self.reset)
        self.body.insertLayout(0, sliders)

    def _fill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(0)
        combo.blockSignals(False)

    def _fill_filters(self, snapshot: CaseSnapshot) -> None:
        used_actors = {a for e in snapshot.events for a in e.actor_ids}
        used_narratives = {n for e in snapshot.events for n in e.narrative_ids}
        self._fill(self.actor_filter, sorted((a.name, a.id) for a in snapshot.actors if a.id in used_actors))
        self._fill(self.narrative_filter,
                   sorted((n.title, n.id) for n in snapshot.narratives if n.id in used_narratives))
        catalog = default_catalog()
        tactics = {catalog.get(c).tactic for e in snapshot.events for c in e.techniques if catalog.get(c)}
        self._fill(self.tactic_filter,
                   [(f"{t.id} {t.name}", t.id) for t in catalog.tactics() if t.id in tactics])
        self._fill(self.platform_filter, [(p, p) for p in sorted({e.platform for e in snapshot.events if e.platform})])

    def options(self, window: tuple[float, float] | None = None) -> TimelineOptions:
        """What the controls ask for; ``window`` is a date span in matplotlib units."""
        def chosen(combo: QComboBox) -> frozenset[str]:
            return frozenset({combo.currentData()}) if combo.currentData() else frozenset()

        options = TimelineOptions(
            lanes=self.lanes.currentData(), colour_by=self.colour.currentData(), size=self.figure_size(),
            filter=TimelineFilter(actors=chosen(self.actor_filter), narratives=chosen(self.narrative_filter),
                                  tactics=chosen(self.tactic_filter), platforms=chosen(self.platform_filter),
                                  text=self.text_filter.text().strip()),
            language=self.language)
        return options.window(*window) if window else options

    # -- loading and drawing ----------------------------------------------------------------

    def set_case(self, case_id: str | None) -> None:
        """Show another case (None clears the view)."""
        if case_id is None:
            self.clear()
        self.case_id = case_id
        self.snapshot = self.chart = self.full_span = None
        if case_id:
            self.refresh()

    def select(self, object_id: str) -> bool:
        """Show ``object_id`` selected (the case tabs' selection protocol); False if not drawn."""
        return self.select_event(object_id)

    def refresh(self) -> None:
        """Read the case again (after an edit) and redraw at the current zoom."""
        if not self.case_id:
            return
        case_id, options = self.case_id, self.options()

        def work(store: Store, progress: Progress) -> tuple[CaseSnapshot, TimelineChart]:
            snapshot = load_snapshot(store, case_id, progress)
            return snapshot, render_timeline(snapshot, options, progress)

        self.run("Reading the case", work, self._loaded, with_store=True)

    def _loaded(self, result: tuple[CaseSnapshot, TimelineChart]) -> None:
        self.snapshot, chart = result
        self._fill_filters(self.snapshot)
        self._show(chart, whole=True)

    def redraw(self, window: tuple[float, float] | None = None) -> None:
        """Render again from the loaded case with the current controls (off the main thread)."""
        if self.snapshot is None:
            return
        snapshot, options = self.snapshot, self.options(window)
        self.run("Drawing the timeline", lambda progress: render_timeline(snapshot, options, progress),
                 lambda chart: self._show(chart, whole=window is None), with_store=False)

    def _show(self, chart: TimelineChart, whole: bool) -> None:
        self.chart = chart
        self._ring = None
        if whole and chart.axes is not None:
            self.full_span = chart.span
        self.show_figure(chart.figure)
        mode = {"events": "", "density": " (density view: zoom in for single events)", "empty": ""}[chart.mode]
        self.status.setText(f"{len(set(chart.event_ids)) if chart.mode == 'events' else chart.in_view:,} events shown{mode}")
        self._sync_sliders()
        self.rendered.emit()

    def _filters_changed(self) -> None:
        self.redraw(self.view_span() if self._zoomed() else None)

    def relayout(self) -> None:
        """The canvas changed size: lay the same view out again for it."""
        self._filters_changed()

    def select_event(self, event_id: str | None) -> bool:
        """Ring an event chosen elsewhere (Events tab, inspector); False if it is not drawn."""
        chart = self.chart
        if self._ring is not None:
            self._ring.remove()
            self._ring = None
        if chart is None or chart.axes is None or chart.mode != "events" or event_id not in chart.event_ids:
            if self.canvas is not None:
                self.canvas.draw_idle()
            return False
        rows = [i for i, e in enumerate(chart.event_ids) if e == event_id]
        (self._ring,) = chart.axes.plot(chart.x0[rows], chart.y[rows], linestyle="", marker="o", markersize=15,
                                        markerfacecolor="none", markeredgecolor="#000000", markeredgewidth=2,
                                        zorder=6, gid="selection")
        if self.canvas is not None:
            self.canvas.draw_idle()
        return True

    # -- zoom and pan -----------------------------------------------------------------------

    def view_span(self) -> tuple[float, float] | None:
        if self.chart is None or self.chart.axes is None:
            return None
        low, high = self.chart.axes.get_xlim()
        return float(low), float(high)

    def _zoomed(self) -> bool:
        span, whole = self.view_span(), self.full_span
        return bool(span and whole and (span[0] > whole[0] + 1e-9 or span[1] < whole[1] - 1e-9))

    def set_view(self, low: float, high: float) -> None:
        """Show the dates ``low``–``high`` (matplotlib units); redraws detail when it settles."""
        if self.chart is None or self.chart.axes is None or high <= low:
            return
        self.chart.axes.set_xlim(low, high)
        if self.canvas is not None:
            self.canvas.draw_idle()
        self._sync_sliders()
        self._settle.start()

    def zoom(self, factor: float, centre: float | None = None) -> None:
        span = self.view_span()
        if span is None:
            return
        middle = centre if centre is not None else (span[0] + span[1]) / 2
        self.set_view(*self.zoomed(span[0], span[1], middle, factor))

    def pan(self, fraction: float) -> None:
        span = self.view_span()
        if span is not None:
            shift = (span[1] - span[0]) * fraction
            self.set_view(span[0] + shift, span[1] + shift)

    def reset_zoom(self) -> None:
        if self.chart is not None and self.chart.mode == "events" and self.full_span and \
                self.chart.span == self.full_span:
            self.set_view(*self.full_span)
        else:
            self.redraw(None)

    def _settled(self) -> None:
        """After zooming: strips become events when few enough are in view, and back."""
        chart, span = self.chart, self.view_span()
        if chart is None or span is None:
            return
        if chart.mode == "density":
            in_view = int(((chart.x0 >= span[0]) & (chart.x0 <= span[1])).sum())
            if in_view <= self.options().density_threshold:
                self.redraw(span)
        elif span[0] < chart.span[0] - 1e-9 or span[1] > chart.span[1] + 1e-9:
            whole = self.full_span
            self.redraw(None if whole and span[0] <= whole[0] and span[1] >= whole[1] else span)

    def _sync_sliders(self) -> None:
        span, whole = self.view_span(), self.full_span
        if not span or not whole:
            return
        width = whole[1] - whole[0]
        for slider, value in ((self.from_slider, span[0]), (self.to_slider, span[1])):
            slider.blockSignals(True)
            slider.setValue(round((value - whole[0]) / width * SLIDER_STEPS))
            slider.blockSignals(False)
        self.from_label.setText(utc_datetime(max(span[0], whole[0])).strftime("%Y-%m-%d %H:%M"))
        self.to_label.setText(utc_datetime(min(span[1], whole[1])).strftime("%Y-%m-%d %H:%M"))

    def _slider_moved(self) -> None:
        whole = self.full_span
        if not whole:
            return
        start, end = sorted((self.from_slider.value(), self.to_slider.value()))
        end = max(end, start + 1)
        width = whole[1] - whole[0]
        self.set_view(whole[0] + width * start / SLIDER_STEPS, whole[0] + width * end / SLIDER_STEPS)

    # -- mouse and keyboard -------------------------------------------------------------------

    def connect_canvas(self, canvas) -> None:
        canvas.mpl_connect("scroll_event", self._on_scroll)
        canvas.mpl_connect("button_press_event", self._on_press)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        canvas.mpl_connect("button_release_event", self._on_release)
        canvas.mpl_connect("key_press_event", self._on_key)

    def _on_scroll(self, event: MouseEvent) -> None:
        if event.inaxes is not None:
            self.zoom(1 / ZOOM_STEP if event.button == "up" else ZOOM_STEP, event.xdata)

    def _on_press(self, event: MouseEvent) -> None:
        span = self.view_span()
        if event.button == 1 and span is not None:
            self._press = (event.x, event.y, span)

    def _on_motion(self, event: MouseEvent) -> None:
        if self._press is not None and self.chart is not None and self.chart.axes is not None:
            x, _, (low, high) = self._press
            if abs(event.x - x) > CLICK_SLOP:
                axes_width = self.chart.axes.get_window_extent().width
                shift = (event.x - x) / axes_width * (high - low)
                self.set_view(low - shift, high - shift)
            return
        self._hover(event)

    def _on_release(self, event: MouseEvent) -> None:
        press, self._press = self._press, None
        if press is None or abs(event.x - press[0]) > CLICK_SLOP or abs(event.y - press[1]) > CLICK_SLOP:
            return
        found = self.chart.event_at(event.x, event.y) if self.chart else None
        if found:
            self.select_event(found)
            self.eventSelected.emit(found)

    def _hover(self, event: MouseEvent) -> None:
        if self.chart is None or self.snapshot is None or self.canvas is None:
            return
        found = self.chart.event_at(event.x, event.y)
        text = self.chart.tooltip(found, self.snapshot) if found else ""
        if self.canvas.toolTip() != text:
            self.canvas.setToolTip(text)  # Qt shows it when the pointer rests

    def _on_key(self, event: KeyEvent) -> None:
        actions = {"+": lambda: self.zoom(1 / ZOOM_STEP), "=": lambda: self.zoom(1 / ZOOM_STEP),
                   "-": lambda: self.zoom(ZOOM_STEP), "left": lambda: self.pan(-0.1),
                   "right": lambda: self.pan(0.1), "home": self.reset_zoom, "0": self.reset_zoom}
        action = actions.get(event.key or "")
        if action:
            action()

