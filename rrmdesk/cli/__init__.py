"""``rrmdesk``: a thin command line over the Python API.

Exit status: 0 success, 1 an RRMDeskError (one line on stderr: what went wrong, then what to
do), 2 bad usage (argparse), 3 a bug in RRM Desk (traceback only with ``--debug``).
Each command group lives in its own ``*_commands`` module with a ``register(commands)``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
import traceback
from collections.abc import Sequence

from .. import __version__
from ..errors import RRMDeskError
from .context import Context


def command_groups() -> list:
    """Every ``*_commands`` module in this package, in name order; each has ``register()``.

    ``pkgutil`` rather than a directory listing, so a frozen app (modules in an archive) works.
    """
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_commands"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rrmdesk",
        description="RRM Desk: encrypted, offline case management for foreign-interference analysis.",
    )
    parser.add_argument("--version", action="version", version=f"rrmdesk {__version__}")
    parser.add_argument("--workspace", metavar="DIR", help="workspace folder (default: $RRMDESK_WORKSPACE or the per-user data folder)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in command_groups():
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    context = Context(args)
    try:
        return int(args.handler(context, args) or 0)
    except RRMDeskError as exc:
        print(f"rrmdesk: {exc.text()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("rrmdesk: interrupted; the last change was not saved", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: say so plainly, without case content
        if args.debug:
            traceback.print_exc()
        print(
            f"rrmdesk: internal error ({type(exc).__name__}); this is a bug in RRM Desk. "
            "Run again with --debug and send the traceback to your support desk.",
            file=sys.stderr,
        )
        return 3
    finally:
        context.close()
