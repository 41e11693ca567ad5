"""The "Related cases" panel of a case: who else holds these accounts, domains and actors.

One row per related case (score, title, TLP, verdict), best first; below each, what the two
cases share: values and hosts, actors (fuzzy matches labelled with their score, apart from
exact ones), the technique pattern, and values flagged as noise (greyed, not scored). Double-
click a case, or any line under it, to open that case (``caseActivated``). Confirm or Dismiss
records the analyst's verdict in the audit chain; dismissed cases stay hidden unless asked for.

Correlating one case reads a few indexes (milliseconds), so it runs on the main thread; the
workspace-wide clustering runs on a worker (``ClustersView``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import RRMDeskError, Store
from rrmdesk.correlation import Correlation, correlate, decide, withdraw

from .. import tlp

CaseRole = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Score", "TLP", "Verdict", "Case / shared")


def _row(texts: tuple[str, str, str, str], case_id: str, tip: str = "", grey: bool = False) -> list[QStandardItem]:
    """One line: (score, what, TLP, note) shown as Score | TLP | Verdict/note | Case / shared."""
    score, what, marking, note = texts
    texts = (score, marking, note, what)
    items = []
    for text in texts:
        item = QStandardItem(text)
        item.setEditable(False)
        item.setData(case_id, CaseRole)
        if tip:
            item.setToolTip(tip)
        if grey:
            item.setForeground(QBrush(QPalette().color(QPalette.ColorRole.PlaceholderText)))
        items.append(item)
    return items


def correlation_rows(found: list[Correlation]) -> QStandardItemModel:
    """The panel's model: related cases, each with what it shares as child rows."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(list(HEADERS))
    for c in found:
        top = _row((f"{c.score:.2f}", c.title, tlp.label(c.tlp), c.verdict), c.case_id, c.case_id)
        for item in (top[0], top[3]):  # the related case stands out from the lines of what it shares
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        top[1].setForeground(QBrush(tlp.colour(c.tlp)))
        top[1].setBackground(QBrush(Qt.GlobalColor.black))
        for s in c.shared:
            top[0].appendRow(_row((f"{s.score:.2f}", f"{s.kind}: {s.value}", "", f"in {s.cases} cases"), c.case_id))
        for a in c.actors:
            what = "account" if a.how == "account" else "actor"
            top[0].appendRow(_row((f"{a.score:.2f}", f"{what}: {a.here_name} = {a.there_name}", "", ""), c.case_id))
        for a in c.fuzzy_actors:
            top[0].appendRow(_row((f"{a.score:.2f}", f"similar actor: {a.here_name} ~ {a.there_name}", "",
                                   f"{a.how}, {a.match:.2f}"), c.case_id,
                                  "A fuzzy match (spelling, script, word order): check before relying on it"))
        if c.techniques:
            top[0].appendRow(_row((f"{c.techniques.jaccard:.2f}", f"techniques: {', '.join(c.techniques.shared)}",
                                   "", "same pattern"), c.case_id))
        for s in c.noise:
            top[0].appendRow(_row(("—", f"noise: {s.value}", "", s.noise), c.case_id,
                                  "Too common to mean anything; not scored (edit the exclusion list to change)",
                                  grey=True))
        model.appendRow(top)
    return model


class RelatedCasesPanel(QWidget):
    """Other cases related to one case; emits ``caseActivated(case_id)`` to open one."""

    caseActivated = Signal(str)
    #: the list was (re)computed: how many related cases it shows
    refreshed = Signal(int)

    def __init__(self, store: Store, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.case_id = store, case_id
        self.setAccessibleName("Related cases")
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Related cases and what they share")
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.activated.connect(self._activated)
        self.tree.doubleClicked.connect(self._activated)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.show_dismissed = QCheckBox("Show dismissed", self)
        self.show_dismissed.toggled.connect(self.refresh)
        self.confirm_button = QPushButton("Confirm", self)
        self.confirm_button.setToolTip("Mark the selected case as part of the same operation")
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setToolTip("Mark the selected correlation as noise; it will not come back")
        self.withdraw_button = QPushButton("Withdraw verdict", self)
        self.confirm_button.clicked.connect(lambda: self._decide("confirmed"))
        self.dismiss_button.clicked.connect(lambda: self._decide("dismissed"))
        self.withdraw_button.clicked.connect(self._withdraw)
        buttons = QHBoxLayout()
        for widget in (self.confirm_button, self.dismiss_button, self.withdraw_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.show_dismissed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.found: list[Correlation] = []
        self.refresh()

    def show_case(self, store: Store, case_id: str) -> None:
        """Show another case, or the same one through the store of a new unlock."""
        self.store, self.case_id = store, case_id
        self.refresh()

    def refresh(self) -> None:
        try:
            self.found = correlate(self.store, self.case_id, include_dismissed=self.show_dismissed.isChecked())
        except RRMDeskError as exc:
            self.found = []
            self.status.setText(exc.text())
        else:
            count = len(self.found)
            self.status.setText(f"{count} related case{'s' if count != 1 else ''}. Double-click one to open it; "
                                "select one to confirm or dismiss the link." if count
                                else "No other case shares this case's observables, actors or technique pattern.")
        model = correlation_rows(self.found)
        self.tree.setModel(model)
        self.tree.selectionModel().selectionChanged.connect(self._update_buttons)
        self.tree.expandAll()
        for column in (0, 1, 2):
            self.tree.resizeColumnToContents(column)
        self._update_buttons()
        self.refreshed.emit(len(self.found))

    def selected_case(self) -> str | None:
        indexes = self.tree.selectionModel().selectedRows() if self.tree.selectionModel() else []
        return indexes[0].data(CaseRole) if indexes else None

    def _update_buttons(self) -> None:
        chosen = self.selected_case()
        verdict = next((c.verdict for c in self.found if c.case_id == chosen), "")
        self.confirm_button.setEnabled(bool(chosen) and verdict != "confirmed")
        self.dismiss_button.setEnabled(bool(chosen) and verdict != "dismissed")
        self.withdraw_button.setEnabled(bool(verdict))

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.data(CaseRole)
        if case_id:
            self.caseActivated.emit(case_id)

    def _decide(self, decision: str) -> None:
        other = self.selected_case()
        if other:
            self._apply(lambda: decide(self.store, self.case_id, other, decision))

    def _withdraw(self) -> None:
        other = self.selected_case()
        if other:
            self._apply(lambda: withdraw(self.store, self.case_id, other))

    def _apply(self, change) -> None:
        try:
            change()
        except RRMDeskError as exc:
            self.status.setText(exc.text())
            return
        self.refresh()
