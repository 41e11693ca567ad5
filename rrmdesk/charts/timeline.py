"""The case timeline: events on a date axis, in swimlanes the analyst chooses.

Durations are bars, instants are markers, key events are annotated. Beyond
``density_threshold`` placements in view the lanes become density strips (a heat strip of
events per time bin), which stay readable at 100,000 events; zooming in (a narrower
``start``/``end``) brings the individual events back.
"""

from __future__ import annotations

import dataclasses
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import compress
from operator import attrgetter

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..clock import parse_time
from . import choices
from ..disarm import default_catalog
from ..errors import UsageError
from ..model import Event
from ..progress import Progress
from . import frame, style
from .snapshot import CaseSnapshot
from .wording import ChartWording, chart_wording

LANES = choices.LANES
COLOUR_BY = choices.TIMELINE_COLOUR_BY
DENSITY_THRESHOLD = 2_000
MAX_LANES = 24
MAX_KEY_LABELS = 12
MAX_ROWS = 4  # rows a lane splits into for overlapping events
ROW_POINTS = 15.0  # rows of one lane at most this far apart
BAR_POINTS = 10.0  # duration bars at most this thick
KEY_PANEL_INCHES = 2.6  # beside the chart, the numbered list of key events
NARROW_INCHES = 10.0  # narrower figures (a desktop tab) get shorter lane names and a slimmer key list
TICK_INCHES = 0.6  # at most one date label per this much axis, so labels never run together
LEGEND_ROWS = 2  # rows of the colour key the space under the chart holds; each more takes LEGEND_ROW_INCHES
LEGEND_ROW_INCHES = 0.2
KEY_DROP_INCHES = 0.36  # the colour key's top below the chart: under the date labels and the axis label
_DAY = 1.0  # matplotlib date units are days


@dataclass(frozen=True)
class TimelineFilter:
    """What the analyst narrowed the view to; empty sets mean 'all'."""

    actors: frozenset[str] = frozenset()
    narratives: frozenset[str] = frozenset()
    tactics: frozenset[str] = frozenset()
    platforms: frozenset[str] = frozenset()
    text: str = ""

    def accepts(self, event: Event) -> bool:
        if self.actors and not self.actors.intersection(event.actor_ids):
            return False
        if self.narratives and not self.narratives.intersection(event.narrative_ids):
            return False
        if self.platforms and event.platform not in self.platforms:
            return False
        if self.tactics and not self.tactics.intersection(_tactic_ids(event)):
            return False
        if self.text:
            needle = self.text.casefold()
            haystack = f"{event.title}\n{event.description}\n{event.location}\n{event.platform}".casefold()
            if needle not in haystack:
                return False
        return True


@dataclass(frozen=True)
class TimelineOptions:
    lanes: str = "actor"
    start: str | None = None
    end: str | None = None
    colour_by: str = "category"
    filter: TimelineFilter = TimelineFilter()
    density_threshold: int = DENSITY_THRESHOLD
    title: str | None = None
    size: tuple[float, float] = (11.69, 8.27)  # A4 landscape, inches
    produced: str | None = None
    language: str = "en"  # the chart's own words and dates; record values are never translated

    def validated(self) -> "TimelineOptions":
        chart_wording(self.language)
        if self.lanes not in LANES:
            raise UsageError(f"cannot group the timeline by {self.lanes!r}", f"use one of: {', '.join(LANES)}")
        if self.colour_by not in COLOUR_BY:
            raise UsageError(f"cannot colour events by {self.colour_by!r}", f"use one of: {', '.join(COLOUR_BY)}")
        start = parse_time(self.start, "timeline start") if self.start else None
        end = parse_time(self.end, "timeline end") if self.end else None
        if start and end and end <= start:
            raise UsageError("the timeline ends before it starts", "give --from earlier than --to")
        return dataclasses.replace(self, start=start, end=end)

    def window(self, start: float, end: float) -> "TimelineOptions":
        """The same options over another span (matplotlib date numbers), as after a zoom."""
        return dataclasses.replace(self, start=_iso(start), end=_iso(end))


