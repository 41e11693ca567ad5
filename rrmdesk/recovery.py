"""Getting back into a workspace with the recovery key: the database key, then the ministry keys.

``Workspace.recover`` unseals the database key with the recovery key and stores it again (in
the keyring, or under a new passphrase). The ministry's signing and age keys sit beside it, in
the keyring or the passphrase seal, and are lost with it; their backup inside the database
(rrmdesk/bundles/identity.py) opens only once the database does. Both steps live here so the
command line and the desktop app recover the same way.
"""

from __future__ import annotations

from typing import NamedTuple

from .bundles.identity import PublicIdentity, settle_identity
from .errors import RRMDeskError
from .store import Store
from .workspace import Workspace


class Recovered(NamedTuple):
    """The workspace unlocked again (the caller closes the store) and the ministry identity
    brought back from its backup, or None when the workspace has none."""

    store: Store
    identity: PublicIdentity | None


def recover(workspace: Workspace, recovery_key: str, method: str | None = None,
            passphrase: str | None = None) -> Recovered:
    """Unlock ``workspace`` again by ``method`` (keyring, or passphrase with ``passphrase``) from
    the recovery key, and bring back the ministry identity.

    The store opened to restore the identity is handed over, so the desktop does not unlock
    (scrypt, for a passphrase) a second time. The database key is stored again before the
    identity is looked at, so the cases are back even when the identity is not (its backup
    changed, or never made): the error says both.
    """
    workspace.recover(recovery_key, method, passphrase)
    store = workspace.unlock(passphrase)
    try:
        return Recovered(store, settle_identity(workspace, store, passphrase))
    except BaseException as exc:
        store.close()
        if isinstance(exc, RRMDeskError):
            raise type(exc)(f"the workspace is recovered, but {exc.message}", exc.hint) from exc
        raise
