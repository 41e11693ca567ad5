"""Benchmark: STIX 2.1 import against stix2.parse and against the floor, plus the DISARM bundle.

A seeded bundle of N objects (default 100,000) in the mix a partner's OpenCTI export has:
threat-actors, url/domain observables and the relationships between them (all become records,
with audit entries and full-text index), indicators and notes (kept as received).

- ours: ``import_stix`` from the file into a fresh encrypted workspace, one transaction;
- peer: ``stix2.parse(bundle, allow_custom=True)`` on the same bundle (parsing only, no storage);
- floor: ``json.load`` plus inserting every object as a raw (id, type, json) row into an
  encrypted database in one transaction;
- disarm: ``import_stix`` of the DISARM Red v1.6 bundle from shared/data;
- stored rows alone: ``json.load`` plus the very statements and rows our import wrote, run again
  into a fresh workspace with no Python work around them: the least any change to the
  importer's code could reach without storing fewer rows (``parse_and_stored_rows_alone_s``).

Targets: ours at least 10x faster than stix2, at most 3x the floor. Prints one JSON line, with
the CPU seconds of each beside the wall seconds (the ratios the targets name use wall time).
``--quick`` uses 10,000 objects. ``--breakdown`` imports the bundle once more with timers around
the parts of the import and adds where its CPU time goes (``breakdown_cpu_s``; the timers cost
a few percent, so the parts add up to a little more than ``cpu_s.ours``).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PASSPHRASE = "benchmark passphrase, not secret"
STAMP = "2024-05-01T12:00:00.000Z"


def _id(rng: random.Random, kind: str) -> str:
    return f"{kind}--{uuid.UUID(int=rng.getrandbits(128), version=4)}"


def generate(n: int, seed: int = 7) -> dict:
    """A deterministic bundle of exactly ``n`` objects."""
    rng = random.Random(seed)
    objects: list[dict] = []
    actors: list[str] = []
    observables: list[str] = []
    words = ["doppelganger", "clone", "outlet", "narrative", "election", "sanctions", "energy", "ukraine",
             "france", "germany", "amplification", "network", "persona", "botnet", "forgery"]
    while len(objects) < n:
        roll = rng.random()
        text = " ".join(rng.choice(words) for _ in range(12))
        if roll < 0.1 or not actors:
            oid = _id(rng, "threat-actor")
            actors.append(oid)
            objects.append({"type": "threat-actor", "spec_version": "2.1", "id": oid, "created": STAMP,
                            "modified": STAMP, "name": f"Actor {len(actors)}", "description": text,
                            "threat_actor_types": ["nation-state"], "aliases": [f"A{len(actors)}"]})
        elif roll < 0.4:
            kind = rng.choice(["url", "domain-name"])
            oid = _id(rng, kind)
            observables.append(oid)
            host = f"{rng.choice(words)}{rng.randrange(10**6)}.example"
            objects.append({"type": kind, "spec_version": "2.1", "id": oid,
                            "value": f"https://{host}/a/{rng.randrange(10**6)}" if kind == "url" else host})
        elif roll < 0.7 and observables:
            objects.append({"type": "relationship", "spec_version": "2.1", "id": _id(rng, "relationship"),
                            "created": STAMP, "modified": STAMP, "relationship_type": "related-to",
                            "source_ref": rng.choice(actors), "target_ref": rng.choice(observables),
                            "description": text})
        elif roll < 0.9:
            objects.append({"type": "indicator", "spec_version": "2.1", "id": _id(rng, "indicator"),
                            "created": STAMP, "modified": STAMP, "name": text[:40], "pattern_type": "stix",
                            "pattern": f"[domain-name:value = '{rng.choice(words)}.example']", "valid_from": STAMP})
        else:
            objects.append({"type": "note", "spec_version": "2.1", "id": _id(rng, "note"), "created": STAMP,
                            "modified": STAMP, "content": text, "object_refs": [rng.choice(actors)]})
    return {"type": "bundle", "id": _id(rng, "bundle"), "objects": objects}


def _workspace(folder: Path, name: str):
    from rrmdesk import Workspace

    workspace, _ = Workspace.create(folder / name, "passphrase", PASSPHRASE)
    return workspace.unlock(PASSPHRASE)


def _timed(fn, cpu: dict[str, float] | None = None, name: str = "") -> float:
    """Wall seconds of ``fn()``; its CPU seconds go to ``cpu[name]`` (on a shared machine the CPU
    ratio is the steadier one: other processes stretch wall time, not CPU time)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    fn()
    if cpu is not None:
        cpu[name] = time.process_time() - start_cpu
    return time.perf_counter() - start


