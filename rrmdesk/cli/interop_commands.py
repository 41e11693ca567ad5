"""Interchange commands: ``export stix|misp CASE -o FILE`` and ``import FILE``."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from ..errors import UsageError
from ..interop.csv_import import FIELDS, TARGETS, list_mappings, mapping_for, preview, save_mapping
from ..interop.importing import detect_file, import_file
from ..interop.misp import export_misp
from ..interop.stix_export import export_case, write_bundle
from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser("export", help="write a case as STIX 2.1 or MISP event JSON")
    sub = export.add_subparsers(dest="export_format", required=True, metavar="FORMAT")
    for name, text in (("stix", "one STIX 2.1 bundle holding the whole case"),
                       ("misp", "one MISP event (PyMISP loads it)")):
        parser = sub.add_parser(name, help=text)
        parser.add_argument("case_id", metavar="CASE")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write ('-' for stdout)")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
        parser.set_defaults(handler=cmd_export)

    imported = commands.add_parser(
        "import", help="import STIX 2.1, MISP event JSON or CSV (format detected by content)",
        description="Import a file in one transaction and print what was added, updated, kept, rejected.")
    imported.add_argument("path", type=Path, nargs="?", metavar="FILE")
    imported.add_argument("--case", dest="case_id", metavar="ID", help="import into this case (default: a new case)")
    imported.add_argument("--format", choices=("stix", "misp", "csv"), help="skip detection")
    imported.add_argument("--json", action="store_true", help="print the report as JSON")
    csv_group = imported.add_argument_group("CSV")
    csv_group.add_argument("--mapping", metavar="NAME", help="saved column mapping for this source; --map etc. update it")
    csv_group.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                           help="column for a field; 'a|b' takes the first non-empty (repeat)")
    csv_group.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                           help="a fixed value for every row, e.g. actor_kind=media-outlet (repeat)")
    csv_group.add_argument("--into", choices=TARGETS, help="rows are events (default) or actors")
    csv_group.add_argument("--date-format", metavar="FMT", help="strptime form, e.g. %%d/%%m/%%Y (default: ISO, then M/D/YYYY...)")
    csv_group.add_argument("--separator", metavar="SEP", help="separator of multi-valued cells (default ',')")
    csv_group.add_argument("--encoding", metavar="NAME", help="text encoding (default utf-8)")
    csv_group.add_argument("--title", help="title of the new case")
    csv_group.add_argument("--preview", action="store_true", help="show the first rows as they would be imported; import nothing")
    csv_group.add_argument("--rows", type=int, default=10, help="rows to preview")
    csv_group.add_argument("--strict", action="store_true", help="refuse the whole file if any row is bad")
    csv_group.add_argument("--list-mappings", action="store_true", help="list saved CSV mappings")
    imported.set_defaults(handler=cmd_import)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    case = store.get_case(args.case_id)
    out = io.BytesIO()
    if args.export_format == "stix":
        ministry = str(ctx.workspace().config.get("ministry", ""))
        bundle = export_case(store, case.id, ministry=ministry, progress=ctx.progress())
        write_bundle(bundle, out)
        count = len(bundle["objects"])
    else:
        event = export_misp(store, case.id, progress=ctx.progress())
        out.write(json.dumps(event, ensure_ascii=False, indent=1).encode("utf-8"))
        count = len(event["Event"]["Attribute"]) + len(event["Event"]["Object"])
    _write(out.getvalue(), args.output, args.force)
    store.record_event("export", case.id, {"format": args.export_format, "objects": count})
    if args.output != "-":
        print(f"wrote {count} objects of TLP:{case.tlp.upper()} case {case.id} to {args.output}", file=sys.stderr)
    return 0


def _write(data: bytes, output: str, force: bool) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(output)
    try:
        with path.open("wb" if force else "xb") as fp:
            fp.write(data)
    except FileExistsError:
        raise UsageError(f"{path} already exists", "choose another name or pass --force") from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}", "check the folder") from exc


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{item!r} is not {what}", f"write it as {what}, e.g. title=short_title")
        out[name.strip()] = value.strip()
    return out


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    if args.list_mappings:
        saved = list_mappings(store)
        if args.json:
            ctx.print_json({name: m.to_dict() for name, m in saved.items()})
        else:
            ctx.print_table([[n, m.target, ", ".join(f"{f}={c}" for f, c in m.columns.items())] for n, m in saved.items()],
                            ["name", "rows", "columns"])
        return 0
    if args.path is None:
        raise UsageError("no file to import", "give the file: rrmdesk import FILE")
    fmt = args.format or detect_file(args.path)
    mapping = None
    if fmt == "csv":
        changes = {"columns": _pairs(args.map, "FIELD=COLUMN"), "constants": _pairs(args.set, "FIELD=VALUE"),
                   "target": args.into, "date_format": args.date_format, "separator": args.separator,
                   "encoding": args.encoding}
        given = {k: v for k, v in changes.items() if v}
        mapping = mapping_for(store, args.mapping, **given)
        if args.mapping and given:
            save_mapping(store, args.mapping, mapping)
        if args.preview:
            return _print_preview(ctx, args, mapping)
    elif args.preview or args.map or args.mapping:
        raise UsageError("--preview, --map and --mapping are for CSV files", f"this file is {fmt.upper()}")
    report = import_file(store, args.path, fmt=fmt, case_id=args.case_id, mapping=mapping,
                         case_title=args.title, strict=args.strict, progress=ctx.progress())
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    return 0


def _print_preview(ctx: Context, args: argparse.Namespace, mapping) -> int:
    shown = preview(args.path, mapping, args.rows)
    if args.json:
        ctx.print_json(shown.to_dict())
        return 0
    fields = list(FIELDS[mapping.target])
    used = [f for f in fields if f in mapping.columns or f in mapping.constants]
    rows = []
    for row in shown.rows:
        if row.error:
            rows.append([str(row.line), "ERROR " + row.error] + [""] * (len(used) - 1))
        else:
            rows.append([str(row.line)] + [_short(row.values.get(f)) for f in used])
    ctx.print_table(rows, ["line", *used])
    return 0


def _short(value) -> str:
    text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
