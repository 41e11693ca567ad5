"""The actor-link graph: building, metrics (against networkx directly), layout, drawing."""

from __future__ import annotations

import dataclasses
import itertools

import networkx as nx
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection

from rrmdesk.charts import GraphOptions, build_graph, compute_metrics, ego_graph, force_layout, render_graph
from rrmdesk.charts.graph import MIN_PLOT_INCHES, filter_edges
from rrmdesk.charts.metrics import metrics_csv
from rrmdesk.charts.snapshot import CaseSnapshot
from rrmdesk.errors import NotFoundError, UsageError
from tests.charts.test_timeline import by_gid, texts


def actor(snapshot, name):
    return next(a for a in snapshot.actors if a.name == name)


def test_fiat_graph_links_source_to_disinformant_to_nation(fiat):
    graph = build_graph(fiat)
    ira, russia = actor(fiat, "Internet Research Agency"), actor(fiat, "Russia")
    nbc = actor(fiat, "NBC News")
    types = {(u, v): d["type"] for u, v, d in graph.edges(data=True)}
    assert types[(nbc.id, ira.id)] == "attributes"
    assert types[(ira.id, russia.id)] == "attributed-to"
    assert graph.nodes[russia.id]["kind"] == "actor" and graph.nodes[russia.id]["subkind"] == "state"
    assert graph.number_of_nodes() == len(fiat.actors)
    assert graph.number_of_edges() == len(fiat.relationships)


def test_node_sets_add_narratives_events_and_evidence(demo):
    assert {d["kind"] for _, d in build_graph(demo, "actors").nodes(data=True)} == {"actor"}
    with_narratives = build_graph(demo, "actors+narratives")
    assert {d["kind"] for _, d in with_narratives.nodes(data=True)} == {"actor", "narrative"}
    promotes = [(u, v) for u, v, d in with_narratives.edges(data=True) if d["type"] == "promotes"]
    bots, aid = actor(demo, "X amplification cluster"), demo.narratives[0]
    assert (bots.id, aid.id) in promotes
    everything = build_graph(demo, "all")
    assert {d["kind"] for _, d in everything.nodes(data=True)} == {"actor", "narrative", "event", "evidence"}
    assert everything.number_of_nodes() == len(demo.actors) + len(demo.narratives) + len(demo.events) + len(demo.evidence)
    # the actor's attributed-to field becomes a link when no relationship says so already
    sda, russia = actor(demo, "Social Design Agency"), actor(demo, "Russian Federation")
    assert any(d["derived"] for u, v, d in everything.edges(data=True) if (u, v) == (sda.id, russia.id))


@pytest.mark.parametrize("case_name", ["demo", "fiat", "meta"])
def test_metrics_match_networkx_computed_directly(case_name, request):
    snapshot = request.getfixturevalue(case_name)
    graph = build_graph(snapshot)
    rows = {r.id: r for r in compute_metrics(graph)}
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    betweenness = nx.betweenness_centrality(simple)
    eigenvector = nx.eigenvector_centrality(simple, max_iter=1000, tol=1e-8)
    for node in graph.nodes:
        assert rows[node].degree == simple.degree(node)
        assert rows[node].betweenness == pytest.approx(betweenness[node])
        assert rows[node].eigenvector == pytest.approx(eigenvector[node], abs=1e-6)
    communities = {}
    for row in rows.values():
        communities.setdefault(row.community, set()).add(row.id)
    expected = nx.community.louvain_communities(simple, seed=7)
    assert set(map(frozenset, communities.values())) == set(map(frozenset, expected))
    sizes = [len(communities[n]) for n in sorted(communities)]
    assert sizes == sorted(sizes, reverse=True)


def test_hubs_rank_first(fiat):
    rows = compute_metrics(build_graph(fiat))
    assert rows[0].label == "Russia"
    assert rows == sorted(rows, key=lambda r: (-r.degree, -r.betweenness, r.label, r.id))


