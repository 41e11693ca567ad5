"""Entry script of the frozen ``rrmdesk-gui`` desktop app (PyInstaller runs this file as ``__main__``).

Besides the app's own options it takes ``--smoke``: start the real desktop app on a throwaway
passphrase workspace in a temporary folder, wait until the main window is unlocked and painted,
print one line and quit (exit status 0 on success). An administrator runs it once after
installing, to prove that Qt, its platform plugins and the fonts work on this machine; CI runs it
offscreen (``QT_QPA_PLATFORM=offscreen``). The analyst's own workspace and settings are not opened.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

SMOKE_FLAG = "--smoke"
SMOKE_TIMEOUT_MS = 120_000


def smoke(argv: list[str]) -> int:
    from PySide6.QtCore import QSettings, QTimer

    from rrmdesk import Workspace
    from ui.app import start

    with tempfile.TemporaryDirectory(prefix="rrmdesk-smoke-") as folder:
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, str(Path(folder) / "settings"))
        passphrase = secrets.token_urlsafe(24)
        workspace = Path(folder) / "workspace"
        Workspace.create(workspace, "passphrase", passphrase, analyst="smoke test")
        os.environ["RRMDESK_PASSPHRASE"] = passphrase  # this process only: the app's automation path
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


def main() -> int:
    argv = sys.argv[1:]
    if SMOKE_FLAG in argv:
        return smoke([a for a in argv if a != SMOKE_FLAG])
    from ui.app import main as app_main

    return app_main(argv)


if __name__ == "__main__":
    sys.exit(main())
