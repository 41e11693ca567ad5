"""The OS keyring: pinned to the Secret Service, absent or locked → a clear error, never plaintext."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import textwrap
from pathlib import Path

import pytest

from rrmdesk import KeyringError, Workspace
from rrmdesk.credentials import CredentialStore

from .conftest import PYTHON, RRMDESK


def test_keyrings_alt_is_not_installed() -> None:
    """With keyrings.alt present, keyring's chainer would pick a plaintext file (DESIGN.md 4)."""
    assert importlib.util.find_spec("keyrings") is None
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("keyrings.alt")


def test_the_backend_is_the_secret_service(keyring_workspace) -> None:
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    workspace, _ = keyring_workspace
    assert type(workspace.credentials._native()) is SecretServiceKeyring
    assert workspace.credentials.backend_name == "SecretService keyring"


def test_without_a_session_bus_the_keyring_is_unavailable_not_replaced(monkeypatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    credentials = CredentialStore()
    assert not credentials.available()
    with pytest.raises(KeyringError, match="no secure keyring"):
        credentials.get("anything")
    with pytest.raises(KeyringError):
        credentials.set("anything", "c2VjcmV0")


def test_init_without_a_keyring_fails_and_offers_passphrase_mode(rrmdesk, workspace_path: Path) -> None:
    outcome = rrmdesk("init", remove=("DBUS_SESSION_BUS_ADDRESS",))
    line = outcome.assert_user_error("no secure keyring", "passphrase mode")
    assert "init --passphrase" in line
    assert not workspace_path.exists() or not any(workspace_path.iterdir())
    assert outcome.out == ""


def test_init_in_passphrase_mode_works_without_a_keyring(rrmdesk, workspace_path: Path) -> None:
    import os

    env = dict(os.environ, RRMDESK_PASSPHRASE="a passphrase without keyring")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    outcome = rrmdesk("init", "--passphrase", env=env)
    assert outcome.code == 0, outcome.err
    assert rrmdesk("unlock-test", env=env).out.startswith(f"unlocked {workspace_path} with the passphrase")


def test_keyring_workspace_without_a_keyring_cannot_unlock(keyring_workspace, rrmdesk) -> None:
    workspace, _ = keyring_workspace
    rrmdesk("unlock-test", remove=("DBUS_SESSION_BUS_ADDRESS",)).assert_user_error("no secure keyring")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DBUS_SESSION_BUS_ADDRESS")
        with pytest.raises(KeyringError, match="no secure keyring"):
            Workspace.load(workspace.path).unlock()


# A locked collection: run in a private D-Bus session with its own gnome-keyring (and its own
# keyring files under the test's XDG_DATA_HOME), so locking it cannot disturb the other tests.
_LOCKED_SESSION = textwrap.dedent(
    """
    import os, subprocess, sys, time
    import secretstorage
    rrmdesk, workspace = sys.argv[1], sys.argv[2]
    def run(*args):
        started = time.monotonic()
        done = subprocess.run([rrmdesk, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        print(f"{args[0]}|{done.returncode}|{done.stderr.strip()}|{done.stdout.count(chr(10))}|{time.monotonic() - started:.1f}")
    assert subprocess.run([rrmdesk, "init"], stdin=subprocess.DEVNULL, capture_output=True).returncode == 0
    connection = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(connection)
    collection.lock()
    assert collection.is_locked()
    run("unlock-test")
    os.environ["RRMDESK_WORKSPACE"] = workspace + "-second"
    run("init")
    """
)


def test_locked_keyring_is_a_clear_error_in_bounded_time(tmp_path: Path, workspace_path: Path) -> None:
    """Locking the collection makes gnome-keyring ask its prompter, which has no display here and
    fails at once; RRM Desk must turn that into one line, not hang or fall back to plaintext."""
    script = tmp_path / "locked_session.py"
    script.write_text(_LOCKED_SESSION)
    shell = 'echo -n locked-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"'
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", shell, "bash", str(PYTHON), str(script), str(RRMDESK), str(workspace_path)],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=150,
    )
    assert done.returncode == 0, done.stderr
    results = [line.split("|") for line in done.stdout.splitlines() if "|" in line]
    assert [r[0] for r in results] == ["unlock-test", "init"], done.stdout
    for _command, code, message, _out_lines, _seconds in results:
        assert code == "1"
        assert len(message.splitlines()) == 1 and message.startswith("rrmdesk: ")
        assert "keyring is locked" in message and "passphrase mode" in message and "--passphrase" in message
    assert not Path(str(workspace_path) + "-second").exists()
