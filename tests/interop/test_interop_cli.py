"""The interop commands, as an analyst types them: one line and exit 1 on every bad input."""

from __future__ import annotations

import json

from pymisp import MISPEvent
from stix2validator import ValidationOptions, validate_file

from tests.shared_data import shared


def test_export_stix_writes_a_valid_file_and_refuses_to_overwrite(store, full_case, cli, tmp_path):
    out = tmp_path / "case.stix.json"
    assert cli("export", "stix", full_case.id, "-o", out).code == 0
    result = validate_file(str(out), ValidationOptions(version="2.1"))
    assert result.is_valid and all(not r.errors for r in result.object_results)
    cli("export", "stix", full_case.id, "-o", out).assert_user_error("already exists")
    assert cli("export", "stix", full_case.id, "-o", out, "--force").code == 0
    assert any(e.action == "export" for e in store.audit_entries(full_case.id))


def test_export_misp_loads_in_pymisp(store, full_case, cli, tmp_path):
    out = tmp_path / "case.misp.json"
    assert cli("export", "misp", full_case.id, "-o", out).code == 0
    event = MISPEvent()
    event.load_file(str(out))
    assert event.info == full_case.title


def test_import_stix_prints_the_report(store, full_case, cli, tmp_path):
    out = tmp_path / "case.json"
    cli("export", "stix", full_case.id, "-o", out)
    outcome = cli("import", out)
    assert outcome.code == 0 and "unchanged:" in outcome.out
    outcome = cli("import", shared("opencti-datasets", "data", "sectors.json"), "--json")
    report = json.loads(outcome.out)
    assert report["format"] == "stix" and report["kept_unknown"]["identity"] == 72


def test_import_csv_saves_the_mapping_and_previews(store, cli):
    fiat = shared("dfrlab-fiat-2020", "DFRLab_interference2020.csv")
    outcome = cli("import", fiat, "--mapping", "fiat", "--map", "title=short_title", "--map",
                  "start=start_date|attribution_date", "--map", "actors=disinformant", "--set",
                  "actor_kind=state-affiliated", "--preview", "--rows", "3")
    assert outcome.code == 0
    lines = outcome.out.splitlines()
    assert lines[0].split()[:3] == ["line", "title", "start"] and len(lines) == 4
    assert "NBC: Russia Responsible" in lines[1]
    assert store.count_cases() == 0
    outcome = cli("import", fiat, "--mapping", "fiat", "--title", "FIAT 2020")
    assert outcome.code == 0 and "63 event" in outcome.out
    listing = cli("import", "--list-mappings", "--json")
    assert json.loads(listing.out)["fiat"]["columns"]["actors"] == "disinformant"


def test_bad_imports_are_one_line_errors(store, cli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("just some words\nno json here\n")
    cli("import", text).assert_user_error("not JSON")
    cli("import", next(shared("meta-threat-research", "indicators", "stix1").glob("*.xml"))).assert_user_error(
        "STIX 1.x", "unsupported version")
    cli("import", shared("pymisp-tests", "tests", "stix2.json")).assert_user_error("STIX 2.0", "unsupported version")
    cli("import", shared("dfrlab-fiat-2020", "DFRLab_interference2020.csv")).assert_user_error("title and start")
    cli("import", shared("dfrlab-fiat-2020", "DFRLab_interference2020.csv"), "--mapping", "nope").assert_user_error(
        "no saved CSV mapping")
    cli("import", tmp_path / "missing.json").assert_user_error("no such file")
    cli("export", "stix", "case--00000000-0000-4000-8000-000000000000", "-o", tmp_path / "x.json").assert_user_error(
        "no case")
    assert store.count_cases() == 0
