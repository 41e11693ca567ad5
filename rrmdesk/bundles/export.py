"""Writing a signed case bundle (``.rrmb``), optionally age-encrypted to its recipients.

The zip is produced as a stream of chunks: small members first (manifest, signature, the
STIX payload), then each evidence file stored (not deflated: evidence is mostly compressed
media, and stored members can be hashed straight from the file), read chunk by chunk from the
encrypted store. Nothing is held whole in memory and nothing plaintext touches the disk except
the bundle itself, which is written under a temporary name beside the destination and renamed
only when complete; an encrypted bundle goes through age on its way to the disk.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import evidence as blobs
from ..clock import new_id, to_datetime, utc_now
from ..database import db_errors
from ..interop.kept import kept_objects
from ..errors import IntegrityError, UsageError
from ..model import CASE_PARTS, Case, Evidence, Record
from ..progress import Progress
from ..store import Store
from .identity import MinistryIdentity
from .manifest import MANIFEST, NAMESPACE, SIGNATURE, STIX_PATH, CaseEntry, FileEntry, Manifest, evidence_path
from .payload import case_payload
from .release import LeftOut, ReleasePolicy, originators
from .streams import read_ahead, write_atomically
from .trust import Partner, TrustStore
from .zipcheck import ZipLimits

_FILE_MODE = 0o100644 << 16


@dataclass
class ExportReport:
    """What was written and what was left out, and why."""

    path: Path
    manifest: Manifest
    encrypted: bool
    bytes_written: int = 0
    evidence_bytes: int = 0
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "path": str(self.path), "bundle_id": m.bundle_id, "sender": m.sender, "recipients": list(m.recipients),
            "sequence": m.sequence, "created_at": m.created_at, "encrypted": self.encrypted,
            "cases": [asdict(c) for c in m.cases], "files": len(m.files), "evidence_bytes": self.evidence_bytes,
            "bytes_written": self.bytes_written, "left_out": [item.to_dict() for item in self.left_out],
        }

    def lines(self) -> list[str]:
        m = self.manifest
        out = [f"Wrote {self.path} ({self.bytes_written:,} bytes{', age-encrypted' if self.encrypted else ''})",
               f"  bundle {m.bundle_id}, sequence {m.sequence}, from {m.sender} to {', '.join(m.recipients)}",
               *(f"  case {c.id} TLP:{c.tlp.upper()} {c.title}" for c in m.cases),
               f"  {len(m.files)} files, {self.evidence_bytes:,} bytes of evidence"]
        if self.left_out:
            out.append(f"  left out ({len(self.left_out)}):")
            out.extend(f"    {item.kind} {item.object_id} ({item.label}): {item.reason}" for item in self.left_out)
        return out


@dataclass(frozen=True)
class _Blob:
    sha256: str
    size: int


class _Sink:
    """A write-only, unseekable target for ``zipfile``: it collects what the zip writes until taken."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def write(self, data: bytes) -> int:
        self._buffer += data
        return len(data)

    def flush(self) -> None:
        """zipfile flushes; the bytes wait in the buffer until ``take``."""

    def take(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def _zip_time(stamp: str) -> tuple[int, int, int, int, int, int]:
    moment = to_datetime(stamp)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _member(name: str, stamp: str, method: int, size: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_zip_time(stamp))
    info.compress_type = method
    info.external_attr = _FILE_MODE
    info.file_size = size
    return info


def zip_chunks(manifest: Manifest, signature: str, stix: bytes, chunks_of: Callable[[str], Iterator[bytes]],
               progress: Progress) -> Iterator[bytes]:
    """The bundle's zip bytes, in order, a chunk at a time.

    Evidence is not hashed again on the way out: its SHA-256 was computed as it entered the
    store, SQLCipher authenticates every page it reads back (HMAC), and each member's length is
    checked against the manifest. The recipient re-hashes everything.
    """
    sink = _Sink()
    total = sum(f.size for f in manifest.files)
    done = 0
    with zipfile.ZipFile(sink, "w", allowZip64=True) as archive:
        stamp = manifest.created_at
        archive.writestr(_member(MANIFEST, stamp, zipfile.ZIP_STORED), manifest.to_bytes())
        archive.writestr(_member(SIGNATURE, stamp, zipfile.ZIP_STORED), signature.encode("ascii"))
        archive.writestr(_member(STIX_PATH, stamp, zipfile.ZIP_DEFLATED), stix)
        done += len(stix)
        yield sink.take()
        for entry in manifest.files:
            if entry.path == STIX_PATH:
                continue
            written = 0
            with archive.open(_member(entry.path, stamp, zipfile.ZIP_STORED, entry.size), "w") as out:
                for chunk in chunks_of(entry.sha256):
                    out.write(chunk)
                    written += len(chunk)
                    progress.update(done + written, total, "writing bundle")
                    yield sink.take()
            if written != entry.size:
                raise IntegrityError(f"the stored evidence {entry.sha256[:12]}… is {written:,} bytes, not {entry.size:,}",
                                     "run 'rrmdesk audit verify' and restore the workspace from a backup")
            done += written
    yield sink.take()


class BundleExporter:
    """Builds and writes one bundle: TLP rules, payload, manifest, signature, zip, optional age."""

    def __init__(self, store: Store, identity: MinistryIdentity, ministry: str = "") -> None:
        self.store = store
        self.identity = identity
        self.ministry = ministry
        self.trust = TrustStore(store)

    def _recipients(self, principals: list[str]) -> list[Partner]:
        if not principals:
            raise UsageError("a bundle needs at least one recipient", "name partners with --to PRINCIPAL (see 'rrmdesk keys list')")
        now = utc_now()
        partners = []
        for principal in dict.fromkeys(principals):
            partner = self.trust.get(principal)
            status = partner.status(now)
            if status != "trusted":
                raise UsageError(f"{principal}'s key is {status}", "renew the trust entry with 'rrmdesk keys trust'")
            partners.append(partner)
        return partners

    def _next_sequence(self, recipients: list[str]) -> int:
        """One more than the highest number sent to any of them, so each recipient sees it rise."""
        with self.store.transaction() as db:
            marks = ",".join("?" * len(recipients))
            last = db.conn.execute(f"SELECT max(last_sent) FROM bundle_sequences WHERE recipient IN ({marks})", recipients).fetchone()[0]
            sequence = int(last or 0) + 1
            db.conn.executemany("INSERT OR REPLACE INTO bundle_sequences (recipient, last_sent) VALUES (?, ?)",
                                [(r, sequence) for r in recipients])
        return sequence

    def _select(self, case_ids: list[str], policy: ReleasePolicy) -> tuple[list[Case], dict[str, list[Record]], list[LeftOut]]:
        cases: list[Case] = []
        kept: dict[str, list[Record]] = {}
        left_out: list[LeftOut] = []
        for case_id in dict.fromkeys(case_ids):
            case = self.store.get_case(case_id)
            records: list[Record] = [r for cls in CASE_PARTS for r in self.store.parts(case_id, cls)]
            received = list(kept_objects(self.store, case_id))
            provenance = originators(self.store, [case.id, *(r.id for r in records), *(o["id"] for o in received)])
            policy.check_case(case, provenance.get(case.id, set()))
            keep, left = policy.split(case, records, provenance)
            cases.append(case)
            kept[case_id] = keep
            left_out.extend(left)
            left_out.extend(policy.withhold_received(case, received, provenance))
        return cases, kept, left_out

    def _blobs(self, kept: dict[str, list[Record]], left_out: list[LeftOut]) -> list[_Blob]:
        found: dict[str, _Blob] = {}
        with db_errors():
            for records in kept.values():
                for record in records:
                    if not isinstance(record, Evidence) or record.kind != "file" or record.sha256 in found:
                        continue
                    row = self.store.db.conn.execute("SELECT size FROM blobs WHERE sha256 = ?", (record.sha256,)).fetchone()
                    if row is None:
                        left_out.append(LeftOut(record.id, record.KIND, record.label,
                                                "its file bytes are not in this workspace; the record goes without them"))
                        continue
                    found[record.sha256] = _Blob(record.sha256, int(row[0]))
        return sorted(found.values(), key=lambda b: b.sha256)

    def export(self, case_ids: list[str], recipients: list[str], destination: Path, encrypt: bool = False,
               confirm_red: bool = False, progress: Progress | None = None) -> ExportReport:
        progress = progress or Progress()
        if not case_ids:
            raise UsageError("name at least one case to export", "see 'rrmdesk case list'")
        partners = self._recipients(recipients)
        destination = Path(destination)
        if encrypt and destination.suffix != ".age":
            destination = destination.with_name(destination.name + ".age")
        if destination.exists():
            raise UsageError(f"{destination} already exists", "choose another name; nothing was overwritten")
        if not destination.parent.is_dir():
            raise UsageError(f"the folder {destination.parent} does not exist", "create it or choose another destination")
        policy = ReleasePolicy([p.principal for p in partners], confirm_red)
        cases, kept, left_out = self._select(case_ids, policy)
        stix = case_payload(self.store, [c.id for c in cases], {item.object_id for item in left_out}, self.ministry, progress)
        evidence = self._blobs(kept, left_out)
        if len(evidence) + 3 > ZipLimits().max_members:
            raise UsageError(f"these cases hold {len(evidence):,} evidence files, more than one bundle may carry",
                             f"export fewer cases per bundle (at most {ZipLimits().max_members - 3:,} files each)")
        files = [FileEntry(STIX_PATH, len(stix), hashlib.sha256(stix).hexdigest()),
                 *(FileEntry(evidence_path(b.sha256), b.size, b.sha256) for b in evidence)]
        manifest = Manifest(
            bundle_id=new_id("bundle"),
            sender=self.identity.public.principal,
            recipients=tuple(p.principal for p in partners),
            sequence=self._next_sequence([p.principal for p in partners]),
            created_at=utc_now(),
            cases=tuple(CaseEntry(c.id, c.title, c.tlp) for c in cases),
            files=tuple(files),
        )
        signature = self.identity.sign(manifest.to_bytes(), NAMESPACE)
        report = ExportReport(destination, manifest, encrypt, evidence_bytes=sum(b.size for b in evidence), left_out=left_out)
        reader = self.store.open_another()  # the read-ahead thread's own connection
        try:
            chunks = zip_chunks(manifest, signature, stix, lambda sha: read_ahead(blobs.iter_chunks(reader.db, sha)), progress)
            report.bytes_written = write_atomically(destination, chunks, [p.age_recipient for p in partners] if encrypt else None)
        finally:
            reader.close()
        with self.store.transaction():
            for case in cases:
                self.store.record_event("bundle-export", case.id, {
                    "bundle_id": manifest.bundle_id, "recipients": list(manifest.recipients), "sequence": manifest.sequence,
                    "encrypted": encrypt, "files": len(files), "left_out": [item.object_id for item in left_out]})
        return report
