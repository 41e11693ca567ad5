"""The demo case set: real public data turned into the cases an analyst would keep.

A new user, the desktop app's first screen, screenshots, charts and briefings all need cases that
look like real work. ``load_demo`` builds them from the extracts shipped in ``resources/demo/``
(DFRLab FIAT 2020, EUvsDisinfo, Meta's Doppelganger indicators and DISARM incidents; see
SOURCES.md there) through the public ``Store`` API only, in one transaction.

What the sources say (dates, actors, countries, methods, indicators, quoted procedures) is taken
from them; what an analyst adds (case titles, markings, key judgments, responses, and the
mapping of FIAT methods to DISARM techniques in ``FIAT_METHOD_TECHNIQUES``) is written here and
marked as demo analyst work. Ids are uuid5 of source keys and timestamps are fixed, so every
load gives the same objects; loading twice is refused because cases are never deleted.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import html
import io
import re
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from .clock import format_time
from .disarm import default_catalog
from .errors import NotFoundError, UsageError
from .model import (
    CASE_PARTS,
    Actor,
    Case,
    CaseRecord,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
)
from .observables import refang
from .progress import Progress
from .resources import resource_path
from .store import Store

__all__ = ["DemoReport", "DemoCase", "load_demo", "demo_cases", "FIAT_METHOD_TECHNIQUES"]

#: Namespace of every demo id: uuid5(namespace, source key) gives the same id on every load.
NAMESPACE = uuid.UUID("6f1c2a52-7d0e-5b8a-9c41-2d7a3e0b9f10")
#: When the demo analyst last worked on the first case; fixed so two loads are identical. Each
#: later case is an hour older, so "most recently changed first" lists the flagships first.
RECORDED = datetime(2025, 1, 15, 9, 0, tzinfo=timezone.utc)
#: When the source excerpts were "captured" as evidence.
CAPTURED = format_time(RECORDED)
ANALYST = "Demo Analyst"
FIAT_SOURCE = "DFRLab Foreign Interference Attribution Tracker (DFRLab/interference2020-Data @ 0951516)"
META_2022_URL = "https://about.fb.com/news/2022/09/removing-coordinated-inauthentic-behavior-from-china-and-russia/"

#: FIAT ``methods`` to DISARM v1.6 techniques. FIAT's categories are broader than DISARM's, so
#: each maps to the closest technique that names the behaviour; "Hacking - DDoS" has no DISARM
#: Red technique and stays in the event text only.
FIAT_METHOD_TECHNIQUES: dict[str, tuple[str, ...]] = {
    "Sockpuppets": ("T0143.002",),  # Fabricated Persona
    "Botnets": ("T0049.003",),  # Bots Amplify via Automated Forwarding and Reposting
    "Deceptive Content Manipulation": ("T0023",),  # Distort Facts
    "Hacking - Data Exfiltration": ("T0089",),  # Obtain Private Documents
    "Brigading": ("T0049.005",),  # Conduct Swarming
    "Deep Learning Processes": ("T0145.002",),  # AI-Generated Account Imagery
    "Hacking - DDoS": (),
}

#: Country names as the sources spell them, to ISO 3166 alpha-2 (XK is Kosovo's user-assigned code).
COUNTRIES = {
    "Albania": "AL", "China": "CN", "France": "FR", "Germany": "DE", "India": "IN", "Iran": "IR",
    "Israel": "IL", "Italy": "IT", "Kosovo": "XK", "Latvia": "LV", "Lithuania": "LT",
    "Macedonia": "MK", "North Korea": "KP", "Poland": "PL", "Romania": "RO", "Russia": "RU",
    "Saudi Arabia": "SA", "UK": "GB", "Ukraine": "UA", "United Kingdom": "GB",
    "United States": "US", "USA": "US", "US": "US", "Venezuela": "VE", "Belarus": "BY",
    "Canada": "CA", "Australia": "AU", "Netherlands": "NL",
}
_GENERIC_ACTORS = {"foreign actors", "foreign countries", "individuals", "multiple", ""}
_OUTLET_NAMES = ("Voice of America", "InfoRos", "BLMNews", "Liberty Front Press", "NAEBC", "Antifa.com",
                 "aRep Global")
#: Outlets whose home country is not the attributed state (FIAT records a claim about them).
_OUTLET_HOME = {"Voice of America": "US"}
_STATE_MEDIA = re.compile(r"^(Sputnik|RT |RT$|Rossia|Rossiya|RIA|Channel One|NTV|Zvezda)", re.I)
_TAG = re.compile(r"<[^>]+>")
#: An EUvsDisinfo outlet becomes an actor when it carried at least this many cases; the others
#: stay named in the event text, so the actor graph shows the repeat players.
OUTLET_MIN_CASES = 5


# -- the analyst's layer ----------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What the demo analyst decided about one case: how it is marked, judged and answered."""

    key: str
    title: str
    summary: str
    status: str
    severity: str
    tlp: str
    targets: tuple[str, ...] = ()
    judgments: tuple[tuple[str, str, str, str], ...] = ()  # statement, likelihood, confidence, basis
    responses: tuple[tuple[str, str, str, str, str | None], ...] = ()  # action, C-code, party, status, date
    lessons: str = ""


