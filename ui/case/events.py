"""Events: the table, plus linking an event to the case's actors and narratives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from rrmdesk import Event

from .context import CaseContext
from .parts import EVENTS
from .record_table import RecordTab

LINKS = (("actor", "actor_ids", "Actors"), ("narrative", "narrative_ids", "Narratives"))


class EventLinksDialog(QDialog):
    """Tick the actors and narratives an event involves."""

    def __init__(self, event: Event, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Links of “{event.title}”")
        self.lists: dict[str, QListWidget] = {}
        grid = QGridLayout(self)
        for column, (kind, field, title) in enumerate(LINKS):
            chosen = set(getattr(event, field))
            listing = QListWidget()
            listing.setAccessibleName(title)
            for object_id, label in sorted(names.items(), key=lambda item: item[1].casefold()):
                if object_id.split("--", 1)[0] == kind:
                    item = QListWidgetItem(label)
                    item.setData(Qt.ItemDataRole.UserRole, object_id)
                    item.setCheckState(Qt.CheckState.Checked if object_id in chosen else Qt.CheckState.Unchecked)
                    listing.addItem(item)
            grid.addWidget(QLabel(title), 0, column)
            grid.addWidget(listing, 1, column)
            self.lists[field] = listing
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        grid.addWidget(buttons, 2, 0, 1, len(LINKS))
        self.resize(620, 420)

    def chosen(self, field: str) -> list[str]:
        listing = self.lists[field]
        return [listing.item(row).data(Qt.ItemDataRole.UserRole) for row in range(listing.count())
                if listing.item(row).checkState() == Qt.CheckState.Checked]


class EventsTab(RecordTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context, EVENTS)
        self.links_dialog: EventLinksDialog | None = None

    def extra_buttons(self) -> tuple[QPushButton, ...]:
        self.links_button = QPushButton("Actors and narratives…")
        self.links_button.setToolTip("Choose the actors and narratives the selected event involves")
        self.links_button.clicked.connect(self.edit_links)
        return (self.links_button,)

    def edit_links(self) -> None:
        event = self.current_record()
        if event is None:
            self.context.bridge.note("Select an event first.")
            return
        self.links_dialog = EventLinksDialog(event, self.model.names, self)
        self.links_dialog.accepted.connect(lambda: self._save_links(event.id))
        self.links_dialog.open()

    def _save_links(self, event_id: str) -> None:
        row = self.model.row_of(event_id)
        if row < 0 or self.links_dialog is None:
            return
        for _kind, field, _title in LINKS:
            # each field its own undoable edit, against the record as it is after the previous one
            self.context.editor.edit(self.model.record(row), field, self.links_dialog.chosen(field))
