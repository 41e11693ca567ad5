"""Import a STIX 2.1 bundle into one case, in one transaction, keeping what we do not model.

Two streaming passes over the bundle keep memory small whatever its size:

1. *index*: each object's id, type, RRM Desk kind and ``modified``; duplicate ids (the copy
   modified last wins); the ends of relationships; references to ids that are nowhere.
2. *import*: objects become records (``stix_mapping``), in batches of ``Store.add_many``; a
   record that points at one not yet inserted waits until it is. Objects RRM Desk does not
   model, and the properties a record cannot carry, are kept (``kept``) and exported again.

Foreign objects become records where the meaning is clear: threat-actors; identities and DISARM
attack-patterns that take part in a relationship (a DISARM framework bundle or an author's
identity is reference material, not case content); url, domain-name, email-addr, user-account
and hashed files as observables; relationships between two of those. An object that already
exists is updated only if it was not edited here since it was last imported; otherwise the
local version stays, the incoming one is saved as a conflict, and the report says so.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .. import evidence as blobs
from ..clock import is_id, utc_now
from ..database import db_errors
from ..disarm import default_catalog
from ..errors import FormatError, RRMDeskError, UsageError
from ..model import Case, Evidence, Record, Relationship
from ..progress import Progress
from ..store import Store
from . import extension as ext
from .detect import HEAD, detect_bytes, unsupported_stix
from .json_stream import iter_bundle
from .kept import OBJECT, PROPERTIES, last_import, record_provenance, save_conflict, save_kept
from .report import ImportReport
from .stix_mapping import (
    FOREIGN_KINDS,
    KINDS_OF_TYPE,
    TLP_FROM_CASE,
    fields_from_stix,
    record_to_stix,
    stix_id_of,
    stix_properties,
    technique_code,
)
from .stix_markings import TLP1_IDS, strictest, tlp_of_definition, tlp_of_marking

EvidenceSource = Callable[[str], BinaryIO | None]
#: Records per ``Store.add_many`` (and kept/provenance rows per insert): big enough that the
#: per-batch queries do not count, small enough to keep memory flat.
_BATCH = 2_000
#: Bundles up to this size are parsed once and kept in memory for the second pass; bigger ones
#: are read twice so memory stays bounded.
REMEMBER_BYTES = 32 << 20
_CONTAINERS = ("report", "grouping")
#: Received properties never kept: recomputed on export or carried by the record itself.
_NOT_KEPT = frozenset({"type", "id", "spec_version", "object_refs", "created_by_ref"})
_NOT_COMPARED = _NOT_KEPT | {"object_marking_refs", "extensions"}
_REF_LISTS = ("actor_ids", "narrative_ids", "evidence_ids")
_REF_FIELDS = (*_REF_LISTS, "source_id", "target_id", "attributed_to")


@functools.cache
def _ref_fields(cls: type[Record]) -> tuple[str, ...]:
    """The fields of a record class that point at other records."""
    names = set(cls.field_names())
    return tuple(name for name in _REF_FIELDS if name in names)


@dataclass(slots=True)
class _Entry:
    """What pass 1 learns about one object id (kept small: there may be millions)."""

    ordinal: int
    stix_type: str
    kind: str
    modified: str
    declared: bool
    #: an endpoint of a relationship (identities) / the target of a ``uses`` (attack-patterns)
    involved: bool = False
    used: bool = False
    ends: tuple[str, str, str] | None = None


class _Source:
    """Re-readable access to the bundle's objects, whatever the caller handed us."""

    def __init__(self, source: dict | Path | str | BinaryIO) -> None:
        self.name = ""
        self.objects: list[dict[str, Any]] | None = None
        #: the JSON text of each of ``objects`` when they were read from a file
        self.texts: list[str] | None = None
        self.header: dict[str, Any] = {}
        self.size = 0
        self._path: Path | None = None
        self._stream: BinaryIO | None = None
        if isinstance(source, dict):
            self.header = {k: v for k, v in source.items() if k != "objects"}
            objects = source.get("objects")
            if not isinstance(objects, list):
                raise FormatError("the bundle has no list of objects", "check that this is a STIX 2.1 bundle")
            self.objects = objects
            self.size = len(objects)
        elif isinstance(source, (str, Path)):
            self._path = Path(source)
            self.name = self._path.name
            try:
                self.size = self._path.stat().st_size
            except OSError as exc:
                raise FormatError(f"cannot read {self._path}: {exc.strerror or exc}", "check the path") from exc
        else:
            self.name = getattr(source, "name", "") or ""
            if not source.seekable():
                source = io.BytesIO(source.read())
            self._stream = source
            start = source.tell()
            self.size = source.seek(0, io.SEEK_END) - start
            source.seek(start)
            self._start = start

    def check_format(self) -> None:
        """Refuse STIX 1.x, STIX 2.0, MISP or CSV handed to the STIX importer, by content."""
        if self.objects is not None:
            if self.header.get("spec_version") not in (None, "2.1"):
                raise unsupported_stix(str(self.header["spec_version"]))
            return
        if self._path is not None:
            try:
                with self._path.open("rb") as stream:
                    head = stream.read(HEAD)
            except OSError as exc:
                raise FormatError(f"cannot read {self._path}: {exc.strerror or exc}", "check the path") from exc
        else:
            assert self._stream is not None
            head = self._stream.read(HEAD)
            self._stream.seek(self._start)
        found = detect_bytes(head)
        if found != "stix":
            raise FormatError(f"this is {'a MISP event' if found == 'misp' else 'a CSV file'}, not a STIX bundle",
                              "import it with --format " + found)

    def passes(self, progress: Progress, label: str) -> Iterator[tuple[Any, str | None]]:
        """Each object of the bundle with its JSON text (None for a bundle handed over as a
        dict); a file small enough is parsed once and remembered."""
        if self.objects is not None:
            total = len(self.objects)
            texts = self.texts or (None,) * total
            for done, (obj, text) in enumerate(zip(self.objects, texts), 1):
                if done % 1000 == 0 or done == total:
                    progress.update(done, total, label)
                yield obj, text
            return

        def read(done: int) -> None:
            progress.update(min(done, self.size), self.size, label)

        header: dict[str, Any] = {}
        self.header = header  # filled as the top-level keys go by
        remember = self.size <= REMEMBER_BYTES
        objects: list[dict[str, Any]] = []
        texts: list[str] = []
        if self._path is not None:
            try:
                stream: BinaryIO = self._path.open("rb")
            except OSError as exc:
                raise FormatError(f"cannot read {self._path}: {exc.strerror or exc}", "check the file") from exc
        else:
            assert self._stream is not None
            stream = self._stream
            stream.seek(self._start)
        try:
            for obj, text in iter_bundle(stream, header, read):
                if remember:
                    objects.append(obj)
                    texts.append(text)
                yield obj, text
        finally:
            if self._path is not None:
                stream.close()
        if remember:
            self.objects, self.texts = objects, texts


