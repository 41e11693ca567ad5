"""Wrapping the database key: by a passphrase (scrypt) and by the recovery key (HKDF).

The database key is random and never changes with the passphrase; what changes is its wrapped
copy in the workspace config. AES-256-GCM with the workspace id as associated data, so a wrapped
key copied into another workspace's config does not unwrap there.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .errors import UnlockError, UsageError

KEY_BYTES = 32
MIN_PASSPHRASE = 10
_RECOVERY_RANDOM = 23  # + 2 checksum bytes = 25 bytes = 40 base32 characters


@dataclass(frozen=True)
class ScryptParams:
    """OWASP's scrypt floor (N=2^17, r=8, p=1): ~0.3 s and 128 MiB per unlock on this hardware."""

    n: int = 2**17
    r: int = 8
    p: int = 1

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        kdf = Scrypt(salt=salt, length=KEY_BYTES, n=self.n, r=self.r, p=self.p)
        return kdf.derive(passphrase.encode("utf-8"))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_id(key: bytes) -> str:
    """A public fingerprint of a key: tells which of two keys opened the database, reveals nothing."""
    return hashlib.sha256(b"rrmdesk key id v1\0" + key).hexdigest()[:32]


def subkey(key: bytes, purpose: str) -> bytes:
    """A key for one purpose derived from ``key`` (HKDF-SHA256): what is sealed under it never
    needs ``key`` itself as an AES key, and two purposes never share a key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode())
    return hkdf.derive(key)


def seal(kek: bytes, key: bytes, context: str) -> str:
    nonce = os.urandom(12)
    return b64(nonce + AESGCM(kek).encrypt(nonce, key, context.encode()))


def unseal(kek: bytes, sealed: str, context: str, what: str) -> bytes:
    raw = unb64(sealed)
    try:
        return AESGCM(kek).decrypt(raw[:12], raw[12:], context.encode())
    except InvalidTag:
        raise UnlockError(f"wrong {what}", f"check the {what} and try again") from None


def check_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError(
            f"the passphrase is shorter than {MIN_PASSPHRASE} characters",
            "use a longer passphrase; a few unrelated words work well",
        )
    return passphrase


def seal_with_passphrase(passphrase: str, secret: bytes, context: str) -> dict[str, str | int]:
    """``secret`` sealed under a key derived from ``passphrase`` (scrypt, fresh salt), with what
    it takes to derive that key again: the form the workspace key and the ministry keys are kept in."""
    salt = secrets.token_bytes(16)
    params = ScryptParams()
    return {"kdf": "scrypt", "n": params.n, "r": params.r, "p": params.p, "salt": b64(salt),
            "sealed_key": seal(params.derive(check_passphrase(passphrase), salt), secret, context)}


def open_with_passphrase(entry: dict, passphrase: str, context: str) -> bytes:
    """What ``seal_with_passphrase`` sealed; UnlockError "wrong passphrase" otherwise."""
    kek = ScryptParams(entry["n"], entry["r"], entry["p"]).derive(passphrase, unb64(entry["salt"]))
    return unseal(kek, entry["sealed_key"], context, "passphrase")


# -- recovery key ---------------------------------------------------------------------------


def new_recovery_key() -> str:
    """40 base32 characters in groups of four, with a checksum that catches typing slips."""
    body = secrets.token_bytes(_RECOVERY_RANDOM)
    raw = body + hashlib.sha256(body).digest()[:2]
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_kek(recovery_key: str) -> bytes:
    cleaned = "".join(c for c in recovery_key.upper() if c.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raw = b""
    if len(raw) != _RECOVERY_RANDOM + 2 or hashlib.sha256(raw[:-2]).digest()[:2] != raw[-2:]:
        raise UnlockError(
            "that is not a valid recovery key (a character is wrong or missing)",
            "type the 40 characters exactly as printed at 'rrmdesk init'",
        )
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"rrmdesk recovery key v1")
    return hkdf.derive(raw)
