"""Workspaces: creation in both unlock modes, reopening, passphrases and bad folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rrmdesk import UnlockError, UsageError, Workspace, WorkspaceError
from rrmdesk.workspace import CONFIG, DATABASE
from tests.conftest import TEST_PASSPHRASE


def test_keyring_workspace_keeps_its_key_in_the_keyring_only(keyring_workspace) -> None:
    workspace, _ = keyring_workspace
    config = json.loads((workspace.path / CONFIG).read_text())
    assert config["unlock"] == "keyring"
    assert "passphrase" not in config
    stored = workspace.credentials.get(workspace.keyring_account)
    assert stored and stored not in (workspace.path / CONFIG).read_text()
    assert workspace.credentials.backend_name == "SecretService keyring"


def test_keyring_workspace_reopens_with_its_data(keyring_workspace) -> None:
    workspace, _ = keyring_workspace
    with workspace.unlock() as store:
        case_id = store.create_case("Reopen me").id
    again = Workspace.load(workspace.path)
    assert again.method == "keyring"
    with again.unlock() as store:
        assert store.get_case(case_id).title == "Reopen me"


def test_passphrase_workspace_reopens_with_the_passphrase(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    with workspace.unlock(TEST_PASSPHRASE) as store:
        case_id = store.create_case("Behind a passphrase").id
    with Workspace.load(workspace.path).unlock(TEST_PASSPHRASE) as store:
        assert store.get_case(case_id).title == "Behind a passphrase"
    config = json.loads((workspace.path / CONFIG).read_text())
    assert config["unlock"] == "passphrase" and config["passphrase"]["kdf"] == "scrypt"


def test_wrong_passphrase_is_an_unlock_error(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    with pytest.raises(UnlockError, match="wrong passphrase"):
        Workspace.load(workspace.path).unlock("not the passphrase at all")


def test_missing_passphrase_is_an_unlock_error(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    with pytest.raises(UnlockError, match="protected by a passphrase"):
        Workspace.load(workspace.path).unlock(None)


def test_passphrase_change_retires_the_old_one(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    new = "a completely different passphrase"
    workspace.change_passphrase(TEST_PASSPHRASE, new)
    reloaded = Workspace.load(workspace.path)
    with pytest.raises(UnlockError):
        reloaded.unlock(TEST_PASSPHRASE)
    reloaded.unlock(new).close()


def test_passphrase_change_needs_the_current_passphrase(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    with pytest.raises(UnlockError):
        workspace.change_passphrase("guessing the old one", "a completely different passphrase")
    Workspace.load(workspace.path).unlock(TEST_PASSPHRASE).close()


def test_passphrase_change_refuses_a_short_new_passphrase(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    with pytest.raises(UsageError, match="shorter than"):
        workspace.change_passphrase(TEST_PASSPHRASE, "short")


def test_passphrase_change_on_a_keyring_workspace_is_refused(keyring_workspace) -> None:
    workspace, _ = keyring_workspace
    with pytest.raises(UsageError, match="keyring"):
        workspace.change_passphrase("anything at all", "a completely different passphrase")


def test_short_passphrase_is_refused_at_creation(workspace_path: Path) -> None:
    with pytest.raises(UsageError, match="shorter than"):
        Workspace.create(workspace_path, "passphrase", "short")
    assert not (workspace_path / CONFIG).exists()


def test_unknown_unlock_method_is_refused(workspace_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown unlock method"):
        Workspace.create(workspace_path, "post-it note")


def test_creating_over_an_existing_workspace_is_refused(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    with pytest.raises(WorkspaceError, match="already exists"):
        Workspace.create(workspace.path, "passphrase", TEST_PASSPHRASE)


def test_creating_in_a_folder_with_other_files_is_refused(workspace_path: Path) -> None:
    workspace_path.mkdir()
    (workspace_path / "notes.txt").write_text("mine")
    with pytest.raises(WorkspaceError, match="not empty"):
        Workspace.create(workspace_path, "passphrase", TEST_PASSPHRASE)


def test_loading_a_folder_without_a_workspace_is_a_workspace_error(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no RRM Desk workspace"):
        Workspace.load(tmp_path)


def test_unreadable_config_is_a_workspace_error(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    (workspace.path / CONFIG).write_text("{not json")
    with pytest.raises(WorkspaceError, match="unreadable"):
        Workspace.load(workspace.path)


def test_missing_database_is_a_workspace_error(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    (workspace.path / DATABASE).unlink()
    with pytest.raises(WorkspaceError, match="missing"):
        Workspace.load(workspace.path)


def test_config_and_database_are_private_to_the_user(passphrase_workspace) -> None:
    workspace, _ = passphrase_workspace
    assert (workspace.path.stat().st_mode & 0o077) == 0
    assert ((workspace.path / CONFIG).stat().st_mode & 0o077) == 0


def test_default_path_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from rrmdesk import default_path

    monkeypatch.setenv("RRMDESK_WORKSPACE", str(tmp_path / "elsewhere"))
    assert default_path() == tmp_path / "elsewhere"
    monkeypatch.delenv("RRMDESK_WORKSPACE")
    assert default_path() == tmp_path / "xdg-data" / "rrmdesk" / "workspace"
