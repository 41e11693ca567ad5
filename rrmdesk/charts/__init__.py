"""Timeline and actor-link graph renderers shared by the CLI, the briefing and the desktop app.

Everything here draws with matplotlib's object API (``matplotlib.figure.Figure``), never
pyplot's global state and never Qt: the desktop app wraps these figures in
``FigureCanvasQTAgg``; the CLI and the briefing export them with ``export``.

Typical use::

    snapshot = load_snapshot(store, case_id)
    chart = render_timeline(snapshot, TimelineOptions(lanes="narrative"))
    png = figure_bytes(chart.figure, "png", title="…", tlp=snapshot.case.tlp)
"""

from __future__ import annotations

from .export import FORMATS, export_figure, figure_bytes
from .graph import GraphChart, GraphOptions, build_graph, ego_graph, render_graph
from .layout import force_layout
from .metrics import NodeMetrics, compute_metrics, metrics_csv
from .pins import load_pins, pin, save_pins, unpin
from .snapshot import CaseSnapshot, load_snapshot
from .timeline import TimelineChart, TimelineFilter, TimelineOptions, render_timeline

__all__ = [
    "FORMATS",
    "CaseSnapshot",
    "GraphChart",
    "GraphOptions",
    "NodeMetrics",
    "TimelineChart",
    "TimelineFilter",
    "TimelineOptions",
    "build_graph",
    "compute_metrics",
    "ego_graph",
    "export_figure",
    "figure_bytes",
    "force_layout",
    "load_pins",
    "load_snapshot",
    "metrics_csv",
    "pin",
    "render_graph",
    "render_timeline",
    "save_pins",
    "unpin",
]
