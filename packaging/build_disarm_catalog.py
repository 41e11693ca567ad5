"""Build resources/disarm/catalog.json, the offline DISARM Red framework catalog.

RRM Desk runs air-gapped, so the DISARM vocabulary analysts tag events with ships inside the
app. This script derives a small catalog from the upstream DISARMframeworks files kept in the
shared data folder, and is the only way that catalog should change:

    python packaging/build_disarm_catalog.py [--data DIR] [-o OUT]

Sources (all DISARMFoundation/DISARMframeworks at the commit recorded in MANIFEST.csv):
- generated_files/DISARM_STIX/DISARM.json: techniques, sub-techniques and tactics (v1.6).
  Its T-codes are labelled ``mitre-attack`` and a technique names its tactic only by the
  tactic's shortname in ``kill_chain_phases``, so both are mapped here, once.
- master_data_csv/frameworks_phases.csv, frameworks_tactics.csv: phases, and which phase each
  tactic belongs to (the STIX bundle has no phases).
- master_data_csv/frameworks_countermeasures.csv: the Blue framework countermeasures.
- visualisations/cross_counterid_techniqueid.csv: which techniques each countermeasure counters.
  The edges predate v1.6 in part; links to codes that v1.6 no longer has are dropped so every
  code in the catalog resolves.

Every input file is checked against the SHA-256 in MANIFEST.csv, because the catalog records
that commit as its source and calls itself v1.6 (the bundle does not state its version).
The output is compact, key-sorted UTF-8 JSON, so rebuilding from the same files gives the same
bytes and a test can hold the committed file to that.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "resources" / "disarm" / "catalog.json"
DATA_DIR = "disarm-frameworks"
UPSTREAM = "DISARMFoundation/DISARMframeworks"
VERSION = "1.6"  # upstream commit "Update STIX bundle for V1.6" (2024-11-22)
LICENSE = "CC-BY-SA-4.0"
ATTRIBUTION = (
    "DISARM Red Framework v1.6 and DISARM Blue countermeasures by the DISARM Foundation "
    "(https://www.disarm.foundation/), licensed CC BY-SA 4.0; trimmed to codes, names, "
    "links and short summaries for RRM Desk."
)

STIX_BUNDLE = "generated_files/DISARM_STIX/DISARM.json"
PHASES_CSV = "master_data_csv/frameworks_phases.csv"
TACTICS_CSV = "master_data_csv/frameworks_tactics.csv"
COUNTERMEASURES_CSV = "master_data_csv/frameworks_countermeasures.csv"
COUNTER_EDGES_CSV = "visualisations/cross_counterid_techniqueid.csv"
SOURCES = (STIX_BUNDLE, PHASES_CSV, TACTICS_CSV, COUNTERMEASURES_CSV, COUNTER_EDGES_CSV)

SUMMARY_LIMIT = 400
_PARAGRAPH_BREAK = re.compile(r"(?:<br\s*/?>|</br>)\s*(?:<br\s*/?>|</br>)|\n\s*\n", re.I)
_TAG = re.compile(r"<[^>]+>")
_TACTIC_ID = re.compile(r"TA\d{2}")
_TECHNIQUE_ID = re.compile(r"T\d{4}(?:\.\d{3})?")
_COUNTER_ID = re.compile(r"C\d{5}")


def default_data_dir() -> Path:
    """The shared data folder: $RRMDESK_SHARED_DATA, else ../shared/data beside the repo."""
    env = os.environ.get("RRMDESK_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def clean_id(value: str) -> str:
    """Strip the stray spaces upstream ids carry (str.strip() also removes NBSP)."""
    return value.strip().upper()


def summarise(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """First paragraph as plain text, cut at a word and marked with an ellipsis if too long."""
    first = _PARAGRAPH_BREAK.split(text, maxsplit=1)[0]
    plain = " ".join(html.unescape(_TAG.sub(" ", first)).split())  # split() drops NBSP too
    if len(plain) <= limit:
        return plain
    cut = plain[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def upstream_commit(data: Path) -> tuple[str, dict[str, str]]:
    """Check every source against MANIFEST.csv; return the commit and the upstream paths."""
    manifest = {row["file"]: row for row in read_csv(data / "MANIFEST.csv")}
    commits: set[str] = set()
    upstream_paths: dict[str, str] = {}
    for name in SOURCES:
        row = manifest.get(f"{DATA_DIR}/{name}")
        if row is None or row["source_repo"] != UPSTREAM:
            raise SystemExit(f"{name} is not listed in MANIFEST.csv as coming from {UPSTREAM}")
        digest = hashlib.sha256((data / DATA_DIR / name).read_bytes()).hexdigest()
        if digest != row["sha256"]:
            raise SystemExit(f"{name} differs from MANIFEST.csv; refusing to label it v{VERSION}")
        commits.add(row["commit"])
        upstream_paths[name] = row["source_path"]
    if len(commits) != 1:
        raise SystemExit(f"sources come from several commits: {sorted(commits)}")
    return commits.pop(), upstream_paths


def external_id(obj: dict[str, Any], source_name: str) -> tuple[str, str]:
    """The (id, url) of a STIX object from its external reference named ``source_name``."""
    for ref in obj.get("external_references", []):
        if ref.get("source_name") == source_name and ref.get("external_id"):
            return clean_id(ref["external_id"]), ref.get("url", "").strip()
    raise SystemExit(f"{obj['id']} has no {source_name!r} external_id")


def build_phases(rows: Iterable[dict[str, str]]) -> list[dict[str, Any]]:
    return sorted(
        ({"id": clean_id(row["disarm_id"]), "name": row["name"].strip()} for row in rows),
        key=lambda phase: phase["id"],
    )


def build_tactics(
    objects: list[dict[str, Any]], rows: Iterable[dict[str, str]]
) -> list[dict[str, Any]]:
    phase_of = {clean_id(row["disarm_id"]): clean_id(row["phase_id"]) for row in rows}
    tactics = []
    for obj in objects:
        if obj["type"] == "x-mitre-tactic":
            tactic_id, _ = external_id(obj, "DISARM")
            name = obj["name"].strip()
            tactics.append({"id": tactic_id, "name": name, "phase": phase_of[tactic_id]})
    return sorted(tactics, key=lambda tactic: tactic["id"])


def build_techniques(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    tactic_by_shortname = {
        obj["x_mitre_shortname"]: external_id(obj, "DISARM")[0]
        for obj in objects
        if obj["type"] == "x-mitre-tactic"
    }
    techniques = []
    for obj in objects:
        if obj["type"] != "attack-pattern":
            continue
        code, url = external_id(obj, "mitre-attack")
        if not _TECHNIQUE_ID.fullmatch(code):
            raise SystemExit(f"{obj['id']} has an unexpected technique code {code!r}")
        (phase,) = obj["kill_chain_phases"]
        techniques.append(
            {
                "code": code,
                "name": obj["name"].strip(),
                "tactic": tactic_by_shortname[phase["phase_name"]],
                "parent": code.split(".")[0] if "." in code else None,
                "url": url,
                "summary": summarise(obj.get("description", "")),
            }
        )
    return sorted(techniques, key=lambda technique: technique["code"])


def build_countermeasures(
    rows: Iterable[dict[str, str]], edges: Iterable[dict[str, str]], known: set[str]
) -> list[dict[str, Any]]:
    counters: dict[str, set[str]] = {}
    for edge in edges:
        target = clean_id(edge["Target"])
        if target in known:
            counters.setdefault(clean_id(edge["Source"]), set()).add(target)
    countermeasures = []
    for row in rows:
        code = clean_id(row["disarm_id"])
        if not _COUNTER_ID.fullmatch(code):
            raise SystemExit(f"unexpected countermeasure code {row['disarm_id']!r}")
        tactic = _TACTIC_ID.search(row["tactic"])
        if tactic is None:
            raise SystemExit(f"countermeasure {code} has no tactic id in {row['tactic']!r}")
        countermeasures.append(
            {
                "code": code,
                "name": row["name"].strip(),
                "tactic": tactic.group(),
                "summary": summarise(row["summary"]),
                "techniques": sorted(counters.get(code, ())),
            }
        )
    return sorted(countermeasures, key=lambda countermeasure: countermeasure["code"])


def check(catalog: dict[str, Any]) -> None:
    """Refuse to write a catalog whose cross-references do not resolve."""
    phases = {phase["id"] for phase in catalog["phases"]}
    tactics = {tactic["id"] for tactic in catalog["tactics"]}
    codes = {technique["code"] for technique in catalog["techniques"]}
    problems = [
        f"{tactic['id']}: phase {tactic['phase']}"
        for tactic in catalog["tactics"]
        if tactic["phase"] not in phases
    ]
    for item in catalog["techniques"] + catalog["countermeasures"]:
        if item["tactic"] not in tactics:
            problems.append(f"{item['code']}: tactic {item['tactic']}")
        if item.get("parent") and item["parent"] not in codes:
            problems.append(f"{item['code']}: parent {item['parent']}")
    if problems:
        raise SystemExit("unresolved references: " + "; ".join(problems))


def build_catalog(data: Path) -> dict[str, Any]:
    commit, upstream_paths = upstream_commit(data)
    root = data / DATA_DIR
    objects = json.loads((root / STIX_BUNDLE).read_text(encoding="utf-8"))["objects"]
    techniques = build_techniques(objects)
    catalog = {
        "framework": "DISARM Red Framework",
        "version": VERSION,
        "source": {
            "repo": UPSTREAM,
            "commit": commit,
            "files": sorted(set(upstream_paths.values())),
        },
        "license": LICENSE,
        "attribution": ATTRIBUTION,
        "phases": build_phases(read_csv(root / PHASES_CSV)),
        "tactics": build_tactics(objects, read_csv(root / TACTICS_CSV)),
        "techniques": techniques,
        "countermeasures": build_countermeasures(
            read_csv(root / COUNTERMEASURES_CSV),
            read_csv(root / COUNTER_EDGES_CSV),
            {technique["code"] for technique in techniques},
        ),
    }
    check(catalog)
    return catalog


def render(catalog: dict[str, Any]) -> bytes:
    """Compact, key-sorted UTF-8 JSON with a final newline: same input, same bytes."""
    text = json.dumps(catalog, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data folder")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help="catalog to write")
    args = parser.parse_args(argv)
    catalog = build_catalog(args.data)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render(catalog))
    counts = {key: len(catalog[key]) for key in ("phases", "tactics", "techniques")}
    counts["countermeasures"] = len(catalog["countermeasures"])
    counts["countermeasure links"] = sum(len(c["techniques"]) for c in catalog["countermeasures"])
    print(f"wrote {args.out}: " + ", ".join(f"{n} {key}" for key, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
