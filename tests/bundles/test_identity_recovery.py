"""The ministry identity survives a lost keyring, a forgotten passphrase and a rekey.

Real Secret Service, real ``rrmdesk`` commands, and the real ``ssh-keygen`` checking that a bundle
signed after recovery verifies against the allowed_signers line partners pinned before.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from rrmdesk import Workspace
from rrmdesk.bundles.identity import (
    BACKUP, SETTING, MinistryIdentity, create_identity, forget_identity_secret, load_identity,
)
from rrmdesk.bundles.manifest import NAMESPACE
from rrmdesk.errors import IdentityMissingError, SealedSettingError, UnlockError
from rrmdesk.sealed_settings import PREFIX

from .test_cli import Desk, desks  # noqa: F401  (desks is a fixture)

PASSPHRASE = "test passphrase, not secret"
NEW_PASSPHRASE = "a new passphrase after recovery"
RECOVERY_KEY = re.compile(r"^\s+([A-Z2-7]{4}(?:-[A-Z2-7]{4}){9})\s*$", re.M)


def recovery_key(printed: str) -> str:
    return RECOVERY_KEY.search(printed).group(1)


def introduce(fr: Desk, ca: Desk) -> str:
    """France and Canada with keys, trusting each other; France's recovery key."""
    key = recovery_key(fr("init").out)
    ca("init")
    for desk, name in ((fr, "fr-meae"), (ca, "ca-gac")):
        desk("keys", "init", "--id", name)
    for desk, other in ((fr, ca), (ca, fr)):
        shown = other("keys", "show", "--json").json()
        desk("keys", "trust", shown["principal"], "--key", shown["key"], "--age", shown["age_recipient"],
             "--confirmed-by", "duty officer (phone)")
    return key


def identity_of(path: Path, passphrase: str | None = None) -> MinistryIdentity:
    workspace = Workspace.load(path)
    with workspace.unlock(passphrase) as store:
        return load_identity(workspace, store, passphrase)


def with_keys(desk: Desk) -> tuple[str, dict]:
    """A fresh keyring workspace with France's keys: its recovery key and ``keys show --json``."""
    key = recovery_key(desk("init").out)
    desk("keys", "init", "--id", "fr-meae")
    return key, desk("keys", "show", "--json").json()


def lose_keyring(path: Path) -> None:
    """What a new machine or a wiped profile leaves: no database key, no identity in the keyring."""
    workspace = Workspace.load(path)
    workspace.credentials.delete(workspace.keyring_account)
    forget_identity_secret(workspace)


def ssh_verify(bundle: Path, allowed_signers: str, principal: str, folder: Path) -> str:
    """``ssh-keygen -Y verify`` over the bundle's manifest, as a partner without RRM Desk runs it."""
    folder.mkdir()
    with zipfile.ZipFile(bundle) as archive:
        archive.extract("manifest.json", folder)
        archive.extract("manifest.json.sig", folder)
    (folder / "allowed_signers").write_text(allowed_signers + "\n")
    with open(folder / "manifest.json", "rb") as manifest:
        done = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(folder / "allowed_signers"), "-I", principal,
                               "-n", NAMESPACE, "-s", str(folder / "manifest.json.sig")],
                              stdin=manifest, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def private_texts(identity: MinistryIdentity) -> list[bytes]:
    """Every form the private keys could take on disk: the raw seed, its base64 and hex, the age
    secret key, and any OpenSSH private key file (its armour, and its base64 magic "openssh-key-v1")."""
    seed = identity.signing_key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                              serialization.NoEncryption())
    return [seed, base64.b64encode(seed), seed.hex().encode(), str(identity.age_identity).encode(),
            b"AGE-SECRET-KEY-", b"OPENSSH PRIVATE KEY", base64.b64encode(b"openssh-key-v1")[:18]]


def assert_no_plaintext_keys(folder: Path, identity: MinistryIdentity) -> None:
    files = [f for f in folder.rglob("*") if f.is_file()]
    assert files
    for file in files:
        data = file.read_bytes()
        for text in private_texts(identity):
            assert text not in data, (file, text[:20])


