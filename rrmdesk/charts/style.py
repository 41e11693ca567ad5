"""Colours, marker shapes, line styles and fonts shared by every chart.

Why these choices: briefings are printed in black and white and read by colour-blind people, so
every category differs by *two* channels: an Okabe–Ito colour (distinguishable with the common
colour-vision deficiencies) and a marker shape or line style (distinguishable in greyscale).
TLP banners use the FIRST TLP 2.0 colours, coloured text on black, as the standard prescribes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

import matplotlib

#: Okabe & Ito (2008), ordered so neighbours differ strongly in lightness as well as hue.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Marker shapes paired with OKABE_ITO by position: the second channel for greyscale prints.
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
#: Hatches for bars, paired by position like MARKERS.
HATCHES = ("", "//", "..", "\\\\", "xx", "--", "++", "oo")
NEUTRAL = "#7F7F7F"
INK = "#222222"
GRID = "#D9D9D9"
LANE_SHADE = "#F4F4F4"

#: TLP 2.0 (FIRST): text colour on a black background.
TLP_COLOURS = {
    "clear": "#FFFFFF",
    "green": "#33FF00",
    "amber": "#FFC000",
    "amber+strict": "#FFC000",
    "red": "#FF2B2B",
}
TLP_BACKGROUND = "#000000"

FONT_FAMILY = ["DejaVu Sans", "Liberation Sans", "Arial", "sans-serif"]
TITLE_SIZE = 15
LABEL_SIZE = 9.5
SMALL_SIZE = 8

#: Node kinds in the actor-link graph: (marker, colour). Actors are coloured by actor kind below.
#: Actors carry the palette; the other kinds are told apart by shape and three distinct greys,
#: so no narrative or event can be mistaken for a kind of actor.
NODE_KINDS = {
    "actor": ("o", OKABE_ITO[0]),
    "narrative": ("s", "#F2F2F2"),
    "event": ("D", "#A6A6A6"),
    "evidence": ("^", "#4D4D4D"),
}
#: Actor kinds (vocab.ACTOR_KIND) in the graph; states darkest so attribution chains stand out.
ACTOR_COLOURS = {
    "state": "#D55E00",
    "state-affiliated": "#E69F00",
    "proxy": "#CC79A7",
    "media-outlet": "#0072B2",
    "account": "#56B4E9",
    "individual": "#009E73",
    "organisation": "#F0E442",
    "unknown": NEUTRAL,
}
#: Relationship confidence as a line style: solid is what we are sure of.
CONFIDENCE_STYLES = {"high": "solid", "moderate": (0, (5, 2)), "low": (0, (1, 2)), None: (0, (6, 2, 1, 2))}
CONFIDENCE_WIDTHS = {"high": 1.8, "moderate": 1.3, "low": 1.0, None: 0.9}


def rc_params() -> dict[str, object]:
    """Matplotlib settings applied while a figure is built (``matplotlib.rc_context``), never globally."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILY,
        "font.size": LABEL_SIZE,
        "axes.edgecolor": "#888888",
        "axes.labelcolor": INK,
        "axes.titlesize": TITLE_SIZE,
        "xtick.color": INK,
        "ytick.color": INK,
    }


#: Applied while saving (``export``): text stays text in SVG, and TrueType in PDF so pdftotext and
#: screen readers can read it.
SAVE_PARAMS = {"svg.fonttype": "none", "pdf.fonttype": 42, "path.simplify": True, "agg.path.chunksize": 20_000}


_RC_LOCK = threading.RLock()


@contextlib.contextmanager
def matplotlib_settings(params: dict[str, object]) -> Iterator[None]:
    """Apply ``params`` while building or saving a figure, one thread at a time.

    ``rc_context`` changes matplotlib's global settings and restores them on exit; two threads
    doing so at once (the desktop app renders on workers) could restore each other's values
    and leave them behind, so chart code takes this lock around it.
    """
    with _RC_LOCK, matplotlib.rc_context(params):
        yield


def category_styles(categories: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """A (colour, marker, hatch) per category, stable for a given sorted set of names.

    Beyond eight categories colours repeat with a different marker, so no two categories share
    both channels until 64 of them (then the legend is the key anyway).
    """
    styles = {}
    for index, name in enumerate(sorted(set(categories))):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        marker = MARKERS[(index + index // len(OKABE_ITO)) % len(MARKERS)]
        hatch = HATCHES[(index + index // len(OKABE_ITO)) % len(HATCHES)]
        styles[name] = (colour, marker, hatch)
    return styles


def tlp_label(tlp: str) -> str:
    return f"TLP:{tlp.upper()}"
