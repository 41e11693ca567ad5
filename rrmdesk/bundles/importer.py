"""Importing a verified bundle: every check first, then one transaction for everything.

The merge itself is ``rrmdesk.interop.stix_import`` (merge by id, provenance per object,
conflicts with local edits kept and reported, never overwritten). Here we add what only a
signed bundle has: the replay checks are repeated under the write lock (two imports of the
same file racing each other cannot both pass), the sender's sequence and the bundle id are
recorded, evidence bytes are re-hashed as they stream in, and the audit chain gets one entry
per case. A failure anywhere rolls all of it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..clock import utc_now
from ..interop.stix_import import import_stix
from ..progress import Progress
from ..store import Store
from ..workspace import Workspace
from .identity import load_identity
from .payload import parse_payload, split_cases
from .verify import BundleVerifier, VerificationResult
from .zipcheck import ZipLimits


@dataclass
class BundleImport:
    verification: VerificationResult
    reports: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"verification": self.verification.to_dict(), "imports": [r.to_dict() for r in self.reports]}

    def lines(self) -> list[str]:
        out = list(self.verification.lines())
        for report in self.reports:
            out.extend(report.lines())
        return out


def import_bundle(workspace: Workspace, store: Store, path: Path, passphrase: str | None = None,
                  progress: Progress | None = None, limits: ZipLimits = ZipLimits()) -> BundleImport:
    """Verify ``path`` and merge it into the workspace in one transaction."""
    progress = progress or Progress()
    identity = load_identity(workspace, store, passphrase)
    verifier = BundleVerifier(store, identity, limits)
    with verifier.open(path, progress) as bundle:
        manifest, signer = bundle.manifest, bundle.result.signer
        received_at = utc_now()
        provenance = {"sender": manifest.sender, "bundle_id": manifest.bundle_id, "signer": signer.fingerprint,
                      "received_at": received_at}
        result = BundleImport(bundle.result)
        cases = split_cases(parse_payload(bundle.payload))
        with store.transaction() as db:
            verifier.check_fresh(manifest)
            for case_bundle in cases:
                result.reports.append(import_stix(store, case_bundle, provenance=provenance,
                                                  evidence_source=bundle.evidence_stream, progress=progress))
            db.conn.execute("INSERT INTO bundles_seen (bundle_id, sender, sequence, signer_fingerprint, imported_at)"
                            " VALUES (?, ?, ?, ?, ?)",
                            (manifest.bundle_id, manifest.sender, manifest.sequence, signer.fingerprint, received_at))
            db.conn.execute("INSERT OR REPLACE INTO bundle_senders (sender, last_seen) VALUES (?, ?)",
                            (manifest.sender, manifest.sequence))
            for report in result.reports:
                store.record_event("bundle-import", report.case_id, {
                    "bundle_id": manifest.bundle_id, "sender": manifest.sender, "signer": signer.fingerprint,
                    "sequence": manifest.sequence, "added": report.total_added, "updated": report.total_updated,
                    "conflicts": report.conflict_count})
    return result
