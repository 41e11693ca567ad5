"""Fixtures for briefing tests: a realistic case to brief."""

from __future__ import annotations

import pytest

from tests.charts.drawn import drawn_strings

from .cases import fill_doppelganger


@pytest.fixture
def doppelganger(store, case):
    ids = fill_doppelganger(store, case)
    return store.get_case(case.id), ids


@pytest.fixture
def drawn_charts(monkeypatch):
    """[(language, snapshot, strings drawn)] for every figure a briefing draws, in order.

    Wraps the real renderers the briefing calls (they still draw the PNGs it embeds): the figures
    are images in the document, so their words are checked here rather than in the PDF's text.
    """
    from rrmdesk.briefing import figures

    drawn = []

    def recording(render):
        def draw(snapshot, options, *args, **kwargs):
            chart = render(snapshot, options, *args, **kwargs)
            drawn.append((options.language, snapshot, drawn_strings(chart.figure)))
            return chart
        return draw

    monkeypatch.setattr(figures, "render_timeline", recording(figures.render_timeline))
    monkeypatch.setattr(figures, "render_graph", recording(figures.render_graph))
    return drawn
