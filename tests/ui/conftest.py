"""Qt fixtures: the app with RRM Desk's names, settings in a temp folder, a main window.

Every window is closed (tasks cancelled, store locked) and every worker finished before the
test ends, so no thread or timer outlives its test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool

from rrmdesk import Workspace
from tests.conftest import TEST_PASSPHRASE
from tests.ui.helpers import WAIT_MS
from ui.app import application
from ui.main_window import MainWindow
from ui.messages import MessageBridge
from ui.session import Session
from ui.settings import Preferences


#: Messages of the offscreen platform plugin itself, not of RRM Desk: it cannot pass size hints
#: to, or raise a window through, a window manager it does not have. Every other Qt warning
#: still fails the test.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, qapp) -> Iterator[None]:
    """QSettings write under the test's temp folder, never the analyst's own configuration."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    application()
    yield
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def bridge(qapp) -> MessageBridge:
    return MessageBridge()


def open_window(qtbot, workspace: Workspace, bridge: MessageBridge) -> MainWindow:
    window = MainWindow(Session(workspace), bridge, Preferences())
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot, keyring_workspace, bridge) -> Iterator[MainWindow]:
    """The main window on a keyring workspace, unlocked."""
    workspace, _ = keyring_workspace
    main = open_window(qtbot, workspace, bridge)
    main.start()
    qtbot.waitUntil(lambda: not main.session.is_locked, timeout=WAIT_MS)
    yield main
    main.close()
    QThreadPool.globalInstance().waitForDone()


@pytest.fixture
def passphrase_window(qtbot, passphrase_workspace, bridge) -> Iterator[MainWindow]:
    """The main window on a passphrase workspace, still locked (the dialog is asking)."""
    workspace, _ = passphrase_workspace
    main = open_window(qtbot, workspace, bridge)
    yield main
    main.close()
    QThreadPool.globalInstance().waitForDone()


__all__ = ["TEST_PASSPHRASE"]
