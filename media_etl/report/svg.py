"""Bar charts as inline SVG for the HTML report: stacked vertical bars and horizontal bars.

Hand-built so the page needs nothing from the network and every label is escaped here. The value
axis runs from 0 to a round number at or above the tallest bar, so no bar is ever clipped; each bar
is a ``<rect class="bar">`` with a ``<title>`` tooltip naming its period, series and count.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
"""Tableau 10, colour-blind friendly enough and distinct in print."""
WIDTH = 960
TITLE_SPACE = 24
"""Height above the plot for the chart's visible title."""
MAX_AXIS_LABELS = 8
"""Period labels shown under a chart at most (every n-th period when there are more)."""


def axis_scale(largest: float, most_ticks: int = 5) -> tuple[int, int]:
    """Choose a whole-number axis from 0 that holds ``largest``, with round steps.

    Args:
        largest: The tallest bar.
        most_ticks: Most steps above 0.

    Returns:
        The step (1, 2 or 5 times a power of ten) and the axis maximum (a multiple of the step,
        at least ``largest`` and at least 1).
    """
    rough = max(largest, 1) / most_ticks
    power = 10 ** max(0, math.floor(math.log10(rough)))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return int(step), int(step * math.ceil(max(largest, 1) / step))


def _text(x: float, y: float, content: str, anchor: str = "middle", css: str = "label") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="{css}">{escape(content)}</text>'


def _empty(title: str, height: int = 80) -> str:
    return (
        f'<svg class="chart empty" role="img" viewBox="0 0 {WIDTH} {height}" width="100%"'
        f' aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f"{_text(0, 16, title, anchor='start', css='chart-title')}"
        f"{_text(WIDTH / 2, height / 2 + 10, 'No data to draw for this selection.')}</svg>"
    )


def stacked_bars(title: str, labels: Sequence[str], series: Mapping[str, Sequence[int]], unit: str) -> str:
    """Draw one stacked bar per label, a segment per series, with a legend.

    Args:
        title: The chart's accessible title.
        labels: One label per bar (a period).
        series: Segment counts per series name, each as long as ``labels``; drawn bottom up in order.
        unit: What the bars count, for the axis and tooltips (``articles``).

    Returns:
        An ``<svg>`` element, or one saying there is no data when every count is 0.
    """
    totals = [sum(int(values[i]) for values in series.values()) for i in range(len(labels))]
    if not labels or max(totals, default=0) <= 0:
        return _empty(title)
    left, right, top, bottom = 56, 200, TITLE_SPACE + 10, 46
    height = 320
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    y_step, y_max = axis_scale(max(totals))
    slot = plot_w / len(labels)
    bar_w = max(slot * 0.8, 1.0)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(0, 16, title, anchor="start", css="chart-title"),
    ]
    for value in range(0, y_max + 1, y_step):
        y = top + plot_h - plot_h * value / y_max
        parts.append(f'<line class="grid" x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(_text(left - 6, y + 4, str(value), anchor="end"))
    parts.append(_text(14, top + plot_h / 2, unit, css="label axis-title"))
    step = max(1, math.ceil(len(labels) / MAX_AXIS_LABELS))
    for index, label in enumerate(labels):
        x = left + slot * index + (slot - bar_w) / 2
        base = float(top + plot_h)
        for (name, values), colour in zip(series.items(), _colours(len(series)), strict=True):
            count = int(values[index])
            if count <= 0:
                continue
            h = plot_h * count / y_max
            base -= h
            tip = f"{label}: {name}, {count} {unit}"
            parts.append(
                f'<rect class="bar" x="{x:.2f}" y="{base:.2f}" width="{bar_w:.2f}" height="{h:.2f}"'
                f' fill="{colour}" data-count="{count}"><title>{escape(tip)}</title></rect>'
            )
        if index % step == 0:
            parts.append(_text(left + slot * index + slot / 2, top + plot_h + 18, label))
    parts.append(f'<line class="axis" x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}"/>')
    for row, (name, colour) in enumerate(zip(series, _colours(len(series)), strict=True)):
        y = top + 4 + row * 20
        parts.append(f'<rect class="swatch" x="{left + plot_w + 16}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(left + plot_w + 34, y + 10, _shorten(name, 24), anchor="start"))
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(title: str, labels: Sequence[str], values: Sequence[int], unit: str) -> str:
    """Draw one horizontal bar per label, longest scale first as given.

    Args:
        title: The chart's accessible title.
        labels: One label per bar.
        values: The counts.
        unit: What the bars count.

    Returns:
        An ``<svg>`` element, or one saying there is no data when every count is 0.
    """
    if not labels or max((int(v) for v in values), default=0) <= 0:
        return _empty(title)
    left, right, top, row_h = 300, 80, TITLE_SPACE + 6, 26
    height = top + 10 + row_h * len(labels)
    plot_w = WIDTH - left - right
    _, x_max = axis_scale(max(int(v) for v in values))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        _text(0, 16, title, anchor="start", css="chart-title"),
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row_h * index
        count = int(value)
        parts.append(_text(left - 8, y + row_h / 2 + 4, _shorten(label, 44), anchor="end"))
        if count > 0:
            w = plot_w * count / x_max
            parts.append(
                f'<rect class="bar" x="{left}" y="{y + 4}" width="{w:.2f}" height="{row_h - 8}"'
                f' fill="{PALETTE[0]}" data-count="{count}"><title>{escape(f"{label}: {count} {unit}")}</title></rect>'
            )
            parts.append(_text(left + w + 6, y + row_h / 2 + 4, f"{count}", anchor="start"))
    parts.append("</svg>")
    return "".join(parts)


def _colours(count: int) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(count)]


def _shorten(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
