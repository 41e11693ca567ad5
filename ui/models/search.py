"""Full-text hits across the workspace, best first, each with its highlighted snippet."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from rrmdesk import SearchHit

Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            where = "" if hit.kind == "case" else f"  ·  in {hit.case_title}"
            return f"{hit.kind.replace('-', ' ').capitalize()}: {hit.title}{where}\n{hit.snippet}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.snippet
        if role == self.HitRole:
            return hit
        return None
