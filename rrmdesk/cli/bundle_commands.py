"""Signed case bundles: bundle export, verify, import."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..bundles.export import BundleExporter
from ..bundles.identity import load_identity
from ..bundles.importer import import_bundle
from ..bundles.verify import BundleVerifier
from ..errors import RRMDeskError
from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    bundle = commands.add_parser("bundle", help="exchange signed case bundles with partner ministries")
    sub = bundle.add_subparsers(dest="bundle_command", required=True, metavar="COMMAND")

    export = sub.add_parser("export", help="write cases as a signed .rrmb bundle for named partners")
    export.add_argument("case_ids", nargs="+", metavar="CASE")
    export.add_argument("--to", required=True, action="extend", nargs="+", dest="recipients", metavar="PRINCIPAL",
                        help="recipient partner(s), from 'rrmdesk keys list'")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.add_argument("--encrypt", action="store_true", help="encrypt the bundle to the recipients with age (.rrmb.age)")
    export.add_argument("--confirm-red", action="store_true",
                        help="include TLP:RED content: you confirm every recipient is a named individual")
    export.add_argument("--json", action="store_true")
    export.set_defaults(handler=cmd_export)

    verify = sub.add_parser("verify", help="check a bundle (signature, files, hashes, replay) without importing it")
    verify.add_argument("file", metavar="FILE")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=cmd_verify)

    imported = sub.add_parser("import", help="verify a bundle, then merge it in one transaction")
    imported.add_argument("file", metavar="FILE")
    imported.add_argument("--json", action="store_true")
    imported.set_defaults(handler=cmd_import)


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    workspace = ctx.workspace()
    identity = load_identity(workspace, store, ctx.passphrase)
    exporter = BundleExporter(store, identity, str(workspace.config.get("ministry", "")))
    report = exporter.export(args.case_ids, args.recipients, Path(args.output), args.encrypt, args.confirm_red, ctx.progress())
    if args.json:
        ctx.print_json(report.to_dict())
    else:
        print("\n".join(report.lines()))
    return 0


def cmd_verify(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    identity = load_identity(ctx.workspace(), store, ctx.passphrase)
    try:
        result = BundleVerifier(store, identity).verify(Path(args.file), ctx.progress())
    except RRMDeskError as exc:
        if args.json:
            ctx.print_json({"verified": False, "reason": exc.message, "hint": exc.hint})
        raise
    if args.json:
        ctx.print_json(result.to_dict())
    else:
        print("\n".join(result.lines()))
    return 0


def cmd_import(ctx: Context, args: argparse.Namespace) -> int:
    result = import_bundle(ctx.workspace(), ctx.store(), Path(args.file), ctx.passphrase, ctx.progress())
    if args.json:
        ctx.print_json(result.to_dict())
    else:
        print("\n".join(result.lines()))
    return 0
