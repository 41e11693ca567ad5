"""The frame every chart sits in: title, TLP banners, date of production.

A chart lifted out of a briefing must still say how it may be shared and when it was made, so
the marking is drawn into the figure itself (top and bottom, as TLP 2.0 asks of documents),
not added by whoever exports it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from matplotlib.figure import Figure

from ..vocab import TLP
from ..errors import UsageError
from . import style
from .wording import ENGLISH, ChartWording

#: Space reserved above and below the plot, in inches, whatever the figure size.
TOP_BAND = 0.95
BOTTOM_BAND = 0.45


def production_stamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def check_tlp(tlp: str) -> str:
    if tlp not in TLP:
        raise UsageError(f"{tlp!r} is not a TLP marking", f"use one of: {', '.join(TLP)}")
    return tlp


def decorate(figure: Figure, title: str, subtitle: str, tlp: str, produced: str | None = None,
             wording: ChartWording = ENGLISH) -> None:
    """Draw the title, subtitle, the TLP banner top and bottom, and the production line.

    The TLP label stays as FIRST spells it ("TLP:AMBER") in every language, as TLP 2.0 asks.
    """
    tlp = check_tlp(tlp)
    height = figure.get_figheight()
    top = 1 - 0.18 / height
    size, shown = fit_title(title, figure.get_figwidth() - 0.45 - _banner_inches(tlp))
    figure.text(0.012, top, shown, ha="left", va="top", fontsize=size, fontweight="bold",
                color=style.INK, gid="chart-title")
    if subtitle:
        shown = fit_subtitle(subtitle, figure.get_figwidth() - 0.3)
        figure.text(0.012, top - 0.34 / height, shown, ha="left", va="top", fontsize=style.LABEL_SIZE,
                    color="#555555", gid="chart-subtitle")
    banner = dict(boxstyle="square,pad=0.35", facecolor=style.TLP_BACKGROUND, edgecolor=style.TLP_BACKGROUND)
    for y, va, gid in ((top, "top", "tlp-banner-top"), (0.1 / height, "bottom", "tlp-banner-bottom")):
        figure.text(0.988, y, style.tlp_label(tlp), ha="right", va=va, fontsize=11, fontweight="bold",
                    family="DejaVu Sans Mono", color=style.TLP_COLOURS[tlp], bbox=banner, gid=gid)
    line = fit_beside_banner(wording.text("produced", stamp=produced or production_stamp()),
                             figure.get_figwidth() - 0.3 - _banner_inches(tlp))
    figure.text(0.012, 0.1 / height, line, ha="left", va="bottom", fontsize=style.SMALL_SIZE, color="#555555",
                gid="chart-produced")


def _banner_inches(tlp: str) -> float:
    return len(style.tlp_label(tlp)) * 11 * 0.62 / 72 + 0.15


def fit_beside_banner(line: str, width_inches: float) -> str:
    """The production line, on two lines when one would run under the bottom banner (a narrow
    chart in the desktop's graph tab)."""
    if len(line) * 0.5 * style.SMALL_SIZE / 72 <= width_inches:
        return line
    words = line.split(" ")
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


def fit_title(title: str, width_inches: float) -> tuple[float, str]:
    """A font size (down to 11 pt) at which the title fits beside the banner, else shortened."""
    per_char = 0.6 / 72  # bold sans, inches per character per point, a little generous
    size = style.TITLE_SIZE
    while size > 11 and len(title) * size * per_char > width_inches:
        size -= 0.5
    limit = int(width_inches / (size * per_char))
    return size, title if len(title) <= limit else title[: max(limit - 1, 10)].rstrip() + "…"


def fit_subtitle(subtitle: str, width_inches: float) -> str:
    """The subtitle on one line, else on two broken at its " · " separators, shortened if even that is too long.

    Filters, an ego node and a measure make a long subtitle, and French runs longer than English;
    the band above the plot has room for two lines.
    """
    limit = int(width_inches / (0.5 * style.LABEL_SIZE / 72))  # regular sans, inches per character, generous
    if len(subtitle) <= limit:
        return subtitle
    parts = subtitle.split(" · ")
    first, rest = parts[0], parts[1:]
    while rest and len(f"{first} · {rest[0]}") <= limit:
        first = f"{first} · {rest.pop(0)}"
    lines = [first, " · ".join(rest)] if rest else [first]
    return "\n".join(line if len(line) <= limit else line[: limit - 1].rstrip() + "…" for line in lines)


def plot_area(figure: Figure, left_inches: float, bottom_extra_inches: float = 0.0) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) figure fractions for the axes inside the frame."""
    width, height = figure.get_size_inches()
    left = min(left_inches / width, 0.45)
    bottom = (BOTTOM_BAND + bottom_extra_inches) / height
    top = 1 - TOP_BAND / height
    return left, min(bottom, top - 0.1), 1 - 0.3 / width, top


def empty_message(figure: Figure, message: str, hint: str) -> None:
    """A clear statement instead of an empty axis: an empty chart looks like a bug."""
    figure.text(0.5, 0.52, message, ha="center", va="center", fontsize=16, color=style.INK, gid="empty-message")
    figure.text(0.5, 0.45, hint, ha="center", va="center", fontsize=style.LABEL_SIZE, color="#555555")
