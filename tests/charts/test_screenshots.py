"""Pictures of every demo case and of the real-data cases, written for a person to look at.

They go to ``screenshots/charts/`` at the repository root (ignored by git). The assertions are
the ones a reviewer would make at a glance: something is drawn, the marking is on it, and the
graph's hubs are named.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rrmdesk.charts import GraphOptions, TimelineOptions, figure_bytes, load_snapshot, render_graph, render_timeline
from rrmdesk.demo import load_demo
from tests.charts.test_timeline import texts

SHOTS = Path(__file__).resolve().parents[2] / "screenshots" / "charts"


def write(name: str, figure) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"{name}.png").write_bytes(figure_bytes(figure, "png", dpi=110))


def test_every_demo_case_draws_a_timeline_and_a_graph(store):
    report = load_demo(store)
    assert report.cases
    for number, demo in enumerate(report.cases, start=1):
        snapshot = load_snapshot(store, demo.id)
        timeline = render_timeline(snapshot, TimelineOptions(lanes="actor"))
        graph = render_graph(snapshot, GraphOptions(nodes="actors+narratives", size_by="betweenness"))
        for chart in (timeline, graph):
            assert f"TLP:{snapshot.case.tlp.upper()}" in texts(chart.figure)
        if snapshot.events:
            assert timeline.mode in ("events", "density")
        if graph.graph.number_of_nodes():
            assert graph.labelled
        write(f"demo-{number:02d}-timeline", timeline.figure)
        write(f"demo-{number:02d}-graph", graph.figure)
        if any(e.techniques for e in snapshot.events):
            write(f"demo-{number:02d}-timeline-tactic", render_timeline(snapshot, TimelineOptions(lanes="tactic")).figure)


@pytest.mark.parametrize("lanes", ["actor", "tactic", "platform"])
def test_fiat_timelines(fiat, lanes):
    write(f"fiat-timeline-{lanes}", render_timeline(fiat, TimelineOptions(lanes=lanes)).figure)


def test_fiat_and_meta_graphs(fiat, meta):
    fiat_graph = render_graph(fiat, GraphOptions(size_by="betweenness"))
    named = {fiat_graph.graph.nodes[n]["label"] for n in fiat_graph.labelled}
    assert {"Russia", "Iran", "China"} <= named
    write("fiat-graph", fiat_graph.figure)
    write("fiat-graph-ego-ira", render_graph(fiat, GraphOptions(ego="Internet Research Agency", depth=2)).figure)
    write("meta-graph", render_graph(meta).figure)
    write("meta-graph-communities", render_graph(meta, GraphOptions(colour_by="community")).figure)
    write("meta-timeline-narrative", render_timeline(meta, TimelineOptions(lanes="narrative")).figure)
