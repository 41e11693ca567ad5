"""Test isolation: a fresh workspace folder per test, no network, and the real keyring.

The suite runs inside a D-Bus session with an unlocked gnome-keyring (``./dev test`` and
``.ci/run`` start it), so keyring-mode tests use the real Secret Service, never a mock.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Qt widgets are real but drawn off screen, on a 1366×768 screen: the smallest an analyst's
# laptop has, so windows and dialogs are tested at the size that squeezes them most.
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={REPO / 'tests' / 'ui' / 'laptop-screen.json'}")
TEST_PASSPHRASE = "test passphrase, not secret"


def _deny_network(event: str, args: tuple) -> None:
    """RRM Desk runs on air-gapped machines: any IP connection from a test is a failure."""
    if event == "socket.connect":
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) in (socket.AF_INET, socket.AF_INET6):
            raise PermissionError(f"network access attempted: {address!r}")
    elif event == "socket.getaddrinfo":
        host = args[0]
        if host not in (None, "localhost", "127.0.0.1", "::1"):
            raise PermissionError(f"name lookup attempted: {host!r}")


sys.addaudithook(_deny_network)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the developer's own workspace, settings and secrets."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("RRMDESK_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("RRMDESK_ANALYST", "test-analyst")
    for name in ("RRMDESK_PASSPHRASE", "RRMDESK_NEW_PASSPHRASE", "RRMDESK_RECOVERY_KEY"):
        monkeypatch.delenv(name, raising=False)


def keyring_available() -> bool:
    from rrmdesk.credentials import CredentialStore

    return CredentialStore().available()


@pytest.fixture
def workspace_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


@pytest.fixture
def keyring_workspace(workspace_path: Path) -> Iterator[tuple["Workspace", str]]:  # noqa: F821
    """A keyring-mode workspace on the real Secret Service; its entry is removed afterwards."""
    from rrmdesk import Workspace

    assert keyring_available(), (
        "no Secret Service: run the suite with './dev test' (it starts D-Bus and gnome-keyring)"
    )
    workspace, recovery_key = Workspace.create(workspace_path, "keyring")
    yield workspace, recovery_key
    for suffix in ("", "-pending"):
        workspace.credentials.delete(workspace.keyring_account + suffix)


@pytest.fixture
def passphrase_workspace(workspace_path: Path) -> tuple["Workspace", str]:  # noqa: F821
    from rrmdesk import Workspace

    return Workspace.create(workspace_path, "passphrase", TEST_PASSPHRASE)


@pytest.fixture
def store(keyring_workspace) -> Iterator["Store"]:  # noqa: F821
    workspace, _ = keyring_workspace
    opened = workspace.unlock()
    yield opened
    opened.close()


@pytest.fixture
def case(store):
    return store.create_case("Doppelganger: cloned news sites", summary="Clones of Le Monde and Der Spiegel", tlp="green",
                             target_countries=["FR", "DE"])