PLANS: dict[str, Plan] = {p.key: p for p in (
    Plan("fiat-russia", "Russian interference in the 2020 US presidential election",
         "Public attributions of Russian influence activity against US elections collected by DFRLab's "
         "Foreign Interference Attribution Tracker, with the EUvsDisinfo cases in which pro-Kremlin outlets "
         "pushed narratives about the 2020 vote.",
         "assessed", "high", "amber", ("2020 US presidential election",),
         (("Russian state and state-affiliated actors sought to denigrate the electoral process and deepen "
           "social division in the United States during the 2020 campaign.", "very-likely", "high",
           "Repeated direct attributions by government, platform and independent sources (FIAT)."),
          ("Pro-Kremlin outlets will reuse 'rigged election' narratives about the 2020 result in later "
           "elections in Europe.", "likely", "moderate",
           "EUvsDisinfo cases in several languages after November 2020.")),
         (("Brief G7 RRM partners on attribution patterns and shared indicators", "C00176",
           "RRM Focal Point", "done", "2020-11-20"),
          ("Publish a public attribution statement with partners", "C00115", "Foreign ministry",
           "done", "2020-10-22"),
          ("Ask platforms to act on accounts named in partner reports", "C00189", "Platform liaison",
           "in-progress", "2020-11-05")),
         "Attributions from different source types (government, platform, researcher) made the picture "
         "credible; tracking them in one timeline showed the acceleration after September 2020."),
    Plan("doppelganger", "Doppelganger: spoofed news sites targeting Europe",
         "Russia-based network that clones the look of established news and government websites on "
         "lookalike domains and drives traffic to them; indicators from Meta's 2022 takedown and its 2023 "
         "update.",
         "open", "critical", "amber+strict", ("National media brands", "Support for Ukraine"),
         (("The Doppelganger network is operated from Russia in support of Russian foreign-policy aims.",
           "very-likely", "moderate", "Meta's attribution of the network as Russia-based; continuity of "
           "infrastructure between the 2022 and 2023 indicator sets."),
          ("The operators will keep registering new lookalike domains faster than takedowns remove them.",
           "almost-certain", "high", "Registration dates in the 2023 indicators continue into 2024.")),
         (("Share the domain list with national CERTs and registrars", "C00153", "RRM Focal Point",
           "in-progress", "2023-09-01"),
          ("Warn the impersonated outlets and agree a joint public notice", "C00184", "Media liaison",
           "planned", None),
          ("Request takedown of lookalike domains", "C00172", "Legal adviser", "proposed", None))),
    Plan("fiat-iran", "Iranian influence operations targeting US audiences",
         "FIAT attributions of Iranian state and state-linked influence activity aimed at the United States.",
         "closed", "moderate", "green", ("2020 US presidential election",),
         (("Iran-linked networks ran inauthentic accounts aimed at US audiences for years and targeted "
           "2020 campaign staff with cyber operations.", "likely", "moderate",
           "Facebook and Twitter takedowns (2019-2020) and Microsoft's Phosphorus report, as recorded in FIAT."),),
         (("Brief election officials on impersonation e-mails", "C00188", "Election liaison", "done",
           "2020-10-23"),)),
    Plan("fiat-china", "Chinese influence activity around the 2020 US election",
         "FIAT attributions of People's Republic of China influence activity directed at US audiences.",
         "assessed", "moderate", "clear", (),
         (("PRC-linked networks focused on pandemic and foreign-policy narratives rather than on the vote "
           "itself.", "roughly-even-chance", "low",
           "FIAT: BBC, Graphika and Facebook attributions in 2020 centred on COVID-19 content; one US "
           "official statement on election influence."),),
         (("Monitor PRC-linked amplification networks for election content", "C00220", "Analysis unit",
           "in-progress", None),)),
    Plan("fiat-other", "Other foreign actors: attributions from the 2020 cycle",
         "FIAT attributions naming states other than Russia, China and Iran, and commercial actors.",
         "archived", "low", "green"),
    Plan("fiat-unattributed", "Unattributed and domestic claims of interference",
         "FIAT records in which the source named no foreign state, or the activity was domestic; kept to "
         "check against new claims.",
         "draft", "low", "clear"),
    Plan("I00065", "Ghostwriter: compromised sites and fabricated content in the Baltics and Poland",
         "Operations that compromise news websites and politicians' accounts to publish fabricated "
         "content aligned with Russian security interests.",
         "open", "high", "red", ("NATO presence in the Baltics",),
         (("Ghostwriter activity will target the next national elections in Poland and the Baltic states.",
           "likely", "moderate", "Consistent targeting since 2017 in the Mandiant reporting."),),
         (("Alert partner CERTs to account-compromise patterns", "C00176", "RRM Focal Point", "done",
           "2021-09-01"),)),
    Plan("I00104", "Macron campaign hack-and-leak, May 2017",
         "A trove of documents said to come from the Macron campaign was released shortly before the "
         "second round of the 2017 French presidential election.",
         "closed", "high", "amber", ("2017 French presidential election",),
         (("The leak was timed to fall inside the pre-election media blackout.", "very-likely", "high",
           "Release on the last evening of campaigning."),),
         (("Campaigns to seed decoy documents (honeytraps) in mailboxes", "C00202", "Campaign security",
           "done", "2017-05-05"),)),
    Plan("I00121", "Operation Overload: fake content sent to newsrooms and fact-checkers",
         "Pro-Russian actors e-mail fabricated content to newsrooms and fact-checkers across Europe to "
         "exhaust them and get the fakes repeated.",
         "open", "moderate", "amber+strict", (),
         (("Fact-checkers will keep receiving fabricated requests using media logos.", "very-likely",
           "moderate", "CheckFirst report, June 2024."),),
         (("Share sender patterns with fact-checking networks", "C00008", "Media liaison", "planned",
           None),)),
    Plan("I00084", "Russian diplomatic accounts amplifying war narratives",
         "After bans on state media, Russian embassies and officials carried falsehoods about the war in "
         "Ukraine on their own social media accounts.",
         "assessed", "moderate", "green", (),
         (("Official diplomatic accounts are now a primary vector for state narratives in Europe.",
           "likely", "moderate", "Politico reporting quoting EU officials."),),
         (("Raise the conduct of diplomatic accounts with the embassies concerned", "C00170",
           "Foreign ministry", "proposed", None),)),
)}

