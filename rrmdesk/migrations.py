"""Numbered schema migrations, run in one transaction when a workspace is opened.

``PRAGMA user_version`` holds the number of the last migration applied. A database newer than
this code is refused untouched: an older RRM Desk must not half-understand a newer workspace.
Migrations are frozen once released; change the schema by appending a new one.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from .errors import StoreError

_COMMON = """
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    tlp TEXT,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
"""

_V1 = f"""
CREATE TABLE objects (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    case_id TEXT,
    kind TEXT NOT NULL
);
CREATE INDEX objects_case ON objects(case_id, kind);
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    tlp TEXT NOT NULL,
    target_countries TEXT NOT NULL,
    targets TEXT NOT NULL,
    lessons TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created TEXT NOT NULL,
    modified TEXT NOT NULL
);
CREATE INDEX cases_modified ON cases(modified);
CREATE TABLE actors ({_COMMON},
    name TEXT NOT NULL, kind TEXT NOT NULL, aliases TEXT NOT NULL, country TEXT NOT NULL,
    platform TEXT NOT NULL, handle TEXT NOT NULL, attributed_to TEXT NOT NULL,
    attribution_confidence TEXT, description TEXT NOT NULL);
CREATE TABLE events ({_COMMON},
    title TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT, description TEXT NOT NULL,
    category TEXT NOT NULL, location TEXT NOT NULL, platform TEXT NOT NULL,
    actor_ids TEXT NOT NULL, narrative_ids TEXT NOT NULL, evidence_ids TEXT NOT NULL,
    techniques TEXT NOT NULL, reliability TEXT, credibility TEXT, "key" INTEGER NOT NULL);
CREATE TABLE narratives ({_COMMON},
    title TEXT NOT NULL, description TEXT NOT NULL, language TEXT NOT NULL, first_seen TEXT);
CREATE TABLE evidence ({_COMMON},
    title TEXT NOT NULL, kind TEXT NOT NULL, filename TEXT NOT NULL, media_type TEXT NOT NULL,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, url TEXT NOT NULL, text TEXT NOT NULL,
    description TEXT NOT NULL, source TEXT NOT NULL, captured_at TEXT, captured_by TEXT NOT NULL,
    reliability TEXT, credibility TEXT, custody TEXT NOT NULL);
