"""The demo case set: loads from the shipped extracts, is faithful to them and to the sources."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from rrmdesk import demo
from rrmdesk.demo import FIAT_METHOD_TECHNIQUES, demo_cases, demo_id, load_demo
from rrmdesk.disarm import default_catalog
from rrmdesk.errors import Cancelled, NotFoundError, UsageError
from rrmdesk.model import (
    CASE_PARTS,
    Actor,
    Event,
    Evidence,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
)
from rrmdesk.observables import refang
from rrmdesk.progress import Progress
from rrmdesk.resources import resource_path
from tests.conftest import TEST_PASSPHRASE
from tests.shared_data import SHARED_DATA

REPO = Path(__file__).resolve().parents[2]


def rows(name: str) -> list[dict[str, str]]:
    with resource_path("demo", name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def loaded(store):
    return store, load_demo(store)


def case_of(report, key: str):
    return next(c for c in report.cases if c.id == demo_id("case", key))


def test_loads_cases_of_every_marking_status_and_a_rich_flagship(loaded) -> None:
    store, report = loaded
    cases = store.list_cases()
    assert {c.id for c in cases} == {c.id for c in report.cases}
    assert 8 <= len(cases) <= 15
    assert {c.tlp for c in cases} == {"clear", "green", "amber", "amber+strict", "red"}
    assert len({c.status for c in cases}) >= 4
    flagship = case_of(report, "fiat-russia").counts
    assert 40 <= flagship["event"] <= 150
    assert flagship["relationship"] > 0 and flagship["narrative"] > 0 and flagship["judgment"] > 0
    assert report.totals()["case"] == len(cases)
    assert report.totals()["observable"] > 0 and report.totals()["response"] > 0


def test_counts_match_the_resource_files(loaded) -> None:
    store, report = loaded
    keys = ("fiat-russia", "fiat-iran", "fiat-china", "fiat-other", "fiat-unattributed")
    fiat_cases = [demo_id("case", k) for k in keys]
    url_evidence = [e for c in fiat_cases for e in store.parts(c, Evidence) if e.kind == "url"]
    assert len(url_evidence) == len(rows("fiat_cases.csv"))
    russia = demo_id("case", "fiat-russia")
    events = store.parts(russia, Event)
    assert sum(e.category == "disinformation" for e in events) == len(rows("euvsdisinfo_us2020.csv"))
    assert sum(e.category == "context" for e in events) == len(rows("fiat_timeline.csv"))
    indicators = {refang(r["indicator"]).lower() for r in rows("meta_doppelganger.csv")}
    assert len(store.parts(demo_id("case", "doppelganger"), Observable)) == len(indicators)
    quoted = [e for c in report.cases for e in store.parts(c.id, Evidence) if e.kind == "text"]
    assert len(quoted) == len(rows("disarm_incident_techniques.csv"))
    for case in report.cases:
        assert store.counts(case.id) == case.counts


def test_every_technique_and_countermeasure_is_in_the_catalog(loaded) -> None:
    store, report = loaded
    catalog = default_catalog()
    codes = set()
    for case in report.cases:
        codes |= {t.code for t in store.parts(case.id, TechniqueUse)}
        codes |= {code for e in store.parts(case.id, Event) for code in e.techniques}
        for response in store.parts(case.id, Response):
            catalog.countermeasure(response.countermeasure)
    assert codes and all(catalog.get(code) for code in codes)


def test_the_fiat_method_mapping_covers_every_method_with_catalog_codes() -> None:
    methods = {m.strip() for r in rows("fiat_cases.csv") for m in r["methods"].split(",") if m.strip()}
    assert methods <= FIAT_METHOD_TECHNIQUES.keys()
    assert all(default_catalog().get(c) for codes in FIAT_METHOD_TECHNIQUES.values() for c in codes)


def test_relationships_join_actors_and_narratives_of_their_own_case(loaded) -> None:
    store, report = loaded
    for case in report.cases:
        actors = {a.id: a for a in store.parts(case.id, Actor)}
        narratives = {n.id for n in store.parts(case.id, Narrative)}
        for link in store.parts(case.id, Relationship):
            assert link.source_id in actors
            assert link.target_id in actors or (link.type == "amplifies" and link.target_id in narratives)
            if link.type == "attributed-to":
                assert actors[link.target_id].kind == "state"
    types = {r.type for c in report.cases for r in store.parts(c.id, Relationship)}
    assert {"attributed-to", "amplifies", "controls", "coordinates-with", "exposes"} <= types


def test_audit_chain_verifies_and_search_finds_real_names(loaded) -> None:
    store, _ = loaded
    assert store.verify_audit().ok
    assert any(h.case_id == demo_id("case", "doppelganger") for h in store.search("Doppelganger"))
    assert store.search("Internet Research Agency")
    assert store.search("Secondary Infektion")


def test_file_evidence_holds_the_source_rows_with_attribution(loaded) -> None:
    store, report = loaded
    files = [e for c in report.cases for e in store.parts(c.id, Evidence) if e.kind == "file"]
    assert files and all(e.source for e in files)
    for record in files:
        content = b"".join(store.evidence_chunks(record.id))
        assert hashlib.sha256(content).hexdigest() == record.sha256
        header = content.split(b"\n", 1)[0].decode()
        assert "," in header
    fiat = next(e for e in files if e.filename == "fiat-russia.csv")
    assert "DFRLab" in fiat.source and b"Internet Research Agency" in b"".join(store.evidence_chunks(fiat.id))


def test_loading_twice_is_refused_and_changes_nothing(loaded) -> None:
    store, report = loaded
    entries = len(store.audit_entries())
    with pytest.raises(UsageError, match="already holds the demo") as caught:
        load_demo(store)
    assert "init" in caught.value.hint
    assert store.count_cases() == len(report.cases)
    assert len(store.audit_entries()) == entries


def test_cancelling_leaves_the_workspace_empty(store) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        load_demo(store, progress)
    assert store.count_cases() == 0
    assert load_demo(store).cases


def test_the_demo_is_the_same_objects_every_time() -> None:
    first, second = demo_cases(), demo_cases()
    assert [d.case.to_dict() for d in first] == [d.case.to_dict() for d in second]
    assert [[r.to_dict() for r in d.parts] for d in first] == [[r.to_dict() for r in d.parts] for d in second]
    assert [[f.to_dict() for f, _ in d.files] for d in first] == [[f.to_dict() for f, _ in d.files] for d in second]


def test_a_missing_resource_file_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError, match="demo data file") as caught:
        demo.read_resource("no-such-extract.csv")
    assert "build_demo_data" in caught.value.hint


def test_cli_demo_in_a_passphrase_workspace(cli, monkeypatch) -> None:
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    assert cli("init", "--passphrase").code == 0
    outcome = cli("demo", "--json")
    assert outcome.code == 0, outcome.err
    loaded = json.loads(outcome.out)
    assert loaded["totals"]["case"] == len(loaded["cases"]) >= 8
    assert sum(c["counts"]["event"] for c in loaded["cases"]) == loaded["totals"]["event"]
    again = cli("demo")
    again.assert_user_error("already holds the demo")
    listing = cli("case", "list", "--json")
    assert len(json.loads(listing.out)) == len(loaded["cases"])


def test_cli_demo_summary_in_a_keyring_workspace(keyring_workspace, cli) -> None:
    outcome = cli("demo")
    assert outcome.code == 0, outcome.err
    assert "Doppelganger: spoofed news sites targeting Europe" in outcome.out
    assert "AMBER+STRICT" in outcome.out and outcome.out.splitlines()[0].startswith("id")


def test_resources_match_a_rebuild_from_the_shared_data() -> None:
    spec = importlib.util.spec_from_file_location("build_demo_data", REPO / "packaging" / "build_demo_data.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    built = builder.build(SHARED_DATA)
    shipped = {p.name: p.read_bytes() for p in resource_path("demo").iterdir()}
    assert shipped.keys() == built.keys()
    for name, text in built.items():
        assert shipped[name] == text.encode("utf-8"), name


def test_every_case_part_kind_appears_somewhere(loaded) -> None:
    _, report = loaded
    totals = report.totals()
    assert all(totals[cls.KIND] > 0 for cls in CASE_PARTS)