@dataclass
class TimelineChart:
    """A drawn timeline and what the desktop view needs to pick events on it."""

    figure: Figure
    axes: Axes | None
    mode: str  # "events", "density" or "empty"
    lanes: list[str]
    event_ids: list[str] = field(default_factory=list)
    x0: np.ndarray = field(default_factory=lambda: np.empty(0))
    x1: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))
    in_view: int = 0
    span: tuple[float, float] = (0.0, 1.0)

    def event_at(self, px: float, py: float, radius: float = 6.0) -> str | None:
        """The event drawn at display pixel (px, py), or None; bars match anywhere along them."""
        if self.axes is None or self.mode != "events" or not self.event_ids:
            return None
        transform = self.axes.transData
        start = transform.transform(np.column_stack([self.x0, self.y]))
        end = transform.transform(np.column_stack([self.x1, self.y]))
        dy = np.abs(start[:, 1] - py)
        inside = (px >= start[:, 0] - radius) & (px <= end[:, 0] + radius)
        dx = np.where(inside, 0.0, np.minimum(np.abs(start[:, 0] - px), np.abs(end[:, 0] - px)))
        distance = np.hypot(dx, dy)
        best = int(np.argmin(distance))
        return self.event_ids[best] if distance[best] <= radius else None

    def tooltip(self, event_id: str, snapshot: CaseSnapshot) -> str:
        return event_tooltip(next(e for e in snapshot.events if e.id == event_id), snapshot)


def event_tooltip(event: Event, snapshot: CaseSnapshot) -> str:
    """Two or three short lines for a hover tooltip."""
    labels = snapshot.labels()
    when = event.start[:16].replace("T", " ")
    if event.end:
        when += f" – {event.end[:16].replace('T', ' ')}"
    lines = [event.title, when + " UTC"]
    actors = ", ".join(labels.get(a, a) for a in event.actor_ids)
    detail = " · ".join(p for p in (actors, event.platform, ", ".join(event.techniques)) if p)
    if detail:
        lines.append(detail)
    return "\n".join(lines)


def _iso(number: float) -> str:
    return mdates.num2date(number).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _tactic_ids(event: Event) -> set[str]:
    catalog = default_catalog()
    found = set()
    for code in event.techniques:
        technique = catalog.get(code)
        if technique is not None:
            found.add(technique.tactic)
    return found


def _lane_keys(event: Event, lanes: str, labels: dict[str, str], wording: ChartWording) -> list[str]:
    """Which lanes one event sits in (several when it names several actors or narratives).

    DISARM tactic and phase names are the framework's own (published in English only).
    """
    if lanes == "none":
        return [wording["lane_all"]]
    if lanes == "actor":
        return [labels.get(a, wording["unknown_actor"]) for a in event.actor_ids] or [wording["no_actor"]]
    if lanes == "narrative":
        return [labels.get(n, wording["unknown_narrative"]) for n in event.narrative_ids] or [wording["no_narrative"]]
    if lanes == "platform":
        return [event.platform or wording["no_platform"]]
    catalog = default_catalog()
    keys = []
    for code in event.techniques:
        technique = catalog.get(code)
        if technique is None:
            keys.append(wording.text("not_in_disarm", version=catalog.version))
            continue
        tactic = catalog.tactic_of(technique.code)
        if lanes == "tactic":
            keys.append(f"{tactic.id} {tactic.name}")
        else:
            phase = next(p for p in catalog.phases() if p.id == tactic.phase)
            keys.append(f"{phase.id} {phase.name}")
    return list(dict.fromkeys(keys)) or [wording["no_technique"]]


#: The event field each kind of lane is decided by ("none" needs none; the platform stands in).
_LANE_REFS = {"actor": "actor_ids", "narrative": "narrative_ids", "platform": "platform", "tactic": "techniques",
              "phase": "techniques", "none": "platform"}


def _lanes_of(events: list[Event], refs: list, lanes: str, labels: dict[str, str],
              wording: ChartWording) -> list[list[str]]:
    """``_lane_keys`` of every event, worked out once per distinct value of its ``_LANE_REFS`` field.

    Thousands of events name the same few actors, narratives or techniques; the shared lists
    are only read.
    """
    if lanes == "none":
        return [[wording["lane_all"]]] * len(events)
    known: dict[object, list[str]] = {}
    found = []
    for event, ref in zip(events, refs):
        ref = tuple(ref) if isinstance(ref, list) else ref
        keys = known.get(ref)
        if keys is None:
            keys = known[ref] = _lane_keys(event, lanes, labels, wording)
        found.append(keys)
    return found


