"""Getting the database key back: recovery key, key rotation (rekey) and interrupted rotations."""

from __future__ import annotations

import re

import pytest

from rrmdesk import KeyringError, UnlockError, UsageError, Workspace, default_path
from rrmdesk.database import open_encrypted
from rrmdesk.keywrap import new_recovery_key
from tests.conftest import TEST_PASSPHRASE

NEW_PASSPHRASE = "the passphrase after recovery"
_RECOVERY = re.compile(r"\b(?:[A-Z2-7]{4}-){9}[A-Z2-7]{4}\b")


def _typo(recovery_key: str) -> str:
    """The same key with one character changed, as a person might mistype it."""
    index = 5
    replacement = "A" if recovery_key[index] != "A" else "B"
    return recovery_key[:index] + replacement + recovery_key[index + 1 :]


def _drop_keyring_entry(workspace: Workspace) -> None:
    workspace.credentials.delete(workspace.keyring_account)
    assert workspace.credentials.get(workspace.keyring_account) is None


def test_lost_keyring_entry_is_a_clear_keyring_error(keyring_workspace) -> None:
    workspace, _ = keyring_workspace
    _drop_keyring_entry(workspace)
    with pytest.raises(KeyringError, match="no key for this workspace") as raised:
        Workspace.load(workspace.path).unlock()
    assert "rrmdesk recover" in raised.value.hint


def test_recover_puts_the_key_back_in_the_keyring(keyring_workspace, cli, monkeypatch) -> None:
    workspace, recovery_key = keyring_workspace
    with workspace.unlock() as store:
        case_id = store.create_case("Survives a lost keyring").id
    _drop_keyring_entry(workspace)
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", recovery_key)
    outcome = cli("recover", "--keyring")
    assert outcome.code == 0, outcome.err
    with Workspace.load(workspace.path).unlock() as store:
        assert store.get_case(case_id).title == "Survives a lost keyring"


def test_recover_to_passphrase_mode(keyring_workspace, cli, monkeypatch) -> None:
    workspace, recovery_key = keyring_workspace
    _drop_keyring_entry(workspace)
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", recovery_key)
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    outcome = cli("recover", "--passphrase")
    assert outcome.code == 0, outcome.err
    reloaded = Workspace.load(workspace.path)
    assert reloaded.method == "passphrase"
    reloaded.unlock(NEW_PASSPHRASE).close()
    with pytest.raises(UnlockError):
        reloaded.unlock("not the new passphrase")


def test_recover_a_forgotten_passphrase(passphrase_workspace, cli, monkeypatch) -> None:
    workspace, recovery_key = passphrase_workspace
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", recovery_key)
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", NEW_PASSPHRASE)
    assert cli("recover").code == 0
    reloaded = Workspace.load(workspace.path)
    reloaded.unlock(NEW_PASSPHRASE).close()
    with pytest.raises(UnlockError):
        reloaded.unlock(TEST_PASSPHRASE)


def test_recovery_key_with_a_typo_is_a_clear_error(keyring_workspace, cli, monkeypatch) -> None:
    workspace, recovery_key = keyring_workspace
    _drop_keyring_entry(workspace)
    with pytest.raises(UnlockError, match="not a valid recovery key"):
        workspace.recover(_typo(recovery_key))
    monkeypatch.setenv("RRMDESK_RECOVERY_KEY", _typo(recovery_key))
    cli("recover").assert_user_error("not a valid recovery key")


def test_recovery_key_tolerates_case_spaces_and_lookalike_digits(keyring_workspace) -> None:
    workspace, recovery_key = keyring_workspace
    _drop_keyring_entry(workspace)
    sloppy = recovery_key.lower().replace("-", " ").replace("o", "0").replace("i", "1")
    workspace.recover(sloppy)
    Workspace.load(workspace.path).unlock().close()


def test_recovery_key_of_another_workspace_is_refused(keyring_workspace) -> None:
    workspace, _ = keyring_workspace
    with pytest.raises(UnlockError, match="does not unlock this workspace"):
        workspace.recover(new_recovery_key())


