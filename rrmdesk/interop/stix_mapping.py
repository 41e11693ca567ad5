"""The one table that maps RRM Desk records to STIX 2.1 objects and back.

Export and import both read ``SHAPES``, so the two directions cannot drift apart. Ids keep their
UUID: ``actor--U`` becomes ``threat-actor--U`` (or ``identity--U``) and comes back as ``actor--U``.

| RRM Desk        | STIX 2.1                                                                   |
|-----------------|----------------------------------------------------------------------------|
| case            | ``grouping`` (context suspicious-activity) holding every object, plus a    |
|                 | derived ``campaign`` with the same UUID as the operation that ``uses`` the |
|                 | techniques                                                                 |
| actor           | ``threat-actor``; ``identity`` for kinds individual and organisation      |
| event           | ``x-rrmdesk-event`` (new SDO of our extension: STIX has no dated event)   |
| narrative       | ``x-rrmdesk-narrative`` (new SDO)                                          |
| evidence        | ``file`` with SHA-256 (bytes travel beside the bundle), ``url``, or       |
|                 | ``artifact`` holding the text                                              |
| relationship    | ``relationship``                                                           |
| observable      | ``url``, ``domain-name``, ``email-addr``, ``file`` (hash), ``user-account`` |
| technique-use   | ``attack-pattern`` with the DISARM T-code as external reference           |
| judgment        | ``note`` on the campaign (likelihood in the extension)                    |
| response        | ``course-of-action`` with the DISARM countermeasure code                  |

A field goes into the RRM Desk extension when no STIX property carries it, or when the STIX
property would lose something (a defanged URL, "moderate" confidence as the number 50): the rule
is checked per value by mapping it there and back, so a round trip is exact by construction.
"""

from __future__ import annotations

import base64
import functools
import binascii
import hashlib
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, Protocol

from ..disarm import code_from_url, default_catalog
from ..model import (
    Actor,
    Case,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Record,
    Relationship,
    Response,
    TechniqueUse,
)
from ..observables import refang
from . import extension as ext
from .stix_markings import marking_id

DISARM_SOURCE = "DISARM"
CONFIDENCE_NUMBER = {"low": 15, "moderate": 50, "high": 85}
_HASH_ALGORITHMS = {32: "MD5", 40: "SHA-1", 64: "SHA-256", 128: "SHA-512"}
#: Fields never written to STIX properties or the extension: the id, the case (the grouping
#: says it), the marking (object_marking_refs say it), values recomputed on load.
_IMPLICIT = frozenset({"id", "case_id", "tlp", "normalized"})
#: Carried key saying the record has no marking of its own (STIX forbids null values).
TLP_FROM_CASE = "tlp_from_case"


class IdMap(Protocol):
    """Translates ids between the two worlds for reference properties."""

    def to_stix(self, internal_id: str) -> str: ...

    def to_internal(self, stix_id: str) -> str | None: ...


def _same(value: Any, ids: IdMap) -> Any:
    return value


def _ref_out(value: str, ids: IdMap) -> str:
    return ids.to_stix(value)


def _ref_back(value: str, ids: IdMap) -> str:
    return ids.to_internal(value) or value


def _refs_out(values: list[str], ids: IdMap) -> list[str]:
    return [ids.to_stix(v) for v in values]


def _refs_back(values: list[str], ids: IdMap) -> list[str]:
    return [ids.to_internal(v) or v for v in values]


def _confidence_out(value: str, ids: IdMap) -> int:
    return CONFIDENCE_NUMBER[value]


def _confidence_back(value: Any, ids: IdMap) -> str | None:
    """STIX appendix A "Low/Med/High" scale: 1-29 low, 30-69 moderate, 70-100 high."""
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    return "low" if value < 30 else "moderate" if value < 70 else "high"


def _sha256_out(value: str, ids: IdMap) -> dict[str, str]:
    return {"SHA-256": value}


