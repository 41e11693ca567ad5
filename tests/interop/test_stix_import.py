"""STIX 2.1 import: round trip between workspaces, the real bundles in shared/data, bad input."""

from __future__ import annotations

import copy
import io
import json

import pytest
from stix2validator import ValidationOptions, validate_instance

from rrmdesk.errors import Cancelled, FormatError, IntegrityError
from rrmdesk.interop import conflicts_of, provenance_of
from rrmdesk.interop.stix_export import export_case
from rrmdesk.interop.stix_import import import_stix
from rrmdesk.model import CASE_PARTS, Actor, Evidence
from rrmdesk.progress import Progress
from rrmdesk.store import Store
from tests.shared_data import shared

from .conftest import EVIDENCE_BYTES

DISARM_16 = ("disarm-frameworks", "generated_files", "DISARM_STIX", "DISARM.json")


def snapshot(store: Store, case_id: str) -> dict:
    """Every record of the case, field by field (created and modified included)."""
    out = {"case": store.get_case(case_id).to_dict()}
    for cls in CASE_PARTS:
        out[cls.KIND] = [r.to_dict() for r in store.parts(case_id, cls)]
    return out


def evidence_from(store: Store, case_id: str):
    def source(sha256: str):
        for record in store.parts(case_id, Evidence):
            if record.sha256 == sha256:
                return io.BytesIO(b"".join(store.evidence_chunks(record.id)))
        return None

    return source


def test_round_trip_between_workspaces_is_lossless(store, second, full_case):
    bundle = export_case(store, full_case.id, ministry="Global Affairs Canada")
    report = import_stix(second, bundle, evidence_source=evidence_from(store, full_case.id))
    assert report.ok and report.case_id == full_case.id
    assert report.kept_unknown == {} and report.kept_properties == {}
    assert snapshot(second, full_case.id) == snapshot(store, full_case.id)
    assert export_case(second, full_case.id, ministry="Global Affairs Canada") == bundle
    screenshot = next(e for e in second.parts(full_case.id, Evidence) if e.kind == "file")
    assert b"".join(second.evidence_chunks(screenshot.id)) == EVIDENCE_BYTES


def test_round_trip_through_a_file_stream(store, second, full_case, tmp_path):
    bundle = export_case(store, full_case.id)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    with path.open("rb") as stream:
        import_stix(second, stream)
    assert snapshot(second, full_case.id) == snapshot(store, full_case.id)


def test_file_evidence_without_its_bytes_is_imported_and_reported(store, second, full_case):
    report = import_stix(second, export_case(store, full_case.id))
    assert any("bytes did not come" in w.reason for w in report.warnings)
    assert report.added["evidence"] == 3


def test_wrong_evidence_bytes_roll_everything_back(store, second, full_case):
    with pytest.raises(IntegrityError):
        import_stix(second, export_case(store, full_case.id), evidence_source=lambda sha: io.BytesIO(b"forged"))
    assert second.count_cases() == 0


def test_cancel_rolls_everything_back(store, second, full_case):
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        import_stix(second, export_case(store, full_case.id), progress=progress)
    assert second.count_cases() == 0


def test_reimport_updates_what_was_not_edited_here_and_reports_conflicts(store, second, full_case):
    import_stix(second, export_case(store, full_case.id), provenance={"sender": "CA", "bundle_id": "b1", "signer": "SHA256:x"})
    actors = {a.name: a for a in store.parts(full_case.id, Actor)}
    store.edit(actors["Meta"].id, description="took the network down")
    store.edit(actors["Social Design Agency"].id, country="BY")
    second.edit(actors["Social Design Agency"].id, description="edited by the partner")
    report = import_stix(second, export_case(store, full_case.id), provenance={"sender": "CA", "bundle_id": "b2"})
    assert report.updated == {"actor": 1}
    assert report.conflict_count == 1 and report.conflicts[0].where == actors["Social Design Agency"].id
    assert second.get(actors["Meta"].id).description == "took the network down"
    assert second.get(actors["Social Design Agency"].id).description == "edited by the partner"
    saved = conflicts_of(second, full_case.id)
    assert saved[0]["incoming"]["extensions"]  # the whole incoming object is kept for the analyst
    history = provenance_of(second, actors["Meta"].id)
    assert [(h["sender"], h["bundle_id"]) for h in history] == [("CA", "b1"), ("CA", "b2")]
    assert history[0]["signer"] == "SHA256:x"


