"""Ministry keys and the partner trust store: keys init, show, trust, list, revoke, export-allowed-signers."""

from __future__ import annotations

import argparse

from ..bundles.identity import PublicIdentity, create_identity, require_public_identity
from ..bundles.trust import TrustStore
from ..clock import utc_now
from ..errors import EvidenceError
from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="this ministry's signing keys and the partners it trusts")
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")

    init = sub.add_parser("init", help="make this ministry's Ed25519 signing key and age key")
    init.add_argument("--id", required=True, dest="principal", metavar="PRINCIPAL",
                      help="the name partners know this ministry by, e.g. rrm@international.gc.ca")
    init.add_argument("--replace", action="store_true", help="replace existing keys (partners must trust the new key)")
    init.set_defaults(handler=cmd_init)

    show = sub.add_parser("show", help="the public key line, its fingerprint and the age recipient to give partners")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    trust = sub.add_parser("trust", help="trust a partner ministry's key after confirming its fingerprint with them")
    trust.add_argument("principal", metavar="PRINCIPAL")
    trust.add_argument("--key", required=True, help="the partner's public key line: 'ssh-ed25519 AAAA...'")
    trust.add_argument("--age", required=True, dest="age_recipient", metavar="AGE_RECIPIENT", help="the partner's age1... recipient")
    trust.add_argument("--valid-from", help="first day the key is accepted (default: now)")
    trust.add_argument("--valid-until", help="last moment the key is accepted (default: no end)")
    trust.add_argument("--confirmed-by", required=True, metavar="NAME",
                       help="who compared the fingerprint with the partner (read aloud on another channel)")
    trust.set_defaults(handler=cmd_trust)

    listing = sub.add_parser("list", help="partner ministries, their fingerprints and status")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_list)

    revoke = sub.add_parser("revoke", help="stop accepting bundles signed by a partner's current key")
    revoke.add_argument("principal", metavar="PRINCIPAL")
    revoke.set_defaults(handler=cmd_revoke)

    export = sub.add_parser("export-allowed-signers", help="write the trusted keys as an OpenSSH allowed_signers file")
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.set_defaults(handler=cmd_export_allowed_signers)


def _print_identity(ctx: Context, identity: PublicIdentity, as_json: bool) -> None:
    if as_json:
        ctx.print_json(identity.to_dict())
        return
    print(f"principal:     {identity.principal}")
    print(f"signing key:   {identity.key_line}")
    print(f"fingerprint:   {identity.fingerprint_line}")
    print(f"age recipient: {identity.age_recipient}")
    print(f"allowed_signers line for partners without RRM Desk:\n  {identity.allowed_signers_line}")


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    identity = create_identity(ctx.workspace(), store, args.principal, ctx.passphrase, replace=args.replace)
    _print_identity(ctx, identity, False)
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    _print_identity(ctx, require_public_identity(ctx.store()), args.json)
    return 0


def cmd_trust(ctx: Context, args: argparse.Namespace) -> int:
    partner = TrustStore(ctx.store()).trust(args.principal, args.key, args.age_recipient, args.confirmed_by,
                                            args.valid_from, args.valid_until)
    print(f"trusted {partner.principal} {partner.fingerprint} (confirmed by {partner.confirmed_by})")
    return 0


def cmd_list(ctx: Context, args: argparse.Namespace) -> int:
    partners = TrustStore(ctx.store()).partners()
    now = utc_now()
    if args.json:
        ctx.print_json([{**p.to_dict(), "status": p.status(now)} for p in partners])
        return 0
    ctx.print_table([[p.principal, p.status(now), p.fingerprint, (p.valid_until or "-")[:10], p.confirmed_by] for p in partners],
                    ["principal", "status", "fingerprint", "until", "confirmed by"])
    return 0


def cmd_revoke(ctx: Context, args: argparse.Namespace) -> int:
    partner = TrustStore(ctx.store()).revoke(args.principal)
    print(f"revoked {partner.principal} {partner.fingerprint} at {partner.revoked_at}")
    return 0


def cmd_export_allowed_signers(ctx: Context, args: argparse.Namespace) -> int:
    try:
        count = TrustStore(ctx.store()).export_allowed_signers(args.output)
    except OSError as exc:
        raise EvidenceError(f"cannot write {args.output}: {exc.strerror or exc}", "check the folder and its permissions") from exc
    print(f"wrote {count} trusted keys to {args.output}")
    return 0
