"""The Briefing dialog's live outline: the sections the document will hold, and what is left out.

It only shows a ``Survey`` (worked out on a worker) through ``outline_rows``; switching the
language or a section re-draws it at once, without reading the cases again. It is rich text in a
read-only browser rather than a table view, because the lines must wrap: a case title or a
"25 of 58 actors…" line cut with an ellipsis hides exactly what the analyst is checking.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from .. import tlp
from .outline import OutlineRow, Survey, excluded_text, outline_rows

COLUMNS = ("Section", "What it will hold", "Marking")


def _cell_marking(marking: str | None) -> str:
    """The marking as its badge (coloured on black, as ``tlp.TlpBadge``), or an empty cell."""
    if not marking:
        return "<td></td>"
    return (f'<td style="white-space: nowrap"><span style="background-color: {tlp.BACKGROUND}; '
            f'color: {tlp.COLOURS[marking]}; font-weight: bold">&nbsp;{html.escape(tlp.label(marking))}&nbsp;'
            "</span></td>")


def rows_html(rows: list[OutlineRow]) -> str:
    """The outline as an HTML table: heading, what the section holds, its strictest marking."""
    head = "".join(f'<th align="left">{name}</th>' for name in COLUMNS)
    body = []
    for row in rows:
        heading = html.escape(row.heading)
        if row.name == "title":
            heading = f"<b>{heading.upper()}</b>"
        body.append(f'<tr><td style="white-space: nowrap">{heading}</td><td>{html.escape(row.holds)}</td>'
                    f"{_cell_marking(row.marking)}</tr>")
    return (f'<table width="100%" cellspacing="0" cellpadding="4"><tr>{head}</tr>{"".join(body)}</table>')


class OutlinePanel(QWidget):
    """The outline (heading, contents, strictest marking), its state and the note on exclusions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QTextBrowser()
        self.view.setAccessibleName("Outline")
        self.view.setOpenLinks(False)
        self._rows: list[OutlineRow] = []
        self.state = QLabel()
        self.state.setObjectName("outlineState")
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Outline state")
        self.excluded = QLabel()
        self.excluded.setObjectName("excludedNote")
        self.excluded.setWordWrap(True)
        self.excluded.setTextFormat(Qt.TextFormat.PlainText)
        self.excluded.setAccessibleName("Left out at this marking")
        self.excluded.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.state)
        layout.addWidget(self.excluded)

    def show_pending(self, text: str) -> None:
        """Say the outline is being worked out (or why it cannot be) while keeping the last one."""
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def show_survey(self, survey: Survey | None, language: str, without: Iterable[str]) -> None:
        self._rows = []
        self.excluded.clear()
        self.excluded.hide()
        if survey is not None and survey.refusal:
            self.show_pending(survey.refusal)
        elif survey is not None:
            self.show_pending("")
            self._rows = outline_rows(survey, language, without)
            if survey.excluded is not None and survey.excluded.total:
                whole = "".join(f"\nLeft out whole: {title}" for title in survey.withheld)
                self.excluded.setText(
                    f"⚠ Marked above {tlp.label(survey.marking)} and left out: {excluded_text(survey.excluded)}.{whole}\n"
                    "This note is for you; it is never printed in the briefing.")
                self.excluded.show()
        self.view.setHtml(rows_html(self._rows) if self._rows else "")

    def rows(self) -> list[tuple[str, str, str]]:
        """(heading, contents, marking) of every line shown, as the analyst reads them."""
        return [(row.heading, row.holds, tlp.label(row.marking) if row.marking else "") for row in self._rows]
