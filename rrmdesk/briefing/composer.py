"""Writing styled blocks (headings, tables, figures, notes) into the briefing document.

Sections say what to write; the composer says how, with the template's named styles only, so a
ministry template restyles everything. Tables are built row by row with the header row repeated
on every page, which is what keeps a long annex readable once printed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table
from docx.text.paragraph import Paragraph

from .language import Wording
from .markings import add_bookmark
from .template import Style

HEADER_FILL = "1F2A44"
STRIPE_FILL = "F3F5F8"


class Composer:
    """The briefing's pen: one document, one language."""

    def __init__(self, document: Document, wording: Wording) -> None:
        self.document = document
        self.wording = wording
        self.figure_count = 0
        #: (level, text, bookmark) of every level 1-2 heading, for the table of contents
        self.headings: list[tuple[int, str, str]] = []
        self.contents_anchor: Paragraph | None = None
        self._style_ids: dict[str, str] = {}

    def style(self, paragraph: Paragraph, name: str) -> Paragraph:
        """Give ``paragraph`` the named style.

        python-docx looks a style name up by scanning every style on each assignment, which
        made long tables slow; the id is looked up once per name instead.
        """
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        paragraph._p.style = self._style_ids[name]
        return paragraph

    def add(self, text: str = "", style: str = Style.NORMAL) -> Paragraph:
        return self.style(self.document.add_paragraph(text), style)

    @property
    def text_width_cm(self) -> float:
        section = self.document.sections[-1]
        return (section.page_width - section.left_margin - section.right_margin) / 360000

    def heading(self, text: str, level: int = 1) -> Paragraph:
        paragraph = self.add(text, (Style.HEADING_1, Style.HEADING_2, Style.HEADING_3)[level - 1])
        if level <= 2:
            bookmark = f"_Toc{len(self.headings) + 1:06d}"
            add_bookmark(paragraph, bookmark, len(self.headings) + 1)
            self.headings.append((level, text, bookmark))
        return paragraph

    def paragraph(self, text: str = "", style: str = Style.NORMAL) -> Paragraph:
        return self.add(text, style)

    def labelled(self, key: str, text: str, style: str = Style.NORMAL) -> Paragraph:
        """A paragraph that opens with a bold label ("Basis: …"), ``key`` naming the label."""
        paragraph = self.add(style=style)
        paragraph.add_run(self.wording.label(key)).bold = True
        paragraph.add_run(text)
        return paragraph

    def bullet(self, text: str = "", lead: str = "") -> Paragraph:
        """A bulleted paragraph, optionally opening with ``lead`` in bold."""
        paragraph = self.add(style=Style.BULLET)
        if lead:
            paragraph.add_run(lead).bold = True
            if text:
                paragraph.add_run(" " + text)
        else:
            paragraph.add_run(text)
        return paragraph

    def note(self, text: str) -> Paragraph:
        return self.add(text, Style.NOTE)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], widths_cm: Sequence[float],
              mono_columns: Sequence[int] = ()) -> Table:
        """A full-width table with a repeated, shaded header row and light row stripes.

        ``widths_cm`` are relative; they are scaled to the text width of the current section.
        """
        scale = self.text_width_cm / sum(widths_cm)
        widths = [Cm(w * scale) for w in widths_cm]
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = Style.TABLE
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = width
        _cell_padding(table)
        header = table.rows[0]
        _repeat_as_header(header)
        for cell, text, width in zip(header.cells, headers, widths):
            cell.width = width
            _shade(cell, HEADER_FILL)
            self.style(cell.paragraphs[0], Style.TABLE_HEADING).add_run(text)
        for number, values in enumerate(rows):
            row = table.add_row()
            _keep_row_together(row)
            for column, (cell, text, width) in enumerate(zip(row.cells, values, widths)):
                cell.width = width
                if number % 2:
                    _shade(cell, STRIPE_FILL)
                self.style(cell.paragraphs[0], Style.HASH if column in mono_columns else Style.TABLE_TEXT).add_run(text)
        self.add(style=Style.TABLE_TEXT)  # breathing space after the table
        return table

    def figure(self, png: bytes | None, caption: str, missing: str = "", width_cm: float | None = None) -> None:
        """The figure and its numbered caption, or the ``missing`` text (if any) in its place."""
        if png is None:
            if missing:
                self.note(missing)
            return
        self.figure_count += 1
        holder = self.add(style=Style.FIGURE)
        holder.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm or self.text_width_cm))
        self.add(caption.format(number=self.figure_count), Style.CAPTION)

    def new_page_section(self) -> None:
        """Start a new section on a new page (annexes); it inherits the page setup and markings."""
        self.document.add_section(WD_SECTION.NEW_PAGE)

    def page_break(self) -> None:
        self.document.add_page_break()


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _cell_padding(table: Table, vertical_twips: int = 30, horizontal_twips: int = 85) -> None:
    """A little air above and below cell text; Word's default of none looks cramped in print."""
    margins = OxmlElement("w:tblCellMar")
    for side, size in (("top", vertical_twips), ("left", horizontal_twips), ("bottom", vertical_twips),
                       ("right", horizontal_twips)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(size))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _keep_row_together(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    properties.append(element)
