"""The Timeline and Graph tabs: ``rrmdesk.charts`` figures in ``FigureCanvasQTAgg`` widgets.

Each view is self-contained: ``TimelineView(store, case_id)`` / ``GraphView(store, case_id)``,
optionally with the main window's ``TaskRunner`` and ``MessageBridge``; ``set_case(case_id)``
switches case and ``refresh()`` follows edits. They emit ``eventSelected(str)`` and
``nodeSelected(str)`` for the Events/Actors tabs and the inspector.
"""

from .graph_view import GraphView
from .timeline_view import TimelineView

__all__ = ["GraphView", "TimelineView"]
