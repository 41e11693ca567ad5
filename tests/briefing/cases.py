"""Cases to brief, built through the Store API as an analyst would fill them in, and PDF helpers."""

from __future__ import annotations

import hashlib
import random
import shutil
import subprocess
from pathlib import Path

from rrmdesk import Actor, Event, Evidence, Judgment, Narrative, Relationship, Response, TechniqueUse

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "screenshots" / "briefing"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def fill_doppelganger(store, case, restricted: bool = True) -> dict[str, str]:
    """A Doppelganger-like case: cloned media, paid amplification, a state sponsor.

    With ``restricted``, one actor, one event and one judgment carry TLP:RED (above the case).
    Returns the ids a test may need by a short name.
    """
    cid = case.id
    state = Actor(case_id=cid, name="Russian Federation", kind="state", country="RU")
    sda = Actor(case_id=cid, name="Social Design Agency", kind="state-affiliated", country="RU",
                aliases=["SDA", "ASP"], attributed_to=state.id, attribution_confidence="high")
    structura = Actor(case_id=cid, name="Structura National Technologies", kind="organisation", country="RU",
                      attributed_to=state.id, attribution_confidence="moderate")
    clone = Actor(case_id=cid, name="leparisien-fr.ltd (clone of Le Parisien)", kind="media-outlet",
                  platform="web", handle="leparisien-fr.ltd")
    bots = Actor(case_id=cid, name="Amplifier accounts cluster A", kind="account", platform="X", handle="@fr_news_24h")
    secret = Actor(case_id=cid, name="Liaison officer codename KESTREL", kind="individual", country="RU",
                   tlp="red" if restricted else None)
    actors = [state, sda, structura, clone, bots, secret]
    clones = Narrative(case_id=cid, title="France is losing the war by proxy in Ukraine",
                       description="Sanctions hurt the French more than Russia; aid to Ukraine is wasted.",
                       language="fr", first_seen="2024-02-12")
    elections = Narrative(case_id=cid, title="The European elections are rigged",
                          description="Postal votes and EU institutions are said to be manipulating the result.",
                          language="fr", first_seen="2024-05-02")
    report = Evidence(case_id=cid, title="Meta Adversarial Threat Report Q1 2024", kind="url",
                      url="https://about.fb.com/news/2024/05/metas-adversarial-threat-report-first-quarter-2024/",
                      source="Meta", captured_at="2024-05-29T09:00:00Z", captured_by="analyst-1",
                      reliability="B", credibility="2")
    capture = Evidence(case_id=cid, title="Capture of leparisien-fr.ltd front page", kind="file",
                       filename="leparisien-clone.png", media_type="image/png", size=482_113,
                       sha256=sha("clone capture"), source="Analyst capture", captured_at="2024-02-13T07:42:00Z",
                       captured_by="analyst-1", reliability="A", credibility="1")
    viginum = Evidence(case_id=cid, title="VIGINUM technical report on RRN", kind="url",
                       url="https://www.sgdsn.gouv.fr/publications/rrn-une-campagne-numerique-de-manipulation",
                       source="VIGINUM (SGDSN)", captured_at="2023-06-13T12:00:00Z", reliability="A", credibility="2")
    evidence = [report, capture, viginum]
    events = [
        Event(case_id=cid, title="Cloned Le Parisien site registered", start="2024-02-10T08:15:00Z",
              actor_ids=[structura.id, clone.id], techniques=["T0097.202"], platform="web",
              evidence_ids=[capture.id], reliability="A", credibility="1", key=True),
        Event(case_id=cid, title="First cloned articles on Ukraine aid", start="2024-02-12",
              actor_ids=[clone.id], narrative_ids=[clones.id], techniques=["T0085"], platform="web",
              evidence_ids=[capture.id], reliability="A", credibility="2"),
        Event(case_id=cid, title="Amplification by cluster A on X", start="2024-02-13T18:00:00Z",
              end="2024-02-20T18:00:00Z", actor_ids=[bots.id], narrative_ids=[clones.id],
              techniques=["T0049"], platform="X", reliability="B", credibility="2"),
        Event(case_id=cid, title="Election narrative pushed before the vote", start="2024-05-02",
              actor_ids=[bots.id, sda.id], narrative_ids=[elections.id], techniques=["T0049", "T0085"],
              platform="X", evidence_ids=[report.id], reliability="B", credibility="2", key=True),
        Event(case_id=cid, title="Meta removes the network", start="2024-05-29", actor_ids=[sda.id],
              evidence_ids=[report.id], platform="Facebook", reliability="B", credibility="1"),
        Event(case_id=cid, title="Tasking meeting reported by a sensitive source", start="2024-01-20",
              actor_ids=[secret.id, sda.id], tlp="red" if restricted else None),
    ]
    relationships = [
        Relationship(case_id=cid, source_id=sda.id, type="attributed-to", target_id=state.id, confidence="high"),
        Relationship(case_id=cid, source_id=structura.id, type="works-with", target_id=sda.id, confidence="moderate"),
        Relationship(case_id=cid, source_id=clone.id, type="operated-by", target_id=structura.id, confidence="high"),
        Relationship(case_id=cid, source_id=bots.id, type="amplifies", target_id=clone.id, confidence="moderate"),
        Relationship(case_id=cid, source_id=secret.id, type="tasks", target_id=sda.id, confidence="low"),
    ]
    judgments = [
        Judgment(case_id=cid,
                 statement="The Social Design Agency ran the cloned-site network on behalf of the Russian state.",
                 likelihood="very-likely", confidence="high",
                 basis="Meta and VIGINUM attribute the infrastructure independently; shared hosting and tooling."),
        Judgment(case_id=cid,
                 statement="The operation will try to influence the European Parliament election in France.",
                 likelihood="likely", confidence="moderate", basis="Narratives shifted to the election in May 2024."),
        Judgment(case_id=cid, statement="The network reached a large authentic French audience.",
                 likelihood="unlikely", confidence="low", basis="Engagement was mostly from inauthentic accounts."),
        Judgment(case_id=cid, statement="KESTREL directs the French-language tasking.",
                 likelihood="roughly-even-chance",
                 confidence="low", tlp="red" if restricted else None),
    ]
    responses = [
        Response(case_id=cid, action="Brief platform partners on the cloned domains", countermeasure="C00205",
                 party="RRM Canada", status="done", date="2024-02-16"),
        Response(case_id=cid, action="Publish a public attribution statement with G7 partners", countermeasure="C00115",
                 party="Global Affairs Canada", status="proposed"),
        Response(case_id=cid, action="Pre-bunk election narratives with Elections Canada", countermeasure="C00125",
                 party="Elections Canada",
                 status="planned", date="2024-06-01"),
    ]
    techniques = [TechniqueUse(case_id=cid, code="T0097.202", note="Clones of national newspapers")]
    store.add_many([*actors, clones, elections, *evidence, *events, *relationships, *judgments, *responses,
                    *techniques])
    store.edit(cid, lessons="- Cloned domains were registered days before use: watch new registrations.\n"
                            "- Platform takedowns came three months after the first report.\n"
                            "Partners shared indicators quickly through the RRM.")
    return {"secret_actor": secret.id, "secret_event": events[-1].id, "sda": sda.id}


