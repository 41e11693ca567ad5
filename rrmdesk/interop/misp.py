"""MISP event JSON in and out.

Out: one MISP event per case. Observables and URL/text evidence are attributes; file evidence
is a ``file`` object (name, SHA-256, size, media type); actors are ``person``/``organization``
objects, narratives ``narrative`` objects and events ``temporal-event`` objects (templates from
MISP's own object library); the TLP is a ``tlp:`` tag and each DISARM technique a
``misp-galaxy:disarm-techniques`` cluster tag, as the MISP galaxy names it. PyMISP's
``MISPEvent().load()`` reads the result (tested).

In: attributes whose type RRM Desk models become observables (``link`` becomes URL evidence);
``tlp:`` tags set the case marking; DISARM technique clusters become technique uses (matched by
T-code) and threat-actor clusters actors. Every other attribute, tag or galaxy is kept with the
case, listed in the report and written back on MISP export.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from pathlib import Path
from typing import Any, BinaryIO

from .. import vocab
from ..disarm import default_catalog
from ..errors import FormatError, RRMDeskError
from ..model import (
    Actor,
    Case,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Record,
    TechniqueUse,
)
from ..progress import Progress
from ..store import Store
from .json_stream import load_json
from .kept import OBJECT, kept_objects, save_kept
from .report import ImportReport

_OBSERVABLE_TYPES = {
    "url": "url", "uri": "url", "domain": "domain", "hostname": "domain", "email": "email", "email-src": "email",
    "email-dst": "email", "email-reply-to": "email", "md5": "hash", "sha1": "hash", "sha256": "hash",
    "sha512": "hash", "phone-number": "phone", "whois-registrant-phone": "phone", "twitter-id": "handle",
    "github-username": "handle", "jabber-id": "handle",
}
_HASH_TYPES = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
_THREAT_LEVEL = {"critical": "1", "high": "1", "moderate": "2", "low": "3"}
_ANALYSIS = {"draft": "0", "open": "1", "assessed": "2", "closed": "2", "archived": "2"}
_DISARM_GALAXY = "misp-galaxy:disarm-techniques"
_THREAT_ACTOR_GALAXY = "misp-galaxy:threat-actor"
_TAG_VALUE = re.compile(r'^[^=]+="?(.*?)"?$')
_CODE = re.compile(r"\bT\d{4}(?:\.\d{3})?\b")
#: _record_of's answer for an attribute that was rejected (and reported), not kept.
_REJECTED: Any = object()


def _uuid(text: Any) -> str | None:
    try:
        return str(uuidlib.UUID(str(text)))
    except ValueError:
        return None


def _derived_uuid(*parts: str) -> str:
    from .extension import DERIVED_NAMESPACE

    return str(uuidlib.uuid5(DERIVED_NAMESPACE, "misp|" + "|".join(parts)))


# -- export -----------------------------------------------------------------------------


def _attribute(kind: str, category: str, value: str, uid: str, comment: str = "", to_ids: bool = False) -> dict[str, Any]:
    return {"type": kind, "category": category, "value": value, "uuid": uid, "comment": comment,
            "to_ids": to_ids, "distribution": "5"}


def _object(name: str, uid: str, attributes: list[tuple[str, str, str]], comment: str = "") -> dict[str, Any]:
    """A MISP object; ``attributes`` are (object_relation, type, value), empty values skipped."""
    return {
        "name": name, "meta-category": "misc" if name != "file" else "file", "uuid": uid, "comment": comment,
        "distribution": "5",
        "Attribute": [
            {"object_relation": rel, "type": kind, "value": value, "category": "Other" if kind == "text" else
             ("Payload delivery" if name == "file" else "External analysis" if kind == "link" else "Other"),
             "uuid": _derived_uuid(uid, rel, str(i)), "to_ids": False, "distribution": "5"}
            for i, (rel, kind, value) in enumerate(attributes) if value not in ("", None)
        ],
    }


def _tag(name: str) -> dict[str, Any]:
    return {"name": name}


def disarm_tag(code: str) -> str:
    """The MISP galaxy tag of a technique: the galaxy names clusters by technique name."""
    technique = default_catalog().get(code)
    return f'{_DISARM_GALAXY}="{technique.name if technique else code}"'


def export_misp(store: Store, case_id: str, progress: Progress | None = None) -> dict[str, Any]:
    """The case as a MISP event (``{"Event": {...}}``), ready for ``json.dump``."""
    progress = progress or Progress()
    case = store.get_case(case_id)
    uid = case.id.split("--", 1)[1]
    attributes: list[dict[str, Any]] = []
    objects: list[dict[str, Any]] = []
    tags = [_tag(f"tlp:{case.tlp}")]
    for observable in store.parts(case_id, Observable):
        kind = {"url": "url", "domain": "domain", "email": "email", "phone": "phone-number", "handle": "text"}.get(
            observable.kind) or _HASH_TYPES.get(len(observable.normalized), "sha256")
        category = {"url": "Network activity", "domain": "Network activity", "email": "Network activity",
                    "phone-number": "Other", "text": "Social network"}.get(kind, "Payload delivery")
        value = observable.normalized if observable.kind != "handle" else observable.value
        attributes.append(_attribute(kind, category, value, observable.id.split("--", 1)[1],
                                     observable.note or (f"{observable.kind} (as received: {observable.value})"
                                                         if value != observable.value else observable.kind),
                                     to_ids=False))
    progress.check()
    for evidence in store.parts(case_id, Evidence):
        euid = evidence.id.split("--", 1)[1]
        if evidence.kind == "url":
            attributes.append(_attribute("link", "External analysis", evidence.url, euid, evidence.title))
        elif evidence.kind == "text":
            attributes.append(_attribute("text", "Other", evidence.text, euid, evidence.title))
        else:
            objects.append(_object("file", euid, [("filename", "filename", evidence.filename),
                                                  ("sha256", "sha256", evidence.sha256),
                                                  ("size-in-bytes", "size-in-bytes", str(evidence.size)),
                                                  ("mimetype", "mime-type", evidence.media_type)], evidence.title))
    for actor in store.parts(case_id, Actor):
        auid = actor.id.split("--", 1)[1]
        if actor.kind == "individual":
            objects.append(_object("person", auid, [("full-name", "full-name", actor.name),
                                                    *[("alias", "text", a) for a in actor.aliases],
                                                    ("handle", "text", actor.handle),
                                                    ("nationality", "nationality", actor.country),
                                                    ("text", "text", actor.description)], actor.kind))
        else:
            objects.append(_object("organization", auid, [("name", "text", actor.name),
                                                          *[("alias", "text", a) for a in actor.aliases],
                                                          ("description", "text", actor.description),
                                                          ("type-of-organization", "text", actor.kind)], actor.kind))
    for narrative in store.parts(case_id, Narrative):
        objects.append(_object("narrative", narrative.id.split("--", 1)[1],
                               [("narrative-summary", "text", narrative.title),
                                ("objective", "text", narrative.description)]))
    for event in store.parts(case_id, Event):
        when = event.start[:10] + (f" to {event.end[:10]}" if event.end else "")
        objects.append(_object("temporal-event", event.id.split("--", 1)[1],
                               [("summary", "text", f"{when}: {event.title}"),
                                ("description", "text", event.description),
                                ("type", "text", event.category)], event.start))
    for judgment in store.parts(case_id, Judgment):
        attributes.append(_attribute("comment", "Other", judgment.statement, judgment.id.split("--", 1)[1],
                                     f"key judgment: {judgment.likelihood}, {judgment.confidence} confidence"))
    codes = [t.code for t in store.parts(case_id, TechniqueUse)]
    codes += [c for e in store.parts(case_id, Event) for c in e.techniques]
    for code in dict.fromkeys(codes):
        tags.append(_tag(disarm_tag(code)))
    for kept in kept_objects(store, case_id, "misp"):
        if kept.get("kind") == "attribute":
            attributes.append(kept["body"])
        elif kept.get("kind") == "tag" and kept["body"] not in tags:
            tags.append(kept["body"])
    event = {
        "uuid": uid,
        "info": case.title,
        "date": case.created[:10],
        "threat_level_id": _THREAT_LEVEL[case.severity],
        "analysis": _ANALYSIS[case.status],
        "distribution": "0",
        "published": False,
        "Tag": tags,
        "Attribute": attributes,
        "Object": objects,
    }
    return {"Event": event}


# -- import -----------------------------------------------------------------------------


def _event_of(data: Any) -> dict[str, Any]:
    if isinstance(data, dict) and isinstance(data.get("Event"), dict):
        return data["Event"]
    if isinstance(data, dict) and isinstance(data.get("response"), list) and data["response"]:
        return _event_of(data["response"][0])
    if isinstance(data, dict) and any(k in data for k in ("Attribute", "Object", "info")):
        return data
    raise FormatError("this JSON is not a MISP event (no Event, Attribute or Object)",
                      "export the event from MISP as JSON; nothing was imported")


def _load(source: dict | Path | BinaryIO) -> tuple[dict[str, Any], str]:
    if isinstance(source, dict):
        return _event_of(source), ""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FormatError(f"cannot read {path}: {exc.strerror or exc}", "check the path") from exc
        name = path.name
    else:
        data, name = source.read(), getattr(source, "name", "") or ""
    return _event_of(load_json(data)), name


def _tag_value(name: str) -> str:
    found = _TAG_VALUE.match(name)
    return found.group(1) if found else name


def import_misp(store: Store, source: dict | Path | BinaryIO, *, case_id: str | None = None,
                progress: Progress | None = None) -> ImportReport:
    """Import one MISP event into a case (a new one titled after the event, or ``case_id``)."""
    progress = progress or Progress()
    event, name = _load(source)
    report = ImportReport(format="misp", source=name)
    tags = [t for t in event.get("Tag") or [] if isinstance(t, dict) and t.get("name")]
    galaxy_tags = [c for g in event.get("Galaxy") or [] if isinstance(g, dict)
                   for c in g.get("GalaxyCluster") or [] if isinstance(c, dict)]
    tlp_levels = []
    for tag in tags:
        if tag["name"].lower().startswith("tlp:"):
            level = tag["name"][4:].strip().lower()
            level = "clear" if level == "white" else level
            if level in vocab.TLP:
                tlp_levels.append(level)
    with store.transaction():
        if case_id:
            case = store.get_case(case_id)
        else:
            event_uuid = _uuid(event.get("uuid"))
            title = str(event.get("info") or "").strip() or f"MISP event {event.get('id', '')}".strip()
            case = Case(id=f"case--{event_uuid}" if event_uuid else "", title=title[:300],
                        tlp=max(tlp_levels, key=vocab.tlp_rank) if tlp_levels else "amber",
                        created_by=store.analyst)
            if store.db.conn.execute("SELECT 1 FROM objects WHERE id = ?", (case.id,)).fetchone():
                report.warn(case.id, "this MISP event was imported before; added what is new to that case")
                case = store.get_case(case.id)
            else:
                store.add(case)
                report.added["case"] += 1
                if not tlp_levels:
                    report.warn(case.id, "the event has no tlp: tag; the case is marked TLP:AMBER")
        report.case_id = case.id
        existing = {r[0] for r in store.db.conn.execute("SELECT id FROM objects WHERE case_id = ?", (case.id,))}
        records: list[Record] = []
        kept: list[tuple[str, str, str, str, Any]] = []

        def keep(kind: str, body: dict[str, Any], label: str) -> None:
            key = body.get("uuid") or body.get("name") or json.dumps(body, sort_keys=True)[:200]
            kept.append((case.id, f"misp-{kind}:{key}", OBJECT, "misp", {"kind": kind, "body": body}))
            report.kept_unknown[label] += 1

        def add(record: Record) -> None:
            if record.id in existing:
                report.unchanged[record.KIND] += 1
                return
            existing.add(record.id)
            records.append(record)

        # objects and attributes that carry the uuid of a record here are that record (our export)
        known_uuids = {object_id.split("--", 1)[1] for object_id in existing}
        attributes = [(a, None) for a in event.get("Attribute") or [] if isinstance(a, dict)]
        for obj in event.get("Object") or []:
            if not isinstance(obj, dict):
                continue
            if _uuid(obj.get("uuid")) in known_uuids:
                report.unchanged[f"object {obj.get('name', '?')}"] += 1
                continue
            attributes += [(a, obj.get("name")) for a in obj.get("Attribute") or [] if isinstance(a, dict)]
        for done, (attribute, object_name) in enumerate(attributes, 1):
            if done % 200 == 0:
                progress.update(done, len(attributes), "importing attributes")
            if _uuid(attribute.get("uuid")) in known_uuids:
                report.unchanged[f"attribute {attribute.get('type', '?')}"] += 1
                continue
            record = _record_of(attribute, object_name, case, report)
            if record is _REJECTED:
                continue
            if record is not None:
                add(record)
            else:
                body = dict(attribute)
                if object_name:
                    body["comment"] = (f"[{object_name}] " + str(body.get("comment") or "")).strip()
                keep("attribute", body, f"attribute {attribute.get('type', '?')}")
        catalog = default_catalog()
        seen_codes = {r[0] for r in store.db.conn.execute("SELECT code FROM techniques WHERE case_id = ?", (case.id,))}
        for tag in tags + [{"name": c.get("tag_name") or "", "cluster": c} for c in galaxy_tags]:
            label = tag["name"]
            if label.lower().startswith("tlp:"):
                continue
            cluster = tag.get("cluster") or {}
            if label.startswith(_DISARM_GALAXY) or cluster.get("type") == "disarm-techniques":
                text = str((cluster.get("meta") or {}).get("external_id") or "") or _tag_value(label)
                technique = catalog.match(text) or next(
                    (t for t in catalog.techniques() if t.name == _tag_value(label)), None)
                found = _CODE.search(text)
                code = technique.code if technique else found.group(0) if found else ""
                if code in seen_codes:
                    report.unchanged["technique-use"] += 1
                    continue
                if code:
                    seen_codes.add(code)
                    if technique is None:
                        report.unknown_technique(code)
                    add(TechniqueUse(id=f"technique-use--{_derived_uuid(case.id, code)}", case_id=case.id, code=code,
                                     note="from MISP galaxy tag"))
                    continue
            if label.startswith(_THREAT_ACTOR_GALAXY) or cluster.get("type") == "threat-actor":
                actor_name = str(cluster.get("value") or _tag_value(label)).strip()
                if actor_name:
                    meta = cluster.get("meta") or {}
                    add(Actor(id=f"actor--{_derived_uuid(case.id, 'actor', actor_name)}", case_id=case.id,
                              name=actor_name[:300], aliases=[str(s) for s in meta.get("synonyms", [])][:50],
                              description=str(cluster.get("description") or "")))
                    continue
            keep("tag", {"name": label}, "tag" if not cluster else f"galaxy {cluster.get('type', '?')}")
        for sighting in event.get("Sighting") or []:
            if isinstance(sighting, dict):
                keep("sighting", sighting, "sighting")
        store.add_many(records, progress)
        for record in records:
            report.added[record.KIND] += 1
        save_kept(store, kept)
    return report


def _record_of(attribute: dict[str, Any], object_name: str | None, case: Case, report: ImportReport) -> Record | None:
    """The observable or evidence an attribute stands for, or None to keep it as received."""
    kind = str(attribute.get("type", ""))
    value = str(attribute.get("value", "")).strip()
    uid = _uuid(attribute.get("uuid")) or _derived_uuid(case.id, kind, value)
    if "|" in kind and kind.startswith("filename|"):
        kind, value = kind.split("|", 1)[1], value.split("|", 1)[-1]
    comment = str(attribute.get("comment") or "")
    if object_name:
        comment = f"[{object_name}] {comment}".strip()
    try:
        if kind == "link":
            return Evidence(id=f"evidence--{uid}", case_id=case.id, title=(comment or value)[:300] or "link",
                            kind="url", url=value, source="MISP")
        observable_kind = _OBSERVABLE_TYPES.get(kind)
        if observable_kind and value:
            return Observable(id=f"observable--{uid}", case_id=case.id, value=value, kind=observable_kind, note=comment)
    except RRMDeskError as exc:
        report.reject(f"attribute {uid}", exc.message)
        return _REJECTED
    return None
