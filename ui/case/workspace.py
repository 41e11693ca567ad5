"""The centre of the window: the open case's header (TLP badge, title) above its tabs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from rrmdesk import Case
from rrmdesk.model import CASE_PARTS

from ..tlp import TlpBadge
from .context import CaseContext, CaseTab
from .tabs import build_tabs


class CaseWorkspace(QWidget):
    #: the case on screen changed (None: no case open)
    case_changed = Signal(object)
    #: the record selected in a tab, for the inspector
    selected = Signal(object)
    #: a tab asked to open another case (case id)
    open_case = Signal(str)

    def __init__(self, context: CaseContext) -> None:
        super().__init__()
        self.context = context
        self.case: Case | None = None
        #: every object of the open case by id, shared with the tabs and the inspector
        self.object_names: dict[str, str] = {}
        self.badge = TlpBadge()
        self.title = QLabel()
        self.title.setObjectName("caseTitle")
        self.title.setAccessibleName("Case title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)  # a long title takes two lines, not a wider window than the screen
        self.facts = QLabel()
        self.facts.setObjectName("caseFacts")
        self.facts.setWordWrap(True)
        # The facts go under the title, not beside it: side by side on a laptop screen they
        # squeezed the title into four lines.
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.facts)
        header = QHBoxLayout()
        header.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        header.addSpacing(6)
        header.addLayout(heading, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case workspace")
        self.tabs.setDocumentMode(True)
        self.pages: list[CaseTab] = []
        self.titles: list[str] = []
        for title, tab in build_tabs(context):
            tab.setAccessibleName(title)
            tab.selected.connect(self.selected)
            tab.open_case.connect(self.open_case)
            tab.note.connect(lambda note, tab=tab, title=title: self._note(tab, title, note))
            self.tabs.addTab(tab, title)
            self.pages.append(tab)
            self.titles.append(title)
        self.tabs.currentChanged.connect(lambda _i: self.selected.emit(None))

        case_page = QWidget()
        column = QVBoxLayout(case_page)
        column.setContentsMargins(10, 8, 10, 4)
        column.addLayout(header)
        column.addWidget(self.tabs, 1)
        self.empty = QLabel("<h3>No case open</h3><p>Select a case on the left, or create one with "
                            "<b>Case ▸ New case…</b> (Ctrl+N).</p>")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(case_page)
        QVBoxLayout(self).addWidget(self.stack)
        self.layout().setContentsMargins(0, 0, 0, 0)
        context.session.saved.connect(self._saved)

    def tab(self, title: str) -> CaseTab:
        return self.pages[self.titles.index(title)]

    def _note(self, tab: CaseTab, title: str, note: str) -> None:
        """Show a tab's note beside its title, e.g. "Related (3)", so it is seen without opening it."""
        self.tabs.setTabText(self.tabs.indexOf(tab), f"{title} ({note})" if note else title)

    def current_tab(self) -> CaseTab:
        return self.pages[self.tabs.currentIndex()]

    def names(self, case: Case) -> dict[str, str]:
        """Every object of the case by id, to show references by name."""
        store = self.context.session.store
        names = {case.id: case.title}
        for cls in CASE_PARTS:
            names.update((record.id, record.label) for record in store.parts(case.id, cls))
        return names

    def open(self, case_id: str) -> None:
        case = self.context.session.store.get_case(case_id)
        self.case = case
        self.object_names = self.names(case)
        for page in self.pages:
            page.load(case, self.object_names)
        self._show_header(case)
        self.stack.setCurrentIndex(1)
        self.context.editor.activate(case.id)
        self.case_changed.emit(case)

    def close_case(self) -> None:
        self.case = None
        self.object_names = {}
        for page in self.pages:
            page.clear()
        self.stack.setCurrentIndex(0)
        self.context.editor.activate(None)
        self.case_changed.emit(None)

    def select(self, object_id: str) -> bool:
        """Show the tab holding ``object_id`` and select it there."""
        for number, page in enumerate(self.pages):
            if page.select(object_id):
                self.tabs.setCurrentIndex(number)
                page.select(object_id)
                return True
        return False

    def _show_header(self, case: Case) -> None:
        self.badge.set_tlp(case.tlp)
        self.title.setText(case.title)
        self.facts.setText(f"{case.status.capitalize()} · {case.severity} severity"
                           + (f" · targets {', '.join(case.target_countries)}" if case.target_countries else ""))

    def _saved(self, record: object) -> None:
        if isinstance(record, Case) and self.case is not None and record.id == self.case.id:
            self.case = record
            self._show_header(record)
            self.case_changed.emit(record)
