"""The briefing's structure, read back with python-docx: sections, tables, markings, properties."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from rrmdesk import Actor, Event, Relationship
from rrmdesk.briefing import SECTIONS, BriefingOptions, build_briefing
from rrmdesk.briefing.content import gather
from rrmdesk.briefing.figures import render_figures
from rrmdesk.briefing.language import Wording
from rrmdesk.briefing.sections import chosen_events
from rrmdesk.errors import Cancelled, UsageError
from rrmdesk.progress import Progress

from .cases import fill_large

EN_HEADINGS = ["Bottom line up front", "Key judgments", "Chronology", "Actors and attribution",
               "DISARM techniques by tactic", "Narratives", "Responses and recommended actions",
               "Lessons learned", "Annex A: Evidence", "Annex B: Sources"]
FR_HEADINGS = ["L'essentiel", "Jugements clés", "Chronologie", "Acteurs et attribution",
               "Techniques DISARM par tactique", "Récits", "Réponses et mesures recommandées",
               "Leçons retenues", "Annexe A : Éléments de preuve", "Annexe B : Sources"]
OPTIONS = BriefingOptions(classification="UNCLASSIFIED", ministry="Global Affairs Canada", analyst="J. Tremblay",
                          date="2024-06-03")


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def headings(document, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def document_xml(data: bytes) -> str:
    """Every XML part of the package, so a test sees text wherever it hides (headers, tables)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml"))


def field_codes(part_element) -> list[str]:
    return [t.text.strip() for t in part_element.iter(qn("w:instrText"))]


def test_english_briefing_has_every_section_in_order(store, doppelganger):
    case, _ = doppelganger
    briefing = build_briefing(store, [case.id], OPTIONS)
    document = read(briefing.data)
    assert headings(document) == EN_HEADINGS
    assert headings(document, 3) == ["TA06 Develop Content", "TA16 Establish Legitimacy", "TA17 Maximise Exposure"]
    assert headings(document, 2) == ["Recommended actions", "Responses under way or completed"]
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == [case.title]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "We assess with high confidence that it is very likely that the Social Design Agency ran" in text
    assert "T0097.202 News Outlet Persona" in text
    assert "3 June 2024" in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)


def test_tables_hold_the_case(store, doppelganger):
    case, _ = doppelganger
    document = read(build_briefing(store, [case.id], OPTIONS).data)
    by_header = {t.rows[0].cells[0].text: t for t in document.tables}
    chronology = by_header["Date (UTC)"]
    assert [r.cells[1].text for r in chronology.rows[1:]] == [
        "Cloned Le Parisien site registered", "First cloned articles on Ukraine aid",
        "Amplification by cluster A on X", "Election narrative pushed before the vote", "Meta removes the network"]
    assert chronology.rows[1].cells[0].text == "10 February 2024\n08:15"
    actors = by_header["Actor"]
    assert "Social Design Agency" in [r.cells[0].text for r in actors.rows]
    responses = [t for t in document.tables if t.rows[0].cells[0].text == "Action"]
    assert any("C00115 Expose actor and intentions" in r.cells[1].text for t in responses for r in t.rows)
    annex = by_header["No."]
    digests = [r.cells[4].text.replace("\n", "") for r in annex.rows[1:]]
    assert any(len(d) == 64 for d in digests)
    assert any("B2 (usually reliable, probably true)" in r.cells[3].text for r in annex.rows)
    assert any("hxxps://about[.]fb[.]com/news" in r.cells[1].text for r in annex.rows)


def test_markings_on_every_section_header_and_footer(store, doppelganger):
    case, _ = doppelganger
    document = read(build_briefing(store, [case.id], dataclasses.replace(OPTIONS, marking="amber+strict")).data)
    assert len(document.sections) == 2  # the annexes start a section on a new page
    for section in document.sections:
        assert "UNCLASSIFIED" in section.header.paragraphs[0].text
        assert "TLP:AMBER+STRICT" in section.header.paragraphs[0].text
        assert "TLP:AMBER+STRICT" in section.footer.paragraphs[-1].text
        codes = field_codes(section.footer._element)
        assert "PAGE" in codes and "NUMPAGES" in codes
        assert "Page" in section.footer.paragraphs[0].text and " of " in section.footer.paragraphs[0].text
    label = [r for r in document.sections[0].header.paragraphs[0].runs if "TLP:" in r.text][0]
    assert str(label.font.color.rgb) == "FFC000"
    assert label._r.rPr.find(qn("w:shd")).get(qn("w:fill")) == "000000"


def test_contents_field_and_properties(store, doppelganger):
    case, _ = doppelganger
    data = build_briefing(store, [case.id], OPTIONS).data
    document = read(data)
    assert any(code.startswith("TOC") for code in field_codes(document.element.body))
    toc = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert toc == EN_HEADINGS
    properties = document.core_properties
    assert properties.title == case.title
    assert properties.author == "J. Tremblay"
    assert properties.subject == "Briefing note \u2014 TLP:GREEN"
    assert "T0049" in properties.keywords and "TLP:GREEN" in properties.keywords
    assert properties.language == "en-CA"


