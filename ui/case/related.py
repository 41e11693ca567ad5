"""The "Related" tab: other cases that share this case's accounts, domains, actors or techniques.

It hosts the ``RelatedCasesPanel`` and keeps it current: on opening a case, and when any
observable, actor or technique changes (here or in another case, since either side of a
correlation can create or break it). The tab's title carries the count, "Related (3)", so the
analyst sees at once that the case is not alone. Activating a case asks the workspace to open it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout

from rrmdesk import Actor, Case, Observable, TechniqueUse

from ..correlation import RelatedCasesPanel
from .context import CaseContext, CaseTab

#: the kinds of record whose change can change what correlates
CORRELATED = (Observable, Actor, TechniqueUse)
CORRELATED_KINDS = {cls.KIND for cls in CORRELATED}


class RelatedTab(CaseTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context)
        self.panel: RelatedCasesPanel | None = None
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(8, 8, 8, 8)
        # an import saves hundreds of records one signal at a time: correlate once, after them
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        context.session.saved.connect(self._saved)
        context.session.removed.connect(self._removed)

    def load(self, case: Case, names: dict[str, str]) -> None:
        super().load(case, names)
        store = self.context.session.store
        if self.panel is None:
            self.panel = RelatedCasesPanel(store, case.id, self)
            self.panel.caseActivated.connect(self.open_case)
            self.panel.refreshed.connect(lambda count: self.note.emit(str(count) if count else ""))
            self.column.addWidget(self.panel)
            self.note.emit(str(len(self.panel.found)) if self.panel.found else "")
        else:
            self.panel.show_case(store, case.id)

    def clear(self) -> None:
        super().clear()
        self._pending.stop()
        if self.panel is not None:  # the store it holds is closing: drop the panel with its rows
            self.panel.deleteLater()
            self.panel = None
        self.note.emit("")

    def refresh(self) -> None:
        if self.panel is not None and self.case is not None:
            self.panel.refresh()

    def _saved(self, record: object) -> None:
        if isinstance(record, CORRELATED):
            self._pending.start()

    def _removed(self, object_id: str, _case_id: str) -> None:
        if object_id.split("--", 1)[0] in CORRELATED_KINDS:
            self._pending.start()
