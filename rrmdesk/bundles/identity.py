"""The ministry's own identity: an Ed25519 key that signs bundles and an age X25519 key that
opens bundles encrypted to us.

The public half (principal, OpenSSH key line, age recipient) sits in the workspace database's
settings. The private half is kept like the database key (DESIGN.md 4): in the OS keyring for a
keyring workspace (one short entry, well under Windows' 2,560-byte cap), or sealed with a key
derived from the workspace passphrase (scrypt, AES-GCM bound to the workspace id) for a
passphrase workspace. It is never written anywhere in plaintext.

Partners pin its fingerprint and encrypt to its age recipient, so losing it is losing every
partnership. The database key has a copy sealed by the recovery key; the identity needs the same
protection, but the recovery key is never stored and nothing can be sealed to it after ``init``.
Recovery yields the database key, though, so a backup of the private half is sealed under a key
derived from the database key, inside the encrypted database (rrmdesk/sealed_settings.py): it
comes back with the cases after ``rrmdesk recover``, follows ``rekey``, and sits behind the same
key as the cases. When the keyring entry is gone, or the passphrase seal no longer opens with the
workspace passphrase (after ``recover`` to a new passphrase, ``passphrase change`` or a switch of
unlock method), ``load_identity`` restores the keys from the backup to where the workspace keeps
them now: same keys, same fingerprint. Workspaces made before the backup existed get one the next
time their keys are unlocked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .. import keywrap, sealed_settings
from ..clock import utc_now
from ..database import db_errors
from ..errors import IdentityMissingError, SealedSettingError, UnlockError, UsageError
from ..store import Store
from ..workspace import Workspace
from . import sshsig
from .manifest import NAMESPACE

SETTING = "bundle_identity"
BACKUP = "bundle_identity_backup"  # the sealed setting (rrmdesk/sealed_settings.py)
_NO_IDENTITY_HINT = "create it once with 'rrmdesk keys init --id PRINCIPAL'"
_NEW_KEYS_HINT = "make new keys with 'rrmdesk keys init --replace' and send partners the new key"


@dataclass(frozen=True)
class PublicIdentity:
    """What partners need from us; safe to print, read aloud and send."""

    principal: str
    public_key: sshsig.PublicKey
    age_recipient: str
    created: str

    @property
    def fingerprint(self) -> str:
        return self.public_key.fingerprint

    @property
    def key_line(self) -> str:
        """The OpenSSH public key line with the principal as comment."""
        return self.public_key.openssh(self.principal)

    @property
    def fingerprint_line(self) -> str:
        return self.public_key.fingerprint_line(self.principal)

    @property
    def allowed_signers_line(self) -> str:
        """The line a partner without RRM Desk puts in allowed_signers for ``ssh-keygen -Y verify``."""
        return f'{self.principal} namespaces="{NAMESPACE}" {self.public_key.openssh()}'

    def to_dict(self) -> dict[str, str]:
        return {"principal": self.principal, "key": self.key_line, "fingerprint": self.fingerprint,
                "fingerprint_line": self.fingerprint_line, "age_recipient": self.age_recipient,
                "allowed_signers": self.allowed_signers_line, "created": self.created}


@dataclass(frozen=True)
class MinistryIdentity:
    """Our identity with its private keys unlocked: signs manifests, decrypts bundles."""

    public: PublicIdentity
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity

    def sign(self, message: bytes, namespace: str) -> str:
        return sshsig.sign(self.signing_key, message, namespace)


def _keyring_account(workspace: Workspace) -> str:
    return f"{workspace.keyring_account}-ministry-identity"


def _context(workspace: Workspace) -> str:
    return f"{workspace.workspace_id}/ministry-identity"


def _setting(store: Store) -> dict | None:
    with db_errors():
        row = store.db.conn.execute("SELECT value FROM settings WHERE name = ?", (SETTING,)).fetchone()
    return None if row is None else json.loads(row[0])


def public_identity(store: Store) -> PublicIdentity | None:
    data = _setting(store)
    if data is None:
        return None
    return PublicIdentity(data["principal"], sshsig.PublicKey.from_openssh(data["key"]),
                          data["age_recipient"], data["created"])


def require_public_identity(store: Store) -> PublicIdentity:
    found = public_identity(store)
    if found is None:
        raise UsageError("this workspace has no ministry identity yet", _NO_IDENTITY_HINT)
    return found


def _keep(workspace: Workspace, setting: dict, secret: str, passphrase: str | None) -> None:
    """Put the private half where the workspace's unlock method keeps it (``setting`` is updated)."""
    setting["storage"] = workspace.method
    if workspace.method == "keyring":
        workspace.credentials.set(_keyring_account(workspace), secret)
        setting.pop("sealed", None)  # sealed to the passphrase of before a switch to the keyring
    else:
        setting["sealed"] = keywrap.seal_with_passphrase(passphrase or "", secret.encode(), _context(workspace))


def _write_setting(store: Store, setting: dict) -> None:
    with store.transaction() as db:
        db.conn.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (SETTING, json.dumps(setting)))


def _back_up(workspace: Workspace, store: Store, secret: str, db_key: bytes) -> None:
    sealed_settings.put(store, workspace.workspace_id, db_key, BACKUP, secret.encode())


