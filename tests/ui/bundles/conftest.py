"""Two ministries' desktops on one machine: passphrase workspaces (no keyring), each with its
own signing identity, trusting each other, each with a session, a task runner and a window."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from rrmdesk import Store, Workspace
from rrmdesk.bundles.identity import PublicIdentity, create_identity
from rrmdesk.bundles.trust import TrustStore
from tests.conftest import TEST_PASSPHRASE
from ui.bundles import BundleExchange
from ui.messages import MessageBridge
from ui.session import Session
from ui.tasks import TaskRunner
from tests.ui.helpers import WAIT_MS


@dataclass
class Desk:
    principal: str
    identity: PublicIdentity
    session: Session
    bridge: MessageBridge
    tasks: TaskRunner
    window: QWidget
    exchange: BundleExchange
    open_case: list[str]

    @property
    def store(self) -> Store:
        return self.session.store

    def trusts(self, other: "Desk") -> None:
        TrustStore(self.store).trust(other.principal, other.identity.key_line, other.identity.age_recipient,
                                     confirmed_by="desk officer, phone call")

    def wait(self, qtbot) -> None:
        qtbot.waitUntil(lambda: not self.tasks.busy, timeout=WAIT_MS)


@pytest.fixture
def make_desk(qtbot, tmp_path: Path) -> Iterator:
    made: list[Desk] = []

    def make(principal: str) -> Desk:
        workspace, _ = Workspace.create(tmp_path / principal, "passphrase", TEST_PASSPHRASE)
        session = Session(workspace)
        session.adopt(workspace.unlock(TEST_PASSPHRASE))
        identity = create_identity(workspace, session.store, principal, TEST_PASSPHRASE)
        bridge = MessageBridge()
        window = QWidget()
        qtbot.addWidget(window)
        window.resize(1000, 700)
        window.show()
        bridge.window = window
        tasks = TaskRunner(bridge, window)
        open_case: list[str] = []
        exchange = BundleExchange(session, tasks, bridge, window, lambda: open_case[0] if open_case else None)
        desk = Desk(principal, identity, session, bridge, tasks, window, exchange, open_case)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.tasks.cancel_all()
        if desk.exchange.dialog is not None:
            desk.exchange.dialog.close()
        desk.session.lock()
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def fr(make_desk) -> Desk:
    return make_desk("fr-meae")


@pytest.fixture
def ca(make_desk, fr: Desk) -> Desk:
    """Canada, trusting France and trusted by France."""
    desk = make_desk("ca-gac")
    desk.trusts(fr)
    fr.trusts(desk)
    return desk