def _sha256_back(value: Any, ids: IdMap) -> str:
    return str(value.get("SHA-256", "")).lower() if isinstance(value, dict) else ""


def _hash_out(value: str, ids: IdMap) -> dict[str, str]:
    digest = value.strip().lower()
    return {_HASH_ALGORITHMS.get(len(digest), "SHA-256"): digest}


def _hash_back(value: Any, ids: IdMap) -> str:
    if not isinstance(value, dict) or not value:
        return ""
    for algorithm in ("SHA-256", "SHA-512", "SHA-1", "MD5"):
        if algorithm in value:
            return str(value[algorithm])
    return str(next(iter(value.values())))


def _refang_out(value: str, ids: IdMap) -> str:
    return refang(value)


def _text_out(value: str, ids: IdMap) -> str:
    return base64.b64encode(value.encode()).decode()


def _text_back(value: Any, ids: IdMap) -> str:
    try:
        return base64.b64decode(str(value), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return ""


def technique_reference(code: str) -> dict[str, str]:
    technique = default_catalog().get(code)
    reference = {"source_name": DISARM_SOURCE, "external_id": code}
    if technique is not None:
        reference["url"] = technique.url
    return reference


def _technique_out(code: str, ids: IdMap) -> list[dict[str, str]]:
    return [technique_reference(code)]


def technique_code(references: Any) -> str:
    """The DISARM T-code an attack-pattern names, by external id or DISARM page URL.

    Any ``source_name`` is accepted: the official DISARM bundles label theirs ``mitre-attack``.
    """
    catalog = default_catalog()
    for reference in references if isinstance(references, list) else []:
        if not isinstance(reference, dict):
            continue
        for text in (str(reference.get("external_id", "")), str(reference.get("url", ""))):
            if not text:
                continue
            technique = catalog.match(text)
            if technique is not None:
                return technique.code
            code = code_from_url(text) if "/" in text else text.strip().upper()
            if code and code.startswith("T") and code[1:5].isdigit():
                return code
    return ""


def _technique_back(value: Any, ids: IdMap) -> str:
    return technique_code(value)


def _countermeasure_out(code: str, ids: IdMap) -> list[dict[str, str]]:
    return [{"source_name": DISARM_SOURCE, "external_id": code}]


def _countermeasure_back(value: Any, ids: IdMap) -> str:
    for reference in value if isinstance(value, list) else []:
        code = str(reference.get("external_id", "")) if isinstance(reference, dict) else ""
        if code.startswith("C") and code[1:].isdigit():
            return code
    return ""


_THREAT_ACTOR_TYPES = {"state": "nation-state", "state-affiliated": "nation-state", "media-outlet": "sensationalist"}


def _actor_types_out(kind: str, ids: IdMap) -> list[str]:
    return [_THREAT_ACTOR_TYPES.get(kind, "unknown")]


def _actor_types_back(value: Any, ids: IdMap) -> str:
    return "state" if isinstance(value, list) and "nation-state" in value else "unknown"


def _identity_class_out(kind: str, ids: IdMap) -> str:
    return "individual" if kind == "individual" else "organization"


def _identity_class_back(value: Any, ids: IdMap) -> str:
    return "individual" if value == "individual" else "organisation"


@dataclass(frozen=True)
class Prop:
    """One record field carried by one STIX property, with the conversion each way."""

    field: str
    name: str
    out: Callable[[Any, IdMap], Any] = _same
    back: Callable[[Any, IdMap], Any] = _same


@dataclass(frozen=True, eq=False)
class Shape:
    kind: str
    record: type[Record]
    stix_type: str
    props: tuple[Prop, ...]
    #: field values the STIX type itself implies (evidence of type ``url`` is kind "url")
    implied: dict[str, Any] = field(default_factory=dict)
    #: STIX properties that follow from the record and are not read back
    derived: Callable[[Record], dict[str, Any]] = lambda record: {}
    #: an SCO: no created/modified properties, no created_by_ref
    observable: bool = False

    @property
    def new_type(self) -> bool:
        return self.stix_type in ext.NEW_TYPES

    @functools.cached_property
    def field_set(self) -> frozenset[str]:
        """The record's field names (bulk imports look this up for every object)."""
        return frozenset(self.record.field_names())


_DATES = (Prop("created", "created"), Prop("modified", "modified"))
_REF = dict(out=_ref_out, back=_ref_back)
_REFS = dict(out=_refs_out, back=_refs_back)
_CONFIDENCE = dict(out=_confidence_out, back=_confidence_back)


def _text_hash(record: Record) -> dict[str, Any]:
    data = getattr(record, "text", "").encode()
    return {"mime_type": "text/plain", "hashes": {"SHA-256": hashlib.sha256(data).hexdigest()}}


def _technique_name(record: Record) -> dict[str, Any]:
    technique = default_catalog().get(getattr(record, "code", ""))
    return {"name": f"{technique.code} {technique.name}" if technique else getattr(record, "code", "")}


SHAPES: tuple[Shape, ...] = (
    Shape("case", Case, "grouping", (Prop("title", "name"), Prop("summary", "description"), *_DATES),
          derived=lambda r: {"context": "suspicious-activity"}),
    Shape("actor", Actor, "threat-actor", (
        Prop("name", "name"), Prop("description", "description"), Prop("aliases", "aliases"),
        Prop("kind", "threat_actor_types", _actor_types_out, _actor_types_back), *_DATES)),
    Shape("actor", Actor, "identity", (
        Prop("name", "name"), Prop("description", "description"),
        Prop("kind", "identity_class", _identity_class_out, _identity_class_back), *_DATES)),
    Shape("narrative", Narrative, ext.NARRATIVE_TYPE, (
        Prop("title", "name"), Prop("description", "description"), Prop("language", "lang"),
        Prop("first_seen", "first_seen"), *_DATES)),
    Shape("event", Event, ext.EVENT_TYPE, (
        Prop("title", "name"), Prop("start", "start"), Prop("end", "end"), Prop("description", "description"),
        Prop("category", "category"), Prop("location", "location"), Prop("platform", "platform"),
        Prop("actor_ids", "actor_refs", **_REFS), Prop("narrative_ids", "narrative_refs", **_REFS),
        Prop("evidence_ids", "evidence_refs", **_REFS), Prop("techniques", "techniques"),
        Prop("reliability", "reliability"), Prop("credibility", "credibility"), Prop("key", "key"), *_DATES)),
    Shape("evidence", Evidence, "file", (
        Prop("filename", "name"), Prop("size", "size"), Prop("media_type", "mime_type"),
        Prop("sha256", "hashes", _sha256_out, _sha256_back)), implied={"kind": "file"}, observable=True),
    Shape("evidence", Evidence, "url", (Prop("url", "value"),), implied={"kind": "url"}, observable=True),
    Shape("evidence", Evidence, "artifact", (Prop("text", "payload_bin", _text_out, _text_back),),
          implied={"kind": "text"}, derived=_text_hash, observable=True),
    Shape("relationship", Relationship, "relationship", (
        Prop("type", "relationship_type"), Prop("source_id", "source_ref", **_REF),
        Prop("target_id", "target_ref", **_REF), Prop("description", "description"),
        Prop("first_seen", "start_time"), Prop("last_seen", "stop_time"),
        Prop("confidence", "confidence", **_CONFIDENCE), *_DATES)),
    Shape("observable", Observable, "url", (Prop("value", "value", _refang_out),),
          implied={"kind": "url"}, observable=True),
    Shape("observable", Observable, "domain-name", (Prop("value", "value", _refang_out),),
          implied={"kind": "domain"}, observable=True),
    Shape("observable", Observable, "email-addr", (Prop("value", "value", _refang_out),),
          implied={"kind": "email"}, observable=True),
    Shape("observable", Observable, "file", (Prop("value", "hashes", _hash_out, _hash_back),),
          implied={"kind": "hash"}, observable=True),
    Shape("observable", Observable, "user-account", (Prop("value", "account_login"),),
          implied={"kind": "handle"}, observable=True),
    Shape("technique-use", TechniqueUse, "attack-pattern", (
        Prop("code", "external_references", _technique_out, _technique_back),
        Prop("note", "description"), *_DATES), derived=_technique_name),
    Shape("judgment", Judgment, "note", (
        Prop("statement", "content"), Prop("confidence", "confidence", **_CONFIDENCE), *_DATES),
          derived=lambda r: {"abstract": "Key judgment"}),
    Shape("response", Response, "course-of-action", (
        Prop("action", "name"), Prop("countermeasure", "external_references", _countermeasure_out,
                                     _countermeasure_back), *_DATES)),
)

_BY_TYPE: dict[tuple[str, str], Shape] = {(s.kind, s.stix_type): s for s in SHAPES}
#: Kind -> STIX type for the kinds that always map to one type (the first shape of the kind).
_TYPE_OF_KIND: dict[str, str] = {}
for _shape in SHAPES:
    _TYPE_OF_KIND.setdefault(_shape.kind, _shape.stix_type)
_OBSERVABLE_TYPES = {"url": "url", "domain": "domain-name", "email": "email-addr", "hash": "file"}
_EVIDENCE_TYPES = {"file": "file", "url": "url", "text": "artifact"}
#: STIX types a foreign object may have to be read as each kind (first match wins).
FOREIGN_KINDS: dict[str, str] = {
    "threat-actor": "actor",
    "identity": "actor",
    "attack-pattern": "technique-use",
    "url": "observable",
    "domain-name": "observable",
    "email-addr": "observable",
    "user-account": "observable",
    "file": "observable",
    "relationship": "relationship",
}
#: STIX type -> RRM Desk kinds it may stand for, for ids that are referenced but not in a bundle.
KINDS_OF_TYPE: dict[str, tuple[str, ...]] = {}
for _shape in SHAPES:
    KINDS_OF_TYPE.setdefault(_shape.stix_type, ())
    if _shape.kind not in KINDS_OF_TYPE[_shape.stix_type]:
        KINDS_OF_TYPE[_shape.stix_type] += (_shape.kind,)


def stix_type_of(record: Record) -> str:
    """The STIX type a record is exported as (the UUID stays the record's)."""
    if isinstance(record, Actor):
        return "identity" if record.kind in ("individual", "organisation") else "threat-actor"
    if isinstance(record, Evidence):
        return _EVIDENCE_TYPES[record.kind]
    if isinstance(record, Observable):
        return _OBSERVABLE_TYPES.get(record.kind, "user-account")
    return _TYPE_OF_KIND[record.KIND]


def stix_id_of(record: Record) -> str:
    return f"{stix_type_of(record)}--{record.id.split('--', 1)[1]}"


_NO_DEFAULT = object()


@functools.cache
def _defaults(cls: type[Record]) -> dict[str, Any]:
    """Field -> default value of a record class (read-only: only compared against)."""
    out: dict[str, Any] = {}
    for f in fields(cls):
        if f.default is not MISSING:
            out[f.name] = f.default
        elif f.default_factory is not MISSING:  # type: ignore[misc]
            out[f.name] = f.default_factory()  # type: ignore[misc]
        else:
            out[f.name] = _NO_DEFAULT
    return out


@functools.cache
def _unmapped(shape: Shape) -> tuple[str, ...]:
    """Fields of the shape's record that only the extension can carry."""
    mapped = {p.field for p in shape.props} | set(shape.implied) | _IMPLICIT
    return tuple(name for name in _defaults(shape.record) if name not in mapped)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _shape_of(record: Record) -> Shape:
    return _BY_TYPE[(record.KIND, stix_type_of(record))]


def _properties(record: Record, shape: Shape, ids: IdMap, obj: dict[str, Any]) -> list[Any]:
    """Write the STIX properties ``shape`` maps into ``obj``; return the field values read.

    Every object of a bulk import goes through here; ``_same`` conversions are skipped rather
    than called, the values read once."""
    values = [getattr(record, prop.field) for prop in shape.props]
    for prop, value in zip(shape.props, values):
        if not _empty(value) and not (value is False and prop.field == "key"):
            obj[prop.name] = value if prop.out is _same else prop.out(value, ids)
    obj.update(shape.derived(record))
    if "start_time" in obj and "stop_time" in obj and obj["stop_time"] <= obj["start_time"]:
        del obj["stop_time"]  # STIX wants stop after start; the extension keeps the value
    return values


def stix_properties(record: Record, ids: IdMap) -> dict[str, Any]:
    """The STIX properties ``record_to_stix`` writes for the record's own fields, without type,
    id, markings and extension: what an import compares a received object with to know which
    of its properties the record cannot carry (building the whole object for that doubled the
    mapping's share of a bulk import)."""
    obj: dict[str, Any] = {}
    _properties(record, _shape_of(record), ids, obj)
    return obj


def record_to_stix(record: Record, ids: IdMap, case_tlp: str) -> dict[str, Any]:
    """The STIX object for one record, without created_by_ref and kept properties."""
    stix_type = stix_type_of(record)
    shape = _BY_TYPE[(record.KIND, stix_type)]
    obj: dict[str, Any] = {"type": stix_type, "spec_version": "2.1", "id": f"{stix_type}--{record.id.split('--', 1)[1]}"}
    carried: dict[str, Any] = {}
    values = _properties(record, shape, ids, obj)
    defaults = _defaults(shape.record)
    for prop, value in zip(shape.props, values):
        if prop.name in obj:
            written = obj[prop.name]
            back = written if prop.back is _same else prop.back(written, ids)
        else:
            back = defaults[prop.field]
        if back != value:
            carried[prop.field] = value
    for name, implied in shape.implied.items():
        if getattr(record, name) != implied:
            carried[name] = getattr(record, name)
    for name in _unmapped(shape):
        value = getattr(record, name)
        if value != defaults[name]:
            carried[name] = value
    level = getattr(record, "tlp", None)
    if isinstance(record, Case) or level is not None:
        obj["object_marking_refs"] = [marking_id(level or case_tlp)]
    else:
        obj["object_marking_refs"] = [marking_id(case_tlp)]
        carried[TLP_FROM_CASE] = True  # marked as the case, not with a marking of its own
    if shape.new_type:
        obj.update(carried)
        obj["extensions"] = {ext.EXTENSION_ID: {"extension_type": "new-sdo"}}
    else:
        obj["extensions"] = {ext.EXTENSION_ID: {"extension_type": "property-extension", ext.KIND_KEY: record.KIND, **carried}}
    return obj


def fields_from_stix(obj: dict[str, Any], kind: str, ids: IdMap) -> tuple[type[Record], dict[str, Any]]:
    """Record class and field values read from a STIX object (validation is the caller's).

    ``tlp`` is included only when the extension says it; ``case_id`` never.
    """
    shape = _BY_TYPE[(kind, obj["type"])]
    values: dict[str, Any] = dict(shape.implied)
    for prop in shape.props:
        if prop.name in obj:
            values[prop.field] = obj[prop.name] if prop.back is _same else prop.back(obj[prop.name], ids)
    new_type = shape.new_type
    source = obj if new_type else ext.property_extension(obj) if "extensions" in obj else None
    if source:
        names = shape.field_set
        values.update({k: v for k, v in source.items() if k in names and (k not in values or not new_type)})
        if source.get(TLP_FROM_CASE) is True:
            values["tlp"] = None
        for name in ("id", "case_id"):
            values.pop(name, None)
    return shape.record, values