def test_disarm_v16_bundle_is_read_and_kept_not_turned_into_case_content(store):
    report = import_stix(store, shared(*DISARM_16))
    assert report.ok
    assert report.unknown_techniques == []
    assert report.added == {"case": 1}  # a framework is reference material, not case content
    assert report.kept_unknown["attack-pattern"] == 391 and report.kept_unknown["relationship"] == 288
    bundle = export_case(store, report.case_id)
    assert sum(1 for o in bundle["objects"] if o["type"] == "attack-pattern") == 391
    assert validate_instance(bundle, ValidationOptions(version="2.1")).errors == []


@pytest.mark.parametrize("parts", [("disarm-stix2-2023", "output", "DISARM.json"),
                                   ("disarm-stix-v2", "output", "DISARM.json"),
                                   ("disarm-v2-assessments", "CODE", "DISARM-STIX2", "output", "DISARM.json")])
def test_other_disarm_versions_report_codes_the_catalog_does_not_know(store, parts):
    report = import_stix(store, shared(*parts))
    assert report.rejected_count == 0
    if parts[0] == "disarm-v2-assessments":
        assert report.unknown_techniques == []  # A-codes are not techniques
    else:
        assert report.unknown_techniques and all(c.startswith("T0") for c in report.unknown_techniques)
        assert "DISARM codes not in the catalog" in "\n".join(report.lines())


