"""Who matters in the network: degree, betweenness, eigenvector centrality and communities.

All four are computed on the undirected simple graph (an edge either way counts once): analysts
ask "who is connected to whom", and direction-aware eigenvector centrality is zero for the
chain-shaped graphs attribution produces (source → disinformant → nation).
Betweenness is exact up to ``EXACT_BETWEENNESS`` nodes and estimated from a seeded sample of
pivots above that (networkx's ``k``), which keeps a 2,000-node graph interactive.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass

import networkx as nx
import numpy as np

from ..progress import Progress

EXACT_BETWEENNESS = 1_000
BETWEENNESS_PIVOTS = 120
COLUMNS = ("id", "label", "kind", "degree", "betweenness", "eigenvector", "community")


@dataclass(frozen=True)
class NodeMetrics:
    id: str
    label: str
    kind: str
    degree: int
    betweenness: float
    eigenvector: float
    community: int  # 1 is the largest community
    # ``kind`` is the actor kind (state, proxy, …) for actors, else narrative, event or evidence

    def value(self, measure: str) -> float:
        return float(getattr(self, measure))


def simple_undirected(graph: nx.Graph) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


def compute_metrics(graph: nx.Graph, seed: int = 7, progress: Progress | None = None) -> list[NodeMetrics]:
    """One row per node, most central (by degree, then betweenness) first."""
    progress = progress or Progress()
    simple = simple_undirected(graph)
    if simple.number_of_nodes() == 0:
        return []
    progress.update(0, 4, "degree")
    degree = dict(simple.degree())
    progress.update(1, 4, "betweenness")
    if simple.number_of_nodes() > EXACT_BETWEENNESS:
        betweenness = nx.betweenness_centrality(simple, k=BETWEENNESS_PIVOTS, seed=seed)
    else:
        betweenness = nx.betweenness_centrality(simple)
    progress.update(2, 4, "eigenvector centrality")
    eigenvector = _eigenvector(simple)
    progress.update(3, 4, "communities")
    community = _communities(simple, seed)
    progress.update(4, 4, "done")
    rows = [
        NodeMetrics(
            id=node,
            label=str(graph.nodes[node].get("label", node)),
            kind=str(graph.nodes[node].get("subkind") or graph.nodes[node].get("kind", "")),
            degree=int(degree[node]),
            betweenness=float(betweenness[node]),
            eigenvector=float(eigenvector[node]),
            community=community[node],
        )
        for node in simple.nodes
    ]
    return sorted(rows, key=lambda r: (-r.degree, -r.betweenness, r.label, r.id))


def _eigenvector(simple: nx.Graph) -> dict[str, float]:
    """networkx's power iteration; a dense eigen-solve when it does not converge."""
    if simple.number_of_edges() == 0:
        return {node: 0.0 for node in simple.nodes}
    try:
        return nx.eigenvector_centrality(simple, max_iter=1000, tol=1e-8)
    except nx.PowerIterationFailedConvergence:
        nodes = list(simple.nodes)
        matrix = nx.to_numpy_array(simple, nodelist=nodes)
        values, vectors = np.linalg.eigh(matrix)
        principal = np.abs(vectors[:, int(np.argmax(values))])
        principal /= np.linalg.norm(principal) or 1.0
        return dict(zip(nodes, principal.tolist()))


def _communities(simple: nx.Graph, seed: int) -> dict[str, int]:
    """Louvain communities (seeded), numbered from the largest down."""
    groups = nx.community.louvain_communities(simple, seed=seed)
    ordered = sorted(groups, key=lambda g: (-len(g), min(g)))
    return {node: number for number, group in enumerate(ordered, start=1) for node in group}


def _cell(value: object) -> object:
    """Names come from adversary accounts: never let one start a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def metrics_csv(rows: list[NodeMetrics]) -> str:
    """The metrics table as CSV text (the analyst chooses where it goes)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        values = {name: _cell(value) for name, value in asdict(row).items()}
        values["betweenness"] = f"{row.betweenness:.6f}"
        values["eigenvector"] = f"{row.eigenvector:.6f}"
        writer.writerow(values)
    return out.getvalue()
