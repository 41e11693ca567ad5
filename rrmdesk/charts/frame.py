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


def decorate(figure: Figure, title: str, subtitle: str, tlp: str, produced: str | None = None) -> None:
    """Draw the title, subtitle, the TLP banner top and bottom, and the production line."""
    tlp = check_tlp(tlp)
    height = figure.get_figheight()
    top = 1 - 0.18 / height
    figure.text(0.012, top, title, ha="left", va="top", fontsize=style.TITLE_SIZE, fontweight="bold",
                color=style.INK, gid="chart-title")
    if subtitle:
        figure.text(0.012, top - 0.34 / height, subtitle, ha="left", va="top", fontsize=style.LABEL_SIZE,
                    color="#555555", gid="chart-subtitle")
    banner = dict(boxstyle="square,pad=0.35", facecolor=style.TLP_BACKGROUND, edgecolor=style.TLP_BACKGROUND)
    for y, va, gid in ((top, "top", "tlp-banner-top"), (0.1 / height, "bottom", "tlp-banner-bottom")):
        figure.text(0.988, y, style.tlp_label(tlp), ha="right", va=va, fontsize=11, fontweight="bold",
                    family="DejaVu Sans Mono", color=style.TLP_COLOURS[tlp], bbox=banner, gid=gid)
    figure.text(0.012, 0.1 / height, f"Produced {produced or production_stamp()} with RRM Desk",
                ha="left", va="bottom", fontsize=style.SMALL_SIZE, color="#555555", gid="chart-produced")


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
