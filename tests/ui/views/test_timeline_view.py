"""The Timeline tab widget, offscreen with pytest-qt: click, hover, zoom, slider, filters, density."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from rrmdesk.model import Event
from tests.charts.datasets import demo_case, random_case, store_case
from tests.ui.helpers import WAIT_MS
from ui.views import TimelineView

SHOTS = Path(__file__).resolve().parents[3] / "screenshots" / "charts"


@pytest.fixture
def demo(store):
    snapshot = demo_case()
    store_case(store, snapshot)
    return snapshot


@pytest.fixture
def view(qtbot, store, demo):
    widget = TimelineView(store)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=WAIT_MS):
        widget.set_case(demo.case.id)
        assert widget.chart is None  # the render runs on a worker; the call returns at once
    widget.canvas.draw()
    return widget


def screen_point(view: TimelineView, event_id: str) -> QPoint:
    chart = view.chart
    index = chart.event_ids.index(event_id)
    px, py = chart.axes.transData.transform((chart.x0[index], chart.y[index]))
    return QPoint(*view.qt_position(px, py))


def test_click_an_event_emits_its_id(qtbot, view, demo):
    poll = next(e for e in demo.events if e.title.startswith("Fabricated poll"))
    with qtbot.waitSignal(view.eventSelected, timeout=WAIT_MS) as selected:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=screen_point(view, poll.id))
    assert selected.args == [poll.id]
    assert view.chart.axes.get_lines()[-1].get_gid() == "selection"
    assert view.select_event(demo.events[0].id) and not view.select_event("event--not-drawn")
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(SHOTS / "ui-timeline.png"))


def test_hover_shows_a_tooltip(qtbot, view, demo):
    ads = next(e for e in demo.events if e.title == "Facebook ad campaign")
    qtbot.mouseMove(view.canvas, screen_point(view, ads.id))
    qtbot.waitUntil(lambda: "Facebook ad campaign" in view.canvas.toolTip(), timeout=WAIT_MS)
    assert "UTC" in view.canvas.toolTip()


def test_keyboard_and_wheel_zoom_and_home_resets(qtbot, view):
    low, high = view.view_span()
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Plus)
    zoomed = view.view_span()
    assert zoomed[1] - zoomed[0] == pytest.approx((high - low) / 1.25)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.view_span()[0] > zoomed[0]
    assert view.from_slider.value() > 0
    qtbot.keyClick(view.canvas, Qt.Key.Key_Home)
    assert view.view_span() == pytest.approx((low, high))


def test_date_slider_narrows_the_view(qtbot, view):
    whole = view.full_span
    view.from_slider.setValue(500)
    low, high = view.view_span()
    assert low == pytest.approx(whole[0] + (whole[1] - whole[0]) / 2)
    assert high == pytest.approx(whole[1])
    assert view.from_label.text() > "2024-01"


def test_filters_redraw_only_matching_events(qtbot, view, demo):
    bots = next(a for a in demo.actors if a.name == "X amplification cluster")
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.actor_filter.setCurrentIndex(view.actor_filter.findData(bots.id))
    assert set(view.chart.event_ids) == {e.id for e in demo.events if bots.id in e.actor_ids}
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.actor_filter.setCurrentIndex(0)
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        qtbot.keyClicks(view.text_filter, "takedown")
    assert {e.title for e in demo.events if e.id in view.chart.event_ids} == {
        "Platform takedown of 1,200 accounts", "Second platform takedown"}
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.text_filter.clear()
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.lanes.setCurrentIndex(view.lanes.findData("tactic"))
    assert any(t.get_text().startswith("TA15") for t in view.chart.axes.get_yticklabels())
    tactic = view.tactic_filter.findData("TA15")
    assert tactic > 0
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.tactic_filter.setCurrentIndex(tactic)
    assert view.chart.in_view == 2


def test_view_follows_edits(qtbot, view, store, demo):
    before = view.chart.in_view
    store.add(Event(case_id=demo.case.id, title="New leak published", start="2024-04-02T10:00:00Z",
                    actor_ids=[demo.actors[0].id], category="publication"))
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.refresh()
    assert view.chart.in_view == before + 1


def test_dense_case_shows_strips_and_zoom_brings_events(qtbot, store):
    big = random_case(5_000, lanes=6)
    store_case(store, big)
    widget = TimelineView(store)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=WAIT_MS):
        widget.set_case(big.case.id)
    assert widget.chart.mode == "density"
    low, _ = widget.full_span
    with qtbot.waitSignal(widget.rendered, timeout=WAIT_MS):
        widget.set_view(low, low + 20)
    assert widget.chart.mode == "events" and 0 < widget.chart.in_view < 2_000
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / "ui-timeline-zoomed.png"))


def test_export_the_timeline_on_screen(view, tmp_path):
    path = view.export_chart(tmp_path / "timeline.svg")
    assert b"TLP:AMBER" in path.read_bytes()


def test_clear_and_select_protocol(qtbot, view, demo):
    assert view.select(demo.events[1].id)
    view.set_case(None)
    assert view.canvas is None and view.case_id is None and view.chart is None
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.set_case(demo.case.id)
    assert view.canvas is not None