NARRATIVES_2020 = {
    "Manipulated elections/referendum": ("The 2020 US election was rigged",
                                         "Claims that the vote or count was manipulated and the result illegitimate."),
    "election meddling": ("Russian meddling is a fabrication",
                          "Denial of Russian interference, presented as a smear by US elites."),
    "Deep state": ("A 'deep state' controls US politics",
                   "Hidden elites decide outcomes regardless of voters."),
    "US racial justice protests": ("The United States is collapsing into civil war",
                                   "Protests and unrest framed as the end of US democracy."),
    "Colour revolutions": ("The US exports colour revolutions",
                           "US election turmoil framed as the same playbook used against other states."),
}


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCase:
    id: str
    title: str
    tlp: str
    status: str
    counts: dict[str, int]


@dataclass(frozen=True)
class DemoReport:
    """What ``load_demo`` added: one entry per case, with how many of each kind it holds."""

    cases: list[DemoCase]

    def totals(self) -> dict[str, int]:
        totals = {"case": len(self.cases)}
        for cls in CASE_PARTS:
            totals[cls.KIND] = sum(c.counts.get(cls.KIND, 0) for c in self.cases)
        return totals

    def to_dict(self) -> dict:
        return {"cases": [dataclasses.asdict(c) for c in self.cases], "totals": self.totals()}


# -- building ---------------------------------------------------------------------------------


def demo_id(kind: str, *key: str) -> str:
    """A stable id for a demo object: the same source key gives the same id on every load."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, '/'.join(key))}"


def read_resource(name: str) -> list[dict[str, str]]:
    path = resource_path("demo", name)
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise NotFoundError(f"the demo data file {path} is missing",
                            "reinstall RRM Desk or rebuild it with packaging/build_demo_data.py") from exc


def us_date(text: str) -> str | None:
    """FIAT's M/D/YYYY as ISO, or None when blank."""
    text = text.strip()
    if not text:
        return None
    month, day, year = (int(p) for p in text.split("/"))
    return date(year, month, day).isoformat()


