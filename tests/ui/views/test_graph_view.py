"""The Graph tab widget, offscreen with pytest-qt: select, drag and pin, filter, search, ego."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from rrmdesk.charts import load_pins
from tests.charts.datasets import demo_case, store_case
from tests.ui.helpers import WAIT_MS
from ui.views import GraphView

SHOTS = Path(__file__).resolve().parents[3] / "screenshots" / "charts"


@pytest.fixture
def demo(store):
    snapshot = demo_case()
    store_case(store, snapshot)
    return snapshot


@pytest.fixture
def view(qtbot, store, demo):
    widget = GraphView(store)
    qtbot.addWidget(widget)
    widget.resize(1400, 850)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=WAIT_MS):
        widget.set_case(demo.case.id)
    widget.canvas.draw()
    return widget


def node_point(view: GraphView, node_id: str) -> QPoint:
    px, py = view.chart.axes.transData.transform(view.chart.positions[node_id])
    return QPoint(*view.qt_position(px, py))


def actor_id(demo, name: str) -> str:
    return next(a.id for a in demo.actors if a.name == name)


def test_click_a_node_selects_it(qtbot, view, demo):
    sda = actor_id(demo, "Social Design Agency")
    with qtbot.waitSignal(view.nodeSelected, timeout=WAIT_MS) as selected:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=node_point(view, sda))
    assert selected.args == [sda]
    assert view.selected == sda and view.chart.axes.get_lines()[-1].get_gid() == "selection"
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(SHOTS / "ui-graph.png"))


def test_drag_a_node_pins_it_and_saves_the_position(qtbot, view, store, demo):
    rrn = actor_id(demo, "RRN (Reliable Recent News)")
    start = node_point(view, rrn)
    target = start + QPoint(-90, 60)
    others = {n: p for n, p in view.chart.positions.items() if n != rrn}
    qtbot.mousePress(view.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.canvas, start + QPoint(-40, 30))
    qtbot.mouseMove(view.canvas, target)
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        qtbot.mouseRelease(view.canvas, Qt.MouseButton.LeftButton, pos=target)
    saved = load_pins(store, demo.case.id)
    assert set(saved) == {rrn}
    assert view.chart.positions[rrn] == pytest.approx(saved[rrn])
    assert node_point(view, rrn).x() == pytest.approx(target.x(), abs=2)
    assert all(view.chart.positions[n] == p for n, p in others.items())  # nothing else moved
    assert "1 pinned" in view.status.text()
    # a new view of the case lays the pinned node where the analyst left it
    again = GraphView(store)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.rendered, timeout=WAIT_MS):
        again.set_case(demo.case.id)
    assert again.chart.positions[rrn] == pytest.approx(saved[rrn])
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.unpin_all()
    assert load_pins(store, demo.case.id) == {}


def test_filter_by_link_type_and_confidence(qtbot, view):
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.link_type.setCurrentIndex(view.link_type.findData("amplifies"))
    assert {d["type"] for *_, d in view.chart.graph.edges(data=True)} == {"amplifies"}
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.link_type.setCurrentIndex(0)
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.confidence.setCurrentIndex(view.confidence.findData("high"))
    assert {d["confidence"] for *_, d in view.chart.graph.edges(data=True)} == {"high"}


def test_search_neighbourhood_and_metrics_table(qtbot, view, demo):
    structura = actor_id(demo, "Structura National Technologies")
    with qtbot.waitSignal(view.nodeSelected, timeout=WAIT_MS) as selected:
        view.search.setText("structura")
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert selected.args == [structura]
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.ego_button.click()
    assert structura in view.chart.node_ids and len(view.chart.node_ids) < len(demo.actors)
    assert view.metrics_model.rowCount() == len(view.chart.node_ids)
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    top = view.sorted_metrics.index(0, 0).data()
    assert top == "Structura National Technologies"
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        view.whole_button.click()
    assert len(view.chart.node_ids) == len(demo.actors)


def test_zoom_relabels_after_settling(qtbot, view):
    x0, x1 = view.chart.axes.get_xlim()
    view.canvas.setFocus()
    with qtbot.waitSignal(view.rendered, timeout=WAIT_MS):
        qtbot.keyClick(view.canvas, Qt.Key.Key_Plus)
    nx0, nx1 = view.chart.axes.get_xlim()
    assert nx1 - nx0 < x1 - x0


def test_metrics_export_writes_csv(view, tmp_path):
    path = view.export_metrics(tmp_path / "measures.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,label,kind,degree") and len(lines) == len(view.chart.node_ids) + 1


def test_export_the_chart_on_screen(view, store, demo, tmp_path):
    path = view.export_chart(tmp_path / "graph.pdf")
    assert path.read_bytes()[:5] == b"%PDF-"
    assert view.canvas.figure.canvas is view.canvas  # exporting leaves the Qt canvas in place
    assert [e.action for e in store.audit_entries(demo.case.id)][-1] == "export-chart"


def test_measures_table_opens_sorted_by_degree(view):
    degrees = [int(view.sorted_metrics.index(row, 2).data()) for row in range(view.sorted_metrics.rowCount())]
    assert degrees == sorted(degrees, reverse=True)


def test_real_attribution_network_in_the_view(qtbot, store):
    from tests.charts.datasets import fiat_case

    fiat = fiat_case()
    store_case(store, fiat)
    widget = GraphView(store)
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    with qtbot.waitSignal(widget.rendered, timeout=WAIT_MS):
        widget.set_case(fiat.case.id)
    with qtbot.waitSignal(widget.rendered, timeout=WAIT_MS):
        widget.size_by.setCurrentIndex(widget.size_by.findData("betweenness"))
    assert widget.chart.graph.number_of_nodes() == len(fiat.actors)
    assert "Russia" in {widget.chart.graph.nodes[n]["label"] for n in widget.chart.labelled}
    qtbot.waitUntil(widget.canvas.isVisible, timeout=WAIT_MS)
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / "ui-graph-fiat.png"))
