"""The actor-link graph: who is tied to whom, drawn so an analyst can brief from it.

``build_graph`` turns a case into a networkx ``MultiDiGraph`` (actors, and optionally
narratives, events and evidence, as nodes; relationships and the links events imply as edges).
``render_graph`` draws it: shape and colour by kind, size by a centrality, edges coloured by
relationship type and dashed by confidence, drawn as collections so 10,000 edges stay fast, and
labels only for the most central nodes so the picture does not drown in text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import matplotlib.patheffects as effects
import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..errors import NotFoundError, UsageError
from ..progress import Progress
from ..vocab import CONFIDENCE
from . import choices, frame, style
from .layout import Position, force_layout
from .metrics import NodeMetrics, compute_metrics
from .snapshot import CaseSnapshot
from .wording import ChartWording, chart_wording

NODE_SETS = choices.NODE_SETS
SIZE_BY = choices.SIZE_BY
COLOUR_BY = choices.GRAPH_COLOUR_BY
LABEL_ALL_BELOW = 40
LABEL_LIMIT = 25
COMMUNITY_COLOURS = 7  # the largest communities get a colour each (Okabe–Ito without black)
MUST_LABEL = 6  # the most central nodes are labelled even over a neighbour
MAX_EDGE_TYPES = 8
LEGEND_INCHES = 2.4  # the keys' column beside the graph
NARROW_INCHES = 8.0  # narrower figures put the keys below the graph
MIN_PLOT_INCHES = 2.4  # the least height left to the network itself when the keys go below it
LEGEND_COLUMN_INCHES = 1.75  # one column of a key ("actor: state-affiliated")
LEGEND_ROW_INCHES = 0.19  # one entry of a key at SMALL_SIZE


@dataclass(frozen=True)
class GraphOptions:
    nodes: str = "actors"
    size_by: str = "degree"
    colour_by: str = "kind"
    ego: str | None = None
    depth: int = 1
    relationship_types: frozenset[str] = frozenset()  # empty: all
    min_confidence: str | None = None
    seed: int = 7
    pinned: Mapping[str, Position] = field(default_factory=dict)
    title: str | None = None
    size: tuple[float, float] = (11.69, 8.27)
    produced: str | None = None
    label_limit: int = LABEL_LIMIT
    language: str = "en"  # the chart's own words and vocabulary; names are never translated

    def validated(self) -> "GraphOptions":
        chart_wording(self.language)
        for value, allowed, what in ((self.nodes, NODE_SETS, "node set"), (self.size_by, SIZE_BY, "node size measure"),
                                     (self.colour_by, COLOUR_BY, "node colouring")):
            if value not in allowed:
                raise UsageError(f"{value!r} is not a {what}", f"use one of: {', '.join(allowed)}")
        if self.min_confidence is not None and self.min_confidence not in CONFIDENCE:
            raise UsageError(f"{self.min_confidence!r} is not a confidence", f"use one of: {', '.join(CONFIDENCE)}")
        if self.depth < 1 or self.depth > 10:
            raise UsageError(f"ego depth {self.depth} is out of range", "use a depth from 1 to 10")
        return self


@dataclass
class GraphChart:
    """A drawn graph and what the desktop view needs to pick, drag and label nodes."""

    figure: Figure
    axes: Axes | None
    graph: nx.MultiDiGraph
    metrics: list[NodeMetrics]
    positions: dict[str, Position]
    node_ids: list[str] = field(default_factory=list)
    xy: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    sizes: np.ndarray = field(default_factory=lambda: np.empty(0))
    labelled: list[str] = field(default_factory=list)

    def node_at(self, px: float, py: float, slack: float = 3.0) -> str | None:
        """The node under display pixel (px, py), or None (the smallest one when they overlap)."""
        if self.axes is None or not self.node_ids:
            return None
        screen = self.axes.transData.transform(self.xy)
        radius = np.sqrt(self.sizes) / 2 * self.figure.dpi / 72 + slack
        distance = np.hypot(screen[:, 0] - px, screen[:, 1] - py)
        hits = np.flatnonzero(distance <= radius)
        if not len(hits):
            return None
        return self.node_ids[int(hits[np.argmin(radius[hits])])]


# -- building the graph ----------------------------------------------------------------


def build_graph(snapshot: CaseSnapshot, nodes: str = "actors") -> nx.MultiDiGraph:
    """Nodes carry ``kind``, ``label`` and ``subkind``; edges ``type``, ``confidence``, ``derived``."""
    if nodes not in NODE_SETS:
        raise UsageError(f"{nodes!r} is not a node set", f"use one of: {', '.join(NODE_SETS)}")
    graph = nx.MultiDiGraph()
    for actor in snapshot.actors:
        graph.add_node(actor.id, kind="actor", subkind=actor.kind, label=actor.name)
    if nodes != "actors":
        for narrative in snapshot.narratives:
            graph.add_node(narrative.id, kind="narrative", subkind="narrative", label=narrative.title)
    if nodes == "all":
        for event in snapshot.events:
            graph.add_node(event.id, kind="event", subkind="event", label=event.title)
        for item in snapshot.evidence:
            graph.add_node(item.id, kind="evidence", subkind="evidence", label=item.title)

    explicit = set()
    for rel in snapshot.relationships:
        if rel.source_id in graph and rel.target_id in graph:
            graph.add_edge(rel.source_id, rel.target_id, key=rel.id, type=rel.type, confidence=rel.confidence,
                           derived=False)
            explicit.add((rel.source_id, rel.type, rel.target_id))
    for actor in snapshot.actors:
        if actor.attributed_to and actor.attributed_to in graph and \
                (actor.id, "attributed-to", actor.attributed_to) not in explicit:
            graph.add_edge(actor.id, actor.attributed_to, key=f"attribution:{actor.id}", type="attributed-to",
                           confidence=actor.attribution_confidence, derived=True)
    if nodes == "actors+narratives":
        promoted: dict[tuple[str, str], int] = defaultdict(int)
        for event in snapshot.events:
            for actor_id in event.actor_ids:
                for narrative_id in event.narrative_ids:
                    promoted[(actor_id, narrative_id)] += 1
        for (actor_id, narrative_id), count in promoted.items():
            if actor_id in graph and narrative_id in graph:
                graph.add_edge(actor_id, narrative_id, key=f"promotes:{actor_id}:{narrative_id}", type="promotes",
                               confidence=None, derived=True, weight=count)
    if nodes == "all":
        for event in snapshot.events:
            for kind, targets in (("involves", event.actor_ids), ("carries", event.narrative_ids),
                                  ("supported-by", event.evidence_ids)):
                for target in targets:
                    if target in graph:
                        graph.add_edge(event.id, target, key=f"{kind}:{event.id}:{target}", type=kind,
                                       confidence=None, derived=True)
    return graph


def filter_edges(graph: nx.MultiDiGraph, types: frozenset[str] = frozenset(),
                 min_confidence: str | None = None) -> nx.MultiDiGraph:
    """A copy keeping only edges of ``types`` (all if empty) at or above ``min_confidence``."""
    if not types and min_confidence is None:
        return graph
    floor = CONFIDENCE.index(min_confidence) if min_confidence else -1
    kept = nx.MultiDiGraph()
    kept.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        if types and data["type"] not in types:
            continue
        confidence = data.get("confidence")
        if floor >= 0 and (confidence is None or CONFIDENCE.index(confidence) < floor):
            continue
        kept.add_edge(u, v, key=key, **data)
    return kept


def resolve_node(graph: nx.Graph, name: str) -> str:
    """A node id from an id or a label (case-insensitive); NotFoundError or UsageError otherwise."""
    if name in graph:
        return name
    wanted = name.strip().casefold()
    matches = [n for n, label in graph.nodes(data="label") if str(label).casefold() == wanted]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"{len(matches)} nodes are called {name!r}", "give the node's id instead of its name")
    raise NotFoundError(f"no node {name!r} in this graph", "see the names with 'rrmdesk graph metrics CASE'")


def ego_graph(graph: nx.MultiDiGraph, centre: str, depth: int = 1) -> nx.MultiDiGraph:
    """The neighbourhood of ``centre`` to ``depth`` hops, ignoring edge direction."""
    node = resolve_node(graph, centre)
    return nx.MultiDiGraph(nx.ego_graph(graph, node, radius=depth, undirected=True))


# -- drawing --------------------------------------------------------------------------


def render_graph(snapshot: CaseSnapshot, options: GraphOptions = GraphOptions(),
                 progress: Progress | None = None) -> GraphChart:
    """Build, measure, lay out and draw the case graph into a new ``Figure``."""
    options = options.validated()
    progress = progress or Progress()
    graph = filter_edges(build_graph(snapshot, options.nodes), options.relationship_types, options.min_confidence)
    if options.ego:
        graph = ego_graph(graph, options.ego, options.depth)
    metrics = compute_metrics(graph, seed=options.seed, progress=progress)
    positions = force_layout(sorted(graph.nodes), sorted((u, v) for u, v in graph.edges()), seed=options.seed,
                             pinned=options.pinned, progress=progress)
    return draw_graph(snapshot, graph, metrics, positions, options)


def draw_graph(snapshot: CaseSnapshot, graph: nx.MultiDiGraph, metrics: list[NodeMetrics],
               positions: Mapping[str, Position], options: GraphOptions,
               view: tuple[float, float, float, float] | None = None) -> GraphChart:
    """Draw an already measured and laid-out graph (the desktop view redraws with new positions).

    ``view`` is (x0, x1, y0, y1) in layout coordinates after a zoom: all nodes in view are
    labelled once few enough are visible.
    """
    with style.matplotlib_settings(style.rc_params()):
        return _draw(snapshot, graph, metrics, positions, options, view)


def _draw(snapshot: CaseSnapshot, graph: nx.MultiDiGraph, metrics: list[NodeMetrics],
          positions: Mapping[str, Position], options: GraphOptions,
          view: tuple[float, float, float, float] | None) -> GraphChart:
    case = snapshot.case
    wording = chart_wording(options.language)
    node_ids = list(graph.nodes)
    by_id = {m.id: m for m in metrics}
    width, height = options.size
    legend = _legend_plan(graph, node_ids, by_id, options.colour_by, width, wording)
    # Keys below a narrow graph may need more height than asked for: the figure grows rather
    # than squeeze the network into a strip (the desktop scrolls to the keys).
    if node_ids:
        height = max(height, frame.TOP_BAND + frame.BOTTOM_BAND + legend.below_inches + MIN_PLOT_INCHES)
    figure = Figure(figsize=(width, height), dpi=100)
    title = options.title or wording.text("graph_title", case=case.title)
    frame.decorate(figure, title, _subtitle(graph, options, wording), case.tlp, options.produced, wording)
    if graph.number_of_nodes() == 0:
        what = "no_actors_to_draw" if options.nodes == "actors" else "no_objects_to_draw"
        frame.empty_message(figure, wording[what], wording["no_nodes_hint"])
        return GraphChart(figure, None, graph, metrics, dict(positions))

    left, bottom, right, top = frame.plot_area(figure, 0.3, bottom_extra_inches=legend.below_inches)
    right -= legend.beside_inches / width
    axes = figure.add_axes((left, bottom, right - left, top - bottom))
    axes.set_axis_off()

    xy = np.array([positions[n] for n in node_ids], dtype=float)
    values = np.array([by_id[n].value(options.size_by) for n in node_ids])
    limits = _limits(axes, xy, view)
    per_point = (limits[1] - limits[0]) / (axes.get_position().width * width * 72)
    sizes = _node_sizes(xy, values, per_point)
    edge_handles = _draw_edges(axes, graph, positions, sizes, node_ids, per_point, wording)
    node_handles = _draw_nodes(axes, graph, node_ids, xy, sizes, by_id, options.colour_by, wording)
    labelled = _draw_labels(axes, graph, node_ids, xy, sizes, values, limits, per_point, options.label_limit)
    _legend(figure, axes, node_handles, edge_handles, legend, wording)
    return GraphChart(figure, axes, graph, metrics, dict(positions), node_ids, xy, sizes, labelled)


def _node_sizes(xy: np.ndarray, values: np.ndarray, per_point: float) -> np.ndarray:
    """Marker areas (points²) scaled to how tightly the layout packs nodes, so they rarely overlap.

    The typical node is about half the median gap to its nearest neighbour; the
    most central node is up to 2.4 times wider.
    """
    gap = _median_nearest(xy) / per_point if len(xy) > 1 else 40.0
    base = float(np.clip(0.55 * gap, 5.0, 14.0))
    largest = float(np.clip(base * 2.4, 10.0, 32.0))
    top = values.max() if len(values) and values.max() > 0 else 1.0
    diameter = base + (largest - base) * np.sqrt(np.clip(values, 0, None) / top)
    return diameter**2


def _median_nearest(xy: np.ndarray, sample: int = 400) -> float:
    """Median distance from a node to its nearest neighbour (over an even sample of nodes)."""
    rows = np.arange(0, len(xy), max(1, len(xy) // sample))
    d2 = ((xy[rows, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    d2[np.arange(len(rows)), rows] = np.inf
    nearest = np.sqrt(d2.min(axis=1))
    finite = nearest[np.isfinite(nearest) & (nearest > 0)]
    return float(np.median(finite)) if len(finite) else 1.0


def _subtitle(graph: nx.MultiDiGraph, options: GraphOptions, wording: ChartWording) -> str:
    parts = [wording.text("nodes_count", count=wording.number(graph.number_of_nodes())),
             wording.text("links_count", count=wording.number(graph.number_of_edges())),
             wording.text("node_size", measure=wording[f"measure_{options.size_by}"])]
    if options.ego:
        name = graph.nodes[resolve_node(graph, options.ego)]["label"]
        parts.append(wording.text("ego_one", name=name) if options.depth == 1 else
                     wording.text("ego_many", depth=options.depth, name=name))
    if options.relationship_types:
        types = ", ".join(wording.relationship(t) for t in sorted(options.relationship_types))
        parts.append(wording.text("links_only", types=types))
    if options.min_confidence:
        parts.append(wording.text("confidence_floor", confidence=wording.confidence(options.min_confidence)))
    return " · ".join(parts)


def _limits(axes: Axes, xy: np.ndarray, view: tuple[float, float, float, float] | None) -> tuple[float, float, float, float]:
    """Data limits with equal scale on both axes, padded so labels at the rim are not clipped."""
    if view is not None:
        x0, x1, y0, y1 = view
    else:
        x0, y0 = np.minimum(xy.min(axis=0), -1.0)  # the layout's square, or wider for pinned nodes
        x1, y1 = np.maximum(xy.max(axis=0), 1.0)
        pad = max(x1 - x0, y1 - y0) * 0.08
        x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    box = axes.get_position()
    figure_width, figure_height = axes.figure.get_size_inches()
    box_ratio = (box.height * figure_height) / (box.width * figure_width)
    data_w, data_h = x1 - x0, y1 - y0
    if data_h / data_w > box_ratio:
        grow = data_h / box_ratio - data_w
        x0, x1 = x0 - grow / 2, x1 + grow / 2
    else:
        grow = data_w * box_ratio - data_h
        y0, y1 = y0 - grow / 2, y1 + grow / 2
    axes.set_xlim(x0, x1)
    axes.set_ylim(y0, y1)
    return x0, x1, y0, y1


def _edge_styles(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Colours for the most frequent relationship types; the rest share grey."""
    counts: dict[str, int] = defaultdict(int)
    for _, _, kind in graph.edges(data="type"):
        counts[kind] += 1
    common = sorted(counts, key=lambda k: (-counts[k], k))[:MAX_EDGE_TYPES - 1] if len(counts) > MAX_EDGE_TYPES \
        else sorted(counts)
    palette = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
    colours = {kind: palette[i % len(palette)] for i, kind in enumerate(sorted(common))}
    return {kind: colours.get(kind, "#AAAAAA") for kind in counts}


