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

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..clock import parse_time
from ..disarm import default_catalog
from ..errors import UsageError
from ..model import Event
from ..progress import Progress
from . import frame, style
from .snapshot import CaseSnapshot

LANES = ("actor", "narrative", "tactic", "phase", "platform", "none")
COLOUR_BY = ("category", "technique")
DENSITY_THRESHOLD = 2_000
MAX_LANES = 24
MAX_KEY_LABELS = 12
MAX_ROWS = 4  # rows a lane splits into for overlapping events
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

    def validated(self) -> "TimelineOptions":
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


def _lane_keys(event: Event, lanes: str, labels: dict[str, str]) -> list[str]:
    """Which lanes one event sits in (several when it names several actors or narratives)."""
    if lanes == "none":
        return ["Events"]
    if lanes == "actor":
        return [labels.get(a, "(unknown actor)") for a in event.actor_ids] or ["(no actor)"]
    if lanes == "narrative":
        return [labels.get(n, "(unknown narrative)") for n in event.narrative_ids] or ["(no narrative)"]
    if lanes == "platform":
        return [event.platform or "(no platform)"]
    catalog = default_catalog()
    keys = []
    for code in event.techniques:
        technique = catalog.get(code)
        if technique is None:
            keys.append("(not in DISARM v" + catalog.version + ")")
            continue
        tactic = catalog.tactic_of(technique.code)
        if lanes == "tactic":
            keys.append(f"{tactic.id} {tactic.name}")
        else:
            phase = next(p for p in catalog.phases() if p.id == tactic.phase)
            keys.append(f"{phase.id} {phase.name}")
    return list(dict.fromkeys(keys)) or ["(no technique)"]


def _colour_key(event: Event, colour_by: str) -> str:
    if colour_by == "category":
        return event.category or "(uncategorised)"
    if not event.techniques:
        return "(no technique)"
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
    with matplotlib.rc_context(style.rc_params()):
        return _render(snapshot, options, progress or Progress())


def _render(snapshot: CaseSnapshot, options: TimelineOptions, progress: Progress) -> TimelineChart:
    figure = Figure(figsize=options.size, dpi=100)
    case = snapshot.case
    title = options.title or f"{case.title}: timeline"
    labels = snapshot.labels()
    events = [e for e in snapshot.events if options.filter.accepts(e)]
    progress.update(0, 3, "placing events")

    starts = _to_num(e.start for e in events)
    ends = _to_num(e.end or e.start for e in events)
    if options.start:
        keep = ends >= _to_num([options.start])[0]
        events, starts, ends = [e for e, k in zip(events, keep) if k], starts[keep], ends[keep]
    if options.end:
        keep = starts <= _to_num([options.end])[0]
        events, starts, ends = [e for e, k in zip(events, keep) if k], starts[keep], ends[keep]

    subtitle = _subtitle(snapshot, options, len(events))
    frame.decorate(figure, title, subtitle, case.tlp, options.produced)
    if not events:
        if snapshot.events:
            frame.empty_message(figure, "No events in this view", "widen the dates or clear the filters")
        else:
            frame.empty_message(figure, "No events in this case yet", "add events to see them on the timeline")
        return TimelineChart(figure, None, "empty", [])

    # Place every event in each of its lanes.
    placements: list[tuple[int, str]] = []  # (event index, lane name)
    first_seen: dict[str, float] = {}
    counts: Counter = Counter()
    for index, event in enumerate(events):
        for lane in _lane_keys(event, options.lanes, labels):
            placements.append((index, lane))
            first_seen.setdefault(lane, starts[index])
            counts[lane] += 1
    order = _lane_order(options.lanes, first_seen, counts)
    other = f"Other ({len(first_seen) - len(order)} more)" if len(order) < len(first_seen) else None
    lane_names = order + ([other] if other else [])
    lane_y = {name: len(lane_names) - 1 - i for i, name in enumerate(lane_names)}  # first lane on top
    event_index = np.array([p[0] for p in placements])
    y = np.array([lane_y.get(p[1], lane_y.get(other, 0)) for p in placements], dtype=float)
    x0, x1 = starts[event_index], ends[event_index]

    span = _span(options, starts, ends)
    heights = np.full(len(y), 0.42)
    if len(placements) <= options.density_threshold:
        y, heights = _stack(x0, x1, y, span)
    left = 0.35 + min(max(len(n) for n in lane_names), 30) * style.LABEL_SIZE * 0.55 / 72
    mode = "density" if len(placements) > options.density_threshold else "events"
    left_f, bottom_f, right_f, top_f = frame.plot_area(figure, left, bottom_extra_inches=0.75)
    axes = figure.add_axes((left_f, bottom_f, right_f - left_f, top_f - bottom_f))
    progress.update(1, 3, "drawing")
    _lanes_background(axes, lane_names)
    if mode == "density":
        _draw_density(figure, axes, x0, y, len(lane_names), span)
    else:
        _draw_events(figure, axes, events, event_index, x0, x1, y, heights, options.colour_by)
    _date_axis(axes, span)
    axes.set_yticks(range(len(lane_names)))
    axes.set_yticklabels([_short(n, 30) for n in reversed(lane_names)])
    axes.set_ylim(-0.6, len(lane_names) - 0.4)
    if mode == "events":
        _annotate_key_events(axes, events, event_index, x0, y, span)
    progress.update(3, 3, "done")
    ids = [events[i].id for i in event_index]
    return TimelineChart(figure, axes, mode, lane_names, ids, x0, x1, y, len(placements), span)


