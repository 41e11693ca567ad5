"""A marker next to each observable that appears in another case; click it to go there.

``ObservableMarkers`` asks the core which of a case's observables other cases hold too (noise
and dismissed pairs left out). ``RelatedMarkerDelegate`` paints a small "↔ N" badge at the end
of those cells in any view whose rows are records (``RecordTableModel.RecordRole``) and emits
``caseActivated(case_id)`` when the badge is clicked: the first related case, the others being
listed in the tooltip and in the Related cases panel.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolTip

from rrmdesk import Store
from rrmdesk.correlation import related_observables

RecordRole = Qt.ItemDataRole.UserRole + 1  # RecordTableModel.RecordRole
#: pixels between a value and its marker (with the cell's own margins)
GAP = 14


def record_id(index: QModelIndex) -> str | None:
    record = index.data(RecordRole)
    return getattr(record, "id", None)


class ObservableMarkers:
    """Observable id -> the other cases holding its value, for one case."""

    def __init__(self, store: Store, case_id: str) -> None:
        self.store, self.case_id = store, case_id
        self.related: dict[str, list[str]] = {}
        self.titles: dict[str, str] = {}
        self.refresh()

    def refresh(self) -> None:
        self.related = related_observables(self.store, self.case_id)
        others = sorted({c for cases in self.related.values() for c in cases})
        self.titles = {c: self.store.get_case(c).title for c in others}

    def cases(self, observable_id: str | None) -> list[str]:
        return self.related.get(observable_id or "", [])


class RelatedMarkerDelegate(QStyledItemDelegate):
    """Paints the marker in cells of observables held elsewhere; a click on it opens the case."""

    caseActivated = Signal(str)

    def __init__(self, markers: ObservableMarkers, parent: QObject | None = None,
                 id_of: Callable[[QModelIndex], str | None] = record_id) -> None:
        super().__init__(parent)
        self.markers, self.id_of = markers, id_of

    def marker_rect(self, option: QStyleOptionViewItem, index: QModelIndex) -> QRect | None:
        cases = self.markers.cases(self.id_of(index))
        if not cases:
            return None
        width = option.fontMetrics.horizontalAdvance(self.marker_text(cases)) + 10
        rect = option.rect
        return QRect(rect.right() - width, rect.top() + 2, width, rect.height() - 4)

    @staticmethod
    def marker_text(cases: list[str]) -> str:
        return f"↔ {len(cases)}"

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        """Room for the value and its marker, so fitting the column to its contents shows both."""
        size = super().sizeHint(option, index)
        cases = self.markers.cases(self.id_of(index))
        if cases:
            size.setWidth(size.width() + option.fontMetrics.horizontalAdvance(self.marker_text(cases)) + 10 + GAP)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        rect = self.marker_rect(option, index)
        if rect is None:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)  # the value elides before the marker, never under it
        self.initStyleOption(item, index)
        room = option.rect.width() - rect.width() - GAP
        item.text = item.fontMetrics.elidedText(item.text, Qt.TextElideMode.ElideRight, max(room, 0))
        style = item.widget.style() if item.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        painter.save()
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight))
        painter.drawRoundedRect(rect, 6, 6)
        painter.setPen(palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.HighlightedText))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.marker_text(self.markers.cases(self.id_of(index))))
        painter.restore()

    def helpEvent(self, event, view, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        rect = self.marker_rect(option, index)
        if rect is not None and rect.contains(event.pos()):
            titles = [self.markers.titles.get(c, c) for c in self.markers.cases(self.id_of(index))]
            QToolTip.showText(event.globalPos(), "Also in:\n" + "\n".join(titles) + "\n(click to open)", view)
            return True
        return super().helpEvent(event, view, option, index)

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect = self.marker_rect(option, index)
            if rect is not None and rect.contains(event.position().toPoint()):
                self.caseActivated.emit(self.markers.cases(self.id_of(index))[0])
                return True
        return super().editorEvent(event, model, option, index)
