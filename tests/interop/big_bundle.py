"""Child process for the 200 MB test: import a bundle and print the peak memory it needed.

Run as ``python -m tests.interop.big_bundle WORKSPACE BUNDLE``; prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from rrmdesk import Workspace
from rrmdesk.interop.stix_import import import_stix
from tests.conftest import TEST_PASSPHRASE


def resident_kib() -> int:
    """Current resident memory (Linux); the peak high-water mark would include the key derivation."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def main(workspace_path: str, bundle: str) -> None:
    workspace, _ = Workspace.create(Path(workspace_path), "passphrase", TEST_PASSPHRASE)
    store = workspace.unlock(TEST_PASSPHRASE)
    before = resident_kib()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            peak[0] = max(peak[0], resident_kib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    report = import_stix(store, Path(bundle))
    done.set()
    sampler.join()
    peak = max(peak[0], resident_kib())
    counts = {"added": report.total_added, "kept": report.total_kept, "rejected": report.rejected_count}
    store.close()
    print(json.dumps({"before_kib": before, "peak_kib": peak, **counts}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
