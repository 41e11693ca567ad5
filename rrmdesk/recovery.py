"""Getting back into a workspace with the recovery key: the database key, then the ministry keys.

``Workspace.recover`` unseals the database key with the recovery key and stores it again (in
the keyring, or under a new passphrase). The ministry's signing and age keys sit beside it, in
the keyring or the passphrase seal, and are lost with it; their backup inside the database
(rrmdesk/bundles/identity.py) opens only once the database does. Both steps live here so the
command line and the desktop app recover the same way.
"""

from __future__ import annotations

from .bundles.identity import PublicIdentity, settle_identity
from .errors import RRMDeskError
from .workspace import Workspace


def recover(workspace: Workspace, recovery_key: str, method: str | None = None,
            passphrase: str | None = None) -> PublicIdentity | None:
    """Unlock ``workspace`` again by ``method`` (keyring, or passphrase with ``passphrase``) from
    the recovery key; return the ministry identity brought back from its backup, if it has one.

    The database key is stored again before the identity is looked at, so the cases are back
    even when the identity is not (its backup changed, or never made): the error says both.
    """
    workspace.recover(recovery_key, method, passphrase)
    try:
        with workspace.unlock(passphrase) as store:
            return settle_identity(workspace, store, passphrase)
    except RRMDeskError as exc:
        raise type(exc)(f"the workspace is recovered, but {exc.message}", exc.hint) from exc
