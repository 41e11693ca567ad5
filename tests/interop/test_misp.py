"""MISP event JSON: PyMISP loads our export; the PyMISP test events import."""

from __future__ import annotations

import json

import pytest
from pymisp import MISPEvent

from rrmdesk.errors import FormatError
from rrmdesk.interop.misp import export_misp, import_misp
from rrmdesk.model import Evidence, Observable, TechniqueUse
from tests.shared_data import shared

EVENTS = ["57c4445b-c548-4654-af0b-4be3950d210f.json", "misp_event.json", "new_misp_event.json",
          "mispevent_testfiles/event_obj_attr_tag.json", "mispevent_testfiles/event_tags.json",
          "reportlab_testfiles/galaxy_1.json", "reportlab_testfiles/japanese_test.json",
          "reportlab_testfiles/long_event.json", "reportlab_testfiles/mainly_objects_1.json",
          "reportlab_testfiles/sighting_1.json"]


def test_our_export_loads_in_pymisp(store, full_case):
    data = export_misp(store, full_case.id)
    event = MISPEvent()
    event.load(json.dumps(data))
    assert event.info == full_case.title
    tags = {t.name for t in event.tags}
    assert "tlp:amber" in tags
    assert 'misp-galaxy:disarm-techniques="Facilitate State Propaganda"' in tags
    assert {o.name for o in event.objects} >= {"file", "organization", "person", "narrative", "temporal-event"}
    values = {a.value for a in event.attributes}
    assert "https://lemonde.ltd/article" in values  # refanged, tracking removed
    screenshot = next(o for o in event.objects if o.name == "file")
    assert {a.object_relation for a in screenshot.attributes} >= {"sha256", "filename", "size-in-bytes"}


@pytest.mark.parametrize("name", EVENTS)
def test_pymisp_test_events_import(store, name):
    path = shared("pymisp-tests", "tests", *name.split("/"))
    report = import_misp(store, path)
    assert report.rejected_count == 0
    received = json.loads(path.read_text())
    event = received.get("Event", received)
    count = len(event.get("Attribute", [])) + sum(len(o.get("Attribute", [])) for o in event.get("Object", []))
    modelled = report.added["observable"] + report.added["evidence"]
    kept = sum(v for k, v in report.kept_unknown.items() if k.startswith("attribute"))
    assert modelled + kept == count  # nothing dropped silently
    again = MISPEvent()
    again.load(json.dumps(export_misp(store, report.case_id)))
    assert len(again.attributes) >= kept


def test_misp_tags_give_the_marking_and_observables(store):
    report = import_misp(store, shared("pymisp-tests", "tests", "57c4445b-c548-4654-af0b-4be3950d210f.json"))
    case = store.get_case(report.case_id)
    assert case.tlp == "clear" and case.title == "Ransomware - Xorist"
    assert case.id == "case--57c4445b-c548-4654-af0b-4be3950d210f"
    kinds = {o.kind for o in store.parts(case.id, Observable)}
    assert "hash" in kinds


def test_misp_round_trip_of_techniques_and_observables(store, full_case, second):
    report = import_misp(second, export_misp(store, full_case.id))
    assert sorted(t.code for t in second.parts(report.case_id, TechniqueUse)) == ["T0002", "T0097.109"]
    assert {o.normalized for o in second.parts(report.case_id, Observable)} >= {
        o.normalized for o in store.parts(full_case.id, Observable) if o.kind != "handle"}
    assert any(e.kind == "url" for e in second.parts(report.case_id, Evidence))
    again = import_misp(second, export_misp(store, full_case.id))
    assert again.total_added == 0


@pytest.mark.parametrize("name", ["mispevent_testfiles/galaxy.json", "mispevent_testfiles/sighting.json"])
def test_json_that_is_not_an_event_is_refused(store, name):
    with pytest.raises(FormatError, match="not a MISP event"):
        import_misp(store, shared("pymisp-tests", "tests", *name.split("/")))
    assert store.count_cases() == 0
