"""A table of one kind of case object (actors, events, …), editable in place through undo.

Rows are the records of one case, loaded when the case opens (a case holds hundreds, not
hundreds of thousands, of each). Edits go through the ``Editor`` (undo stack, then the store);
the model changes only when the ``Session`` announces what the store saved, so the table always
shows what is stored, and a refused value leaves the old one in place.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from rrmdesk.model import Record

from ..session import Session
from ..undo import Editor
from .columns import Column

Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    RecordRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, session: Session, editor: Editor, kind: type[Record], columns: tuple[Column, ...],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.session, self.editor, self.kind, self.columns = session, editor, kind, columns
        self.case_id: str | None = None
        self.records: list[Record] = []
        #: object id -> label of every object in the case, to show references by name
        self.names: dict[str, str] = {}
        session.saved.connect(self._saved)
        session.removed.connect(self._removed)

    # -- loading -----------------------------------------------------------------------

    def load(self, case_id: str | None, names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.case_id = case_id
        self.records = self.session.store.parts(case_id, self.kind) if case_id else []  # type: ignore[arg-type]
        self.names = names if names is not None else {}
        self.endResetModel()

    def record(self, row: int) -> Record:
        return self.records[row]

    def row_of(self, object_id: str) -> int:
        for row, record in enumerate(self.records):
            if record.id == object_id:
                return row
        return -1

    def _saved(self, record: Record) -> None:
        if self.case_id is None:
            return
        self.names[record.id] = record.label
        if not isinstance(record, self.kind) or getattr(record, "case_id", None) != self.case_id:
            if self.records and any(c.kind in ("ref", "refs") for c in self.columns):
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.records) - 1, len(self.columns) - 1))
            return
        row = self.row_of(record.id)
        if row >= 0:
            self.records[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        else:
            self.beginInsertRows(QModelIndex(), len(self.records), len(self.records))
            self.records.append(record)
            self.endInsertRows()

    def _removed(self, object_id: str, case_id: str) -> None:
        row = self.row_of(object_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.records[row]
            self.endRemoveRows()

    # -- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.ToolTipRole and column.tip:
                return column.tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.records):
            return None
        record, column = self.records[index.row()], self.columns[index.column()]
        if role == self.RecordRole:
            return record
        if column.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if getattr(record, column.field) else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(record, self.names)
        if role == Qt.ItemDataRole.EditRole:
            return column.edit_text(record)
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.display(record, self.names)
            return text if len(text) > 40 else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.editable and column.show is None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable if column.kind == "bool" else Qt.ItemFlag.ItemIsEditable
        return flags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order rows by what a column shows; selections follow their records."""
        if not 0 <= column < len(self.columns) or not self.records:
            return
        shown = self.columns[column]
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self.records[index.row()].id for index in before]
        self.records.sort(key=lambda record: shown.display(record, self.names).casefold(),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        rows = {record.id: row for row, record in enumerate(self.records)}
        self.changePersistentIndexList(before, [self.index(rows[i], index.column()) for i, index in zip(ids, before)])
        self.layoutChanged.emit()

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable):
            return False
        column = self.columns[index.column()]
        if column.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        return self.editor.edit(self.records[index.row()], column.field, column.parse(value))
