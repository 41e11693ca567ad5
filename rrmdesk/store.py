"""The unlocked workspace database: every read and change of case data goes through ``Store``.

Each public method that changes data is one transaction (all or nothing) that also appends its
audit entries and keeps the full-text index in step. Writers take the write lock up front
(``BEGIN IMMEDIATE``) so two processes queue instead of failing half-way.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

import sqlite_utils

from . import audit, evidence as blobs
from .checkpoint import DEFAULT_AUTOCHECKPOINT_PAGES, SAFETY_LIMIT_PAGES, Checkpointer
from .clock import id_kind, is_id, utc_now
from .database import db_errors, open_encrypted, page_cache, rekey
from .errors import EvidenceError, NotFoundError, UsageError
from .fulltext import fts_query, snippet
from .migrations import migrate
from .model import CASE_PARTS, RECORD_TYPES, Case, CaseRecord, Evidence, Record
from .progress import Progress

R = TypeVar("R", bound=Record)

_REF_FIELDS = ("actor_ids", "narrative_ids", "evidence_ids", "source_id", "target_id", "attributed_to")
_BATCH = 5_000


@dataclass(frozen=True, slots=True)
class SearchHit:
    object_id: str
    kind: str
    case_id: str
    case_title: str
    tlp: str
    title: str
    snippet: str
    rank: float


class CaseSummary(NamedTuple):
    """One line of a long case list, read without building whole ``Case`` records.

    ``key`` is where the next page starts (see ``Store.case_page``). A named tuple rather than a
    frozen dataclass: 100,000 of them are built in under half the time.
    """

    id: str
    title: str
    status: str
    severity: str
    tlp: str
    modified: str
    sort_value: Any
    rowid: int

    @property
    def key(self) -> tuple[Any, int]:
        return self.sort_value, self.rowid


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """What the navigator and ``case list`` can narrow by; None means any."""

    status: str | None = None
    tlp: str | None = None
    severity: str | None = None
    country: str | None = None
    technique: str | None = None
    text: str | None = None


@functools.cache
def _ref_fields(cls: type[Record]) -> tuple[str, ...]:
    """The reference fields (``_REF_FIELDS``) a record class has, looked up once per class."""
    names = set(cls.field_names())
    return tuple(name for name in _REF_FIELDS if name in names)


def _quote(name: str) -> str:
    return f'"{name}"'


def _case_of(record: Record) -> str:
    return record.id if isinstance(record, Case) else record.case_id  # type: ignore[attr-defined]


class Store:
    def __init__(self, db: sqlite_utils.Database, analyst: str, path: Path, key: bytes) -> None:
        self.db = db
        self.analyst = analyst
        self.path = path
        self._key = key
        self._checkpointer: Checkpointer | None = None

    @classmethod
    def open(cls, path: Path, key: bytes, analyst: str) -> "Store":
        """The workspace's main connection: it migrates, and checkpoints on a thread of its own."""
        db = open_encrypted(path, key)
        try:
            with db_errors():
                migrate(db)
        except BaseException:
            db.close()
            raise
        store = cls(db, analyst, path, key)
        store._start_checkpoints()
        return store

    def _start_checkpoints(self) -> None:
        with db_errors():
            self.db.conn.execute(f"PRAGMA wal_autocheckpoint = {SAFETY_LIMIT_PAGES}")
        key = self._key
        self._checkpointer = Checkpointer(lambda: open_encrypted(self.path, key).conn)

    def _stop_checkpoints(self) -> None:
        """Back to SQLite's own checkpoints in ``COMMIT`` (closing, rekeying, or the thread failed)."""
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
            with db_errors():
                self.db.conn.execute(f"PRAGMA wal_autocheckpoint = {DEFAULT_AUTOCHECKPOINT_PAGES}")

    def _committed(self) -> None:
        checkpointer = self._checkpointer
        if checkpointer is None:
            return
        if checkpointer.alive:
            checkpointer.nudge()
        else:
            self._stop_checkpoints()

    def open_another(self) -> "Store":
        """A second connection to the same database, for a worker thread (one per thread)."""
        return Store(open_encrypted(self.path, self._key), self.analyst, self.path, self._key)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stop_checkpoints()
        with contextlib.suppress(Exception):
            self.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions -------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One unit of work; nested use becomes a savepoint of the outer transaction."""
        conn = self.db.conn
        with db_errors():
            if conn.in_transaction:
                with self.db.atomic():
                    yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        self._committed()

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt under ``new_key``; the checkpoint thread's connection is keyed anew too."""
        checkpoints = self._checkpointer is not None
        self._stop_checkpoints()
        rekey(self.db, new_key)
        self._key = new_key
        if checkpoints:
            self._start_checkpoints()

    # -- generic records ----------------------------------------------------------------

    def add(self, record: R) -> R:
        self.add_many([record])
        return record

    def add_many(self, records: Sequence[Record], progress: Progress | None = None) -> int:
        """Insert records of any kinds in one transaction, with their audit and index entries."""
        if not records:
            return 0
        # Cases first (stable otherwise): their parts refer to them by foreign key, whatever
        # order the caller gathered them in.
        records = sorted(records, key=lambda record: not isinstance(record, Case))
        now = utc_now()
        with page_cache(self.db, len(records)), self.transaction():
            self._check_refs(records)
            next_rowid = self.db.conn.execute("SELECT coalesce(max(rowid), 0) FROM objects").fetchone()[0] + 1
            for start in range(0, len(records), _BATCH):
                batch = records[start : start + _BATCH]
                for record in batch:
                    record.created = record.created or now
                    record.modified = record.modified or now
                self._insert_batch(batch, next_rowid)
                next_rowid += len(batch)
                if progress:
                    progress.update(start + len(batch), len(records), "saving")
        return len(records)

    def _insert_batch(self, batch: Sequence[Record], first_rowid: int) -> None:
        conn = self.db.conn
        by_type: dict[type[Record], list[list[Any]]] = {}
        objects, index, changes = [], [], []
        for offset, record in enumerate(batch):
            cls = type(record)
            values = record.row_values()
            by_type.setdefault(cls, []).append(values)
            case_id = _case_of(record)
            rowid = first_rowid + offset
            objects.append((rowid, record.id, case_id, record.KIND))
            label = record.label
            index.append((rowid, label, record.search_body()))
            changes.append(("add", record.id, audit.addition(cls.field_names(), values, label), case_id))
        with db_errors():
            try:
                conn.executemany("INSERT INTO objects (rowid, id, case_id, kind) VALUES (?, ?, ?, ?)", objects)
            except self._integrity_error() as exc:
                raise UsageError("an object with that id already exists", "each id can be added once") from exc
            for cls, rows in by_type.items():
                names = cls.field_names()
                sql = f"INSERT INTO {cls.TABLE} ({', '.join(map(_quote, names))}) VALUES ({', '.join('?' * len(names))})"
                conn.executemany(sql, rows)
            conn.executemany("INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)", index)
            audit.append(self.db, self.analyst, changes)

    @staticmethod
    def _integrity_error() -> type[Exception]:
        from .database import dbapi2

        return dbapi2.IntegrityError

    def _check_refs(self, records: Sequence[Record]) -> None:
        """Every id a record points at must exist in the same case (or be added alongside it)."""
        wanted: dict[str, str] = {}
        case_ids: set[str] = set()  # checked once each, not once per record
        for record in records:
            if not isinstance(record, CaseRecord):
                continue
            case_id = record.case_id
            if case_id not in case_ids:
                if not is_id(case_id) or id_kind(case_id) != "case":
                    raise UsageError(f"{case_id!r} is not a case id", "case ids look like case--<uuid>")
                case_ids.add(case_id)
                wanted.setdefault(case_id, case_id)
            for name in _ref_fields(type(record)):
                value = getattr(record, name)
                if isinstance(value, list):
                    for ref in value:
                        wanted.setdefault(ref, case_id)
                elif value:
                    wanted.setdefault(value, case_id)
        if not wanted:
            return
        known: dict[str, str | None] = {
            r.id: (r.id if isinstance(r, Case) else getattr(r, "case_id", None)) for r in records
        }
        missing = [i for i in wanted if i not in known]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for object_id, case_id in self.db.conn.execute(
                f"SELECT id, case_id FROM objects WHERE id IN ({marks})", chunk
            ):
                known[object_id] = case_id
        for ref, case_id in wanted.items():
            if ref not in known:
                raise NotFoundError(f"no {id_kind(ref)} with id {ref} in this workspace")
            if ref != case_id and known[ref] != case_id:
                raise UsageError(f"{ref} belongs to another case", "link objects within one case")

    def get(self, object_id: str) -> Record:
        with db_errors():
            found = self._records_by_id([object_id])
        if object_id not in found:
            raise NotFoundError(f"no {self._type_of(object_id).KIND} with id {object_id}")
        return found[object_id]

    def get_case(self, case_id: str) -> Case:
        if not case_id.startswith("case--"):
            raise UsageError(f"{case_id!r} is not a case id", "case ids look like case--<uuid>; see 'rrmdesk case list'")
        return self.get(case_id)  # type: ignore[return-value]

    @staticmethod
    def _type_of(object_id: str) -> type[Record]:
        if not is_id(object_id):
            raise UsageError(f"{object_id!r} is not an RRM Desk id", "ids look like case--<uuid>; copy one from a list command")
        cls = RECORD_TYPES.get(id_kind(object_id))
        if cls is None:
            raise UsageError(f"RRM Desk has no objects of kind {id_kind(object_id)!r}")
        return cls

    def edit(self, object_id: str, **changes: Any) -> Record:
        """Change fields of any object; the audit entry records old and new values."""
        with self.transaction():
            old = self.get(object_id)
            new = old.with_changes(**changes)
            self._check_refs([new])
            # Every field that changed, the derived ones too (an observable's kind and normalised
            # value follow its value): with the record, the edits are its whole history.
            diff = {k: [getattr(old, k), getattr(new, k)] for k in new.field_names()
                    if k != "modified" and getattr(old, k) != getattr(new, k)}
            if not diff:
                return old
            new.modified = utc_now()
            row = new.to_row()
            assignments = ", ".join(f"{_quote(k)} = ?" for k in row if k != "id")
            conn = self.db.conn
            conn.execute(f"UPDATE {new.TABLE} SET {assignments} WHERE id = ?", [*(v for k, v in row.items() if k != "id"), object_id])
            rowid = conn.execute("SELECT rowid FROM objects WHERE id = ?", (object_id,)).fetchone()[0]
            conn.execute("DELETE FROM search_index WHERE rowid = ?", (rowid,))
            conn.execute("INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)", (rowid, new.label, new.search_body()))
            audit.append(self.db, self.analyst, [("edit", object_id, diff, _case_of(new))])
        return new

    def remove(self, object_id: str) -> None:
        """Delete an object that belongs to a case; cases themselves are closed or archived."""
        cls = self._type_of(object_id)
        if cls is Case:
            raise UsageError("cases are not deleted", "close or archive the case with 'rrmdesk case close'")
        with self.transaction():
            old = self.get(object_id)
            conn = self.db.conn
            if conn.execute(
                "SELECT 1 FROM relationships WHERE source_id = ? OR target_id = ? LIMIT 1", (object_id, object_id)
            ).fetchone():
                raise UsageError("other objects are linked to this one", "remove its relationships first")
            rowid = conn.execute("SELECT rowid FROM objects WHERE id = ?", (object_id,)).fetchone()[0]
            conn.execute(f"DELETE FROM {cls.TABLE} WHERE id = ?", (object_id,))
            conn.execute("DELETE FROM objects WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM search_index WHERE rowid = ?", (rowid,))
            if isinstance(old, Evidence) and old.sha256:
                blobs.release(self.db, old.sha256)
            audit.append(self.db, self.analyst, [("remove", object_id, old.to_row(), _case_of(old))])

    def parts(self, case_id: str, cls: type[R], order: str | None = None) -> list[R]:
        """All objects of one kind in a case, oldest first unless ``order`` says otherwise."""
        self.get_case(case_id)
        order_by = order or ("start" if cls.TABLE == "events" else "created")
        with db_errors():
            cursor = self.db.conn.execute(
                f"SELECT * FROM {cls.TABLE} WHERE case_id = ? ORDER BY {_quote(order_by)}, id", (case_id,)
            )
            names = [d[0] for d in cursor.description]
            return [cls.from_row(dict(zip(names, row))) for row in cursor]  # type: ignore[misc]

    def counts(self, case_id: str) -> dict[str, int]:
        """How many of each kind of object the case holds, for overviews and lists."""
        with db_errors():
            rows = self.db.conn.execute(
                "SELECT kind, count(*) FROM objects WHERE case_id = ? AND kind != 'case' GROUP BY kind", (case_id,)
            ).fetchall()
        found = dict(rows)
        return {cls.KIND: found.get(cls.KIND, 0) for cls in CASE_PARTS}

    # -- cases --------------------------------------------------------------------------

    def create_case(self, title: str, **fields: Any) -> Case:
        case = Case(title=title, created_by=fields.pop("created_by", self.analyst), **fields)
        return self.add(case)

    def close_case(self, case_id: str) -> Case:
        self.get_case(case_id)
        return self.edit(case_id, status="closed")  # type: ignore[return-value]

    def _case_where(self, where: CaseFilter) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for column in ("status", "tlp", "severity"):
            value = getattr(where, column)
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if where.country:
            clauses.append("EXISTS (SELECT 1 FROM json_each(cases.target_countries) WHERE value = ?)")
            params.append(where.country.upper())
        if where.technique:
            code = where.technique
            clauses.append(
                "id IN (SELECT case_id FROM techniques WHERE code = ? OR code LIKE ?"
                " UNION SELECT e.case_id FROM events e, json_each(e.techniques) j WHERE j.value = ? OR j.value LIKE ?)"
            )
            params.extend([code, f"{code}.%", code, f"{code}.%"])
        if where.text:
            clauses.append(
                "id IN (SELECT o.case_id FROM search_index s JOIN objects o ON o.rowid = s.rowid WHERE search_index MATCH ?)"
            )
            params.append(fts_query(where.text))
        sql = " AND ".join(clauses) or "1"
        return sql, params

    def list_cases(self, where: CaseFilter = CaseFilter(), limit: int | None = None, offset: int = 0,
                   order: str = "modified DESC") -> list[Case]:
        allowed = {"modified DESC", "modified", "created", "created DESC", "title", "title DESC", "severity", "tlp", "status"}
        if order not in allowed:
            raise UsageError(f"cannot sort cases by {order!r}", f"use one of: {', '.join(sorted(allowed))}")
        sql, params = self._case_where(where)
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        with db_errors():
            cursor = self.db.conn.execute(f"SELECT * FROM cases WHERE {sql} ORDER BY {order}, id{page}", params)
            names = [d[0] for d in cursor.description]
            return [Case.from_row(dict(zip(names, row))) for row in cursor]  # type: ignore[misc]

    def case_page(self, where: CaseFilter = CaseFilter(), after: tuple[Any, int] | None = None, limit: int = 500,
                  order: str = "modified DESC") -> list[CaseSummary]:
        """The next ``limit`` case summaries after ``after`` (the previous page's last ``key``).

        Keyset paging rather than OFFSET: the last page of 100,000 cases costs what the first
        does, which is what lets the desktop navigator scroll to the end without stalling.
        """
        column, _, direction = order.partition(" ")
        if column not in ("modified", "created", "title", "severity", "tlp", "status") or direction not in ("", "DESC"):
            raise UsageError(f"cannot sort cases by {order!r}", "sort by modified, created, title, severity, tlp or status")
        sql, params = self._case_where(where)
        direction = direction or "ASC"
        if after is not None:
            sql += f" AND ({column}, rowid) {'<' if direction == 'DESC' else '>'} (?, ?)"
            params = [*params, *after]
        query = (
            f"SELECT id, title, status, severity, tlp, modified, {column}, rowid FROM cases"
            f" WHERE {sql} ORDER BY {column} {direction}, rowid {direction} LIMIT ?"
        )
        with db_errors():
            rows = self.db.conn.execute(query, [*params, int(limit)]).fetchall()
        return list(map(CaseSummary._make, rows))

    def count_cases(self, where: CaseFilter = CaseFilter()) -> int:
        sql, params = self._case_where(where)
        with db_errors():
            return int(self.db.conn.execute(f"SELECT count(*) FROM cases WHERE {sql}", params).fetchone()[0])

    # -- evidence -----------------------------------------------------------------------

    def add_evidence_file(self, case_id: str, path: Path, progress: Progress | None = None, **fields: Any) -> Evidence:
        """Stream a file into the encrypted store and record it as evidence, in one transaction."""
        path = Path(path)
        progress = progress or Progress()
        self.get_case(case_id)
        with self.transaction():
            sha256, size = blobs.ingest_file(self.db, path, progress)
            custody = [{"at": utc_now(), "by": self.analyst, "action": f"added from {path.name}"}]
            record = Evidence(
                case_id=case_id,
                title=fields.pop("title", None) or path.name,
                kind="file",
                filename=path.name,
                media_type=fields.pop("media_type", None) or blobs.guess_media_type(path.name),
                size=size,
                sha256=sha256,
                captured_by=fields.pop("captured_by", None) or self.analyst,
                custody=custody,
                **fields,
            )
            self.add(record)
        return record

    def add_evidence_stream(self, record: Evidence, source: BinaryIO, size: int, progress: Progress | None = None) -> Evidence:
        """Store bytes that arrive as a stream (an import, a bundle) and then their record."""
        with self.transaction():
            sha256, stored = blobs.ingest(self.db, source, size, progress or Progress())
            if record.sha256 and record.sha256 != sha256:
                from .errors import IntegrityError

                raise IntegrityError(f"evidence {record.id} does not match its SHA-256")
            record.sha256, record.size = sha256, stored
            self.add(record)
        return record

    def evidence_chunks(self, evidence_id: str) -> Iterator[bytes]:
        record = self.get(evidence_id)
        if not isinstance(record, Evidence):
            raise UsageError(f"{evidence_id} is not evidence")
        if record.kind != "file":
            raise EvidenceError(f"evidence {evidence_id} is a {record.kind}, not a file", "see it with 'rrmdesk evidence show'")
        with db_errors():
            yield from blobs.iter_chunks(self.db, record.sha256)

    def save_evidence(self, evidence_id: str, destination: Path, progress: Progress | None = None) -> int:
        """Write evidence bytes where the analyst chose; a partial file is removed on failure."""
        progress = progress or Progress()
        record = self.get(evidence_id)
        destination = Path(destination)
        if destination.exists() and destination.is_dir():
            raise EvidenceError(f"{destination} is a folder", "give a file name to write to")
        written = 0
        try:
            with destination.open("xb") as out:
                for chunk in self.evidence_chunks(evidence_id):
                    out.write(chunk)
                    written += len(chunk)
                    progress.update(written, record.size, "writing evidence")  # type: ignore[attr-defined]
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            raise EvidenceError(f"{destination} already exists", "choose another name; nothing was overwritten") from None
        except BaseException as exc:
            destination.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise EvidenceError(f"cannot write {destination}: {exc.strerror or exc}", "check the disk and the folder") from exc
            raise
        return written

    # -- search and audit ---------------------------------------------------------------

    def search(self, text: str, limit: int = 20, case_id: str | None = None) -> list[SearchHit]:
        """Ranked hits across every case (or one), best first, with a highlighted snippet."""
        query = fts_query(text)
        where = "search_index MATCH ?"
        params: list[Any] = [query]
        if case_id:
            where += " AND o.case_id = ?"
            params.append(case_id)
        sql = f"""
            SELECT o.id, o.kind, o.case_id, c.title, c.tlp, bm25(search_index, 4.0, 1.0) AS rank
            FROM search_index JOIN objects o ON o.rowid = search_index.rowid
            LEFT JOIN cases c ON c.id = o.case_id
            WHERE {where} ORDER BY rank LIMIT ?"""
        params.append(int(limit))
        with db_errors():
            rows = self.db.conn.execute(sql, params).fetchall()
            records = self._records_by_id([row[0] for row in rows])
        hits = []
        for object_id, kind, hit_case, case_title, tlp, rank in rows:
            record = records[object_id]
            hits.append(SearchHit(object_id, kind, hit_case, case_title, tlp, record.label,
                                  snippet([record.label, record.search_body()], text), rank))
        return hits

    def _records_by_id(self, object_ids: Sequence[str]) -> dict[str, Record]:
        """Records of any kinds by id, one query per kind (a page of search hits, say)."""
        by_type: dict[type[Record], list[str]] = {}
        for object_id in object_ids:
            by_type.setdefault(self._type_of(object_id), []).append(object_id)
        found: dict[str, Record] = {}
        for cls, ids in by_type.items():
            cursor = self.db.conn.execute(f"SELECT * FROM {cls.TABLE} WHERE id IN ({','.join('?' * len(ids))})", ids)
            names = [d[0] for d in cursor.description]
            found.update((record.id, record) for record in (cls.from_row(dict(zip(names, row))) for row in cursor))
        return found

    def verify_audit(self) -> audit.ChainReport:
        with db_errors():
            return audit.verify(self.db)

    def audit_entries(self, case_id: str | None = None) -> list[audit.AuditEntry]:
        with db_errors():
            return list(audit.entries(self.db, case_id))

    def record_event(self, action: str, object_id: str, change: dict[str, Any]) -> None:
        """Audit something that is not a record change (an export, a rekey) in its own transaction.

        An event about a case (``object_id`` is a case id) is listed with that case's history.
        """
        case_id = object_id if is_id(object_id) and id_kind(object_id) == "case" else None
        with self.transaction():
            audit.append(self.db, self.analyst, [(action, object_id, change, case_id)])


def iter_records(store: Store, case_id: str) -> Iterable[Record]:
    """The case and everything in it, in dependency order (safe to re-add elsewhere)."""
    yield store.get_case(case_id)
    for cls in CASE_PARTS:
        yield from store.parts(case_id, cls)
