"""Charts in the briefing's language: every drawn word French in French, English by default."""

from __future__ import annotations

import io
from datetime import datetime, timezone

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

from rrmdesk.charts import GraphOptions, TimelineOptions, figure_bytes, raster, render_graph, render_timeline
from rrmdesk.charts.wording import ChartWording, chart_wording
from rrmdesk.errors import UsageError
from tests.charts.drawn import drawn_strings, english_chart_words, english_left_in, words

STAMP = "2026-11-30 09:00 UTC"
FRENCH_MONTHS = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}


def _timeline(snapshot, **options):
    return render_timeline(snapshot, TimelineOptions(produced=STAMP, **options))


def _graph(snapshot, **options):
    return render_graph(snapshot, GraphOptions(produced=STAMP, **options))


def test_the_check_knows_the_english_chart_words():
    # a guard on the test itself: the words it looks for include the ones a reader would notice
    assert {"produced", "key", "events", "swimlanes", "nodes", "links", "confidence", "mar", "jul", "state"} \
        <= english_chart_words()


@pytest.mark.parametrize("options", [
    {},
    {"lanes": "none"},
    {"lanes": "tactic", "colour_by": "technique"},
    {"density_threshold": 5},
    {"start": "2024-03-01T00:00:00Z", "end": "2024-03-01T20:00:00Z"},  # hours on the axis
])
def test_french_timeline_draws_no_english_chart_word(demo, options):
    texts = drawn_strings(_timeline(demo, language="fr", **options).figure)
    assert not english_left_in(texts, demo), texts


def test_french_timeline_dates_and_words(demo):
    texts = drawn_strings(_timeline(demo, language="fr").figure)
    assert {"mars", "mai", "juil."} <= set(texts)  # month ticks, from our table, not the locale
    assert "du 1er janv. 2024 au 16 août 2024 (UTC)" in texts
    assert "18 événements sur 18 · couloirs par acteur" in texts
    assert {"Événements clés", "barre = événement qui dure", "Produit le 2026-11-30 09:00 UTC avec RRM Desk"} \
        <= set(texts)
    hours = drawn_strings(_timeline(demo, language="fr", start="2024-03-01T06:00:00Z",
                                    end="2024-03-01T20:00:00Z").figure)
    assert "1er mars 2024, heures UTC" in hours and "12\u00a0h\u00a000" in hours


def test_french_density_view(demo):
    texts = drawn_strings(_timeline(demo, language="fr", density_threshold=5).figure)
    assert any(t.startswith("Événements par ") and "heures" in t and "vue de densité" in t for t in texts)


@pytest.mark.parametrize("options", [
    {},
    {"nodes": "all", "colour_by": "community"},
    {"nodes": "actors+narratives", "size_by": "betweenness", "min_confidence": "moderate"},
    {"ego": "Social Design Agency", "depth": 2, "relationship_types": frozenset({"amplifies", "controls"})},
])
def test_french_graph_draws_no_english_chart_word(demo, options):
    texts = drawn_strings(_graph(demo, language="fr", **options).figure)
    assert not english_left_in(texts, demo), texts


def test_french_graph_legends_reuse_the_briefing_vocabulary(demo):
    texts = set(drawn_strings(_graph(demo, language="fr").figure))
    assert {"Nœuds", "Liens", "acteur\u00a0: affilié à un État", "acteur\u00a0: État", "amplifie", "attribué à",
            "confiance modérée", "confiance non précisée"} <= texts
    assert "11 nœuds · 14 liens · taille des nœuds\u00a0: degré" in texts


def test_empty_charts_speak_french(demo):
    empty = type(demo)(demo.case)
    texts = drawn_strings(_timeline(empty, language="fr").figure) + drawn_strings(_graph(empty, language="fr").figure)
    assert {"Aucun événement dans ce dossier pour l'instant", "Aucun acteur à représenter"} <= set(texts)
    assert not english_left_in(texts, empty), texts


