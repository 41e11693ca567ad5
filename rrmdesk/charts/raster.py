"""Raster (PNG) exports: matplotlib's Agg canvas, with text drawn the way matplotlib 3.10 drew it.

matplotlib 3.11 lays every string out twice, once to measure it and again to draw it, then draws
it glyph by glyph, setting the font size again before each glyph; for a hinted TrueType font
like our DejaVu Sans that re-runs the font's set-up program every time. Text is most of the time
a chart takes to draw, so this renderer:

- keeps the bitmap of each string from the pass that measures it and draws it in one piece
  later, as matplotlib did up to 3.10: the same glyphs, the same layout, the same extents; the
  string as a whole sits on the pixel grid, so a text may move by up to half a pixel;
- for what still goes glyph by glyph (rotated text, text with font features or a language
  set, text drawn without antialiasing), sets the font size once per run of glyphs, which does
  not change a pixel.

``export.figure_bytes`` saves PNGs through it (``savefig(backend=RASTER_BACKEND)``); the desktop
app's canvas and the SVG and PDF exports are untouched.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.backends import backend_agg
from PIL import Image
from PIL.PngImagePlugin import PngInfo


try:
    from matplotlib.ft2font import RenderMode
except ImportError:  # matplotlib before 3.10: RASTER_BACKEND below is None, this module unused
    RenderMode = None


class _Renderer(backend_agg.RendererAgg):
    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        #: (string, font properties, hinting) -> the string's bitmap, its offset and descent (26.6).
        self._bitmaps: dict[tuple, tuple[np.ndarray, tuple[int, int], int]] = {}

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        # matplotlib's own measurement, and the bitmap drawn from the same layout while it is there.
        font = self._prepare_font(prop)
        flags = backend_agg.get_hinting_flag()
        font.set_text(s, 0.0, flags=flags)
        width, height = font.get_width_height()
        descent = font.get_descent()
        font.draw_glyphs_to_bitmap(antialiased=True)
        self._bitmaps[s, prop, flags] = (np.array(font.get_image()), font.get_bitmap_offset(), descent)
        return width / 64, height / 64, descent / 64

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        shaped = mtext is not None and (mtext.get_fontfeatures() or mtext.get_language())
        kept = None
        if not (ismath or angle or shaped) and gc.get_antialiased():
            kept = self._bitmaps.get((s, prop, backend_agg.get_hinting_flag()))
        if kept is None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        bitmap, (offset_x, offset_y), descent = kept
        # y runs downwards and names the bitmap's bottom edge: baseline, plus the descent.
        self._renderer.draw_text_image(bitmap, round(x + offset_x / 64),
                                       round(y + (offset_y + descent) / 64) + 1, 0, gc)

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        """matplotlib 3.11's glyph loop, setting each font's size once per run instead of per glyph."""
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
            glyph = font._render_glyph(glyph_index, flags, mode)
            buffer = glyph.buffer
            if mode is RenderMode.MONO:
                buffer *= 0xFF
            self._renderer.draw_text_image(buffer, glyph.left, int(self.height) - glyph.top + buffer.shape[0], 0, gc)
        boxes = tuple(boxes)
        if boxes:  # mathtext rules: matplotlib's own code
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, (), boxes)


class FigureCanvas(backend_agg.FigureCanvasAgg):
    """The Agg canvas drawing with ``_Renderer``, saving opaque charts as RGB PNGs."""

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


#: For ``savefig(backend=...)``. Before 3.11 matplotlib drew text in one piece itself: its own canvas then.
RASTER_BACKEND = (f"module://{__name__}" if hasattr(backend_agg.RendererAgg, "_draw_text_glyphs_and_boxes")
                  else None)