@pytest.fixture
def it_desk(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> Desk:
    monkeypatch.setenv("RRMDESK_PASSPHRASE", PASSPHRASE)
    return Desk(tmp_path / "it", capsys)


@pytest.fixture
def keyring_workspace_with_identity(tmp_path: Path) -> Iterator[Workspace]:
    workspace, _ = Workspace.create(tmp_path / "ws", "keyring")
    with workspace.unlock() as store:
        create_identity(workspace, store, "fr-meae")
    yield workspace
    forget_identity_secret(workspace)
    for suffix in ("", "-pending"):
        workspace.credentials.delete(workspace.keyring_account + suffix)


# -- the whole journey, on the command line --------------------------------------------------


def test_keyring_lost_then_recover_keeps_the_identity(
        desks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fr, ca = desks
    key = introduce(fr, ca)
    pinned = fr("keys", "show", "--json").json()
    before = identity_of(fr.path)
    case_id = ca("case", "new", "--title", "Doppelganger clones", "--tlp", "amber").out.strip()
    to_fr = ca("bundle", "export", case_id, "--to", "fr-meae", "-o", tmp_path / "to-fr.rrmb", "--encrypt",
               "--json").json()

    lose_keyring(fr.path)
    fr.refuses("unlock-test", words=("keyring has no key",))
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", key)
    recovered = fr("recover")
    assert f"identity is back: {pinned['fingerprint_line']}" in recovered.err
    assert identity_of(fr.path).public == before.public

    # Partners who pinned the old key verify what we sign now, with the real ssh-keygen.
    own_case = fr("case", "new", "--title", "After recovery", "--tlp", "green").out.strip()
    sent = fr("bundle", "export", own_case, "--to", "ca-gac", "-o", tmp_path / "to-ca.rrmb", "--json").json()
    said = ssh_verify(Path(sent["path"]), pinned["allowed_signers"], "fr-meae", tmp_path / "partner")
    assert f"Good \"{NAMESPACE}\" signature for fr-meae with ED25519 key {pinned['fingerprint']}" in said
    assert ca("bundle", "import", sent["path"], "--json").json()["imports"][0]["case_id"] == own_case
    # What partners encrypted to our age recipient before the loss still opens.
    assert fr("bundle", "verify", to_fr["path"], "--json").json()["encrypted"] is True
    assert "identity-restore" in [e["action"] for e in fr("audit", "log", "--json").json()]
    fr("audit", "verify")
    assert_no_plaintext_keys(fr.path, before)


def test_passphrase_workspace_recovered_to_a_new_passphrase(it_desk: Desk, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    key = recovery_key(it_desk("init", "--passphrase").out)
    it_desk("keys", "init", "--id", "it-maeci")
    pinned = it_desk("keys", "show", "--json").json()
    before = identity_of(it_desk.path, PASSPHRASE)

    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", key)
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    assert pinned["fingerprint_line"] in it_desk("recover").err
    monkeypatch.setenv("RRMDESK_PASSPHRASE", NEW_PASSPHRASE)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "partner")], check=True)
    age = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True).stdout.split()[-1]
    recipient = subprocess.run(["age-keygen", "-y"], input=age, capture_output=True, text=True,
                               check=True).stdout.strip()
    it_desk("keys", "trust", "de-aa", "--key", (tmp_path / "partner.pub").read_text(), "--age", recipient,
            "--confirmed-by", "me")
    case_id = it_desk("case", "new", "--title", "x").out.strip()
    sent = it_desk("bundle", "export", case_id, "--to", "de-aa", "-o", tmp_path / "x.rrmb", "--json").json()
    ssh_verify(Path(sent["path"]), pinned["allowed_signers"], "it-maeci", tmp_path / "check")

    # The keys are sealed to the new passphrase now; the old one opens nothing.
    assert identity_of(it_desk.path, NEW_PASSPHRASE).public == before.public
    workspace = Workspace.load(it_desk.path)
    with workspace.unlock(NEW_PASSPHRASE) as store:
        with pytest.raises(UnlockError, match="wrong passphrase"):
            load_identity(workspace, store, PASSPHRASE)
    assert_no_plaintext_keys(it_desk.path, before)


