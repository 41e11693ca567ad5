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
    identity: MinistryIdentity

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
        ministry = Ministry(workspace, store, principal, load_identity(workspace, store))
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

