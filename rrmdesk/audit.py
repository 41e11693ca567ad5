"""The audit chain: every change appends a hash-linked entry in the change's own transaction.

hash = SHA-256(prev_hash || canonical JSON of the entry), so editing, deleting or reordering any
past entry breaks every later link, and ``verify`` names the first entry that no longer fits.
"""

from __future__ import annotations

import functools
import hashlib
import json
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .clock import utc_now

GENESIS = "0" * 64
#: json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False), built once: bulk
#: imports encode every entry twice and a new encoder per call is a measurable share of that.
_canonical_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: str
    analyst: str
    action: str
    object_id: str
    change: str
    prev_hash: str
    hash: str

    def change_dict(self) -> dict[str, Any]:
        return json.loads(self.change)


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    first_broken: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None


_compact_json = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
#: JSON string literal exactly as ``_canonical_json`` writes one (the same C routine).
_string = json.encoder.encode_basestring


def canonical(seq: int, at: str, analyst: str, action: str, object_id: str, change: str) -> bytes:
    """The entry's canonical JSON: its six keys in sorted order, written without building a
    dict for the encoder; byte-for-byte what ``_canonical_json`` gives (tests compare the two)."""
    return (f'{{"action":{_string(action)},"analyst":{_string(analyst)},"at":{_string(at)},'
            f'"change":{_string(change)},"object_id":{_string(object_id)},"seq":{int(seq)}}}').encode()


def link_hash(prev_hash: str, entry: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + entry).hexdigest()


def encode_change(change: dict[str, Any]) -> str:
    return _canonical_json(change)


def addition(names: Sequence[str], values: Sequence[Any], label: str) -> str:
    """What an "add" entry records, as canonical JSON: the record's label and the SHA-256 of its
    row (the column ``values`` in the order of their ``names`` sorted, as a compact JSON array).

    The record itself holds the content and every later edit records old and new values, so
    the digest is enough to prove what was first entered; a full copy of each record in the log
    made the log a third of the workspace and of every import's time. An array rather than an
    object because naming every column again doubled the cost of the digest.
    """
    digest = hashlib.sha256(_compact_json(_in_name_order(tuple(names))(values)).encode()).hexdigest()
    return f'{{"label":{_string(label)},"sha256":"{digest}"}}'  # keys in sorted order


@functools.cache
def _in_name_order(names: tuple[str, ...]) -> Callable[[Sequence[Any]], list[Any]]:
    if len(names) == 1:
        return list
    getter = operator.itemgetter(*sorted(range(len(names)), key=names.__getitem__))
    return lambda values: list(getter(values))


def _tail(db: sqlite_utils.Database) -> tuple[int, str]:
    row = db.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(
    db: sqlite_utils.Database,
    analyst: str,
    changes: Iterable[tuple[str, str, dict[str, Any] | str, str | None]],
) -> int:
    """Append (action, object_id, change, case_id) entries; the caller holds the write transaction.

    A change is a dict, or text already in canonical JSON (``addition`` writes it so). The case
    id (None for what belongs to no case: a partner key, a rekey) files the entry under its case
    in ``audit_case``, outside the chained row.

    Reading the tail inside the caller's IMMEDIATE transaction is what keeps two processes from
    forking the chain.
    """
    seq, prev = _tail(db)
    at = utc_now()
    rows, filed = [], []
    for action, object_id, change, case_id in changes:
        seq += 1
        body = change if isinstance(change, str) else encode_change(change)
        digest = link_hash(prev, canonical(seq, at, analyst, action, object_id, body))
        rows.append((seq, at, analyst, action, object_id, body, prev, digest))
        if case_id:
            filed.append((case_id, seq))
        prev = digest
    db.conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.conn.executemany("INSERT INTO audit_case (case_id, seq) VALUES (?, ?)", filed)
    return len(rows)


_COLUMNS = "a.seq, a.at, a.analyst, a.action, a.object_id, a.change, a.prev_hash, a.hash"


def entries(db: sqlite_utils.Database, case_id: str | None = None) -> Iterator[AuditEntry]:
    """Every entry, or those filed under one case (its objects' changes, removed ones too)."""
    if case_id is None:
        cursor = db.conn.execute(f"SELECT {_COLUMNS} FROM audit a ORDER BY a.seq")
    else:
        cursor = db.conn.execute(
            f"SELECT {_COLUMNS} FROM audit_case c JOIN audit a ON a.seq = c.seq WHERE c.case_id = ? ORDER BY c.seq",
            (case_id,),
        )
    for row in cursor:
        yield AuditEntry(*row)


def verify(db: sqlite_utils.Database) -> ChainReport:
    prev, expected_seq, count = GENESIS, 1, 0
    for entry in entries(db):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(count, expected_seq, f"entry {expected_seq} is missing")
        if entry.prev_hash != prev:
            return ChainReport(count, entry.seq, f"entry {entry.seq} does not link to entry {entry.seq - 1}")
        body = canonical(entry.seq, entry.at, entry.analyst, entry.action, entry.object_id, entry.change)
        if link_hash(prev, body) != entry.hash:
            return ChainReport(count, entry.seq, f"entry {entry.seq} was altered after it was written")
        prev, expected_seq = entry.hash, expected_seq + 1
    misfiled = _first_misfiled(db)
    if misfiled is not None:
        return ChainReport(count, misfiled, f"entry {misfiled} is not filed under the case its object belongs to")
    return ChainReport(count, None)


# The filing of entries about objects still present, checked against ``objects``.
_MISFILED_PRESENT = """
SELECT min(seq) FROM (
    SELECT a.seq FROM audit a JOIN objects o ON o.id = a.object_id
    WHERE o.case_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM audit_case c WHERE c.case_id = o.case_id AND c.seq = a.seq)
    UNION ALL
    SELECT c.seq FROM audit_case c JOIN audit a ON a.seq = c.seq JOIN objects o ON o.id = a.object_id
    WHERE o.case_id IS NOT c.case_id)
"""
# The filing of entries about removed objects, checked against the case their "remove" entry
# recorded with the rest of the row.
_MISFILED_REMOVED = """
WITH gone (object_id, case_id) AS (
    SELECT DISTINCT object_id, json_extract(change, '$.case_id') FROM audit
    WHERE action = 'remove' AND json_extract(change, '$.case_id') IS NOT NULL
      AND object_id NOT IN (SELECT id FROM objects))
SELECT min(seq) FROM (
    SELECT a.seq FROM gone g JOIN audit a ON a.object_id = g.object_id
    WHERE NOT EXISTS (SELECT 1 FROM audit_case c WHERE c.case_id = g.case_id AND c.seq = a.seq)
    UNION ALL
    SELECT c.seq FROM gone g JOIN audit a ON a.object_id = g.object_id JOIN audit_case c ON c.seq = a.seq
    WHERE g.case_id IS NOT c.case_id)
"""


def _first_misfiled(db: sqlite_utils.Database) -> int | None:
    """The first entry that ``audit_case`` does not list under its object's case, or lists under
    another: the filing sits outside the chain, so it is checked against what the records and
    the chain say (two queries: one join over both sources took longer than the two)."""
    found = [db.conn.execute(sql).fetchone()[0] for sql in (_MISFILED_PRESENT, _MISFILED_REMOVED)]
    return min((seq for seq in found if seq is not None), default=None)
