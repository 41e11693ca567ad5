"""A case's audit entries: who changed what and when, read-only, oldest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from rrmdesk import AuditEntry


Index = QModelIndex | QPersistentModelIndex
HEADERS = ("#", "When (UTC)", "Analyst", "Action", "Object", "Change")


def describe_change(entry: AuditEntry, names: dict[str, str]) -> str:
    """What changed, in words: fields of an edit, or the name of what was added or removed."""
    change = entry.change_dict()
    if entry.action == "edit":
        return "changed " + ", ".join(name.replace("_", " ") for name in sorted(change))
    label = change.get("label") or change.get("title") or change.get("name") or change.get("statement") or change.get("code") \
        or change.get("action") or change.get("type") or names.get(entry.object_id, "")
    return f"{entry.action} {str(label)[:80]}".strip()


class AuditModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[AuditEntry] = []
        self.names: dict[str, str] = {}

    def set_entries(self, entries: list[AuditEntry], names: dict[str, str]) -> None:
        self.beginResetModel()
        self.entries, self.names = list(entries), dict(names)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            kind = entry.object_id.split("--", 1)[0].replace("-", " ")
            return (
                str(entry.seq),
                entry.at[:19].replace("T", " "),
                entry.analyst,
                entry.action,
                f"{kind}: {self.names.get(entry.object_id, entry.object_id[-12:])}",
                describe_change(entry, self.names),
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 4:
            return entry.object_id
        return None