def plain(text: str) -> str:
    """Upstream HTML fragments (DISARM quotes) as plain text."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).replace("_", " ").split())


def split(text: str, sep: str = ",") -> list[str]:
    return [p.strip() for p in text.split(sep) if p.strip()]


def csv_text(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class CaseDraft:
    """Collects one case's records with stable ids, de-duplicating actors, codes and links."""

    def __init__(self, plan: Plan, countries: Iterable[str] = ()) -> None:
        self.plan = plan
        self.case = Case(id=demo_id("case", plan.key), title=plan.title, summary=plan.summary,
                         status=plan.status, severity=plan.severity, tlp=plan.tlp,
                         target_countries=list(countries), targets=list(plan.targets),
                         lessons=plan.lessons, created_by=ANALYST)
        self.records: dict[str, CaseRecord] = {}
        self.files: list[tuple[Evidence, bytes]] = []
        self.techniques: dict[str, dict[str, list[str]]] = {}  # code -> reason -> source refs
        #: the case's records in load order, set by ``finish``
        self.parts: list[CaseRecord] = []

    def _key(self, *parts: str) -> tuple[str, ...]:
        return (self.plan.key, *parts)

    def add(self, record: CaseRecord) -> str:
        self.records.setdefault(record.id, record)
        return record.id

    def actor(self, name: str, kind: str, country: str = "", **fields: str) -> str:
        object_id = demo_id("actor", *self._key("actor", name.casefold()))
        if object_id not in self.records:
            self.add(Actor(id=object_id, case_id=self.case.id, name=name, kind=kind, country=country, **fields))
        return object_id

    def state(self, nation: str) -> str:
        return self.actor(nation, "state", COUNTRIES.get(nation, ""), description=f"The state of {nation}.")

    def link(self, source: str, kind: str, target: str, **fields: object) -> None:
        object_id = demo_id("relationship", *self._key(source, kind, target))
        if source != target and object_id not in self.records:
            self.add(Relationship(id=object_id, case_id=self.case.id, source_id=source, type=kind,
                                  target_id=target, **fields))  # type: ignore[arg-type]

    def event(self, slug: str, **fields: object) -> str:
        object_id = demo_id("event", *self._key("event", slug))
        return self.add(Event(id=object_id, case_id=self.case.id, **fields))  # type: ignore[arg-type]

    def evidence(self, key: str, **fields: object) -> str:
        return self.add(Evidence(id=demo_id("evidence", *self._key("evidence", key)), case_id=self.case.id,
                                 captured_by=ANALYST, **fields))  # type: ignore[arg-type]

    def evidence_file(self, key: str, filename: str, content: bytes, **fields: object) -> str:
        """File evidence; its bytes go in through ``Store.add_evidence_stream`` like any import."""
        record = Evidence(id=demo_id("evidence", *self._key("evidence", key)), case_id=self.case.id,
                          kind="file", filename=filename, media_type="text/csv", size=len(content),
                          sha256=hashlib.sha256(content).hexdigest(), captured_by=ANALYST,
                          captured_at=CAPTURED,
                          custody=[{"at": CAPTURED, "by": ANALYST, "action": "extracted from the public source"}],
                          **fields)  # type: ignore[arg-type]
        self.files.append((record, content))
        return record.id

    def uses(self, codes: Iterable[str], why: str, ref: str = "") -> list[str]:
        """Record that the case shows these techniques, and why; every code must be in the catalog."""
        kept = [default_catalog().technique(c).code for c in codes]
        for code in kept:
            refs = self.techniques.setdefault(code, {}).setdefault(why, [])
            if ref and ref not in refs:
                refs.append(ref)
        return kept

    def narrative(self, key: str, title: str, description: str, first_seen: str | None = None) -> str:
        return self.add(Narrative(id=demo_id("narrative", *self._key("narrative", key)), case_id=self.case.id,
                                  title=title, description=description, language="en", first_seen=first_seen))

    def finish(self, recorded: str) -> CaseDraft:
        """Add the technique uses, judgments and responses, order the records for the store and
        stamp them all with ``recorded``."""
        for code, reasons in sorted(self.techniques.items()):
            note = "; ".join(f"{why} ({len(refs)}: {', '.join(sorted(refs))})" if refs else why
                             for why, refs in sorted(reasons.items()))
            self.add(TechniqueUse(id=demo_id("technique-use", *self._key("ttp", code)), case_id=self.case.id,
                                  code=code, note=note))
        for n, (statement, likelihood, confidence, basis) in enumerate(self.plan.judgments):
            self.add(Judgment(id=demo_id("judgment", *self._key("judgment", str(n))), case_id=self.case.id,
                              statement=statement, likelihood=likelihood, confidence=confidence, basis=basis))
        for n, (action, code, party, status, when) in enumerate(self.plan.responses):
            default_catalog().countermeasure(code)
            self.add(Response(id=demo_id("response", *self._key("response", str(n))), case_id=self.case.id,
                              action=action, countermeasure=code, party=party, status=status, date=when))
        order = {cls: i for i, cls in enumerate(CASE_PARTS)}
        self.parts = sorted(self.records.values(), key=lambda r: order[type(r)])
        for record in (self.case, *self.parts, *(f for f, _ in self.files)):
            record.created = record.modified = recorded
        return self


