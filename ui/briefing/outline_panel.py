"""The Briefing dialog's live outline: the sections the document will hold, and what is left out.

It only shows a ``Survey`` (worked out on a worker) through ``outline_rows``; switching the
language or a section re-draws it at once, without reading the cases again.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .. import tlp
from .outline import Survey, excluded_text, outline_rows

COLUMNS = ("Section", "What it will hold", "Marking")


class OutlinePanel(QWidget):
    """A three-column list (heading, contents, strictest marking) and the note on exclusions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Outline")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.state = QLabel()
        self.state.setObjectName("outlineState")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Outline state")
        self.excluded = QLabel()
        self.excluded.setObjectName("excludedNote")
        self.excluded.setWordWrap(True)
        self.excluded.setTextFormat(Qt.TextFormat.PlainText)
        self.excluded.setAccessibleName("Left out at this marking")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.excluded)

    def show_pending(self, text: str) -> None:
        """Say the outline is being worked out (or why it cannot be) while keeping the last one."""
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def show_survey(self, survey: Survey | None, language: str, without: Iterable[str]) -> None:
        self.tree.clear()
        self.excluded.clear()
        self.excluded.hide()
        if survey is None:
            return
        if survey.refusal:
            self.show_pending(survey.refusal)
            return
        self.show_pending("")
        for row in outline_rows(survey, language, without):
            item = QTreeWidgetItem([row.heading, row.holds, tlp.label(row.marking) if row.marking else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, row.name)
            item.setToolTip(1, row.holds)
            if row.name == "title":
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            if row.marking:
                item.setForeground(2, QBrush(QColor(tlp.colour(row.marking))))
                item.setBackground(2, QBrush(QColor(tlp.BACKGROUND)))
                font = item.font(2)
                font.setBold(True)
                item.setFont(2, font)
            self.tree.addTopLevelItem(item)
        if survey.excluded is not None and survey.excluded.total:
            self.excluded.setText(
                f"⚠ Marked above {tlp.label(survey.marking)} and left out: {excluded_text(survey.excluded)}. "
                "This note is for you; it is never printed in the briefing.")
            self.excluded.show()

    def rows(self) -> list[tuple[str, str, str]]:
        """(heading, contents, marking) of every line shown, for tests and accessibility checks."""
        return [tuple(self.tree.topLevelItem(i).text(c) for c in range(len(COLUMNS)))  # type: ignore[misc]
                for i in range(self.tree.topLevelItemCount())]
