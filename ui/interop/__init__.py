"""STIX 2.1, MISP and CSV import from the desktop: the Import dialog and how to open it.

The main window's File ▸ Import action calls ``run_import_dialog``; the dialog detects the
format, lets the analyst map and preview CSV columns, imports on a ``TaskRunner`` worker and
shows the full ``ImportReport``. ``dialog.open_case`` carries the case id when the analyst
asks to open the case the import filled.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from ..messages import MessageBridge
from ..session import Session
from ..tasks import TaskRunner
from .import_dialog import ImportDialog

__all__ = ["ImportDialog", "run_import_dialog"]


def run_import_dialog(window: QWidget, session: Session, tasks: TaskRunner, bridge: MessageBridge,
                      path: Path | None = None, case_id: str | None = None) -> ImportDialog:
    """Open the Import dialog window-modal (no nested event loop), on ``path`` if given.

    ``case_id`` is the open case, offered as "import into the open case". The dialog deletes
    itself when closed; connect to its ``imported``/``open_case`` signals before returning to
    the event loop.
    """
    dialog = ImportDialog(session, tasks, bridge, window, case_id)
    dialog.finished.connect(lambda _result: dialog.deleteLater())
    dialog.open()
    if path is not None:
        dialog.set_path(path)
    else:
        dialog.choose_file()
    return dialog