# -- FIAT -------------------------------------------------------------------------------------


def fiat_group(row: dict[str, str]) -> str:
    nations = split(row["disinformant_nation"])
    if "Russia" in nations:
        return "fiat-russia"
    if "Iran" in nations:
        return "fiat-iran"
    if "China" in nations:
        return "fiat-china"
    if not [n for n in nations if n not in ("United States", "unspecified")]:
        return "fiat-unattributed"
    return "fiat-other"


def fiat_actor_kind(name: str, nations: list[str], attribution: str) -> tuple[str, dict[str, str]]:
    if name.startswith("@"):
        return "account", {"platform": "Twitter", "handle": name}
    if name in _OUTLET_NAMES:
        return "media-outlet", {}
    if "Commercial" in attribution:
        return "organisation", {}
    return ("state-affiliated" if len(nations) == 1 else "unknown"), {}


def _reliability(row: dict[str, str]) -> str:
    score = int(row["attribution_total_score"] or 0)
    return "B" if score >= 15 else "C" if score >= 10 else "D"


def _credibility(row: dict[str, str]) -> str:
    attribution = row["disinformant_attribution"]
    return "2" if attribution.startswith("Direct") else "3" if attribution.startswith("Proxy") else "4"


def add_fiat_row(draft: CaseDraft, row: dict[str, str]) -> None:
    key = row["case_hash"]
    nations = [n for n in split(row["disinformant_nation"]) if n in COUNTRIES]
    attributed = us_date(row["attribution_date"])
    attribution = row["disinformant_attribution"] or "attribution not stated"
    confidence = "moderate" if row["disinformant_attribution"].startswith("Direct") else "low"
    source = draft.actor(row["source"], "organisation", COUNTRIES.get(row["source_nation"], ""),
                         description=f"{row['source_category']} that published an attribution (FIAT source).")
    states = [draft.state(n) for n in nations]
    named = []
    for name in split(row["disinformant"]):
        if name.casefold() in _GENERIC_ACTORS or name in COUNTRIES:
            continue
        kind, extra = fiat_actor_kind(name, nations, row["disinformant_attribution"])
        home = _OUTLET_HOME.get(name, COUNTRIES[nations[0]] if len(nations) == 1 else "")
        named.append(draft.actor(name, kind, home,
                                 description=f"Named as disinformant in FIAT ({attribution}).",
                                 **extra))
    for actor in named:
        for state in states:
            draft.link(actor, "attributed-to", state, confidence=confidence, first_seen=attributed,
                       description=f"{row['source']}: {row['disinformant_attribution'] or 'attribution'}")
        for other in named:
            if actor < other:
                draft.link(actor, "coordinates-with", other, confidence="low", first_seen=attributed,
                           description="Named together in one attribution.")
    for target in named or states:
        draft.link(source, "exposes", target, first_seen=attributed, description=row["short_title"])
    methods = split(row["methods"])
    codes = [code for method in methods
             for code in draft.uses(FIAT_METHOD_TECHNIQUES.get(method, ()), f"FIAT method {method}", key)]
    platforms = ", ".join(split(row["social_media"]) + split(row["messaging_platforms"]) + split(row["open_web"]))
    link = draft.evidence(key, title=f"{row['source']}: {row['short_title']}"[:300], kind="url",
                          url=row["attribution_url"], source=f"DFRLab FIAT 2020, case {key}",
                          description=f"Archived copy: {row['archived_attribution_url'] or 'none'}",
                          reliability=_reliability(row), credibility=_credibility(row), captured_at=CAPTURED)
    actors = [source, *named, *states]
    if attributed:
        draft.event(f"{key}/attribution", title=row["short_title"], start=attributed, category="attribution",
                    description=f"{row['short_description']}\n\nSource: {row['source']} ({row['source_category']}, "
                                f"{row['source_nation']}). Attribution: {attribution}. "
                                f"Methods: {', '.join(methods) or 'not stated'}.",
                    platform=platforms, actor_ids=actors, evidence_ids=[link], techniques=codes,
                    reliability=_reliability(row), credibility=_credibility(row),
                    key=int(row["attribution_total_score"] or 0) >= 15)
    start, end = us_date(row["start_date"]), us_date(row["end_date"])
    if start:
        draft.event(f"{key}/activity", title=f"Activity begins: {row['short_title']}"[:300], start=start,
                    end=end if end and end >= start else None, category="activity",
                    description=f"Start of the activity as reported by {row['source']}.",
                    platform=platforms, actor_ids=[*named, *states], techniques=codes,
                    reliability=_reliability(row), credibility=_credibility(row))


