"""The shipped DISARM catalog and the code/URL matching, checked against the real DISARM files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rrmdesk.disarm import (
    TECHNIQUE_CODE,
    Catalog,
    code_from_url,
    default_catalog,
    normalise_code,
)
from rrmdesk.errors import FormatError, UsageError
from rrmdesk.resources import resource_path
from tests.shared_data import SHARED_DATA, shared

REPO = Path(__file__).resolve().parents[1]
V16 = ("disarm-frameworks", "generated_files", "DISARM_STIX", "DISARM.json")
V2_OBSERVATIONS = ("disarm-stix-v2", "output", "DISARM.json")
V2022 = ("disarm-stix-v2", "DISARM.json")
V2023 = ("disarm-stix2-2023", "output", "DISARM.json")
ASSESSMENTS = ("disarm-v2-assessments", "CODE", "DISARM-STIX2", "output", "DISARM.json")


def stix_objects(parts: tuple[str, ...], kind: str) -> list[dict[str, Any]]:
    bundle = json.loads(shared(*parts).read_text(encoding="utf-8"))
    return [obj for obj in bundle["objects"] if obj["type"] == kind]


def reference(obj: dict[str, Any]) -> dict[str, str]:
    (ref,) = obj["external_references"]
    return ref


def bundle_codes(parts: tuple[str, ...]) -> list[str]:
    return [reference(obj)["external_id"] for obj in stix_objects(parts, "attack-pattern")]


def disarm_csv(*parts: str) -> list[dict[str, str]]:
    with shared("disarm-frameworks", *parts).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return default_catalog()


# --- the shipped catalog agrees with the v1.6 sources --------------------------------------


def test_counts_match_the_v16_bundle(catalog: Catalog) -> None:
    patterns = stix_objects(V16, "attack-pattern")
    assert len(catalog.techniques()) == len(patterns) == 391
    subs = [t for t in catalog.techniques() if t.parent]
    assert len(subs) == sum(p["x_mitre_is_subtechnique"] for p in patterns) == 288
    assert len(catalog.tactics()) == len(stix_objects(V16, "x-mitre-tactic")) == 16
    assert len(catalog.phases()) == len(disarm_csv("master_data_csv", "frameworks_phases.csv")) == 4
    rows = disarm_csv("master_data_csv", "frameworks_countermeasures.csv")
    assert len(catalog.countermeasures()) == len(rows) == 140
    assert catalog.version == "1.6"
    assert catalog.framework == "DISARM Red Framework"
    assert catalog.license == "CC-BY-SA-4.0"


def test_techniques_match_the_bundle_by_code_name_tactic_and_url(catalog: Catalog) -> None:
    tactic_by_shortname = {
        tactic["x_mitre_shortname"]: reference(tactic)["external_id"]
        for tactic in stix_objects(V16, "x-mitre-tactic")
    }
    expected = {
        reference(p)["external_id"]: (
            p["name"],
            tactic_by_shortname[p["kill_chain_phases"][0]["phase_name"]],
            reference(p)["url"],
        )
        for p in stix_objects(V16, "attack-pattern")
    }
    assert {t.code: (t.name, t.tactic, t.url) for t in catalog.techniques()} == expected


def test_tactics_match_the_bundle_and_master_sheet(catalog: Catalog) -> None:
    names = {reference(t)["external_id"]: t["name"] for t in stix_objects(V16, "x-mitre-tactic")}
    rows = disarm_csv("master_data_csv", "frameworks_tactics.csv")
    phases = {row["disarm_id"].strip(): row["phase_id"].strip() for row in rows}
    assert {t.id: (t.name, t.phase) for t in catalog.tactics()} == {
        tactic_id: (name, phases[tactic_id]) for tactic_id, name in names.items()
    }


def test_every_reference_in_the_catalog_resolves(catalog: Catalog) -> None:
    phases = {phase.id for phase in catalog.phases()}
    tactics = {tactic.id for tactic in catalog.tactics()}
    codes = {technique.code for technique in catalog.techniques()}
    assert all(tactic.phase in phases for tactic in catalog.tactics())
    assert all(technique.tactic in tactics for technique in catalog.techniques())
    for technique in catalog.techniques():
        if technique.parent is not None:
            assert technique.parent in codes
            assert technique.code.startswith(technique.parent + ".")
    for countermeasure in catalog.countermeasures():
        assert countermeasure.tactic in tactics
        assert set(countermeasure.techniques) <= codes


def test_parents_agree_with_subtechnique_relationships(catalog: Catalog) -> None:
    code_of = {p["id"]: reference(p)["external_id"] for p in stix_objects(V16, "attack-pattern")}
    relationships = {
        code_of[r["source_ref"]]: code_of[r["target_ref"]]
        for r in stix_objects(V16, "relationship")
        if r["relationship_type"] == "subtechnique-of"
    }
    assert {t.code: t.parent for t in catalog.techniques() if t.parent} == relationships


def test_countermeasure_links_are_the_edges_that_v16_still_has(catalog: Catalog) -> None:
    codes = set(bundle_codes(V16))
    expected: dict[str, set[str]] = {}
    for edge in disarm_csv("visualisations", "cross_counterid_techniqueid.csv"):
        if edge["Target"] in codes:
            expected.setdefault(edge["Source"], set()).add(edge["Target"])
    linked = {c.code: set(c.techniques) for c in catalog.countermeasures() if c.techniques}
    assert linked == expected
    assert sum(len(links) for links in linked.values()) == 392
    assert catalog.countermeasure("C00009").techniques == (
        "T0010", "T0039", "T0042", "T0044", "T0048"
    )


def test_summaries_are_short_plain_text(catalog: Catalog) -> None:
    for item in (*catalog.techniques(), *catalog.countermeasures()):
        assert len(item.summary) <= 400
        assert "<" not in item.summary and "\xa0" not in item.summary
    assert catalog.technique("T0002").summary == (
        "Organise citizens around pro-state messaging. "
        "Coordinate paid or volunteer groups to push state propaganda."
    )


def test_catalog_records_source_commit_and_licence() -> None:
    data = json.loads(resource_path("disarm", "catalog.json").read_text(encoding="utf-8"))
    with shared("MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle)}
    row = manifest["/".join(V16)]
    assert data["source"]["repo"] == row["source_repo"] == "DISARMFoundation/DISARMframeworks"
    assert data["source"]["commit"] == row["commit"]
    licence = resource_path("disarm", "LICENSE.md").read_text(encoding="utf-8")
    assert row["commit"] in licence and "CC BY-SA 4.0" in licence


def test_regenerating_from_shared_data_gives_the_committed_bytes(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "build_disarm_catalog.py"),
            "--data",
            str(SHARED_DATA),
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == resource_path("disarm", "catalog.json").read_bytes()


def test_catalog_file_is_compact_sorted_utf8() -> None:
    raw = resource_path("disarm", "catalog.json").read_bytes()
    data = json.loads(raw.decode("utf-8"))
    compact = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert raw == (compact + "\n").encode("utf-8")


# --- codes and URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("T0002", "T0002"),
        ("t0002", "T0002"),
        (" T0097.109 ", "T0097.109"),
        ("\xa0T0097.109", "T0097.109"),
        ("\u200bt0145.001\n", "T0145.001"),
    ],
)
def test_normalise_code_accepts_the_spellings_analysts_paste(text: str, code: str) -> None:
    assert normalise_code(text) == code
    assert TECHNIQUE_CODE.match(code)


@pytest.mark.parametrize(
    "text",
    [
        "X12",
        "",
        "T12",
        "T00021",
        "T0097.1",
        "T0097.1090",
        "T 0002",
        "TA01",
        "C00009",
        "T0002\nT0003",
        "attack-pattern--70717452-f7e3-4ce8-956f-39a4d34c5cfb",
    ],
)
def test_normalise_code_rejects_anything_else(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        normalise_code(text)
    assert "is not a DISARM technique code" in caught.value.message
    assert "\n" not in caught.value.text()
    assert "rrmdesk ttp catalog" in caught.value.hint
    assert not TECHNIQUE_CODE.match(text)


def test_normalise_code_message_quotes_the_input() -> None:
    with pytest.raises(UsageError, match=r"^'X12' is not a DISARM technique code$"):
        normalise_code("X12")


@pytest.mark.parametrize("parts", [V16, V2_OBSERVATIONS, V2022, V2023])
def test_code_from_url_reads_every_technique_url_in_the_real_bundles(
    parts: tuple[str, ...],
) -> None:
    for pattern in stix_objects(parts, "attack-pattern"):
        ref = reference(pattern)
        assert code_from_url(ref["url"]) == ref["external_id"], ref


def test_code_from_url_handles_the_stray_space_in_the_2022_bundle() -> None:
    urls = [reference(p)["url"] for p in stix_objects(V2022, "attack-pattern")]
    assert any(url.endswith("T0039 .md") for url in urls)
    encoded = "https://github.com/DISARMFoundation/x/blob/main/techniques/T0039%20.md"
    assert code_from_url(encoded) == "T0039"
    assert code_from_url(
        "github.com/DISARMFoundation/DISARMframeworks/blob/main/generated_pages/techniques/t0002.md"
    ) == "T0002"


@pytest.mark.parametrize(
    "url",
    [
        "https://attack.mitre.org/techniques/T1566/",
        "https://github.com/someone/DISARMframeworks/blob/main/generated_pages/techniques/T0002.md",
        "https://github.com/DISARMFoundation/DISARMframeworks/blob/main/tactics/TA01.md",
        "https://github.com/DISARMFoundation/DISARMframeworks/blob/main/techniques/T0002.txt",
        "https://example.org/DISARMFoundation/x/blob/main/techniques/T0002.md",
        "not a url",
        "",
    ],
)
def test_code_from_url_ignores_other_urls(url: str) -> None:
    assert code_from_url(url) is None


def test_code_from_url_ignores_assessment_codes() -> None:
    for pattern in stix_objects(ASSESSMENTS, "attack-pattern"):
        assert code_from_url(reference(pattern)["url"]) is None


# --- lookups -----------------------------------------------------------------------------------


def test_technique_lookup_and_errors(catalog: Catalog) -> None:
    assert catalog.technique(" t0097.109 ").name == "Romantic Suitor Persona"
    assert catalog.get("t0002") is catalog.technique("T0002")
    assert catalog.get("T9999") is None and catalog.get("X12") is None
    with pytest.raises(UsageError, match=r"^unknown DISARM technique T9999 in catalog v1\.6$"):
        catalog.technique("T9999")
    with pytest.raises(UsageError, match="is not a DISARM technique code"):
        catalog.technique("X12")


def test_tactic_of(catalog: Catalog) -> None:
    assert catalog.tactic_of("T0002").id == "TA02"
    assert catalog.tactic_of("T0097.109").name == "Establish Legitimacy"


def test_countermeasure_lookup_and_errors(catalog: Catalog) -> None:
    assert catalog.countermeasure(" c00009").name == (
        "Educate high profile influencers on best practices"
    )
    with pytest.raises(UsageError, match="unknown DISARM countermeasure C99999"):
        catalog.countermeasure("C99999")
    with pytest.raises(UsageError, match="is not a DISARM countermeasure code"):
        catalog.countermeasure("T0002")


def test_search_ranks_the_exact_code_first(catalog: Catalog) -> None:
    found = [t.code for t in catalog.search("t0097")]
    assert found[0] == "T0097"
    assert found[1:] == sorted(t.code for t in catalog.techniques() if t.parent == "T0097")
    assert catalog.search("T0002")[0].code == "T0002"


def test_search_matches_names_case_insensitively_prefix_first(catalog: Catalog) -> None:
    found = catalog.search("persona")
    assert found and all("persona" in t.name.casefold() for t in found)
    starts = [t for t in found if t.name.casefold().startswith("persona")]
    assert found[: len(starts)] == starts
    assert catalog.search("  ") == []
    assert catalog.search("zzz-no-such-technique") == []


def test_match_takes_codes_and_urls_never_stix_ids(catalog: Catalog) -> None:
    pattern = stix_objects(V16, "attack-pattern")[0]
    ref = reference(pattern)
    assert catalog.match(ref["external_id"]) == catalog.technique(ref["external_id"])
    assert catalog.match(ref["url"]) == catalog.technique(ref["external_id"])
    assert catalog.match(pattern["id"]) is None
    assert catalog.match("T9999") is None


@pytest.mark.parametrize(("parts", "shared_count"), [(V2_OBSERVATIONS, 378), (V2023, 253)])
def test_map_codes_splits_another_version_like_a_direct_comparison(
    catalog: Catalog, parts: tuple[str, ...], shared_count: int
) -> None:
    theirs = bundle_codes(parts)
    ours = set(bundle_codes(V16))
    known, unknown = catalog.map_codes(theirs)
    assert [t.code for t in known] == [code for code in theirs if code in ours]
    assert unknown == [code for code in theirs if code not in ours]
    assert len(known) == shared_count
    urls = [reference(p)["url"] for p in stix_objects(parts, "attack-pattern")]
    assert [t.code for t in map(catalog.match, urls) if t] == [t.code for t in known]


def test_map_codes_dedupes_normalises_and_keeps_bad_input_for_the_report(
    catalog: Catalog,
) -> None:
    known, unknown = catalog.map_codes(["t0002", "T0002", " ", "T0001", "bad", "T0001"])
    assert [t.code for t in known] == ["T0002"]
    assert unknown == ["T0001", "bad"]


# --- loading -----------------------------------------------------------------------------------


def test_default_catalog_is_loaded_once() -> None:
    assert default_catalog() is default_catalog()


def test_load_reports_a_broken_or_missing_catalog(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.json"
    broken.write_text('{"version": "1.6"}', encoding="utf-8")
    with pytest.raises(FormatError, match="is not a DISARM catalog"):
        Catalog.load(broken)
    with pytest.raises(FormatError, match="cannot read the DISARM catalog"):
        Catalog.load(tmp_path / "missing.json")
