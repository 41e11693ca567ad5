"""The STIX export: valid for the real stix2-validator, complete, deterministic, TLP 2.0 ids."""

from __future__ import annotations

import io
import json

from stix2validator import ValidationOptions, validate_instance

from rrmdesk.interop.extension import EXTENSION_ID, EVENT_TYPE, NARRATIVE_TYPE
from rrmdesk.interop.stix_export import export_case, write_bundle
from rrmdesk.interop.stix_markings import TLP2_IDS


def test_export_passes_the_validator_with_no_errors(store, full_case):
    bundle = export_case(store, full_case.id, ministry="Global Affairs Canada")
    result = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert result.errors == []
    assert result.is_valid


def test_export_holds_every_record_under_one_grouping(store, full_case):
    bundle = export_case(store, full_case.id, ministry="Global Affairs Canada")
    by_id = {o["id"]: o for o in bundle["objects"]}
    grouping = by_id["grouping--" + full_case.id.split("--")[1]]
    assert grouping["name"] == full_case.title
    types = sorted(by_id[ref]["type"] for ref in grouping["object_refs"])
    assert types.count(EVENT_TYPE) == 2 and types.count(NARRATIVE_TYPE) == 1
    assert {"threat-actor", "identity", "attack-pattern", "note", "course-of-action", "campaign", "relationship",
            "file", "url", "artifact", "domain-name", "email-addr", "user-account"} <= set(types)
    counts = store.counts(full_case.id)
    assert len(grouping["object_refs"]) == sum(counts.values()) + 1 + counts["technique-use"]  # campaign, uses
    assert any(o["type"] == "extension-definition" and o["id"] == EXTENSION_ID for o in bundle["objects"])
    ministry = [o for o in bundle["objects"] if o.get("name") == "Global Affairs Canada"]
    assert ministry and ministry[0]["type"] == "identity"
    assert grouping["created_by_ref"] == ministry[0]["id"]


def test_techniques_carry_disarm_references_and_a_uses_link(store, full_case):
    bundle = export_case(store, full_case.id)
    patterns = [o for o in bundle["objects"] if o["type"] == "attack-pattern"]
    refs = {p["external_references"][0]["external_id"]: p["external_references"][0] for p in patterns}
    assert refs["T0097.109"]["source_name"] == "DISARM"
    assert refs["T0097.109"]["url"].endswith("/techniques/T0097.109.md")
    uses = [o for o in bundle["objects"] if o.get("relationship_type") == "uses"]
    assert {u["target_ref"] for u in uses} == {p["id"] for p in patterns}
    assert {u["source_ref"] for u in uses} == {"campaign--" + full_case.id.split("--")[1]}


def test_markings_use_the_official_tlp2_ids(store, full_case):
    bundle = export_case(store, full_case.id)
    markings = {o["id"]: o for o in bundle["objects"] if o["type"] == "marking-definition"}
    assert set(markings) == {TLP2_IDS["amber"], TLP2_IDS["amber+strict"], TLP2_IDS["red"]}
    assert markings[TLP2_IDS["red"]]["name"] == "TLP:RED"
    used = {ref for o in bundle["objects"] for ref in o.get("object_marking_refs", [])}
    assert used == set(markings)


def test_export_is_deterministic_and_writes_utf8(store, full_case):
    first = export_case(store, full_case.id, ministry="MFA")
    second = export_case(store, full_case.id, ministry="MFA")
    assert first == second
    out = io.BytesIO()
    write_bundle(first, out)
    assert json.loads(out.getvalue().decode("utf-8")) == first
    assert "démarche".encode() in out.getvalue()