def _subtitle(snapshot: CaseSnapshot, options: TimelineOptions, shown: int) -> str:
    lanes = "no swimlanes" if options.lanes == "none" else f"swimlanes by {options.lanes}"
    parts = [f"{shown:,} of {len(snapshot.events):,} events", lanes]
    if options.start or options.end:
        parts.append(f"{(options.start or '…')[:10]} to {(options.end or '…')[:10]}")
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
    for index in range(len(lane_names)):
        if index % 2 == 0:
            axes.axhspan(index - 0.5, index + 0.5, color=style.LANE_SHADE, zorder=0, linewidth=0)
    axes.grid(axis="x", color=style.GRID, linewidth=0.6, zorder=0.5)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)


def _date_axis(axes: Axes, span: tuple[float, float]) -> None:
    """Concise dates: '2024', 'Mar', '14:00' as the span needs, with the context once at the end."""
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=True))
    axes.set_xlim(*span)


def _stack(x0: np.ndarray, x1: np.ndarray, y: np.ndarray, span: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Split a lane into up to ``MAX_ROWS`` rows so overlapping events sit side by side, not on top."""
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
    pitch = 0.8 / count
    offset = (rows - (count - 1) / 2) * pitch
    return y - offset, np.minimum(0.42, pitch * 0.8)


def _draw_events(figure: Figure, axes: Axes, events: list[Event], event_index: np.ndarray, x0: np.ndarray,
                 x1: np.ndarray, y: np.ndarray, heights: np.ndarray, colour_by: str) -> None:
    keys = [_colour_key(events[i], colour_by) for i in event_index]
    styles = style.category_styles(keys)
    by_key: dict[str, list[int]] = defaultdict(list)
    for position, key in enumerate(keys):
        by_key[key].append(position)
    is_bar = x1 > x0
    box = axes.get_position()
    lane_points = box.height * figure.get_figheight() * 72 / max(1.0, float(np.ptp(y)) + 1.2)
    marker_area = np.minimum(8.5, heights / 0.42 * 0.5 * lane_points) ** 2
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
        handles.append(Patch(facecolor="#BBBBBB", edgecolor="#333333", label="bar = event with a duration"))
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=min(4, len(handles)),
                frameon=False, fontsize=style.SMALL_SIZE, handletextpad=0.4, columnspacing=1.4)


def _draw_density(figure: Figure, axes: Axes, x0: np.ndarray, y: np.ndarray, lanes: int,
                  span: tuple[float, float]) -> None:
    """One heat strip per lane: events per time bin, masked where there are none."""
    bins = 240
    edges = np.linspace(span[0], span[1], bins + 1)
    counts = np.zeros((lanes, bins))
    for lane in range(lanes):
        counts[lane], _ = np.histogram(x0[y == lane], bins=edges)
    masked = np.ma.masked_equal(counts, 0)
    y_edges = np.arange(lanes + 1) - 0.5
    mesh = axes.pcolormesh(edges, y_edges, masked, cmap="cividis_r", shading="flat", zorder=2, gid="density")
    width_days = (span[1] - span[0]) / bins
    colourbar = figure.colorbar(mesh, ax=axes, orientation="horizontal", fraction=0.035, pad=0.1, aspect=60)
    colourbar.set_label(f"events per {_duration(width_days)} (density view: zoom in to see single events)",
                        fontsize=style.SMALL_SIZE)
    colourbar.ax.tick_params(labelsize=style.SMALL_SIZE)


def _duration(days: float) -> str:
    if days >= 1:
        return f"{days:.3g} days"
    if days * 24 >= 1:
        return f"{days * 24:.3g} hours"
    return f"{days * 1440:.3g} minutes"


def _annotate_key_events(axes: Axes, events: list[Event], event_index: np.ndarray, x0: np.ndarray,
                         y: np.ndarray, span: tuple[float, float]) -> None:
    """Label key events above their marker, lifting a label until it overlaps no other label."""
    seen: set[int] = set()
    chosen = []
    for position, index in enumerate(event_index):
        if events[index].key and index not in seen:
            seen.add(index)
            chosen.append(position)
    chosen = sorted(chosen, key=lambda p: x0[p])[:MAX_KEY_LABELS]
    if not chosen:
        return
    box = axes.get_position()
    width_in = box.width * axes.figure.get_figwidth()
    height_in = box.height * axes.figure.get_figheight()
    low_y, high_y = axes.get_ylim()
    x_inch = width_in / (span[1] - span[0])
    y_inch = height_in / (high_y - low_y)
    placed: list[tuple[float, float, float, float]] = []  # boxes in inches: left, right, bottom, top
    for position in chosen:
        text = "\n".join(textwrap.wrap(_short(events[event_index[position]].title, 60), 26))
        lines = text.count("\n") + 1
        width = max(len(line) for line in text.splitlines()) * style.SMALL_SIZE * 0.6 / 72 + 0.12
        height = lines * style.SMALL_SIZE * 1.25 / 72 + 0.08
        x = (float(x0[position]) - span[0]) * x_inch
        base = (float(y[position]) - low_y) * y_inch
        align = "left" if x - width / 2 < 0 else "right" if x + width / 2 > width_in else "center"
        left = x if align == "left" else x - width if align == "right" else x - width / 2
        for level in range(6):
            lift = (9 + 22 * level) / 72
            candidate = (left, left + width, base + lift, base + lift + height)
            if not any(b[0] < candidate[1] and candidate[0] < b[1] and b[2] < candidate[3] and candidate[2] < b[3]
                       for b in placed):
                break
        else:
            continue  # no free place near the event: the tooltip and the table still show it
        placed.append(candidate)
        axes.annotate(
            text, xy=(x0[position], y[position]), xytext=(0, lift * 72), textcoords="offset points",
            ha=align, va="bottom", fontsize=style.SMALL_SIZE, color=style.INK, annotation_clip=False, zorder=5,
            gid="key-event",
            bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="#999999", linewidth=0.5, alpha=0.92),
            arrowprops=dict(arrowstyle="-", color="#666666", linewidth=0.6, shrinkA=0, shrinkB=4),
        )


def utc_datetime(number: float) -> datetime:
    """A matplotlib date number as an aware UTC datetime (for the view's date slider)."""
    return mdates.num2date(number).astimezone(timezone.utc)
