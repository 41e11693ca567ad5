"""``rrmdesk brief``: a briefing note (.docx) from one case, or a situation report from several."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import vocab
from ..briefing.language import LANGUAGES
from ..briefing.outline import SECTION_NAMES
from ..errors import UsageError
from .context import Context

def register(commands: argparse._SubParsersAction) -> None:
    brief = commands.add_parser(
        "brief", help="write a briefing note (.docx) from one or more cases",
        description="Write a briefing note for a minister or partner from one case, or a situation report "
                    "from several. Records marked above the briefing's TLP are left out; the count is "
                    "printed on stderr, never put in the document.")
    brief.add_argument("case_ids", nargs="+", metavar="CASE", help="case id; several make a situation report")
    brief.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.docx",
                       help="where to write the briefing")
    brief.add_argument("--template", type=Path, metavar="T.docx",
                       help="your ministry's Word template (.docx or .dotx); its styles are used")
    brief.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the briefing (default: en)")
    brief.add_argument("--tlp", type=str.lower, choices=vocab.TLP,
                       help="marking to produce the briefing at (default: the strictest marking of the cases)")
    brief.add_argument("--classification", metavar="TEXT",
                       help="classification line of the banner (default: set with 'rrmdesk profile --classification')")
    brief.add_argument("--version-label", default="1.0", metavar="TEXT",
                       help="document version shown in the title block")
    brief.add_argument("--date", help="date of the briefing, ISO 8601 (default: today)")
    brief.add_argument("--force", action="store_true", help="replace FILE.docx if it exists")
    for name in SECTION_NAMES:
        brief.add_argument(f"--no-{name}", dest="without", action="append_const", const=name,
                           help=f"leave out the {name} section")
    brief.set_defaults(handler=cmd_brief, without=[])


def cmd_brief(ctx: Context, args: argparse.Namespace) -> int:
    from ..briefing import BriefingOptions, build_briefing

    if args.output.suffix.lower() != ".docx":
        raise UsageError(f"{args.output} does not end in .docx", "name the briefing FILE.docx")
    if args.output.exists() and not args.force:
        raise UsageError(f"{args.output} already exists", "choose another name, or pass --force to replace it")
    store = ctx.store()
    workspace = ctx.workspace()
    classification = workspace.classification if args.classification is None else args.classification
    options = BriefingOptions(
        marking=args.tlp, language=args.lang, classification=classification,
        ministry=workspace.ministry, analyst=store.analyst,
        version=args.version_label, date=args.date, template=args.template,
        without=frozenset(args.without),
    )
    briefing = build_briefing(store, args.case_ids, options, ctx.progress())
    briefing.save(args.output, overwrite=args.force)
    store.record_event("brief", args.case_ids[0], {
        "marking": briefing.marking, "language": briefing.language, "excluded": briefing.excluded.total,
        "cases": list(dict.fromkeys(args.case_ids)),
    })
    note = briefing.note()
    if note:
        print(f"rrmdesk: {note}", file=sys.stderr)
    print(args.output)
    return 0