def fiat_drafts() -> list[CaseDraft]:
    rows = read_resource("fiat_cases.csv")
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(fiat_group(row), []).append(row)
    drafts = []
    for key in ("fiat-russia", "fiat-iran", "fiat-china", "fiat-other", "fiat-unattributed"):
        members = groups.get(key, [])
        draft = CaseDraft(PLANS[key], ["US"])
        for row in members:
            add_fiat_row(draft, row)
        excerpt = [{c: r[c] for c in ("case_hash", "short_title", "source", "disinformant", "disinformant_nation",
                                      "attribution_date", "methods", "attribution_url")} for r in members]
        draft.evidence_file("fiat-excerpt", f"fiat-{key.removeprefix('fiat-')}.csv", csv_text(excerpt),
                            title=f"DFRLab FIAT 2020 rows for this case ({len(members)})",
                            source=FIAT_SOURCE,
                            description="The source rows this case was built from.", reliability="B", credibility="2")
        if key == "fiat-russia":
            add_timeline(draft)
            add_euvsdisinfo(draft)
        drafts.append(draft)
    return drafts


def add_timeline(draft: CaseDraft) -> None:
    for row in read_resource("fiat_timeline.csv"):
        draft.event(f"timeline/{row['event_name']}", title=row["event_name"], start=us_date(row["date"]),
                    category="context", description=row["description"], location="United States")


def add_euvsdisinfo(draft: CaseDraft) -> None:
    russia = draft.state("Russia")
    rows = read_resource("euvsdisinfo_us2020.csv")
    narratives = {
        keyword: draft.narrative(keyword, title, description,
                                 min((r["date"] for r in rows if keyword in r["keywords"].split("+")), default=None))
        for keyword, (title, description) in NARRATIVES_2020.items()
    }
    seen = Counter(name for row in rows for name in dict.fromkeys(split(row["outlets"], "+")))
    for row in rows:
        keywords = row["keywords"].split("+")
        outlets = []
        for name in dict.fromkeys(split(row["outlets"], "+")):
            if name == "Show more" or seen[name] < OUTLET_MIN_CASES:
                continue
            state_media = bool(_STATE_MEDIA.match(name))
            outlet = draft.actor(name, "media-outlet", "RU" if state_media else "",
                                 description="Outlet named in EUvsDisinfo cases.")
            if state_media:
                draft.link(russia, "controls", outlet, confidence="high", description="Russian state-funded outlet.")
            outlets.append(outlet)
        carried = [narratives[k] for k in keywords if k in narratives]
        for outlet in outlets:
            for narrative in carried:
                draft.link(outlet, "amplifies", narrative, confidence="moderate", first_seen=row["date"])
        draft.event(f"euvs/{row['id']}", title=row["title"][:300], start=row["date"], category="disinformation",
                    description=f"EUvsDisinfo case {row['id']}\nLanguages: {row['languages'].replace('+', ', ')}\n"
                                f"Keywords: {', '.join(keywords)}\nTargeted: {row['countries'].replace('+', ', ')}",
                    actor_ids=outlets, narrative_ids=carried, reliability="B", credibility="2")
    draft.evidence_file("euvs-excerpt", "euvsdisinfo-us2020.csv", csv_text(rows),
                        title=f"EUvsDisinfo cases tagged 'US Presidential Election 2020' ({len(rows)})",
                        source="EUvsDisinfo database, EEAS East StratCom Task Force (cknabs/EUvsDisinfo @ c4acb10)",
                        reliability="B", credibility="2")