def test_french_briefing(store, doppelganger):
    case, _ = doppelganger
    document = read(build_briefing(store, [case.id], BriefingOptions(language="fr", date="2024-08-01")).data)
    assert headings(document) == FR_HEADINGS
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Nous estimons, avec une confiance élevée, qu'il est très probable que the Social Design Agency" in text
    assert "1er août 2024" in "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Page" in document.sections[0].footer.paragraphs[0].text
    assert " de " in document.sections[0].footer.paragraphs[0].text
    assert document.core_properties.language == "fr-CA"


def test_tlp_discipline_leaves_out_and_counts_restricted_records(store, doppelganger):
    case, _ = doppelganger
    briefing = build_briefing(store, [case.id], OPTIONS)
    xml = document_xml(briefing.data)
    for secret in ("KESTREL", "Tasking meeting", "tasks"):
        assert secret not in xml
    assert dict(briefing.excluded.by_kind) == {"actor": 1, "event": 1, "judgment": 1, "relationship": 1}
    assert "4 items marked above TLP:GREEN" in briefing.note()
    assert "left out" not in xml  # the note is for the analyst, never in the document

    at_red = build_briefing(store, [case.id], BriefingOptions(marking="red"))
    assert "KESTREL" in document_xml(at_red.data)
    assert at_red.excluded.total == 0 and at_red.note() == ""


def test_a_marking_below_every_case_is_refused(store, doppelganger):
    case, _ = doppelganger
    with pytest.raises(UsageError, match="above TLP:CLEAR") as caught:
        build_briefing(store, [case.id], BriefingOptions(marking="clear"))
    assert "--tlp green" in caught.value.hint


def test_sections_can_be_switched_off(store, doppelganger):
    case, _ = doppelganger
    options = BriefingOptions(without=frozenset({"chronology", "evidence", "contents"}))
    document = read(build_briefing(store, [case.id], options).data)
    assert headings(document) == [h for h in EN_HEADINGS if h not in ("Chronology", "Annex A: Evidence")]
    assert not any(code.startswith("TOC") for code in field_codes(document.element.body))
    assert len(document.sections) == 1
    with pytest.raises(UsageError, match="no briefing section called timeline"):
        build_briefing(store, [case.id], BriefingOptions(without=frozenset({"timeline"})))
    assert set(SECTIONS) >= {"bluf", "judgments", "chronology", "actors", "techniques", "narratives",
                             "responses", "lessons", "evidence", "sources"}


def test_several_cases_make_a_situation_report(store, doppelganger):
    case, _ = doppelganger
    other = store.create_case("Spamouflage: pro-PRC comment flooding", tlp="amber", summary="Comment flooding.")
    fill_large(store, other, events=12, actors=6)
    briefing = build_briefing(store, [case.id, other.id], OPTIONS)
    document = read(briefing.data)
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["Situation report: 2 cases"]
    assert briefing.marking == "amber"
    level_two = headings(document, 2)
    assert level_two.count(case.title) >= 3 and level_two.count(other.title) >= 3
    assert [p.text for p in document.paragraphs if p.style.name == "toc 1"] == EN_HEADINGS
    assert not [p for p in document.paragraphs if p.style.name == "toc 2"]
    assert document.core_properties.subject == "Situation report \u2014 TLP:AMBER"


def test_empty_case_still_builds(store):
    case = store.create_case("Nothing recorded yet", tlp="clear")
    document = read(build_briefing(store, [case.id], BriefingOptions()).data)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "No events are recorded at this marking." in text
    assert "No actors are recorded at this marking." in text
    assert headings(document) == EN_HEADINGS
    assert "TLP:CLEAR" in document.sections[0].header.paragraphs[0].text


def test_very_long_titles(store):
    title = "Coordinated inauthentic behaviour " + "targeting regional elections and public health messaging " * 5
    case = store.create_case(title[:300], tlp="amber")
    store.add(Event(case_id=case.id, title=("Very long event title " * 13).strip(), start="2024-01-01"))
    document = read(build_briefing(store, [case.id], BriefingOptions()).data)
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [case.title]
    assert len(case.title) == 300
    assert document.core_properties.title == case.title[:254].rstrip() + "\u2026"


def test_two_thousand_events_keep_the_chronology_short(store):
    case = store.create_case("Flooding campaign", tlp="green")
    fill_large(store, case, events=2000, actors=30, key_every=100)
    document = read(build_briefing(store, [case.id], BriefingOptions()).data)
    chronology = [t for t in document.tables if t.rows[0].cells[0].text == "Date (UTC)"][0]
    assert len(chronology.rows) == 1 + 20
    text = "\n".join(p.text for p in document.paragraphs)
    assert "The table shows 20 of 2,000 events: the events the analyst marked as key." in text


def test_chronology_choice_without_key_events(store):
    case = store.create_case("Flooding campaign", tlp="green")
    fill_large(store, case, events=100, actors=10)
    events = store.parts(case.id, Event)
    shown, rule = chosen_events(events, 40)
    assert len(shown) == 40 and rule == "chronology_documented"
    assert [e.start for e in shown] == sorted(e.start for e in shown)
    assert chosen_events(events[:10], 40) == (events[:10], "")


