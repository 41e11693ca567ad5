"""What every case tab is handed: the session, undo, the message bridge and the task runner.

Passed explicitly from the main window; there is no global to reach into (Picard's warning).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from rrmdesk import Case

from ..messages import MessageBridge
from ..session import Session
from ..settings import Preferences
from ..tasks import TaskRunner
from ..undo import Editor


@dataclass(frozen=True)
class CaseContext:
    session: Session
    editor: Editor
    bridge: MessageBridge
    tasks: TaskRunner
    preferences: Preferences


class CaseTab(QWidget):
    """A page of the case workspace. Subclasses fill ``load``; the rest has sensible defaults."""

    #: the record the analyst selected, for the inspector (None clears it)
    selected = Signal(object)
    #: the analyst asked to open another case (a related case, a marker's jump)
    open_case = Signal(str)
    #: a short note for the tab's title, e.g. a count ("" for none)
    note = Signal(str)

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self.case: Case | None = None

    def load(self, case: Case, names: dict[str, str]) -> None:
        """Show ``case``; ``names`` maps every object id in it to its label."""
        self.case = case

    def clear(self) -> None:
        """Drop everything shown (the workspace locked or the case closed)."""
        self.case = None

    def select(self, object_id: str) -> bool:
        """Bring ``object_id`` into view and select it; False if this tab does not show it."""
        return False

    def add(self) -> None:
        """The tab's 'add' action (Insert)."""

    def remove(self) -> None:
        """The tab's 'remove' action (Delete)."""
