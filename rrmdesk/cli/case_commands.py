"""Case commands: new, list, show, edit, close."""

from __future__ import annotations

import argparse

from .. import vocab
from ..model import CASE_PARTS
from ..store import CaseFilter
from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    case = commands.add_parser("case", help="create, list, show and edit cases")
    sub = case.add_subparsers(dest="case_command", required=True, metavar="COMMAND")

    new = sub.add_parser("new", help="open a new case; prints its id alone")
    new.add_argument("--title", required=True)
    _case_fields(new, defaults=True)
    new.set_defaults(handler=cmd_new)

    listing = sub.add_parser("list", help="list cases, most recently changed first")
    listing.add_argument("--status", choices=vocab.CASE_STATUS)
    listing.add_argument("--tlp", choices=vocab.TLP)
    listing.add_argument("--severity", choices=vocab.SEVERITY)
    listing.add_argument("--country", help="target country (ISO 3166 alpha-2)")
    listing.add_argument("--technique", help="DISARM technique code, e.g. T0097 (includes its sub-techniques)")
    listing.add_argument("--search", help="only cases with a full-text match")
    listing.add_argument("--limit", type=int)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)

    show = sub.add_parser("show", help="a case with everything it holds")
    show.add_argument("case_id", metavar="CASE")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    edit = sub.add_parser("edit", help="change fields of a case")
    edit.add_argument("case_id", metavar="CASE")
    edit.add_argument("--title")
    _case_fields(edit, defaults=False)
    edit.set_defaults(handler=cmd_edit)

    close = sub.add_parser("close", help="mark a case closed")
    close.add_argument("case_id", metavar="CASE")
    close.set_defaults(handler=cmd_close)


def _case_fields(parser: argparse.ArgumentParser, defaults: bool) -> None:
    parser.add_argument("--summary")
    parser.add_argument("--status", type=str.lower, help=", ".join(vocab.CASE_STATUS))
    parser.add_argument("--severity", type=str.lower, help=", ".join(vocab.SEVERITY))
    parser.add_argument("--tlp", type=str.lower, help=", ".join(vocab.TLP))
    parser.add_argument("--country", action="append", dest="target_countries", metavar="CC",
                        help="a target country, ISO 3166 alpha-2 (repeat for several)")
    parser.add_argument("--target", action="append", dest="targets", metavar="TEXT",
                        help="a targeted election or institution (repeat for several)")
    parser.add_argument("--lessons", help="lessons learned")


def _given(args: argparse.Namespace, *names: str) -> dict:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


_CASE_FIELDS = ("title", "summary", "status", "severity", "tlp", "target_countries", "targets", "lessons")


def cmd_new(ctx: Context, args: argparse.Namespace) -> int:
    case = ctx.store().create_case(**_given(args, *_CASE_FIELDS))
    print(case.id)
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    where = CaseFilter(status=args.status, tlp=args.tlp, severity=args.severity, country=args.country,
                       technique=args.technique, text=args.search)
    cases = ctx.store().list_cases(where, limit=args.limit)
    if args.json:
        ctx.print_json([c.to_dict() for c in cases])
        return 0
    ctx.print_table([[c.id, c.status, c.severity, c.tlp.upper(), c.modified[:10], c.title] for c in cases],
                    ["id", "status", "severity", "tlp", "modified", "title"])
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    case = store.get_case(args.case_id)
    parts = {cls.TABLE: store.parts(case.id, cls) for cls in CASE_PARTS}
    if args.json:
        ctx.print_json({"case": case.to_dict(), **{name: [r.to_dict() for r in records] for name, records in parts.items()}})
        return 0
    print(f"{case.title}\n{case.id}")
    print(f"TLP:{case.tlp.upper()}  status {case.status}  severity {case.severity}  "
          f"targets {', '.join(case.target_countries + case.targets) or '-'}")
    print(f"created {case.created} by {case.created_by or '-'}; modified {case.modified}")
    if case.summary:
        print(f"\n{case.summary}")
    for name, records in parts.items():
        if records:
            print(f"\n{name.capitalize()} ({len(records)}):")
            for record in records:
                when = getattr(record, "start", "")
                print(f"  {record.id}  {when[:16] + '  ' if when else ''}{record.label}")
    if case.lessons:
        print(f"\nLessons learned:\n{case.lessons}")
    return 0


def cmd_edit(ctx: Context, args: argparse.Namespace) -> int:
    changes = _given(args, *_CASE_FIELDS)
    if not changes:
        from ..errors import UsageError

        raise UsageError("nothing to change", "pass at least one of --title, --summary, --status, --severity, --tlp, ...")
    ctx.store().get_case(args.case_id)
    case = ctx.store().edit(args.case_id, **changes)
    print(case.id)
    return 0


def cmd_close(ctx: Context, args: argparse.Namespace) -> int:
    case = ctx.store().close_case(args.case_id)
    print(case.id)
    return 0
