"""The README is how a new analyst starts: every command it should name, it names.

Like sqlite-utils' ``test_docs.py``: a command added without documentation fails here.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rrmdesk.cli import build_parser

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text("utf-8")
DOCS = README + "".join(p.read_text("utf-8") for p in sorted((REPO / "docs").glob("*.md")))


def _commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*prefix, name))
                found.extend(_commands(sub, (*prefix, name)))
    return found


def test_every_top_level_command_is_in_the_readme():
    missing = [c[0] for c in _commands(build_parser()) if len(c) == 1 and f"rrmdesk {c[0]}" not in README]
    assert not missing, f"README.md does not mention: {missing}"


def test_every_subcommand_is_documented():
    missing = []
    for command in _commands(build_parser()):
        if len(command) > 1 and not re.search(r"rrmdesk " + r"\s+".join(map(re.escape, command)) + r"\b", DOCS):
            missing.append(" ".join(command))
    assert not missing, f"neither README.md nor docs/ shows: {missing}"


def _verification_block(text: str) -> str:
    return re.search(r'case "\$BUNDLE" in\n.*?\n```', text, re.S).group(0)


def test_the_readme_partner_procedure_is_the_one_the_suite_runs():
    """tests/bundles/test_standard_tools.py runs docs/bundles.md's block; the README must match it."""
    assert _verification_block(README) == _verification_block((REPO / "docs" / "bundles.md").read_text("utf-8"))


def test_quick_start_commands_exist():
    assert "./dev demo" in README and "./dev test" in README
    dev = (REPO / "dev").read_text("utf-8")
    assert "  demo)" in dev and "  test)" in dev
