"""Benchmark: the timeline and actor-link graph renderers, and the desktop views' redraw on zoom.

Measured in one run, each beside its peer:
- a timeline of 10,000 seeded events rendered to PNG (``render_timeline`` + ``figure_bytes``),
  beside the floor: a bare matplotlib ``Figure`` with one scatter of the same points and
  ``savefig`` at the same size and resolution (target: at most 2x the floor);
- a graph of 2,000 nodes and 10,000 edges built, measured (degree, betweenness, eigenvector,
  communities), laid out and rendered to PNG (``render_graph``), beside networkx's own
  ``spring_layout`` + ``draw`` + ``savefig`` of the same graph (target: faster than the peer);
- the desktop views offscreen: after a zoom, the canvas redraw (``draw``), and the time until the
  detailed picture is back on screen (the timeline turning density strips into events; the graph
  relabelling the nodes in view), rendering on the worker pool.
Prints one JSON line: medians in seconds and the ratios; the timeline and its floor also as the
best of the repeats (``*_best``: the run each that machine noise disturbed least).

    .venv/bin/python bench/views.py [--repeat N] [--events N] [--nodes N --edges N]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# bench/ itself must not be on the path: bench/packaging.py would shadow the 'packaging'
# library that matplotlib imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib.dates as mdates  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rrmdesk import Actor, Case, Event, Relationship, Workspace  # noqa: E402
from rrmdesk.charts import CaseSnapshot, GraphOptions, TimelineOptions, figure_bytes, render_graph, render_timeline  # noqa: E402

PASSPHRASE = "benchmark workspace, not secret"
DPI = 100


def timeline_case(events: int, seed: int = 20241130) -> CaseSnapshot:
    rng = random.Random(seed)
    case = Case(title=f"Benchmark timeline, {events:,} events", tlp="amber")
    actors = [Actor(case_id=case.id, name=f"Account cluster {n:02d}", kind="account") for n in range(16)]
    origin = datetime(2024, 1, 1, tzinfo=timezone.utc)
    items = []
    for n in range(events):
        start = origin + timedelta(minutes=rng.randrange(60 * 24 * 365))
        end = start + timedelta(hours=rng.randrange(1, 72)) if rng.random() < 0.2 else None
        items.append(Event(case_id=case.id, title=f"Post {n}", start=start.isoformat(),
                           end=end.isoformat() if end else None,
                           category=rng.choice(["publication", "amplification", "infrastructure", "response"]),
                           actor_ids=[rng.choice(actors).id], platform=rng.choice(["X", "Facebook", "Telegram"])))
    items.sort(key=lambda e: e.start)
    return CaseSnapshot(case, actors, [], items, [], [])


def graph_case(nodes: int, edges: int, seed: int = 20241130) -> CaseSnapshot:
    rng = random.Random(seed)
    case = Case(title=f"Benchmark network, {nodes:,} actors", tlp="amber")
    actors = [Actor(case_id=case.id, name=f"Actor {n:04d}", kind=rng.choice(["account", "proxy", "media-outlet"]))
              for n in range(nodes)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        a, b = rng.randrange(nodes), rng.randrange(nodes)
        if a != b:
            pairs.add((a, b))
    links = [Relationship(case_id=case.id, source_id=actors[a].id, target_id=actors[b].id,
                          type=rng.choice(["amplifies", "works-with", "controls"]),
                          confidence=rng.choice(["low", "moderate", "high"])) for a, b in sorted(pairs)]
    return CaseSnapshot(case, actors, [], [], [], links)


def timed(work, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(first, second, repeat: int) -> tuple[list[float], list[float]]:
    """Times of two pieces of work run turn about, so machine noise hits both alike."""
    first(), second()  # warm caches (fonts, date locators) for both
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(first, 1))
        b.append(timed(second, 1))
    return a, b


def timeline_figures(snapshot: CaseSnapshot, repeat: int) -> dict[str, float]:
    size = TimelineOptions().size
    lanes = {a.id: n for n, a in enumerate(snapshot.actors)}
    x = mdates.date2num(np.array([e.start.rstrip("Z") for e in snapshot.events], dtype="datetime64[ms]"))
    y = np.array([lanes[e.actor_ids[0]] for e in snapshot.events])

    def ours() -> None:
        chart = render_timeline(snapshot, TimelineOptions(lanes="actor"))
        figure_bytes(chart.figure, "png", dpi=DPI)

    def floor() -> None:
        figure = Figure(figsize=size, dpi=DPI)
        axes = figure.add_subplot()
        axes.scatter(x, y, s=10)
        axes.xaxis_date()
        figure.savefig(io.BytesIO(), format="png", dpi=DPI)

    ours_s, floor_s = interleaved(ours, floor, repeat)
    median, best = statistics.median, min
    return {"timeline_png_s": median(ours_s), "timeline_floor_s": median(floor_s),
            "timeline_ratio": median(ours_s) / median(floor_s),
            "timeline_png_best_s": best(ours_s), "timeline_floor_best_s": best(floor_s),
            "timeline_ratio_best": best(ours_s) / best(floor_s),
            "timeline_mode": render_timeline(snapshot).mode}


def graph_figures(snapshot: CaseSnapshot, repeat: int) -> dict[str, float]:
    size = GraphOptions().size

    def ours() -> None:
        chart = render_graph(snapshot, GraphOptions())
        figure_bytes(chart.figure, "png", dpi=DPI)

    graph = nx.DiGraph()
    graph.add_nodes_from(a.id for a in snapshot.actors)
    graph.add_edges_from((r.source_id, r.target_id) for r in snapshot.relationships)

    def peer() -> None:
        figure = Figure(figsize=size, dpi=DPI)
        axes = figure.add_subplot()
        positions = nx.spring_layout(graph, seed=7)
        nx.draw(graph, positions, ax=axes, node_size=20, width=0.5)
        figure.savefig(io.BytesIO(), format="png", dpi=DPI)

    ours_s = timed(ours, repeat)
    peer_s = timed(peer, 1)  # tens of seconds; one run is enough to compare
    return {"graph_png_s": ours_s, "graph_peer_s": peer_s, "graph_ratio": ours_s / peer_s}


def desktop_zoom(timeline: CaseSnapshot, network: CaseSnapshot, repeat: int) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.views import GraphView, TimelineView

    app = QApplication.instance() or QApplication([])
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        workspace, _ = Workspace.create(Path(folder) / "workspace", "passphrase", PASSPHRASE)
        store = workspace.unlock(PASSPHRASE)
        try:
            for snapshot in (timeline, network):
                store.add_many([snapshot.case, *snapshot.actors, *snapshot.events, *snapshot.relationships])

            def wait(signal, action) -> float:
                loop = QEventLoop()
                signal.connect(loop.quit)
                QTimer.singleShot(120_000, loop.quit)
                start = time.perf_counter()
                action()
                loop.exec()
                signal.disconnect(loop.quit)
                return time.perf_counter() - start

            line = TimelineView(store)
            line.resize(1400, 850)
            line.show()
            wait(line.rendered, lambda: line.set_case(timeline.case.id))
            line._settle.setInterval(0)  # measure the redraw, not the settle delay
            low, _ = line.full_span
            draws, details = [], []
            for _ in range(repeat):
                details.append(wait(line.rendered, lambda: line.set_view(low, low + 14)))
                start = time.perf_counter()
                line.chart.axes.set_xlim(low, low + 7)
                line.canvas.draw()
                draws.append(time.perf_counter() - start)
                wait(line.rendered, line.reset_zoom)
            results["timeline_zoom_draw_s"] = statistics.median(draws)
            results["timeline_zoom_detail_s"] = statistics.median(details)

            net = GraphView(store)
            net.resize(1400, 850)
            net.show()
            results["graph_view_first_s"] = wait(net.rendered, lambda: net.set_case(network.case.id))
            net._settle.setInterval(0)
            draws, details = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                net.chart.axes.set_xlim(*net.zoomed(*net.chart.axes.get_xlim(), 0.0, 0.5))
                net.canvas.draw()
                draws.append(time.perf_counter() - start)
                details.append(wait(net.rendered, lambda: net.zoom(0.8)))
            results["graph_zoom_draw_s"] = statistics.median(draws)
            results["graph_zoom_detail_s"] = statistics.median(details)
            for view in (line, net):
                view.stop()
                view.close()
                view.deleteLater()
            app.processEvents()
        finally:
            store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=2_000)
    parser.add_argument("--edges", type=int, default=10_000)
    args = parser.parse_args()
    timeline = timeline_case(args.events)
    network = graph_case(args.nodes, args.edges)
    figures: dict[str, object] = {"events": args.events, "nodes": args.nodes, "edges": args.edges}
    figures.update(timeline_figures(timeline, args.repeat))
    figures.update(graph_figures(network, args.repeat))
    figures.update(desktop_zoom(timeline, network, args.repeat))
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in figures.items()}), flush=True)


if __name__ == "__main__":
    main()
