"""Verifying a bundle, in the order DESIGN.md 6 fixes, before anything is imported.

    (age-decrypt into sealed scratch) -> zip structure, before any content is read
    1. signature over the raw manifest bytes, by a key we trust now (not revoked, not expired)
    2. parse the manifest (duplicate keys refused)
    3. the exact set of files: nothing added, nothing missing, nothing renamed
    4. each file's size and SHA-256, streamed
    5. format; sender is the signer; we are a recipient; sequence above the last one seen from
       that sender; bundle id never seen; created_at not in the future

Each failure is one IntegrityError or FormatError whose message says which check failed.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

import pyrage

from ..clock import format_time, to_datetime, utc_now
from ..database import db_errors
from ..errors import Cancelled, FormatError, IntegrityError, UsageError
from ..progress import Progress
from ..store import Store
from . import sshsig
from .identity import MinistryIdentity
from .manifest import FORMAT, MANIFEST, NAMESPACE, SIGNATURE, STIX_PATH, Manifest, parse
from .scratch import SealedScratch
from .trust import Partner, TrustStore
from .zipcheck import READ_CHUNK, MemberStream, SafeZip, ZipLimits

#: How far ahead of our clock a sender's clock may run before created_at counts as "in the future".
CLOCK_SKEW = timedelta(minutes=5)
_AGE_MAGIC = (b"age-encryption.org/v1\n", b"-----BEGIN AGE ENCRYPTED FILE-----")


@dataclass
class VerificationResult:
    """Everything the analyst is shown before deciding to import."""

    manifest: Manifest
    signer: Partner
    encrypted: bool
    checks: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"verified": True, **self.manifest.to_dict(), "encrypted": self.encrypted,
                "signer_fingerprint": self.signer.fingerprint, "signer_confirmed_by": self.signer.confirmed_by,
                "checks": list(self.checks)}

    def lines(self) -> list[str]:
        m = self.manifest
        return [
            f"Verified bundle {m.bundle_id}{' (age-encrypted)' if self.encrypted else ''}",
            f"  sender      {m.sender}",
            f"  signed by   {self.signer.fingerprint} (confirmed by {self.signer.confirmed_by} on {self.signer.confirmed_at[:10]})",
            f"  recipients  {', '.join(m.recipients)}",
            f"  sequence    {m.sequence}, created {m.created_at}",
            *(f"  case        {c.id} TLP:{c.tlp.upper()} {c.title}" for c in m.cases),
            *(f"  file        {f.sha256}  {f.size:>12,}  {f.path}" for f in m.files),
        ]


@dataclass
class VerifiedBundle:
    """A verified bundle kept open for import: the payload already read and checked, evidence on demand."""

    result: VerificationResult
    archive: SafeZip
    payload: bytes

    @property
    def manifest(self) -> Manifest:
        return self.result.manifest

    def evidence_stream(self, sha256: str) -> MemberStream:
        """The evidence bytes, re-hashed as they are read so a change since verification fails the import."""
        entry = next((f for f in self.manifest.files if f.sha256 == sha256 and f.path != STIX_PATH), None)
        if entry is None:
            raise IntegrityError(f"the payload refers to evidence {sha256[:12]}… that the manifest does not list",
                                 "nothing was imported; ask the sender for a fresh bundle")
        return self.archive.open(entry.path, sha256)


def _open_failure(path: Path, exc: OSError) -> UsageError:
    if isinstance(exc, FileNotFoundError):
        return UsageError(f"no such bundle file: {path}", "check the path")
    if isinstance(exc, IsADirectoryError):
        return UsageError(f"{path} is a folder, not a bundle file", "give the .rrmb or .rrmb.age file")
    return UsageError(f"cannot read {path}: {exc.strerror or exc}", "check that you may read the file")


class _ProgressReader:
    """Reports bytes read by pyrage, and stops it when the analyst cancels."""

    def __init__(self, source: BinaryIO, total: int, progress: Progress) -> None:
        self._source, self._total, self._progress, self._done = source, total, progress, 0

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._done += len(data)
        self._progress.update(self._done, self._total, "decrypting")
        return data


class BundleVerifier:
    def __init__(self, store: Store, identity: MinistryIdentity, limits: ZipLimits = ZipLimits(),
                 now: Callable[[], str] = utc_now) -> None:
        self.store = store
        self.identity = identity
        self.limits = limits
        self.now = now
        self.trust = TrustStore(store)

    def verify(self, path: Path, progress: Progress | None = None) -> VerificationResult:
        with self.open(path, progress) as bundle:
            return bundle.result

    @contextlib.contextmanager
    def open(self, path: Path, progress: Progress | None = None) -> Iterator[VerifiedBundle]:
        """Verify ``path`` and keep it open (the same file handle) for an import."""
        progress = progress or Progress()
        path = Path(path)
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise _open_failure(path, exc) from exc
        with handle, contextlib.ExitStack() as stack:
            head = handle.read(64)
            handle.seek(0)
            encrypted = head.startswith(_AGE_MAGIC)
            source: BinaryIO = handle
            if encrypted:
                source = stack.enter_context(self._decrypt(handle, progress))  # type: ignore[assignment]
            yield self._check(source, encrypted, progress)

    def _decrypt(self, handle: BinaryIO, progress: Progress) -> SealedScratch:
        total = handle.seek(0, 2)
        handle.seek(0)
        scratch = SealedScratch()
        try:
            pyrage.decrypt_io(_ProgressReader(handle, total, progress), scratch, [self.identity.age_identity])
        except Cancelled:
            scratch.close()
            raise
        except (pyrage.DecryptError, OSError) as exc:  # pyrage reports a damaged payload as OSError
            scratch.close()
            if progress.cancelled:
                raise Cancelled() from None
            if scratch.error is not None:
                raise scratch.error from None
            if "no matching keys" in str(exc).lower():
                raise IntegrityError(
                    "this bundle is encrypted for another recipient: none of its keys is ours",
                    f"ask the sender to encrypt it to our age recipient {self.identity.public.age_recipient}") from None
            raise IntegrityError(f"the encrypted bundle is damaged or truncated ({exc})",
                                 "nothing was imported; ask the sender for the file again") from None
        except BaseException:
            scratch.close()
            raise
        return scratch.finish()

    # -- the checks, in order -------------------------------------------------------------

    def _check(self, source: BinaryIO, encrypted: bool, progress: Progress) -> VerifiedBundle:
        archive = SafeZip(source, self.limits)
        checks = ["zip structure"]
        for name in (MANIFEST, SIGNATURE):
            if name not in archive.members:
                raise IntegrityError(f"the bundle has no {name}", "nothing was imported; this is not a complete RRM Desk bundle")
        manifest_bytes = archive.read(MANIFEST)
        signature = sshsig.verify(archive.read(SIGNATURE), manifest_bytes, NAMESPACE)
        signer = self.trust.signer(signature.public_key, self.now())
        checks.append(f"signature by {signer.principal} ({signer.fingerprint})")
        manifest = parse(manifest_bytes)
        checks.append("manifest")
        self._check_file_set(manifest, archive)
        checks.append("file set")
        payload = self._check_hashes(manifest, archive, progress)
        checks.append("sizes and hashes")
        self._check_claims(manifest, signer)
        self.check_fresh(manifest)
        self._check_time(manifest)
        checks.append("sender, recipients, sequence, bundle id, time")
        return VerifiedBundle(VerificationResult(manifest, signer, encrypted, checks), archive, payload)

    @staticmethod
    def _check_file_set(manifest: Manifest, archive: SafeZip) -> None:
        expected = manifest.paths() | {MANIFEST, SIGNATURE}
        present = archive.names()
        added, missing = sorted(present - expected), sorted(expected - present)
        if added or missing:
            parts = []
            if added:
                parts.append(f"not in the manifest: {', '.join(added[:5])}")
            if missing:
                parts.append(f"missing: {', '.join(missing[:5])}")
            raise IntegrityError(f"the files in the bundle differ from its signed manifest ({'; '.join(parts)})",
                                 "nothing was imported; a file was added, removed or renamed after signing")
        if STIX_PATH not in expected:
            raise FormatError(f"the bundle has no {STIX_PATH}", "nothing was imported")

    def _check_hashes(self, manifest: Manifest, archive: SafeZip, progress: Progress) -> bytes:
        total = sum(f.size for f in manifest.files)
        done = 0
        payload = b""
        for entry in manifest.files:
            member = archive.members[entry.path]
            if member.size != entry.size:
                raise IntegrityError(f"{entry.path} is {member.size:,} bytes, the manifest says {entry.size:,}",
                                     "nothing was imported; the bundle was changed after signing")
            digest = hashlib.sha256()
            keep = [] if entry.path == STIX_PATH else None
            with archive.open(entry.path) as stream:
                while chunk := stream.read(READ_CHUNK):
                    digest.update(chunk)
                    if keep is not None:
                        keep.append(chunk)
                    done += len(chunk)
                    progress.update(done, total, "verifying")
            if digest.hexdigest() != entry.sha256:
                raise IntegrityError(f"{entry.path} does not match its SHA-256 in the signed manifest",
                                     "nothing was imported; the bundle was changed after signing")
            if keep is not None:
                payload = b"".join(keep)
        return payload

    def _check_claims(self, manifest: Manifest, signer: Partner) -> None:
        if manifest.format != FORMAT:
            raise FormatError(f"the bundle format is {manifest.format!r}; this RRM Desk reads {FORMAT}",
                              "install the RRM Desk version the sender uses")
        if manifest.sender != signer.principal:
            raise IntegrityError(f"the manifest says it is from {manifest.sender}, but {signer.principal} signed it",
                                 "nothing was imported; do not trust this bundle")
        ours = self.identity.public.principal
        if ours not in manifest.recipients:
            raise IntegrityError(f"this bundle is addressed to {', '.join(manifest.recipients)}, not to us ({ours})",
                                 "nothing was imported; it was not meant for this ministry")

    def _check_time(self, manifest: Manifest) -> None:
        limit = format_time(to_datetime(self.now()) + CLOCK_SKEW)
        if manifest.created_at > limit:
            raise IntegrityError(f"the bundle claims to be created at {manifest.created_at}, in the future",
                                 "nothing was imported; check both machines' clocks and ask for a fresh bundle")

    def check_fresh(self, manifest: Manifest) -> None:
        """Replay protection; the importer repeats it under the write lock."""
        with db_errors():
            conn = self.store.db.conn
            row = conn.execute("SELECT last_seen FROM bundle_senders WHERE sender = ?", (manifest.sender,)).fetchone()
            seen = conn.execute("SELECT imported_at FROM bundles_seen WHERE bundle_id = ?", (manifest.bundle_id,)).fetchone()
        if row is not None and manifest.sequence <= row[0]:
            if seen is not None:
                raise IntegrityError(f"bundle {manifest.bundle_id} was already imported on {seen[0]} (a replay)",
                                     "nothing was imported again")
            raise IntegrityError(f"bundle sequence {manifest.sequence} from {manifest.sender} is not above {row[0]}, "
                                 "the last one imported from them (an old or replayed bundle)",
                                 "nothing was imported; ask the sender for a fresh bundle")
        if seen is not None:
            raise IntegrityError(f"bundle {manifest.bundle_id} was already imported on {seen[0]} (a replay)",
                                 "nothing was imported again")