def test_rekey_then_recover_with_the_new_recovery_key(
        desks, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fr, _ca = desks
    old_key, pinned = with_keys(fr)
    new_key = recovery_key(fr("rekey").out)
    assert new_key != old_key
    lose_keyring(fr.path)
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", old_key)
    fr.refuses("recover", words=("does not unlock this workspace",))
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", new_key)
    assert pinned["fingerprint_line"] in fr("recover").err
    workspace = Workspace.load(fr.path)
    with workspace.unlock() as store:
        assert len(json.loads(_backup_row(store))["copies"]) == 1  # the copy under the old database key is gone
        assert load_identity(workspace, store).public.fingerprint == pinned["fingerprint"]


def test_switching_unlock_method_on_recovery_moves_the_identity(
        desks, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fr, _ca = desks
    key, shown = with_keys(fr)
    fingerprint = shown["fingerprint"]
    lose_keyring(fr.path)
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", key)
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    fr("recover", "--passphrase")
    assert identity_of(fr.path, NEW_PASSPHRASE).public.fingerprint == fingerprint
    fr("recover", "--keyring")
    assert identity_of(fr.path).public.fingerprint == fingerprint
    workspace = Workspace.load(fr.path)
    with workspace.unlock() as store:
        setting = json.loads(store.db.conn.execute("SELECT value FROM settings WHERE name = ?",
                                                   (SETTING,)).fetchone()[0])
    assert setting["storage"] == "keyring" and "sealed" not in setting


# -- the backup itself ----------------------------------------------------------------------------


def _backup_row(store) -> str:
    return store.db.conn.execute("SELECT value FROM settings WHERE name = ?", (PREFIX + BACKUP,)).fetchone()[0]


def drop_backup(store) -> None:
    """Make the workspace look like one from before the backup existed."""
    with store.transaction() as db:
        db.conn.execute("DELETE FROM settings WHERE name = ?", (PREFIX + BACKUP,))


def test_a_tampered_backup_is_named_in_one_line(desks, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fr, _ca = desks
    key, _ = with_keys(fr)
    workspace = Workspace.load(fr.path)
    with workspace.unlock() as store, store.transaction() as db:
        row = json.loads(_backup_row(store))
        (key_id, sealed), = row["copies"].items()
        flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
        db.conn.execute("UPDATE settings SET value = ? WHERE name = ?",
                        (json.dumps({"copies": {key_id: flipped}}), PREFIX + BACKUP))
    lose_keyring(fr.path)
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", key)
    done = fr("recover", ok=False)  # the cases are back; the identity cannot be, and one line says both
    line, = done.err.strip().splitlines()
    assert done.code == 1 and "the workspace is recovered, but the backup of the ministry signing key" in line
    assert "changed outside RRM Desk" in line
    assert "keys init --replace" in line
    fr("unlock-test")
    fr.refuses("bundle", "verify", fr.path / "workspace.json", words=("changed outside RRM Desk",))
    with workspace.unlock() as store, pytest.raises(SealedSettingError):
        load_identity(workspace, store)


def test_identity_missing_everywhere_says_so(keyring_workspace_with_identity: Workspace) -> None:
    workspace = keyring_workspace_with_identity
    forget_identity_secret(workspace)
    with workspace.unlock() as store:
        drop_backup(store)
        with pytest.raises(IdentityMissingError, match="not in the keyring, and no backup") as raised:
            load_identity(workspace, store)
    assert "keys init --replace" in raised.value.hint


def test_a_workspace_from_before_backups_gets_one_when_its_keys_are_unlocked(
        keyring_workspace_with_identity: Workspace) -> None:
    workspace = keyring_workspace_with_identity
    with workspace.unlock() as store:
        drop_backup(store)
        fingerprint = load_identity(workspace, store).public.fingerprint
        assert _backup_row(store)
        forget_identity_secret(workspace)
        assert load_identity(workspace, store).public.fingerprint == fingerprint
        assert workspace.credentials.get(f"{workspace.keyring_account}-ministry-identity") is not None


def test_a_backup_does_not_open_in_another_workspace(tmp_path: Path,
                                                     keyring_workspace_with_identity: Workspace) -> None:
    """Copying the sealed row into another workspace (even with its database key) gets nothing."""
    source = keyring_workspace_with_identity
    with source.unlock() as store:
        row = _backup_row(store)
    other, _ = Workspace.create(tmp_path / "other", "passphrase", PASSPHRASE)
    with other.unlock(PASSPHRASE) as store:
        create_identity(other, store, "it-maeci", PASSPHRASE)
        with store.transaction() as db:
            db.conn.execute("UPDATE settings SET value = ? WHERE name = ?", (row, PREFIX + BACKUP))
            db.conn.execute("UPDATE settings SET value = json_remove(value, '$.sealed') WHERE name = 'bundle_identity'")
        with pytest.raises(SealedSettingError, match="does not open"):
            load_identity(other, store, PASSPHRASE)


@pytest.mark.parametrize("made", ["with a backup", "before backups existed"])
def test_passphrase_change_keeps_the_identity(it_desk: Desk, made: str, monkeypatch: pytest.MonkeyPatch) -> None:
    it_desk("init", "--passphrase")
    it_desk("keys", "init", "--id", "it-maeci")
    fingerprint = it_desk("keys", "show", "--json").json()["fingerprint"]
    if made == "before backups existed":
        workspace = Workspace.load(it_desk.path)
        with workspace.unlock(PASSPHRASE) as store:
            drop_backup(store)
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    it_desk("passphrase", "change")
    monkeypatch.setenv("RRMDESK_PASSPHRASE", NEW_PASSPHRASE)
    assert identity_of(it_desk.path, NEW_PASSPHRASE).public.fingerprint == fingerprint
    workspace = Workspace.load(it_desk.path)
    with workspace.unlock(NEW_PASSPHRASE) as store, pytest.raises(UnlockError, match="wrong passphrase"):
        load_identity(workspace, store, "not the passphrase at all")


# -- a rekey that stops midway ----------------------------------------------------------------------


class Crash(Exception):
    pass


def _crash(*_args: object) -> None:
    raise Crash


@pytest.mark.parametrize("stop", ["before the database changes", "after the database changed"])
def test_a_rekey_that_stops_midway_keeps_the_backup_openable(keyring_workspace_with_identity: Workspace, stop: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = keyring_workspace_with_identity
    with workspace.unlock() as store:
        fingerprint = load_identity(workspace, store).public.fingerprint
        if stop == "before the database changes":
            monkeypatch.setattr(store, "rekey", _crash)
        else:
            monkeypatch.setattr(workspace, "_promote_pending", _crash)
        with pytest.raises(Crash):
            workspace.rotate_key(store, lambda _key: None)
    again = Workspace.load(workspace.path)  # a new process: the unlock finishes or drops the rotation
    with again.unlock() as store:
        assert len(json.loads(_backup_row(store))["copies"]) == 1
        forget_identity_secret(again)
        assert load_identity(again, store).public.fingerprint == fingerprint


def test_a_workspace_from_before_backups_switched_to_a_passphrase_finds_its_keys_in_the_keyring(
        desks, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    fr, _ca = desks
    key, shown = with_keys(fr)
    fingerprint = shown["fingerprint"]
    workspace = Workspace.load(fr.path)
    with workspace.unlock() as store:
        drop_backup(store)
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", key)
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    assert fingerprint in fr("recover", "--passphrase").err  # read from the keyring, and backed up
    workspace = Workspace.load(fr.path)
    workspace.credentials.delete(f"{workspace.keyring_account}-ministry-identity")
    with workspace.unlock(NEW_PASSPHRASE) as store:
        assert load_identity(workspace, store, NEW_PASSPHRASE).public.fingerprint == fingerprint