def _colour_key(event: Event, colour_by: str, wording: ChartWording) -> str:
    if colour_by == "category":
        return event.category or wording["uncategorised"]
    if not event.techniques:
        return wording["no_technique"]
    code = event.techniques[0].split(".")[0]
    technique = default_catalog().get(code)
    return f"{code} {technique.name}" if technique else code


def _to_num(stamps: Iterable[str]) -> np.ndarray:
    values = np.array([s.rstrip("Z") for s in stamps], dtype="datetime64[ms]")
    return mdates.date2num(values) if len(values) else np.empty(0)


def _lane_order(lanes: str, first_seen: dict[str, float], counts: Counter) -> list[str]:
    """DISARM lanes follow the framework's order; others the order things first happened."""
    names = list(first_seen)
    if lanes in ("tactic", "phase"):
        return sorted(names, key=lambda n: (n.startswith("("), n))
    if len(names) > MAX_LANES:
        keep = {n for n, _ in counts.most_common(MAX_LANES - 1)}
        names = [n for n in names if n in keep]
    return sorted(names, key=lambda n: (n.startswith("("), first_seen[n]))


def render_timeline(snapshot: CaseSnapshot, options: TimelineOptions = TimelineOptions(),
                    progress: Progress | None = None) -> TimelineChart:
    """Draw the case timeline into a new ``Figure`` (no pyplot, no GUI backend)."""
    options = options.validated()
    with style.matplotlib_settings(style.rc_params()):
        return _render(snapshot, options, progress or Progress())