CREATE INDEX evidence_sha256 ON evidence(sha256);
CREATE TABLE relationships ({_COMMON},
    source_id TEXT NOT NULL, type TEXT NOT NULL, target_id TEXT NOT NULL, confidence TEXT,
    first_seen TEXT, last_seen TEXT, evidence_ids TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE observables ({_COMMON},
    value TEXT NOT NULL, kind TEXT NOT NULL, normalized TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX observables_normalized ON observables(kind, normalized);
CREATE TABLE techniques ({_COMMON}, code TEXT NOT NULL, note TEXT NOT NULL);
CREATE INDEX techniques_code ON techniques(code);
CREATE TABLE judgments ({_COMMON},
    statement TEXT NOT NULL, likelihood TEXT NOT NULL, confidence TEXT NOT NULL, basis TEXT NOT NULL);
CREATE TABLE responses ({_COMMON},
    action TEXT NOT NULL, countermeasure TEXT NOT NULL, party TEXT NOT NULL, status TEXT NOT NULL,
    date TEXT);
CREATE TABLE blobs (
    rowid INTEGER PRIMARY KEY,
    sha256 TEXT UNIQUE,
    size INTEGER NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE blob_chunks (
    blob INTEGER NOT NULL REFERENCES blobs(rowid) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (blob, seq)
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    analyst TEXT NOT NULL,
    action TEXT NOT NULL,
    object_id TEXT NOT NULL,
    change TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_object ON audit(object_id);
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def _run(db: sqlite_utils.Database, script: str) -> None:
    """Run a migration's statements (``;``-separated; none of ours holds a ``;`` in a literal)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: sqlite_utils.Database) -> None:
    _run(db, _V1)


# Interop (rrmdesk.interop): what imports keep so nothing is dropped and no edit is lost.
#  interop_kept        STIX objects (part 'object') and properties of modelled objects (part
#                      'properties') we do not model, per case, exported again unchanged
#  interop_provenance  who sent each imported object, in which bundle, signed by whom, and the
#                      object's modified time then: a later local edit is detected as a conflict
#  interop_conflicts   incoming versions not applied because the object was edited locally
#  csv_mappings        column mappings saved per CSV source name
_V2 = """
CREATE TABLE interop_kept (
    case_id TEXT NOT NULL REFERENCES cases(id),
    object_id TEXT NOT NULL,
    part TEXT NOT NULL,
    format TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (case_id, object_id, part)
);
CREATE TABLE interop_provenance (
    seq INTEGER PRIMARY KEY,
    object_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    signer TEXT NOT NULL,
    received_at TEXT NOT NULL,
    source_modified TEXT,
    local_modified TEXT NOT NULL
);
CREATE INDEX interop_provenance_object ON interop_provenance(object_id);
CREATE TABLE interop_conflicts (
    seq INTEGER PRIMARY KEY,
    object_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    incoming TEXT NOT NULL
);
CREATE INDEX interop_conflicts_object ON interop_conflicts(object_id);
CREATE TABLE csv_mappings (
    name TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    modified TEXT NOT NULL
)
"""


def _v2(db: sqlite_utils.Database) -> None:
    _run(db, _V2)


# Bundles (rrmdesk.bundles): partner ministries we trust and replay protection.
#  bundle_partners   trust store: principal, Ed25519 signing key, age recipient, validity window,
#                    who confirmed the fingerprint and when; revoked rows are kept
#  bundle_sequences  the last sequence number we sent to each recipient
#  bundle_senders    the last sequence number we accepted from each sender
#  bundles_seen      every bundle id we imported (a replay is refused by id)
_V3 = """
CREATE TABLE bundle_partners (
    seq INTEGER PRIMARY KEY,
    principal TEXT NOT NULL,
    signing_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    age_recipient TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX bundle_partners_principal ON bundle_partners(principal);
CREATE UNIQUE INDEX bundle_partners_key ON bundle_partners(fingerprint);
CREATE TABLE bundle_sequences (recipient TEXT PRIMARY KEY, last_sent INTEGER NOT NULL);
CREATE TABLE bundle_senders (sender TEXT PRIMARY KEY, last_seen INTEGER NOT NULL);
CREATE TABLE bundles_seen (
    bundle_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    signer_fingerprint TEXT NOT NULL,
    imported_at TEXT NOT NULL
)
"""


def _v3(db: sqlite_utils.Database) -> None:
    _run(db, _V3)


# Views (rrmdesk.charts.pins): where the analyst pinned nodes of a case's actor-link graph, in
# layout coordinates. A pin whose node was removed from the case is ignored by the layout.
_V4 = """
CREATE TABLE graph_pins (
    case_id TEXT NOT NULL REFERENCES cases(id),
    node_id TEXT NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    PRIMARY KEY (case_id, node_id)
)
"""


def _v4(db: sqlite_utils.Database) -> None:
    db.execute(_V4)


# Correlation (rrmdesk.correlation): which cases share a value, host or verdict.
#  observables_key        (kind, normalized, case_id), covering: the cases holding a value are
#                         read from the index alone; it replaces migration 1's (kind, normalized)
#  observables_host       the host of a URL, domain or e-mail (OBSERVABLE_HOST_SQL, the rule of
#                         rrmdesk.observables.host_of) with the case: a domain in one case meets
#                         a URL on that domain in another
#  observables_case, techniques_case   a case's own values without a table scan
#  correlation_exclusions the analyst's changes to the noise list (excluded 0 takes a built-in
#                         entry off)
#  correlation_decisions  confirmed or dismissed case pairs, case_a < case_b
# Observables already stored are normalised again with the rules this version brings
# (platform aliases, case rules, http/https), so old and new values meet.
_HOST_REST = "substr(normalized, instr(normalized, '://') + 3)"
_HOST_PORT = f"substr({_HOST_REST}, 1, instr({_HOST_REST} || '/', '/') - 1)"
#: the host an observable lives on; NULL for handles, phones and hashes. Queries must use this
#: exact expression for SQLite to use the observables_host index.
OBSERVABLE_HOST_SQL = (
    "CASE kind WHEN 'domain' THEN normalized"
    " WHEN 'email' THEN substr(normalized, instr(normalized, '@') + 1)"
    f" WHEN 'url' THEN substr({_HOST_PORT}, 1, instr({_HOST_PORT} || ':', ':') - 1) END"
)
_V5 = f"""
DROP INDEX observables_normalized;
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


def _v5(db: sqlite_utils.Database) -> None:
    from .observables import normalise

    _run(db, _V5)
    rows = db.execute("SELECT id, kind, value, normalized FROM observables").fetchall()
    changed = [(new, object_id) for object_id, kind, value, old in rows if (new := normalise(kind, value)) != old]
    db.conn.executemany("UPDATE observables SET normalized = ? WHERE id = ?", changed)


# Store size (rrmdesk.store): the full-text index stops keeping its own copy of every text. The
# records hold the text already; snippets are cut from them (rrmdesk.fulltext). The index
# gathers 32 MiB of terms in memory before writing a segment, so a bulk import merges segments
# a few times instead of dozens (half its indexing time, measured by bench/store.py).
_V6 = """
CREATE VIRTUAL TABLE search_words USING fts5(
    title, body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_words (rowid, title, body) SELECT rowid, title, body FROM search_index;
DROP TABLE search_index;
ALTER TABLE search_words RENAME TO search_index;
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 33554432)
"""


def _v6(db: sqlite_utils.Database) -> None:
    _run(db, _V6)


# Audit by case (rrmdesk.audit): which case each entry belongs to, filed beside the chain. It
# replaces the index on audit.object_id, whose random keys cost a page written per entry: an
# add of 100 observables wrote a fifth fewer pages without it.
_V7 = """
CREATE TABLE audit_case (
    case_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;
INSERT INTO audit_case (case_id, seq)
    SELECT o.case_id, a.seq FROM audit a JOIN objects o ON o.id = a.object_id WHERE o.case_id IS NOT NULL;
INSERT OR IGNORE INTO audit_case (case_id, seq)
    SELECT json_extract(removed.change, '$.case_id'), a.seq
    FROM audit removed JOIN audit a ON a.object_id = removed.object_id
    WHERE removed.action = 'remove' AND json_extract(removed.change, '$.case_id') IS NOT NULL;
DROP INDEX audit_object
"""


def _v7(db: sqlite_utils.Database) -> None:
    _run(db, _V7)


#: number -> migration. Numbers are handed out in order and never reused.
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _v6, 7: _v7}
SCHEMA_VERSION = max(MIGRATIONS)
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1)), "migration numbers must be contiguous"


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the schema up to date; return how many migrations ran."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"this workspace was written by a newer RRM Desk (schema {current}, this version knows {SCHEMA_VERSION})",
            "install the newer RRM Desk; the workspace was not changed",
        )
    if current == SCHEMA_VERSION:
        return 0
    db.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(db)  # another process may have migrated meanwhile
        for number in range(current + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[number](db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.conn.rollback()
        raise
    return SCHEMA_VERSION - current
