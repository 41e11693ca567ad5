"""A case tab holding one editable table of case objects (actors, events, responses, …)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import Case

from ..models.columns import Column
from ..models.records import RecordTableModel
from .context import CaseContext, CaseTab
from .parts import Part

Index = QModelIndex | QPersistentModelIndex
MAX_COLUMN_WIDTH = 340
#: rows looked at when fitting a column to its contents (all of them would cost ~0.5 s on a big case)
FIT_SAMPLE_ROWS = 40


class FieldDelegate(QStyledItemDelegate):
    """Choice and reference cells edit with a drop-down; the rest with a line edit."""

    def __init__(self, model: RecordTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._model = model

    def _column(self, index: Index) -> Column:
        return self._model.columns[index.column()]

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = self._column(index)
        if column.kind not in ("choice", "ref"):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setAccessibleName(column.header)
        if column.optional:
            combo.addItem("", "")
        if column.kind == "choice":
            for choice in column.choices:
                combo.addItem(choice, choice)
        else:
            record = self._model.record(index.row())
            for object_id, name in sorted(self._model.names.items(), key=lambda item: item[1].casefold()):
                kind = object_id.split("--", 1)[0]
                if object_id != record.id and kind != "case" and (not column.refers_to or kind in column.refers_to):
                    combo.addItem(f"{name}  ({kind})", object_id)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = getattr(self._model.record(index.row()), self._column(index).field) or ""
            editor.setCurrentIndex(max(0, editor.findData(value)))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


def make_table(model: QAbstractItemModel, name: str, view: QTableView | None = None) -> QTableView:
    """A table view (new, or ``view``) with the house defaults: row selection, readable columns."""
    view = view if view is not None else QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    header.setResizeContentsPrecision(FIT_SAMPLE_ROWS)
    return view


class RecordTab(CaseTab):
    """Add, edit in place (with undo) and remove one kind of object of the case."""

    def __init__(self, context: CaseContext, part: Part) -> None:
        super().__init__(context)
        self.part = part
        self.model = RecordTableModel(context.session, context.editor, part.kind, part.columns, self)
        self.view = self._make_view()
        self.view.horizontalHeader().setSortIndicator(part.sort_by, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setItemDelegate(FieldDelegate(self.model, self.view))
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self.model.modelReset.connect(self._update_empty)

        self.add_button = QPushButton(f"Add {part.noun}")
        self.add_button.setAccessibleName(f"Add {part.noun}")
        self.add_button.setToolTip(f"Add {part.noun} to this case (Insert)")
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"Remove {part.noun}")
        self.remove_button.setToolTip(f"Remove the selected {part.noun} (Delete); Undo brings it back")
        self.remove_button.clicked.connect(self.remove)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyHint")
        self.empty_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        for button in self.extra_buttons():
            buttons.addWidget(button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        self._update_empty()

    def _make_view(self) -> QTableView:
        return make_table(self.model, self.part.title)

    def extra_buttons(self) -> tuple[QPushButton, ...]:
        """Buttons a tab adds between Add and Remove."""
        return ()

    def empty_text(self) -> str:
        return f"No {self.part.title.lower()} yet. Use “Add {self.part.noun}” (Insert), then edit cells in place."

    def _update_empty(self) -> None:
        empty = self.model.rowCount() == 0
        self.empty_label.setText(self.empty_text() if empty else "")
        self.empty_label.setVisible(empty and self.case is not None)
        self.remove_button.setEnabled(not empty)
        if not empty:
            self._fit_columns()

    def _fit_columns(self) -> None:
        header = self.view.horizontalHeader()
        for column in range(self.model.columnCount()):
            self.view.resizeColumnToContents(column)
            header.resizeSection(column, min(max(header.sectionSize(column), 60), MAX_COLUMN_WIDTH))

    def load(self, case: Case, names: dict[str, str]) -> None:
        super().load(case, names)
        self.model.load(case.id, names)
        header = self.view.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.add_button.setEnabled(self.part.new is not None or type(self).add is not RecordTab.add)

    def clear(self) -> None:
        super().clear()
        self.model.load(None)

    def current_record(self) -> Any:
        index = self.view.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def select(self, object_id: str) -> bool:
        row = self.model.row_of(object_id)
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.selected.emit(self.model.record(current.row()) if current.isValid() else None)

    def add(self) -> None:
        if self.case is None or self.part.new is None:
            return
        record = self.part.new(self.case.id)
        if self.context.editor.add(record):
            index = self.model.index(self.model.row_of(record.id), self._first_editable())
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self.view.setFocus()
            self.view.edit(index)

    def _first_editable(self) -> int:
        for number, column in enumerate(self.part.columns):
            if column.editable and column.show is None and column.kind == "text":
                return number
        return 0

    def remove(self) -> None:
        record = self.current_record()
        if record is not None:
            self.context.editor.remove(record)
