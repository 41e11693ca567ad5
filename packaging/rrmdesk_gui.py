"""Entry script of the frozen ``rrmdesk-gui`` desktop app (PyInstaller runs this file as ``__main__``).

It is ``ui.app.main``, options included: ``--smoke`` (start on a throwaway workspace, unlock,
paint the main window, quit with status 0) lives there, so the frozen app, the wheel's
``rrmdesk-gui`` and ``python -m ui`` run the one same check.
"""

from __future__ import annotations

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