def test_english_stays_the_default(demo):
    default = drawn_strings(_timeline(demo).figure)
    assert default == drawn_strings(_timeline(demo, language="en").figure)
    assert {"Mar", "May", "Jul", "01 Jan 2024 to 16 Aug 2024 (UTC)", "18 of 18 events · swimlanes by actor",
            "Key events", "bar = event with a duration", "Produced 2026-11-30 09:00 UTC with RRM Desk"} <= set(default)
    graph = set(drawn_strings(_graph(demo).figure))
    assert {"Nodes", "Links", "actor: state-affiliated", "amplifies", "moderate confidence",
            "confidence not stated", "11 nodes · 14 links · node size: degree"} <= graph
    assert not words(default) & {"événements", "produit", "chronologie"}


def test_month_names_do_not_come_from_the_locale():
    french = ChartWording("fr")
    formats, zero = french.tick_formats()
    moment = datetime(2024, 8, 1, 9, 5, tzinfo=timezone.utc)
    assert french.tick_label(moment.strftime(formats[1])) == "août"
    assert french.tick_label(moment.strftime(zero[3])) == "01 août"
    assert french.tick_label(moment.strftime(formats[3])) == "9\u00a0h\u00a005"
    assert {french.month_abbreviation(m) for m in range(1, 13)} == FRENCH_MONTHS
    assert ChartWording("en").tick_label(moment.strftime(ChartWording("en").tick_formats()[1][3])) == "Aug-01"


def test_unknown_language_is_refused(demo):
    with pytest.raises(UsageError, match="'de' is not a chart language"):
        chart_wording("de")
    with pytest.raises(UsageError, match="not a chart language"):
        render_timeline(demo, TimelineOptions(language="de"))
    with pytest.raises(UsageError, match="not a chart language"):
        render_graph(demo, GraphOptions(language="xx"))


def _ink(png: bytes) -> np.ndarray:
    return 255.0 - np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=float)


def _inked_runs(column_ink: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) rows of each run of inked rows."""
    inked = np.flatnonzero(column_ink > 60)
    runs = []
    for row in inked:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def test_french_png_has_ink_where_the_accent_is(demo):
    """The fast PNG text path draws the accent of "Événements clés": over the É, inside the text's box.

    Down the É's columns there are two runs of ink, the accent then the letter; an E has one.
    """
    figure = _timeline(demo, language="fr").figure
    heading = next(t for t in figure.texts if t.get_text() == "Événements clés")
    canvas = raster.FigureCanvas(figure)
    canvas.draw()
    box = heading.get_window_extent(canvas.get_renderer())
    em = heading.get_fontsize() * 100 / 72
    ink = _ink(figure_bytes(figure, "png", dpi=100))
    top, bottom = ink.shape[0] - round(box.y1), ink.shape[0] - round(box.y0)
    letter = ink[top - 1:bottom + 1, round(box.x0):round(box.x0 + em * 0.6)].max(axis=1)
    runs = _inked_runs(letter)
    assert len(runs) == 2, runs  # the accent, a gap, the letter
    accent, body = runs
    assert accent[1] - accent[0] < body[1] - body[0]
    heading.set_text("Evénements clés")
    try:
        plain = _ink(figure_bytes(figure, "png", dpi=100))
    finally:
        heading.set_text("Événements clés")
    plain_letter = plain[top - 1:bottom + 1, round(box.x0):round(box.x0 + em * 0.6)].max(axis=1)
    assert len(_inked_runs(plain_letter)) == 1


def _outside_the_figure(figure) -> list[str]:
    """Texts that run past the figure's edges (clipped in every export)."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    edge = figure.bbox.padded(1)
    outside = []
    for text in figure.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            box = text.get_window_extent(renderer)
            if not (edge.contains(*box.p0) and edge.contains(*box.p1)):
                outside.append(text.get_text())
    return outside


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("size", [(9.0, 5.6), (7.0, 5.0)])  # the briefing's figure; a narrow desktop tab
def test_longer_french_words_stay_inside_the_figure(demo, language, size):
    graph = _graph(demo, language=language, size=size, size_by="betweenness", ego="Social Design Agency", depth=2,
                   relationship_types=frozenset({"amplifies", "controls"}), min_confidence="moderate").figure
    assert not _outside_the_figure(graph)
    subtitle = next(t for t in graph.texts if t.get_gid() == "chart-subtitle").get_text()
    assert "\n" in subtitle  # too long for one line: broken at a separator, not cut off at the edge
    for options in ({}, {"density_threshold": 5}, {"lanes": "tactic", "colour_by": "technique"}):
        assert not _outside_the_figure(_timeline(demo, language=language, size=size, **options).figure), options