def test_init_prints_a_recovery_key_once(cli) -> None:
    outcome = cli("init", "--analyst", "A. Analyst")
    try:
        assert outcome.code == 0, outcome.err
        assert len(_RECOVERY.findall(outcome.out)) == 1
        assert not _RECOVERY.findall(outcome.err)
        assert "not stored anywhere" in outcome.out
    finally:
        workspace = Workspace.load(default_path())
        workspace.credentials.delete(workspace.keyring_account)


# -- key rotation ----------------------------------------------------------------------------


def test_rekey_retires_the_old_key_and_recovery_key(keyring_workspace, cli) -> None:
    workspace, old_recovery = keyring_workspace
    old_key = workspace._keyring_key()
    with workspace.unlock() as store:
        case_id = store.create_case("Rotated under a new key", summary="still here").id
    outcome = cli("rekey")
    assert outcome.code == 0, outcome.err
    new_recovery = _RECOVERY.findall(outcome.out)
    assert len(new_recovery) == 1 and new_recovery[0] != old_recovery

    reloaded = Workspace.load(workspace.path)
    new_key = reloaded._keyring_key()
    assert new_key != old_key
    assert reloaded._keyring_key("pending") is None
    with pytest.raises(UnlockError, match="cannot unlock"):
        open_encrypted(workspace.database_path, old_key)
    with reloaded.unlock() as store:
        case = store.get_case(case_id)
        assert (case.title, case.summary) == ("Rotated under a new key", "still here")
        assert store.verify_audit().ok
        assert store.audit_entries()[-1].action == "rekey"

    _drop_keyring_entry(reloaded)
    with pytest.raises(UnlockError):
        reloaded.recover(old_recovery)
    reloaded.recover(new_recovery[0])
    with Workspace.load(workspace.path).unlock() as store:
        assert store.get_case(case_id).summary == "still here"


def test_rekey_in_passphrase_mode_keeps_the_passphrase(passphrase_workspace, cli, monkeypatch) -> None:
    workspace, old_recovery = passphrase_workspace
    old_key = workspace._passphrase_key(TEST_PASSPHRASE)
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    outcome = cli("rekey")
    assert outcome.code == 0, outcome.err
    reloaded = Workspace.load(workspace.path)
    assert "passphrase_pending" not in reloaded.config and "recovery_pending" not in reloaded.config
    assert reloaded._passphrase_key(TEST_PASSPHRASE) != old_key
    with pytest.raises(UnlockError):
        open_encrypted(workspace.database_path, old_key)
    reloaded.unlock(TEST_PASSPHRASE).close()
    with pytest.raises(UnlockError):
        reloaded.recover(old_recovery, passphrase=NEW_PASSPHRASE)
    reloaded.recover(_RECOVERY.findall(outcome.out)[0], passphrase=NEW_PASSPHRASE)
    Workspace.load(workspace.path).unlock(NEW_PASSPHRASE).close()


class _Crash(BaseException):
    """Stands for the process dying at a chosen point (power cut, kill -9)."""


def _crash(*_args: object) -> None:
    raise _Crash()


@pytest.mark.parametrize("mode", ["keyring", "passphrase"])
def test_rekey_interrupted_before_the_database_changed_still_unlocks(mode, request) -> None:
    workspace, recovery_key = request.getfixturevalue(f"{mode}_workspace")
    passphrase = TEST_PASSPHRASE if mode == "passphrase" else None
    store = workspace.unlock(passphrase)
    case_id = store.create_case("Before the crash").id
    # The pending key and the config are written; the crash comes before PRAGMA rekey.
    with pytest.raises(_Crash):
        workspace.rotate_key(store, _crash, passphrase)
    store.db.close()
    assert "recovery_pending" in Workspace.load(workspace.path).config

    reloaded = Workspace.load(workspace.path)
    with reloaded.unlock(passphrase) as reopened:
        assert reopened.get_case(case_id).title == "Before the crash"
    after = Workspace.load(workspace.path)
    assert "recovery_pending" not in after.config and "passphrase_pending" not in after.config
    if mode == "keyring":
        assert after._keyring_key("pending") is None
    # the old recovery key still works, since the database key did not change
    after.recover(recovery_key, passphrase=passphrase)
    Workspace.load(workspace.path).unlock(passphrase).close()


