"""The timeline renderer, headless, on the demo case and cases built from real data."""

from __future__ import annotations

import dataclasses
import warnings
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import QuadMesh
from matplotlib.patches import Rectangle

from rrmdesk import Case, Event
from rrmdesk.charts import TimelineFilter, TimelineOptions, render_timeline
from rrmdesk.charts.snapshot import CaseSnapshot
from rrmdesk.disarm import default_catalog
from rrmdesk.errors import UsageError
from tests.charts import datasets


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]


def by_gid(figure, prefix: str) -> list:
    return [a for a in figure.findobj() if (a.get_gid() or "").startswith(prefix)]


def test_demo_timeline_has_lanes_bars_markers_and_banner(demo):
    chart = render_timeline(demo, TimelineOptions(lanes="actor"))
    assert chart.mode == "events"
    lane_labels = [t.get_text() for t in chart.axes.get_yticklabels()]
    assert "Social Design Agency" in lane_labels and "X amplification cluster" in lane_labels
    # top to bottom in order of first appearance: the clone-domain registration opens the case
    assert lane_labels[-1].startswith("Structura")
    bars = [p for p in by_gid(chart.figure, "bars:") if isinstance(p, Rectangle)]
    durations = sum(len(e.actor_ids) for e in demo.events if e.end)
    assert len(bars) == durations
    markers = sum(len(c.get_offsets()) for c in by_gid(chart.figure, "markers:"))
    assert markers == sum(len(e.actor_ids) for e in demo.events if not e.end)
    assert texts(chart.figure).count("TLP:AMBER") == 2
    assert "Doppelganger: cloned news sites: timeline" in texts(chart.figure)
    assert any(t.startswith("Produced ") for t in texts(chart.figure))
    badges = [a.get_text() for a in by_gid(chart.figure, "key-event") if a.get_gid() == "key-event"]
    keys = sorted((e for e in demo.events if e.key), key=lambda e: e.start)
    assert badges == [str(n) for n in range(1, len(keys) + 1)]
    listed = [t.get_text() for t in by_gid(chart.figure, "key-event-list")]
    assert listed[0] == "Key events" and "Clone domains registered" in listed and "2024-01-08" in listed
    assert listed.index("Clone domains registered") < listed.index("Government attribution statement")


def test_legend_names_every_category(demo):
    chart = render_timeline(demo, TimelineOptions(lanes="none"))
    legend = [t.get_text() for t in chart.axes.get_legend().get_texts()]
    for category in {e.category for e in demo.events}:
        assert category in legend
    assert [t.get_text() for t in chart.axes.get_yticklabels()] == ["Events"]


def test_tactic_and_phase_lanes_come_from_the_disarm_catalog(demo):
    catalog = default_catalog()
    chart = render_timeline(demo, TimelineOptions(lanes="tactic"))
    expected = set()
    for event in demo.events:
        for code in event.techniques:
            tactic = catalog.tactic_of(code)
            expected.add(f"{tactic.id} {tactic.name}")
    lanes = {t.get_text() for t in chart.axes.get_yticklabels()}
    assert expected <= lanes and "(no technique)" in lanes
    phases = render_timeline(demo, TimelineOptions(lanes="phase"))
    assert {"P02 Prepare", "P03 Execute"} <= {t.get_text() for t in phases.axes.get_yticklabels()}


@pytest.mark.parametrize("lanes", ["actor", "narrative", "tactic", "phase", "platform", "none"])
def test_every_lane_choice_renders_the_fiat_case(fiat, lanes):
    chart = render_timeline(fiat, TimelineOptions(lanes=lanes))
    assert chart.mode == "events"
    assert chart.in_view >= len(fiat.events) if lanes != "none" else chart.in_view == len(fiat.events)
    assert "TLP:GREEN" in texts(chart.figure)


def test_fiat_dates_read_from_2010_to_2020(fiat):
    chart = render_timeline(fiat, TimelineOptions(lanes="platform"))
    chart.figure.canvas.draw()  # tick labels exist after a draw
    ticks = [t.get_text() for t in chart.axes.get_xticklabels()]
    assert "2010" in ticks and "2020" in ticks


def test_window_and_filters_narrow_the_events(demo, fiat):
    spring = render_timeline(demo, TimelineOptions(start="2024-03-01", end="2024-05-31"))
    assert 0 < spring.in_view < len(demo.events)
    assert any("2024-03-01 to 2024-05-31" in t for t in texts(spring.figure))
    bots = next(a for a in demo.actors if a.name == "X amplification cluster")
    only_bots = render_timeline(demo, TimelineOptions(filter=TimelineFilter(actors=frozenset({bots.id}))))
    assert set(only_bots.event_ids) == {e.id for e in demo.events if bots.id in e.actor_ids}
    telegram = render_timeline(demo, TimelineOptions(lanes="none", filter=TimelineFilter(platforms=frozenset({"Telegram"}))))
    assert {e.platform for e in demo.events if e.id in telegram.event_ids} == {"Telegram"}
    text = render_timeline(fiat, TimelineOptions(lanes="none", filter=TimelineFilter(text="giuliani")))
    assert text.in_view and all("giuliani" in (e.title + e.description).lower()
                                for e in fiat.events if e.id in text.event_ids)
    assets = render_timeline(demo, TimelineOptions(lanes="none", filter=TimelineFilter(tactics=frozenset({"TA15"}))))
    assert {e.title for e in demo.events if e.id in assets.event_ids} == {
        "Clone domains registered", "New clone wave before EU elections"}