def _render(snapshot: CaseSnapshot, options: TimelineOptions, progress: Progress) -> TimelineChart:
    figure = Figure(figsize=options.size, dpi=100)
    case = snapshot.case
    wording = chart_wording(options.language)
    title = options.title or wording.text("timeline_title", case=case.title)
    labels = ({a.id: a.name for a in snapshot.actors} if options.lanes == "actor" else
              {n.id: n.title for n in snapshot.narratives} if options.lanes == "narrative" else {})
    unfiltered = options.filter == TimelineFilter()
    events = list(snapshot.events) if unfiltered else [e for e in snapshot.events if options.filter.accepts(e)]
    progress.update(0, 3, "placing events")

    # Everything the chart reads from every event, in one pass: with thousands of events, visiting
    # an event object costs more (memory traffic) than reading a field once there.
    rows = list(map(attrgetter("start", "end", "id", _LANE_REFS[options.lanes]), events))
    starts = _to_num(row[0] for row in rows)
    ends = starts.copy()
    lasting = [i for i, row in enumerate(rows) if row[1]]
    if lasting:
        ends[lasting] = _to_num(rows[i][1] for i in lasting)
    if options.start or options.end:
        keep = np.ones(len(events), dtype=bool)
        if options.start:
            keep &= ends >= _to_num([options.start])[0]
        if options.end:
            keep &= starts <= _to_num([options.end])[0]
        events, rows, starts, ends = list(compress(events, keep)), list(compress(rows, keep)), starts[keep], ends[keep]

    subtitle = _subtitle(snapshot, options, len(events), wording)
    frame.decorate(figure, title, subtitle, case.tlp, options.produced, wording)
    if not events:
        if snapshot.events:
            frame.empty_message(figure, wording["no_events_in_view"], wording["no_events_in_view_hint"])
        else:
            frame.empty_message(figure, wording["no_events"], wording["no_events_hint"])
        return TimelineChart(figure, None, "empty", [])

    # Place every event in each of its lanes (plain Python lists: this runs for every event).
    lanes_of = _lanes_of(events, [row[3] for row in rows], options.lanes, labels, wording)
    placed_lanes = [lane for keys in lanes_of for lane in keys]
    if len(placed_lanes) == len(events):  # one lane each, the usual case
        event_index = np.arange(len(events))
    else:
        event_index = np.fromiter((i for i, keys in enumerate(lanes_of) for _ in keys), dtype=np.int64,
                                  count=len(placed_lanes))
    x0, x1 = starts[event_index], ends[event_index]
    # Lanes as numbers in order of first appearance: counts and earliest starts per lane in numpy.
    seen = list(dict.fromkeys(placed_lanes))
    number = {name: n for n, name in enumerate(seen)}
    lane_codes = np.fromiter((number[lane] for lane in placed_lanes), dtype=np.int64, count=len(placed_lanes))
    earliest = np.full(len(seen), np.inf)
    np.minimum.at(earliest, lane_codes, x0)
    counts = Counter(dict(zip(seen, np.bincount(lane_codes, minlength=len(seen)).tolist())))
    first_seen = dict(zip(seen, earliest.tolist()))
    order = _lane_order(options.lanes, first_seen, counts)
    other = wording.text("other_lanes", count=len(first_seen) - len(order)) if len(order) < len(first_seen) else None
    lane_names = order + ([other] if other else [])
    lane_y = {name: len(lane_names) - 1 - i for i, name in enumerate(lane_names)}  # first lane on top
    other_y = lane_y.get(other, 0)
    y = np.array([lane_y.get(name, other_y) for name in seen], dtype=float)[lane_codes]

    span = _span(options, starts, ends)
    mode = "density" if len(placed_lanes) > options.density_threshold else "events"
    keys = _key_positions(events, event_index, x0) if mode == "events" else []
    narrow = figure.get_figwidth() < NARROW_INCHES
    name_limit = 22 if narrow else 30
    panel_inches = KEY_PANEL_INCHES - (0.5 if narrow else 0.0)
    left = 0.35 + min(max(len(n) for n in lane_names), name_limit) * style.LABEL_SIZE * 0.55 / 72
    panel = panel_inches / figure.get_figwidth() if keys else 0.0
    colour_keys = [_colour_key(events[i], options.colour_by, wording) for i in event_index] if mode == "events" else []
    legend_labels = [_short(key, 34) for key in dict.fromkeys(colour_keys)]
    if mode == "events" and (x1 > x0).any():
        legend_labels.append(wording["duration_bar"])
    # The colour key goes under the chart: as many rows as its entries need, so it never runs off the page.
    left_f, _, right_f, _ = frame.plot_area(figure, left)
    columns = _legend_columns(legend_labels, (right_f - panel - left_f) * figure.get_figwidth())
    key_rows = -(-len(legend_labels) // columns)
    left_f, bottom_f, right_f, top_f = frame.plot_area(
        figure, left, bottom_extra_inches=0.75 + max(0, key_rows - LEGEND_ROWS) * LEGEND_ROW_INCHES)
    right_f -= panel
    axes = figure.add_axes((left_f, bottom_f, right_f - left_f, top_f - bottom_f))
    lane_points = (top_f - bottom_f) * figure.get_figheight() * 72 / (len(lane_names) + 0.2)
    heights = np.full(len(y), 0.42)
    if mode == "events":
        y, heights = _stack(x0, x1, y, span, lane_points)
    progress.update(1, 3, "drawing")
    _lanes_background(axes, lane_names)
    if mode == "density":
        _draw_density(figure, axes, x0, y, len(lane_names), span, wording)
    else:
        _draw_events(figure, axes, colour_keys, x0, x1, y, heights, lane_points, wording, columns)
    _date_axis(axes, span, wording)
    axes.set_yticks(range(len(lane_names)))
    axes.set_yticklabels([_short(n, name_limit) for n in reversed(lane_names)])
    axes.set_ylim(-0.6, len(lane_names) - 0.4)
    if keys:
        _key_events(figure, axes, events, event_index, x0, y, keys, wording, wrap=28 if narrow else 34)
    progress.update(3, 3, "done")
    ids = [row[2] for row in rows]
    if len(event_index) != len(events):
        ids = [ids[i] for i in event_index.tolist()]
    return TimelineChart(figure, axes, mode, lane_names, ids, x0, x1, y, len(placed_lanes), span)


def _subtitle(snapshot: CaseSnapshot, options: TimelineOptions, shown: int, wording: ChartWording) -> str:
    lanes = wording["no_swimlanes"] if options.lanes == "none" else \
        wording.text("swimlanes_by", lanes=wording[f"lanes_{options.lanes}"])
    parts = [wording.text("events_shown", shown=wording.number(shown), total=wording.number(len(snapshot.events))),
             lanes]
    if options.start or options.end:
        parts.append(wording.text("date_range", start=(options.start or "…")[:10], end=(options.end or "…")[:10]))
    return " · ".join(parts)


def _span(options: TimelineOptions, starts: np.ndarray, ends: np.ndarray) -> tuple[float, float]:
    low = _to_num([options.start])[0] if options.start else float(starts.min())
    high = _to_num([options.end])[0] if options.end else float(ends.max())
    if high - low < 1 / 24:  # a single instant: show the hour around it
        middle = (low + high) / 2
        low, high = middle - 1 / 48, middle + 1 / 48
    if not (options.start and options.end):
        pad = (high - low) * 0.03
        low, high = (low if options.start else low - pad), (high if options.end else high + pad)
    return low, high


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lanes_background(axes: Axes, lane_names: list[str]) -> None:
    # Every other lane shaded, full width: one collection (axes fractions across, lanes up).
    shaded = [[(0, index - 0.5), (1, index - 0.5), (1, index + 0.5), (0, index + 0.5)]
              for index in range(0, len(lane_names), 2)]
    axes.add_collection(PolyCollection(shaded, facecolors=style.LANE_SHADE, linewidths=0, zorder=0,
                                       transform=axes.get_yaxis_transform(), gid="lane-shading"), autolim=False)
    axes.grid(axis="x", color=style.GRID, linewidth=0.6, zorder=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)


class _DateTicks(mdates.ConciseDateFormatter):
    """matplotlib's concise date labels, with month names and hours from the chart's wording.

    strftime would take month names from the process locale ("Mar" whatever the briefing's
    language, and nothing French on a machine without French locales); the wording's formats
    leave tokens that it fills in from its own tables.
    """

    def __init__(self, locator: mdates.DateLocator, wording: ChartWording) -> None:
        formats, zero_formats = wording.tick_formats()
        super().__init__(locator, formats=formats, zero_formats=zero_formats, show_offset=False)
        self.wording = wording

    def format_ticks(self, values):
        return [self.wording.tick_label(label) for label in super().format_ticks(values)]


#: tick steps added to matplotlib's: a year and a half of months, a day and a half of hours,
#: an hour and a half of minutes or seconds
_LONGER_STEPS = {mdates.MONTHLY: (12, 18), mdates.HOURLY: (24, 36), mdates.MINUTELY: (60, 90),
                 mdates.SECONDLY: (60, 90)}


def _date_axis(axes: Axes, span: tuple[float, float], wording: ChartWording) -> None:
    """Concise dates: '2024', 'Mar', '14:00' as the span needs; the axis label gives the dates in full.

    No offset text ('2024-Mar'): it would repeat the label, on top of it.
    """
    width = axes.get_position().width * axes.figure.get_figwidth()
    locator = mdates.AutoDateLocator(minticks=3, maxticks=max(3, min(10, int(width / TICK_INCHES))))
    # A narrow axis (three ticks) over up to three years, days, hours or minutes needs steps
    # matplotlib does not offer; without them it warns on every draw and crowds the axis.
    for frequency, longer in _LONGER_STEPS.items():
        locator.intervald[frequency] = [*locator.intervald[frequency], *longer]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(_DateTicks(locator, wording))
    axes.set_xlim(*span)
    axes.set_xlabel(wording.day_span(utc_datetime(span[0]), utc_datetime(span[1])),
                    fontsize=style.SMALL_SIZE, color="#555555", loc="right")


def _stack(x0: np.ndarray, x1: np.ndarray, y: np.ndarray, span: tuple[float, float],
           lane_points: float) -> tuple[np.ndarray, np.ndarray]:
    """Split a lane into up to ``MAX_ROWS`` rows so overlapping events sit side by side, not on top.

    Rows are at most ``ROW_POINTS`` apart and bars at most ``BAR_POINTS`` thick whatever the
    lane height, so a case with three lanes does not draw bars as thick as a thumb.
    """
    clearance = (span[1] - span[0]) * 0.008  # about one marker wide
    rows = np.zeros(len(y), dtype=int)
    per_lane: dict[float, int] = {}
    for lane in np.unique(y):
        members = np.flatnonzero(y == lane)
        ends: list[float] = []
        for i in members[np.argsort(x0[members], kind="stable")]:
            row = next((r for r, end in enumerate(ends) if end + clearance < x0[i]), None)
            if row is None:
                row = len(ends) % MAX_ROWS if len(ends) >= MAX_ROWS else len(ends)
                if len(ends) < MAX_ROWS:
                    ends.append(0.0)
            ends[row] = max(ends[row], x1[i])
            rows[i] = row
        per_lane[float(lane)] = max(1, len(ends))
    count = np.array([per_lane[float(v)] for v in y])
    pitch = np.minimum(0.8 / count, ROW_POINTS / lane_points)
    offset = (rows - (count - 1) / 2) * pitch
    return y - offset, np.minimum(np.minimum(0.42, pitch * 0.8), BAR_POINTS / lane_points)


def _legend_columns(labels: list[str], axes_inches: float) -> int:
    """As many columns as fit under the chart (it may reach a little past it), so the key never runs into the
    key-event list beside it."""
    if not labels:
        return 1
    entry = max(len(label) for label in labels) * style.SMALL_SIZE * 0.5 / 72 + 0.35
    return max(1, min(4, len(labels), int(axes_inches * 1.4 / entry)))


def _below_axes(figure: Figure, axes: Axes) -> float:
    """Where the colour key starts, in axes fractions: a fixed drop, however tall the chart."""
    return -KEY_DROP_INCHES / (axes.get_position().height * figure.get_figheight())


def _draw_events(figure: Figure, axes: Axes, keys: list[str], x0: np.ndarray, x1: np.ndarray, y: np.ndarray,
                 heights: np.ndarray, lane_points: float, wording: ChartWording, columns: int) -> None:
    """Bars and markers, one colour and shape per key (``keys[i]`` for placement i), and the colour key."""
    styles = style.category_styles(keys)
    by_key: dict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        by_key[key].append(position)
    is_bar = x1 > x0
    marker_area = np.clip(heights * lane_points * 1.3, 5.0, 8.5) ** 2
    handles = []
    for key, (colour, marker, hatch) in styles.items():
        rows = np.array(by_key[key])
        bars = rows[is_bar[rows]]
        points = rows[~is_bar[rows]]
        if len(bars):
            axes.barh(y[bars], x1[bars] - x0[bars], left=x0[bars], height=heights[bars], color=colour, alpha=0.85,
                      hatch=hatch or None, edgecolor="white" if not hatch else "#333333", linewidth=0.4,
                      zorder=2, gid=f"bars:{key}")
        if len(points):
            axes.scatter(x0[points], y[points], s=marker_area[points], marker=marker, color=colour, edgecolors="white",
                         linewidths=0.6, zorder=3, gid=f"markers:{key}")
        handles.append(Line2D([], [], marker=marker, color=colour, linestyle="", markersize=7, label=_short(key, 34)))
    if is_bar.any():
        handles.append(Patch(facecolor="#BBBBBB", edgecolor="#333333", label=wording["duration_bar"]))
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, _below_axes(figure, axes)),
                ncol=columns, frameon=False, fontsize=style.SMALL_SIZE, handletextpad=0.4, columnspacing=1.4)