# -- Meta: Doppelganger ---------------------------------------------------------------------


def doppelganger_draft() -> CaseDraft:
    rows = read_resource("meta_doppelganger.csv")
    targets = sorted({COUNTRIES[t] for r in rows for t in split(r["target"], "/") if t in COUNTRIES})
    draft = CaseDraft(PLANS["doppelganger"], targets)
    russia = draft.state("Russia")
    network = draft.actor("Doppelganger", "proxy", "RU", aliases=["RRN", "Recent Reliable News"],
                          description="Russia-based network spoofing news and government websites (Meta).")
    meta = draft.actor("Meta", "organisation", "US", description="Platform whose threat reports exposed the network.")
    draft.link(network, "attributed-to", russia, confidence="moderate", first_seen="2022-09-27",
               description="Meta: Russia-based coordinated inauthentic behaviour.")
    draft.link(meta, "exposes", network, first_seen="2022-09-27")
    spoof = draft.narrative("spoofed-media", "Trusted media say sanctions and support for Ukraine hurt you",
                            "Articles on cloned news sites that borrow the credibility of established outlets.",
                            "2022-06-03")
    report = draft.evidence("meta-2022", title="Meta: Removing coordinated inauthentic behavior from China and Russia",
                            kind="url", source="Meta threat research (facebook/threat-research)",
                            url=META_2022_URL,
                            reliability="B", credibility="2", captured_at=CAPTURED)
    codes_2022 = draft.uses(["T0149.003", "T0097.202", "T0143.003"], "Meta 2022: domains spoofing news outlets")
    draft.event("takedown-2022", title="Meta removes the Doppelganger network", start="2022-09-27",
                category="response", key=True, actor_ids=[meta, network], narrative_ids=[spoof],
                evidence_ids=[report], techniques=codes_2022, reliability="B", credibility="2",
                description="Meta's report lists lookalike domains targeting Germany, France, Italy, Latvia, "
                            "Ukraine and the UK, and Telegram channels used by the network.")
    observed: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        observed.setdefault(refang(row["indicator"]).lower(), []).append(row)
    registered: dict[str, list[dict[str, str]]] = {}
    for value, found in observed.items():
        first = found[0]
        note = "; ".join(dict.fromkeys(f"Meta {r['report']}: {r['comment']}" for r in found))
        draft.add(Observable(id=demo_id("observable", draft.plan.key, value), case_id=draft.case.id,
                             value=first["indicator"], kind="url" if first["type"] == "telegram_url" else "domain",
                             note=note))
        if first["type"] == "telegram_url":
            handle = value.rstrip("/").rsplit("/", 1)[-1]
            channel = draft.actor(f"Telegram @{handle}", "account", platform="Telegram", handle=handle,
                                  description="Telegram channel listed by Meta for the network.")
            draft.link(network, "controls", channel, confidence="moderate", first_seen="2022-09-27")
        for row in found:
            if row["registered"]:
                registered.setdefault(row["registered"], []).append(row)
    for day, found in sorted(registered.items()):
        own = any("websites and brands" in r["comment"] for r in found)
        why = "operation's own websites and brands" if own else "domains spoofing news or government sites"
        codes = draft.uses(["T0149.001"] if own else ["T0149.003", "T0097.202"], f"Meta 2023: {why}")
        names = sorted({r["indicator"] for r in found})
        where = sorted({r["target"] for r in found if r["target"]})
        title = (f"{len(names)} Doppelganger domains registered" if len(names) > 1
                 else f"Doppelganger domain registered: {names[0]}")
        draft.event(f"registered/{day}", title=title,
                    start=day, category="infrastructure", actor_ids=[network], techniques=codes,
                    description=f"Domains: {', '.join(names)}\n"
                                f"Country likely targeted: {', '.join(where) or 'not stated'}",
                    reliability="B", credibility="3")
    excerpt = [{k: r[k] for k in ("report", "indicator", "type", "registered", "target")} for r in rows]
    draft.evidence_file("meta-indicators", "doppelganger-indicators.csv", csv_text(excerpt),
                        title=f"Meta Doppelganger indicators ({len(rows)} rows)",
                        source="Meta threat research indicators (facebook/threat-research @ a1b05bf), MIT",
                        reliability="B", credibility="2")
    return draft


# -- DISARM incidents -------------------------------------------------------------------------


