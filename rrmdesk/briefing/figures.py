"""The briefing's two figures, drawn by ``rrmdesk.charts`` from the releasable material only.

The renderers take a ``CaseSnapshot``; the briefing builds one from what TLP discipline kept, and
gives it the briefing's marking, so a figure can neither show a withheld record nor carry a
banner that differs from the page it is printed on, and draws them in the briefing's language (every
word on the chart, date ticks included). PNGs are made in memory. A figure that cannot
be drawn never stops the briefing: the section prints a short text instead and the analyst's
note says why.
"""

from __future__ import annotations

import dataclasses
import logging

from ..charts import CaseSnapshot, GraphOptions, TimelineOptions, figure_bytes, render_graph, render_timeline
from ..charts.frame import production_stamp
from ..clock import to_datetime
from ..errors import RRMDeskError
from .content import CaseMaterial
from .language import Wording
from .sections import CaseFigures

log = logging.getLogger(__name__)

#: Drawn at this size (inches) and resolution, then placed at the text width (about 6.5 in).
FIGURE_SIZE = (9.0, 5.6)
FIGURE_DPI = 170
#: A single event is read better from the table than from a timeline.
MIN_TIMELINE_EVENTS = 2


def render_figures(material: CaseMaterial, marking: str, produced: str, wording: Wording,
                   timeline: bool = True, graph: bool = True) -> tuple[CaseFigures, list[str]]:
    """The case's timeline and actor-link graph (as asked) as PNG bytes, with graph metrics.

    Returns the figures and warnings for the analyst (one per figure that failed).
    """
    case = dataclasses.replace(material.case, tlp=marking)
    snapshot = CaseSnapshot(case, material.actors, material.narratives, material.events, material.evidence,
                            material.relationships)
    stamp = production_stamp(to_datetime(produced))
    figures = CaseFigures()
    warnings: list[str] = []
    if timeline and len(material.events) >= MIN_TIMELINE_EVENTS:
        try:
            chart = render_timeline(snapshot, TimelineOptions(size=FIGURE_SIZE, produced=stamp, language=wording.code,
                                                              title=wording["chart_timeline"]))
            figures.timeline = figure_bytes(chart.figure, "png", dpi=FIGURE_DPI)
        except Exception as exc:  # noqa: BLE001 - a figure must never stop the briefing
            figures.timeline_problem = _problem(exc)
            warnings.append(f"the timeline of {case.title!r} could not be drawn ({figures.timeline_problem})")
    if graph and material.actors:
        try:
            chart = render_graph(snapshot, GraphOptions(size=FIGURE_SIZE, produced=stamp, language=wording.code,
                                                        title=wording["chart_graph"]))
            figures.centrality = {m.id: (m.degree, m.betweenness) for m in chart.metrics}
            if chart.graph.number_of_edges():  # scattered unlinked dots tell a reader nothing
                figures.graph = figure_bytes(chart.figure, "png", dpi=FIGURE_DPI)
        except Exception as exc:  # noqa: BLE001 - a figure must never stop the briefing
            figures.graph_problem = _problem(exc)
            warnings.append(f"the actor-link graph of {case.title!r} could not be drawn ({figures.graph_problem})")
    return figures, warnings


def _problem(exc: Exception) -> str:
    if isinstance(exc, RRMDeskError):
        return exc.message
    log.warning("figure rendering failed", exc_info=exc)
    return f"internal error {type(exc).__name__}"
