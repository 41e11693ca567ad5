"""The bundle payload: the cases as one STIX 2.1 bundle (``payload/case.stix.json``).

The STIX mapping belongs to ``rrmdesk.interop``; this module only narrows each case's STIX
bundle to the records the TLP rules let go and joins several cases into one bundle. Records
keep their UUID in STIX, so a left-out record is removed by UUID together with every
reference to it: a relationship that would point at it goes too, lists of references lose it.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import FormatError
from ..interop.stix_export import export_case
from ..progress import Progress
from ..store import Store


def _uuid(ref: Any) -> str | None:
    return ref.split("--", 1)[1] if isinstance(ref, str) and "--" in ref else None


def _strip(value: Any, gone: set[str]) -> Any:
    """``value`` without references to ``gone`` UUIDs, at any depth (extensions carry refs too)."""
    if isinstance(value, list):
        return [_strip(v, gone) for v in value if _uuid(v) not in gone]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if _uuid(item) in gone:
                continue
            cleaned = _strip(item, gone)
            if isinstance(cleaned, list) and not cleaned and key.endswith("_refs"):
                continue  # STIX forbids empty lists
            out[key] = cleaned
        return out
    return value


def prune(bundle: dict[str, Any], gone: set[str]) -> dict[str, Any]:
    """The bundle without the objects whose UUID is in ``gone`` and without references to them."""
    if not gone:
        return bundle
    objects = []
    for obj in bundle["objects"]:
        if _uuid(obj.get("id")) in gone:
            continue
        if any(key.endswith("_ref") and _uuid(value) in gone for key, value in obj.items()):
            continue  # a relationship or sighting about a left-out object
        objects.append(_strip(obj, gone))
    return {**bundle, "objects": objects}


def join(bundles: list[dict[str, Any]]) -> dict[str, Any]:
    """One bundle holding every case's objects; shared ones (identities, markings) once."""
    if len(bundles) == 1:
        return bundles[0]
    seen: dict[str, dict[str, Any]] = {}
    for bundle in bundles:
        for obj in bundle["objects"]:
            seen.setdefault(obj["id"], obj)
    return {"type": "bundle", "id": bundles[0]["id"], "objects": list(seen.values())}


def case_payload(store: Store, case_ids: list[str], left_out: set[str], ministry: str, progress: Progress) -> bytes:
    """The payload bytes for the cases, without the ``left_out`` records."""
    gone = {u for u in map(_uuid, left_out) if u}
    bundles = [prune(export_case(store, case_id, ministry=ministry, progress=progress), gone) for case_id in case_ids]
    return json.dumps(join(bundles), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def split_cases(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """One STIX bundle per case (the importer takes one case at a time).

    A case is a ``grouping`` whose ``object_refs`` name its objects; objects no grouping names
    (identities, marking definitions, the extension definition) go with every case.
    """
    groupings = [o for o in bundle["objects"] if isinstance(o, dict) and o.get("type") == "grouping"]
    if len(groupings) <= 1:
        return [bundle]
    contained = {ref for g in groupings for ref in g.get("object_refs", [])} | {g["id"] for g in groupings}
    shared = [o for o in bundle["objects"] if o.get("id") not in contained]
    by_id = {o.get("id"): o for o in bundle["objects"]}
    return [{**bundle, "objects": [*shared, g, *(by_id[r] for r in g.get("object_refs", []) if r in by_id)]}
            for g in groupings]


def parse_payload(data: bytes) -> dict[str, Any]:
    try:
        bundle = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(f"the bundle's STIX payload is not valid JSON ({exc})") from None
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle" or not isinstance(bundle.get("objects"), list):
        raise FormatError("the bundle's STIX payload is not a STIX bundle")
    return bundle