def _draw_edges(axes: Axes, graph: nx.MultiDiGraph, positions: Mapping[str, Position], sizes: np.ndarray,
                node_ids: list[str], per_point: float, wording: ChartWording) -> list[Line2D]:
    colours = _edge_styles(graph)
    index = {node: i for i, node in enumerate(node_ids)}
    edges = [(u, v, data["type"], data.get("confidence")) for u, v, data in graph.edges(data=True) if u != v]
    if not edges:
        return []
    # Parallel links between one pair fan out slightly so each stays visible.
    seen_pairs: dict[tuple[str, str], int] = defaultdict(int)
    fan = np.empty(len(edges))
    for n, (u, v, _, _) in enumerate(edges):
        pair = (u, v) if u < v else (v, u)
        fan[n] = seen_pairs[pair]
        seen_pairs[pair] += 1
    xy = np.array([positions[n] for n in node_ids], dtype=float)
    radius = np.sqrt(sizes) / 2 * per_point
    src = np.array([index[e[0]] for e in edges])
    dst = np.array([index[e[1]] for e in edges])
    start, end = xy[src], xy[dst]
    length = np.hypot(*(end - start).T)
    keep = length > 0
    unit = (end - start) / np.where(keep, length, 1.0)[:, None]
    normal = np.column_stack([-unit[:, 1], unit[:, 0]])
    shift = normal * (fan * 3 * per_point * np.where(fan % 2 == 1, 1, -1))[:, None]
    start, end = start + shift, end + shift
    tip = end - unit * (radius[dst] + 1.5 * per_point)[:, None]
    head = 7 * per_point
    base = tip - unit * head
    side = normal * head * 0.38
    arrow = keep & (length > radius[src] + radius[dst] + head)
    kinds = np.array([e[2] for e in edges], dtype=object)
    confidence = np.array([e[3] or "" for e in edges], dtype=object)
    segments = np.stack([start, tip], axis=1)
    triangles = np.stack([tip, base + side, base - side], axis=1)
    for kind in sorted(set(kinds)):
        of_kind = keep & (kinds == kind)
        for level in sorted(set(confidence[of_kind])):
            rows = of_kind & (confidence == level)
            stated = level or None
            axes.add_collection(LineCollection(
                segments[rows], colors=colours[kind], linestyles=style.CONFIDENCE_STYLES.get(stated, "solid"),
                linewidths=style.CONFIDENCE_WIDTHS.get(stated, 1.0), alpha=0.75, zorder=1,
                gid=f"edges:{kind}:{level or 'unstated'}"), autolim=False)
        heads = of_kind & arrow
        if heads.any():
            axes.add_collection(PolyCollection(triangles[heads], facecolors=colours[kind], edgecolors="none",
                                               alpha=0.9, zorder=1.5, gid=f"arrows:{kind}"), autolim=False)
    handles = []
    shown = sorted({c: k for k, c in colours.items()}.items(), key=lambda item: item[1])
    for colour, kind in shown:
        label = wording.relationship(kind) if colour != "#AAAAAA" else wording["other_link_types"]
        handles.append(Line2D([], [], color=colour, linewidth=2, label=label))
    confidences = {c for _, _, c in graph.edges(data="confidence")}
    for confidence in (*reversed(CONFIDENCE), None):
        if confidence in confidences:
            handles.append(Line2D([], [], color="#888888", linestyle=style.CONFIDENCE_STYLES[confidence],
                                  linewidth=style.CONFIDENCE_WIDTHS[confidence],
                                  label=wording.text("confidence_stated", confidence=wording.confidence(confidence))
                                  if confidence else wording["confidence_unstated"]))
    return handles