def test_dense_view_switches_to_density_strips_and_zoom_brings_events_back():
    big = datasets.random_case(6_000)
    chart = render_timeline(big, TimelineOptions(lanes="actor"))
    assert chart.mode == "density"
    assert len(by_gid(chart.figure, "density")) == 1 and isinstance(by_gid(chart.figure, "density")[0], QuadMesh)
    assert not by_gid(chart.figure, "markers:")
    zoomed = render_timeline(big, TimelineOptions(lanes="actor").window(chart.span[0], chart.span[0] + 14))
    assert zoomed.mode == "events" and 0 < zoomed.in_view < 2_000
    assert sum(len(c.get_offsets()) for c in by_gid(zoomed.figure, "markers:")) == zoomed.in_view


def test_click_position_finds_the_event(demo):
    chart = render_timeline(demo, TimelineOptions(lanes="actor"))
    chart.figure.canvas.draw()
    for index in (0, len(chart.event_ids) // 2, len(chart.event_ids) - 1):
        px, py = chart.axes.transData.transform((chart.x0[index], chart.y[index]))
        found = chart.event_at(px, py)
        # two events may share a spot; the one found must be drawn there
        assert found is not None
        hit = [i for i, e in enumerate(chart.event_ids) if e == found]
        assert any(abs(chart.y[i] - chart.y[index]) < 1e-9 for i in hit)
    assert chart.event_at(-50, -50) is None
    tip = chart.tooltip(chart.event_ids[0], demo)
    assert "UTC" in tip and chart.event_ids[0] not in tip


def test_overlapping_events_in_a_lane_are_split_into_rows(fiat):
    chart = render_timeline(fiat, TimelineOptions(lanes="actor"))
    iran = [t.get_text() for t in chart.axes.get_yticklabels()][::-1].index("Iran")
    rows = {round(v, 3) for v in chart.y if abs(v - iran) < 0.5}
    assert len(rows) > 1


def test_empty_case_says_so(demo):
    empty = CaseSnapshot(demo.case)
    chart = render_timeline(empty)
    assert chart.mode == "empty" and chart.axes is None
    assert "No events in this case yet" in texts(chart.figure)
    assert "TLP:AMBER" in texts(chart.figure)
    none_in_view = render_timeline(demo, TimelineOptions(start="1990-01-01", end="1990-02-01"))
    assert "No events in this view" in texts(none_in_view.figure)


@pytest.mark.parametrize("options, message", [
    (TimelineOptions(lanes="country"), "cannot group the timeline by 'country'"),
    (TimelineOptions(start="yesterday"), "'yesterday' is not a valid timeline start"),
    (TimelineOptions(start="2024-05-01", end="2024-01-01"), "the timeline ends before it starts"),
    (TimelineOptions(colour_by="mood"), "cannot colour events by 'mood'"),
])
def test_bad_options_are_one_line_errors(demo, options, message):
    with pytest.raises(UsageError) as raised:
        render_timeline(demo, options)
    assert raised.value.message == message
    assert "\n" not in raised.value.text() and raised.value.hint


def test_unknown_technique_gets_its_own_lane(demo):
    event = dataclasses.replace(demo.events[0], techniques=["T9999"])
    chart = render_timeline(dataclasses.replace(demo, events=[event]), TimelineOptions(lanes="tactic"))
    assert [t.get_text() for t in chart.axes.get_yticklabels()][0].startswith("(not in DISARM")


def test_rendering_is_deterministic(fiat):
    a = render_timeline(fiat, TimelineOptions(lanes="actor", produced="2026-01-01 00:00 UTC"))
    b = render_timeline(fiat, TimelineOptions(lanes="actor", produced="2026-01-01 00:00 UTC"))
    assert a.event_ids == b.event_ids and np.array_equal(a.y, b.y)


@pytest.mark.parametrize("span", [timedelta(minutes=170), timedelta(hours=70), timedelta(days=80),
                                  timedelta(days=200), timedelta(days=1000), timedelta(days=3000)])
def test_a_narrow_timeline_finds_ticks_for_any_span_without_warnings(span):
    """matplotlib warned "unable to pick an appropriate interval" on every draw of a narrow
    timeline (the desktop's tab on a laptop) over a few months to three years."""
    start = datetime(2022, 1, 11, 16, 33, tzinfo=timezone.utc)
    case = Case(title="Span", tlp="green")
    events = [Event(case_id=case.id, title=f"Event {n}", start=(start + span * n / 4).isoformat()) for n in range(5)]
    chart = render_timeline(CaseSnapshot(case, [], [], events, [], []), TimelineOptions(size=(4.2, 4.0)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FigureCanvasAgg(chart.figure).draw()
    ticks = [t for t in chart.axes.get_xticks() if chart.axes.get_xlim()[0] <= t <= chart.axes.get_xlim()[1]]
    assert 2 <= len(ticks) <= 6