def _draw_density(figure: Figure, axes: Axes, x0: np.ndarray, y: np.ndarray, lanes: int,
                  span: tuple[float, float], wording: ChartWording) -> None:
    """One heat strip per lane: events per time bin in four shades, blank where there are none.

    Four steps of cividis (monotone in lightness, so greyscale keeps the order) read faster
    than a continuous scale, and the key is an ordinary legend rather than a colour-bar axis.
    """
    bins = 240
    edges = np.linspace(span[0], span[1], bins + 1)
    counts = np.zeros((lanes, bins))
    lane_of = y.astype(int)
    for lane in range(lanes):
        counts[lane], _ = np.histogram(x0[lane_of == lane], bins=edges)
    top = int(counts.max())
    bounds = sorted({1, *(int(np.ceil(top * q)) for q in (0.25, 0.5, 0.75)), top + 1})
    colours = [matplotlib.colormaps["cividis_r"](v) for v in np.linspace(0.2, 1.0, len(bounds) - 1)]
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(bounds, cmap.N)
    # Rows alternate strip, gap, strip…: lanes stay visibly apart in one mesh.
    rows = np.zeros((2 * lanes - 1, bins))
    rows[::2] = counts
    y_edges = np.ravel(np.column_stack([np.arange(lanes) - 0.4, np.arange(lanes) + 0.4]))
    axes.pcolormesh(edges, y_edges, np.ma.masked_equal(rows, 0), cmap=cmap, norm=norm, shading="flat", zorder=2,
                    gid="density")
    handles = [Patch(facecolor=colour, edgecolor="#666666", linewidth=0.4,
                     label=f"{low}" if high - 1 == low else f"{low}–{high - 1}")
               for colour, low, high in zip(colours, bounds, bounds[1:])]
    width_days = (span[1] - span[0]) / bins
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, _below_axes(figure, axes)),
                ncol=len(handles), frameon=False, fontsize=style.SMALL_SIZE,
                title=wording.text("density_key", width=wording.duration(width_days)), title_fontsize=style.SMALL_SIZE)


