"""Locate the real public data sets the tests run against (shared/data beside the repo).

Set RRMDESK_SHARED_DATA to use another copy. A missing folder fails the test loudly instead of
skipping it: CI always has the data, and a silently skipped test proves nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_DATA: Path = Path(
    os.environ.get("RRMDESK_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)


def shared(*parts: str) -> Path:
    """A path inside the shared data folder, which must exist."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        raise AssertionError(
            f"shared test data missing: {path} (set RRMDESK_SHARED_DATA to the shared/data folder)"
        )
    return path
