"""The briefing as printed: converted by the real LibreOffice, read back with pdftotext.

Every page must carry the marking (top and bottom) and its "Page X of Y"; French output must read
in French. The pages are also rendered to screenshots/briefing/ for a person to look at.
"""

from __future__ import annotations

import re

from rrmdesk.briefing import BriefingOptions, build_briefing
from rrmdesk.demo import load_demo

from tests.charts.drawn import english_left_in

from .cases import fill_large, pdf_pages, screenshots, soffice_pdf
from .test_template import ministry_template

BANNER = "UNCLASSIFIED // NON CLASSIFIÉ"


def print_briefings(store, case, tmp_path):
    """Several briefings converted in one LibreOffice run: {name: [page text, ...]}."""
    long_title = store.create_case(("Coordinated inauthentic behaviour targeting regional elections "
                                    "and public health messaging across three provinces " * 3)[:300], tlp="green")
    fill_large(store, long_title, events=2000, actors=60, key_every=50)
    empty = store.create_case("Reported bot activity, not yet triaged", tlp="clear")
    common = dict(classification=BANNER, ministry="Global Affairs Canada", analyst="J. Tremblay", date="2024-06-03")
    builds = {
        "doppelganger-en": ([case.id], BriefingOptions(**common)),
        "doppelganger-fr": ([case.id], BriefingOptions(language="fr", **common)),
        "large-en": ([long_title.id], BriefingOptions(**common)),
        "empty-en": ([empty.id], BriefingOptions(**common)),
        "ministry-en": ([case.id], BriefingOptions(template=ministry_template(""), **common)),
        "sitrep-fr": ([case.id, long_title.id], BriefingOptions(language="fr", **common)),
    }
    sources = []
    for name, (case_ids, options) in builds.items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(build_briefing(store, case_ids, options).data)
        sources.append(path)
    outdir = tmp_path / "pdf"
    pdfs = soffice_pdf(sources, outdir, tmp_path / "lo-profile")
    for pdf in pdfs:
        screenshots(pdf, pdf.stem)
    return {pdf.stem: pdf_pages(pdf) for pdf in pdfs}


def test_printed_briefings(store, doppelganger, tmp_path, drawn_charts):
    """One LibreOffice run for every variant: converting is the slow part of these checks."""
    case, _ = doppelganger
    printed = print_briefings(store, case, tmp_path)
    check_markings(printed)
    check_page_counts(printed)
    check_text(printed)
    check_chart_words(drawn_charts)


def check_chart_words(drawn):
    """The figures of French briefings (the Doppelganger's, and a 2,000-event case's in a situation
    report) say nothing in English but the case's own data; English briefings' figures stay English."""
    french = [(snapshot, strings) for language, snapshot, strings in drawn if language == "fr"]
    assert len(french) >= 5  # two cases' timelines and graphs, and the Doppelganger's on its own
    for snapshot, strings in french:
        assert not english_left_in(strings, snapshot), strings
    french_words = {s for _, strings in french for s in strings}
    assert {"Événements clés", "Nœuds", "Liens"} <= french_words
    assert any(s.startswith("Produit le ") for s in french_words)
    english = {s for language, _, strings in drawn if language == "en" for s in strings}
    assert {"Key events", "Nodes", "Links"} <= english


def check_markings(printed):
    for name, pages in printed.items():
        total = len(pages)
        word = "de" if name.endswith("-fr") else "of"
        for number, page in enumerate(pages, 1):
            lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
            assert lines[0].startswith(BANNER) and "TLP:" in lines[0], (name, number)
            assert lines[-1].startswith(BANNER) and "TLP:" in lines[-1], (name, number)
            assert f"Page {number} {word} {total}" in page, (name, number)


def check_page_counts(printed):
    counts = {name: len(pages) for name, pages in printed.items()}
    assert 3 <= counts["doppelganger-en"] <= 8
    assert 3 <= counts["doppelganger-fr"] <= 8
    assert 2 <= counts["large-en"] <= 10  # 2,000 events: key events only, plus a note
    assert 1 <= counts["empty-en"] <= 3
    assert counts["sitrep-fr"] >= counts["doppelganger-fr"]


def check_text(printed):
    english = "\n".join(printed["doppelganger-en"])
    for heading in ("Bottom line up front", "Key judgments", "Chronology", "Actors and attribution",
                    "DISARM techniques by tactic", "Annex A: Evidence", "Annex B: Sources"):
        assert heading in english
    assert "TLP:GREEN" in english and "KESTREL" not in english
    french = "\n".join(printed["doppelganger-fr"])
    for heading in ("L'essentiel", "Jugements clés", "Chronologie", "Acteurs et attribution", "Récits",
                    "Leçons retenues", "Annexe A : Éléments de preuve"):
        assert heading in french
    assert "Bottom line up front" not in french
    assert "3 juin 2024" in french
    large = "\n".join(printed["large-en"])
    assert re.search(r"The table shows 40 of 2,000 events", " ".join(large.split()))
    assert "No events are recorded at this marking." in "\n".join(printed["empty-en"])
    assert "Ministry of Foreign Affairs" in printed["ministry-en"][0]


def test_demo_case_prints_in_both_languages(store, tmp_path, drawn_charts):
    """The flagship demo case, as an analyst would send it, in English and in French."""
    report = load_demo(store)
    flagship = max(report.cases, key=lambda c: c.counts.get("event", 0))
    common = dict(classification=BANNER, ministry="Global Affairs Canada", analyst="J. Tremblay", date="2024-06-03")
    sources = []
    for language in ("en", "fr"):
        briefing = build_briefing(store, [flagship.id], BriefingOptions(language=language, **common))
        assert briefing.warnings == []
        path = tmp_path / f"demo-{language}.docx"
        path.write_bytes(briefing.data)
        sources.append(path)
    pdfs = soffice_pdf(sources, tmp_path / "pdf", tmp_path / "lo-profile")
    for pdf in pdfs:
        screenshots(pdf, pdf.stem)
    english, french = (pdf_pages(pdf) for pdf in pdfs)
    for pages, word in ((english, "of"), (french, "de")):
        assert 5 <= len(pages) <= 20
        for number, page in enumerate(pages, 1):
            assert f"Page {number} {word} {len(pages)}" in page
            assert page.strip().splitlines()[0].strip().startswith(BANNER)
    assert "We assess with high confidence" in " ".join("\n".join(english).split())
    assert "Nous estimons, avec une confiance élevée" in " ".join("\n".join(french).split())
    assert "Figure 1. Timeline of events" in "\n".join(english)
    assert "Figure 2. Graphe des liens entre acteurs" in " ".join("\n".join(french).split())
    # the figures are images: their words are checked as drawn
    french_charts = [(snapshot, strings) for language, snapshot, strings in drawn_charts if language == "fr"]
    assert len(french_charts) == 2
    for snapshot, strings in french_charts:
        assert not english_left_in(strings, snapshot), strings
