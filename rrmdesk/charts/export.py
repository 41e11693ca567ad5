"""Charts out of RRM Desk: PNG, SVG and PDF at print quality.

Rendering goes to memory first (DESIGN.md: exports go to a ``BytesIO`` until the analyst chooses
the destination), then to the chosen file in one write, so a failed export never leaves half a
file with case content behind. Title, TLP marking and date of production are already in the
figure (``frame.decorate``); the PDF also carries them as document metadata.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import numpy as np
from matplotlib.backends import backend_agg
from matplotlib.figure import Figure
from matplotlib.ft2font import RenderMode
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from ..errors import RRMDeskError, UsageError
from . import choices, style

FORMATS = choices.FORMATS
PRINT_DPI = 300


_WRITE_HINT = "choose another folder or file name; nothing was written"


class _Renderer(backend_agg.RendererAgg):
    """matplotlib's Agg renderer, less the font reset before every glyph of matplotlib 3.11.

    3.11 draws text glyph by glyph and sets the font size again before each one; for a hinted
    TrueType font (our DejaVu Sans) that discards the size's hinting state, so every glyph
    re-runs the font's set-up program, which costs more than drawing the glyph. Setting the
    size once per run of glyphs in the same font draws the same pixels (``test_export`` compares
    them with matplotlib's own) in about half the time; text is most of a chart's drawing.
    """

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        flags = backend_agg.get_hinting_flag()
        mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
        matrices: dict[tuple[float, float], np.ndarray] = {}
        current = None
        for font, size, glyph_index, slant, extend, dx, dy in glyphs:  # dy is upwards, y downwards
            if current != (id(font), size):
                font.set_size(size, self.dpi)
                current = (id(font), size)
            matrix = matrices.get((slant, extend))
            if matrix is None:
                matrix = matrices[slant, extend] = (0x10000 * np.array([[cos, -sin], [sin, cos]])
                                                    @ [[extend, extend * slant], [0, 1]]).round().astype(int)
            font._set_transform(matrix, [round(0x40 * (x + dx * cos - dy * sin)),
                                         round(0x40 * (self.height - y + dx * sin + dy * cos))])
            bitmap = font._render_glyph(glyph_index, flags, mode)
            buffer = bitmap.buffer
            if mode is RenderMode.MONO:
                buffer *= 0xFF
            self._renderer.draw_text_image(buffer, bitmap.left, int(self.height) - bitmap.top + buffer.shape[0], 0, gc)
        boxes = tuple(boxes)
        if boxes:  # mathtext rules: matplotlib's own code
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


class FigureCanvas(backend_agg.FigureCanvasAgg):
    """The Agg canvas with ``_Renderer``; ``savefig(backend=RASTER_BACKEND)`` uses it for PNG."""

    def get_renderer(self):
        width, height = self.get_width_height(physical=True)
        key = width, height, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _Renderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def print_png(self, filename_or_obj, *, metadata=None, pil_kwargs=None, **_applied):
        """An opaque chart (exports are on white) as an RGB PNG: same pixels, a quarter less to compress.

        ``_applied``: dpi, colours and the like, which ``savefig`` has already set on the figure.
        """
        self.draw()
        rgba = np.asarray(self.buffer_rgba())
        if pil_kwargs or rgba[..., 3].min() < 0xFF:
            return super().print_png(filename_or_obj, metadata=metadata, pil_kwargs=pil_kwargs)
        info = PngInfo()
        for key, value in (metadata or {}).items():
            info.add_text(key, value)
        Image.fromarray(rgba).convert("RGB").save(filename_or_obj, format="png", pnginfo=info,
                                                  dpi=(self.figure.dpi, self.figure.dpi))


#: matplotlib before 3.11 drew each text in one piece and needs no help.
RASTER_BACKEND = (f"module://{__name__}" if hasattr(backend_agg.RendererAgg, "_draw_text_glyphs_and_boxes")
                  else None)


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format named explicitly, or by the file's extension."""
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise UsageError(f"cannot export a chart as {chosen or 'a file without an extension'!r}",
                         "end the file name in .png, .svg or .pdf")
    return chosen


def figure_bytes(figure: Figure, fmt: str, title: str = "", tlp: str = "", dpi: int = PRINT_DPI) -> bytes:
    """The figure encoded as PNG, SVG or PDF, in memory."""
    fmt = format_for(Path(f"chart.{fmt}"))
    metadata: dict[str, str] = {}
    if fmt == "pdf":
        metadata = {"Title": title, "Subject": style.tlp_label(tlp) if tlp else "", "Creator": "RRM Desk"}
    elif fmt == "svg":
        metadata = {"Title": title, "Description": style.tlp_label(tlp) if tlp else "", "Creator": "RRM Desk"}
    elif fmt == "png":
        metadata = {"Title": title, "Description": style.tlp_label(tlp) if tlp else "", "Software": "RRM Desk"}
    buffer = io.BytesIO()
    # savefig switches to the format's canvas and back, so a figure shown in the desktop app
    # keeps its Qt canvas while it is exported.
    with style.matplotlib_settings(style.SAVE_PARAMS):
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata={k: v for k, v in metadata.items() if v},
                       facecolor="white", backend=RASTER_BACKEND if fmt == "png" else None)
    return buffer.getvalue()


def export_figure(figure: Figure, path: Path, fmt: str | None = None, title: str = "", tlp: str = "",
                  overwrite: bool = False) -> Path:
    """Write the figure to ``path`` (format from the extension unless ``fmt``); refuses to overwrite."""
    path = Path(path)
    data = figure_bytes(figure, format_for(path, fmt), title, tlp)
    try:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} already exists", "choose another name or pass --force") from None
    except OSError as exc:
        raise RRMDeskError(f"cannot write {path}: {exc.strerror or exc}", _WRITE_HINT) from exc
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise RRMDeskError(f"cannot write {path}: {exc.strerror or exc}", _WRITE_HINT) from exc
    return path
