"""Geometry of the report's charts, drawn as SVG by templates (reports/templates/charts/).

Only numbers come out of here (coordinates, widths); every word on a chart comes from the
templates or from the client's data, escaped by Jinja like any other text. Charts are drawn by
the project rather than a plotting library so that the HTML stays self-contained and the PDF
shows vectors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAX_LEVEL = 4


def _pt(x: float, y: float) -> str:
    return f"{x:.1f},{y:.1f}"


@dataclass(frozen=True)
class RadarAxis:
    label: str
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor: start, middle or end


@dataclass(frozen=True)
class RadarSeries:
    key: str  # which series (the template names it)
    points: str  # SVG polygon points
    dots: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Radar:
    width: int
    height: int
    cx: float
    cy: float
    rings: tuple[tuple[int, str], ...]  # (level, polygon points)
    ring_labels: tuple[tuple[int, float, float], ...]  # (level, x, y) along the top axis
    axes: tuple[RadarAxis, ...]
    series: tuple[RadarSeries, ...]


def radar(labels: list[str], series: dict[str, list[float | None]], size: int = 420,
          radius: float = 140) -> Radar:
    """A radar of ``labels`` (clockwise from the top) with one polygon per series; a missing
    value sits at the centre so the polygon stays closed but shows the gap."""
    cx, cy = size / 2, size / 2
    n = max(len(labels), 3)

    def at(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / MAX_LEVEL
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    rings = tuple((lvl, " ".join(_pt(*at(i, lvl)) for i in range(n)))
                  for lvl in range(1, MAX_LEVEL + 1))
    axes = []
    for i, label in enumerate(labels):
        x, y = at(i, MAX_LEVEL)
        lx, ly = at(i, MAX_LEVEL * 1.13)
        dx = lx - cx
        anchor = "middle" if abs(dx) < radius * 0.2 else ("start" if dx > 0 else "end")
        axes.append(RadarAxis(label, x, y, lx, ly + 4, anchor))
    drawn = []
    for key, values in series.items():
        corners = [at(i, v or 0.0) for i, v in enumerate(values)]
        drawn.append(RadarSeries(key, " ".join(_pt(*c) for c in corners), tuple(
            c for c, v in zip(corners, values) if v is not None)))
    ring_labels = tuple((lvl, cx + 4, cy - radius * lvl / MAX_LEVEL + 12)
                        for lvl in range(1, MAX_LEVEL + 1))
    return Radar(size, size, cx, cy, rings, ring_labels, tuple(axes), tuple(drawn))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    width: float  # px, 0 when unscored
    y: float
    target: float | None = None
    target_x: float | None = None  # px, where the target marker stands


@dataclass(frozen=True)
class Bars:
    width: int
    height: int
    left: int  # where the bars start (labels sit left of it)
    scale: float  # px per level
    ticks: tuple[tuple[int, float], ...]  # (level, x)
    bars: tuple[Bar, ...]
    row: int


def bars(rows: Sequence[tuple[str, float | None] | tuple[str, float | None, float | None]],
         width: int = 560, left: int = 170, row: int = 34) -> Bars:
    """Horizontal bars on the 0-4 scale, one row per component; a row's optional third value
    is its target, drawn as a marker across the bar."""
    scale = (width - left - 30) / MAX_LEVEL
    drawn = []
    for i, entry in enumerate(rows):
        label, value = entry[0], entry[1]
        target = entry[2] if len(entry) > 2 else None
        drawn.append(Bar(label, value, (value or 0.0) * scale, 10 + i * row, target,
                         left + target * scale if target is not None else None))
    ticks = tuple((lvl, left + lvl * scale) for lvl in range(MAX_LEVEL + 1))
    return Bars(width, 30 + len(rows) * row, left, scale, ticks, tuple(drawn), row)


@dataclass(frozen=True)
class StripDot:
    x: float
    who: str
    level: float
    shade: int  # respondent index, for a colour per respondent


@dataclass(frozen=True)
class StripRow:
    label: str
    text: str
    y: float
    low_x: float
    high_x: float
    median_x: float
    spread: float
    dots: tuple[StripDot, ...]


@dataclass(frozen=True)
class Strip:
    width: int
    height: int
    left: int
    ticks: tuple[tuple[int, float], ...]
    rows: tuple[StripRow, ...]


def strip(rows: list[tuple[str, str, float, list[tuple[str, float]]]], respondents: list[str],
          width: int = 680, left: int = 290, row: int = 20) -> Strip:
    """Each respondent's level per sub-question as a dot on the 0-4 scale, the range between
    the lowest and highest as a line and the median as a tick: disagreement shows as length."""
    scale = (width - left - 20) / MAX_LEVEL
    index = {r: i for i, r in enumerate(respondents)}
    out = []
    for i, (label, text, median, levels) in enumerate(rows):
        y = 18 + i * row
        values = [v for _, v in levels]
        # Respondents who gave the same level sit side by side rather than on top of each other.
        same: dict[float, list[str]] = {}
        for who, v in levels:
            same.setdefault(v, []).append(who)
        dots = tuple(StripDot(left + v * scale + (same[v].index(who) - (len(same[v]) - 1) / 2) * 8,
                              who, v, index.get(who, 0)) for who, v in levels)
        out.append(StripRow(label, text, y, left + min(values) * scale, left + max(values) * scale,
                            left + median * scale, max(values) - min(values), dots))
    ticks = tuple((lvl, left + lvl * scale) for lvl in range(MAX_LEVEL + 1))
    return Strip(width, 28 + len(rows) * row, left, ticks, tuple(out))
