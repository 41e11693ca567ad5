"""Cases for chart tests, built from the real public data in shared/data and one realistic demo.

- ``fiat_case``: DFRLab's Foreign Interference Attribution Tracker (63 real attributions):
  attribution source → disinformant → nation, one event per operation (a bar from start to end)
  and one per public attribution (an instant).
- ``meta_doppelganger_case``: Meta's Q2 2023 Doppelganger indicator file: the network, the
  spoofing domains it registered (registration dates become events, targeted countries become
  narratives) and the redirect infrastructure.
- ``demo_case``: a hand-written Doppelganger-style case with durations, key events, DISARM
  techniques, narratives, evidence and relationships of every confidence.
Each returns a ``CaseSnapshot``; ``store_case`` writes one into a real workspace.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime, timedelta, timezone

from rrmdesk.charts import CaseSnapshot
from rrmdesk.model import Actor, Case, Event, Evidence, Narrative, Relationship
from rrmdesk.store import Store
from tests.shared_data import shared

FIAT_METHODS = {
    "Sockpuppets": "T0097",  # Present Persona
    "Botnets": "T0049.003",  # Bots Amplify via Automated Forwarding and Reposting
    "Deceptive Content Manipulation": "T0084",  # Reuse Existing Content
    "Hacking - Data Exfiltration": "T0089",  # Obtain Private Documents
    "Hacking - DDoS": "T0123",  # Offensive cyberspace operations
    "Brigading": "T0049",  # Flood Information Space
    "Deep Learning Processes": "T0086",  # Develop Image-Based Content
}
SOURCE_KINDS = {"Media": "media-outlet", "Government": "organisation", "Technology Company": "organisation",
                "Influential Individual": "individual", "Foreign Government Body": "organisation"}
ATTRIBUTION_CONFIDENCE = {"Direct Attribution": "high", "Proxy/Inferred Attribution": "moderate"}


def _date(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    month, day, year = (int(p) for p in text.split("/"))
    return f"{year:04d}-{month:02d}-{day:02d}"


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip() and p.strip().lower() != "unspecified"]


def fiat_case(tlp: str = "green") -> CaseSnapshot:
    case = Case(title="FIAT 2020: attributed foreign interference in the US election", tlp=tlp,
                target_countries=["US"], summary="DFRLab Foreign Interference Attribution Tracker, 63 cases")
    rows = list(csv.DictReader(shared("dfrlab-fiat-2020", "DFRLab_interference2020.csv").open(encoding="utf-8")))
    actors: dict[str, Actor] = {}
    relationships: dict[tuple[str, str, str], Relationship] = {}
    events: list[Event] = []

    def actor(name: str, kind: str) -> Actor:
        key = name.casefold()
        if key not in actors:
            actors[key] = Actor(case_id=case.id, name=name, kind=kind)
        return actors[key]

    def link(source: Actor, kind: str, target: Actor, confidence: str | None) -> None:
        key = (source.id, kind, target.id)
        if key not in relationships and source.id != target.id:
            relationships[key] = Relationship(case_id=case.id, source_id=source.id, type=kind, target_id=target.id,
                                              confidence=confidence)

    engagement = sorted((int(r["total_engagement"] or 0) for r in rows), reverse=True)
    key_threshold = engagement[4]
    for row in rows:
        source = actor(row["source"].strip(), SOURCE_KINDS.get(row["source_category"], "organisation"))
        nations = [actor(n, "state") for n in _split(row["disinformant_nation"])]
        disinformants = []
        for index, name in enumerate(_split(row["disinformant"])):
            is_nation = any(name.casefold() == n.name.casefold() for n in nations)
            disinformant = actor(name, "state" if is_nation else "state-affiliated")
            disinformants.append(disinformant)
            targets = [nations[index]] if len(nations) == len(_split(row["disinformant"])) else nations
            for nation in targets:
                link(disinformant, "attributed-to", nation, None)
        confidence = ATTRIBUTION_CONFIDENCE.get(row["disinformant_attribution"].split(",")[0].strip(), "low")
        for disinformant in disinformants or nations:
            link(source, "attributes", disinformant, confidence)
        methods = _split(row["methods"])
        platforms = _split(row["social_media"])
        techniques = [FIAT_METHODS[m] for m in methods if m in FIAT_METHODS]
        involved = [a.id for a in (disinformants or nations)]
        start, end, attributed = _date(row["start_date"]), _date(row["end_date"]), _date(row["attribution_date"])
        if start:
            events.append(Event(
                case_id=case.id, title=row["short_title"].strip(), start=start,
                end=end if end and end >= start else None, category=methods[0] if methods else "unspecified method",
                platform=platforms[0] if platforms else ("open web" if row["open_web"] else ""),
                actor_ids=involved, techniques=techniques,
                key=int(row["total_engagement"] or 0) >= key_threshold,
                description=row["short_description"].strip()[:2000]))
        if attributed:
            events.append(Event(
                case_id=case.id, title=f"Attribution by {source.name}", start=attributed, category="public attribution",
                actor_ids=[source.id, *involved], platform=platforms[0] if platforms else "",
                techniques=techniques))
    return CaseSnapshot(case, list(actors.values()), [], events, [], list(relationships.values()))


_REGISTERED = re.compile(r"Registration date:\s*(\d{1,2})/(\d{1,2})/(\d{4})")
_TARGETED = re.compile(r"Country likely targeted:\s*([A-Za-z ]+)")


def _refang(text: str) -> str:
    return text.replace("[.]", ".").strip().strip("/")


def meta_doppelganger_case(tlp: str = "amber", redirects: int = 120) -> CaseSnapshot:
    """The Doppelganger network; ``redirects`` caps the 5,923 redirect URLs kept as assets."""
    path = shared("meta-threat-research", "indicators", "csv", "Q2_2023",
                  "Q2_2023_Doppelganger_Russia_based_CIB_network_updated.csv")
    case = Case(title="Doppelganger: Russia-based CIB network (Meta, Q2 2023)", tlp=tlp,
                target_countries=["FR", "DE", "US", "UA"])
    russia = Actor(case_id=case.id, name="Russia", kind="state", country="RU")
    network = Actor(case_id=case.id, name="Doppelganger network", kind="proxy", country="RU",
                    attributed_to=russia.id, attribution_confidence="high")
    actors = [russia, network]
    narratives: dict[str, Narrative] = {}
    events, relationships = [], []
    seen: set[str] = set()
    redirect_hubs: dict[str, Actor] = {}
    kept_redirects = 0
    rows = list(csv.reader(path.open(encoding="utf-8")))
    for row in rows[1:]:
        if len(row) < 4 or not row[3].strip():
            continue
        technique, indicator, note = row[1].strip(), _refang(row[3]), (row[4] if len(row) > 4 else "")
        host = indicator.split("//")[-1].split("/")[0]
        if technique.startswith("0.6") and host not in seen:
            seen.add(host)
            domain = Actor(case_id=case.id, name=host, kind="media-outlet", platform="web",
                           description=note.strip())
            actors.append(domain)
            relationships.append(Relationship(case_id=case.id, source_id=network.id, type="operates",
                                              target_id=domain.id, confidence="high"))
            target = _TARGETED.search(note)
            narrative_ids = []
            if target:
                country = target.group(1).strip()
                if country not in narratives:
                    narratives[country] = Narrative(case_id=case.id, title=f"Spoofed news aimed at {country}")
                narrative_ids = [narratives[country].id]
            registered = _REGISTERED.search(note)
            if registered:
                month, day, year = (int(g) for g in registered.groups())
                events.append(Event(case_id=case.id, title=f"Domain registered: {host}", start=f"{year:04d}-{month:02d}-{day:02d}",
                                    category="domain registration", platform="web", actor_ids=[network.id, domain.id],
                                    narrative_ids=narrative_ids, techniques=["T0149.003"]))
        elif technique.startswith("9.5") and kept_redirects < redirects and host not in seen:
            seen.add(host)
            kept_redirects += 1
            hub_name = host.split(".")[-1]
            if hub_name not in redirect_hubs:
                hub = Actor(case_id=case.id, name=f"Redirect infrastructure (.{hub_name})", kind="organisation")
                redirect_hubs[hub_name] = hub
                actors.append(hub)
                relationships.append(Relationship(case_id=case.id, source_id=network.id, type="controls",
                                                  target_id=hub.id, confidence="moderate"))
            redirect = Actor(case_id=case.id, name=host, kind="account", platform="web")
            actors.append(redirect)
            relationships.append(Relationship(case_id=case.id, source_id=redirect_hubs[hub_name].id, type="redirects-to",
                                              target_id=redirect.id, confidence="low"))
    return CaseSnapshot(case, actors, list(narratives.values()), sorted(events, key=lambda e: e.start), [],
                        relationships)


def demo_case(tlp: str = "amber") -> CaseSnapshot:
    """A realistic, hand-written case: eight months of a cloned-news operation against two elections."""
    case = Case(title="Doppelganger: cloned news sites", tlp=tlp, target_countries=["FR", "DE"],
                summary="Clones of Le Monde and Der Spiegel push anti-Ukraine-aid narratives before elections")
    c = case.id
    russia = Actor(case_id=c, name="Russian Federation", kind="state", country="RU")
    sda = Actor(case_id=c, name="Social Design Agency", kind="state-affiliated", country="RU",
                attributed_to=russia.id, attribution_confidence="moderate")
    structura = Actor(case_id=c, name="Structura National Technologies", kind="state-affiliated", country="RU")
    rrn = Actor(case_id=c, name="RRN (Reliable Recent News)", kind="media-outlet", platform="web")
    clone_lm = Actor(case_id=c, name="lemonde.ltd (clone)", kind="media-outlet", platform="web")
    clone_sp = Actor(case_id=c, name="spiegel.ltd (clone)", kind="media-outlet", platform="web")
    bots = Actor(case_id=c, name="X amplification cluster", kind="account", platform="X", handle="@various")
    fb_pages = Actor(case_id=c, name="Facebook ad pages", kind="account", platform="Facebook")
    tg = Actor(case_id=c, name="Telegram relay channels", kind="account", platform="Telegram")
    influencer = Actor(case_id=c, name="Paid French influencer", kind="individual", country="FR")
    proxy = Actor(case_id=c, name="Unattributed hosting reseller", kind="unknown")
    actors = [russia, sda, structura, rrn, clone_lm, clone_sp, bots, fb_pages, tg, influencer, proxy]
    aid = Narrative(case_id=c, title="Aid to Ukraine impoverishes Europeans", language="fr")
    sanctions = Narrative(case_id=c, title="Sanctions hurt Europe more than Russia", language="de")
    elections = Narrative(case_id=c, title="The elections are rigged", language="fr")
    refugees = Narrative(case_id=c, title="Ukrainian refugees bring crime", language="de")
    narratives = [aid, sanctions, elections, refugees]
    archive = Evidence(case_id=c, title="Archived clone of Le Monde article", kind="url",
                       url="https://web.archive.org/web/2024/lemonde.ltd/article")
    report = Evidence(case_id=c, title="Platform takedown report", kind="url", url="https://example.org/takedown")
    evidence = [archive, report]
    rels = [
        Relationship(case_id=c, source_id=sda.id, type="controls", target_id=rrn.id, confidence="high"),
        Relationship(case_id=c, source_id=structura.id, type="operates", target_id=clone_lm.id, confidence="high"),
        Relationship(case_id=c, source_id=structura.id, type="operates", target_id=clone_sp.id, confidence="moderate"),
        Relationship(case_id=c, source_id=sda.id, type="directs", target_id=structura.id, confidence="moderate"),
        Relationship(case_id=c, source_id=structura.id, type="attributed-to", target_id=russia.id, confidence="low"),
        Relationship(case_id=c, source_id=bots.id, type="amplifies", target_id=clone_lm.id, confidence="high"),
        Relationship(case_id=c, source_id=bots.id, type="amplifies", target_id=clone_sp.id, confidence="high"),
        Relationship(case_id=c, source_id=fb_pages.id, type="amplifies", target_id=rrn.id, confidence="moderate"),
        Relationship(case_id=c, source_id=tg.id, type="amplifies", target_id=rrn.id, confidence=None),
        Relationship(case_id=c, source_id=influencer.id, type="amplifies", target_id=clone_lm.id, confidence="low"),
        Relationship(case_id=c, source_id=proxy.id, type="hosts", target_id=clone_lm.id, confidence="moderate"),
        Relationship(case_id=c, source_id=proxy.id, type="hosts", target_id=clone_sp.id, confidence="moderate"),
        Relationship(case_id=c, source_id=sda.id, type="funds", target_id=influencer.id, confidence="low"),
    ]
    start = datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc)
    plan = [
        # (day offset, hours long or 0, title, category, actors, narratives, techniques, platform, key)
        (0, 24 * 20, "Clone domains registered", "infrastructure", [structura, proxy], [], ["T0149.003"], "web", True),
        (12, 0, "First cloned Le Monde article", "publication", [clone_lm], [aid], ["T0084"], "web", False),
        (15, 0, "Cloned Spiegel article on sanctions", "publication", [clone_sp], [sanctions], ["T0084"], "web", False),
        (16, 24 * 5, "Bot burst on X", "amplification", [bots], [aid, sanctions], ["T0049.003"], "X", False),
        (30, 24 * 45, "Facebook ad campaign", "paid promotion", [fb_pages], [aid], ["T0114"], "Facebook", True),
        (41, 0, "RRN republishes clone content", "publication", [rrn, sda], [aid], ["T0084"], "web", False),
        (52, 0, "Telegram relay starts", "amplification", [tg], [refugees], ["T0115"], "Telegram", False),
        (60, 0, "Influencer video repeats clone claims", "publication", [influencer], [aid], ["T0087"], "YouTube", False),
        (75, 24 * 3, "Coordinated comment brigade", "amplification", [bots], [refugees], ["T0116"], "X", False),
        (90, 0, "Platform takedown of 1,200 accounts", "response", [bots, fb_pages], [], [], "X", True),
        (104, 24 * 30, "New clone wave before EU elections", "infrastructure", [structura], [elections], ["T0149.003"], "web", False),
        (118, 0, "Fabricated poll on rigged vote", "publication", [clone_lm], [elections], ["T0085"], "web", True),
        (121, 24 * 4, "Bot amplification of rigged-vote claim", "amplification", [bots], [elections], ["T0049.003"], "X", False),
        (140, 0, "Government attribution statement", "response", [sda, structura, russia], [], [], "", True),
        (152, 0, "Telegram channels rebrand", "infrastructure", [tg], [], ["T0097"], "Telegram", False),
        (170, 24 * 14, "Sanctions narrative revived", "publication", [clone_sp, rrn], [sanctions], ["T0084"], "web", False),
        (200, 0, "Refugee crime story seeded", "publication", [tg], [refugees], ["T0085"], "Telegram", False),
        (215, 0, "Second platform takedown", "response", [bots], [], [], "X", False),
    ]
    events = []
    for offset, hours, title, category, who, about, techniques, platform, key in plan:
        begins = start + timedelta(days=offset)
        events.append(Event(case_id=c, title=title, start=begins.isoformat(),
                            end=(begins + timedelta(hours=hours)).isoformat() if hours else None, category=category,
                            actor_ids=[a.id for a in who], narrative_ids=[n.id for n in about],
                            techniques=techniques, platform=platform, key=key,
                            evidence_ids=[archive.id] if title.startswith("First cloned") else
                            [report.id] if "takedown" in title else [], reliability="B", credibility="2"))
    return CaseSnapshot(case, actors, narratives, events, evidence, rels)


def random_case(events: int, seed: int = 1, lanes: int = 12) -> CaseSnapshot:
    """A large seeded case for density tests and benchmarks (no real content)."""
    import random

    rng = random.Random(seed)
    case = Case(title=f"Synthetic case with {events:,} events", tlp="amber")
    actors = [Actor(case_id=case.id, name=f"Account cluster {i + 1}", kind="account") for i in range(lanes)]
    origin = datetime(2023, 1, 1, tzinfo=timezone.utc)
    items = []
    for i in range(events):
        begins = origin + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        items.append(Event(case_id=case.id, title=f"Post {i}", start=begins.isoformat(),
                           category=rng.choice(["publication", "amplification", "infrastructure"]),
                           actor_ids=[rng.choice(actors).id], platform=rng.choice(["X", "Facebook", "Telegram"])))
    return CaseSnapshot(case, actors, [], sorted(items, key=lambda e: e.start), [], [])


def store_case(store: Store, snapshot: CaseSnapshot) -> str:
    """Write a snapshot into a real workspace; returns the case id."""
    records = [snapshot.case, *snapshot.actors, *snapshot.narratives, *snapshot.evidence, *snapshot.events,
               *snapshot.relationships]
    store.add_many(records)
    return snapshot.case.id

