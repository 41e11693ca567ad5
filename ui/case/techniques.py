"""DISARM techniques seen in the case, and a picker over the offline DISARM Red catalog.

The picker lists techniques under their tactic (TA01 … TA18), searchable by code or name;
techniques are stored by T-code (DESIGN.md 5).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
)

from rrmdesk import Case, TechniqueUse
from rrmdesk.disarm import Catalog, default_catalog

from .context import CaseContext, CaseTab
from .parts import TECHNIQUES
from .record_table import RecordTab

CodeRole = Qt.ItemDataRole.UserRole + 1


def catalog_model(catalog: Catalog) -> QStandardItemModel:
    """Tactics as top rows, their techniques below, sub-techniques under their parent."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["Code", "Name"])
    tactics: dict[str, QStandardItem] = {}
    for tactic in catalog.tactics():
        code, name = QStandardItem(tactic.id), QStandardItem(tactic.name)
        for item in (code, name):
            item.setEditable(False)
            item.setSelectable(False)
        model.appendRow([code, name])
        tactics[tactic.id] = code
    parents: dict[str, QStandardItem] = {}
    for technique in catalog.techniques():
        code, name = QStandardItem(technique.code), QStandardItem(technique.name)
        for item in (code, name):
            item.setEditable(False)
            item.setData(technique.code, CodeRole)
            item.setToolTip(technique.summary[:400])
        under = parents.get(technique.parent or "") or tactics.get(technique.tactic)
        if under is None:
            continue
        under.appendRow([code, name])
        if technique.parent is None:
            parents[technique.code] = code
    return model


class DisarmPicker(QGroupBox):
    def __init__(self) -> None:
        super().__init__("DISARM Red framework")
        catalog = default_catalog()
        self.setTitle(f"DISARM Red framework v{catalog.version}")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by code or name, e.g. T0097 or “fake expert”")
        self.search.setAccessibleName("Search DISARM techniques")
        self.search.setClearButtonEnabled(True)
        self.source = catalog_model(catalog)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.source)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName("DISARM techniques by tactic")
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setColumnWidth(0, 130)
        self.search.textChanged.connect(self._filter)
        self.add_button = QPushButton("Add to case")
        self.add_button.setAccessibleName("Add technique to case")
        self.add_button.setToolTip("Add the selected technique to this case (or double-click it)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.add_button)
        layout.addLayout(row)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()
        else:
            self.tree.collapseAll()

    def current_code(self) -> str | None:
        return self.tree.currentIndex().data(CodeRole)

    def select_code(self, code: str) -> bool:
        matches = self.proxy.match(self.proxy.index(0, 0), CodeRole, code, 1,
                                   Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        if not matches:
            return False
        self.tree.setCurrentIndex(matches[0])
        self.tree.scrollTo(matches[0])
        return True


class TechniquesTab(CaseTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context)
        self.used = RecordTab(context, TECHNIQUES)
        self.used.add_button.hide()
        self.used.selected.connect(self.selected)
        self.picker = DisarmPicker()
        self.picker.add_button.clicked.connect(self.add)
        self.picker.tree.doubleClicked.connect(lambda _index: self.add())
        box = QGroupBox("Techniques seen in this case")
        QVBoxLayout(box).addWidget(self.used)
        splitter = QSplitter()
        splitter.addWidget(box)
        splitter.addWidget(self.picker)
        splitter.setSizes([520, 480])
        QVBoxLayout(self).addWidget(splitter)

    def load(self, case: Case, names: dict[str, str]) -> None:
        super().load(case, names)
        self.used.load(case, names)

    def clear(self) -> None:
        super().clear()
        self.used.clear()

    def select(self, object_id: str) -> bool:
        return self.used.select(object_id)

    def add(self) -> None:
        code = self.picker.current_code()
        if self.case is None or code is None:
            if code is None:
                self.context.bridge.note("Select a technique in the DISARM list first.")
            return
        if any(record.code == code for record in self.used.model.records):  # type: ignore[attr-defined]
            self.context.bridge.note(f"{code} is already in this case.")
            return
        record = TechniqueUse(case_id=self.case.id, code=code)
        if self.context.editor.add(record):
            self.used.select(record.id)

    def remove(self) -> None:
        self.used.remove()
