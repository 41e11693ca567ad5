"""SSHSIG against the real ssh-keygen, in both directions."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from rrmdesk.bundles import sshsig
from rrmdesk.errors import FormatError, IntegrityError, UsageError

NAMESPACE = "rrm-bundle-v1@rrmdesk"
MESSAGE = b'{"format":"rrm-bundle/1","sender":"fr-meae"}'


def _allowed_signers(path: Path, principal: str, key: sshsig.PublicKey) -> Path:
    path.write_text(f'{principal} namespaces="{NAMESPACE}" {key.openssh()}\n')
    return path


def _ssh_verify(tmp_path: Path, signature: str, message: bytes, key: sshsig.PublicKey, namespace: str = NAMESPACE):
    signers = _allowed_signers(tmp_path / "allowed_signers", "fr-meae", key)
    sig = tmp_path / "manifest.json.sig"
    sig.write_text(signature)
    return subprocess.run(
        ["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", "fr-meae", "-n", namespace, "-s", str(sig)],
        input=message, capture_output=True, check=False,
    )


def test_ssh_keygen_verifies_our_signature(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    signature = sshsig.sign(private, MESSAGE, NAMESPACE)
    result = _ssh_verify(tmp_path, signature, MESSAGE, sshsig.public_key_of(private))
    assert result.returncode == 0, result.stderr
    assert b'Good "rrm-bundle-v1@rrmdesk" signature for fr-meae' in result.stdout + result.stderr


def test_ssh_keygen_rejects_changed_message_and_other_namespace(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    signature = sshsig.sign(private, MESSAGE, NAMESPACE)
    key = sshsig.public_key_of(private)
    assert _ssh_verify(tmp_path, signature, MESSAGE + b" ", key).returncode != 0
    assert _ssh_verify(tmp_path, signature, MESSAGE, key, namespace="file").returncode != 0


def test_we_verify_ssh_keygen_signature(tmp_path: Path) -> None:
    key_file = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fr-meae", "-f", str(key_file)], check=True)
    message = tmp_path / "manifest.json"
    message.write_bytes(MESSAGE)
    subprocess.run(["ssh-keygen", "-Y", "sign", "-f", str(key_file), "-n", NAMESPACE, str(message)],
                   check=True, capture_output=True)
    armored = (tmp_path / "manifest.json.sig").read_bytes()
    parsed = sshsig.verify(armored, MESSAGE, NAMESPACE)
    expected = sshsig.PublicKey.from_openssh((tmp_path / "id_ed25519.pub").read_text())
    assert parsed.public_key == expected
    with pytest.raises(IntegrityError, match="was changed after signing"):
        sshsig.verify(armored, MESSAGE + b"x", NAMESPACE)
    with pytest.raises(IntegrityError, match="not 'file'"):
        sshsig.verify(armored, MESSAGE, "file")


def test_fingerprint_and_key_line_match_ssh_keygen(tmp_path: Path) -> None:
    private = Ed25519PrivateKey.generate()
    key = sshsig.public_key_of(private)
    pub = tmp_path / "key.pub"
    pub.write_text(key.openssh("fr-meae") + "\n")
    printed = subprocess.run(["ssh-keygen", "-lf", str(pub)], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == key.fingerprint_line("fr-meae")
    openssh = private.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert key.openssh() == openssh.decode()


@pytest.mark.parametrize("armored", [
    b"", b"not a signature", b"-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----\n",
    b"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n", b"\xff" * 10, b"A" * 5000,
])
def test_malformed_signatures_are_format_errors(armored: bytes) -> None:
    with pytest.raises(FormatError):
        sshsig.verify(armored, MESSAGE, NAMESPACE)


@pytest.mark.parametrize("line", ["", "ssh-rsa AAAAB3Nza", "ssh-ed25519 !!!", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"])
def test_bad_public_key_lines_are_usage_errors(line: str) -> None:
    with pytest.raises(UsageError):
        sshsig.PublicKey.from_openssh(line)


@pytest.mark.parametrize("principal", ["", "two words", "a,b", "*", "x" * 200, '"q"'])
def test_bad_principals(principal: str) -> None:
    with pytest.raises(UsageError):
        sshsig.check_principal(principal)
