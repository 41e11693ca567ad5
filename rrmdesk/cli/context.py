"""What every command needs: the workspace, an unlocked store, secrets from the analyst, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import UnlockError, UsageError
from ..progress import Progress
from ..store import Store
from ..workspace import Workspace, default_path

PASSPHRASE_ENV = "RRMDESK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "RRMDESK_NEW_PASSPHRASE"
RECOVERY_ENV = "RRMDESK_RECOVERY_KEY"


def ask_secret(prompt: str, env: str, confirm: bool = False) -> str:
    """A secret from the environment (automation) or the terminal; never waits on a pipe."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UnlockError(f"{prompt.rstrip(': ')} is needed and there is no terminal to ask",
                          f"run in a terminal, or set {env} (automation and tests only)")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != value:
        raise UsageError("the two entries differ", "type the same passphrase twice")
    return value


class Context:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._workspace: Workspace | None = None
        self._store: Store | None = None
        self.passphrase: str | None = None

    @property
    def workspace_path(self) -> Path:
        return Path(self.args.workspace).expanduser() if self.args.workspace else default_path()

    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = Workspace.load(self.workspace_path)
        return self._workspace

    def store(self) -> Store:
        if self._store is None:
            workspace = self.workspace()
            if workspace.method == "passphrase":
                self.passphrase = ask_secret("Passphrase: ", PASSPHRASE_ENV)
            self._store = workspace.unlock(self.passphrase)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- output -------------------------------------------------------------------------

    @staticmethod
    def print_json(data: Any) -> None:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, sort_keys=True, default=str)
        sys.stdout.write("\n")

    @staticmethod
    def print_table(rows: list[list[str]], headers: list[str]) -> None:
        if not rows:
            print("(none)")
            return
        widths = [max(len(h), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
        widths[-1] = len(headers[-1])  # the last column runs free
        print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
        for row in rows:
            print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())

    @staticmethod
    def progress() -> Progress:
        """A progress bar on stderr when it is a terminal; silent in pipes and CI logs."""
        if not sys.stderr.isatty():
            return Progress()

        def show(done: int, total: int, label: str) -> None:
            share = done / total if total else 1.0
            bar = "#" * int(share * 30)
            sys.stderr.write(f"\r{label[:24]:<24} [{bar:<30}] {share:6.1%}")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        return Progress(show)
