"""Draw the RRM Desk application icon: ``resources/icons/`` (SVG, PNG sizes, Windows .ico).

The icon is the desktop app's window icon (``resources/ui/rrmdesk.svg``: a case file with a
TLP-amber header line, two text lines and a green check ring) drawn from one list of shapes,
so the SVG and the bitmaps cannot drift apart. Pillow renders the bitmaps (supersampled, then
reduced, for smooth edges); no artwork from elsewhere is used. Run it after changing a shape:

    .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
GRID = 64  # the shapes are drawn on a 64 x 64 grid
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
SUPERSAMPLE = 4

#: (kind, x, y, width, height, corner radius or ring width, colour)
SHAPES = (
    ("rect", 4, 4, 56, 56, 10, "#1f2a44"),
    ("rect", 14, 16, 36, 6, 2, "#ffc000"),
    ("rect", 14, 28, 28, 5, 2, "#e8ecf4"),
    ("rect", 14, 38, 32, 5, 2, "#e8ecf4"),
    ("ring", 40, 38, 16, 16, 3, "#33ff00"),
)


def svg() -> str:
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{GRID}" height="{GRID}" viewBox="0 0 {GRID} {GRID}">',
             "  <title>RRM Desk</title>"]
    for kind, x, y, w, h, r, colour in SHAPES:
        if kind == "rect":
            parts.append(f'  <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}" fill="{colour}"/>')
        else:
            parts.append(f'  <circle cx="{x + w / 2:g}" cy="{y + h / 2:g}" r="{w / 2 - r / 2:g}" fill="none" '
                         f'stroke="{colour}" stroke-width="{r}"/>')
    return "\n".join([*parts, "</svg>", ""])


def bitmap(size: int) -> Image.Image:
    scale = size * SUPERSAMPLE / GRID
    image = Image.new("RGBA", (size * SUPERSAMPLE,) * 2, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for kind, x, y, w, h, r, colour in SHAPES:
        box = (x * scale, y * scale, (x + w) * scale, (y + h) * scale)
        if kind == "rect":
            draw.rounded_rectangle(box, radius=r * scale, fill=colour)
        else:
            draw.ellipse(box, outline=colour, width=max(1, round(r * scale)))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "rrmdesk.svg").write_text(svg(), encoding="utf-8")
    for size in PNG_SIZES:
        bitmap(size).save(ICONS / f"rrmdesk-{size}.png", optimize=True)
    bitmap(256).save(ICONS / "rrmdesk.ico", sizes=[(s, s) for s in ICO_SIZES])
    print(f"wrote {ICONS}")


if __name__ == "__main__":
    main()
