"""The RRM Desk STIX extension: where case data that STIX has no property for travels.

STIX 2.1 lets a producer define an ``extension-definition`` and ship it in the bundle. Ours is
both a *new-sdo* extension (two object types STIX lacks: ``x-rrmdesk-event`` for a dated event on
the case timeline and ``x-rrmdesk-narrative`` for a narrative) and a *property-extension* (fields
of standard objects STIX has no place for: a case's status and severity, an actor's country,
Admiralty grades, chain of custody...). A partner's tool that ignores the extension still reads
the standard properties; another RRM Desk reads everything back exactly.

The ids below are fixed forever: a partner recognises the extension by its id.
"""

from __future__ import annotations

import uuid
from typing import Any

EXTENSION_ID = "extension-definition--cde4f238-8d8f-4777-acbd-e29e5fcb15f3"
#: The identity that authored the extension (``created_by_ref`` is required on it).
AUTHOR_ID = "identity--f291b157-61b8-45bc-af28-aa068344218a"
#: Namespace for the ids of objects derived from a record (its campaign, a ``uses`` link).
DERIVED_NAMESPACE = uuid.UUID("ba2995fa-0bdb-490b-a386-86a150be631d")
EXTENSION_CREATED = "2026-11-01T00:00:00.000Z"
EXTENSION_VERSION = "1.0.0"

EVENT_TYPE = "x-rrmdesk-event"
NARRATIVE_TYPE = "x-rrmdesk-narrative"
NEW_TYPES = (EVENT_TYPE, NARRATIVE_TYPE)

#: Key inside our property extension naming the RRM Desk kind of the object.
KIND_KEY = "rrm_kind"
#: ``rrm_kind`` of objects generated from others on export and skipped on import.
DERIVED = "derived"
#: ``rrm_kind`` of the exporting ministry's identity.
MINISTRY = "ministry"

SCHEMA = (
    "RRM Desk case data (version 1). New object types: x-rrmdesk-event (properties: name, "
    "start, end, description, category, location, platform, actor_refs, narrative_refs, "
    "evidence_refs, techniques as DISARM T-codes, reliability A-F, credibility 1-6, key) and "
    "x-rrmdesk-narrative (name, description, lang, first_seen). Property extension on "
    "standard objects: rrm_kind names the RRM Desk object kind (case, actor, evidence, "
    "observable, technique-use, judgment, response, derived, ministry); every other key is a "
    "field of that kind that the standard STIX properties do not carry, under its RRM Desk "
    "name (for example status, severity, country, custody, likelihood). A key present with "
    "null means 'not set'. Objects with rrm_kind 'derived' are generated from the others."
)


def author_identity() -> dict[str, Any]:
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": AUTHOR_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "RRM Desk",
        "description": "Case-management tool of the G7 Rapid Response Mechanism analysts",
        "identity_class": "system",
    }


def extension_definition() -> dict[str, Any]:
    return {
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": EXTENSION_ID,
        "created_by_ref": AUTHOR_ID,
        "created": EXTENSION_CREATED,
        "modified": EXTENSION_CREATED,
        "name": "RRM Desk case data",
        "description": "Fields of RRM Desk foreign-interference cases that STIX 2.1 has no property for",
        "schema": SCHEMA,
        "version": EXTENSION_VERSION,
        "extension_types": ["new-sdo", "property-extension"],
    }


def derived_id(stix_type: str, *parts: str) -> str:
    """A stable id for an object generated from records, the same on every export."""
    return f"{stix_type}--{uuid.uuid5(DERIVED_NAMESPACE, '|'.join(parts))}"


def property_extension(obj: dict[str, Any]) -> dict[str, Any] | None:
    """Our property-extension block of ``obj``, or None if it carries none."""
    extensions = obj.get("extensions")
    if not extensions:  # most foreign objects: asked once per object of every import
        return None
    ext = extensions.get(EXTENSION_ID)
    return ext if isinstance(ext, dict) else None


def kind_of(obj: dict[str, Any]) -> str:
    """The RRM Desk kind an object declares (empty for foreign objects)."""
    if obj.get("type") in NEW_TYPES:
        return "event" if obj["type"] == EVENT_TYPE else "narrative"
    ext = property_extension(obj)
    return str(ext.get(KIND_KEY, "")) if ext else ""
