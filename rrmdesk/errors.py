"""Every error RRM Desk raises on purpose, in one tree.

    RRMDeskError                  base: ``message`` for the analyst, ``hint`` says what to do
    ├── UsageError                bad input from the analyst (a title, a date, a T-code, a TLP)
    │   └── NotFoundError         an id that is not in the workspace
    ├── WorkspaceError            the workspace folder itself (missing, already there, config)
    ├── UnlockError               the database key could not be obtained or is wrong
    │   ├── KeyringError          the OS credential store is absent or locked
    │   └── IdentityMissingError  the ministry's signing keys are nowhere (keyring, seal, backup)
    ├── StoreError                the encrypted database (corrupt, too new, busy, disk full)
    │   └── BusyError             another process holds the write lock for too long
    ├── EvidenceError             an evidence file cannot be read or written
    ├── FormatError               a file we were given is not what it claims (JSON, CSV, bundle)
    ├── IntegrityError            a hash, a signature or the audit chain does not match
    │   └── SealedSettingError    a secret sealed in the database does not open: changed outside
    └── Cancelled                 the analyst pressed Cancel; nothing was changed

Errors from libraries underneath (sqlcipher3, keyring, zipfile, pyrage) are translated where
we call them and re-raised ``from`` the original, so a caller handles one tree and the CLI and
the desktop app can show one line and a hint instead of a stack trace. Anything else that
escapes is a bug in RRM Desk, and is reported as such.
"""

from __future__ import annotations

__all__ = [
    "RRMDeskError",
    "UsageError",
    "NotFoundError",
    "WorkspaceError",
    "UnlockError",
    "KeyringError",
    "IdentityMissingError",
    "StoreError",
    "BusyError",
    "EvidenceError",
    "FormatError",
    "IntegrityError",
    "SealedSettingError",
    "Cancelled",
]


class RRMDeskError(Exception):
    """Base of all expected failures; carries text fit to show an analyst."""

    default_hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def text(self) -> str:
        """One line for the CLI or a dialog: what went wrong, then what to do."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(RRMDeskError):
    default_hint = "check the value and try again"


class NotFoundError(UsageError):
    default_hint = "list what exists with 'rrmdesk case list' or 'rrmdesk case show CASE'"


class WorkspaceError(RRMDeskError):
    default_hint = "run 'rrmdesk init' to create a workspace, or pass --workspace DIR"


class UnlockError(RRMDeskError):
    default_hint = "check the passphrase, or use 'rrmdesk recover' with the recovery key"


class KeyringError(UnlockError):
    default_hint = (
        "unlock your desktop keyring, or use passphrase mode: 'rrmdesk init --passphrase'"
    )


class IdentityMissingError(UnlockError):
    """The ministry's private keys are in neither the keyring (or passphrase seal) nor the
    workspace's backup of them (rrmdesk/bundles/identity.py)."""

    default_hint = "make new keys with 'rrmdesk keys init --replace' and send partners the new key"


class StoreError(RRMDeskError):
    default_hint = "restore the workspace from a backup, or report this to your support desk"


class BusyError(StoreError):
    default_hint = "another RRM Desk window or command is writing; wait a moment and retry"


class EvidenceError(RRMDeskError):
    default_hint = "check that the file exists and that you may read it"


class FormatError(RRMDeskError):
    default_hint = "check that this is the file you meant; nothing was imported"


class IntegrityError(RRMDeskError):
    default_hint = "do not trust this data; ask the sender for a fresh copy"


class SealedSettingError(IntegrityError):
    """A secret sealed in the workspace database does not open under the database key
    (rrmdesk/sealed_settings.py)."""

    default_hint = "restore the workspace from a backup"


class Cancelled(RRMDeskError):
    default_hint = "nothing was changed"

    def __init__(self, message: str = "cancelled", hint: str | None = None) -> None:
        super().__init__(message, hint)
