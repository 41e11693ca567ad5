"""Exports at print quality: valid PNG, SVG and PDF carrying the title, TLP marking and date."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from rrmdesk.charts import export
from rrmdesk.charts import GraphOptions, TimelineOptions, export_figure, figure_bytes, render_graph, render_timeline
from rrmdesk.errors import UsageError


@pytest.fixture(scope="module")
def timeline_figure(request):
    demo = request.getfixturevalue("demo")
    return render_timeline(demo, TimelineOptions(produced="2026-11-30 09:00 UTC")).figure


def test_png_is_a_print_quality_png(timeline_figure):
    data = figure_bytes(timeline_figure, "png", title="Doppelganger", tlp="amber")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    assert width == round(11.69 * 300)  # A4 landscape at 300 dpi


def test_png_draws_the_pixels_matplotlib_draws(demo):
    """The export's renderer only skips matplotlib's redundant font resets: not one pixel differs."""
    figure = render_timeline(demo, TimelineOptions(produced="2026-11-30 09:00 UTC")).figure
    figure.text(0.5, 0.5, "Rotated, accented: Ελληνικά, Zoë, Łódź", rotation=33, fontsize=12)
    figure.text(0.2, 0.3, r"mathtext $\alpha^2 + \sum_i x_i$", fontsize=13)
    figure.text(0.2, 0.2, "not antialiased", antialiased=False, fontsize=10, family="DejaVu Sans Mono")
    pixels = []
    for canvas in (FigureCanvasAgg(figure), export.FigureCanvas(figure)):
        canvas.draw()
        pixels.append(np.asarray(canvas.buffer_rgba()).copy())
    assert np.array_equal(*pixels)
    png = Image.open(io.BytesIO(figure_bytes(figure, "png", dpi=100, title="Doppelganger", tlp="amber")))
    assert png.mode == "RGB"  # opaque on white: no alpha channel to store
    assert png.info["Title"] == "Doppelganger" and png.info["Description"] == "TLP:AMBER"
    assert np.array_equal(np.asarray(png), pixels[0][..., :3])


def test_svg_is_xml_with_text_kept_as_text(timeline_figure):
    data = figure_bytes(timeline_figure, "svg", title="Doppelganger", tlp="amber")
    root = ElementTree.fromstring(data)
    assert root.tag.endswith("svg")
    assert b"TLP:AMBER" in data and b"Doppelganger: cloned news sites: timeline" in data
    assert b"Produced 2026-11-30 09:00 UTC" in data


def test_pdf_text_has_title_marking_and_date(timeline_figure, tmp_path):
    path = export_figure(timeline_figure, tmp_path / "timeline.pdf", title="Doppelganger", tlp="amber")
    assert path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Doppelganger: cloned news sites: timeline" in text
    assert text.count("TLP:AMBER") == 2
    assert "Produced 2026-11-30 09:00 UTC" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Title:           Doppelganger" in info and "TLP:AMBER" in info


def test_graph_exports_in_every_format(fiat, tmp_path):
    chart = render_graph(fiat, GraphOptions())
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for fmt, start in magic.items():
        path = export_figure(chart.figure, tmp_path / f"graph.{fmt}", title="FIAT", tlp="green")
        assert path.read_bytes().startswith(start)
    text = subprocess.run(["pdftotext", str(tmp_path / "graph.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "TLP:GREEN" in text and "actor-link graph" in text


def test_export_refuses_to_overwrite_and_bad_names(timeline_figure, tmp_path):
    target = tmp_path / "chart.png"
    target.write_bytes(b"keep me")
    with pytest.raises(UsageError, match="already exists"):
        export_figure(timeline_figure, target)
    assert target.read_bytes() == b"keep me"
    export_figure(timeline_figure, target, overwrite=True)
    assert target.read_bytes().startswith(b"\x89PNG")
    with pytest.raises(UsageError, match="cannot export a chart as 'jpg'"):
        export_figure(timeline_figure, tmp_path / "chart.jpg")
    with pytest.raises(UsageError, match="without an extension"):
        export_figure(timeline_figure, tmp_path / "chart")
    assert not (tmp_path / "chart.jpg").exists()
