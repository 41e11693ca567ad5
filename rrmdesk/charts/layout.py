"""Force-directed layout for the actor-link graph: seeded, vectorised, with pinned nodes.

Fruchterman–Reingold, each connected component on its own and then packed side by side,
written over numpy arrays: networkx's own ``spring_layout`` loops in Python over nodes for graphs
above 500 nodes and needs scipy; this runs the same algorithm on whole arrays, and the same
seed and graph always give the same picture. Pinned nodes stay where the analyst put them and the
others settle around them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from ..progress import Progress

Position = tuple[float, float]
_CHUNK = 512


def force_layout(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    seed: int = 7,
    pinned: Mapping[str, Position] | None = None,
    iterations: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Position]:
    """Positions in roughly [-1, 1]²; ``pinned`` positions are returned unchanged.

    Without pins, each connected component is laid out on its own and the components are
    packed side by side, largest first: one global simulation would fling small components to
    the rim and squeeze the main network into the middle of the page.
    """
    nodes = list(nodes)
    if not nodes:
        return {}
    pinned = {n: p for n, p in (pinned or {}).items() if n in set(nodes)}
    if pinned:
        # Start from the unpinned picture so dragging one node does not reshuffle the rest;
        # a short, cool relaxation lets its neighbours follow it.
        start = force_layout(nodes, edges, seed, None, iterations, progress)
        return _simulate(nodes, edges, seed, pinned, 30, None, initial=start, temperature=0.015)
    components = _components(nodes, edges)
    if len(components) == 1:
        return _normalise(_simulate(nodes, edges, seed, {}, iterations, progress))
    placed: dict[str, Position] = {}
    boxes = []
    for number, members in enumerate(components):
        if progress:
            progress.update(number, len(components), "laying out the graph")
        member_set = set(members)
        part = [(a, b) for a, b in edges if a in member_set and b in member_set]
        layout = _normalise(_simulate(members, part, seed, {}, iterations, None)) if len(members) > 1 \
            else {members[0]: (0.0, 0.0)}
        boxes.append((layout, np.sqrt(len(members))))
    # Shelf packing: rows of components, each scaled by the square root of its size.
    total_width = sum(2 * radius for _, radius in boxes)
    row_limit = max(2 * boxes[0][1], np.sqrt(total_width * 2 * boxes[0][1]) * 1.1)
    x = y = row_height = 0.0
    for layout, radius in boxes:
        side = 2 * radius * 1.15
        if x > 0 and x + side > row_limit:
            x, y, row_height = 0.0, y - row_height, 0.0
        for node, (px, py) in layout.items():
            placed[node] = (x + side / 2 + px * radius, y - side / 2 + py * radius)
        x += side
        row_height = max(row_height, side)
    return _normalise(placed)


def _components(nodes: list[str], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Connected components, largest first, members in input order (deterministic)."""
    parent = {n: n for n in nodes}

    def root(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for node in nodes:
        groups.setdefault(root(node), []).append(node)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def _normalise(layout: dict[str, Position]) -> dict[str, Position]:
    """Centre on the origin and scale into [-1, 1]² keeping the aspect.

    A graph of a handful of nodes fills less of the square (two nodes are not drawn a page
    apart); from about 16 nodes it fills it all.
    """
    if not layout:
        return layout
    pos = np.array(list(layout.values()), dtype=float)
    low, high = pos.min(axis=0), pos.max(axis=0)
    pos -= (low + high) / 2
    scale = np.abs(pos).max()
    pos /= scale if scale > 0 else 1.0
    pos *= min(1.0, 0.3 + len(pos) / 20)
    return {node: (float(x), float(y)) for node, (x, y) in zip(layout, pos)}


def _simulate(nodes: list[str], edges: Sequence[tuple[str, str]], seed: int, pinned: Mapping[str, Position],
              iterations: int | None, progress: Progress | None, initial: Mapping[str, Position] | None = None,
              temperature: float = 0.25) -> dict[str, Position]:
    count = len(nodes)
    if count == 1:
        only = nodes[0]
        return {only: tuple(pinned.get(only, (0.0, 0.0)))}  # type: ignore[dict-item]
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a in index and b in index and a != b], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)

    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(count, 2))
    for node, (x, y) in (initial or {}).items():
        pos[index[node]] = (x, y)
    fixed = np.zeros(count, dtype=bool)
    for node, (x, y) in pinned.items():
        pos[index[node]] = (x, y)
        fixed[index[node]] = True

    k = 2.0 / np.sqrt(count)  # ideal edge length in a 2 x 2 box
    steps = iterations or (100 if count <= 500 else 60 if count <= 3000 else 40)
    cooling = temperature / (steps + 1)
    for step in range(steps):
        disp = _repulsion(pos, k)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            distance = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), 1e-9)
            pull = delta * (distance / k)[:, None]
            np.subtract.at(disp, pairs[:, 0], pull)
            np.add.at(disp, pairs[:, 1], pull)
        disp[fixed] = 0.0
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
        if progress and step % 5 == 0:
            progress.update(step, steps, "laying out the graph")
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def _repulsion(pos: np.ndarray, k: float) -> np.ndarray:
    """k²/d pushing every pair apart, in row blocks (float32, in place) so memory stays small."""
    disp = np.empty_like(pos)
    x, y = pos[:, 0].astype(np.float32), pos[:, 1].astype(np.float32)
    k2 = np.float32(k * k)
    for start in range(0, len(pos), _CHUNK):
        stop = start + _CHUNK
        dx = x[start:stop, None] - x[None, :]
        dy = y[start:stop, None] - y[None, :]
        d2 = dx * dx
        d2 += dy * dy
        np.maximum(d2, np.float32(1e-6), out=d2)
        np.divide(k2, d2, out=d2)
        disp[start:stop, 0] = np.einsum("ij,ij->i", dx, d2)
        disp[start:stop, 1] = np.einsum("ij,ij->i", dy, d2)
    return disp