def test_metrics_csv_is_a_table_and_defuses_formulas(demo):
    rows = compute_metrics(build_graph(demo))
    text = metrics_csv(rows)
    lines = text.splitlines()
    assert lines[0] == "id,label,kind,degree,betweenness,eigenvector,community"
    assert len(lines) == len(rows) + 1
    hostile = dataclasses.replace(rows[0], label="=HYPERLINK(\"http://x\")")
    assert "'=HYPERLINK" in metrics_csv([hostile])


def test_layout_is_deterministic_for_a_seed_and_differs_across_seeds(meta):
    graph = build_graph(meta)
    nodes, edges = sorted(graph.nodes), sorted((u, v) for u, v in graph.edges())
    first = force_layout(nodes, edges, seed=3)
    assert first == force_layout(nodes, edges, seed=3)
    assert first != force_layout(nodes, edges, seed=4)
    xy = np.array(list(first.values()))
    assert np.abs(xy).max() == pytest.approx(1.0)


def test_pinned_nodes_stay_put_and_others_barely_move(demo):
    graph = build_graph(demo)
    nodes, edges = sorted(graph.nodes), sorted((u, v) for u, v in graph.edges())
    free = force_layout(nodes, edges, seed=7)
    moved = nodes[0]
    pinned = force_layout(nodes, edges, seed=7, pinned={moved: (0.9, -0.9)})
    assert pinned[moved] == (0.9, -0.9)
    others = [n for n in nodes if n != moved]
    shift = np.median([np.hypot(pinned[n][0] - free[n][0], pinned[n][1] - free[n][1]) for n in others])
    assert shift < 0.25
    assert pinned == force_layout(nodes, edges, seed=7, pinned={moved: (0.9, -0.9)})


def test_components_are_packed_not_flung_apart(fiat):
    graph = build_graph(fiat)
    layout = force_layout(sorted(graph.nodes), sorted((u, v) for u, v in graph.edges()))
    xy = np.array(list(layout.values()))
    assert np.all(np.abs(xy) <= 1.0 + 1e-9)
    assert len(set(map(tuple, np.round(xy, 6)))) == len(xy)  # no two nodes on one spot


def test_drawing_uses_collections_shapes_and_confidence_styles(demo):
    chart = render_graph(demo, GraphOptions(nodes="all"))
    edges = [c for c in chart.axes.collections if isinstance(c, LineCollection)]
    assert edges and sum(len(c.get_segments()) for c in edges) == chart.graph.number_of_edges()
    styles = {c.get_gid().split(":")[2]: c.get_linestyle()[0] for c in edges}
    assert styles["high"][1] is None and styles["moderate"][1] is not None  # solid vs dashed
    node_groups = [c for c in chart.axes.collections if isinstance(c, PathCollection)]
    assert sum(len(c.get_offsets()) for c in node_groups) == chart.graph.number_of_nodes()
    gids = {c.get_gid() for c in node_groups}
    assert {"nodes:narrative", "nodes:event", "nodes:evidence", "nodes:actor: state"} <= gids
    assert by_gid(chart.figure, "arrows:")
    assert "TLP:AMBER" in texts(chart.figure)
    legend_text = {t.get_text() for legend in chart.figure.legends for t in legend.get_texts()}
    assert {"amplifies", "high confidence", "low confidence", "confidence not stated"} <= legend_text


def test_size_by_centrality_makes_the_broker_biggest(demo):
    chart = render_graph(demo, GraphOptions(size_by="betweenness"))
    broker = max(chart.metrics, key=lambda r: r.betweenness)
    assert chart.node_ids[int(np.argmax(chart.sizes))] == broker.id


def test_small_graphs_label_every_node_large_graphs_only_the_hubs(demo, meta):
    small = render_graph(demo)
    assert set(small.labelled) == {a.id for a in demo.actors}
    large = render_graph(meta)
    assert 0 < len(large.labelled) <= 25
    network = actor(meta, "Doppelganger network")
    assert network.id in large.labelled
    label_gids = {a.get_gid() for a in by_gid(large.figure, "label:")}
    assert label_gids == {f"label:{n}" for n in large.labelled}