def test_cancel_stops_the_build(store, doppelganger):
    case, _ = doppelganger
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        build_briefing(store, [case.id], BriefingOptions(), progress)


def test_bad_options_are_refused(store, doppelganger):
    case, _ = doppelganger
    with pytest.raises(UsageError, match="one banner line"):
        build_briefing(store, [case.id], BriefingOptions(classification="SECRET\nREL TO CAN"))
    with pytest.raises(UsageError, match="not a valid TLP marking"):
        build_briefing(store, [case.id], BriefingOptions(marking="purple"))
    with pytest.raises(UsageError, match="not a case id"):
        build_briefing(store, ["actor--3fa85f64-5717-4562-b3fc-2c963f66afa6"], BriefingOptions())
    with pytest.raises(UsageError, match="no case to brief"):
        build_briefing(store, [], BriefingOptions())


def test_save_never_overwrites_by_accident(store, doppelganger, tmp_path):
    case, _ = doppelganger
    briefing = build_briefing(store, [case.id], BriefingOptions())
    target = tmp_path / "note.docx"
    briefing.save(target)
    assert target.read_bytes() == briefing.data
    with pytest.raises(UsageError, match="already exists"):
        briefing.save(target)
    briefing.save(target, overwrite=True)
    with pytest.raises(UsageError, match="is a folder"):
        briefing.save(tmp_path)


def test_restricted_case_in_a_situation_report_is_withheld_whole(store, doppelganger):
    case, _ = doppelganger
    secret = store.create_case("Sensitive source reporting", tlp="red", summary="Do not share.")
    fill_large(store, secret, events=3, actors=2)
    briefing = build_briefing(store, [case.id, secret.id], BriefingOptions(marking="amber"))
    assert "Sensitive source reporting" not in document_xml(briefing.data)
    assert briefing.excluded.withheld_cases == [secret.id]
    assert briefing.excluded.by_kind["case"] == 1 and briefing.excluded.by_kind["event"] == 1 + 3


def test_figures_are_in_the_document(store, doppelganger):
    case, _ = doppelganger
    document = read(build_briefing(store, [case.id], OPTIONS).data)
    assert len(document.inline_shapes) == 2
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Figure 1. Timeline of events", "Figure 2. Actor-link graph (node size: number of links)"]
    actors = [t for t in document.tables if t.rows[0].cells[0].text == "Actor"][0]
    assert [c.text for c in actors.rows[0].cells][-2:] == ["Links", "Betweenness"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Key nodes (betweenness centrality" in text and "Structura National Technologies (0.67)" in text


def test_figures_are_drawn_from_releasable_material_only(store, doppelganger):
    case, ids = doppelganger
    materials, _ = gather(store, [case.id], "green")
    figures, warnings = render_figures(materials[0], "green", "2024-06-03T00:00:00.000Z", Wording("en"))
    assert warnings == []
    assert figures.timeline.startswith(b"\x89PNG") and figures.graph.startswith(b"\x89PNG")
    assert ids["secret_actor"] not in figures.centrality
    assert ids["sda"] in figures.centrality


def test_missing_figures_leave_a_short_text(store):
    case = store.create_case("Accounts only, no events yet", tlp="green")
    amplifier = Actor(case_id=case.id, name="Unknown amplifier", kind="account")
    outlet = Actor(case_id=case.id, name="Proxy outlet", kind="media-outlet")
    store.add_many([amplifier, outlet])
    document = read(build_briefing(store, [case.id], BriefingOptions()).data)
    text = "\n".join(p.text for p in document.paragraphs)
    assert len(document.inline_shapes) == 0
    assert "No events are recorded at this marking." in text
    assert "No links between these actors are recorded, so no actor-link graph is drawn." in text
    actors = [t for t in document.tables if t.rows[0].cells[0].text == "Actor"][0]
    assert "Links" not in [c.text for c in actors.rows[0].cells]

    store.add(Relationship(case_id=case.id, source_id=amplifier.id, type="amplifies", target_id=outlet.id))
    document = read(build_briefing(store, [case.id], BriefingOptions()).data)
    assert len(document.inline_shapes) == 1  # the graph; no timeline without events
    assert [p.text for p in document.paragraphs if p.style.name == "Caption"] == [
        "Figure 1. Actor-link graph (node size: number of links)"]


def test_figures_are_not_drawn_for_sections_switched_off(store, doppelganger):
    case, _ = doppelganger
    options = BriefingOptions(without=frozenset({"chronology", "actors"}))
    assert len(read(build_briefing(store, [case.id], options).data).inline_shapes) == 0


def test_progress_runs_once_from_0_to_100(store, doppelganger):
    case, _ = doppelganger
    seen = []
    build_briefing(store, [case.id], BriefingOptions(), Progress(lambda done, total, label: seen.append((done, total))))
    assert {total for _, total in seen} == {100}
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (100, 100)