def fill_large(store, case, events: int, actors: int, seed: int = 7, key_every: int = 0) -> None:
    """A seeded synthetic case: ``actors`` actors linked in a sparse network, ``events`` events."""
    rng = random.Random(seed)
    cid = case.id
    people = [Actor(case_id=cid, name=f"Account {n:04d}", kind=rng.choice(["account", "proxy", "media-outlet"]),
                    platform="X", handle=f"@acct{n:04d}") for n in range(actors)]
    links = [Relationship(case_id=cid, source_id=people[n].id, type="amplifies",
                          target_id=people[rng.randrange(max(1, n))].id if n else people[-1].id)
             for n in range(1, actors)]
    stories = [Narrative(case_id=cid, title=f"Narrative {n}") for n in range(5)]
    codes = ["T0049", "T0085", "T0097.202", "T0002"]
    happenings = [Event(case_id=cid, title=f"Post wave {n}",
                        start=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00Z",
                        actor_ids=[people[rng.randrange(actors)].id] if actors else [],
                        narrative_ids=[rng.choice(stories).id], techniques=[rng.choice(codes)],
                        key=bool(key_every) and n % key_every == 0)
                  for n in range(events)]
    store.add_many([*people, *links, *stories, *happenings])


def soffice_pdf(paths: list[Path], outdir: Path, profile: Path) -> list[Path]:
    """Convert with the real LibreOffice, in a private profile so parallel runs do not clash."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is required for these tests"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, paths)], check=True, capture_output=True, timeout=240)
    return [outdir / (p.stem + ".pdf") for p in paths]


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode()
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def screenshots(pdf: Path, name: str) -> Path:
    """Render the PDF's pages to PNG in screenshots/briefing/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / name)], check=True, timeout=120)
    return SCREENSHOTS
