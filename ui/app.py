"""``rrmdesk-gui`` / ``python -m ui``: open (or create) the workspace and show the main window.

``--workspace DIR`` chooses the workspace, like the CLI; otherwise ``$RRMDESK_WORKSPACE`` or the
per-user data folder. A passphrase workspace unlocks from ``$RRMDESK_PASSPHRASE`` when it is set
(automation and the demo, as in the CLI), else the unlock dialog asks.

``--smoke`` starts the real app on a throwaway passphrase workspace in a temporary folder, waits
until the main window is unlocked (through ``$RRMDESK_PASSPHRASE``, set for this process only)
and painted, prints one line and quits with status 0. An administrator runs it once after
installing, to prove that Qt, its platform plugins and the fonts work on this machine; CI runs it
offscreen (``QT_QPA_PLATFORM=offscreen``). The analyst's own workspace and settings are not
opened. The frozen app's entry (``packaging/rrmdesk_gui.py``) calls ``main`` here.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import rrmdesk
from rrmdesk import RRMDeskError, Workspace, default_path
from rrmdesk.resources import resource_path

from . import settings
from .first_run import FirstRunWizard
from .main_window import APP_NAME, MainWindow
from .messages import MessageBridge
from .session import PASSPHRASE_ENV, Session
from .settings import Preferences

#: how long ``--smoke`` waits for the unlocked window before it gives up (a hang, not a measure)
SMOKE_TIMEOUT_MS = 120_000


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rrmdesk-gui", description="RRM Desk desktop application")
    parser.add_argument("--version", action="version", version=f"rrmdesk-gui {rrmdesk.__version__}")
    parser.add_argument("--workspace", metavar="DIR",
                        help="workspace folder (default: $RRMDESK_WORKSPACE or the per-user data folder)")
    parser.add_argument("--debug", action="store_true", help="log internal details to stderr")
    parser.add_argument("--smoke", action="store_true",
                        help="start on a throwaway workspace, unlock, paint the main window and quit "
                             "(exit status 0: Qt works on this machine)")
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


def smoke(argv: Sequence[str]) -> int:
    """``--smoke``: the real app on a throwaway workspace, unlocked and painted; 0 if all went well."""
    with tempfile.TemporaryDirectory(prefix="rrmdesk-smoke-") as folder:
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, str(Path(folder) / "settings"))
        passphrase = secrets.token_urlsafe(24)
        workspace = Path(folder) / "workspace"
        Workspace.create(workspace, "passphrase", passphrase, analyst="smoke test")
        os.environ[PASSPHRASE_ENV] = passphrase  # this process only: the app's automation path
        app, window = start([*argv, "--workspace", str(workspace)])
        if window is None:
            print("rrmdesk-gui: smoke test FAILED: the main window did not open", file=sys.stderr)
            return 1

        def painted() -> None:
            image = window.grab()  # renders every widget of the unlocked window
            ok = not image.isNull() and not window.session.is_locked
            print(f"rrmdesk-gui: smoke test {'passed' if ok else 'FAILED'}: main window unlocked and painted "
                  f"({image.width()}x{image.height()}, Qt platform {app.platformName()})", flush=True)
            app.exit(0 if ok else 1)

        def timed_out() -> None:
            print("rrmdesk-gui: smoke test FAILED: the window was not unlocked in time", file=sys.stderr, flush=True)
            app.exit(2)

        window.session.unlocked.connect(lambda: QTimer.singleShot(0, painted))
        QTimer.singleShot(SMOKE_TIMEOUT_MS, timed_out)
        status = app.exec()
        window.close()  # locks the store before the folder goes
        return status


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if parse_args(argv).smoke:
        return smoke([a for a in argv if a != "--smoke"])
    app, window = start(argv)
    if window is None:
        return 1
    return app.exec()