def _node_style(data: dict, colour_by: str, community: int, wording: ChartWording) -> tuple[str, str, str]:
    """(marker, colour, legend label) for one node."""
    marker, colour = style.NODE_KINDS[data["kind"]]
    if colour_by == "community":
        if community > COMMUNITY_COLOURS:  # colours would repeat: the small ones share grey
            return marker, style.NEUTRAL, wording.text("communities_rest", first=COMMUNITY_COLOURS + 1)
        return marker, style.OKABE_ITO[community - 1], wording.text("community", number=community)
    if data["kind"] == "actor":
        subkind = data.get("subkind") or "unknown"
        return (marker, style.ACTOR_COLOURS.get(subkind, style.NEUTRAL),
                wording.text("actor_of_kind", kind=wording.actor_kind(subkind)))
    return marker, colour, wording.node_kind(data["kind"])


def _draw_nodes(axes: Axes, graph: nx.MultiDiGraph, node_ids: list[str], xy: np.ndarray, sizes: np.ndarray,
                by_id: dict, colour_by: str, wording: ChartWording) -> list[Line2D]:
    groups: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, node in enumerate(node_ids):
        groups[_node_style(graph.nodes[node], colour_by, by_id[node].community, wording)].append(i)
    handles = []
    def order(item: tuple[tuple[str, str, str], list[int]]) -> tuple[int, str]:
        label = item[0][2]
        digits = "".join(c for c in label if c.isdigit())
        return (int(digits) if digits else 0, label)

    for (marker, colour, label), rows in sorted(groups.items(), key=order):
        axes.scatter(xy[rows, 0], xy[rows, 1], s=sizes[rows], marker=marker, c=colour, edgecolors="#222222",
                     linewidths=0.6, zorder=3, gid=f"nodes:{label}")
        handles.append(Line2D([], [], marker=marker, color=colour, markeredgecolor="#222222", linestyle="",
                              markersize=8, label=label))
    return handles


