"""House rule as a check: every wait in the UI tests is bounded by the one shared ``WAIT_MS``.

pytest-qt's default of 5 s is shorter than a worker-thread render on a loaded CI machine; a wait
that forgets the shared bound fails there at random. The bound only stops a hang: no test asserts
on time.
"""

from __future__ import annotations

import ast
from pathlib import Path

HERE = Path(__file__).parent
WAITS = {"waitUntil", "waitSignal", "waitSignals", "waitExposed", "waitActive", "waitCallback"}


def unbounded_waits(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WAITS:
            timeout = next((k.value for k in node.keywords if k.arg == "timeout"), None)
            if not (isinstance(timeout, ast.Name) and timeout.id == "WAIT_MS"):
                found.append(f"{path.relative_to(HERE)}:{node.lineno}: {node.func.attr}(...) needs timeout=WAIT_MS")
    return found


def test_every_wait_uses_the_shared_bound() -> None:
    paths = [p for p in sorted(HERE.rglob("*.py"))]
    problems = [line for path in paths for line in unbounded_waits(path)]
    assert not problems, "\n".join(problems)
