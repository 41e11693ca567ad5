"""``rrmdesk brief`` end to end on a real keyring workspace."""

from __future__ import annotations

import docx

from rrmdesk.cli import main


def test_brief_writes_the_docx_and_notes_exclusions_on_stderr(store, doppelganger, tmp_path, capsys):
    case, _ = doppelganger
    target = tmp_path / "briefing.docx"
    assert main(["brief", case.id, "-o", str(target), "--lang", "fr", "--classification", "NON CLASSIFIÉ",
                 "--no-lessons", "--no-sources"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == str(target)
    assert "4 items marked above TLP:GREEN left out" in err
    document = docx.Document(str(target))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Leçons retenues" not in headings and "Annexe B : Sources" not in headings
    assert "Chronologie" in headings
    assert "NON CLASSIFIÉ" in document.sections[0].header.paragraphs[0].text
    assert document.core_properties.author == "test-analyst"
    assert [e.action for e in store.audit_entries(case.id)][-1] == "brief"


def test_brief_refuses_to_overwrite_and_bad_names(store, doppelganger, tmp_path, capsys):
    case, _ = doppelganger
    target = tmp_path / "briefing.docx"
    target.write_bytes(b"keep me")
    assert main(["brief", case.id, "-o", str(target)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_bytes() == b"keep me"
    assert main(["brief", case.id, "-o", str(target), "--force", "--tlp", "red"]) == 0
    assert target.read_bytes().startswith(b"PK")
    assert capsys.readouterr().err == ""  # nothing left out at TLP:RED
    assert main(["brief", case.id, "-o", str(tmp_path / "briefing.pdf")]) == 1
    assert "does not end in .docx" in capsys.readouterr().err
    assert main(["brief", case.id, "-o", str(tmp_path / "x.docx"), "--tlp", "clear"]) == 1
    assert "above TLP:CLEAR" in capsys.readouterr().err
    assert main(["brief", "case--3fa85f64-5717-4562-b3fc-2c963f66afa6", "-o", str(tmp_path / "x.docx")]) == 1
    assert "no case with id case--3fa85f64" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_bad_template_falls_back_with_a_warning(store, doppelganger, tmp_path, capsys):
    case, _ = doppelganger
    template = tmp_path / "ministry.docx"
    template.write_text("this is not a Word file")
    target = tmp_path / "briefing.docx"
    assert main(["brief", case.id, "-o", str(target), "--template", str(template)]) == 0
    assert "ministry.docx cannot be used as a Word template (not a .docx file)" in capsys.readouterr().err
    assert docx.Document(str(target)).paragraphs
