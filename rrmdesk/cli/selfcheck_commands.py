"""``rrmdesk self-check``: prove this installation works, without touching any real workspace."""

from __future__ import annotations

import argparse

from ..selfcheck import run_selfcheck
from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "self-check", help="check this installation end to end in a throwaway workspace",
        description="Create a temporary passphrase workspace, a case, its charts, a briefing, a signed and "
                    "encrypted bundle, verify the bundle, then remove everything. Your own workspace and keyring "
                    "are not opened. Exit status 0 when every step passes, 1 otherwise.")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(handler=cmd_selfcheck)


def cmd_selfcheck(ctx: Context, args: argparse.Namespace) -> int:
    report = run_selfcheck(ctx.progress())
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    return 0 if report.ok else 1
