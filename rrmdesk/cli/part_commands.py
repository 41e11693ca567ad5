"""Commands for what a case holds: actors, events, narratives, evidence, links, observables,
techniques, judgments and responses; plus ``show`` and ``remove`` for any object by id."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .. import vocab
from ..disarm import default_catalog
from ..errors import UsageError
from ..model import (
    Actor,
    CaseRecord,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
)
from .context import Context

_TLP_HELP = "a marking stricter than the case's: " + ", ".join(vocab.TLP)


def register(commands: argparse._SubParsersAction) -> None:
    actor = _group(commands, "actor", "people, outlets, accounts and states behind or around the case", Actor,
                   ["kind", "country", "name"])
    add = _add(actor, "add an actor; prints its id", Actor)
    add.add_argument("--name", required=True)
    add.add_argument("--kind", default="unknown", help=", ".join(vocab.ACTOR_KIND))
    add.add_argument("--alias", action="append", dest="aliases", default=[], metavar="NAME")
    add.add_argument("--country", default="", help="ISO 3166 alpha-2")
    add.add_argument("--platform", default="")
    add.add_argument("--handle", default="")
    add.add_argument("--attributed-to", default="", metavar="ACTOR_ID")
    add.add_argument("--attribution-confidence", help=", ".join(vocab.CONFIDENCE))
    add.add_argument("--description", default="")

    event = _group(commands, "event", "timestamped events on the case's timeline", Event, ["start", "title"])
    add = _add(event, "add an event; prints its id", Event)
    add.add_argument("--at", dest="start", required=True, metavar="ISO8601", help="when it started (UTC if no zone)")
    add.add_argument("--end", metavar="ISO8601")
    add.add_argument("--title", required=True)
    add.add_argument("--description", default="")
    add.add_argument("--category", default="", help="free label, e.g. publication, amplification, takedown")
    add.add_argument("--location", default="")
    add.add_argument("--platform", default="")
    add.add_argument("--actor", action="append", dest="actor_ids", default=[], metavar="ID")
    add.add_argument("--narrative", action="append", dest="narrative_ids", default=[], metavar="ID")
    add.add_argument("--evidence", action="append", dest="evidence_ids", default=[], metavar="ID")
    add.add_argument("--technique", action="append", dest="techniques", default=[], metavar="T-CODE")
    add.add_argument("--reliability", help="Admiralty source reliability A-F")
    add.add_argument("--credibility", help="Admiralty information credibility 1-6")
    add.add_argument("--key", action="store_true", help="a key event, annotated on the timeline")

    narrative = _group(commands, "narrative", "the stories the operation pushes", Narrative, ["title"])
    add = _add(narrative, "add a narrative; prints its id", Narrative)
    add.add_argument("--title", required=True)
    add.add_argument("--description", default="")
    add.add_argument("--language", default="")
    add.add_argument("--first-seen", metavar="ISO8601")

    evidence = _group(commands, "evidence", "files, URLs and excerpts, stored encrypted", Evidence, ["kind", "sha256", "title"])
    add = evidence.add_parser("add", help="add a file (streamed into the encrypted store), a URL or a text; prints id and sha256")
    add.add_argument("case_id", metavar="CASE")
    add.add_argument("path", nargs="?", type=Path, metavar="PATH")
    add.add_argument("--url", default="")
    add.add_argument("--text", default="")
    add.add_argument("--title")
    add.add_argument("--description", default="")
    add.add_argument("--source", default="", help="where it came from")
    add.add_argument("--captured-at", metavar="ISO8601")
    add.add_argument("--reliability", help="Admiralty source reliability A-F")
    add.add_argument("--credibility", help="Admiralty information credibility 1-6")
    add.add_argument("--tlp", help=_TLP_HELP)
    add.set_defaults(handler=cmd_evidence_add)
    get = evidence.add_parser("get", help="write an evidence file's bytes out")
    get.add_argument("evidence_id", metavar="ID")
    get.add_argument("-o", "--output", type=Path, required=True, metavar="PATH")
    get.set_defaults(handler=cmd_evidence_get)

    link = commands.add_parser("link", help="relate two objects of a case: SOURCE RELATIONSHIP TARGET; prints its id")
    link.add_argument("case_id", metavar="CASE")
    link.add_argument("source_id", metavar="SOURCE_ID")
    link.add_argument("type", metavar="RELATIONSHIP", help="e.g. attributed-to, amplifies, controls, funds, impersonates")
    link.add_argument("target_id", metavar="TARGET_ID")
    link.add_argument("--confidence", help=", ".join(vocab.CONFIDENCE))
    link.add_argument("--first-seen", metavar="ISO8601")
    link.add_argument("--last-seen", metavar="ISO8601")
    link.add_argument("--evidence", action="append", dest="evidence_ids", default=[], metavar="ID")
    link.add_argument("--description", default="")
    link.add_argument("--tlp", help=_TLP_HELP)
    link.set_defaults(handler=_adder(Relationship))
    _lister(commands.add_parser("links", help="list a case's relationships"), Relationship, ["source_id", "type", "target_id"])

    observable = _group(commands, "observable", "accounts, URLs, domains, e-mails, phones and hashes", Observable,
                        ["kind", "normalized"])
    add = observable.add_parser("add", help="add an observable (defanged forms accepted); prints its id")
    add.add_argument("case_id", metavar="CASE")
    add.add_argument("value", metavar="VALUE")
    add.add_argument("--kind", default="", help=", ".join(vocab.OBSERVABLE_KIND) + " (guessed when left out)")
    add.add_argument("--note", default="")
    add.add_argument("--tlp", help=_TLP_HELP)
    add.set_defaults(handler=_adder(Observable))

    ttp = _group(commands, "ttp", "DISARM techniques seen in the case", TechniqueUse, ["code", "note"])
    add = ttp.add_parser("add", help="record a DISARM technique by T-code; prints its id")
    add.add_argument("case_id", metavar="CASE")
    add.add_argument("code", metavar="T-CODE")
    add.add_argument("--note", default="")
    add.add_argument("--tlp", help=_TLP_HELP)
    add.set_defaults(handler=cmd_ttp_add)
    catalog = ttp.add_parser("catalog", help="list or search the DISARM Red framework shipped with RRM Desk")
    catalog.add_argument("--search", help="code prefix or words of the name")
    catalog.add_argument("--tactic", help="only this tactic, e.g. TA06")
    catalog.add_argument("--json", action="store_true")
    catalog.set_defaults(handler=cmd_ttp_catalog)

    judgment = _group(commands, "judgment", "key judgments with ICD 203 likelihood and confidence", Judgment,
                      ["likelihood", "confidence", "statement"])
    add = _add(judgment, "add a key judgment; prints its id", Judgment)
    add.add_argument("--statement", required=True)
    add.add_argument("--likelihood", default="roughly-even-chance", help=", ".join(vocab.LIKELIHOOD))
    add.add_argument("--confidence", default="moderate", help=", ".join(vocab.CONFIDENCE))
    add.add_argument("--basis", default="", help="what the judgment rests on")

    response = _group(commands, "response", "coordinated responses and their status", Response, ["status", "countermeasure", "action"])
    add = _add(response, "add a response; prints its id", Response)
    add.add_argument("--action", required=True)
    add.add_argument("--countermeasure", default="", help="DISARM countermeasure code, e.g. C00009")
    add.add_argument("--party", default="", help="who is responsible")
    add.add_argument("--status", default="proposed", help=", ".join(vocab.RESPONSE_STATUS))
    add.add_argument("--date", metavar="ISO8601")

    show = commands.add_parser("show", help="any object by id")
    show.add_argument("object_id", metavar="ID")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    remove = commands.add_parser("remove", help="delete an object from its case (recorded in the audit trail)")
    remove.add_argument("object_id", metavar="ID")
    remove.set_defaults(handler=cmd_remove)


def _group(commands: argparse._SubParsersAction, name: str, text: str, cls: type[CaseRecord],
           columns: list[str]) -> argparse._SubParsersAction:
    parser = commands.add_parser(name, help=text)
    sub = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")
    _lister(sub.add_parser("list", help=f"list a case's {cls.TABLE}"), cls, columns)
    return sub


def _lister(parser: argparse.ArgumentParser, cls: type[CaseRecord], columns: list[str]) -> None:
    parser.add_argument("case_id", metavar="CASE")
    parser.add_argument("--json", action="store_true")

    def handler(ctx: Context, args: argparse.Namespace) -> int:
        records = ctx.store().parts(args.case_id, cls)
        if args.json:
            ctx.print_json([r.to_dict() for r in records])
        else:
            ctx.print_table([[r.id, *(str(getattr(r, c) or "") for c in columns)] for r in records], ["id", *columns])
        return 0

    parser.set_defaults(handler=handler)


def _add(sub: argparse._SubParsersAction, text: str, cls: type[CaseRecord]) -> argparse.ArgumentParser:
    parser = sub.add_parser("add", help=text)
    parser.add_argument("case_id", metavar="CASE")
    parser.add_argument("--tlp", help=_TLP_HELP)
    parser.set_defaults(handler=_adder(cls))
    return parser


def _fields(cls: type[CaseRecord], args: argparse.Namespace) -> dict[str, Any]:
    return {name: getattr(args, name) for name in cls.field_names() if getattr(args, name, None) is not None}


def _adder(cls: type[CaseRecord]):
    def handler(ctx: Context, args: argparse.Namespace) -> int:
        store = ctx.store()
        store.get_case(args.case_id)
        for code in getattr(args, "techniques", None) or []:
            default_catalog().technique(code)  # a typed code must be in the catalog, as for 'ttp add'
        record = store.add(cls(**_fields(cls, args)))
        print(record.id)
        return 0

    return handler


def cmd_evidence_add(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    store.get_case(args.case_id)
    given = [bool(args.path), bool(args.url), bool(args.text)]
    if sum(given) != 1:
        raise UsageError("give exactly one of PATH, --url or --text", "e.g. 'rrmdesk evidence add CASE screenshot.png'")
    fields = _fields(Evidence, args)
    fields.pop("url", None), fields.pop("text", None), fields.pop("title", None)
    if args.path:
        record = store.add_evidence_file(args.case_id, args.path, ctx.progress(), title=args.title, **{
            k: v for k, v in fields.items() if k != "case_id"})
    else:
        kind = "url" if args.url else "text"
        title = args.title or (args.url or args.text[:80])
        record = store.add(Evidence(kind=kind, title=title, url=args.url, text=args.text,
                                    captured_by=store.analyst, **fields))
    print(f"{record.id} {record.sha256 or '-'}")
    return 0


def cmd_evidence_get(ctx: Context, args: argparse.Namespace) -> int:
    written = ctx.store().save_evidence(args.evidence_id, args.output, ctx.progress())
    print(f"wrote {written} bytes to {args.output}")
    return 0


def cmd_ttp_add(ctx: Context, args: argparse.Namespace) -> int:
    technique = default_catalog().technique(args.code)
    store = ctx.store()
    store.get_case(args.case_id)
    record = store.add(TechniqueUse(case_id=args.case_id, code=technique.code, note=args.note, tlp=args.tlp))
    print(record.id)
    return 0


def cmd_ttp_catalog(ctx: Context, args: argparse.Namespace) -> int:
    catalog = default_catalog()
    techniques = catalog.search(args.search) if args.search else list(catalog.techniques())
    if args.tactic:
        techniques = [t for t in techniques if t.tactic == args.tactic.upper()]
    if args.json:
        ctx.print_json([{"code": t.code, "name": t.name, "tactic": t.tactic, "url": t.url} for t in techniques])
        return 0
    ctx.print_table([[t.code, t.tactic, t.name] for t in techniques], ["code", "tactic", "name"])
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    record = ctx.store().get(args.object_id)
    data = record.to_dict()
    if args.json:
        ctx.print_json(data)
        return 0
    for name, value in data.items():
        if value not in (None, "", [], False):
            print(f"{name}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    return 0


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    ctx.store().remove(args.object_id)
    print(args.object_id)
    return 0
