"""Benchmark: cross-case correlation on a large workspace.

Builds, in a throw-away passphrase workspace, a seeded workspace of 50,000 cases holding
1,000,000 observables (``--quick``: 5,000 and 100,000): most values belong to one case, a share
comes from pools of campaign infrastructure that groups of cases reuse, some are platform
addresses (noise), and one case in ten has an actor (names in Latin and Cyrillic spellings) and
one in five a technique pattern. Then measures:

- ``add_and_correlate_ms``: add a case with 100 observables (one transaction, with audit and
  index entries) and list its related cases (target: at most 50 ms; median of ``--repeat``);
- ``all_s``: ``rrmdesk correlate --all``, the whole workspace as clusters (target: at most 30 s);
- memory: peak resident memory of the process, and how much clustering added to it.

Peers measured in the same run: 100 rows inserted and committed with plain sqlite3 on the same
disk (the floor of a durable write; the store adds encryption, audit and search entries), a
plain SQL self-join that finds the cases sharing the new
case's exact values (the floor of a per-case lookup), and a plain SQL ``GROUP BY`` listing every
value held by more than one case (the floor of a workspace pass). Prints one JSON line.

    .venv/bin/python bench/correlation.py [--quick] [--repeat N] [--dir FOLDER]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rrmdesk import Actor, Observable, TechniqueUse, Workspace  # noqa: E402
from rrmdesk.correlation import NoiseList, clusters, correlate  # noqa: E402
from rrmdesk.correlation.index import actor_index  # noqa: E402
from rrmdesk.disarm import default_catalog  # noqa: E402
from rrmdesk.model import Case  # noqa: E402

PASSPHRASE = "benchmark workspace, not secret"
SEED = 20261130
TLDS = ("com", "net", "org", "info", "online", "site", "live", "ru", "eu", "co.uk")
PLATFORMS = ("https://x.com/{}", "https://t.me/{}", "https://www.facebook.com/{}", "https://www.youtube.com/@{}",
             "https://www.tiktok.com/@{}")
ACTORS = ("Recent Reliable News", "Pravda Ru", "Правда.ру", "Internet Research Agency", "Agency, Internet Research",
          "Tsargrad TV", "Царьград ТВ", "Wagner Group", "Vagner Group", "Spamouflage", "Ghostwriter", "Doppelganger")


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _word(rng: random.Random, n: int = 10) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def _value(rng: random.Random, pools: list[list[str]], campaign: int | None) -> str:
    roll = rng.random()
    if campaign is not None and roll < 0.2:
        return rng.choice(pools[campaign])  # shared infrastructure
    if roll < 0.25:
        return rng.choice(PLATFORMS).format(_word(rng, 8))  # an account on a platform
    if roll < 0.26:
        return "https://www.facebook.com/"  # a platform home page: noise
    if roll < 0.5:
        return f"hxxps://{_word(rng)}[.]{rng.choice(TLDS)}/{_word(rng, 6)}"
    if roll < 0.55:
        return f"{_word(rng, 12)}@{_word(rng, 7)}.com"
    if roll < 0.6:
        return rng.getrandbits(256).to_bytes(32, "big").hex()
    return f"{_word(rng)}[.]{rng.choice(TLDS)}"


def build(store, cases: int, observables: int, progress_every: int = 10_000) -> None:
    """The seeded workspace, written through ``Store.add_many`` in large batches."""
    rng = random.Random(SEED)
    campaigns = max(cases // 25, 1)
    pools = [[f"{_word(rng)}.{rng.choice(TLDS)}" for _ in range(30)] for _ in range(campaigns)]
    codes = [t.code for t in default_catalog().techniques()]
    per_case = observables // cases
    batch: list = []
    case_rows = []
    for n in range(cases):
        case_rows.append(Case(title=f"Synthetic case {n:06d}", summary="benchmark"))
    store.add_many(case_rows)
    for n, case in enumerate(case_rows):
        campaign = rng.randrange(campaigns) if rng.random() < 0.5 else None
        batch.extend(Observable(case_id=case.id, value=_value(rng, pools, campaign)) for _ in range(per_case))
        if n % 10 == 0:
            batch.append(Actor(case_id=case.id, name=rng.choice(ACTORS) if rng.random() < 0.3 else f"Actor {_word(rng, 6)}"))
        if n % 5 == 0:
            batch.extend(TechniqueUse(case_id=case.id, code=c) for c in rng.sample(codes[:40], 3))
        if len(batch) >= 200_000:
            store.add_many(batch)
            batch = []
    store.add_many(batch)


def known_values(store, rng: random.Random, count: int = 10) -> list[str]:
    """Values already in the workspace, so the new case has something to correlate."""
    top = store.db.conn.execute("SELECT max(rowid) FROM observables").fetchone()[0]
    rowids = [rng.randrange(1, top + 1) for _ in range(count)]
    marks = ",".join("?" * len(rowids))
    return [r[0] for r in store.db.conn.execute(f"SELECT value FROM observables WHERE rowid IN ({marks})", rowids)]


def add_case(store, rng: random.Random, n: int, known: list[str]) -> str:
    """A new case with 100 observables: ``known`` ones and fresh ones, in one transaction."""
    case = Case(title=f"New case {n}")
    values = known + [_value(rng, [], None) for _ in range(100 - len(known))]
    store.add_many([case, *(Observable(case_id=case.id, value=v) for v in values)])
    return case.id


def peer_insert_ms(folder: Path, rng: random.Random, repeat: int) -> float:
    """The floor of adding 100 values: plain sqlite3 (not encrypted), WAL, synchronous=FULL,
    100 rows and a commit on the same disk, median of ``repeat``."""
    import sqlite3

    conn = sqlite3.connect(folder / "peer.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE observables (case_id TEXT, value TEXT)")
    times = []
    for n in range(repeat):
        rows = [(f"case-{n}", _value(rng, [], None)) for _ in range(100)]
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO observables VALUES (?, ?)", rows)
        conn.execute("COMMIT")
        times.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return statistics.median(times)


def peer_lookup(store, case_id: str) -> set[str]:
    return {r[0] for r in store.db.conn.execute(
        "SELECT DISTINCT o2.case_id FROM observables o1 JOIN observables o2"
        " ON o2.kind = o1.kind AND o2.normalized = o1.normalized AND o2.case_id != o1.case_id"
        " WHERE o1.case_id = ?", (case_id,))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 cases and 100,000 observables")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where the throw-away workspace goes (default: the system temp folder); "
                             "/dev/shm separates the cost of the disk's flushes from the work")
    args = parser.parse_args()
    cases, observables = (5_000, 100_000) if args.quick else (50_000, 1_000_000)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        workspace, _ = Workspace.create(Path(folder) / "ws", "passphrase", PASSPHRASE)
        store = workspace.unlock(PASSPHRASE)
        started = time.perf_counter()
        build(store, cases, observables)
        build_s = time.perf_counter() - started

        rng = random.Random(SEED + 1)
        noise = NoiseList.load(store)
        t0 = time.perf_counter()
        actor_index(store)  # built once per open workspace, then kept up to date from the audit chain
        index_ms = (time.perf_counter() - t0) * 1000
        add_ms, correlate_ms, peer_ms, related = [], [], [], []
        for n in range(args.repeat):
            known = known_values(store, rng)
            t0 = time.perf_counter()
            case_id = add_case(store, rng, n, known)
            t1 = time.perf_counter()
            found = correlate(store, case_id, noise)
            t2 = time.perf_counter()
            peer_lookup(store, case_id)
            t3 = time.perf_counter()
            add_ms.append((t1 - t0) * 1000)
            correlate_ms.append((t2 - t1) * 1000)
            peer_ms.append((t3 - t2) * 1000)
            related.append(len(found))

        t0 = time.perf_counter()
        store.db.conn.execute(
            "SELECT kind, normalized, count(DISTINCT case_id) FROM observables GROUP BY kind, normalized"
            " HAVING count(DISTINCT case_id) > 1").fetchall()
        peer_all_s = time.perf_counter() - t0

        rss_before = _rss_mb()
        t0 = time.perf_counter()
        found_clusters, seen = clusters(store)
        all_s = time.perf_counter() - t0
        peak = _peak_mb()
        store.close()
        insert_floor = peer_insert_ms(Path(folder), rng, args.repeat)

    both = [a + c for a, c in zip(add_ms, correlate_ms)]
    add_and_correlate = statistics.median(both)
    print(json.dumps({
        "bench": "correlation",
        "cases": cases, "observables": observables, "dir": str(args.dir or tempfile.gettempdir()),
        "build_s": round(build_s, 1),
        "actor_index_build_ms": round(index_ms, 1),
        "add_case_100_ms": round(statistics.median(add_ms), 1),
        "peer_sqlite3_insert_100_commit_ms": round(insert_floor, 1),
        "ratio_add_to_peer": round(statistics.median(add_ms) / insert_floor, 1),
        "correlate_ms": round(statistics.median(correlate_ms), 1),
        "add_and_correlate_ms": round(add_and_correlate, 1),
        "related_cases_median": statistics.median(related),
        "peer_sql_self_join_ms": round(statistics.median(peer_ms), 2),
        "ratio_correlate_to_peer": round(statistics.median(correlate_ms) / statistics.median(peer_ms), 1),
        "all_s": round(all_s, 2),
        "clusters": len(found_clusters),
        "largest_cluster": max((len(c.cases) for c in found_clusters), default=0),
        "noise_values": len(seen.values),
        "peer_sql_group_by_s": round(peer_all_s, 2),
        "ratio_all_to_peer": round(all_s / peer_all_s, 1),
        "rss_before_all_mb": round(rss_before, 0),
        "peak_rss_mb": round(peak, 0),
        "target_add_and_correlate_ms": 50, "target_all_s": 30,
        "meets_targets": add_and_correlate <= 50 and all_s <= 30,
    }))


if __name__ == "__main__":
    main()
