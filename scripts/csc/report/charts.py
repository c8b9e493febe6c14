"""Trend charts as hand-written inline SVG: no plotting library, nothing fetched.

Each chart is ``<svg role="img" aria-labelledby="ID-title ID-desc">`` with a ``<title>`` and a
``<desc>`` that states every number drawn (so a screen reader, or a text-only copy, has the
chart). Colours are the Okabe-Ito palette, safe for the common forms of colour blindness, and
every reference line also differs by dash pattern and carries a text label, so nothing depends
on colour alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

from .sentences import fmt_value

# Okabe-Ito
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

# Okabe-Ito hues darkened until each has at least 4.5:1 contrast on white (WCAG AA for text;
# lines need 3:1): the pure orange, green and purple are 2.2, 3.4 and 3.1 to 1. Checked in the tests.
DARK_ORANGE = "#B35900"
DARK_GREEN = "#007A5A"
DARK_PURPLE = "#A3487F"
DARK_RED = "#B10E1E"

SERIES_COLOUR = BLUE
REFERENCE_STYLES = {  # colour, dash pattern
    "england": (DARK_ORANGE, "7 4"),
    "region": (DARK_GREEN, "2 3"),
    "neighbours": (DARK_PURPLE, "10 3 2 3"),
    "target": (DARK_RED, ""),
}
GRID = "#8c8c8c"  # 3.4:1 on white, drawn thin
INK = "#1a1a1a"
# Every colour a chart draws with, and the background: the contrast test reads these.
CHART_BACKGROUND = "#ffffff"
CHART_COLOURS = {"series": SERIES_COLOUR, "grid": GRID, "ink": INK, **{k: c for k, (c, _) in REFERENCE_STYLES.items()}}

# Drawn 460 units wide and printed 125 mm wide (the report's figure width): text of 14 units
# (the stylesheet's font-size) prints at 14 x 125 / 460 = 3.8 mm, about 10.8 pt (14 px).
WIDTH, HEIGHT = 460, 250
PRINT_WIDTH_MM = 125
FONT_UNITS = 14
TOP, BOTTOM = 26, 216
LEFT = 54
LABEL_GAP = 16
REFERENCE_LABEL_WIDTH = 50  # the short labels at the right of the plot
LEGEND_ROW = 19
LEGEND_TOP = BOTTOM + 40


@dataclass(frozen=True)
class Point:
    period_end: date
    value: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Reference:
    key: str  # england, region, neighbours, target (picks the style)
    label: str  # the legend's words: "England 2014-15"
    value: float
    short: str = ""  # the label at the line's end: "Eng"; default from the label


def short_label(label: str) -> str:
    """'South West' -> 'SW'; 'London' -> 'Lon'."""
    words = [w for w in label.replace("(", " ").split() if w[:1].isalpha()]
    if len(words) > 1:
        return "".join(w[0].upper() for w in words[:3])
    return words[0][:3] if words else label[:3]


def nice_step(span: float, ticks: int = 4) -> float:
    raw = span / max(ticks, 1)
    if raw <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def axis_range(values: list[float], unit: str | None, from_zero: bool) -> tuple[float, float, float]:
    """(low, high, step) of a tidy y axis covering `values`; from zero for bars, and for lines
    whose values come near zero anyway."""
    if not values:
        return 0.0, 1.0, 0.25
    lo, hi = min(values), max(values)
    if from_zero or (lo >= 0 and lo < 0.35 * hi):
        lo = min(lo, 0.0)
    if hi - lo < 1e-9:
        pad = max(abs(hi) * 0.1, 1.0)
        lo, hi = (max(lo - pad, 0.0) if lo >= 0 else lo - pad), hi + pad
    step = nice_step(hi - lo)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _tick_text(v: float, step: float) -> str:
    """A tick value with as many decimals as the step needs (0.25 -> 2, 2.5 -> 1, 5 -> 0)."""
    places = 0
    while places < 4 and abs(step * 10**places - round(step * 10**places)) > 1e-9:
        places += 1
    return f"{v:,.{places}f}"


def _spread(ys: list[float], lo: float, hi: float, gap: float = LABEL_GAP) -> list[float]:
    """Label positions near `ys` (sorted top to bottom), at least `gap` apart, inside [lo, hi]."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [0.0] * len(ys)
    prev = None
    for i in order:
        y = max(ys[i], lo) if prev is None else max(ys[i], prev + gap)
        placed[i] = y
        prev = y
    overflow = (placed[order[-1]] - hi) if order else 0
    if overflow > 0:
        for i in order:
            placed[i] -= overflow
        prev = None
        for i in order:  # keep the gap after shifting up against the top
            if prev is not None and placed[i] < prev + gap:
                placed[i] = prev + gap
            placed[i] = max(placed[i], lo) if prev is None else placed[i]
            prev = placed[i]
    return placed


def describe(title: str, points: list[Point], unit: str | None, references: list[Reference]) -> str:
    """The chart's numbers in words (its <desc>)."""
    if not points:
        return f"{title}: no monthly figures."
    values = []
    for p in points:
        if p.suppressed:
            values.append(f"{p.period_end:%b %Y} c (suppressed)")
        elif p.value is None:
            values.append(f"{p.period_end:%b %Y} no data")
        else:
            values.append(f"{p.period_end:%b %Y} {fmt_value(p.value, unit, long=True)}")
    text = (
        f"Monthly figures from {points[0].period_end:%B %Y} to {points[-1].period_end:%B %Y}: "
        + "; ".join(values)
        + "."
    )
    if references:
        text += (
            " Reference lines: "
            + "; ".join(f"{r.label} {fmt_value(r.value, unit, long=True)}" for r in references)
            + "."
        )
    return text