class _Parts:
    """CPU seconds per part of an import, each part without the parts that run inside it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list] = [["import", 0.0]]

    @property
    def current(self) -> str:
        return self._stack[-1][0]

    def timed(self, part: str, function, *args, **kwargs):
        self._stack.append([part, 0.0])
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.process_time() - start
            _, inner = self._stack.pop()
            self.seconds[part] = self.seconds.get(part, 0.0) + elapsed - inner
            self._stack[-1][1] += elapsed


class _TimedConnection:
    """Stands in for the store's connection: each statement's CPU time goes to the store's SQL
    (run by ``Store.add_many``), the commit, the interop tables or the importer's queries."""

    def __init__(self, conn, parts: _Parts) -> None:
        self._conn, self._parts = conn, parts

    def __getattr__(self, name: str):
        return getattr(self._conn, name)

    def _part(self, sql: str) -> str:
        if self._parts.current.startswith("store"):
            return "store_sql"
        if sql.strip().upper() == "COMMIT":
            return "commit"
        return "interop_tables_sql" if "interop_" in sql else "importer_queries_sql"

    def execute(self, sql: str, *args):
        return self._parts.timed(self._part(sql), self._conn.execute, sql, *args)

    def executemany(self, sql: str, rows):
        return self._parts.timed(self._part(sql), self._conn.executemany, sql, list(rows))


def breakdown(folder: Path, path: Path) -> dict[str, float]:
    """CPU seconds of each part of one more import of ``path``, by timers wrapped around the
    functions that do it; ``importer_other`` is what is left: the importer's own per-object work
    (second pass, reading STIX into field values, reference checks, batching, kept and
    provenance rows). Pass 1 includes parsing the JSON, which ``pass1_of_which_json_parse``
    times on its own (a timer around each object's parse would cost more than the parse)."""
    from rrmdesk import model, store as store_module
    from rrmdesk.interop import stix_import
    from rrmdesk.progress import Progress

    parts = _Parts()
    originals = []

    def wrap(owner, name: str, part: str) -> None:
        function = getattr(owner, name)
        originals.append((owner, name, function))
        setattr(owner, name, lambda *args, **kwargs: parts.timed(part, function, *args, **kwargs))

    wrap(stix_import._Importer, "scan", "importer_pass1_index")
    wrap(model.Record, "__post_init__", "record_validation")
    wrap(stix_import._Importer, "_keep_properties", "importer_kept_property_comparison")
    wrap(store_module.Store, "add_many", "store_add_many_python")
    wrap(store_module.Store, "_check_refs", "store_reference_check")
    store = _workspace(folder, "breakdown")
    store.db.conn = _TimedConnection(store.db.conn, parts)
    try:
        gc.collect()
        total = parts.timed("importer_other", stix_import.import_stix, store, path)
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
        store.db.conn = store.db.conn._conn
        store.close()
    out = {name: round(value, 3) for name, value in sorted(parts.seconds.items(), key=lambda kv: -kv[1])}
    out["total"] = round(sum(parts.seconds.values()), 3)
    gc.collect()
    start = time.process_time()
    for _ in stix_import._Source(path).passes(Progress(), "parsing"):
        pass
    out["pass1_of_which_json_parse"] = round(time.process_time() - start, 3)
    return out


class _RecordingConnection:
    """Stands in for the store's connection and writes down every statement that changes the
    database, with its rows, so they can be run again with no Python work around them."""

    _WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, conn) -> None:
        self._conn = conn
        self.writes: list[tuple[str, list]] = []

    def __getattr__(self, name: str):
        return getattr(self._conn, name)

    def execute(self, sql: str, *args):
        if sql.lstrip().upper().startswith(self._WRITES):
            self.writes.append((sql, [tuple(args[0])] if args else [()]))
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, rows):
        rows = [tuple(row) for row in rows]
        self.writes.append((sql, rows))
        return self._conn.executemany(sql, rows)


