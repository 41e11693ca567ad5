"""Benchmark: briefing documents for a large case and for the demo case.

Builds, in a throw-away passphrase workspace:
- a seeded case with 500 events and 200 actors (linked), both figures drawn (target: at most 5 s);
- the largest demo case (``rrmdesk.demo.load_demo``).

The peer, measured in the same run, is the floor of the same work done bare: python-docx writing
the same table rows into a plain document, plus matplotlib's ``savefig`` of one scatter of the
events and one of the actors. Prints one JSON line: medians in seconds and the ratios.

    .venv/bin/python bench/briefing.py [--repeat N]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import docx  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from rrmdesk import Actor, Event, Evidence, Judgment, Narrative, Relationship, Response, Workspace  # noqa: E402
from rrmdesk.briefing import BriefingOptions, build_briefing  # noqa: E402
from rrmdesk.clock import to_datetime  # noqa: E402
from rrmdesk.demo import load_demo  # noqa: E402

PASSPHRASE = "benchmark workspace, not secret"
CODES = ("T0049", "T0085", "T0097.202", "T0002", "T0086", "T0087")


def large_case(store, events: int = 500, actors: int = 200, seed: int = 20240603) -> str:
    """A seeded case: a sparse actor network, events over a year, evidence, judgments."""
    rng = random.Random(seed)
    case = store.create_case("Synthetic flooding operation across G7 elections", tlp="amber", severity="high",
                             summary="A seeded benchmark case: a network of accounts floods election narratives.",
                             target_countries=["CA", "FR", "DE"])
    cid = case.id
    people = [Actor(case_id=cid, name=f"Account {n:03d}", kind=rng.choice(["account", "proxy", "media-outlet"]),
                    platform="X", handle=f"@bench{n:03d}") for n in range(actors)]
    links = [Relationship(case_id=cid, source_id=people[n].id, type=rng.choice(["amplifies", "works-with"]),
                          target_id=people[rng.randrange(n)].id, confidence=rng.choice(["low", "moderate", "high"]))
             for n in range(1, actors)]
    links += [Relationship(case_id=cid, source_id=people[rng.randrange(actors)].id, type="amplifies",
                           target_id=people[rng.randrange(actors)].id) for _ in range(actors)]
    links = [link for link in links if link.source_id != link.target_id]
    stories = [Narrative(case_id=cid, title=f"Narrative {n}", first_seen=f"2024-0{n + 1}-01") for n in range(8)]
    proof = [Evidence(case_id=cid, title=f"Capture {n}", kind="url", url=f"https://example.org/post/{n}",
                      source="Analyst capture", captured_at="2024-06-01T10:00:00Z", reliability="B", credibility="2")
             for n in range(60)]
    happenings = [Event(case_id=cid, title=f"Post wave {n}",
                        start=f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
                        actor_ids=[people[rng.randrange(actors)].id for _ in range(2)],
                        narrative_ids=[rng.choice(stories).id], techniques=[rng.choice(CODES)],
                        evidence_ids=[rng.choice(proof).id], platform="X", reliability="B", credibility="3",
                        key=n % 25 == 0)
                  for n in range(events)]
    judgments = [Judgment(case_id=cid, statement=f"The network coordinates wave {n}.", likelihood="likely",
                          confidence="moderate") for n in range(5)]
    responses = [Response(case_id=cid, action=f"Refer cluster {n} to the platform", countermeasure="C00205",
                          status="proposed") for n in range(4)]
    store.add_many([*people, *stories, *proof, *links, *happenings, *judgments, *responses])
    return cid


def timed(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bare_peer(store, case_id: str) -> None:
    """The same table rows in a plain python-docx document, and two bare matplotlib scatters."""
    events = store.parts(case_id, Event)
    actors = store.parts(case_id, Actor)
    document = docx.Document()
    evidence = store.parts(case_id, Evidence)
    for rows, columns in ((min(len(events), 40), 5), (min(len(actors), 25), 7), (len(evidence), 5)):
        table = document.add_table(rows=1, cols=columns)
        for _ in range(rows):
            for cell in table.add_row().cells:
                cell.text = "value"
    for points in (len(events), len(actors)):
        figure = Figure(figsize=(9.0, 5.6))
        axes = figure.add_subplot()
        if events and points == len(events):
            axes.scatter([to_datetime(e.start) for e in events], [hash(e.id) % 20 for e in events])
        else:
            axes.scatter(range(points), [n % 17 for n in range(points)])
        buffer = io.BytesIO()
        FigureCanvasAgg(figure).print_png(buffer)
        document.add_picture(io.BytesIO(buffer.getvalue()))
    document.save(io.BytesIO())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rrmdesk-bench-briefing-") as folder:
        workspace, _ = Workspace.create(Path(folder) / "workspace", "passphrase", PASSPHRASE)
        store = workspace.unlock(PASSPHRASE)
        try:
            large = large_case(store)
            demo = max(load_demo(store).cases, key=lambda c: c.counts.get("event", 0))
            options = BriefingOptions(classification="UNCLASSIFIED", ministry="Benchmark", analyst="bench",
                                      date="2024-06-03")
            large_s, large_briefing = timed(lambda: build_briefing(store, [large], options), args.repeat)
            demo_s, demo_briefing = timed(lambda: build_briefing(store, [demo.id], options), args.repeat)
            figures_off = BriefingOptions(**{**options.__dict__, "without": frozenset({"chronology", "actors"})})
            no_figures_s, _ = timed(lambda: build_briefing(store, [large], figures_off), args.repeat)
            peer_s, _ = timed(lambda: bare_peer(store, large), args.repeat)
            demo_peer_s, _ = timed(lambda: bare_peer(store, demo.id), args.repeat)
        finally:
            store.close()
    print(json.dumps({
        "bench": "briefing",
        "repeat": args.repeat,
        "large_case": {"events": 500, "actors": 200},
        "large_s": round(large_s, 3),
        "large_target_s": 5.0,
        "large_within_target": large_s <= 5.0,
        "large_without_figures_s": round(no_figures_s, 3),
        "large_docx_bytes": len(large_briefing.data),
        "large_peer_bare_docx_and_savefig_s": round(peer_s, 3),
        "large_ratio_to_peer": round(large_s / peer_s, 2),
        "demo_case": {"title": demo.title, "events": demo.counts.get("event", 0),
                      "actors": demo.counts.get("actor", 0)},
        "demo_s": round(demo_s, 3),
        "demo_docx_bytes": len(demo_briefing.data),
        "demo_peer_s": round(demo_peer_s, 3),
        "demo_ratio_to_peer": round(demo_s / demo_peer_s, 2),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
