"""``rrmdesk search``: ranked full-text hits across every case."""

from __future__ import annotations

import argparse
import dataclasses

from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    search = commands.add_parser("search", help="ranked full-text search across all cases, with snippets")
    search.add_argument("query", nargs="+", metavar="QUERY", help="words to find (all must appear; end a word with * for a prefix)")
    search.add_argument("--case", help="only within this case")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")
    search.set_defaults(handler=cmd_search)


def cmd_search(ctx: Context, args: argparse.Namespace) -> int:
    hits = ctx.store().search(" ".join(args.query), limit=args.limit, case_id=args.case)
    if args.json:
        ctx.print_json([dataclasses.asdict(hit) for hit in hits])
        return 0
    if not hits:
        print("no matches")
    for number, hit in enumerate(hits, 1):
        print(f"{number:>2}. [{hit.kind}] {hit.title}  (TLP:{(hit.tlp or '').upper()} case: {hit.case_title})")
        print(f"    {hit.snippet}")
        print(f"    {hit.object_id}")
    return 0
