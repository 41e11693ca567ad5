"""The bundle manifest: what was sent, by whom, to whom, and the size and hash of every file.

It is RFC 8785 canonical JSON, so the bytes signed are the bytes a partner hashes, and a
parser that quietly keeps the last of two duplicate keys cannot be shown a different
manifest than the one that was signed: duplicate keys are refused outright.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import rfc8785

from ..clock import is_id, parse_time
from ..errors import FormatError, IntegrityError, UsageError
from .sshsig import check_principal

FORMAT = "rrm-bundle/1"
NAMESPACE = "rrm-bundle-v1@rrmdesk"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
STIX_PATH = "payload/case.stix.json"
EVIDENCE_PREFIX = "payload/evidence/"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEYS = {"format", "bundle_id", "sender", "recipients", "sequence", "created_at", "cases", "files"}


def evidence_path(sha256: str) -> str:
    return EVIDENCE_PREFIX + sha256


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class CaseEntry:
    id: str
    title: str
    tlp: str


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    sender: str
    recipients: tuple[str, ...]
    sequence: int
    created_at: str
    cases: tuple[CaseEntry, ...]
    files: tuple[FileEntry, ...]
    format: str = FORMAT

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "bundle_id": self.bundle_id,
            "sender": self.sender,
            "recipients": list(self.recipients),
            "sequence": self.sequence,
            "created_at": self.created_at,
            "cases": [{"id": c.id, "title": c.title, "tlp": c.tlp} for c in self.cases],
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }

    def to_bytes(self) -> bytes:
        return rfc8785.dumps(self.to_dict())

    def paths(self) -> set[str]:
        return {f.path for f in self.files}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise IntegrityError(f"the manifest has the key {key!r} twice",
                                 "a manifest with duplicate keys can be read two ways; do not trust it")
        result[key] = value
    return result


def _field(data: dict[str, Any], key: str, kind: type, where: str = "manifest") -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise FormatError(f"the {where} field {key!r} is missing or not a {kind.__name__}")
    return value


def _file(item: Any) -> FileEntry:
    if not isinstance(item, dict) or set(item) != {"path", "size", "sha256"}:
        raise FormatError("a manifest file entry must have exactly path, size and sha256")
    path, size, sha256 = _field(item, "path", str, "file"), _field(item, "size", int, "file"), _field(item, "sha256", str, "file")
    if not _SHA256.match(sha256) or size < 0:
        raise FormatError(f"the manifest entry for {path!r} has a bad size or SHA-256")
    if path != STIX_PATH and path != evidence_path(sha256):
        raise FormatError(f"the manifest lists {path!r}, which is not a bundle payload path",
                          f"payload files are {STIX_PATH} and {EVIDENCE_PREFIX}<sha256>")
    return FileEntry(path, size, sha256)


def _case(item: Any) -> CaseEntry:
    if not isinstance(item, dict) or set(item) != {"id", "title", "tlp"}:
        raise FormatError("a manifest case entry must have exactly id, title and tlp")
    entry = CaseEntry(_field(item, "id", str, "case"), _field(item, "title", str, "case"), _field(item, "tlp", str, "case"))
    if not is_id(entry.id) or not entry.id.startswith("case--"):
        raise FormatError(f"the manifest names {entry.id!r}, which is not a case id")
    return entry


def parse(data: bytes) -> Manifest:
    """Parse signed manifest bytes: strict JSON, no duplicate keys, canonical form, known fields."""
    try:
        raw = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormatError(f"the manifest is not valid JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise FormatError("the manifest is not a JSON object")
    if set(raw) != _KEYS:
        raise FormatError(f"the manifest fields are not those of {FORMAT}",
                          f"unexpected or missing: {', '.join(sorted(set(raw) ^ _KEYS))}")
    if rfc8785.dumps(raw) != data:
        raise FormatError("the manifest is not RFC 8785 canonical JSON")
    recipients = _field(raw, "recipients", list)
    if not recipients or not all(isinstance(r, str) for r in recipients):
        raise FormatError("the manifest recipients must be a non-empty list of principals")
    files = tuple(_file(item) for item in _field(raw, "files", list))
    if len({f.path for f in files}) != len(files):
        raise IntegrityError("the manifest lists the same file twice")
    try:
        created_at = parse_time(_field(raw, "created_at", str), "created_at")
        sender = check_principal(_field(raw, "sender", str))
    except UsageError as exc:
        raise FormatError(f"the manifest has a bad field: {exc.message}") from None
    bundle_id = _field(raw, "bundle_id", str)
    if not is_id(bundle_id) or not bundle_id.startswith("bundle--"):
        raise FormatError(f"the manifest's bundle id {bundle_id!r} is not a bundle--<uuid> id")
    sequence = _field(raw, "sequence", int)
    if sequence < 1:
        raise FormatError("the manifest's sequence number is not a positive integer")
    return Manifest(
        format=_field(raw, "format", str),
        bundle_id=bundle_id,
        sender=sender,
        recipients=tuple(recipients),
        sequence=sequence,
        created_at=created_at,
        cases=tuple(_case(item) for item in _field(raw, "cases", list)),
        files=files,
    )
