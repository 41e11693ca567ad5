"""A desk for the Briefing dialog: a passphrase workspace holding the demo cases, unlocked, with
its session, message bridge, task runner and a window to open the dialog over."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from rrmdesk.demo import DemoReport, load_demo
from tests.conftest import TEST_PASSPHRASE
from tests.ui.helpers import WAIT_MS
from ui.briefing import BriefingDialog, run_briefing_dialog
from ui.messages import MessageBridge
from ui.session import Session
from ui.tasks import TaskRunner


@dataclass
class Desk:
    session: Session
    bridge: MessageBridge
    tasks: TaskRunner
    window: QWidget
    demo: DemoReport

    def case(self, title_start: str) -> str:
        return next(c.id for c in self.demo.cases if c.title.startswith(title_start))

    def open(self, qtbot, case_id: str | None) -> BriefingDialog:
        dialog = run_briefing_dialog(self.window, self.session, self.tasks, self.bridge, case_id)
        if case_id is not None:
            wait_for_outline(qtbot, dialog)
        return dialog


def wait_for_outline(qtbot, dialog: BriefingDialog) -> None:
    """Until the outline shows the survey of what is chosen now."""
    def current() -> bool:
        survey = dialog._survey
        return (not dialog.tasks.busy and not dialog._survey_timer.isActive() and survey is not None
                and survey.case_ids == tuple(dialog.selected_cases()) and survey.marking == dialog.chosen_marking())

    qtbot.waitUntil(current, timeout=WAIT_MS)


@pytest.fixture
def desk(qtbot, passphrase_workspace) -> Iterator[Desk]:
    workspace, _ = passphrase_workspace
    session = Session(workspace)
    session.adopt(workspace.unlock(TEST_PASSPHRASE))
    demo = load_demo(session.store)
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(1300, 820)
    window.show()
    bridge = MessageBridge()
    bridge.window = window
    tasks = TaskRunner(bridge, window)
    yield Desk(session, bridge, tasks, window, demo)
    tasks.cancel_all()
    QThreadPool.globalInstance().waitForDone()
    session.lock()
