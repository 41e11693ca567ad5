"""The Graph tab: the actor-link graph beside a sortable table of network measures.

Mouse: wheel zooms about the pointer, dragging empty space pans, clicking a node selects it
(``nodeSelected``), dragging a node moves it and pins it there (saved with the case), hovering
shows a tooltip. Keyboard (canvas focused): + and - zoom, arrows pan, Home fits the graph.
Layout, measures and drawing run off the main thread; once zooming settles the view is redrawn
so the nodes in view get their labels.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backend_bases import KeyEvent, MouseEvent
from matplotlib.lines import Line2D
from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import Progress, Store
from rrmdesk.charts import GraphChart, GraphOptions, load_pins, load_snapshot, metrics_csv, pin, render_graph, unpin
from rrmdesk.charts.graph import COLOUR_BY, NODE_SETS, SIZE_BY, draw_graph
from rrmdesk.charts.snapshot import CaseSnapshot
from rrmdesk.errors import UsageError
from rrmdesk.vocab import CONFIDENCE

from ..messages import MessageBridge
from ..tasks import TaskRunner
from .chart_view import ZOOM_STEP, ChartView, option_combo

CLICK_SLOP = 4
SETTLE_MS = 300
NAME_COLUMN_MAX = 180  # pixels; longer names are elided, the tooltip and CSV have them whole
SIDE_SHARE = 0.34  # at most this share of the tab for the measures table
METRIC_HEADERS = ("Name", "Kind", "Degree", "Betweenness", "Eigenvector", "Community")


class GraphView(ChartView):
    """An actor-link graph for the desktop app; construct with a ``Store`` and (optionally) a case id."""

    nodeSelected = Signal(str)

    def __init__(self, store: Store, case_id: str | None = None, tasks: TaskRunner | None = None,
                 bridge: MessageBridge | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, tasks, bridge, parent)
        self.snapshot: CaseSnapshot | None = None
        self.chart: GraphChart | None = None
        self.pins: dict[str, tuple[float, float]] = {}
        self.selected: str | None = None
        self.ego: str | None = None
        self._press: dict[str, Any] | None = None
        self._zoomed = False  # the analyst zoomed or panned since the graph was last fitted
        self._marker: Line2D | None = None
        self._build_controls()
        self._settle = QTimer(self, singleShot=True, interval=SETTLE_MS, timeout=self._settled)
        if case_id:
            self.set_case(case_id)

    # -- controls ---------------------------------------------------------------------------

    def _build_controls(self) -> None:
        # Two rows: what is drawn, then finding and focusing; one row is wider than the tab at 1600 px.
        row = QHBoxLayout()
        self.node_set = option_combo("Nodes", [(f"Nodes: {n}", n) for n in NODE_SETS])
        self.size_by = option_combo("Node size by", [(f"Size: {m}", m) for m in SIZE_BY])
        self.colour_by = option_combo("Node colour by", [(f"Colour: {c}", c) for c in COLOUR_BY])
        self.link_type = option_combo("Filter by link type", [("All link types", None)])
        self.confidence = option_combo("Lowest link confidence shown",
                                      [("Any confidence", None), *((f"≥ {c}", c) for c in CONFIDENCE)])
        for combo in (self.node_set, self.size_by, self.colour_by, self.link_type, self.confidence):
            combo.currentIndexChanged.connect(self._controls_changed)
            row.addWidget(combo)
        row.addStretch(1)
        self.toolbar.addLayout(row)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a node")
        self.search.setAccessibleName("Find a node")
        self.search.returnPressed.connect(lambda: self.find(self.search.text()))
        self.search.setMinimumWidth(160)
        self.search.setMaximumWidth(360)
        row.addWidget(self.search, 1)
        self.depth = QSpinBox()
        self.depth.setRange(1, 5)
        self.depth.setPrefix("Depth ")
        self.depth.setAccessibleName("Neighbourhood depth")
        self.ego_button = QPushButton("Neighbourhood")
        self.ego_button.setToolTip("Show only the selected node and its neighbours to the chosen depth")
        self.ego_button.clicked.connect(lambda: self.show_neighbourhood(self.selected, self.depth.value()))
        self.whole_button = QPushButton("Whole graph")
        self.whole_button.clicked.connect(lambda: self.show_neighbourhood(None))
        self.unpin_button = QPushButton("Unpin all")
        self.unpin_button.setToolTip("Let the layout place every node again")
        self.unpin_button.clicked.connect(self.unpin_all)
        for widget in (self.depth, self.ego_button, self.whole_button, self.unpin_button):
            row.addWidget(widget)
        row.addStretch(1)
        self.toolbar.addLayout(row)

        self.metrics_model = QStandardItemModel(0, len(METRIC_HEADERS), self)
        self.metrics_model.setHorizontalHeaderLabels(list(METRIC_HEADERS))
        self.sorted_metrics = QSortFilterProxyModel(self)
        self.sorted_metrics.setSourceModel(self.metrics_model)
        self.sorted_metrics.setSortRole(Qt.ItemDataRole.UserRole + 1)
        self.table = QTableView()
        self.table.setModel(self.sorted_metrics)
        self.table.horizontalHeader().setSortIndicator(METRIC_HEADERS.index("Degree"), Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Network measures")
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.clicked.connect(self._row_clicked)
        self.csv_button = QPushButton("Export measures as CSV…")
        self.csv_button.clicked.connect(self._ask_csv)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.table, 1)
        side_layout.addWidget(self.csv_button)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.outer.replaceWidget(self.canvas_area, self.splitter)
        self.splitter.addWidget(self.canvas_area)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self._side_fitted = False  # the measures table is widened to its columns once, then left to the analyst

    def options(self) -> GraphOptions:
        kind = self.link_type.currentData()
        return GraphOptions(nodes=self.node_set.currentData(), size_by=self.size_by.currentData(),
                            colour_by=self.colour_by.currentData(), ego=self.ego, depth=self.depth.value(),
                            relationship_types=frozenset({kind}) if kind else frozenset(),
                            min_confidence=self.confidence.currentData(), pinned=dict(self.pins),
                            size=self.figure_size(), language=self.language)

    # -- loading and drawing ----------------------------------------------------------------

    def set_case(self, case_id: str | None) -> None:
        """Show another case (None clears the view)."""
        if case_id is None:
            self.clear()
        self.case_id = case_id
        self.snapshot = self.chart = None
        self.selected = self.ego = None
        if case_id:
            self.refresh()

    def select(self, object_id: str) -> bool:
        """Show ``object_id`` selected (the case tabs' selection protocol); False if not drawn."""
        return self.select_node(object_id)

    def refresh(self) -> None:
        """Read the case and its pinned positions again (after an edit) and redraw."""
        if not self.case_id:
            return
        self._fit_side_panel()
        case_id, options = self.case_id, self.options()

        def work(store: Store, progress: Progress) -> tuple[CaseSnapshot, dict, GraphChart]:
            snapshot = load_snapshot(store, case_id, progress)
            pins = load_pins(store, case_id)
            return snapshot, pins, render_graph(snapshot, dataclasses.replace(options, pinned=pins), progress)

        self.run("Laying out the graph", work, self._loaded, with_store=True)

    def _loaded(self, result: tuple[CaseSnapshot, dict, GraphChart]) -> None:
        self.snapshot, self.pins, chart = result
        types = sorted({r.type for r in self.snapshot.relationships})
        current = self.link_type.currentData()
        self.link_type.blockSignals(True)
        while self.link_type.count() > 1:
            self.link_type.removeItem(1)
        for kind in types:
            self.link_type.addItem(kind, kind)
        self.link_type.setCurrentIndex(max(0, self.link_type.findData(current)) if current else 0)
        self.link_type.blockSignals(False)
        self._show(chart)

    def redraw(self) -> None:
        """Lay out and draw again from the loaded case with the current controls."""
        if self.snapshot is None:
            return
        self._zoomed = False
        snapshot, options = self.snapshot, self.options()
        self.run("Laying out the graph", lambda progress: render_graph(snapshot, options, progress), self._show,
                 with_store=False)

    def _redraw_view(self) -> None:
        """Draw the same layout again for the current zoom (labels for the nodes in view).

        Unless the analyst has zoomed or panned, the whole graph is fitted to the canvas again,
        so a resize does not keep the margins computed for the old shape.
        """
        chart = self.chart
        if chart is None or chart.axes is None or self.snapshot is None:
            return
        (x0, x1), (y0, y1) = chart.axes.get_xlim(), chart.axes.get_ylim()
        view = (x0, x1, y0, y1) if self._zoomed else None
        snapshot, options, positions = self.snapshot, self.options(), dict(chart.positions)
        graph, metrics = chart.graph, chart.metrics
        self.run("Drawing the graph", lambda progress: draw_graph(snapshot, graph, metrics, positions, options, view),
                 self._show, with_store=False)

    def relayout(self) -> None:
        """The canvas changed size: draw the same layout again for it."""
        self._redraw_view()

    def _show(self, chart: GraphChart) -> None:
        self.chart = chart
        self._marker = None
        self.show_figure(chart.figure)
        self._fill_metrics(chart)
        if self.search.completer() is not None:
            self.search.completer().deleteLater()
        completer = QCompleter(sorted({m.label for m in chart.metrics}), self.search)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.search.setCompleter(completer)
        pinned = sum(1 for n in chart.node_ids if n in self.pins)
        self.status.setText(f"{len(chart.node_ids):,} nodes, {chart.graph.number_of_edges():,} links"
                            + (f", {pinned} pinned" if pinned else ""))
        if self.selected in chart.positions:
            self._highlight(self.selected)
        self.rendered.emit()

    def _fill_metrics(self, chart: GraphChart) -> None:
        self.metrics_model.removeRows(0, self.metrics_model.rowCount())
        for row in chart.metrics:
            cells = [row.label, row.kind, row.degree, row.betweenness, row.eigenvector, row.community]
            items = []
            for value in cells:
                text = f"{value:.3f}" if isinstance(value, float) else str(value)
                item = QStandardItem(text)
                item.setToolTip(row.label)
                item.setData(value, Qt.ItemDataRole.UserRole + 1)
                item.setData(row.id, Qt.ItemDataRole.UserRole + 2)
                items.append(item)
            self.metrics_model.appendRow(items)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), NAME_COLUMN_MAX))

    def _fit_side_panel(self) -> None:
        """Once laid out, give the measures table room for its columns, up to ``SIDE_SHARE`` of the width.

        Done before the first render (from the header and the widest kind name, not the rows),
        so the graph is not drawn once for one width and again for another; later the splitter
        is the analyst's.
        """
        total = sum(self.splitter.sizes())
        if self._side_fitted or total <= 0:
            return
        self._side_fitted = True
        metrics = self.table.fontMetrics()
        padding = 2 * metrics.averageCharWidth() + 12  # cell margins and the sort arrow
        columns = [NAME_COLUMN_MAX, metrics.horizontalAdvance("state-affiliated") + padding,
                   *(metrics.horizontalAdvance(h) + padding for h in METRIC_HEADERS[2:])]
        wanted = sum(columns) + self.table.verticalScrollBar().sizeHint().width() + 2 * self.table.frameWidth()
        side = min(wanted, int(total * SIDE_SHARE))
        if side > self.splitter.sizes()[1]:
            self.splitter.setSizes([total - side, side])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_side_panel()

    def _controls_changed(self) -> None:
        self.redraw()

    # -- selection, search, neighbourhood, pins ----------------------------------------------

    def select_node(self, node_id: str | None) -> bool:
        """Highlight a node (as when the Actors tab selects it); False if it is not drawn."""
        self.selected = node_id
        if self.chart is None or node_id not in self.chart.positions:
            self._clear_marker()
            return False
        self._highlight(node_id)
        return True

    def _highlight(self, node_id: str) -> None:
        assert self.chart is not None and self.chart.axes is not None
        x, y = self.chart.positions[node_id]
        size = float(np.sqrt(self.chart.sizes[self.chart.node_ids.index(node_id)]))
        if self._marker is None:
            (self._marker,) = self.chart.axes.plot([x], [y], marker="o", markersize=size + 8, markerfacecolor="none",
                                                   markeredgecolor="#000000", markeredgewidth=2.2, zorder=6,
                                                   gid="selection")
        else:
            self._marker.set_data([x], [y])
            self._marker.set_markersize(size + 8)
        if self.canvas is not None:
            self.canvas.draw_idle()

    def _clear_marker(self) -> None:
        if self._marker is not None:
            self._marker.remove()
            self._marker = None
            if self.canvas is not None:
                self.canvas.draw_idle()

    def _choose(self, node_id: str) -> None:
        self.select_node(node_id)
        self.nodeSelected.emit(node_id)

    def find(self, text: str) -> str | None:
        """Select the node whose name matches ``text`` (exactly, else the first containing it)."""
        if self.chart is None or not text.strip():
            return None
        wanted = text.strip().casefold()
        labels = {m.id: m.label.casefold() for m in self.chart.metrics}
        exact = [n for n, label in labels.items() if label == wanted]
        found = exact or [m.id for m in self.chart.metrics if wanted in labels[m.id]]
        if not found:
            self.status.setText(f"No node called {text.strip()!r}")
            return None
        self._choose(found[0])
        return found[0]

    def show_neighbourhood(self, node_id: str | None, depth: int = 1) -> None:
        """Only ``node_id`` and its neighbours to ``depth`` (None: the whole graph again)."""
        self.ego = node_id
        self.depth.setValue(depth)
        self.redraw()

    def move_node(self, node_id: str, position: tuple[float, float]) -> None:
        """Pin a node where the analyst dropped it, save it with the case, and redraw."""
        if self.case_id is None or self.chart is None:
            return
        self.pins = pin(self.store, self.case_id, node_id, position)
        self.chart.positions[node_id] = position
        self._redraw_view()

    def unpin_all(self) -> None:
        if self.case_id is None:
            return
        self.pins = unpin(self.store, self.case_id)
        self.redraw()

    def export_metrics(self, path: Path) -> Path:
        """Write the measures table as CSV to a file the analyst chose."""
        if self.chart is None:
            raise UsageError("no graph is shown yet", "choose a case first")
        path = Path(path)
        path.write_text(metrics_csv(self.chart.metrics), encoding="utf-8")
        return path

    def _ask_csv(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export network measures", "measures.csv", "CSV (*.csv)")
        if name:
            try:
                self.export_metrics(Path(name))
            except OSError as exc:
                self.status.setText(f"Cannot write {name}: {exc.strerror or exc}")

    def _row_clicked(self, index) -> None:
        node = self.sorted_metrics.data(index, Qt.ItemDataRole.UserRole + 2)
        if node:
            self._choose(node)

    # -- zoom and pan -----------------------------------------------------------------------

    def zoom(self, factor: float, centre: tuple[float, float] | None = None) -> None:
        chart = self.chart
        if chart is None or chart.axes is None:
            return
        (x0, x1), (y0, y1) = chart.axes.get_xlim(), chart.axes.get_ylim()
        cx, cy = centre if centre else ((x0 + x1) / 2, (y0 + y1) / 2)
        chart.axes.set_xlim(*self.zoomed(x0, x1, cx, factor))
        chart.axes.set_ylim(*self.zoomed(y0, y1, cy, factor))
        self._moved()

    def pan(self, dx: float, dy: float) -> None:
        chart = self.chart
        if chart is None or chart.axes is None:
            return
        (x0, x1), (y0, y1) = chart.axes.get_xlim(), chart.axes.get_ylim()
        chart.axes.set_xlim(x0 + dx * (x1 - x0), x1 + dx * (x1 - x0))
        chart.axes.set_ylim(y0 + dy * (y1 - y0), y1 + dy * (y1 - y0))
        self._moved()

    def _moved(self) -> None:
        self._zoomed = True
        if self.canvas is not None:
            self.canvas.draw_idle()
        self._settle.start()

    def _settled(self) -> None:
        self._redraw_view()

    # -- mouse and keyboard -------------------------------------------------------------------

    def connect_canvas(self, canvas) -> None:
        canvas.mpl_connect("scroll_event", self._on_scroll)
        canvas.mpl_connect("button_press_event", self._on_press)
        canvas.mpl_connect("motion_notify_event", self._on_motion)
        canvas.mpl_connect("button_release_event", self._on_release)
        canvas.mpl_connect("key_press_event", self._on_key)

    def _on_scroll(self, event: MouseEvent) -> None:
        if event.inaxes is not None:
            self.zoom(1 / ZOOM_STEP if event.button == "up" else ZOOM_STEP, (event.xdata, event.ydata))

    def _on_press(self, event: MouseEvent) -> None:
        chart = self.chart
        if event.button != 1 or chart is None or chart.axes is None:
            return
        self._press = {"x": event.x, "y": event.y, "node": chart.node_at(event.x, event.y),
                       "xlim": chart.axes.get_xlim(), "ylim": chart.axes.get_ylim(), "moved": False}

    def _on_motion(self, event: MouseEvent) -> None:
        press, chart = self._press, self.chart
        if press is None or chart is None or chart.axes is None:
            self._hover(event)
            return
        if abs(event.x - press["x"]) <= CLICK_SLOP and abs(event.y - press["y"]) <= CLICK_SLOP:
            return
        press["moved"] = True
        if press["node"]:
            # Dragging a node: the selection ring follows the pointer until the drop.
            self.selected = press["node"]
            x, y = chart.axes.transData.inverted().transform((event.x, event.y))
            if self._marker is None:
                self._highlight(press["node"])
            assert self._marker is not None
            self._marker.set_data([x], [y])
            if self.canvas is not None:
                self.canvas.draw_idle()
            return
        (x0, x1), (y0, y1) = press["xlim"], press["ylim"]
        box = chart.axes.get_window_extent()
        dx = (event.x - press["x"]) / box.width * (x1 - x0)
        dy = (event.y - press["y"]) / box.height * (y1 - y0)
        chart.axes.set_xlim(x0 - dx, x1 - dx)
        chart.axes.set_ylim(y0 - dy, y1 - dy)
        self._moved()

    def _on_release(self, event: MouseEvent) -> None:
        press, self._press = self._press, None
        chart = self.chart
        if press is None or chart is None or chart.axes is None:
            return
        if press["node"] and press["moved"]:
            x, y = chart.axes.transData.inverted().transform((event.x, event.y))
            self.nodeSelected.emit(press["node"])
            self.move_node(press["node"], (float(x), float(y)))
        elif press["node"]:
            self._choose(press["node"])

    def _hover(self, event: MouseEvent) -> None:
        chart = self.chart
        if chart is None or self.canvas is None:
            return
        node = chart.node_at(event.x, event.y)
        text = ""
        if node:
            row = next(m for m in chart.metrics if m.id == node)
            text = (f"{row.label}\n{chart.graph.nodes[node].get('subkind') or row.kind} · degree {row.degree} · "
                    f"betweenness {row.betweenness:.3f} · community {row.community}"
                    + ("\npinned" if node in self.pins else ""))
        if self.canvas.toolTip() != text:
            self.canvas.setToolTip(text)  # Qt shows it when the pointer rests

    def _on_key(self, event: KeyEvent) -> None:
        actions = {"+": lambda: self.zoom(1 / ZOOM_STEP), "=": lambda: self.zoom(1 / ZOOM_STEP),
                   "-": lambda: self.zoom(ZOOM_STEP), "left": lambda: self.pan(-0.1, 0),
                   "right": lambda: self.pan(0.1, 0), "up": lambda: self.pan(0, 0.1),
                   "down": lambda: self.pan(0, -0.1), "home": self.redraw}
        action = actions.get(event.key or "")
        if action:
            action()
