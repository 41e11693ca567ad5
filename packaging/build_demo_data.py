"""Build resources/demo/, the real-data extracts the ``rrmdesk demo`` case set is made from.

The demo must load on a machine without the shared data folder, so the rows it uses ship in the
app as small CSV extracts. This script is the only way they should change:

    python packaging/build_demo_data.py [--data DIR] [-o OUT]

It reads the upstream files kept in the shared data folder, checks each against the SHA-256 in
MANIFEST.csv (the extracts name that commit as their source), keeps only the rows and columns the
demo uses, and writes UTF-8 CSV with ``\\n`` line ends plus SOURCES.md. Values are copied as
found upstream except where a column note in SOURCES.md says otherwise (ids stripped of stray
spaces, registration date and targeted country split out of a Meta comment). Rows are written in
a fixed order, so rebuilding from the same files gives the same bytes, and a test holds the
committed files to that.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "resources" / "demo"

FIAT = "dfrlab-fiat-2020/DFRLab_interference2020.csv"
FIAT_TIMELINE = "dfrlab-fiat-2020/meta/timeline_dates.csv"
EUVS = "euvsdisinfo-cknabs/data/posts.csv"
META_2022 = ("meta-threat-research/indicators/csv/"
             "2022_09_removing_coordinated_inauthentic_behavior_from_china_and_russia.csv")
META_2023 = "meta-threat-research/indicators/csv/Q2_2023/Q2_2023_Doppelganger_Russia_based_CIB_network_updated.csv"
META_INDEX = "meta-threat-research/index.json"
DISARM_INCIDENTS = "disarm-frameworks/master_data_csv/data_incidents.csv"
DISARM_TECHNIQUES = "disarm-frameworks/master_data_csv/data_incidenttechniques.csv"
DISARM_URLS = "disarm-frameworks/master_data_csv/data_urls.csv"
SOURCES = (FIAT, FIAT_TIMELINE, EUVS, META_2022, META_2023, META_INDEX, DISARM_INCIDENTS,
           DISARM_TECHNIQUES, DISARM_URLS)

FIAT_COLUMNS = (
    "case_hash", "case_id", "short_title", "short_description", "source", "source_nation",
    "source_category", "disinformant", "disinformant_nation", "disinformant_attribution",
    "start_date", "end_date", "attribution_date", "methods", "open_web", "social_media",
    "messaging_platforms", "attribution_url", "archived_attribution_url",
    "attribution_total_score", "tags",
)
#: FIAT rows whose "disinformant" names domestic US political figures: FIAT records claims
#: about them, and out of context a demo would present them as foreign-interference actors.
FIAT_LEFT_OUT = ("Donald Trump", "Hillary Clinton", "Rudy Giuliani")
#: EUvsDisinfo cases about the 2020 US presidential election (the keyword EUvsDisinfo uses).
EUVS_KEYWORD = "US Presidential Election 2020"
#: The Doppelganger indicators the demo keeps: domains and Telegram channels, not redirect URLs.
META_2022_TYPES = ("domain_name", "telegram_url")
META_2023_PROCEDURE = "0.6.2"
#: DISARM incidents that become demo cases (Russia- and Belarus-aligned operations in Europe
#: and a hack-and-leak), chosen for their technique mappings with quoted procedures.
DISARM_INCIDENT_IDS = ("I00065", "I00084", "I00104", "I00121")

_REGISTERED = re.compile(r"Registration date:\s*(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_TARGET = re.compile(r"targeted:\s*([^,\"\n]+)")


def default_data_dir() -> Path:
    """The shared data folder: $RRMDESK_SHARED_DATA, else ../shared/data beside the repo."""
    env = os.environ.get("RRMDESK_SHARED_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def manifest(data: Path) -> dict[str, dict[str, str]]:
    with (data / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def checked(data: Path, name: str, listed: dict[str, dict[str, str]]) -> Path:
    """The path of an input file whose bytes match MANIFEST.csv; stops the build otherwise."""
    path = data / name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if listed[name]["sha256"] != digest:
        raise SystemExit(f"{path} does not match MANIFEST.csv; refusing to build from changed data")
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def to_csv(columns: Sequence[str], rows: Iterable[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def fiat_rows(path: Path) -> list[dict[str, str]]:
    rows = [r for r in read_csv(path) if not any(name in r["disinformant"] for name in FIAT_LEFT_OUT)]
    return sorted(rows, key=lambda r: r["case_hash"])


def euvs_rows(path: Path) -> list[dict[str, str]]:
    rows = [r for r in read_csv(path) if EUVS_KEYWORD in r["keywords"].split("+")]
    return sorted(rows, key=lambda r: (r["date"], r["id"]))


def doppelganger_rows(path_2022: Path, path_2023: Path, reported_2022: str) -> list[dict[str, str]]:
    """Domains and channels from the 2022 takedown and the 2023 update, one shape for both."""
    rows = []
    for row in read_csv(path_2022):
        if row["indicator_type"] in META_2022_TYPES:
            target = row["comment"].split("-targeting")[0] if "-targeting" in row["comment"] else ""
            rows.append({"report": "2022-09", "indicator": row["indicator_value"], "type": row["indicator_type"],
                         "procedure": "", "comment": row["comment"], "registered": "",
                         "target": target, "reported": row["ds"] or reported_2022})
    with path_2023.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle):
            if len(record) < 5 or not record[2].startswith(META_2023_PROCEDURE):
                continue
            comment = record[4]
            when = _REGISTERED.search(comment)
            target = _TARGET.search(comment)
            rows.append({"report": "2023-Q2", "indicator": record[3].strip(), "type": "domain_name",
                         "procedure": record[2].strip(), "comment": " ".join(comment.split()),
                         "registered": f"{when[3]}-{int(when[1]):02d}-{int(when[2]):02d}" if when else "",
                         "target": target[1].strip() if target else "", "reported": ""})
    return sorted(rows, key=lambda r: (r["report"], r["indicator"].lower(), r["comment"]))


def disarm_rows(data: Path, listed: dict[str, dict[str, str]]) -> tuple[list[dict[str, str]], ...]:
    incidents = [
        {**r, "disarm_id": r["disarm_id"].strip()}
        for r in read_csv(checked(data, DISARM_INCIDENTS, listed))
        if r["disarm_id"].strip() in DISARM_INCIDENT_IDS
    ]
    techniques = [
        {**r, "disarm_id": r["disarm_id"].strip(), "incident_id": r["incident_id"].strip(),
         "technique_ids": r["technique_ids"].strip()}
        for r in read_csv(checked(data, DISARM_TECHNIQUES, listed))
        if r["incident_id"].strip() in DISARM_INCIDENT_IDS
    ]
    wanted = {u for r in incidents for u in r["urls"].split()}
    urls = [{**r, "url_id": r["url_id"].strip()} for r in read_csv(checked(data, DISARM_URLS, listed))
            if r["url_id"].strip() in wanted]
    return (sorted(incidents, key=lambda r: r["disarm_id"]),
            sorted(techniques, key=lambda r: (r["incident_id"], r["disarm_id"])),
            sorted(urls, key=lambda r: r["url_id"]))


def sources_md(listed: dict[str, dict[str, str]], counts: dict[str, int]) -> str:
    def origin(name: str) -> str:
        row = listed[name]
        return f"`{row['source_repo']}` @ `{row['commit']}`, `{row['source_path']}`"

    lines = [
        "# Demo case set: sources",
        "",
        "The `rrmdesk demo` case set is built from these extracts of real public data. They are",
        "generated by `packaging/build_demo_data.py` from the shared data folder (each input checked",
        "against its SHA-256 in MANIFEST.csv); do not edit them by hand. The case titles, key",
        "judgments, responses and the FIAT-method-to-DISARM mapping are demo analyst work written in",
        "`rrmdesk/demo.py`, not claims of the sources.",
        "",
        "| file | rows | upstream (repo @ commit, path) | license | what was extracted |",
        "|---|---|---|---|---|",
        f"| `fiat_cases.csv` | {counts['fiat_cases.csv']} | {origin(FIAT)} | no license file; published by "
        "DFRLab (Atlantic Council) as an open-source database. Cite: DFRLab, Foreign Interference "
        "Attribution Tracker (FIAT), 2020 | the 63 shared cases less those whose `disinformant` names "
        f"{', '.join(FIAT_LEFT_OUT)}; {len(FIAT_COLUMNS)} of 97 columns |",
        f"| `fiat_timeline.csv` | {counts['fiat_timeline.csv']} | {origin(FIAT_TIMELINE)} | as above | "
        "all contextual US 2020 election dates, unchanged |",
        f"| `euvsdisinfo_us2020.csv` | {counts['euvsdisinfo_us2020.csv']} | {origin(EUVS)} | no license file; "
        "content from the EUvsDisinfo database of the EEAS East StratCom Task Force (cite EUvsDisinfo) | "
        f"cases tagged `{EUVS_KEYWORD}`, all columns |",
        f"| `meta_doppelganger.csv` | {counts['meta_doppelganger.csv']} | {origin(META_2022)}; "
        f"{origin(META_2023)}; report date from `index.json` | MIT (facebook/threat-research) | "
        f"Doppelganger domains and Telegram channels from the 2022 takedown ({', '.join(META_2022_TYPES)}) "
        f"and the domains of procedure {META_2023_PROCEDURE} from the 2023 update; `registered` and "
        "`target` are parsed out of the Meta comment; indicators are kept as published (the 2023 file defangs them) |",
        f"| `disarm_incidents.csv` | {counts['disarm_incidents.csv']} | {origin(DISARM_INCIDENTS)} | "
        f"CC-BY-SA-4.0 (DISARM Foundation) | incidents {', '.join(DISARM_INCIDENT_IDS)}; "
        "ids stripped of stray spaces |",
        f"| `disarm_incident_techniques.csv` | {counts['disarm_incident_techniques.csv']} | "
        f"{origin(DISARM_TECHNIQUES)} | CC-BY-SA-4.0 | their technique mappings with the quoted procedure text |",
        f"| `disarm_urls.csv` | {counts['disarm_urls.csv']} | {origin(DISARM_URLS)} | CC-BY-SA-4.0 | "
        "the reference rows those incidents cite |",
        "",
        "The DISARM-derived extracts are shared under CC BY-SA 4.0 like their source. Observables",
        "are real indicators of influence operations published by Meta; they are kept defanged.",
        "",
    ]
    return "\n".join(lines)


def build(data: Path) -> dict[str, str]:
    """Every output file name mapped to its text."""
    listed = manifest(data)
    index = json.loads(checked(data, META_INDEX, listed).read_text(encoding="utf-8"))
    reported_2022 = next(r["reported_ds"] for r in index if META_2022.rsplit("/", 1)[1].startswith(r["id"]))
    fiat = fiat_rows(checked(data, FIAT, listed))
    timeline = sorted(read_csv(checked(data, FIAT_TIMELINE, listed)), key=lambda r: (r["date"], r["event_name"]))
    euvs = euvs_rows(checked(data, EUVS, listed))
    dopp = doppelganger_rows(checked(data, META_2022, listed), checked(data, META_2023, listed), reported_2022)
    incidents, techniques, urls = disarm_rows(data, listed)
    files = {
        "fiat_cases.csv": to_csv(FIAT_COLUMNS, fiat),
        "fiat_timeline.csv": to_csv(("event_name", "date", "description"), timeline),
        "euvsdisinfo_us2020.csv": to_csv(("date", "id", "title", "countries", "keywords", "languages",
                                          "outlets"), euvs),
        "meta_doppelganger.csv": to_csv(("report", "indicator", "type", "procedure", "comment", "registered",
                                         "target", "reported"), dopp),
        "disarm_incidents.csv": to_csv(("disarm_id", "name", "summary", "year_started", "attributions_seen",
                                        "found_in_country", "urls", "when_added"), incidents),
        "disarm_incident_techniques.csv": to_csv(("disarm_id", "incident_id", "technique_ids", "name"), techniques),
        "disarm_urls.csv": to_csv(("url_id", "pub_date", "authors", "org", "archive_link"), urls),
    }
    # rows may hold newlines inside quotes: count records, not lines
    counts = {name: sum(1 for _ in csv.DictReader(io.StringIO(text))) for name, text in files.items()}
    files["SOURCES.md"] = sources_md(listed, counts)
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="the shared data folder")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    files = build(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).write_bytes(text.encode("utf-8"))
    print(f"wrote {len(files)} files to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
