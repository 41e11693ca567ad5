"""The Word template a briefing is written into: the shipped default or the ministry's own.

A ministry's template carries its fonts, colours, logo and page layout; our content only names
styles, so it takes the ministry's look. A template that cannot be used (not a Word file, or
missing styles we name) must never stop an analyst from producing a briefing: the default
template, or the default definition of each missing style, is used instead and a warning says so.
"""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn

from ..errors import FormatError
from ..resources import resource_path

DEFAULT_TEMPLATE = ("briefing", "briefing-template.docx")
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024


class Style:
    """Names of the styles briefings use; a ministry template should define them."""

    NORMAL = "Normal"
    TITLE = "Title"
    SUBTITLE = "Subtitle"
    HEADING_1 = "Heading 1"
    HEADING_2 = "Heading 2"
    HEADING_3 = "Heading 3"
    CAPTION = "Caption"
    BULLET = "List Bullet"
    HEADER = "Header"
    FOOTER = "Footer"
    TOC_HEADING = "TOC Heading"
    TOC_1 = "toc 1"  # Word's own (internal) names, so Word's TOC update uses them
    TOC_2 = "toc 2"
    MARKING = "Marking"
    BLUF = "BLUF"
    JUDGMENT = "Judgment"
    NOTE = "Note"
    LABEL = "Label"
    TABLE_TEXT = "Table Text"
    TABLE_HEADING = "Table Heading"
    HASH = "Hash"
    FIGURE = "Figure"
    TABLE = "Table Grid"


PARAGRAPH_STYLES = (
    Style.NORMAL, Style.TITLE, Style.SUBTITLE, Style.HEADING_1, Style.HEADING_2, Style.HEADING_3,
    Style.CAPTION, Style.BULLET, Style.HEADER, Style.FOOTER, Style.TOC_HEADING, Style.TOC_1, Style.TOC_2,
    Style.MARKING,
    Style.BLUF, Style.JUDGMENT, Style.NOTE, Style.LABEL, Style.TABLE_TEXT, Style.TABLE_HEADING,
    Style.HASH, Style.FIGURE,
)
TABLE_STYLES = (Style.TABLE,)
CHARACTER_STYLES = ("Strong",)


@dataclass
class Template:
    """An opened template with its body emptied, and what had to be replaced to use it."""

    document: Document
    warnings: list[str] = field(default_factory=list)


def open_template(source: Path | bytes | None = None) -> Template:
    """Open ``source`` (a path or the bytes of a .docx/.dotx), or the default when None.

    Never raises for a bad user template: it falls back and records a warning instead.
    """
    if source is None:
        return Template(_clear_body(_load_default()))
    name = source.name if isinstance(source, Path) else "the template"
    try:
        data = _read(source)
        document = docx.Document(io.BytesIO(_as_document_package(data)))
    except Exception as exc:  # noqa: BLE001 - whatever is wrong with it, the analyst still gets a briefing
        reason = exc.message if isinstance(exc, FormatError) else _reason(exc)
        return Template(_clear_body(_load_default()),
                        [f"{name} cannot be used as a Word template ({reason}); the default template was used"])
    template = Template(_clear_body(document))
    missing = _add_missing_styles(document)
    if missing:
        template.warnings.append(
            f"{name} lacks the styles {', '.join(missing)}; RRM Desk's default look was used for them"
        )
    return template


def _reason(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return "not a .docx file"
    if isinstance(exc, OSError):
        return exc.strerror or "cannot be read"
    return "not a .docx file" if "content type" not in str(exc) else "not a Word document"


def _read(source: Path | bytes) -> bytes:
    if isinstance(source, bytes):
        data = source
    else:
        if source.stat().st_size > MAX_TEMPLATE_BYTES:
            raise FormatError("it is larger than 50 MB")
        data = source.read_bytes()
    if not data.startswith(b"PK"):
        raise FormatError("not a .docx file")
    return data


def _as_document_package(data: bytes) -> bytes:
    """A .dotx is a .docx with another main content type; python-docx opens only the latter."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
        template_type = b"wordprocessingml.template.main+xml"
        if template_type not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
            for item in archive.infolist():
                body = archive.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    body = body.replace(template_type, b"wordprocessingml.document.main+xml")
                rewritten.writestr(item, body)
        return out.getvalue()


def _load_default() -> Document:
    path = resource_path(*DEFAULT_TEMPLATE)
    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any failure here is a broken installation
        raise FormatError(f"the default briefing template {path} cannot be opened",
                          "reinstall RRM Desk, or rebuild it with packaging/build_briefing_template.py") from exc


def _clear_body(document: Document) -> Document:
    """Remove the template's sample text but keep its page setup, headers and footers."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _style_names(document: Document) -> set[str]:
    return {style.name for style in document.styles}


def _add_missing_styles(document: Document) -> list[str]:
    """Copy the default definition of each style the template lacks; return their names."""
    present = _style_names(document)
    wanted = [*PARAGRAPH_STYLES, *TABLE_STYLES, *CHARACTER_STYLES]
    missing = [name for name in wanted if name not in present]
    if not missing:
        return []
    default = _load_default()
    by_name = {style.name: style for style in default.styles}
    by_id = {style.style_id: style for style in default.styles}
    styles_element = document.styles.element
    copied: set[str] = set()

    def copy_style(name: str) -> None:
        if name in copied or name in present or name not in by_name:
            return
        element = copy.deepcopy(by_name[name].element)
        based_on = element.find(qn("w:basedOn"))
        if based_on is not None and based_on.get(qn("w:val")) in by_id:
            copy_style(by_id[based_on.get(qn("w:val"))].name)
        numbering = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if numbering is not None:  # the template's numbering ids mean nothing here
            numbering.getparent().remove(numbering)
        styles_element.append(element)
        copied.add(name)

    for name in missing:
        copy_style(name)
    return missing
