"""``rrmdesk-gui`` / ``python -m ui``: open (or create) the workspace and show the main window.

``--workspace DIR`` chooses the workspace, like the CLI; otherwise ``$RRMDESK_WORKSPACE`` or the
per-user data folder. A passphrase workspace unlocks from ``$RRMDESK_PASSPHRASE`` when it is set
(automation and the demo, as in the CLI), else the unlock dialog asks.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import rrmdesk
from rrmdesk import RRMDeskError, Workspace, default_path
from rrmdesk.resources import resource_path

from . import settings
from .first_run import FirstRunWizard
from .main_window import APP_NAME, MainWindow
from .messages import MessageBridge
from .session import Session
from .settings import Preferences


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rrmdesk-gui", description="RRM Desk desktop application")
    parser.add_argument("--version", action="version", version=f"rrmdesk-gui {rrmdesk.__version__}")
    parser.add_argument("--workspace", metavar="DIR",
                        help="workspace folder (default: $RRMDESK_WORKSPACE or the per-user data folder)")
    parser.add_argument("--debug", action="store_true", help="log internal details to stderr")
    return parser.parse_args(argv)


def application() -> QApplication:
    """The QApplication with RRM Desk's names (QSettings uses them), style sheet and icon."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(settings.ORGANISATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(rrmdesk.__version__)
    app.setDesktopFileName("rrmdesk")
    app.setWindowIcon(QIcon(str(resource_path("ui", "rrmdesk.svg"))))
    app.setStyleSheet(resource_path("ui", "rrmdesk.qss").read_text(encoding="utf-8"))
    return app


def open_workspace(path: Path, bridge: MessageBridge) -> Workspace | None:
    """The workspace at ``path``; the first-run wizard creates it if there is none yet."""
    if not (path / "workspace.json").exists():
        wizard = FirstRunWizard(path, bridge)
        if wizard.exec() != FirstRunWizard.DialogCode.Accepted or wizard.workspace is None:
            return None
        return wizard.workspace
    return Workspace.load(path)


def start(argv: Sequence[str] | None = None) -> tuple[QApplication, MainWindow | None]:
    """Everything up to the event loop: the window is shown and unlocking has begun."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    app = application()
    bridge = MessageBridge(app)
    sys.excepthook = bridge.excepthook
    path = Path(args.workspace).expanduser() if args.workspace else default_path()
    try:
        workspace = open_workspace(path, bridge)
    except RRMDeskError as exc:  # an unreadable workspace folder: say so, in the terminal and on screen
        print(f"rrmdesk-gui: {exc.text()}", file=sys.stderr)
        bridge.error(exc)
        if bridge.current is not None:
            bridge.current.exec()  # there is no window yet: wait here until the analyst has read it
        return app, None
    if workspace is None:
        return app, None
    window = MainWindow(Session(workspace), bridge, Preferences(), unlock_at_start=True)
    window.show()
    window.start()
    return app, window


def main(argv: Sequence[str] | None = None) -> int:
    app, window = start(argv)
    if window is None:
        return 1
    return app.exec()
