"""The fast paths of a bulk STIX import keep every behaviour of the plain ones.

Audit entries written without a dict per entry hash the same bytes; a bundle read twice (too big
to remember) records its id even when ``id`` follows ``objects``; records that wait for the ones
they point at go in once those are stored, across batches; every record still gets its audit
entry and full-text row.
"""

from __future__ import annotations

import json
import uuid

import pytest

from rrmdesk import audit
from rrmdesk.errors import UsageError
from rrmdesk.interop import provenance_of, stix_import
from rrmdesk.interop.stix_import import import_stix
from rrmdesk.model import Actor, Observable, Relationship

STAMP = "2024-05-01T12:00:00.000Z"


def _uid(n: int) -> str:
    return str(uuid.UUID(int=n, version=4))


def bundle(actors: int, relationships_first: bool = False) -> dict:
    """Actors, a domain each and a relationship between them (optionally before their ends)."""
    ends, links = [], []
    for n in range(actors):
        actor, domain = f"threat-actor--{_uid(2 * n + 1)}", f"domain-name--{_uid(2 * n + 2)}"
        ends.append({"type": "threat-actor", "spec_version": "2.1", "id": actor, "created": STAMP, "modified": STAMP,
                     "name": f"Network {n}", "description": f"clone outlet number {n}"})
        ends.append({"type": "domain-name", "spec_version": "2.1", "id": domain, "value": f"clone{n}.example"})
        links.append({"type": "relationship", "spec_version": "2.1", "id": f"relationship--{_uid(10_000 + n)}",
                      "created": STAMP, "modified": STAMP, "relationship_type": "related-to",
                      "source_ref": actor, "target_ref": domain})
    objects = links + ends if relationships_first else ends + links
    return {"type": "bundle", "id": f"bundle--{_uid(99_999)}", "objects": objects}


@pytest.mark.parametrize("text", ["plain", "é ü « » 😀", 'quote " and \\ backslash', "control \n\t\x00\x1f \u2028"])
def test_audit_entry_bytes_are_the_canonical_json_of_the_entry(text):
    entry = {"seq": 12, "at": text, "analyst": text, "action": text, "object_id": text, "change": text}
    expected = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert audit.canonical(12, text, text, text, text, text) == expected


def test_records_waiting_for_later_ends_go_in_across_batches(store, monkeypatch):
    monkeypatch.setattr(stix_import, "_BATCH", 3)
    report = import_stix(store, bundle(10, relationships_first=True))
    assert report.ok and report.rejected_count == 0
    assert report.added == {"case": 1, "actor": 10, "observable": 10, "relationship": 10}
    links = store.parts(report.case_id, Relationship)
    assert len(links) == 10 and {r.source_id.split("--")[0] for r in links} == {"actor"}


def test_every_imported_record_has_one_audit_entry_and_a_search_row(store):
    before = store.verify_audit().entries
    report = import_stix(store, bundle(25))
    added = sum(report.added.values())
    chain = store.verify_audit()
    assert chain.ok and chain.entries == before + added
    entries = list(store.audit_entries())[before:]
    assert len({e.object_id for e in entries}) == added
    hits = store.search("outlet number 7")
    assert [h.object_id for h in hits] == [f"actor--{_uid(15)}"]
    observable = store.get(f"observable--{_uid(16)}")
    assert isinstance(observable, Observable) and observable.normalized == "clone7.example"


def test_bundle_read_twice_records_an_id_that_follows_its_objects(store, tmp_path, monkeypatch):
    monkeypatch.setattr(stix_import, "REMEMBER_BYTES", 0)  # too big to remember: two streaming passes
    data = bundle(3)
    path = tmp_path / "late-id.json"
    path.write_text(json.dumps({"objects": data["objects"], "type": "bundle", "id": data["id"]}), encoding="utf-8")
    import_stix(store, path)
    history = provenance_of(store, f"actor--{_uid(1)}")
    assert [h["bundle_id"] for h in history] == [data["id"]]


def test_bulk_add_refuses_a_case_id_that_another_record_points_at(store, case):
    other = f"actor--{_uid(7)}"
    pointing = Actor(case_id=case.id, name="Points", attributed_to=other)
    misplaced = Actor(case_id=other, name="Misplaced")
    with pytest.raises(UsageError, match="is not a case id"):
        store.add_many([pointing, misplaced])


def test_an_object_whose_id_is_not_type_uuid_is_rejected_not_fatal(store):
    data = bundle(1)
    data["objects"].append({"type": "threat-actor", "spec_version": "2.1", "id": "bogus", "name": "No id",
                            "created": STAMP, "modified": STAMP})
    report = import_stix(store, data)
    assert [(p.where, p.reason) for p in report.rejected] == [("bogus", "not a STIX object (its id is not type--uuid)")]
    assert report.added == {"case": 1, "actor": 1, "observable": 1, "relationship": 1}
