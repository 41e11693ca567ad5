"""What imports keep beside the model: unmodelled objects and properties, provenance, conflicts.

Tables come from schema migration 2. ``interop_kept`` holds, per case, whole STIX objects RRM
Desk does not model (part ``object``) and, for objects it does model, the received properties
the record does not carry (part ``properties``: ``{name: [received, as we would have written
it then]}``). On export a kept property replaces ours only while ours is still what it was at
import time, so a later local edit is never hidden by an old received value.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..database import db_errors
from ..store import Store

OBJECT = "object"
PROPERTIES = "properties"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def save_kept(store: Store, rows: Iterable[tuple[str, str, str, str, Any]]) -> None:
    """Insert or replace (case_id, object_id, part, format, body) rows; caller holds the transaction.

    A body is a JSON object, or its JSON text as received (stored as it is: encoding tens of
    thousands of objects again was a tenth of a bulk import)."""
    store.db.conn.executemany(
        "INSERT OR REPLACE INTO interop_kept (case_id, object_id, part, format, body) VALUES (?, ?, ?, ?, ?)",
        [(c, o, p, f, b if isinstance(b, str) else _dumps(b)) for c, o, p, f, b in rows],
    )


def kept_objects(store: Store, case_id: str, fmt: str = "stix") -> Iterator[dict[str, Any]]:
    with db_errors():
        cursor = store.db.conn.execute(
            "SELECT body FROM interop_kept WHERE case_id = ? AND part = ? AND format = ? ORDER BY object_id",
            (case_id, OBJECT, fmt),
        )
        for (body,) in cursor:
            yield json.loads(body)


def kept_properties(store: Store, case_id: str) -> dict[str, dict[str, list[Any]]]:
    with db_errors():
        rows = store.db.conn.execute(
            "SELECT object_id, body FROM interop_kept WHERE case_id = ? AND part = ?", (case_id, PROPERTIES)
        ).fetchall()
    return {object_id: json.loads(body) for object_id, body in rows}


def record_provenance(store: Store, rows: Iterable[tuple[str, str, str, str, str, str, str | None, str]]) -> None:
    """(object_id, case_id, sender, bundle_id, signer, received_at, source_modified, local_modified)."""
    store.db.conn.executemany(
        "INSERT INTO interop_provenance (object_id, case_id, sender, bundle_id, signer, received_at,"
        " source_modified, local_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        list(rows),
    )


def last_import(store: Store, object_id: str) -> tuple[str | None, str] | None:
    """(source_modified, local_modified) of the latest import of an object, or None."""
    row = store.db.conn.execute(
        "SELECT source_modified, local_modified FROM interop_provenance WHERE object_id = ? ORDER BY seq DESC LIMIT 1",
        (object_id,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def provenance_of(store: Store, object_id: str) -> list[dict[str, Any]]:
    """Every import that brought ``object_id``, oldest first: sender, bundle, signer, time."""
    with db_errors():
        cursor = store.db.conn.execute(
            "SELECT object_id, case_id, sender, bundle_id, signer, received_at, source_modified, local_modified"
            " FROM interop_provenance WHERE object_id = ? ORDER BY seq",
            (object_id,),
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]


def save_conflict(store: Store, object_id: str, case_id: str, received_at: str, bundle_id: str, incoming: Any) -> None:
    store.db.conn.execute(
        "INSERT INTO interop_conflicts (object_id, case_id, received_at, bundle_id, incoming) VALUES (?, ?, ?, ?, ?)",
        (object_id, case_id, received_at, bundle_id, _dumps(incoming)),
    )


def conflicts_of(store: Store, case_id: str) -> list[dict[str, Any]]:
    """Incoming versions not applied because the local object had changed, oldest first."""
    with db_errors():
        rows = store.db.conn.execute(
            "SELECT object_id, received_at, bundle_id, incoming FROM interop_conflicts WHERE case_id = ? ORDER BY seq",
            (case_id,),
        ).fetchall()
    return [{"object_id": o, "received_at": r, "bundle_id": b, "incoming": json.loads(i)} for o, r, b, i in rows]
