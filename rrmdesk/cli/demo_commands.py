"""``rrmdesk demo``: fill the workspace with the demo case set built from real public data."""

from __future__ import annotations

import argparse

from ..demo import load_demo
from .context import Context

#: Columns of the summary table: the kinds an analyst looks for first.
_SHOWN = ("actor", "event", "narrative", "relationship", "technique-use", "observable", "evidence", "judgment",
          "response")


def register(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo", help="load the demo cases (real FIAT, EUvsDisinfo, Meta and DISARM data) into the workspace"
    )
    demo.add_argument("--json", action="store_true", help="print what was loaded as JSON")
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    report = load_demo(ctx.store(), ctx.progress())
    if args.json:
        ctx.print_json(report.to_dict())
        return 0
    headers = ["id", "tlp", "status", *(k.removesuffix("-use") for k in _SHOWN), "title"]
    rows = [[c.id, c.tlp.upper(), c.status, *(c.counts[k] for k in _SHOWN), c.title] for c in report.cases]
    totals = report.totals()
    rows.append(["total", "", "", *(totals[k] for k in _SHOWN), f"{totals['case']} cases"])
    ctx.print_table(rows, headers)
    print(f"\nLoaded {totals['case']} demo cases; sources are listed in resources/demo/SOURCES.md.")
    return 0