def stored_rows_alone(folder: Path, path: Path) -> dict[str, float]:
    """The lower bound of our import as designed: parse the bundle (``json.load``) and run the
    very statements and rows the import wrote (recorded during one more import), in one
    transaction into a fresh workspace, with no mapping, validation, digests or batching.

    No change to the importer's Python can take the import below this; only storing fewer or
    smaller rows can. ``rows_by_table`` says what those rows are."""
    from rrmdesk.interop.stix_import import import_stix

    store = _workspace(folder, "recorded")
    recorder = _RecordingConnection(store.db.conn)
    store.db.conn = recorder
    try:
        import_stix(store, path)
    finally:
        store.db.conn = recorder._conn
        store.close()
    rows_by_table: dict[str, int] = {}
    for sql, rows in recorder.writes:
        table = sql.split(" INTO ", 1)[-1].split()[0] if " INTO " in sql else sql.split()[1]
        rows_by_table[table] = rows_by_table.get(table, 0) + len(rows)
    replay = _workspace(folder, "replayed")
    cpu: dict[str, float] = {}

    def parse_and_write() -> None:
        with path.open("rb") as fp:
            json.load(fp)
        conn = replay.db.conn
        conn.execute("BEGIN IMMEDIATE")
        for sql, rows in recorder.writes:
            conn.executemany(sql, rows)
        conn.execute("COMMIT")

    try:
        wall = _timed(parse_and_write, cpu, "replay")
    finally:
        replay.close()
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu["replay"], 3), "rows_by_table": rows_by_table}


def run(n: int, skip_peer: bool, with_breakdown: bool = False) -> dict:
    import stix2

    from rrmdesk.database import open_encrypted
    from rrmdesk.interop.stix_import import import_stix
    from tests.shared_data import shared

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "bundle.json"
        path.write_text(json.dumps(generate(n)), encoding="utf-8")
        size = path.stat().st_size

        store = _workspace(folder, "ours")
        report = {}
        cpu: dict[str, float] = {}
        ours = _timed(lambda: report.setdefault("r", import_stix(store, path)), cpu, "ours")
        store.close()

        def floor() -> None:
            with path.open("rb") as fp:
                bundle = json.load(fp)
            db = open_encrypted(folder / "floor.db", os.urandom(32))
            db.conn.execute("CREATE TABLE raw (id TEXT PRIMARY KEY, type TEXT NOT NULL, body TEXT NOT NULL)")
            db.conn.execute("BEGIN IMMEDIATE")
            db.conn.executemany("INSERT INTO raw VALUES (?, ?, ?)",
                                ((o["id"], o["type"], json.dumps(o)) for o in bundle["objects"]))
            db.conn.execute("COMMIT")
            db.close()

        floor_s = _timed(floor, cpu, "floor")
        peer_s = None
        if not skip_peer:
            def peer() -> None:
                with path.open("rb") as fp:
                    stix2.parse(json.load(fp), allow_custom=True)

            peer_s = _timed(peer, cpu, "stix2")

        parts = breakdown(folder, path) if with_breakdown else None
        bound = stored_rows_alone(folder, path)

        disarm_store = _workspace(folder, "disarm")
        disarm_path = shared("disarm-frameworks", "generated_files", "DISARM_STIX", "DISARM.json")
        disarm_s = _timed(lambda: import_stix(disarm_store, disarm_path))
        disarm_store.close()

    r = report["r"]
    out = {
        "bench": "interop", "objects": n, "bundle_mb": round(size / 1e6, 1),
        "ours_s": round(ours, 3), "floor_s": round(floor_s, 3),
        "stix2_parse_s": round(peer_s, 3) if peer_s is not None else None,
        "ours_vs_floor": round(ours / floor_s, 2),
        "stix2_vs_ours": round(peer_s / ours, 1) if peer_s is not None else None,
        "targets": {"stix2_vs_ours_min": 10, "ours_vs_floor_max": 3},
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "cpu_ours_vs_floor": round(cpu["ours"] / cpu["floor"], 2),
        "cpu_stix2_vs_ours": round(cpu["stix2"] / cpu["ours"], 1) if "stix2" in cpu else None,
        "parse_and_stored_rows_alone_s": bound["wall_s"],
        "stix2_vs_stored_rows_alone": round(peer_s / bound["wall_s"], 1) if peer_s is not None else None,
        "stored_rows": bound["rows_by_table"],
        "records_added": r.total_added, "kept": r.total_kept,
        "disarm_v16_objects": 698, "disarm_v16_import_s": round(disarm_s, 3),
    }
    if parts is not None:
        out["breakdown_cpu_s"] = parts
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 objects instead of 100,000")
    parser.add_argument("--objects", type=int, help="bundle size (overrides --quick)")
    parser.add_argument("--skip-stix2", action="store_true", help="do not run the stix2.parse peer")
    parser.add_argument("--breakdown", action="store_true", help="also say where the import's CPU time goes")
    args = parser.parse_args()
    n = args.objects or (10_000 if args.quick else 100_000)
    print(json.dumps(run(n, args.skip_stix2, args.breakdown)))


if __name__ == "__main__":
    main()