def disarm_drafts() -> list[CaseDraft]:
    techniques = read_resource("disarm_incident_techniques.csv")
    urls = {r["url_id"]: r for r in read_resource("disarm_urls.csv")}
    drafts = []
    for incident in read_resource("disarm_incidents.csv"):
        key = incident["disarm_id"]
        countries = [COUNTRIES[c] for c in split(incident["found_in_country"]) if c in COUNTRIES]
        draft = CaseDraft(PLANS[key], countries)
        states = [draft.state(n) for n in split(incident["attributions_seen"]) if n in COUNTRIES]
        actors = list(states)
        references = [urls[u] for u in incident["urls"].split() if u in urls]
        for ref in references:
            published = ref["pub_date"].replace("/", "-")
            org = draft.actor(ref["org"], "organisation", description="Published the reference report.")
            actors.append(org)
            for state in states:
                draft.link(org, "exposes", state, first_seen=published)
            link = draft.evidence(ref["url_id"], title=f"{ref['org']}: {incident['name']}"[:300], kind="url",
                                  url=ref["url_id"], source=f"DISARM incident {key}; {ref['authors']}",
                                  description=f"Archived copy: {ref['archive_link']}", reliability="B",
                                  credibility="2", captured_at=CAPTURED)
            draft.event(f"published/{ref['url_id']}", title=f"{ref['org']} publishes: {incident['name']}"[:300],
                        start=published, category="reporting", actor_ids=[org], evidence_ids=[link], key=True,
                        description=plain(incident["summary"]), reliability="B", credibility="2")
        started = f"{incident['year_started']}-01-01" if incident["year_started"] else None
        if started:
            draft.event("started", title="Activity begins (year reported by DISARM)", start=started,
                        category="activity", actor_ids=states, description=plain(incident["summary"])[:2000])
        # a procedure is dated by the report that describes it: the sources give no earlier date
        observed = references[0]["pub_date"].replace("/", "-") if references else started
        for row in (r for r in techniques if r["incident_id"] == key and observed):
            quoted = draft.evidence(row["disarm_id"], title=f"DISARM procedure {row['disarm_id']}", kind="text",
                                    text=plain(row["name"]), captured_at=CAPTURED, reliability="B", credibility="2",
                                    source=f"DISARM incident {key} (DISARMframeworks @ 49df5f6), CC BY-SA 4.0")
            codes = draft.uses(split(row["technique_ids"]), f"DISARM incident {key} procedure", row["disarm_id"])
            draft.event(f"procedure/{row['disarm_id']}", title=f"Procedure observed ({', '.join(codes) or 'unmapped'})",
                        start=observed, category="technique", actor_ids=actors, evidence_ids=[quoted],
                        techniques=codes, description=plain(row["name"])[:4000])
        drafts.append(draft)
    return drafts


def demo_cases() -> list[CaseDraft]:
    """Every demo case, built in memory from the shipped extracts, in the order they load."""
    fiat = fiat_drafts()
    drafts = (fiat[0], doppelganger_draft(), *fiat[1:], *disarm_drafts())
    return [d.finish(format_time(RECORDED - timedelta(hours=n))) for n, d in enumerate(drafts)]


# -- loading ----------------------------------------------------------------------------------


def already_loaded(store: Store) -> bool:
    try:
        store.get_case(demo_id("case", "fiat-russia"))
    except NotFoundError:
        return False
    return True


def load_demo(store: Store, progress: Progress | None = None) -> DemoReport:
    """Add the demo case set to ``store`` in one transaction; refuse if it is already there.

    Cases are never deleted, so a second load could only duplicate them: it is refused with the
    way to start afresh instead.
    """
    progress = progress or Progress()
    if already_loaded(store):
        raise UsageError("this workspace already holds the demo cases",
                         "see them with 'rrmdesk case list'; for a fresh copy, "
                         "run 'rrmdesk --workspace NEW_FOLDER init' and load the demo there")
    drafts = demo_cases()
    steps = len(drafts) + 1
    with store.transaction():
        store.add_many([d.case for d in drafts])
        for done, draft in enumerate(drafts, start=1):
            for record, content in draft.files:
                store.add_evidence_stream(record, io.BytesIO(content), len(content))
            store.add_many(draft.parts)
            progress.update(done, steps, draft.case.title)
        progress.update(steps, steps, "demo loaded")
    return DemoReport([DemoCase(d.case.id, d.case.title, d.case.tlp, d.case.status, store.counts(d.case.id))
                       for d in drafts])