def create_identity(workspace: Workspace, store: Store, principal: str, passphrase: str | None = None,
                    replace: bool = False) -> PublicIdentity:
    """Make new keys for ``principal``; refuses to replace existing keys unless told to."""
    principal = sshsig.check_principal(principal)
    if public_identity(store) is not None and not replace:
        raise UsageError("this workspace already has a ministry identity",
                         "partners trust its key; replace it only with 'keys init --replace' and tell them")
    signing = Ed25519PrivateKey.generate()
    age_identity = pyrage.x25519.Identity.generate()
    seed = signing.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    secret = json.dumps({"ed25519": keywrap.b64(seed), "age": str(age_identity)})
    public = PublicIdentity(principal, sshsig.public_key_of(signing), str(age_identity.to_public()), utc_now())
    setting = {"principal": public.principal, "key": public.key_line, "age_recipient": public.age_recipient,
               "created": public.created}
    db_key = workspace.database_key(passphrase)
    _keep(workspace, setting, secret, passphrase)
    with store.transaction():
        _write_setting(store, setting)
        _back_up(workspace, store, secret, db_key)
        store.record_event("identity-create", f"identity:{principal}",
                           {"principal": principal, "fingerprint": public.fingerprint, "age_recipient": public.age_recipient})
    return public


def _kept_secret(workspace: Workspace, setting: dict, passphrase: str | None) -> str | None:
    """The private half from where the setting says it is kept (sealed to the passphrase, else the
    keyring: a workspace switched to a passphrase before the backup existed still has it there).
    None when it is not there or does not open with this passphrase, which may be wrong: the
    caller tells the two apart."""
    entry = setting.get("sealed")
    if entry is None:
        available = workspace.method == "keyring" or workspace.credentials.available()
        return workspace.credentials.get(_keyring_account(workspace)) if available else None
    if not passphrase:
        return None
    try:
        return keywrap.open_with_passphrase(entry, passphrase, _context(workspace)).decode()
    except UnlockError:
        return None


def _unlocked(public: PublicIdentity, secret: str) -> MinistryIdentity | None:
    """The identity, or None when ``secret`` holds other keys than ``public`` (a stale copy)."""
    data = json.loads(secret)
    signing = Ed25519PrivateKey.from_private_bytes(keywrap.unb64(data["ed25519"]))
    if sshsig.public_key_of(signing) != public.public_key:
        return None
    return MinistryIdentity(public, signing, pyrage.x25519.Identity.from_str(data["age"]))


def load_identity(workspace: Workspace, store: Store, passphrase: str | None = None) -> MinistryIdentity:
    """Our identity with its private keys: from the keyring or unsealed with the passphrase, else
    restored from the backup sealed under the database key (see the module docstring)."""
    public = require_public_identity(store)
    setting = _setting(store) or {}
    if workspace.method == "passphrase" and not passphrase:
        raise UnlockError("the ministry signing key is protected by the workspace passphrase",
                          "enter it, or set RRMDESK_PASSPHRASE for automation")
    secret = _kept_secret(workspace, setting, passphrase)
    identity = _unlocked(public, secret) if secret is not None else None
    if identity is not None:
        if not sealed_settings.exists(store, BACKUP):  # a workspace from before the backup existed
            _back_up(workspace, store, secret, workspace.database_key(passphrase))
        return identity
    return _restore(workspace, store, public, setting, passphrase)


def settle_identity(workspace: Workspace, store: Store, passphrase: str | None = None) -> PublicIdentity | None:
    """After a change to how the workspace unlocks: the identity, if there is one, unlocked once so
    that it is restored from its backup, or backed up before the change leaves it behind."""
    if public_identity(store) is None:
        return None
    return load_identity(workspace, store, passphrase).public


def _restore(workspace: Workspace, store: Store, public: PublicIdentity, setting: dict,
             passphrase: str | None) -> MinistryIdentity:
    """The keys from the backup, put back where the workspace keeps them now.

    ``database_key`` raises "wrong passphrase" for a passphrase that is not the workspace's: only
    the right one may re-seal the keys.
    """
    what = "the backup of the ministry signing key"
    hint = f"restore the workspace folder from a backup, or {_NEW_KEYS_HINT}"
    backup = sealed_settings.get(store, workspace.workspace_id, workspace.database_key(passphrase), BACKUP, what, hint)
    if backup is None:
        where = "the keyring" if workspace.method == "keyring" else "the passphrase seal"
        raise IdentityMissingError(f"no ministry signing key for this workspace: not in {where}, and no backup of it")
    identity = _unlocked(public, backup.decode())
    if identity is None:
        raise SealedSettingError(f"{what} holds another key than this workspace's public key", hint)
    _keep(workspace, setting, backup.decode(), passphrase)
    with store.transaction():
        _write_setting(store, setting)
        store.record_event("identity-restore", f"identity:{public.principal}",
                           {"fingerprint": public.fingerprint, "to": workspace.method})
    return identity


def forget_identity_secret(workspace: Workspace) -> None:
    """Remove the keyring entry (for tests and workspace removal); the settings rows, and so the
    backup, stay."""
    if workspace.method == "keyring":
        workspace.credentials.delete(_keyring_account(workspace))
