"""Ministry templates are honoured; unusable ones fall back with a warning, never a crash."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.shared import Pt

from rrmdesk.briefing import BriefingOptions, build_briefing
from rrmdesk.briefing.template import PARAGRAPH_STYLES, open_template


def ministry_template(sample_text: str = "Delete this sample paragraph") -> bytes:
    """A ministry's own template: Georgia body text, a letterhead in the header, sample content."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Georgia"
    document.styles["Normal"].font.size = Pt(12)
    document.sections[0].header.paragraphs[0].text = "Ministry of Foreign Affairs \u2014 Policy Branch"
    document.add_paragraph(sample_text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_dotx(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                body = body.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            target.writestr(item, body)
    return out.getvalue()


def test_default_template_has_every_style_briefings_use():
    template = open_template()
    assert template.warnings == []
    names = {s.name for s in template.document.styles}
    assert set(PARAGRAPH_STYLES) <= names
    assert len(template.document.element.body) == 1  # only the section properties


def test_ministry_template_styles_and_letterhead_are_kept(store, doppelganger):
    case, _ = doppelganger
    options = BriefingOptions(template=ministry_template(), classification="UNCLASSIFIED")
    briefing = build_briefing(store, [case.id], options)
    assert len(briefing.warnings) == 1
    assert "lacks the styles" in briefing.warnings[0] and "BLUF" in briefing.warnings[0]
    assert "Heading 1" not in briefing.warnings[0]
    document = docx.Document(io.BytesIO(briefing.data))
    assert document.styles["Normal"].font.name == "Georgia"
    assert document.styles["Normal"].font.size == Pt(12)
    header = [p.text for p in document.sections[0].header.paragraphs]
    assert header[0].startswith("UNCLASSIFIED") and "Ministry of Foreign Affairs \u2014 Policy Branch" in header
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Delete this sample paragraph" not in body
    assert "Bottom line up front" in body
    assert [p.style.name for p in document.paragraphs if p.text == "Bottom line up front"] == ["toc 1", "Heading 1"]
    assert any(p.style.name == "BLUF" for p in document.paragraphs)


def test_a_dotx_template_is_accepted(store, doppelganger):
    case, _ = doppelganger
    briefing = build_briefing(store, [case.id], BriefingOptions(template=as_dotx(ministry_template())))
    assert not any("cannot be used" in w for w in briefing.warnings)
    assert docx.Document(io.BytesIO(briefing.data)).styles["Normal"].font.name == "Georgia"


def test_unusable_templates_fall_back_to_the_default(store, doppelganger, tmp_path):
    case, _ = doppelganger
    text_file = tmp_path / "ministry.docx"
    text_file.write_text("not a Word file")
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a Word document")
    spreadsheet_like = tmp_path / "budget.docx"
    spreadsheet_like.write_bytes(other_zip.getvalue())
    for source, reason in ((text_file, "not a .docx file"), (spreadsheet_like, "not a .docx file"),
                           (tmp_path / "missing.docx", "No such file or directory"), (tmp_path, "Is a directory")):
        briefing = build_briefing(store, [case.id], BriefingOptions(template=source))
        assert len(briefing.warnings) == 1, source
        assert "cannot be used as a Word template" in briefing.warnings[0]
        assert reason in briefing.warnings[0]
        assert "the default template was used" in briefing.warnings[0]
        document = docx.Document(io.BytesIO(briefing.data))
        assert document.styles["Normal"].font.name == "Arial"
        assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"][0] == "Bottom line up front"


def test_first_page_and_even_page_headers_are_marked_too(store, doppelganger):
    case, _ = doppelganger
    document = docx.Document()
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Cover letterhead"
    document.settings.odd_and_even_pages_header_footer = True
    out = io.BytesIO()
    document.save(out)
    briefing = build_briefing(store, [case.id], BriefingOptions(template=out.getvalue(), classification="PROTECTED A"))
    result = docx.Document(io.BytesIO(briefing.data))
    for section in result.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            assert part.paragraphs[0].text.startswith("PROTECTED A") and "TLP:GREEN" in part.paragraphs[0].text
        for part in (section.footer, section.first_page_footer, section.even_page_footer):
            assert "TLP:GREEN" in part.paragraphs[-1].text
    assert "Cover letterhead" in [p.text for p in result.sections[0].first_page_header.paragraphs]
