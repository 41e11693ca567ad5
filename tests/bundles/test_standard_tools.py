"""The partner procedure in docs/bundles.md, run as written with the real age, ssh-keygen and sha256sum."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from rrmdesk.bundles.sshsig import PublicKey

from . import forge
from .conftest import Ministry
from .helpers import export, make_case

DOC = Path(__file__).resolve().parents[2] / "docs" / "bundles.md"


def procedure() -> str:
    """The shell block of the 'standard tools only' section, exactly as documented."""
    section = DOC.read_text().split("## Verifying a bundle with standard tools only", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


def run_procedure(folder: Path, bundle: Path, signers: Path, principal: str, age_key: Path | None = None):
    folder.mkdir()
    env = {**os.environ, "BUNDLE": str(bundle), "SIGNERS": str(signers), "PRINCIPAL": principal,
           "AGE_KEY": str(age_key or "")}
    return subprocess.run(["bash", "-euo", "pipefail", "-c", procedure()], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def partner(fr: Ministry, tmp_path: Path) -> tuple[Path, Path]:
    """A partner without RRM Desk: an OpenSSH key, an age key, and our line in its allowed_signers."""
    home = tmp_path / "partner"
    home.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "de-partner", "-f", str(home / "id_ed25519")], check=True)
    subprocess.run(["age-keygen", "-o", str(home / "key.txt")], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", str(home / "key.txt")], check=True, capture_output=True, text=True).stdout.strip()
    fr.trust.trust("de-partner", (home / "id_ed25519.pub").read_text(), recipient, confirmed_by="desk officer")
    (home / "allowed_signers").write_text(fr.identity.public.allowed_signers_line + "\n")
    return home / "allowed_signers", home / "key.txt"


def test_partner_verifies_an_encrypted_bundle_with_standard_tools(fr: Ministry, partner, tmp_path: Path) -> None:
    signers, age_key = partner
    bundle = export(fr, [make_case(fr)], ["de-partner"], tmp_path / "for-de.rrmb", encrypt=True).path
    done = run_procedure(tmp_path / "check", bundle, signers, "fr-meae", age_key)
    assert done.returncode == 0, done.stdout + done.stderr
    key = fr.identity.public.public_key
    assert f'Good "rrm-bundle-v1@rrmdesk" signature for fr-meae with ED25519 key {key.fingerprint}' in done.stdout + done.stderr
    assert done.stdout.count(": OK") == 3
    assert "sender fr-meae recipients ['de-partner']" in done.stdout


def test_rrm_desk_partner_uses_its_exported_allowed_signers(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    bundle = export(fr, [make_case(fr)], ["ca-gac"], tmp_path / "for-ca.rrmb").path
    signers = tmp_path / "allowed_signers"
    assert ca.trust.export_allowed_signers(signers) == 1
    done = run_procedure(tmp_path / "check", bundle, signers, "fr-meae")
    assert done.returncode == 0, done.stdout + done.stderr


def _genuine(fr: Ministry, partner, tmp_path: Path) -> Path:
    return export(fr, [make_case(fr)], ["de-partner"], tmp_path / "genuine.rrmb").path


def test_procedure_catches_a_changed_evidence_byte(fr: Ministry, partner, tmp_path: Path) -> None:
    bundle = _genuine(fr, partner, tmp_path)
    parts = forge.members(bundle)
    name = next(n for n, _ in parts if n.startswith("payload/evidence/"))
    changed = bytearray(dict(parts)[name])
    changed[50] ^= 0x01
    bundle.write_bytes(forge.build(forge.replace(parts, name, bytes(changed))))  # with a matching zip CRC
    done = run_procedure(tmp_path / "check", bundle, partner[0], "fr-meae")
    assert done.returncode != 0 and "FAILED" in done.stdout


def test_procedure_catches_an_added_file(fr: Ministry, partner, tmp_path: Path) -> None:
    bundle = _genuine(fr, partner, tmp_path)
    bundle.write_bytes(forge.build(forge.members(bundle) + [("payload/evidence/extra.exe", b"MZ")]))
    done = run_procedure(tmp_path / "check", bundle, partner[0], "fr-meae")
    assert done.returncode != 0 and "payload/evidence/extra.exe" in done.stdout


def test_procedure_catches_a_changed_manifest(fr: Ministry, partner, tmp_path: Path) -> None:
    bundle = _genuine(fr, partner, tmp_path)
    parts = forge.members(bundle)
    manifest = dict(parts)["manifest.json"].replace(b'"sequence":1', b'"sequence":9')
    bundle.write_bytes(forge.build(forge.replace(parts, "manifest.json", manifest)))
    done = run_procedure(tmp_path / "check", bundle, partner[0], "fr-meae")
    assert done.returncode != 0 and "Could not verify signature" in done.stdout + done.stderr


def test_procedure_refuses_another_signer(fr: Ministry, partner, tmp_path: Path) -> None:
    bundle = _genuine(fr, partner, tmp_path)
    other = PublicKey(bytes(32)).openssh()
    (tmp_path / "other_signers").write_text(f'fr-meae namespaces="rrm-bundle-v1@rrmdesk" {other}\n')
    done = run_procedure(tmp_path / "check", bundle, tmp_path / "other_signers", "fr-meae")
    assert done.returncode != 0
