"""Every attack and bad input of issue 6, each refused with a clear reason and nothing imported."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rrmdesk.bundles.importer import import_bundle
from rrmdesk.bundles.manifest import MANIFEST, SIGNATURE, STIX_PATH, evidence_path
from rrmdesk.bundles.zipcheck import ZipLimits
from rrmdesk.errors import FormatError, IntegrityError, RRMDeskError

from . import forge
from .conftest import Ministry
from .helpers import export, make_case


@pytest.fixture
def bundle(fr: Ministry, ca: Ministry, tmp_path: Path) -> Path:
    return export(fr, [make_case(fr)], ["ca-gac"], tmp_path / "genuine.rrmb").path


def refused(ministry: Ministry, path: Path, *words: str, error: type[RRMDeskError] = IntegrityError,
            limits: ZipLimits = ZipLimits()) -> str:
    """Import must fail with ``error`` naming ``words``, and leave the workspace unchanged."""
    before = ministry.store.verify_audit().entries
    with pytest.raises(error) as caught:
        import_bundle(ministry.workspace, ministry.store, path, limits=limits)
    text = caught.value.text()
    for word in words:
        assert word.lower() in text.lower(), (word, text)
    assert ministry.store.count_cases() == 0
    assert ministry.store.verify_audit().entries == before
    return text


def _evidence_name(parts: list[tuple[str, bytes]]) -> str:
    return next(n for n, _ in parts if n.startswith("payload/evidence/"))


# -- content changed after signing ----------------------------------------------------------


def test_payload_byte_changed(ca: Ministry, bundle: Path) -> None:
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("payload/evidence/"))
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0x01
    refused(ca, forge.write(bundle, bytes(data)), "does not match its SHA-256")


def test_manifest_rehashed_to_match(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    name = _evidence_name(parts)
    altered = b"forged" + dict(parts)[name][6:]
    manifest = forge.manifest_of(parts)
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["sha256"] = hashlib.sha256(altered).hexdigest()
            entry["path"] = evidence_path(entry["sha256"])
    import rfc8785

    parts = [(n, d) for n, d in forge.replace(parts, MANIFEST, rfc8785.dumps(manifest)) if n != name]
    parts.append((evidence_path(hashlib.sha256(altered).hexdigest()), altered))
    refused(ca, forge.write(bundle, forge.build(parts)), "signature does not match")


def test_file_added(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle) + [("payload/evidence/" + "a" * 64, b"extra")]
    refused(ca, forge.write(bundle, forge.build(parts)), "not in the manifest")


def test_file_removed(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    name = _evidence_name(parts)
    refused(ca, forge.write(bundle, forge.build([(n, d) for n, d in parts if n != name])), "missing", name)


def test_file_renamed(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    name = _evidence_name(parts)
    renamed = [("payload/evidence/" + "b" * 64 if n == name else n, d) for n, d in parts]
    refused(ca, forge.write(bundle, forge.build(renamed)), "not in the manifest", "missing")


def test_manifest_or_signature_missing(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    refused(ca, forge.write(bundle, forge.build([(n, d) for n, d in parts if n != SIGNATURE])), "no manifest.json.sig")


# -- who signed -------------------------------------------------------------------------------


def test_signed_by_untrusted_key(ca: Ministry, bundle: Path) -> None:
    parts = forge.resign(forge.members(bundle), Ed25519PrivateKey.generate(), lambda m: None)
    refused(ca, forge.write(bundle, forge.build(parts)), "unknown key")


def test_signed_by_expired_key(fr: Ministry, make_ministry, tmp_path: Path) -> None:
    de = make_ministry("de-aa")
    de.trusts(fr, valid_from="2020-01-01", valid_until="2021-01-01")
    fr.trusts(de)
    path = export(fr, [make_case(fr)], ["de-aa"], tmp_path / "old.rrmb").path
    refused(de, path, "expired on 2021-01-01")


def test_signed_by_revoked_key(fr: Ministry, ca: Ministry, bundle: Path) -> None:
    ca.trust.revoke("fr-meae")
    refused(ca, bundle, "revoked")


def test_sender_is_not_the_signer(fr: Ministry, ca: Ministry, bundle: Path) -> None:
    parts = forge.resign(forge.members(bundle), fr.identity.signing_key, lambda m: m.update(sender="de-aa"))
    refused(ca, forge.write(bundle, forge.build(parts)), "says it is from de-aa", "fr-meae signed it")


def test_we_are_not_a_recipient(fr: Ministry, ca: Ministry, bundle: Path) -> None:
    parts = forge.resign(forge.members(bundle), fr.identity.signing_key, lambda m: m.update(recipients=["de-aa"]))
    refused(ca, forge.write(bundle, forge.build(parts)), "addressed to de-aa, not to us")


def test_created_in_the_future(fr: Ministry, ca: Ministry, bundle: Path) -> None:
    parts = forge.resign(forge.members(bundle), fr.identity.signing_key,
                         lambda m: m.update(created_at="2999-01-01T00:00:00.000Z"))
    refused(ca, forge.write(bundle, forge.build(parts)), "in the future")


def test_duplicate_manifest_keys(fr: Ministry, ca: Ministry, bundle: Path) -> None:
    from rrmdesk.bundles import sshsig
    from rrmdesk.bundles.manifest import NAMESPACE

    parts = forge.members(bundle)
    raw = dict(parts)[MANIFEST]
    doubled = raw[:-1] + b',"sender":"de-aa"}'
    signature = sshsig.sign(fr.identity.signing_key, doubled, NAMESPACE).encode()
    parts = forge.replace(forge.replace(parts, MANIFEST, doubled), SIGNATURE, signature)
    refused(ca, forge.write(bundle, forge.build(parts)), "key 'sender' twice")


# -- replay ---------------------------------------------------------------------------------


def test_replayed_bundle(ca: Ministry, bundle: Path) -> None:
    import_bundle(ca.workspace, ca.store, bundle)
    before = ca.store.verify_audit().entries
    with pytest.raises(IntegrityError, match="already imported"):
        import_bundle(ca.workspace, ca.store, bundle)
    assert ca.store.verify_audit().entries == before


def test_lower_sequence(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr)
    first = export(fr, [case_id], ["ca-gac"], tmp_path / "1.rrmb").path
    second = export(fr, [case_id], ["ca-gac"], tmp_path / "2.rrmb").path
    import_bundle(ca.workspace, ca.store, second)
    before = ca.store.verify_audit().entries
    with pytest.raises(IntegrityError, match="sequence 1 from fr-meae is not above 2"):
        import_bundle(ca.workspace, ca.store, first)
    assert ca.store.verify_audit().entries == before


# -- the zip itself -------------------------------------------------------------------------


@pytest.mark.parametrize("name, reason", [
    ("../../etc/cron.d/evil", "zip slip"),
    ("payload/../../evil", "zip slip"),
    ("/etc/passwd", "absolute path"),
    ("C:/Windows/evil.dll", "drive letter"),
    ("C:evil", "drive letter"),
    ("payload\\..\\evil", "backslash"),
    ("payload//evil", "empty parts"),
    ("payload/evil\x1b[2J.txt", "control characters"),
])
def test_unsafe_names(ca: Ministry, bundle: Path, name: str, reason: str) -> None:
    parts = forge.members(bundle) + [(name, b"x")]
    refused(ca, forge.write(bundle, forge.build(parts)), "unsafe bundle", reason)


def test_duplicate_names(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    refused(ca, forge.write(bundle, forge.build(parts + [parts[-1]])), "appears twice")


def test_case_colliding_names(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    name = _evidence_name(parts)
    refused(ca, forge.write(bundle, forge.build(parts + [(name.upper(), b"x")])), "differ only in letter case")


def test_symlink_entry(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle) + [("payload/link", b"/etc/passwd")]

    def symlink(info: zipfile.ZipInfo) -> None:
        if info.filename == "payload/link":
            info.create_system = 3
            info.external_attr = 0o120777 << 16

    refused(ca, forge.write(bundle, forge.build(parts, symlink)), "symbolic link")


def test_encrypted_entry(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    data = forge.set_flag(forge.build(parts), _evidence_name(parts), 0x1)
    refused(ca, forge.write(bundle, data), "encrypted inside the zip")


def test_overlapping_entries(ca: Ministry, bundle: Path) -> None:
    data = forge.build(forge.members(bundle))
    refused(ca, forge.write(bundle, forge.patch_central_offset(data, 3, 0)), "overlaps")


def test_hidden_bytes_before_first_member(ca: Ministry, bundle: Path) -> None:
    refused(ca, forge.write(bundle, b"MZ" + b"\0" * 100 + bundle.read_bytes()), "hidden bytes")


def test_zip_bomb(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle)
    zeros = bytes(20 * 1024 * 1024)
    parts.append((evidence_path(hashlib.sha256(zeros).hexdigest()), zeros))
    bomb = forge.build(parts, method=zipfile.ZIP_DEFLATED)
    assert len(bomb) < 1024 * 1024
    refused(ca, forge.write(bundle, bomb), "zip bomb")


def test_manifest_over_one_mib(ca: Ministry, bundle: Path) -> None:
    parts = forge.replace(forge.members(bundle), MANIFEST, b" " * (1024 * 1024 + 1))
    refused(ca, forge.write(bundle, forge.build(parts)), "manifest.json", "over the 1,048,576-byte limit")


def test_too_many_members(ca: Ministry, bundle: Path) -> None:
    parts = forge.members(bundle) + [(f"payload/n{i}", b"") for i in range(10_000)]
    refused(ca, forge.write(bundle, forge.build(parts)), "10,005 members")


def test_oversized_member(ca: Ministry, bundle: Path) -> None:
    refused(ca, bundle, "over the 1,000-byte limit", limits=ZipLimits(max_member=1000))


def test_truncated_file(ca: Ministry, bundle: Path) -> None:
    data = bundle.read_bytes()
    refused(ca, forge.write(bundle, data[: len(data) // 2]), "not a readable zip", error=FormatError)


@pytest.mark.parametrize("content", [b"", b"hello, this is not a zip", b"PK\x03\x04" + bytes(100)])
def test_not_a_zip(ca: Ministry, bundle: Path, content: bytes) -> None:
    refused(ca, forge.write(bundle, content), "not a bundle", error=FormatError)


def test_age_file_for_another_recipient(fr: Ministry, ca: Ministry, make_ministry, tmp_path: Path) -> None:
    de = make_ministry("de-aa")
    fr.trusts(de)
    path = export(fr, [make_case(fr)], ["de-aa"], tmp_path / "for-de.rrmb", encrypt=True).path
    refused(ca, path, "encrypted for another recipient")


def test_damaged_age_file(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    path = export(fr, [make_case(fr)], ["ca-gac"], tmp_path / "x.rrmb", encrypt=True).path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    refused(ca, forge.write(path, bytes(data)), "damaged")


def test_stix_payload_not_json(fr: Ministry, ca: Ministry, bundle: Path) -> None:
    parts = forge.replace(forge.members(bundle), STIX_PATH, b"{not json")
    payload = dict(parts)[STIX_PATH]

    def rehash(manifest: dict) -> None:
        for entry in manifest["files"]:
            if entry["path"] == STIX_PATH:
                entry.update(size=len(payload), sha256=hashlib.sha256(payload).hexdigest())

    parts = forge.resign(parts, fr.identity.signing_key, rehash)
    refused(ca, forge.write(bundle, forge.build(parts)), "not valid JSON", error=FormatError)

