"""Bundle export, verify and import of a case with N MiB of evidence, beside sha256sum on the same bytes.

    ./dev bench                      # default 256 MiB of evidence (quick)
    .venv/bin/python bench/bundles.py --size 1024       # the 1 GB figure of issue 6 (inside ./dev's keyring session)
    .venv/bin/python bench/bundles.py --size 1024 --encrypt

Targets (issue 6): export and verify each at >= 60% of sha256sum's throughput over the same bytes;
peak memory <= 200 MB whatever the size. Evidence is seeded pseudo-random bytes (incompressible,
like media). Each phase runs in its own process so its peak RSS is its own. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MiB = 1024 * 1024
FILE_MAX = 256 * MiB


class SeededBytes:
    """``size`` deterministic pseudo-random bytes, read in chunks (never whole in memory)."""

    def __init__(self, seed: int, size: int) -> None:
        self._random = random.Random(seed)
        self._left = size

    def read(self, size: int = -1) -> bytes:
        size = self._left if size < 0 else min(size, self._left)
        self._left -= size
        return self._random.randbytes(size)


def _peak_mb() -> float:
    """This process's own peak RSS. Linux's ru_maxrss carries the parent's peak across fork+exec,
    so read VmHWM, which starts afresh with the new program."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _open(folder: Path):
    from rrmdesk import Workspace
    from rrmdesk.bundles.identity import load_identity

    workspace = Workspace.load(folder)
    store = workspace.unlock()
    return workspace, store, load_identity(workspace, store)


def setup(root: Path, size: int) -> dict:
    from rrmdesk import Workspace
    from rrmdesk.bundles.identity import create_identity, load_identity
    from rrmdesk.bundles.trust import TrustStore

    ministries = {}
    for name in ("fr-meae", "ca-gac"):
        workspace, _ = Workspace.create(root / name, "keyring")
        store = workspace.unlock()
        create_identity(workspace, store, name)
        ministries[name] = (workspace, store, load_identity(workspace, store))
    for us, them in (("fr-meae", "ca-gac"), ("ca-gac", "fr-meae")):
        public = ministries[them][2].public
        TrustStore(ministries[us][1]).trust(them, public.key_line, public.age_recipient, "bench")
    store = ministries["fr-meae"][1]
    case = store.create_case("Benchmark case", tlp="amber")
    files = []  # the same bytes for sha256sum (bench data, not case content)
    offset = 0
    while offset < size:
        part = min(FILE_MAX, size - offset)
        path = root / f"recording{len(files)}.bin"
        source = SeededBytes(len(files), part)
        with path.open("wb") as out:
            while chunk := source.read(8 * MiB):
                out.write(chunk)
        store.add_evidence_file(case.id, path)
        files.append(path)
        offset += part
    for workspace, opened, _ in ministries.values():
        opened.close()
    return {"case_id": case.id, "files": [str(p) for p in files]}


def phase(name: str, root: Path, case_id: str, bundle: Path, encrypt: bool) -> dict:
    from rrmdesk.bundles.export import BundleExporter
    from rrmdesk.bundles.importer import import_bundle
    from rrmdesk.bundles.verify import BundleVerifier

    if name == "export":
        _, store, identity = _open(root / "fr-meae")
        started = time.perf_counter()
        bundle = BundleExporter(store, identity).export([case_id], ["ca-gac"], bundle, encrypt=encrypt).path
    else:
        workspace, store, identity = _open(root / "ca-gac")
        started = time.perf_counter()
        if name == "verify":
            BundleVerifier(store, identity).verify(bundle)
        else:
            import_bundle(workspace, store, bundle)
    seconds = time.perf_counter() - started
    store.close()
    return {"seconds": seconds, "peak_mb": _peak_mb(), "bundle": str(bundle), "bundle_bytes": bundle.stat().st_size}


def _child(name: str, root: Path, case_id: str, bundle: Path, encrypt: bool) -> dict:
    done = subprocess.run([sys.executable, __file__, "--phase", name, "--root", str(root), "--case", case_id,
                           "--bundle", str(bundle)] + (["--encrypt"] if encrypt else []),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _forget_keys(root: Path) -> None:
    """Remove the bench workspaces' keyring entries."""
    from rrmdesk import Workspace
    from rrmdesk.bundles.identity import forget_identity_secret

    for name in ("fr-meae", "ca-gac"):
        if (root / name / "workspace.json").exists():
            workspace = Workspace.load(root / name)
            forget_identity_secret(workspace)
            workspace.credentials.delete(workspace.keyring_account)


def _sha256sum(files: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(["sha256sum", *files], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256, help="MiB of evidence (default 256; the issue's figure is 1024)")
    parser.add_argument("--encrypt", action="store_true", help="age-encrypt the bundle")
    parser.add_argument("--phase", choices=("export", "verify", "import"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--bundle", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3, help="runs of sha256sum, export and verify; medians are reported")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.root, args.case, args.bundle, args.encrypt)))
        return
    size = args.size * MiB
    with tempfile.TemporaryDirectory(prefix="rrmdesk-bench-bundles-") as tmp:
        root = Path(tmp)
        try:
            made = setup(root, size)
            runs: dict[str, list[dict]] = {"sha256sum": [], "export": [], "verify": [], "import": []}
            for rep in range(args.repeat):  # interleaved, so the peer and we see the same machine load
                runs["sha256sum"].append({"seconds": _sha256sum(made["files"])})
                exported = _child("export", root, made["case_id"], root / f"case{rep}.rrmb", args.encrypt)
                runs["export"].append(exported)
                runs["verify"].append(_child("verify", root, made["case_id"], Path(exported["bundle"]), args.encrypt))
            runs["import"].append(_child("import", root, made["case_id"], Path(exported["bundle"]), args.encrypt))
        finally:
            _forget_keys(root)

    def mbps(name: str) -> float:
        return round(size / MiB / statistics.median(r["seconds"] for r in runs[name]), 1)

    sha = mbps("sha256sum")
    phases = ("export", "verify", "import")
    line = {
        "bench": "bundles", "evidence_mib": args.size, "evidence_files": len(made["files"]), "encrypted": args.encrypt,
        "repeat": args.repeat, "sha256sum_mib_s": sha,
        **{f"{name}_mib_s": mbps(name) for name in phases},
        **{f"{name}_vs_sha256sum": round(mbps(name) / sha, 2) for name in phases},
        **{f"{name}_peak_mb": round(max(r["peak_mb"] for r in runs[name]), 1) for name in phases},
        "bundle_bytes": runs["export"][-1]["bundle_bytes"],
        "targets": {"export_and_verify_vs_sha256sum": 0.6, "peak_mb": 200},
    }
    line["targets_met"] = (line["export_vs_sha256sum"] >= 0.6 and line["verify_vs_sha256sum"] >= 0.6
                           and max(line[f"{n}_peak_mb"] for n in phases) <= 200)
    print(json.dumps(line))


if __name__ == "__main__":
    main()