@functools.lru_cache(maxsize=4096)
def _reference_keys(keys: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """(name, is a list) of the ``*_ref``/``*_refs`` properties among ``keys``: the objects of a
    bundle come in a few layouts, so each is worked out once, not once per object."""
    return tuple((key, key.endswith("_refs")) for key in keys if key.endswith(("_ref", "_refs")))


def _references(obj: dict[str, Any]) -> list[str]:
    """Ids a top-level ``*_ref``/``*_refs`` property or a granular marking points at."""
    found: list[str] = []
    for key, many in _reference_keys(tuple(obj)):
        value = obj[key]
        if not many and isinstance(value, str):
            found.append(value)
        elif many and isinstance(value, list):
            found.extend(v for v in value if isinstance(v, str))
    if "granular_markings" not in obj:
        return found
    for marking in obj["granular_markings"] or ():
        if isinstance(marking, dict) and isinstance(marking.get("marking_ref"), str):
            found.append(marking["marking_ref"])
    return found


def _foreign_kind(obj: dict[str, Any], code: str) -> str:
    """The kind a foreign object would be read as, before knowing its relationships (``code``:
    the DISARM code of an attack-pattern)."""
    stix_type = obj.get("type", "")
    kind = FOREIGN_KINDS.get(stix_type, "")
    if stix_type == "identity" and obj.get("identity_class") not in ("individual", "organization"):
        return ""
    if stix_type == "attack-pattern" and not code:
        return ""
    if stix_type == "file" and not obj.get("hashes"):
        return ""
    return kind


class _Ids:
    """STIX id <-> internal id during one import."""

    def __init__(self, store: Store, index: dict[str, _Entry]) -> None:
        self.store = store
        self.index = index
        self.to_stix_map: dict[str, str] = {}
        #: the same pairs the other way: every reference of every record is looked up here
        self.to_internal_map: dict[str, str] = {}
        for stix_id, entry in index.items():
            if entry.kind in _RECORD_KINDS:
                internal = self.internal(entry.kind, stix_id)
                self.to_stix_map[internal] = stix_id
                self.to_internal_map[stix_id] = internal

    @staticmethod
    def internal(kind: str, stix_id: str) -> str:
        return f"{kind}--{stix_id.split('--', 1)[1]}"

    def to_internal(self, stix_id: str) -> str | None:
        found = self.to_internal_map.get(stix_id)
        if found is not None:
            return found
        entry = self.index.get(stix_id)
        if entry is not None:
            return self.internal(entry.kind, stix_id) if entry.kind in _RECORD_KINDS else None
        if "--" not in stix_id:
            return None
        for kind in KINDS_OF_TYPE.get(stix_id.split("--", 1)[0], ()):
            candidate = self.internal(kind, stix_id)
            with db_errors():
                if self.store.db.conn.execute("SELECT 1 FROM objects WHERE id = ?", (candidate,)).fetchone():
                    self.to_stix_map.setdefault(candidate, stix_id)
                    return candidate
        return None

    def to_stix(self, internal_id: str) -> str:
        found = self.to_stix_map.get(internal_id)
        if found is None:
            found = stix_id_of(self.store.get(internal_id))
            self.to_stix_map[internal_id] = found
        return found


_RECORD_KINDS = frozenset({"case", "actor", "narrative", "event", "evidence", "relationship", "observable",
                           "technique-use", "judgment", "response"})


class _Importer:
    def __init__(self, store: Store, source: _Source, case_id: str | None, provenance: dict | None,
                 progress: Progress, evidence_source: EvidenceSource | None) -> None:
        self.store = store
        self.source = source
        self.case_id = case_id
        self.provenance = provenance or {}
        self.progress = progress
        self.evidence_source = evidence_source
        self.report = ImportReport(format="stix", source=source.name)
        self.index: dict[str, _Entry] = {}
        self.present_markings: dict[str, str | None] = {}
        self.referenced: set[str] = set()
        self.groupings: list[dict[str, Any]] = []
        self.container_name = ""
        self.container_description = ""
        self.received_at = utc_now()
        self.disarm_codes: list[str] = []
        self.batch: list[Record] = []
        self.batch_ids: set[str] = set()
        self.waiting: list[tuple[Record, str]] = []
        self.accepted: set[str] = set()
        self.kept_rows: list[tuple[str, str, str, str, Any]] = []
        self.provenance_rows: list[tuple] = []
        self.pending_provenance: list[tuple[Record, str]] = []

    # -- pass 1 ------------------------------------------------------------------------

    def scan(self) -> None:
        # Every object of the bundle comes through here: the attributes used per object are
        # read into locals once.
        index, referenced, report, header = self.index, self.referenced, self.report, self.source.header
        for ordinal, (obj, _) in enumerate(self.source.passes(self.progress, "reading")):
            if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not isinstance(obj.get("type"), str):
                report.reject(f"object {ordinal + 1}", "not a STIX object (no type or id)")
                continue
            stix_id, stix_type = obj["id"], obj["type"]
            if "--" not in stix_id:
                report.reject(stix_id[:100] or f"object {ordinal + 1}", "not a STIX object (its id is not type--uuid)")
                continue
            version = obj.get("spec_version", header.get("spec_version"))
            if version is not None and version != "2.1":
                raise unsupported_stix(str(version))
            modified = str(obj.get("modified") or obj.get("created") or "")
            previous = index.get(stix_id)
            if previous is not None:
                newer = modified > previous.modified
                report.warn(stix_id, "the id appears more than once; kept the copy "
                            + ("modified last" if newer else "read first (same or later time)"))
                if not newer:
                    continue
            declared = ext.kind_of(obj)
            code = technique_code(obj.get("external_references")) if stix_type == "attack-pattern" else ""
            entry = _Entry(ordinal, stix_type, declared or _foreign_kind(obj, code), modified, bool(declared))
            if stix_type == "relationship":
                entry.ends = (str(obj.get("source_ref", "")), str(obj.get("target_ref", "")),
                              str(obj.get("relationship_type", "")))
            elif stix_type == "marking-definition":
                self.present_markings[stix_id] = tlp_of_definition(obj)
            elif code:
                self.disarm_codes.append(code)
            if entry.kind == "case":
                self.groupings.append(obj)
            elif stix_type in _CONTAINERS + ("campaign",) and not self.container_name and entry.kind != ext.DERIVED:
                self.container_name = str(obj.get("name", ""))
                self.container_description = str(obj.get("description", ""))
            index[stix_id] = entry
            referenced.update(_references(obj))
        header = self.source.header
        if header.get("type") not in (None, "bundle"):
            raise FormatError(f"this JSON is a {header.get('type')!r}, not a STIX bundle", "export a bundle")
        if header.get("spec_version") not in (None, "2.1"):
            raise unsupported_stix(str(header.get("spec_version")))
        self._resolve_kinds()

    def _resolve_kinds(self) -> None:
        """Foreign identities and attack-patterns count only when the bundle relates them."""
        index = self.index
        relationships = [(stix_id, entry) for stix_id, entry in index.items() if entry.ends]
        for _, entry in relationships:
            source, target, relationship_type = entry.ends  # type: ignore[misc]
            for end in (source, target):
                if end in index:
                    index[end].involved = True
            if relationship_type == "uses" and target in index:
                index[target].used = True
        for entry in index.values():
            if entry.declared:
                continue
            if (entry.stix_type == "identity" and not entry.involved) or (
                    entry.stix_type == "attack-pattern" and not entry.used):
                entry.kind = ""
        ids = _Ids(self.store, index)
        demoted = False
        for stix_id, entry in relationships:
            if entry.stix_type == "relationship" and entry.kind == "relationship":
                if not all(ids.to_internal(end) for end in entry.ends[:2]):  # type: ignore[index]
                    entry.kind = ""
                    ids.to_internal_map.pop(stix_id)  # a relationship pointing at this one sees it go
                    demoted = True
        # the map is rebuilt (one pass over the index) only when a relationship stopped counting
        self.ids = _Ids(self.store, self.index) if demoted else ids

    # -- pass 2 ------------------------------------------------------------------------

    def run(self) -> ImportReport:
        self.source.check_format()
        self.scan()
        self.provenance_head = self._provenance_head()
        self._report_references()
        known, unknown = default_catalog().map_codes(self.disarm_codes)
        for code in unknown:
            self.report.unknown_technique(code)
        with self.store.transaction():
            self.existing = self._existing_ids()
            self.case = self._case()
            self.report.case_id = self.case.id
            self.accepted.add(self.case.id)
            index = self.index
            for ordinal, (obj, text) in enumerate(self.source.passes(self.progress, "importing")):
                if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
                    continue
                entry = index.get(obj["id"])
                if entry is None or entry.ordinal != ordinal:
                    continue
                self._one(obj, text, entry)
            self._flush()
            for record, _ in self.waiting:
                self.report.reject(record.id, "points at objects that were rejected")
            self._write_side_tables()
        return self.report

    def _report_references(self) -> None:
        for ref in sorted(self.referenced - self.index.keys()):
            if ref in TLP1_IDS:
                self.report.warn(ref, f"marking not in the bundle; it is the predefined TLP 1.0 "
                                 f"{'WHITE' if TLP1_IDS[ref] == 'clear' else TLP1_IDS[ref].upper()}, read as "
                                 f"TLP:{TLP1_IDS[ref].upper()}")
            elif tlp_of_marking(ref):
                continue
            elif self.ids.to_internal(ref) is None:
                self.report.warn(ref, "referenced but not in the bundle or the workspace (dangling reference)")

    def _existing_ids(self) -> dict[str, str]:
        """Internal ids from the bundle that already exist -> their case."""
        wanted = list(self.ids.to_stix_map)
        found: dict[str, str] = {}
        with db_errors():
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for object_id, case_id in self.store.db.conn.execute(
                    f"SELECT id, case_id FROM objects WHERE id IN ({marks})", chunk
                ):
                    found[object_id] = case_id
        return found

    def _case(self) -> Case:
        if len(self.groupings) > 1 and self.case_id is None:
            raise FormatError(f"the bundle holds {len(self.groupings)} RRM Desk cases",
                              "import it into one case with --case ID, or ask for one bundle per case")
        grouping = self.groupings[0] if self.groupings else None
        if self.case_id is not None:
            case = self.store.get_case(self.case_id)
            if grouping is not None and _Ids.internal("case", grouping["id"]) != case.id:
                self.report.warn(grouping["id"], f"the bundle's case was imported into {case.id}; its own "
                                 "title and fields were not applied")
                self.index[grouping["id"]].kind = ext.DERIVED
            return case
        if grouping is not None:
            case = self._build(grouping, "case", None, True)
            if case is None:
                raise FormatError("the bundle's case cannot be read", "see the rejected line above; nothing was imported")
            assert isinstance(case, Case)
            if case.id in self.existing:
                self._merge(case, grouping, case.tlp, case.id)
                return self.store.get_case(case.id)
            self.store.add(case)
            self.report.added["case"] += 1
            self.provenance_rows.append(self._provenance(case.id, grouping.get("modified"), case.modified, case.id))
            self._keep_properties(case, grouping, case.tlp, case.id, True)
            return case
        title = self.container_name or (f"Imported {self.source.name}" if self.source.name else "Imported STIX bundle")
        try:
            case = Case(title=title[:300], summary=self.container_description, tlp="amber", created_by=self.store.analyst)
        except UsageError:
            case = Case(title="Imported STIX bundle", tlp="amber", created_by=self.store.analyst)
        self.store.add(case)
        self.report.added["case"] += 1
        self.report.warn(case.id, "the bundle has no RRM Desk case; created this one, marked TLP:AMBER until you "
                         "set its marking")
        return case

    def _tlp(self, obj: dict[str, Any]) -> str | None:
        levels = []
        for ref in obj.get("object_marking_refs") or []:
            level = self.present_markings.get(ref) if ref in self.present_markings else tlp_of_marking(ref)
            if level:
                levels.append(level)
        return strictest(levels)

    def _build(self, obj: dict[str, Any], kind: str, case: Case | None, declared: bool) -> Record | None:
        """The record for ``obj`` (``declared``: it says it is an RRM Desk record), or None and a
        rejected line when it is not valid."""
        try:
            cls, values = fields_from_stix(obj, kind, self.ids)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            self.report.reject(obj["id"], f"unreadable {obj.get('type')} ({exc})")
            return None
        source = (obj if obj["type"] in ext.NEW_TYPES
                  else ext.property_extension(obj) or {} if "extensions" in obj else {})
        if source.get(TLP_FROM_CASE) is not True:
            level = self._tlp(obj) if "object_marking_refs" in obj else None
            if cls is Case:
                values["tlp"] = level or "amber"
            elif declared or (level and case is not None and level != case.tlp):
                values["tlp"] = level
        if case is not None:
            values["case_id"] = case.id
            self._check_references(obj, cls, values)
        try:
            record = cls(id=_Ids.internal(kind, obj["id"]), **values)
        except RRMDeskError as exc:
            self.report.reject(obj["id"], exc.message)
            return None
        except TypeError as exc:
            missing = str(exc).split("argument", 1)[-1].strip(": ")
            self.report.reject(obj["id"], f"{obj.get('type')} lacks a required property ({missing})")
            return None
        return record

    def _check_references(self, obj: dict[str, Any], cls: type[Record], values: dict[str, Any]) -> None:
        """Drop references RRM Desk cannot follow (to nothing, or to objects it does not model)."""
        for name in _ref_fields(cls):
            if name not in _REF_LISTS:
                continue
            refs = values.get(name)
            if not refs:
                continue
            good = [r for r in refs if self._resolvable(r)]
            if len(good) != len(refs):
                self.report.warn(obj["id"], f"{len(refs) - len(good)} reference(s) in {name} lead nowhere; dropped")
                values[name] = good
        target = values.get("attributed_to")
        if target and not self._resolvable(target):
            self.report.warn(obj["id"], "attributed-to actor not found; dropped")
            values["attributed_to"] = ""

    def _resolvable(self, ref: str) -> bool:
        return is_id(ref) and ref.split("--", 1)[0] in _RECORD_KINDS and (
            ref in self.ids.to_stix_map or ref in self.existing)

    def _one(self, obj: dict[str, Any], text: str | None, entry: _Entry) -> None:
        kind = entry.kind
        if kind == "case" or kind in (ext.DERIVED, ext.MINISTRY):
            return
        if obj["type"] in ("marking-definition",) and self.present_markings.get(obj["id"]):
            return
        if obj["id"] in (ext.EXTENSION_ID, ext.AUTHOR_ID):
            return
        if kind not in _RECORD_KINDS:
            self._keep_object(obj, text)
            return
        record = self._build(obj, kind, self.case, entry.declared)
        if record is None:
            return
        if record.id in self.existing:
            if self.existing[record.id] != self.case.id:
                self.report.reject(obj["id"], f"already in another case ({self.existing[record.id]})")
                return
            self._merge(record, obj, self.case.tlp, self.case.id)
            return
        if isinstance(record, Relationship) and not all(
                self._resolvable(r) for r in (record.source_id, record.target_id)):
            self._keep_object(obj, text)
            return
        self._keep_properties(record, obj, self.case.tlp, self.case.id, entry.declared)
        if isinstance(record, Evidence) and record.kind == "file":
            self._evidence_bytes(record)
        self._queue(record, str(obj.get("modified") or ""))

    def _keep_object(self, obj: dict[str, Any], text: str | None) -> None:
        """Keep the object as received: its JSON text when it came from a file."""
        self.report.kept_unknown[obj["type"]] += 1
        self.kept_rows.append((self.case.id, obj["id"], OBJECT, "stix", obj if text is None else text))
        self.provenance_rows.append(self._provenance(obj["id"], obj.get("modified"), obj.get("modified") or "",
                                                     self.case.id))
        if len(self.kept_rows) >= _BATCH:
            save_kept(self.store, self.kept_rows)
            self.kept_rows.clear()

    def _keep_properties(self, record: Record, obj: dict[str, Any], case_tlp: str, case_id: str,
                         declared: bool) -> None:
        # Only our own new types carry fields at the top level beside the mapped properties.
        ours = (record_to_stix(record, self.ids, case_tlp) if obj["type"] in ext.NEW_TYPES
                else stix_properties(record, self.ids))
        kept: dict[str, list[Any]] = {}
        for name, received in obj.items():
            if name in _NOT_KEPT:
                continue
            if name == "object_marking_refs":
                others = [r for r in received or [] if not (self.present_markings.get(r) or tlp_of_marking(r))]
                if others:
                    kept[name] = [others, None]
            elif name == "extensions":
                foreign = {k: v for k, v in (received or {}).items() if k != ext.EXTENSION_ID}
                if foreign:
                    kept[name] = [foreign, None]
            elif received != ours.get(name):
                kept[name] = [received, ours.get(name)]
        if not declared:
            if obj.get("created_by_ref"):
                kept["created_by_ref"] = [obj["created_by_ref"], None]
            for name, value in ours.items():
                if name not in obj and name not in _NOT_COMPARED:
                    kept[name] = [None, value]
        if kept:
            self.report.kept_properties[record.KIND] += 1
            self.kept_rows.append((case_id, obj["id"], PROPERTIES, "stix", kept))

    def _evidence_bytes(self, record: Evidence) -> None:
        if blobs.has_blob(self.store.db, record.sha256):
            return
        stream = self.evidence_source(record.sha256) if self.evidence_source else None
        if stream is None:
            self.report.warn(record.id, "the file's bytes did not come with the bundle; the record was imported "
                             "without them")
            return
        try:
            sha256, size = blobs.ingest(self.store.db, stream, record.size, self.progress)
        finally:
            stream.close()
        if sha256 != record.sha256:
            from ..errors import IntegrityError

            raise IntegrityError(f"the bytes received for evidence {record.id} do not match its SHA-256")

    # -- batching ----------------------------------------------------------------------

    def _ready(self, record: Record) -> bool:
        """Whether every record ``record`` points at is stored or in the batch going in with it."""
        accepted, batch_ids, existing = self.accepted, self.batch_ids, self.existing
        for name in _ref_fields(type(record)):
            value = getattr(record, name)
            for ref in value if isinstance(value, list) else (value,) if value else ():
                if ref not in accepted and ref not in batch_ids and ref not in existing:
                    return False
        return True

    def _queue(self, record: Record, source_modified: str) -> None:
        if not self._ready(record):
            self.waiting.append((record, source_modified))
            return
        self._enqueue(record, source_modified)
        if len(self.batch) >= _BATCH:
            self._flush()

    def _enqueue(self, record: Record, source_modified: str) -> None:
        self.batch.append(record)
        self.batch_ids.add(record.id)
        self.pending_provenance.append((record, source_modified))

    def _flush(self) -> None:
        """Insert the batch, then whatever was waiting for it, until nothing more is ready."""
        while self.batch:
            self.store.add_many(self.batch)
            for record in self.batch:
                self.report.added[record.KIND] += 1
            self.accepted |= self.batch_ids
            for record, source_modified in self.pending_provenance:
                self.provenance_rows.append(
                    self._provenance(record.id, source_modified or None, record.modified, self.case.id))
            self.batch, self.batch_ids, self.pending_provenance = [], set(), []
            waiting, self.waiting = self.waiting, []
            for record, source_modified in waiting:
                if self._ready(record):
                    self._enqueue(record, source_modified)
                else:
                    self.waiting.append((record, source_modified))
        if len(self.provenance_rows) >= _BATCH:
            record_provenance(self.store, self.provenance_rows)
            self.provenance_rows.clear()

    def _provenance(self, object_id: str, source_modified: str | None, local_modified: str, case_id: str) -> tuple:
        return (object_id, case_id, *self.provenance_head, source_modified, local_modified)

    def _provenance_head(self) -> tuple[str, str, str, str]:
        """(sender, bundle_id, signer, received_at), the same for every object of the import.

        Read once, after pass 1 has seen the whole header (pass 2 starts a fresh one), so a
        bundle whose ``id`` follows its ``objects`` records the id too."""
        bundle_id = str(self.provenance.get("bundle_id") or self.source.header.get("id") or "")
        return (str(self.provenance.get("sender", "")), bundle_id, str(self.provenance.get("signer", "")),
                str(self.provenance.get("received_at") or self.received_at))

    def _write_side_tables(self) -> None:
        save_kept(self.store, self.kept_rows)
        record_provenance(self.store, self.provenance_rows)
        self.kept_rows, self.provenance_rows = [], []

    # -- merging -----------------------------------------------------------------------

    def _merge(self, incoming: Record, obj: dict[str, Any], case_tlp: str, case_id: str) -> None:
        """Apply an incoming version of an existing object, unless it was edited here."""
        current = self.store.get(incoming.id)
        if incoming.to_dict() == current.to_dict():
            self.report.unchanged[incoming.KIND] += 1
            return
        last = last_import(self.store, incoming.id)
        edited_here = last is None or last[1] != current.modified
        if not edited_here and (last[0] or "") < (incoming.modified or ""):
            changes = {k: v for k, v in incoming.to_dict().items()
                       if k not in ("id", "created", "modified") and v != getattr(current, k)}
            updated = self.store.edit(incoming.id, **changes)
            self.report.updated[incoming.KIND] += 1
            self.provenance_rows.append(self._provenance(incoming.id, incoming.modified, updated.modified, case_id))
            self._keep_properties(incoming, obj, case_tlp, case_id, bool(ext.kind_of(obj)))
            return
        if not edited_here:
            self.report.unchanged[incoming.KIND] += 1
            return
        save_conflict(self.store, incoming.id, case_id, self.received_at, self.provenance_head[1], obj)
        self.report.conflict(incoming.id, "changed here and in the bundle; kept the local version "
                             "(the incoming one is saved with the case)")


def import_stix(store: Store, source: dict | Path | BinaryIO, *, case_id: str | None = None,
                provenance: dict | None = None, progress: Progress | None = None,
                evidence_source: EvidenceSource | None = None) -> ImportReport:
    """Import a STIX 2.1 bundle (a dict, a path or a binary stream) in one transaction.

    ``provenance`` (sender, bundle_id, signer, received_at) is stored for every object, as the
    signed-bundle importer passes it; ``evidence_source(sha256)`` returns the bytes of a file
    evidence or None. Raises FormatError for what is not a STIX 2.1 bundle; on any error
    nothing is imported.
    """
    importer = _Importer(store, _Source(source), case_id, provenance, progress or Progress(), evidence_source)
    return importer.run()
