"""The navigator's case list: lazy, so 100,000 cases scroll without being loaded at once.

``canFetchMore``/``fetchMore`` read the next page with ``Store.case_page`` (keyset paging), and
rows are light ``CaseSummary`` tuples, not whole cases. A new filter or sort order starts again
from the first page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from rrmdesk import Case, CaseFilter
from rrmdesk.store import CaseSummary

from .. import tlp
from ..session import Session

Index = QModelIndex | QPersistentModelIndex
PAGE = 5000

#: header, CaseSummary attribute, the store's sort order when sorted ascending
COLUMNS = (
    ("Title", "title", "title"),
    ("TLP", "tlp", "tlp"),
    ("Status", "status", "status"),
    ("Severity", "severity", "severity"),
    ("Modified", "modified", "modified"),
)


_TLP_BACKGROUND = QColor(tlp.BACKGROUND)
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole + 1})


class CaseListModel(QAbstractTableModel):
    CaseIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.where = CaseFilter()
        self.order = "modified DESC"
        self.rows: list[CaseSummary] = []
        self._exhausted = True
        session.saved.connect(self._saved)

    def reload(self, where: CaseFilter | None = None) -> None:
        """Start again from the first page (after unlocking, or with a new filter)."""
        self.beginResetModel()
        if where is not None:
            self.where = where
        self.rows = []
        self._exhausted = self.session.is_locked
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self._exhausted = True
        self.endResetModel()

    def case_id(self, row: int) -> str:
        return self.rows[row].id

    def row_of(self, case_id: str) -> int:
        for row, summary in enumerate(self.rows):
            if summary.id == case_id:
                return row
        return -1

    def _saved(self, record: object) -> None:
        if isinstance(record, Case):
            row = self.row_of(record.id)
            if row >= 0:
                old = self.rows[row]
                self.rows[row] = old._replace(title=record.title, status=record.status, severity=record.severity,
                                              tlp=record.tlp, modified=record.modified)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            else:
                self.reload()

    # -- lazy fetching -------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        after = self.rows[-1].key if self.rows else None
        page = self.session.store.case_page(self.where, after, PAGE, self.order)
        if len(page) < PAGE:
            self._exhausted = True
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid() or index.row() >= len(self.rows):
            return None
        summary = self.rows[index.row()]
        attribute = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            value = getattr(summary, attribute)
            if attribute == "modified":
                return value[:10]
            if attribute == "tlp":
                return value.upper()
            return value
        if role == self.CaseIdRole:
            return summary.id
        if attribute == "tlp":
            if role == Qt.ItemDataRole.ForegroundRole:
                return tlp.colour(summary.tlp)
            if role == Qt.ItemDataRole.BackgroundRole:
                return _TLP_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            return (f"{summary.title}\n{tlp.label(summary.tlp)} · {summary.status} · {summary.severity} severity"
                    f" · modified {summary.modified[:10]}")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][2] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        self.order = key + (" DESC" if order == Qt.SortOrder.DescendingOrder else "")
        self.reload()
