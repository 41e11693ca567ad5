"""Node positions the analyst pinned in a case's graph, saved in the encrypted workspace.

Positions are layout coordinates (the space ``force_layout`` returns), keyed by node id, in the
``graph_pins`` table (schema migration 4). They are a view preference, not case content, so
moving a node is not an audit entry; they live in the workspace database rather than a side
file because node ids name case objects.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..database import db_errors
from ..errors import UsageError
from ..store import Store
from .layout import Position


def load_pins(store: Store, case_id: str) -> dict[str, Position]:
    """The pinned positions of a case's graph (empty when none were pinned)."""
    case = store.get_case(case_id)
    with db_errors():
        rows = store.db.conn.execute(
            "SELECT node_id, x, y FROM graph_pins WHERE case_id = ? ORDER BY node_id", (case.id,)
        ).fetchall()
    return {node: (float(x), float(y)) for node, x, y in rows}


def save_pins(store: Store, case_id: str, positions: Mapping[str, Position]) -> dict[str, Position]:
    """Replace the case's pinned positions in one transaction; an empty mapping unpins all."""
    case = store.get_case(case_id)
    clean: dict[str, Position] = {}
    for node, (x, y) in positions.items():
        if not (math.isfinite(x) and math.isfinite(y)):
            raise UsageError(f"the position of {node} is not a finite number", "drag the node again")
        clean[str(node)] = (float(x), float(y))
    with store.transaction() as db:
        db.conn.execute("DELETE FROM graph_pins WHERE case_id = ?", (case.id,))
        db.conn.executemany("INSERT INTO graph_pins (case_id, node_id, x, y) VALUES (?, ?, ?, ?)",
                            [(case.id, node, x, y) for node, (x, y) in sorted(clean.items())])
    return clean


def pin(store: Store, case_id: str, node_id: str, position: Position) -> dict[str, Position]:
    """Pin one node (as after a drag) and keep the others pinned."""
    pins = load_pins(store, case_id)
    pins[node_id] = position
    return save_pins(store, case_id, pins)


def unpin(store: Store, case_id: str, node_id: str | None = None) -> dict[str, Position]:
    """Release one node, or every node of the case when ``node_id`` is None."""
    pins = load_pins(store, case_id) if node_id else {}
    if node_id and node_id not in pins:
        raise UsageError(f"{node_id} is not pinned", "see the pinned nodes in the Graph tab")
    pins.pop(node_id or "", None)
    return save_pins(store, case_id, pins)
