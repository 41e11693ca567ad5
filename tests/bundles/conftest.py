"""Two ministries on one machine: keyring workspaces on the real Secret Service, each with its
own identity, trusting each other."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrmdesk import Store, Workspace
from rrmdesk.bundles.identity import MinistryIdentity, create_identity, forget_identity_secret, load_identity
from rrmdesk.bundles.trust import TrustStore


@dataclass
class Ministry:
    workspace: Workspace
    store: Store
    principal: str

    @property
    def identity(self) -> MinistryIdentity:
        return load_identity(self.workspace, self.store)

    @property
    def trust(self) -> TrustStore:
        return TrustStore(self.store)

    def trusts(self, other: "Ministry", **options: str) -> None:
        public = other.identity.public
        self.trust.trust(other.principal, public.key_line, public.age_recipient, confirmed_by="desk officer", **options)


@pytest.fixture
def make_ministry(tmp_path: Path) -> Iterator:
    made: list[Ministry] = []

    def make(principal: str) -> Ministry:
        workspace, _ = Workspace.create(tmp_path / principal, "keyring")
        store = workspace.unlock()
        create_identity(workspace, store, principal)
        ministry = Ministry(workspace, store, principal)
        made.append(ministry)
        return ministry

    yield make
    for ministry in made:
        ministry.store.close()
        forget_identity_secret(ministry.workspace)
        ministry.workspace.credentials.delete(ministry.workspace.keyring_account)


@pytest.fixture
def fr(make_ministry) -> Ministry:
    return make_ministry("fr-meae")


@pytest.fixture
def ca(make_ministry, fr: Ministry) -> Ministry:
    """Canada, trusting France and trusted by France."""
    ministry = make_ministry("ca-gac")
    ministry.trusts(fr)
    fr.trusts(ministry)
    return ministry


# -- TEMPORARY until migration 2 (interop) is committed and migration 3 joins rrmdesk/migrations.py
import sqlite_utils  # noqa: E402

from rrmdesk import migrations as _migrations  # noqa: E402

# Bundles (rrmdesk.bundles): partner ministries we trust and replay protection.
#  bundle_partners   trust store: principal, Ed25519 signing key, age recipient, validity window,
#                    who confirmed the fingerprint and when; revoked rows are kept
#  bundle_sequences  the last sequence number we sent to each recipient
#  bundle_senders    the last sequence number we accepted from each sender
#  bundles_seen      every bundle id we imported (a replay is refused by id)
_V3 = """
CREATE TABLE bundle_partners (
    seq INTEGER PRIMARY KEY,
    principal TEXT NOT NULL,
    signing_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    age_recipient TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX bundle_partners_principal ON bundle_partners(principal);
CREATE UNIQUE INDEX bundle_partners_key ON bundle_partners(fingerprint);
CREATE TABLE bundle_sequences (recipient TEXT PRIMARY KEY, last_sent INTEGER NOT NULL);
CREATE TABLE bundle_senders (sender TEXT PRIMARY KEY, last_seen INTEGER NOT NULL);
CREATE TABLE bundles_seen (
    bundle_id TEXT PRIMARY KEY,
    sender TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    signer_fingerprint TEXT NOT NULL,
    imported_at TEXT NOT NULL
)
"""


def _v3(db: sqlite_utils.Database) -> None:
    for statement in _V3.split(";"):
        if statement.strip():
            db.execute(statement)


@pytest.fixture(autouse=True)
def _bundle_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    if not any(getattr(f, "__name__", "") == "_v3" for f in _migrations.MIGRATIONS.values()):
        number = max(_migrations.MIGRATIONS) + 1
        monkeypatch.setitem(_migrations.MIGRATIONS, number, _v3)
        monkeypatch.setattr(_migrations, "SCHEMA_VERSION", number)
