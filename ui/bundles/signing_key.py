"""The ministry signing key from the desktop: a passphrase field when the workspace needs one.

A passphrase workspace seals the ministry's private keys with the workspace passphrase, and the
session does not keep that passphrase in memory after unlocking; the bundle dialogs ask for it
again, as the CLI does. A keyring workspace reads the keys from the OS keyring: no field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from rrmdesk import Progress, Store
from rrmdesk.bundles.identity import MinistryIdentity, load_identity

from ..session import Session


class PassphraseField(QLineEdit):
    """A masked field, filled from RRMDESK_PASSPHRASE when automation set it."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setAccessibleName("Workspace passphrase")
        self.setPlaceholderText("unlocks this ministry's signing key")
        self.setText(session.automation_passphrase() or "")


def passphrase_field(session: Session) -> PassphraseField | None:
    return PassphraseField(session) if session.needs_passphrase else None


def identity_loader(session: Session, field: PassphraseField | None):
    """``work(store, progress)`` pieces need the identity on the worker: scrypt takes a while."""
    passphrase = field.text() if field is not None else None
    workspace = session.workspace

    def load(store: Store, _progress: Progress | None = None) -> MinistryIdentity:
        return load_identity(workspace, store, passphrase)

    return load
