"""Build the default briefing template, resources/briefing/briefing-template.docx.

The template is generated rather than drawn by hand so its styles are reviewable in code and
rebuilt identically. It starts from python-docx's own template (which has Word's built-in
styles) and sets the look of a government briefing note: A4, Arial (Liberation Sans where Arial
is absent), navy headings, and the extra styles briefings name (``rrmdesk.briefing.template.Style``).

    .venv/bin/python packaging/build_briefing_template.py
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rrmdesk.briefing.template import DEFAULT_TEMPLATE, Style  # noqa: E402

FONT = "Arial"
MONO = "Courier New"
NAVY = RGBColor(0x1F, 0x2A, 0x44)
GREY = RGBColor(0x55, 0x5B, 0x66)
BLACK = RGBColor(0x1A, 0x1A, 0x1A)


def _font(style, size: float, bold: bool = False, italic: bool = False, colour: RGBColor = BLACK,
          name: str | None = None) -> None:
    """Size, weight and colour; a font name only where given, so other styles follow Normal's
    font, in this template and when copied into a ministry's template that lacks them."""
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = colour
    if name is None:
        return
    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)


def _spacing(style, before: float = 0, after: float = 6, line: float | None = None) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def _border(style, side: str, size: int, colour: str, space: int = 4) -> None:
    p_pr = style.element.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        p_pr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), colour)
    borders.append(edge)


def _clear_borders(style) -> None:
    p_pr = style.element.get_or_add_pPr()
    for borders in p_pr.findall(qn("w:pBdr")):
        p_pr.remove(borders)


def _shade(style, fill: str) -> None:
    p_pr = style.element.get_or_add_pPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    p_pr.append(shading)


def _paragraph_style(document, name: str, base: str = "Normal"):
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def build(destination: Path) -> None:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.4), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.0)

    styles = document.styles
    normal = styles[Style.NORMAL]
    _font(normal, 10.5, name=FONT)
    _spacing(normal, after=6, line=1.12)

    title = styles[Style.TITLE]
    _font(title, 20, bold=True, colour=NAVY, name=FONT)
    _clear_borders(title)
    _spacing(title, before=6, after=4, line=1.0)
    title.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern"):
        for node in title.element.rPr.findall(qn(tag)):
            title.element.rPr.remove(node)

    subtitle = styles[Style.SUBTITLE]
    _font(subtitle, 12, colour=GREY, name=FONT)
    _spacing(subtitle, after=12)

    for name, size, before in ((Style.HEADING_1, 14, 16), (Style.HEADING_2, 12, 12), (Style.HEADING_3, 10.5, 8)):
        heading = styles[name]
        _font(heading, size, bold=True, colour=NAVY, italic=name == Style.HEADING_3, name=FONT)
        _spacing(heading, before=before, after=4, line=1.0)
        heading.paragraph_format.keep_with_next = True
    _border(styles[Style.HEADING_1], "bottom", 6, "1F2A44", space=2)

    caption = styles[Style.CAPTION]
    _font(caption, 9, italic=True, colour=GREY)
    _spacing(caption, before=2, after=10)

    _font(styles[Style.BULLET], 10.5)
    _spacing(styles[Style.BULLET], after=3, line=1.12)
    for name in (Style.HEADER, Style.FOOTER):
        _font(styles[name], 8.5, colour=GREY)
    toc_heading = styles[Style.TOC_HEADING]
    _font(toc_heading, 12, bold=True, colour=NAVY, name=FONT)
    _spacing(toc_heading, before=12, after=6)

    text_width = section.page_width - section.left_margin - section.right_margin
    for name, indent in ((Style.TOC_1, 0.0), (Style.TOC_2, 0.5)):
        toc = _paragraph_style(document, name)
        toc.element.set(qn("w:styleId"), name.replace(" ", "").upper())
        toc.paragraph_format.left_indent = Cm(indent)
        toc.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        _font(toc, 10.5, bold=name == Style.TOC_1)
        _spacing(toc, before=3 if name == Style.TOC_1 else 0, after=1, line=1.0)

    marking = _paragraph_style(document, Style.MARKING)
    _font(marking, 9, bold=True)
    marking.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(marking, after=0, line=1.0)

    bluf = _paragraph_style(document, Style.BLUF)
    _font(bluf, 11)
    _border(bluf, "left", 24, "1F2A44", space=8)
    _shade(bluf, "EEF1F6")
    bluf.paragraph_format.left_indent = Cm(0.3)
    _spacing(bluf, before=0, after=0, line=1.15)

    judgment = _paragraph_style(document, Style.JUDGMENT)
    judgment.paragraph_format.left_indent = Cm(0.75)
    judgment.paragraph_format.first_line_indent = Cm(-0.75)
    _spacing(judgment, before=2, after=4, line=1.12)

    note = _paragraph_style(document, Style.NOTE)
    _font(note, 9, italic=True, colour=GREY)
    _spacing(note, before=2, after=8)

    label = _paragraph_style(document, Style.LABEL)
    _font(label, 9, bold=True, colour=GREY)
    _spacing(label, after=0, line=1.0)

    table_text = _paragraph_style(document, Style.TABLE_TEXT)
    _font(table_text, 8.5)
    _spacing(table_text, after=0, line=1.0)
    table_heading = _paragraph_style(document, Style.TABLE_HEADING, base=Style.TABLE_TEXT)
    _font(table_heading, 8.5, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))

    hash_style = _paragraph_style(document, Style.HASH, base=Style.TABLE_TEXT)
    _font(hash_style, 6.5, name=MONO)

    figure = _paragraph_style(document, Style.FIGURE)
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    _spacing(figure, before=6, after=0, line=1.0)

    properties = document.core_properties
    for name in ("author", "last_modified_by", "title", "subject", "keywords", "comments", "category"):
        setattr(properties, name, "")
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    properties.created = properties.modified = moment
    properties.revision = 1

    destination.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(destination))


if __name__ == "__main__":
    target = REPO / "resources" / Path(*DEFAULT_TEMPLATE)
    build(target)
    print(target)
