"""The analyst's verdict on a correlation: confirmed (one operation) or dismissed (noise).

A verdict is kept per pair of cases and outlives new data: a dismissed pair is no longer listed
or clustered however much more it comes to share, so noise does not come back; a confirmed pair
stays linked in clusters even if its shared values are later put on the exclusion list. Each
verdict is recorded in the audit chain of both cases, in the same transaction as the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import audit
from ..clock import utc_now
from ..errors import NotFoundError, UsageError
from ..store import Store

VERDICTS = ("confirmed", "dismissed")
_ACTION = {"confirmed": "correlation-confirm", "dismissed": "correlation-dismiss"}


@dataclass(frozen=True, slots=True)
class Decision:
    case_a: str
    case_b: str
    decision: str
    note: str
    decided_by: str
    decided_at: str

    def other(self, case_id: str) -> str:
        return self.case_b if case_id == self.case_a else self.case_a


def _pair(case_id: str, other_id: str) -> tuple[str, str]:
    if case_id == other_id:
        raise UsageError("a case cannot be correlated with itself", "give two different case ids")
    return (case_id, other_id) if case_id < other_id else (other_id, case_id)


def decide(store: Store, case_id: str, other_id: str, decision: str, note: str = "") -> Decision:
    """Record (or change) the verdict on a pair of cases."""
    if decision not in VERDICTS:
        raise UsageError(f"{decision!r} is not a verdict", "use confirmed or dismissed")
    a, b = _pair(case_id, other_id)
    store.get_case(a)
    store.get_case(b)
    made = Decision(a, b, decision, note.strip(), store.analyst, utc_now())
    with store.transaction():
        store.db.conn.execute(
            "INSERT INTO correlation_decisions (case_a, case_b, decision, note, decided_by, decided_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(case_a, case_b) DO UPDATE SET decision = excluded.decision,"
            " note = excluded.note, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            (a, b, made.decision, made.note, made.decided_by, made.decided_at),
        )
        change = {"decision": decision, "note": made.note}
        audit.append(store.db, store.analyst, [
            (_ACTION[decision], a, {**change, "other_case": b}, a),
            (_ACTION[decision], b, {**change, "other_case": a}, b),
        ])
    return made


def withdraw(store: Store, case_id: str, other_id: str) -> None:
    """Forget the verdict on a pair, so it is scored like any other again (audited too)."""
    a, b = _pair(case_id, other_id)
    with store.transaction():
        gone = store.db.conn.execute(
            "DELETE FROM correlation_decisions WHERE case_a = ? AND case_b = ?", (a, b)
        ).rowcount
        if not gone:
            raise NotFoundError(f"there is no verdict on {a} and {b}", "see verdicts with 'rrmdesk correlate CASE'")
        audit.append(store.db, store.analyst, [
            ("correlation-withdraw", a, {"other_case": b}, a),
            ("correlation-withdraw", b, {"other_case": a}, b),
        ])


def decisions(store: Store, case_id: str | None = None) -> dict[tuple[str, str], Decision]:
    """Verdicts by (case_a, case_b), for one case or the whole workspace."""
    sql = "SELECT case_a, case_b, decision, note, decided_by, decided_at FROM correlation_decisions"
    params: tuple[str, ...] = ()
    if case_id is not None:
        sql += " WHERE case_a = ? OR case_b = ?"
        params = (case_id, case_id)
    return {(r[0], r[1]): Decision(*r) for r in store.db.conn.execute(sql, params)}


def pair_key(case_id: str, other_id: str) -> tuple[str, str]:
    return _pair(case_id, other_id)