def test_zoomed_view_labels_the_nodes_in_view(meta):
    chart = render_graph(meta)
    centre = np.array(chart.positions[actor(meta, "Doppelganger network").id])
    from rrmdesk.charts.graph import draw_graph

    zoomed = draw_graph(meta, chart.graph, chart.metrics, chart.positions, GraphOptions(),
                        view=(centre[0] - 0.12, centre[0] + 0.12, centre[1] - 0.12, centre[1] + 0.12))
    assert len(zoomed.labelled) > 0
    assert set(zoomed.labelled) != set(chart.labelled)


def test_node_at_finds_a_node_under_the_pointer(demo):
    chart = render_graph(demo)
    chart.figure.canvas.draw()
    node = chart.node_ids[3]
    px, py = chart.axes.transData.transform(chart.positions[node])
    assert chart.node_at(px, py) == node
    assert chart.node_at(1, 1) is None


def test_ego_view_keeps_the_neighbourhood(fiat):
    full = build_graph(fiat)
    ira = actor(fiat, "Internet Research Agency")
    one = ego_graph(full, "internet research agency", 1)
    assert set(one.nodes) == {ira.id} | set(nx.all_neighbors(full, ira.id))
    two = ego_graph(full, ira.id, 2)
    assert set(one.nodes) < set(two.nodes)
    chart = render_graph(fiat, GraphOptions(ego=ira.id, depth=1))
    assert set(chart.node_ids) == set(one.nodes)
    assert any("within 1 step of Internet Research Agency" in t for t in texts(chart.figure))


def test_filters_by_relationship_type_and_confidence(demo):
    graph = build_graph(demo)
    amplifies = filter_edges(graph, frozenset({"amplifies"}))
    assert {d["type"] for *_, d in amplifies.edges(data=True)} == {"amplifies"}
    assert amplifies.number_of_nodes() == graph.number_of_nodes()
    confident = filter_edges(graph, min_confidence="moderate")
    assert {d["confidence"] for *_, d in confident.edges(data=True)} <= {"moderate", "high"}


@pytest.mark.parametrize("options, error, message", [
    (GraphOptions(ego="Nobody At All"), NotFoundError, "no node 'Nobody At All' in this graph"),
    (GraphOptions(nodes="everyone"), UsageError, "'everyone' is not a node set"),
    (GraphOptions(size_by="pagerank"), UsageError, "'pagerank' is not a node size measure"),
    (GraphOptions(ego="Russia", depth=0), UsageError, "ego depth 0 is out of range"),
    (GraphOptions(min_confidence="certain"), UsageError, "'certain' is not a confidence"),
])
def test_bad_graph_options_are_one_line_errors(fiat, options, error, message):
    with pytest.raises(error) as raised:
        render_graph(fiat, options)
    assert raised.value.message == message and "\n" not in raised.value.text()


def test_empty_case_draws_a_message(demo):
    chart = render_graph(CaseSnapshot(demo.case))
    assert chart.axes is None and chart.metrics == []
    assert "No actors to draw" in texts(chart.figure)


def test_a_narrow_graph_never_draws_a_label_over_another(demo, meta):
    """A narrow figure (the desktop's graph tab on a laptop) has room for fewer labels: the
    others go (the pointer and the measures table name them) rather than pile up unreadably."""
    for snapshot in (demo, meta):
        chart = render_graph(snapshot, GraphOptions(size=(4.2, 4.0)))
        canvas = FigureCanvasAgg(chart.figure)
        canvas.draw()
        renderer = canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in by_gid(chart.figure, "label:")]
        assert len(boxes) >= 3
        assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
        hub = max(chart.metrics, key=lambda r: (r.degree, r.betweenness))
        assert hub.id in chart.labelled
        texts_by_gid = {t.get_gid(): t.get_window_extent(renderer) for t in chart.figure.texts if t.get_gid()}
        assert not texts_by_gid["chart-produced"].overlaps(texts_by_gid["tlp-banner-bottom"])
        assert not texts_by_gid["chart-title"].overlaps(texts_by_gid["tlp-banner-top"])
        # the keys below the graph take the height they need; the network keeps its own
        assert chart.axes.get_position().height * chart.figure.get_figheight() >= MIN_PLOT_INCHES - 0.01
        plot = chart.axes.get_window_extent(renderer)
        assert all(legend.get_window_extent(renderer).y1 <= plot.y0 + 1 for legend in chart.figure.legends)
