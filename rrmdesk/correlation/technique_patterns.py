"""Cases that show the same pattern of DISARM techniques.

Two operations run by one actor tend to reuse a playbook: the same set of techniques, not just
one popular technique. The pattern of a case is its set of T-codes (the case's technique list,
``TechniqueUse``); two patterns are compared by Jaccard similarity (shared codes over all codes).
One or two shared codes say little, so a pattern match needs ``MIN_SHARED`` shared codes and a
similarity of at least ``MIN_JACCARD``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..store import Store

MIN_SHARED = 3
MIN_JACCARD = 0.5


@dataclass(frozen=True, slots=True)
class TechniqueOverlap:
    shared: tuple[str, ...]
    jaccard: float


def jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def overlap(a: set[str], b: set[str]) -> TechniqueOverlap | None:
    """The shared pattern of two cases, or None when it is too thin to mean anything."""
    shared = a & b
    if len(shared) < MIN_SHARED:
        return None
    score = jaccard(a, b)
    if score < MIN_JACCARD:
        return None
    return TechniqueOverlap(tuple(sorted(shared)), round(score, 3))


def case_pattern(store: Store, case_id: str) -> set[str]:
    rows = store.db.conn.execute("SELECT code FROM techniques WHERE case_id = ?", (case_id,))
    return {r[0] for r in rows}


def similar_cases(store: Store, case_id: str) -> dict[str, TechniqueOverlap]:
    """Other cases whose technique pattern matches this case's, by case id."""
    mine = case_pattern(store, case_id)
    if len(mine) < MIN_SHARED:
        return {}
    marks = ",".join("?" * len(mine))
    conn = store.db.conn
    counts = conn.execute(
        f"SELECT case_id, count(DISTINCT code) FROM techniques WHERE code IN ({marks}) AND case_id != ?"
        f" GROUP BY case_id HAVING count(DISTINCT code) >= ?",
        [*mine, case_id, MIN_SHARED],
    ).fetchall()
    if not counts:
        return {}
    patterns = patterns_of(store, [c for c, _ in counts])
    found = {}
    for other, codes in patterns.items():
        match = overlap(mine, codes)
        if match:
            found[other] = match
    return found


def patterns_of(store: Store, case_ids: Iterable[str] | None = None) -> dict[str, set[str]]:
    """Technique patterns of the given cases (every case when None)."""
    conn = store.db.conn
    patterns: dict[str, set[str]] = defaultdict(set)
    if case_ids is None:
        rows: Iterable[tuple[str, str]] = conn.execute("SELECT case_id, code FROM techniques")
    else:
        ids = list(case_ids)
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows.extend(conn.execute(
                f"SELECT case_id, code FROM techniques WHERE case_id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall())
    for case, code in rows:
        patterns[case].add(code)
    return dict(patterns)
