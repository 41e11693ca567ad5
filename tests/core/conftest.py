"""Helpers for the core tests: run the CLI in this process or as a real subprocess."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrmdesk.cli import main

REPO = Path(__file__).resolve().parents[2]
RRMDESK = REPO / ".venv" / "bin" / "rrmdesk"
PYTHON = REPO / ".venv" / "bin" / "python"


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def assert_user_error(self, *words: str) -> str:
        """Exit 1 with exactly one line on stderr (no traceback) that mentions ``words``."""
        lines = self.err.strip().splitlines()
        assert self.code == 1, (self.code, self.out, self.err)
        assert len(lines) == 1, self.err
        assert lines[0].startswith("rrmdesk: "), lines[0]
        assert "Traceback" not in self.err
        for word in words:
            assert word.lower() in lines[0].lower(), (word, lines[0])
        return lines[0]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run ``rrmdesk ARGS`` in this process (fast); argparse's exit 2 is caught."""

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


def run_rrmdesk(*args: str, env: dict[str, str] | None = None, timeout: float = 120,
                remove: tuple[str, ...] = ()) -> Outcome:
    """Run the installed ``rrmdesk`` as a real process: stdin is never a terminal."""
    environment = dict(os.environ if env is None else env)
    for name in remove:
        environment.pop(name, None)
    done = subprocess.run([str(RRMDESK), *map(str, args)], env=environment, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout)
    return Outcome(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def rrmdesk() -> Callable[..., Outcome]:
    return run_rrmdesk
