"""A 200 MB bundle imports with bounded memory (streamed, never loaded whole)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SIZE = 200 * 1000 * 1000


def write_bundle(path: Path, size: int) -> int:
    """A bundle of at least ``size`` bytes: threat-actors (records) and indicators (kept)."""
    text = "Coordinated inauthentic behaviour around the election, cloned outlets and personas. " * 48
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "bundle", "id": "bundle--6f1c7e0e-1d1b-4c8e-9c55-2f2b5b1f0c11", "objects": [')
        while out.tell() < size:
            uid = f"{count:08x}-1d1b-4c8e-9c55-2f2b5b1f0c11"
            if count % 2:
                obj = {"type": "indicator", "spec_version": "2.1", "id": f"indicator--{uid}",
                       "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
                       "pattern": "[domain-name:value = 'example.com']", "pattern_type": "stix",
                       "valid_from": "2024-01-01T00:00:00.000Z", "description": text}
            else:
                obj = {"type": "threat-actor", "spec_version": "2.1", "id": f"threat-actor--{uid}",
                       "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
                       "name": f"Network {count}", "description": text}
            out.write(("," if count else "") + json.dumps(obj))
            count += 1
        out.write("]}")
    return count


def test_200_mb_bundle_imports_in_bounded_memory(tmp_path):
    bundle = tmp_path / "big.json"
    count = write_bundle(bundle, SIZE)
    done = subprocess.run([sys.executable, "-m", "tests.interop.big_bundle", str(tmp_path / "ws"), str(bundle)],
                          cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["added"] == count // 2 + count % 2 + 1 and result["kept"] == count // 2
    growth_mib = (result["peak_kib"] - result["before_kib"]) / 1024
    assert growth_mib < 150, f"import grew memory by {growth_mib:.0f} MiB for a 200 MB bundle"
