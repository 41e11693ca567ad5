"""Schema for correlation, applied as migration 5 (see ``rrmdesk.migrations``).

- ``observables_key``: (kind, normalized, case_id), covering: "which cases hold this value" is
  read from the index alone; it replaces migration 1's (kind, normalized) index.
- ``observables_host``: the host of a URL, domain or e-mail (``OBSERVABLE_HOST_SQL``, the same
  rule as ``rrmdesk.observables.host_of``) with the case, so a domain in one case meets a URL on
  that domain in another.
- ``observables_case``, ``techniques_case``: a case's own values without a table scan.
- ``correlation_exclusions``: the analyst's changes to the noise list (``excluded`` 0 takes a
  default entry off).
- ``correlation_decisions``: confirmed or dismissed case pairs, ``case_a < case_b``.
- Observables already stored are normalised again with the rules this version brings.
"""

from __future__ import annotations

import sqlite_utils

_REST = "substr(normalized, instr(normalized, '://') + 3)"
_HOST_PORT = f"substr({_REST}, 1, instr({_REST} || '/', '/') - 1)"
#: the host an observable lives on; NULL for handles, phones and hashes
OBSERVABLE_HOST_SQL = (
    "CASE kind WHEN 'domain' THEN normalized"
    " WHEN 'email' THEN substr(normalized, instr(normalized, '@') + 1)"
    f" WHEN 'url' THEN substr({_HOST_PORT}, 1, instr({_HOST_PORT} || ':', ':') - 1) END"
)

_V5 = f"""
DROP INDEX IF EXISTS observables_normalized;
CREATE INDEX observables_key ON observables(kind, normalized, case_id);
CREATE INDEX observables_host ON observables(({OBSERVABLE_HOST_SQL}), case_id);
CREATE INDEX observables_case ON observables(case_id);
CREATE INDEX techniques_case ON techniques(case_id, code);
CREATE TABLE correlation_exclusions (
    value TEXT PRIMARY KEY,
    excluded INTEGER NOT NULL,
    note TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE TABLE correlation_decisions (
    case_a TEXT NOT NULL REFERENCES cases(id),
    case_b TEXT NOT NULL REFERENCES cases(id),
    decision TEXT NOT NULL,
    note TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (case_a, case_b),
    CHECK (case_a < case_b)
)
"""


def migrate_v5(db: sqlite_utils.Database) -> None:
    from ..observables import normalise  # the rules current when the workspace is upgraded

    for statement in _V5.split(";"):
        if statement.strip():
            db.execute(statement)
    rows = db.execute("SELECT id, kind, value, normalized FROM observables").fetchall()
    changed = [(new, i) for i, kind, value, old in rows if (new := normalise(kind, value)) != old]
    db.conn.executemany("UPDATE observables SET normalized = ? WHERE id = ?", changed)
