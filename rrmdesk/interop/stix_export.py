"""Export a whole case as one STIX 2.1 bundle that stix2-validator passes with 0 errors.

The bundle holds, in this order: the RRM Desk identity and extension-definition, the ministry's
identity, the TLP 2.0 marking-definitions used, the case as a ``grouping`` referencing every
other object, the campaign derived from it, the case's records (see ``stix_mapping``), the
derived ``uses`` links from the campaign to each technique, then whatever an earlier import
kept unmodelled. Output depends only on the records: the same case gives the same bundle.
Nothing touches the disk here; ``write_bundle`` writes where the analyst chose.
"""

from __future__ import annotations

import json
import uuid
from typing import IO, Any

from .. import vocab
from ..model import CASE_PARTS, Record, TechniqueUse
from ..progress import Progress
from ..store import Store
from . import extension as ext
from .kept import kept_objects, kept_properties
from .stix_mapping import record_to_stix, stix_id_of, stix_type_of
from .stix_markings import marking_definition, tlp_of_marking

class CaseIds:
    """Internal id -> STIX id for the records of one case (the UUID is kept)."""

    def __init__(self, records: list[Record]) -> None:
        self._map = {r.id: stix_id_of(r) for r in records}
        self._back = {v: k for k, v in self._map.items()}

    def to_stix(self, internal_id: str) -> str:
        if internal_id in self._map:
            return self._map[internal_id]
        raise KeyError(internal_id)

    def to_internal(self, stix_id: str) -> str | None:
        return self._back.get(stix_id)


def _apply_kept(obj: dict[str, Any], kept: dict[str, list[Any]]) -> None:
    """Put back received properties we do not model, unless ours changed since the import."""
    for name, (received, ours_then) in kept.items():
        if name == "object_marking_refs":
            obj[name] = obj.get(name, []) + [r for r in received if r not in obj.get(name, [])]
        elif name == "extensions":
            obj.setdefault("extensions", {}).update(received)
        elif obj.get(name) == ours_then:
            if received is None:
                obj.pop(name, None)
            else:
                obj[name] = received


def ministry_identity(ministry: str, created: str) -> dict[str, Any]:
    name = ministry.strip() or "RRM Desk analyst's ministry"
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": ext.derived_id("identity", "ministry", name),
        "created": created,
        "modified": created,
        "name": name,
        "identity_class": "organization",
        "extensions": {ext.EXTENSION_ID: {"extension_type": "property-extension", ext.KIND_KEY: ext.MINISTRY}},
    }


def export_case(store: Store, case_id: str, *, ministry: str = "", progress: Progress | None = None) -> dict:
    """The case as a STIX 2.1 bundle (a dict ready for ``write_bundle``)."""
    progress = progress or Progress()
    case = store.get_case(case_id)
    parts: list[Record] = []
    for cls in CASE_PARTS:
        parts.extend(store.parts(case_id, cls))
        progress.check()
    records: list[Record] = [case, *parts]
    ids = CaseIds(records)
    kept = kept_properties(store, case_id)
    author = ministry_identity(ministry, case.created)
    uuid_part = case.id.split("--", 1)[1]
    campaign_id = f"campaign--{uuid_part}"

    body: list[dict[str, Any]] = []
    total = len(records)
    for done, record in enumerate(records, 1):
        obj = record_to_stix(record, ids, case.tlp)
        if "created" in obj:  # SDOs and SROs name their author; SCOs cannot
            obj["created_by_ref"] = author["id"]
        if stix_type_of(record) == "note":
            obj["object_refs"] = [campaign_id]
        _apply_kept(obj, kept.get(stix_id_of(record), {}))
        body.append(obj)
        if done % 500 == 0 or done == total:
            progress.update(done, total, "exporting")
    grouping = body[0]
    campaign = {
        "type": "campaign",
        "spec_version": "2.1",
        "id": campaign_id,
        "created_by_ref": author["id"],
        "created": case.created,
        "modified": case.modified,
        "name": case.title,
        "object_marking_refs": grouping["object_marking_refs"][:1],
        "extensions": {ext.EXTENSION_ID: {"extension_type": "property-extension", ext.KIND_KEY: ext.DERIVED}},
    }
    if case.summary:
        campaign["description"] = case.summary
    derived: list[dict[str, Any]] = [campaign]
    for record, obj in zip(parts, body[1:]):
        if isinstance(record, TechniqueUse):
            derived.append({
                "type": "relationship",
                "spec_version": "2.1",
                "id": ext.derived_id("relationship", "uses", record.id),
                "created_by_ref": author["id"],
                "created": record.created,
                "modified": record.modified,
                "relationship_type": "uses",
                "source_ref": campaign_id,
                "target_ref": stix_id_of(record),
                "object_marking_refs": obj["object_marking_refs"][:1],
                "extensions": {ext.EXTENSION_ID: {"extension_type": "property-extension", ext.KIND_KEY: ext.DERIVED}},
            })
    others = list(kept_objects(store, case_id))
    contained = [o["id"] for o in (*derived, *body[1:], *others)]
    grouping["object_refs"] = contained or [campaign_id]
    levels = {tlp_of_marking(ref) for obj in (*body, *derived) for ref in obj.get("object_marking_refs", [])}
    markings = [marking_definition(level) for level in vocab.TLP if level in levels]
    objects = [ext.author_identity(), ext.extension_definition(), author, *markings,
               grouping, *derived[:1], *body[1:], *derived[1:], *others]
    latest = max(r.modified for r in records)
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid5(ext.DERIVED_NAMESPACE, case.id + '|' + latest)}",
        "objects": objects,
    }


def write_bundle(bundle: dict, fp: IO[bytes] | IO[str]) -> None:
    """Write a bundle as UTF-8 JSON; ``fp`` may be a binary or a text file object."""
    text = json.dumps(bundle, ensure_ascii=False, indent=1)
    try:
        fp.write(text.encode("utf-8"))  # type: ignore[arg-type]
    except TypeError:
        fp.write(text)  # type: ignore[arg-type]
