"""Exports at print quality: valid PNG, SVG and PDF carrying the title, TLP marking and date."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from rrmdesk.charts import raster, style
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


def _darkness(canvas_class, text: str, **properties) -> np.ndarray:
    with style.matplotlib_settings(style.rc_params()):
        figure = Figure(figsize=(5, 0.6), dpi=100)
        figure.text(0.0337, 0.313, text, **properties)  # off the pixel grid on purpose
        canvas = canvas_class(figure)
        canvas.draw()
    return 255.0 - np.asarray(canvas.buffer_rgba())[..., :3].mean(axis=-1)


@pytest.mark.parametrize("text, properties", [
    ("Account cluster 08", {}),
    ("Агентство интернет-исследований", {}),
    ("Événements clés · août · Ça déçoit, à l'Élysée", {}),  # French: accents above, cedillas below
    ("الحرس الثوري الإسلامي", {}),  # joined and right to left
    ("TLP:AMBER", {"family": "DejaVu Sans Mono", "fontweight": "bold", "fontsize": 11}),
    ("Doppelganger: cloned news sites", {"fontsize": 15, "fontweight": "bold"}),
])
def test_png_text_is_matplotlibs_within_half_a_pixel(text, properties):
    """Text drawn in one piece: the same glyphs and amount of ink, the string on the pixel grid."""
    ours, theirs = _darkness(raster.FigureCanvas, text, **properties), _darkness(FigureCanvasAgg, text, **properties)
    assert abs(ours.sum() / theirs.sum() - 1) < 0.01
    rows, columns = np.indices(ours.shape)
    for axis in (rows, columns):
        assert abs((axis * ours).sum() / ours.sum() - (axis * theirs).sum() / theirs.sum()) <= 0.5


def test_png_glyph_by_glyph_text_is_matplotlibs_to_the_pixel():
    """Rotated, mathtext and aliased text keep matplotlib's glyph-by-glyph path: not one pixel differs."""
    with style.matplotlib_settings(style.rc_params()):
        figure = Figure(figsize=(6, 4), dpi=100)
        axes = figure.add_subplot()
        axes.plot([0, 1, 2], [3, 1, 2])
        axes.tick_params(labelrotation=20)
        figure.text(0.5, 0.5, "Rotated, accented: Ελληνικά, Zoë, Łódź", rotation=33, fontsize=12)
        figure.text(0.2, 0.3, r"mathtext $\alpha^2 + \sum_i x_i$", fontsize=13)
        figure.text(0.2, 0.2, "not antialiased", antialiased=False, fontsize=10, family="DejaVu Sans Mono")
    pixels = []
    for canvas in (FigureCanvasAgg(figure), raster.FigureCanvas(figure)):
        canvas.draw()
        pixels.append(np.asarray(canvas.buffer_rgba()).copy())
    assert np.array_equal(*pixels)


def test_png_is_opaque_rgb_with_its_marking(timeline_figure):
    png = Image.open(io.BytesIO(figure_bytes(timeline_figure, "png", dpi=100, title="Doppelganger", tlp="amber")))
    assert png.mode == "RGB"  # on white: no alpha channel to store
    assert png.info["Title"] == "Doppelganger" and png.info["Description"] == "TLP:AMBER"
    canvas = raster.FigureCanvas(timeline_figure)
    canvas.draw()
    assert np.array_equal(np.asarray(png), np.asarray(canvas.buffer_rgba())[..., :3])


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
