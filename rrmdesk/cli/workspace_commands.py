"""Workspace commands: init, status, unlock-test, rekey, passphrase change, recover, audit, profile."""

from __future__ import annotations

import argparse
import sys

from ..bundles.identity import settle_identity
from ..credentials import CredentialStore
from ..errors import IntegrityError
from ..recovery import recover
from ..workspace import Workspace
from .context import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV, RECOVERY_ENV, Context, ask_secret

RECOVERY_NOTICE = """\
Recovery key (shown once, not stored anywhere; write it down and keep it apart from this machine):

    {key}

It unlocks this workspace if the keyring entry or the passphrase is lost: 'rrmdesk recover'."""


def register(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="create a new encrypted workspace")
    init.add_argument("--passphrase", action="store_true",
                      help=f"protect the key with a passphrase instead of the OS keyring (read from ${PASSPHRASE_ENV} or the terminal)")
    init.add_argument("--analyst", help="your name, recorded in the audit trail (default: your login name)")
    init.add_argument("--ministry", default="", help="your ministry or organisation, used in exports and briefings")
    init.set_defaults(handler=cmd_init)

    status = commands.add_parser("status", help="where the workspace is and how it is unlocked")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=cmd_status)

    unlock = commands.add_parser("unlock-test", help="unlock the workspace and report the method, changing nothing")
    unlock.set_defaults(handler=cmd_unlock_test)

    rekey = commands.add_parser("rekey", help="re-encrypt the database under a new key and issue a new recovery key")
    rekey.set_defaults(handler=cmd_rekey)

    passphrase = commands.add_parser("passphrase", help="passphrase management")
    passphrase_commands = passphrase.add_subparsers(dest="passphrase_command", required=True, metavar="COMMAND")
    change = passphrase_commands.add_parser("change", help=f"change the passphrase (old from ${PASSPHRASE_ENV}, new from ${NEW_PASSPHRASE_ENV} or the terminal)")
    change.set_defaults(handler=cmd_passphrase_change)

    recover = commands.add_parser("recover", help="unlock with the recovery key and store the database key again")
    method = recover.add_mutually_exclusive_group()
    method.add_argument("--passphrase", dest="method", action="store_const", const="passphrase",
                        help="from now on, unlock with a new passphrase")
    method.add_argument("--keyring", dest="method", action="store_const", const="keyring",
                        help="from now on, unlock with the OS keyring")
    recover.set_defaults(handler=cmd_recover, method=None)

    audit = commands.add_parser("audit", help="the tamper-evident audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")
    verify = audit_commands.add_parser("verify", help="recompute the hash chain and name the first broken entry")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=cmd_audit_verify)
    log = audit_commands.add_parser("log", help="list audit entries")
    log.add_argument("--case", help="only entries about this case")
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=cmd_audit_log)

    profile = commands.add_parser("profile", help="show or set the analyst name, ministry and classification line")
    profile.add_argument("--analyst")
    profile.add_argument("--ministry")
    profile.add_argument("--classification", help="national classification line for briefing banners, e.g. 'UNCLASSIFIED'")
    profile.add_argument("--json", action="store_true")
    profile.set_defaults(handler=cmd_profile)


def cmd_init(ctx: Context, args: argparse.Namespace) -> int:
    method = "passphrase" if args.passphrase else "keyring"
    passphrase = ask_secret("New passphrase: ", PASSPHRASE_ENV, confirm=True) if args.passphrase else None
    workspace, recovery_key = Workspace.create(ctx.workspace_path, method, passphrase, analyst=args.analyst)
    if args.ministry:
        workspace.set_profile(ministry=args.ministry)
    print(f"Created workspace {workspace.path} (unlocked by {method}).", file=sys.stderr)
    print(RECOVERY_NOTICE.format(key=recovery_key))
    return 0


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    facts = ctx.workspace().describe()
    if args.json:
        ctx.print_json(facts)
        return 0
    for name, value in facts.items():
        print(f"{name.replace('_', ' ')}: {value if value not in (None, '') else '-'}")
    return 0


def cmd_unlock_test(ctx: Context, args: argparse.Namespace) -> int:
    workspace = ctx.workspace()
    store = ctx.store()
    how = CredentialStore().backend_name if workspace.method == "keyring" else "passphrase"
    print(f"unlocked {workspace.path} with the {how}; {store.count_cases()} cases")
    return 0


def cmd_rekey(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()

    def show(key: str) -> None:
        print("New " + RECOVERY_NOTICE.format(key=key))
        print("The previous recovery key no longer works.")
        sys.stdout.flush()

    ctx.workspace().rotate_key(store, show, ctx.passphrase)
    print("The database is now encrypted under a new key.", file=sys.stderr)
    return 0


def cmd_passphrase_change(ctx: Context, args: argparse.Namespace) -> int:
    workspace = ctx.workspace()
    old = ask_secret("Current passphrase: ", PASSPHRASE_ENV)
    new = ask_secret("New passphrase: ", NEW_PASSPHRASE_ENV, confirm=True)
    if workspace.method == "passphrase":  # the ministry identity follows the new passphrase from its backup
        with workspace.unlock(old) as store:
            settle_identity(workspace, store, old)
    workspace.change_passphrase(old, new)
    print("Passphrase changed.", file=sys.stderr)
    return 0


def cmd_recover(ctx: Context, args: argparse.Namespace) -> int:
    workspace = ctx.workspace()
    recovery_key = ask_secret("Recovery key: ", RECOVERY_ENV)
    method = args.method or workspace.method
    passphrase = ask_secret("New passphrase: ", NEW_PASSPHRASE_ENV, confirm=True) if method == "passphrase" else None
    store, identity = recover(workspace, recovery_key, method, passphrase)
    store.close()
    print(f"Recovered: the workspace is unlocked by {method} again.", file=sys.stderr)
    if identity is not None:
        print(f"The ministry identity is back: {identity.fingerprint_line}", file=sys.stderr)
    return 0


def cmd_audit_verify(ctx: Context, args: argparse.Namespace) -> int:
    report = ctx.store().verify_audit()
    if args.json:
        ctx.print_json({"ok": report.ok, "entries": report.entries, "first_broken": report.first_broken, "reason": report.reason})
    if not report.ok:
        raise IntegrityError(f"audit chain broken: {report.reason}",
                             "the database was changed outside RRM Desk; keep this copy for investigation and restore a backup")
    if not args.json:
        print(f"audit chain intact: {report.entries} entries")
    return 0


def cmd_audit_log(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store()
    if args.case:
        store.get_case(args.case)
    entries = store.audit_entries(args.case)
    if args.json:
        ctx.print_json([
            {"seq": e.seq, "at": e.at, "analyst": e.analyst, "action": e.action, "object_id": e.object_id,
             "change": e.change_dict(), "hash": e.hash}
            for e in entries
        ])
        return 0
    ctx.print_table([[str(e.seq), e.at, e.analyst, e.action, e.object_id] for e in entries],
                    ["seq", "at", "analyst", "action", "object"])
    return 0


def cmd_profile(ctx: Context, args: argparse.Namespace) -> int:
    workspace = ctx.workspace()
    if any(v is not None for v in (args.analyst, args.ministry, args.classification)):
        workspace.set_profile(args.analyst, args.ministry, args.classification)
    facts = {"analyst": workspace.analyst, "ministry": workspace.ministry, "classification": workspace.classification}
    if args.json:
        ctx.print_json(facts)
    else:
        for name, value in facts.items():
            print(f"{name}: {value or '-'}")
    return 0
