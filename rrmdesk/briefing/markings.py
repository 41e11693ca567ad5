"""Markings and fields: the banner on every page, "Page X of Y", the table of contents, properties.

A printed page that leaves the folder must still say how it may be handled, so the banner
(classification text and the TLP label in its colours) goes in the header AND the footer of every
section, including a ministry template's first-page and even-page variants. Page numbers and the
table of contents are Word fields, computed by Word or LibreOffice when the document is laid out.
"""

from __future__ import annotations

from datetime import datetime

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

from ..clock import to_datetime
from .language import Wording
from .template import Style

#: TLP 2.0 label colours (FIRST): coloured text on a black background.
TLP_COLOUR = {
    "clear": "FFFFFF",
    "green": "33FF00",
    "amber": "FFC000",
    "amber+strict": "FFC000",
    "red": "FF2B2B",
}


MAX_PROPERTY = 255


def tlp_label(tlp: str) -> str:
    return f"TLP:{tlp.upper()}"


def banner_text(classification: str, tlp: str) -> str:
    """The banner as plain text, as it reads in the document and in tests."""
    return "  ".join(part for part in (classification.strip(), tlp_label(tlp)) if part)


def add_banner(paragraph: Paragraph, classification: str, tlp: str) -> None:
    """Write the classification (bold) and the TLP label in its colours into ``paragraph``."""
    paragraph.style = Style.MARKING
    if classification.strip():
        paragraph.add_run(classification.strip()).bold = True
        paragraph.add_run("  ")
    label = paragraph.add_run(f"\u00a0{tlp_label(tlp)}\u00a0")
    label.bold = True
    label.font.color.rgb = RGBColor.from_string(TLP_COLOUR[tlp])
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), "000000")
    label._r.get_or_add_rPr().append(shading)


def _char(paragraph: Paragraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(element)


def _instruction(paragraph: Paragraph, instruction: str) -> None:
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    paragraph.add_run()._r.append(text)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC…) with ``shown`` as its text until it is updated."""
    _char(paragraph, "begin")
    _instruction(paragraph, instruction)
    _char(paragraph, "separate")
    paragraph.add_run(shown)
    _char(paragraph, "end")


def _page_numbers(paragraph: Paragraph, wording: Wording) -> None:
    paragraph.style = Style.FOOTER
    paragraph.alignment = 1  # centred
    paragraph.add_run(wording["page_prefix"])
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(wording["page_middle"])
    add_field(paragraph, "NUMPAGES", "1")


def mark_sections(document: Document, classification: str, tlp: str, wording: Wording) -> None:
    """Put the banner at the top of every header and the foot of every footer, with page numbers.

    The template's own header and footer content (a ministry's logo, its address line) is kept;
    the banner is added around it.
    """
    odd_even = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        headers = [section.header]
        footers = [section.footer]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
            footers.append(section.first_page_footer)
        if odd_even:
            headers.append(section.even_page_header)
            footers.append(section.even_page_footer)
        for header in headers:
            header.is_linked_to_previous = False
            first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            banner = first if not first.text.strip() and not _has_drawing(first) else first.insert_paragraph_before()
            add_banner(banner, classification, tlp)
        for footer in footers:
            footer.is_linked_to_previous = False
            last = footer.paragraphs[-1] if footer.paragraphs else footer.add_paragraph()
            pages = last if not last.text.strip() and not _has_drawing(last) else footer.add_paragraph()
            _page_numbers(pages, wording)
            add_banner(footer.add_paragraph(), classification, tlp)


def _has_drawing(paragraph: Paragraph) -> bool:
    return bool(paragraph._p.xpath(".//w:drawing | .//w:pict"))


def add_contents(document: Document, wording: Wording) -> Paragraph:
    """The heading of the table of contents and a paragraph where ``fill_contents`` puts it."""
    document.add_paragraph(wording["contents"], style=Style.TOC_HEADING)
    return document.add_paragraph(style=Style.TOC_1)


def fill_contents(anchor: Paragraph, entries: list[tuple[int, str, str]], wording: Wording, deepest: int = 2) -> None:
    """A TOC field whose shown result already lists ``entries`` (level, text, bookmark) as links.

    Page numbers need a layout: Word computes them when it updates the field, which the
    document asks for on opening (``w:updateFields``). LibreOffice shows a TOC field's stored
    result as it is and ignores page references nested in it, so the stored result lists the
    sections without numbers rather than with wrong ones.
    """
    instruction = f'TOC \\o "1-{deepest}" \\h \\z \\u'
    entries = [entry for entry in entries if entry[0] <= deepest]
    if not entries:
        add_field(anchor, instruction, wording["toc_placeholder"])
        return
    _char(anchor, "begin")
    _instruction(anchor, instruction)
    _char(anchor, "separate")
    paragraph = anchor
    for number, (level, text, bookmark) in enumerate(entries):
        style = Style.TOC_1 if level == 1 else Style.TOC_2
        if number:
            paragraph = _paragraph_after(paragraph, style)
        else:
            paragraph.style = style
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        paragraph._p.append(link)
        Paragraph(link, paragraph._parent).add_run(text)
    _char(paragraph, "end")
    _update_fields_on_open(anchor.part.document)


def _update_fields_on_open(document: Document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        element = OxmlElement("w:updateFields")
        element.set(qn("w:val"), "true")
        settings.append(element)


def _paragraph_after(paragraph: Paragraph, style: str) -> Paragraph:
    element = OxmlElement("w:p")
    paragraph._p.addnext(element)
    created = Paragraph(element, paragraph._parent)
    created.style = style
    return created


def add_bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Mark the whole paragraph as bookmark ``name`` (for the contents' page numbers and links)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def set_properties(document: Document, *, title: str, author: str, subject: str, keywords: list[str],
                   language: str, category: str, produced: str) -> None:
    """Core properties a records system indexes; the template's own values are replaced."""
    properties = document.core_properties
    properties.title = _fit(title)
    properties.author = _fit(author)
    properties.last_modified_by = _fit(author)
    properties.subject = _fit(subject)
    properties.keywords = _fit("; ".join(keywords))
    properties.category = _fit(category)
    properties.language = {"en": "en-CA", "fr": "fr-CA"}[language]
    properties.comments = ""
    moment: datetime = to_datetime(produced)
    properties.created = properties.modified = moment
    properties.revision = 1
    _set_proofing_language(document, properties.language)


def _fit(text: str, limit: int = MAX_PROPERTY) -> str:
    """Core properties hold at most 255 characters (python-docx enforces the OOXML limit)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _set_proofing_language(document: Document, tag: str) -> None:
    """Spell-checking in Word and LibreOffice follows the document's default language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is None:
        return
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)