def _key_positions(events: list[Event], event_index: np.ndarray, x0: np.ndarray) -> list[int]:
    """Placements of the key events (the first lane each appears in), earliest first."""
    seen: set[int] = set()
    chosen = []
    for position, index in enumerate(event_index):
        if events[index].key and index not in seen:
            seen.add(index)
            chosen.append(position)
    return sorted(chosen, key=lambda p: (x0[p], p))[:MAX_KEY_LABELS]


def _key_events(figure: Figure, axes: Axes, events: list[Event], event_index: np.ndarray, x0: np.ndarray,
                y: np.ndarray, chosen: list[int], wording: ChartWording, wrap: int) -> None:
    """Number the key events on the chart and list them, dated, in a panel beside it.

    A numbered badge never covers the neighbouring events the way a title in a box does, and
    the list reads like the chronology a briefing opens with. Titles wrap at ``wrap``
    characters; a list longer than the chart is tall ends with how many more there are.
    """
    badge = dict(boxstyle="circle,pad=0.18", facecolor="white", edgecolor=style.INK, linewidth=0.8)
    box = axes.get_position()
    low_x, high_x = axes.get_xlim()
    low_y, high_y = axes.get_ylim()
    x_points = box.width * figure.get_figwidth() * 72 / (high_x - low_x)
    y_points = box.height * figure.get_figheight() * 72 / (high_y - low_y)
    placed: list[tuple[float, float]] = []  # badge centres in points
    lines = []
    for number, position in enumerate(chosen, start=1):
        px, py = (x0[position] - low_x) * x_points, (y[position] - low_y) * y_points
        lift = 10.0
        while lift < 70 and any(abs(px - bx) < 15 and abs(py + lift - by) < 15 for bx, by in placed):
            lift += 14
        placed.append((px, py + lift))
        axes.annotate(str(number), xy=(x0[position], y[position]), xytext=(0, lift), textcoords="offset points",
                      ha="center", va="bottom", fontsize=7, fontweight="bold", color=style.INK, bbox=badge,
                      annotation_clip=False, zorder=5, gid="key-event",
                      arrowprops=dict(arrowstyle="-", color="#666666", linewidth=0.6, shrinkA=0, shrinkB=3))
        event = events[event_index[position]]
        wrapped = textwrap.wrap(event.title, wrap)[:2]
        if len(textwrap.wrap(event.title, wrap)) > 2:
            wrapped[-1] = _short(wrapped[-1] + " …", wrap)
        lines.append((number, utc_datetime(float(x0[position])).strftime("%Y-%m-%d"), wrapped))
    x = box.x1 + 0.15 / figure.get_figwidth()
    top = box.y1
    step = style.SMALL_SIZE * 1.3 / 72 / figure.get_figheight()
    figure.text(x, top, wording["key_events"], ha="left", va="top", fontsize=style.LABEL_SIZE, fontweight="bold",
                color=style.INK, gid="key-event-list")
    row = 1.6
    room = (top - box.y0) / step  # rows of text the panel has, down to the foot of the chart
    for shown, (number, day, wrapped) in enumerate(lines):
        if row + 1 + len(wrapped) > room - (1.5 if shown < len(lines) - 1 else 0):
            figure.text(x, top - row * step, wording.text("more_key_events", count=len(lines) - shown), ha="left",
                        va="top", fontsize=style.SMALL_SIZE, color="#555555", gid="key-event-list")
            break
        figure.text(x, top - row * step, f"{number}", ha="left", va="top", fontsize=style.SMALL_SIZE,
                    fontweight="bold", color=style.INK, gid="key-event-list")
        figure.text(x + 0.22 / figure.get_figwidth(), top - row * step, day, ha="left", va="top",
                    fontsize=style.SMALL_SIZE, color="#555555", gid="key-event-list")
        for offset, text in enumerate(wrapped):
            figure.text(x + 0.22 / figure.get_figwidth(), top - (row + 1 + offset) * step, text, ha="left", va="top",
                        fontsize=style.SMALL_SIZE, color=style.INK, gid="key-event-list")
        row += 1.5 + len(wrapped)


def utc_datetime(number: float) -> datetime:
    """A matplotlib date number as an aware UTC datetime (for the view's date slider)."""
    return mdates.num2date(number).astimezone(timezone.utc)
