"""SVG charts drawn on the server: horizontal bars and a line over time.

The geometry is computed here and drawn by `analytics/charts/bars.svg.html` and
`analytics/charts/line.svg.html`; no JavaScript. Colours come from the Okabe–Ito palette,
which stays distinct for the common colour-vision deficiencies; every chart has a title and is
next to the table that gives the same numbers (its text alternative). Reports reuse these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Okabe & Ito (2008): blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, grey.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999")
WIDTH = 320
ROW = 34  # a label line and a bar under it
BAR_HEIGHT = 12
SUPPRESSED = "#FFFFFF"


@dataclass
class Bar:
    label: str
    value: int | None
    shown: str  # the value as the reader sees it ("42", "42 (21.3 %)", "fewer than 5")
    y: int
    width: int
    colour: str
    text_y: int = 0
    bar_y: int = 0
    value_x: int = 0


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH


def bars(title: str, items: Sequence[tuple[str, int | None, str]], *, colours: Sequence[str] | None = None,
         limit: int = 25) -> BarChart:
    """Horizontal bars, the largest scaling to the chart's width; `items` are (label, value,
    shown text); a suppressed value (None) draws an outlined empty bar."""
    items = list(items)[:limit]
    top = max([v for _l, v, _s in items if v is not None] or [1]) or 1
    usable = WIDTH - 64
    out = []
    for i, (label, value, shown) in enumerate(items):
        y = i * ROW
        width = max(1, round(usable * value / top)) if value else 0
        colour = (colours[i % len(colours)] if colours else PALETTE[0])
        out.append(Bar(label=label, value=value, shown=shown, y=y, width=width, colour=colour,
                       text_y=y + 13, bar_y=y + 18, value_x=width + 4))
    return BarChart(title=title, bars=out, height=max(ROW, len(out) * ROW))


@dataclass
class Point:
    x: float
    y: float
    label: str
    shown: str


@dataclass
class LineChart:
    title: str
    points: list[Point]
    path: str
    ticks: list[Point] = field(default_factory=list)
    top: int = 0
    width: int = WIDTH
    height: int = 180
    baseline: int = 150
    left: int = 36


def line(title: str, items: Sequence[tuple[str, int | None, str]]) -> LineChart:
    """A line over time; `items` are (label of the period, value, shown text), in order.
    Suppressed periods (None) break the line."""
    items = list(items)
    chart = LineChart(title=title, points=[], path="")
    top = max([v for _l, v, _s in items if v is not None] or [1]) or 1
    chart.top = top
    span = chart.width - chart.left - 24  # room for the last label, centred on its point
    step = span / max(1, len(items) - 1)
    segments: list[str] = []
    pen_down = False
    for i, (label, value, shown) in enumerate(items):
        x = chart.left + (i * step if len(items) > 1 else span / 2)
        if value is None:
            pen_down = False
            chart.points.append(Point(x=round(x, 1), y=chart.baseline, label=label, shown=shown))
            continue
        y = chart.baseline - (chart.baseline - 12) * value / top
        segments.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
        chart.points.append(Point(x=round(x, 1), y=round(y, 1), label=label, shown=shown))
    chart.path = " ".join(segments)
    every = max(1, len(items) // 6)
    chart.ticks = [p for i, p in enumerate(chart.points) if i % every == 0 or i == len(items) - 1]
    return chart


def shown(row: dict[str, Any], k: int | None, with_share: bool = True) -> str:
    """A row's count as the reader sees it."""
    from django.utils.translation import gettext as _

    if row.get("suppressed"):
        return _("fewer than %(k)s or withheld") % {"k": k}
    text = str(row["incidents"])
    if with_share and row.get("share") is not None:
        text += f" ({row['share']} %)"
    return text