def _draw_labels(axes: Axes, graph: nx.MultiDiGraph, node_ids: list[str], xy: np.ndarray, sizes: np.ndarray,
                 values: np.ndarray, limits: tuple[float, float, float, float], per_point: float,
                 limit: int) -> list[str]:
    """Label the most central nodes first where the label hides neither a node nor a label.

    With many nodes in view only those above the median centrality qualify: labelling one of a
    hundred equal leaves says nothing and hides the hubs.
    """
    x0, x1, y0, y1 = limits
    visible = np.flatnonzero((xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1))
    order = sorted(visible.tolist(), key=lambda i: (-values[i], node_ids[i]))
    if len(visible) > LABEL_ALL_BELOW:
        floor = float(np.median(values[visible]))
        order = [i for i in order if values[i] > floor][:limit]
    radius = np.sqrt(sizes) / 2 * per_point
    node_boxes = np.column_stack([xy[:, 0] - radius, xy[:, 0] + radius, xy[:, 1] - radius, xy[:, 1] + radius])
    placed: list[tuple[float, float, float, float]] = []
    labelled = []
    font = style.SMALL_SIZE if len(node_ids) > 60 else style.LABEL_SIZE
    small = len(visible) <= LABEL_ALL_BELOW
    must = set(order) if small else set(order[:MUST_LABEL])
    for i in order:
        text = _short_label(str(graph.nodes[node_ids[i]]["label"]))
        width = len(text) * font * 0.6 * per_point
        height = font * 1.25 * per_point
        gap = radius[i] + 2 * per_point
        fallback = None
        for dx, dy, ha, va in _label_spots(gap, height):
            x, y = xy[i, 0] + dx, xy[i, 1] + dy
            left = x - width / 2 if ha == "center" else x if ha == "left" else x - width
            bottom = y - height if va == "top" else y if va == "bottom" else y - height / 2
            box = (left, left + width, bottom, bottom + height)
            if box[0] < x0 or box[1] > x1 or box[2] < y0 or box[3] > y1:
                continue
            if any(b[0] < box[1] and box[0] < b[1] and b[2] < box[3] and box[2] < b[3] for b in placed):
                continue  # labels do not overlap labels
            hidden = (node_boxes[:, 0] < box[1]) & (box[0] < node_boxes[:, 1]) & \
                     (node_boxes[:, 2] < box[3]) & (box[2] < node_boxes[:, 3])
            hidden[i] = False
            if not hidden.any():
                break
            fallback = fallback or (x, y, ha, va, box)
        else:
            # A hub, or any node of a small graph: a label over a node beats none. Never over
            # another label: two labels on top of each other read as neither (the measures table
            # and the pointer still name every node).
            chosen = fallback
            if i not in must or chosen is None:
                continue
            x, y, ha, va, box = chosen
        placed.append(box)
        labelled.append(node_ids[i])
        axes.text(x, y, text, ha=ha, va=va, fontsize=font, color=style.INK, zorder=4, gid=f"label:{node_ids[i]}",
                  path_effects=[effects.withStroke(linewidth=3, foreground="white")])
    return labelled


