"""The Briefing dialog of the desktop app (issue 7): options, a live outline, save on a worker.

The main window calls ``run_briefing_dialog``; the document itself is made by
``rrmdesk.briefing.build_briefing``, exactly as ``rrmdesk brief`` makes it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..messages import MessageBridge
from ..session import Session
from ..tasks import TaskRunner
from .briefing_dialog import BriefingDialog

__all__ = ["BriefingDialog", "run_briefing_dialog"]


def run_briefing_dialog(window: QWidget, session: Session, tasks: TaskRunner, bridge: MessageBridge,
                        case_id: str | None) -> BriefingDialog:
    """Open the Briefing dialog over ``window`` (window-modal, without a nested event loop).

    ``case_id`` is the open case, ticked to start with; None opens it with no case ticked.
    The dialog deletes itself when closed; it is returned so callers and tests can drive it.
    """
    dialog = BriefingDialog(session, tasks, bridge, window, case_id)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