def test_used_disarm_techniques_become_technique_uses_matched_by_code(store, case):
    pattern = json.loads(shared(*DISARM_16).read_text())["objects"]
    t0002 = next(o for o in pattern if o["type"] == "attack-pattern"
                 and o["external_references"][0]["external_id"] == "T0002")
    actor = {"type": "threat-actor", "spec_version": "2.1", "id": "threat-actor--0b0c1cde-7b39-4c53-9d5e-4ff1e1f4a3b1",
             "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "Storm-1516"}
    uses = {"type": "relationship", "spec_version": "2.1", "id": "relationship--6a3f0c43-0b1b-4fb7-8a55-3c4ffdbc1e8e",
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
            "relationship_type": "uses", "source_ref": actor["id"], "target_ref": t0002["id"]}
    report = import_stix(store, {"type": "bundle", "id": "bundle--5d0f9d2c-1d84-4b4a-9a55-0f9b0b7f7d8e",
                                 "objects": [t0002, actor, uses]}, case_id=case.id)
    assert report.added == {"actor": 1, "technique-use": 1, "relationship": 1}
    from rrmdesk.model import TechniqueUse

    assert [t.code for t in store.parts(case.id, TechniqueUse)] == ["T0002"]
    assert report.kept_properties["technique-use"] == 1  # mitre-attack labels, kill chain: kept


def test_oasis_examples_import_and_export_valid(store):
    folder = shared("oasis-cti-documentation", "examples", "example_json")
    for path in sorted(folder.glob("*.json")):
        report = import_stix(store, path)
        assert report.rejected_count == 0, path.name
        bundle = export_case(store, report.case_id)
        assert validate_instance(bundle, ValidationOptions(version="2.1")).errors == [], path.name
        received = {o["id"] for o in json.loads(path.read_text())["objects"]}
        exported = {o["id"] for o in bundle["objects"]}
        # everything comes back under its own id; only TLP 1.0 markings are now TLP 2.0 ones
        assert {i.split("--")[0] for i in received - exported} <= {"marking-definition"}, path.name


def test_threat_actor_profile_keeps_properties_rrm_desk_does_not_model(store):
    path = shared("oasis-cti-documentation", "examples", "example_json", "identifying-a-threat-actor-profile.json")
    received = {o["id"]: o for o in json.loads(path.read_text())["objects"]}
    report = import_stix(store, path)
    bundle = export_case(store, report.case_id)
    actor = next(o for o in bundle["objects"] if o["type"] == "threat-actor")
    for name, value in received[actor["id"]].items():
        assert actor[name] == value, name  # roles, goals, sophistication... all come back


def test_dangling_marking_in_opencti_geography_is_reported_not_fatal(store):
    report = import_stix(store, shared("opencti-datasets", "data", "geography.json"))
    assert report.rejected_count == 0
    assert report.kept_unknown["location"] == 272
    dangling = [w for w in report.warnings if w.where.startswith("marking-definition--613f2e26")]
    assert dangling and "TLP 1.0 WHITE" in dangling[0].reason


def test_dangling_reference_to_nothing_is_reported(store, case):
    note = {"type": "note", "spec_version": "2.1", "id": "note--4b4fa6e0-6bdb-4a6e-8ad3-55ab1c0b6b5f",
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "content": "x",
            "object_refs": ["indicator--9d4b3a58-67c8-4bd5-9d0a-0a0b2c9f1f44"]}
    report = import_stix(store, {"type": "bundle", "id": "bundle--1", "objects": [note]}, case_id=case.id)
    assert report.kept_unknown == {"note": 1}
    assert "dangling" in report.warnings[0].reason


def test_duplicate_ids_keep_the_copy_modified_last(store, full_case, second):
    bundle = export_case(store, full_case.id)
    actor = next(o for o in bundle["objects"] if o["type"] == "threat-actor")
    newer = copy.deepcopy(actor)
    newer["modified"] = "2099-01-01T00:00:00.000Z"
    newer["name"] = "Renamed later"
    bundle["objects"].insert(len(bundle["objects"]) - 1, newer)
    report = import_stix(second, bundle)
    assert any("more than once" in w.reason for w in report.warnings)
    assert second.get("actor--" + actor["id"].split("--")[1]).name == "Renamed later"


def test_stix_20_bundle_is_refused_as_unsupported_version(store):
    with pytest.raises(FormatError, match="STIX 2.0.*unsupported version"):
        import_stix(store, shared("pymisp-tests", "tests", "stix2.json"))
    with pytest.raises(FormatError, match="unsupported version"):
        import_stix(store, json.loads(shared("pymisp-tests", "tests", "stix2.json").read_text()))


def test_stix_1_xml_is_refused_as_unsupported_version(store):
    folder = shared("meta-threat-research", "indicators", "stix1")
    with pytest.raises(FormatError, match=r"STIX 1\.x.*unsupported version"):
        import_stix(store, next(folder.glob("*.xml")))


@pytest.mark.parametrize("data, message", [
    (b"this is not json at all\njust words", "not JSON"),
    (b'{"type": "bundle", "id": "bundle--1", "objects": [{"type": "identity", "id": "identity--1", "na',
     "truncated"),
    (b"", "empty"),
    (b'{"type": "bundle", "objects": [] } trailing', "not valid JSON"),
    (b'{"type": "bundle", "objects": [{"type": "x", "id": "x--1"}\xff]}', "not UTF-8"),
])
def test_bad_files_are_refused_and_nothing_is_imported(store, tmp_path, data, message):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        import_stix(store, path)
    assert store.count_cases() == 0


def test_truncated_real_bundle_imports_nothing(store, tmp_path):
    data = shared(*DISARM_16).read_bytes()
    path = tmp_path / "cut.json"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(FormatError, match="truncated"):
        import_stix(store, path)
    assert store.count_cases() == 0


def test_object_kept_from_a_file_is_exported_as_the_copy_that_won(store, case, tmp_path):
    """Kept objects are stored as the text read from the file: an indented file, non-ASCII text
    and a duplicate id (the copy modified last wins) all come back as the parsed object."""
    older = {"type": "note", "spec_version": "2.1", "id": "note--0d8e3d4c-2b9e-4f6a-9c1d-7f3a2e5b6c10",
             "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
             "content": "première version", "object_refs": [case.id.replace("case--", "grouping--")]}
    newer = {**older, "modified": "2024-02-01T00:00:00.000Z", "content": "Доппельгангер, «version» 2",
             "labels": ["b", "a"], "x_partner": {"nested": [1, 2.5, None, True]}}
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"type": "bundle", "id": "bundle--1", "objects": [older, newer]},
                               indent=2, ensure_ascii=False), encoding="utf-8")
    report = import_stix(store, path, case_id=case.id)
    assert report.kept_unknown == {"note": 1}
    exported = [o for o in export_case(store, case.id)["objects"] if o["id"] == newer["id"]]
    assert exported == [newer]
