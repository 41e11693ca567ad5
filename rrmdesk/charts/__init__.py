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

from ..lazy import lazy_exports

# Loaded on first use: matplotlib and networkx take over a second to import, and the CLI and the
# desktop app should not pay for them until a chart is drawn.
_EXPORTS = {
    "FORMATS": "choices",
    "export_figure": "export",
    "figure_bytes": "export",
    "GraphChart": "graph",
    "GraphOptions": "graph",
    "build_graph": "graph",
    "ego_graph": "graph",
    "render_graph": "graph",
    "force_layout": "layout",
    "NodeMetrics": "metrics",
    "compute_metrics": "metrics",
    "metrics_csv": "metrics",
    "load_pins": "pins",
    "pin": "pins",
    "save_pins": "pins",
    "unpin": "pins",
    "CaseSnapshot": "snapshot",
    "load_snapshot": "snapshot",
    "TimelineChart": "timeline",
    "TimelineFilter": "timeline",
    "TimelineOptions": "timeline",
    "render_timeline": "timeline",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