def _label_spots(gap: float, height: float) -> list[tuple[float, float, str, str]]:
    """Where a label may go around its node, nearest first: below, above, beside, diagonal,
    then the same a step further out."""
    spots = []
    for ring in (gap, gap + height * 1.2):
        spots += [(0, -ring, "center", "top"), (0, ring, "center", "bottom"), (ring, 0, "left", "center"),
                  (-ring, 0, "right", "center"), (ring * 0.8, -ring * 0.8, "left", "top"),
                  (-ring * 0.8, -ring * 0.8, "right", "top"), (ring * 0.8, ring * 0.8, "left", "bottom"),
                  (-ring * 0.8, ring * 0.8, "right", "bottom")]
    return spots


def _short_label(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class LegendPlan:
    """Where the keys go: beside the graph on a wide figure, below it on a narrow one.

    A narrow figure (the Graph tab beside its measures table on a laptop) would otherwise give
    a third of its width to the keys and squeeze the network into a strip.
    """

    beside_inches: float  # width kept free right of the graph
    below_inches: float  # height kept free under it
    columns: int  # per key, when below


def _legend_plan(graph: nx.MultiDiGraph, node_ids: list[str], by_id: dict, colour_by: str,
                 width: float, wording: ChartWording) -> LegendPlan:
    if width >= NARROW_INCHES:
        return LegendPlan(LEGEND_INCHES, 0.0, 1)
    node_entries = len({_node_style(graph.nodes[n], colour_by, by_id[n].community, wording) for n in node_ids})
    kinds = {kind for _, _, kind in graph.edges(data="type")}
    confidences = {c for _, _, c in graph.edges(data="confidence")}
    edge_entries = min(len(kinds), MAX_EDGE_TYPES) + len(confidences) if kinds else 0
    # Two columns per key when both keys fit side by side that way, else one.
    columns = 2 if 4 * LEGEND_COLUMN_INCHES <= width - 0.6 else 1
    rows = max(-(-node_entries // columns), -(-edge_entries // columns))
    return LegendPlan(0.0, 0.35 + rows * LEGEND_ROW_INCHES, columns)


def _legend(figure: Figure, axes: Axes, node_handles: list, edge_handles: list, plan: LegendPlan,
            wording: ChartWording) -> None:
    box = axes.get_position()
    keys = dict(frameon=False, alignment="left", fontsize=style.SMALL_SIZE, title_fontsize=style.LABEL_SIZE)
    if plan.below_inches:
        gap = 0.08 / figure.get_figheight()
        figure.legend(handles=node_handles, loc="upper left", bbox_to_anchor=(box.x0, box.y0 - gap),
                      title=wording["legend_nodes"], ncol=plan.columns, **keys)
        if edge_handles:
            figure.legend(handles=edge_handles, loc="upper right", bbox_to_anchor=(box.x1, box.y0 - gap),
                          title=wording["legend_links"], ncol=plan.columns, handlelength=2.6, **keys)
        return
    anchor_x = box.x1 + 0.01
    figure.legend(handles=node_handles, loc="upper left", bbox_to_anchor=(anchor_x, box.y1),
                  title=wording["legend_nodes"], **keys)
    if edge_handles:
        figure.legend(handles=edge_handles, loc="lower left", bbox_to_anchor=(anchor_x, box.y0),
                      title=wording["legend_links"], handlelength=2.6, **keys)
