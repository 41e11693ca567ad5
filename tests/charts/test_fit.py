"""Charts laid out for small figures (a desktop tab, not an A4 page) keep every part apart and inside."""

from __future__ import annotations

import itertools

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from rrmdesk.charts import GraphOptions, TimelineOptions, render_graph, render_timeline


def drawn(figure: Figure) -> Figure:
    FigureCanvasAgg(figure).draw()
    return figure


def inside(box: Bbox, figure: Figure) -> bool:
    return box.x0 >= -1 and box.y0 >= -1 and box.x1 <= figure.bbox.width + 1 and box.y1 <= figure.bbox.height + 1


def test_a_narrow_graph_has_its_keys_below_it_and_a_wide_one_beside_it(demo):
    narrow = render_graph(demo, GraphOptions(size=(5.6, 7.0)))
    figure = drawn(narrow.figure)
    plot = narrow.axes.get_window_extent()
    assert plot.width > 0.85 * figure.bbox.width  # the network gets the whole width
    keys = [legend.get_window_extent() for legend in figure.legends]
    assert len(keys) == 2 and all(key.y1 <= plot.y0 + 1 and inside(key, figure) for key in keys)
    assert not keys[0].overlaps(keys[1])

    wide = render_graph(demo, GraphOptions(size=(11.69, 8.27)))
    figure = drawn(wide.figure)
    plot = wide.axes.get_window_extent()
    assert all(legend.get_window_extent().x0 >= plot.x1 - 1 for legend in figure.legends)


def test_a_short_timeline_ends_its_key_event_list_with_how_many_more(demo):
    chart = render_timeline(demo, TimelineOptions(size=(7.0, 4.2)))
    figure = drawn(chart.figure)
    listed = [t for t in figure.texts if t.get_gid() == "key-event-list"]
    assert listed[-1].get_text().startswith("… and ")
    bottom = chart.axes.get_window_extent().y0
    assert all(t.get_window_extent().y0 >= bottom - 2 for t in listed)


def test_date_labels_and_the_key_stay_apart_on_a_narrow_timeline(demo):
    chart = render_timeline(demo, TimelineOptions(size=(7.0, 6.0)))
    figure = drawn(chart.figure)
    labels = [t.get_window_extent() for t in chart.axes.get_xticklabels() if t.get_text()]
    assert len(labels) >= 2
    assert not any(a.overlaps(b) for a, b in itertools.combinations(labels, 2))
    key = chart.axes.get_legend().get_window_extent()
    listed = [t.get_window_extent() for t in figure.texts if t.get_gid() == "key-event-list"]
    assert inside(key, figure) and not any(key.overlaps(box) for box in listed)


def test_a_fortnight_states_its_dates_once_with_nothing_on_top(demo):
    """Within one month the ticks read '05', '07'…; the axis label names month and year, alone."""
    chart = render_timeline(demo, TimelineOptions(start="2024-03-01", end="2024-03-15"))
    drawn(chart.figure)
    axis = chart.axes.xaxis
    assert axis.get_label().get_text() == "01 Mar 2024 to 15 Mar 2024 (UTC)"
    boxes = [t.get_window_extent() for t in [*chart.axes.get_xticklabels(), axis.get_offset_text(), axis.get_label()]
             if t.get_visible() and t.get_text()]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