@pytest.mark.parametrize("mode", ["keyring", "passphrase"])
def test_rekey_interrupted_after_the_database_changed_still_unlocks(mode, request, monkeypatch) -> None:
    workspace, old_recovery = request.getfixturevalue(f"{mode}_workspace")
    passphrase = TEST_PASSPHRASE if mode == "passphrase" else None
    store = workspace.unlock(passphrase)
    case_id = store.create_case("Across the crash").id
    shown: list[str] = []
    # PRAGMA rekey has run; the crash comes before the new key is promoted to current.
    monkeypatch.setattr(workspace, "_promote_pending", _crash)
    with pytest.raises(_Crash):
        workspace.rotate_key(store, shown.append, passphrase)
    store.db.close()
    monkeypatch.undo()

    reloaded = Workspace.load(workspace.path)
    with reloaded.unlock(passphrase) as reopened:
        assert reopened.get_case(case_id).title == "Across the crash"
    after = Workspace.load(workspace.path)
    assert "recovery_pending" not in after.config and "passphrase_pending" not in after.config
    if mode == "keyring":
        assert after._keyring_key("pending") is None
    after.unlock(passphrase).close()
    with pytest.raises(UnlockError):
        after.recover(old_recovery, passphrase=passphrase)
    after.recover(shown[0], passphrase=passphrase)
    Workspace.load(workspace.path).unlock(passphrase).close()


def test_rekey_interrupted_while_promoting_keeps_the_new_recovery_key(keyring_workspace, monkeypatch) -> None:
    """The keyring already holds the new key as current, but the config still says 'pending'.

    The key that opens the database is the new one, so the new recovery key must be kept; taking
    'the current key works' to mean 'nothing was rekeyed' would keep a recovery key that no longer
    opens anything.
    """
    from rrmdesk import workspace as workspace_module

    workspace, old_recovery = keyring_workspace
    store = workspace.unlock()
    case_id = store.create_case("Across the promotion").id
    shown: list[str] = []
    writes = {"n": 0}
    real_write = workspace_module._write_config

    def write_then_crash(path, config):
        writes["n"] += 1
        if writes["n"] == 2:  # the promotion's config write, after the keyring got the new key
            raise _Crash()
        real_write(path, config)

    monkeypatch.setattr(workspace_module, "_write_config", write_then_crash)
    with pytest.raises(_Crash):
        workspace.rotate_key(store, shown.append)
    store.db.close()
    monkeypatch.undo()

    reloaded = Workspace.load(workspace.path)
    assert "recovery_pending" in reloaded.config
    with reloaded.unlock() as reopened:
        assert reopened.get_case(case_id).title == "Across the promotion"
    after = Workspace.load(workspace.path)
    assert "recovery_pending" not in after.config
    with pytest.raises(UnlockError):
        after.recover(old_recovery)
    after.recover(shown[0])
    Workspace.load(workspace.path).unlock().close()


def test_a_refused_new_passphrase_leaves_the_workspace_as_it_was(keyring_workspace) -> None:
    """Recovering to a passphrase that is too short is refused before anything changes: the
    desktop keeps the same Workspace object and lets the analyst try again."""
    workspace, recovery_key = keyring_workspace
    on_disk = (workspace.path / "workspace.json").read_bytes()
    with pytest.raises(UsageError, match="shorter than"):
        workspace.recover(recovery_key, "passphrase", "short")
    assert workspace.method == "keyring" and "passphrase" not in workspace.config
    assert (workspace.path / "workspace.json").read_bytes() == on_disk
    workspace.unlock().close()
    workspace.recover(recovery_key, "passphrase", NEW_PASSPHRASE)
    Workspace.load(workspace.path).unlock(NEW_PASSPHRASE).close()