def trend_chart(
    chart_id: str,
    title: str,
    points: list[Point],
    unit: str | None,
    references: list[Reference] | None = None,
    kind: str = "line",
) -> str:
    """An inline SVG chart of monthly `points`: a line (percentages, rates) or bars (counts), with
    labelled horizontal reference lines (benchmarks, target)."""
    references = list(references or [])
    right = WIDTH - (REFERENCE_LABEL_WIDTH if references else 26)
    legend_rows = len(references)
    height = HEIGHT if not references else LEGEND_TOP + legend_rows * LEGEND_ROW
    data = [p.value for p in points if p.value is not None]
    # Bars, and percentages, start at zero: an axis from 28% makes a small move look volatile.
    lo, hi, step = axis_range(
        data + [r.value for r in references], unit, from_zero=(kind == "bar" or unit == "percent")
    )

    def y(v: float) -> float:
        return BOTTOM - (v - lo) / (hi - lo) * (BOTTOM - TOP) if hi > lo else BOTTOM

    n = max(len(points), 1)
    slot = (right - LEFT) / n

    def x(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    out = []
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    # Inline SVG in HTML needs no xmlns (and the report holds no http references at all).
    out.append(
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{tid} {did}" '
        f'viewBox="0 0 {WIDTH} {height}" preserveAspectRatio="xMinYMin meet">'
    )
    out.append(f'<title id="{tid}">{escape(title)}</title>')
    out.append(f'<desc id="{did}">{escape(describe(title, points, unit, references))}</desc>')

    # Grid and y axis
    unit_label = {"percent": "%", "per 10000": "per 10,000", "count per month": "a month", "count": "number"}.get(
        unit or "", unit or ""
    )
    out.append(f'<text class="axis-unit" x="4" y="{TOP - 12}">{escape(unit_label)}</text>')
    ticks = []
    v = lo
    while v <= hi + step * 1e-6:
        ticks.append(v)
        v += step
    for t in ticks:
        ty = y(t)
        out.append(f'<line x1="{LEFT}" x2="{right}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}" stroke-width="0.6"/>')
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{ty + 4.5:.1f}" text-anchor="end">{_tick_text(t, step)}</text>'
        )
    out.append(f'<line x1="{LEFT}" x2="{right}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{INK}" stroke-width="1"/>')

    # x axis: a tick at each quarter end, a label every six months, counted back from the last
    for i, p in enumerate(points):
        back = len(points) - 1 - i
        if back % 3 == 0:
            out.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{BOTTOM}" y2="{BOTTOM + 4}" stroke="{INK}"/>')
        if back % 6 == 0:
            out.append(
                f'<text class="tick" x="{x(i):.1f}" y="{BOTTOM + 18}" text-anchor="middle">{p.period_end:%b %Y}</text>'
            )

    # Reference lines: a short label at the right end of each, and a legend under the chart
    # with the same dash pattern, the full name and the value.
    if references:
        ys = [y(r.value) for r in references]
        label_ys = _spread(ys, TOP + 4, BOTTOM - 2)
        for n, (r, ry, ly) in enumerate(zip(references, ys, label_ys)):
            colour, dash = REFERENCE_STYLES.get(r.key, (BLACK, "4 2"))
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<line class="ref ref-{escape(r.key)}" x1="{LEFT}" x2="{right}" y1="{ry:.1f}" y2="{ry:.1f}" '
                f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
            )
            out.append(
                f'<text class="ref-label" x="{right + 5}" y="{ly + 4.5:.1f}">'
                f"{escape(r.short or short_label(r.label))}</text>"
            )
            lx = 8
            lyy = LEGEND_TOP - 6 + n * LEGEND_ROW
            out.append(
                f'<line x1="{lx:.1f}" x2="{lx + 26:.1f}" y1="{lyy - 4:.1f}" y2="{lyy - 4:.1f}" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
            out.append(
                f'<text class="ref-label" x="{lx + 31:.1f}" y="{lyy:.1f}">'
                f"{escape(r.short or short_label(r.label))}: {escape(r.label)} {escape(fmt_value(r.value, unit))}</text>"
            )

    # The series
    if kind == "bar":
        width = slot * 0.68
        for i, p in enumerate(points):
            if p.value is not None:
                top = y(p.value)
                out.append(
                    f'<rect x="{x(i) - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" '
                    f'height="{max(BOTTOM - top, 0):.1f}" fill="{SERIES_COLOUR}"/>'
                )
    else:
        run: list[str] = []
        runs = []
        for i, p in enumerate(points):
            if p.value is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{x(i):.1f},{y(p.value):.1f}")
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                out.append(
                    f'<polyline points="{" ".join(r)}" fill="none" stroke="{SERIES_COLOUR}" '
                    'stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for i, p in enumerate(points):
            if p.value is not None:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="2.6" fill="{SERIES_COLOUR}"/>')
    for i, p in enumerate(points):
        if p.suppressed:
            out.append(f'<text class="tick" x="{x(i):.1f}" y="{BOTTOM - 4}" text-anchor="middle">c</text>')

    # The latest value, labelled on the side away from the line coming into it, with a halo
    last = next((i for i in range(len(points) - 1, -1, -1) if points[i].value is not None), None)
    if last is not None:
        lv = points[last].value
        before = points[last - 1].value if last > 0 else None
        below = kind == "line" and before is not None and before > lv and y(lv) + 20 < BOTTOM
        ly = y(lv) + 18 if below else max(y(lv) - 8, TOP - 2)
        out.append(
            f'<text class="last-value" x="{x(last):.1f}" y="{ly:.1f}" text-anchor="end" '
            f'paint-order="stroke" stroke="#ffffff" stroke-width="4">{escape(fmt_value(lv, unit))}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
