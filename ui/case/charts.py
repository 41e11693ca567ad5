"""The Timeline and Graph tabs: ``ui.views`` chart widgets hosted in the case workspace.

The chart is drawn only while its tab is on screen (rendering runs on the task pool and costs
a second or so on a large case), and again after the case changes. The views keep a ``store``
of their own; after a lock and unlock they are handed the new one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from rrmdesk import Case, RRMDeskError

from .. import settings
from .context import CaseContext, CaseTab

if TYPE_CHECKING:
    from ..views.chart_view import ChartView

#: made when the tab is first shown: ``ui.views`` brings matplotlib and networkx (half a second of
#: imports that start-up need not pay)
ViewFactory = Callable[[CaseContext], "ChartView"]


class ChartTab(CaseTab):
    def __init__(self, context: CaseContext, make: ViewFactory, selection_signal: str) -> None:
        super().__init__(context)
        self._make, self._selection_signal = make, selection_signal
        self.view: "ChartView | None" = None
        self._stale = False
        # the charts' controls are wide: scroll them rather than squeeze the navigator
        self._page = QWidget()
        self._layout = QVBoxLayout(self._page)
        self._layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Always there: a chart that grows taller for its keys would otherwise bring the bar in,
        # narrow the canvas, be laid out again without growing, lose the bar, and so on.
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroll.setWidget(self._page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        context.session.saved.connect(self._changed)
        context.session.removed.connect(lambda _id, case_id: self._changed_case(case_id))

    def load(self, case: Case, names: dict[str, str]) -> None:
        super().load(case, names)
        self._stale = True
        if self.isVisible():
            self._draw()

    def clear(self) -> None:
        super().clear()
        self._stale = False
        if self.view is not None:
            self.view.stop()
            self.view.set_case(None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._draw()

    def _draw(self) -> None:
        if self.case is None or self.context.session.is_locked:
            return
        self._stale = False
        if self.view is None:
            self.view = self._make(self.context)
            getattr(self.view, self._selection_signal).connect(self._picked)
            self._layout.addWidget(self.view)
        self.view.store = self.context.session.store
        self.view.language = self.context.preferences.get(settings.CHART_LANGUAGE)
        if self.view.case_id == self.case.id:
            self.view.refresh()
        else:
            self.view.set_case(self.case.id)

    def _picked(self, object_id: str) -> None:
        """A click on an event or a node: show the object in the inspector."""
        try:
            self.selected.emit(self.context.session.store.get(object_id))
        except RRMDeskError:
            self.selected.emit(None)

    def _changed(self, record: Any) -> None:
        self._changed_case(getattr(record, "case_id", None) or getattr(record, "id", None))

    def _changed_case(self, case_id: str | None) -> None:
        if self.case is not None and case_id == self.case.id:
            self._stale = True
            if self.isVisible():
                self._draw()


def _timeline_view(context: CaseContext) -> "ChartView":
    from ..views import TimelineView

    return TimelineView(context.session.store, tasks=context.tasks, bridge=context.bridge)


def _graph_view(context: CaseContext) -> "ChartView":
    from ..views import GraphView

    return GraphView(context.session.store, tasks=context.tasks, bridge=context.bridge)


def timeline_tab(context: CaseContext) -> ChartTab:
    return ChartTab(context, _timeline_view, "eventSelected")


def graph_tab(context: CaseContext) -> ChartTab:
    return ChartTab(context, _graph_view, "nodeSelected")
