"""SSHSIG signatures (OpenSSH PROTOCOL.sshsig) with Ed25519, written and checked in Python.

Why this format: ``ssh-keygen -Y verify`` checks a bundle's manifest on any partner machine
without RRM Desk, and the OpenSSH ``allowed_signers`` file doubles as the trust-store export
(DESIGN.md 6). No maintained Python library writes SSHSIG; the format is short:

    signed data = "SSHSIG" || string(namespace) || string("") || string(hash_alg) || string(H(msg))
    signature   = "SSHSIG" || uint32(1) || string(publickey) || string(namespace) || string("")
                  || string(hash_alg) || string(string("ssh-ed25519") || string(64-byte sig))

armored as ``-----BEGIN SSH SIGNATURE-----`` / base64 in 70-column lines / ``-----END ...``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import FormatError, IntegrityError, UsageError

MAGIC = b"SSHSIG"
VERSION = 1
KEY_TYPE = "ssh-ed25519"
HASH_ALGORITHM = "sha512"
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"
_MAX_ARMOR = 4096
_PRINCIPAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")


def check_principal(principal: str) -> str:
    """A principal is one allowed_signers token: no spaces, commas, quotes or wildcards."""
    text = principal.strip()
    if not _PRINCIPAL.match(text):
        raise UsageError(
            f"{principal!r} is not a usable principal",
            "use letters, digits and . _ @ + - only (no spaces or wildcards), e.g. rrm@international.gc.ca",
        )
    return text


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class _Reader:
    """Reads SSH wire fields and fails with FormatError on anything short or left over."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, size: int) -> bytes:
        if size < 0 or self.pos + size > len(self.data):
            raise FormatError("the signature is truncated or malformed")
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk

    def uint32(self) -> int:
        return int(struct.unpack(">I", self.take(4))[0])

    def string(self) -> bytes:
        return self.take(self.uint32())

    def end(self) -> None:
        if self.pos != len(self.data):
            raise FormatError("the signature has trailing bytes")


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key as OpenSSH writes it."""

    raw: bytes

    @property
    def blob(self) -> bytes:
        return _string(KEY_TYPE.encode()) + _string(self.raw)

    @property
    def fingerprint(self) -> str:
        """``SHA256:`` and unpadded base64, as ``ssh-keygen -l`` prints it."""
        return "SHA256:" + base64.b64encode(hashlib.sha256(self.blob).digest()).decode().rstrip("=")

    def openssh(self, comment: str = "") -> str:
        line = f"{KEY_TYPE} {base64.b64encode(self.blob).decode()}"
        return f"{line} {comment}" if comment else line

    def fingerprint_line(self, comment: str) -> str:
        """Exactly what ``ssh-keygen -lf`` prints for a public key file with this comment."""
        return f"256 {self.fingerprint} {comment} (ED25519)"

    @classmethod
    def from_blob(cls, blob: bytes) -> "PublicKey":
        reader = _Reader(blob)
        kind = reader.string()
        if kind != KEY_TYPE.encode():
            raise FormatError(f"the key is {kind.decode(errors='replace')!r}, not {KEY_TYPE}",
                              "RRM Desk bundles are signed with Ed25519 keys")
        raw = reader.string()
        reader.end()
        if len(raw) != 32:
            raise FormatError("the Ed25519 key has the wrong length")
        return cls(raw)

    @classmethod
    def from_openssh(cls, line: str) -> "PublicKey":
        """Parse ``ssh-ed25519 AAAA... [comment]``; the comment is ignored."""
        fields = line.strip().split()
        hint = "paste the whole line the partner's 'rrmdesk keys show' prints: ssh-ed25519 AAAA..."
        if len(fields) < 2 or fields[0] != KEY_TYPE:
            raise UsageError("that is not an OpenSSH Ed25519 public key line", hint)
        try:
            blob = base64.b64decode(fields[1], validate=True)
            return cls.from_blob(blob)
        except (binascii.Error, ValueError, FormatError):
            raise UsageError("the public key is damaged (its base64 does not decode to an Ed25519 key)", hint) from None

    def verifier(self) -> Ed25519PublicKey:
        return Ed25519PublicKey.from_public_bytes(self.raw)


def public_key_of(private: Ed25519PrivateKey) -> PublicKey:
    from cryptography.hazmat.primitives import serialization

    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PublicKey(raw)


def _signed_data(namespace: str, hash_algorithm: str, message: bytes) -> bytes:
    digest = hashlib.new(hash_algorithm, message).digest()
    return (MAGIC + _string(namespace.encode()) + _string(b"") + _string(hash_algorithm.encode())
            + _string(digest))


def sign(private: Ed25519PrivateKey, message: bytes, namespace: str) -> str:
    """The armored SSHSIG signature of ``message`` that ``ssh-keygen -Y verify`` accepts."""
    signature = private.sign(_signed_data(namespace, HASH_ALGORITHM, message))
    blob = (MAGIC + struct.pack(">I", VERSION) + _string(public_key_of(private).blob)
            + _string(namespace.encode()) + _string(b"") + _string(HASH_ALGORITHM.encode())
            + _string(_string(KEY_TYPE.encode()) + _string(signature)))
    text = base64.b64encode(blob).decode()
    lines = [text[i : i + 70] for i in range(0, len(text), 70)]
    return "\n".join([_BEGIN, *lines, _END]) + "\n"


@dataclass(frozen=True)
class Signature:
    """A parsed SSHSIG: who signed (the key inside it), for which namespace, and the bytes."""

    public_key: PublicKey
    namespace: str
    hash_algorithm: str
    signature: bytes


def parse(armored: bytes) -> Signature:
    """Parse an armored SSHSIG; any deviation from the format is a FormatError."""
    if len(armored) > _MAX_ARMOR:
        raise FormatError("the signature file is too large to be an SSH signature")
    try:
        text = armored.decode("ascii").strip()
    except UnicodeDecodeError:
        raise FormatError("the signature file is not an armored SSH signature") from None
    lines = text.splitlines()
    if len(lines) < 3 or lines[0].strip() != _BEGIN or lines[-1].strip() != _END:
        raise FormatError("the signature file is not an armored SSH signature",
                          "it must start with -----BEGIN SSH SIGNATURE-----")
    try:
        blob = base64.b64decode("".join(line.strip() for line in lines[1:-1]), validate=True)
    except binascii.Error:
        raise FormatError("the signature's base64 is damaged") from None
    reader = _Reader(blob)
    if reader.take(6) != MAGIC or reader.uint32() != VERSION:
        raise FormatError("the signature is not SSHSIG version 1")
    public_key = PublicKey.from_blob(reader.string())
    namespace = reader.string().decode("utf-8", errors="replace")
    reader.string()  # reserved
    hash_algorithm = reader.string().decode("ascii", errors="replace")
    inner = _Reader(reader.string())
    reader.end()
    if inner.string() != KEY_TYPE.encode():
        raise FormatError("the signature is not an Ed25519 signature")
    signature = inner.string()
    inner.end()
    return Signature(public_key, namespace, hash_algorithm, signature)


def verify(armored: bytes, message: bytes, namespace: str) -> Signature:
    """Check ``armored`` over ``message``; return it so the caller can decide whether to trust the key."""
    parsed = parse(armored)
    if parsed.namespace != namespace:
        raise IntegrityError(f"the signature is for {parsed.namespace!r}, not {namespace!r}",
                             "this is not an RRM Desk bundle signature; do not trust it")
    if parsed.hash_algorithm not in ("sha512", "sha256"):
        raise IntegrityError(f"the signature uses an unknown hash {parsed.hash_algorithm!r}")
    try:
        parsed.public_key.verifier().verify(parsed.signature, _signed_data(namespace, parsed.hash_algorithm, message))
    except InvalidSignature:
        raise IntegrityError("the manifest signature does not match: the manifest was changed after signing") from None
    return parsed
