"""The ministry's own identity: an Ed25519 key that signs bundles and an age X25519 key that
opens bundles encrypted to us.

The public half (principal, OpenSSH key line, age recipient) sits in the workspace database's
settings. The private half is kept like the database key (DESIGN.md 4): in the OS keyring for a
keyring workspace (one short entry, well under Windows' 2,560-byte cap), or sealed with a key
derived from the workspace passphrase (scrypt, AES-GCM bound to the workspace id) for a
passphrase workspace. It is never written anywhere in plaintext.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .. import keywrap
from ..clock import utc_now
from ..database import db_errors
from ..errors import KeyringError, UnlockError, UsageError
from ..store import Store
from ..workspace import Workspace
from . import sshsig
from .manifest import NAMESPACE

SETTING = "bundle_identity"
_NO_IDENTITY_HINT = "create it once with 'rrmdesk keys init --id PRINCIPAL'"


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


def public_identity(store: Store) -> PublicIdentity | None:
    with db_errors():
        row = store.db.conn.execute("SELECT value FROM settings WHERE name = ?", (SETTING,)).fetchone()
    if row is None:
        return None
    data = json.loads(row[0])
    return PublicIdentity(data["principal"], sshsig.PublicKey.from_openssh(data["key"]),
                          data["age_recipient"], data["created"])


def require_public_identity(store: Store) -> PublicIdentity:
    found = public_identity(store)
    if found is None:
        raise UsageError("this workspace has no ministry identity yet", _NO_IDENTITY_HINT)
    return found


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
               "created": public.created, "storage": workspace.method}
    if workspace.method == "keyring":
        workspace.credentials.set(_keyring_account(workspace), secret)
    else:
        salt = secrets.token_bytes(16)
        params = keywrap.ScryptParams()
        kek = params.derive(keywrap.check_passphrase(passphrase or ""), salt)
        setting["sealed"] = {"kdf": "scrypt", "n": params.n, "r": params.r, "p": params.p, "salt": keywrap.b64(salt),
                             "sealed_key": keywrap.seal(kek, secret.encode(), _context(workspace))}
    with store.transaction() as db:
        db.conn.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)", (SETTING, json.dumps(setting)))
        store.record_event("identity-create", f"identity:{principal}",
                           {"principal": principal, "fingerprint": public.fingerprint, "age_recipient": public.age_recipient})
    return public


def load_identity(workspace: Workspace, store: Store, passphrase: str | None = None) -> MinistryIdentity:
    """Our identity with its private keys, from the keyring or unsealed with the passphrase."""
    public = require_public_identity(store)
    with db_errors():
        setting = json.loads(store.db.conn.execute("SELECT value FROM settings WHERE name = ?", (SETTING,)).fetchone()[0])
    if "sealed" in setting:
        entry = setting["sealed"]
        if not passphrase:
            raise UnlockError("the ministry signing key is protected by the workspace passphrase",
                              "enter it, or set RRMDESK_PASSPHRASE for automation")
        kek = keywrap.ScryptParams(entry["n"], entry["r"], entry["p"]).derive(passphrase, keywrap.unb64(entry["salt"]))
        secret = keywrap.unseal(kek, entry["sealed_key"], _context(workspace), "passphrase").decode()
    else:
        stored = workspace.credentials.get(_keyring_account(workspace))
        if stored is None:
            raise KeyringError("the keyring has no ministry signing key for this workspace",
                               "make new keys with 'rrmdesk keys init --replace' and send partners the new key")
        secret = stored
    data = json.loads(secret)
    signing = Ed25519PrivateKey.from_private_bytes(keywrap.unb64(data["ed25519"]))
    if sshsig.public_key_of(signing) != public.public_key:
        raise UnlockError("the ministry signing key in the keyring does not match this workspace's public key",
                          "make new keys with 'rrmdesk keys init --replace' and send partners the new key")
    return MinistryIdentity(public, signing, pyrage.x25519.Identity.from_str(data["age"]))


def forget_identity_secret(workspace: Workspace) -> None:
    """Remove the keyring entry (for tests and workspace removal); the settings row stays."""
    if workspace.method == "keyring":
        workspace.credentials.delete(_keyring_account(workspace))
