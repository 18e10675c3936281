"""The coverage chart: articles per day, week, month or year (see periods.py), stacked by outlet, as a PNG.

It draws on a bare matplotlib ``Figure`` (Agg canvas), never through pyplot, so it needs no
display, keeps no global figure alive and is safe in worker threads.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from media_etl.report.periods import choose_grain, next_period, period_start
from media_etl.store.atomic import write_atomically

__all__ = [
    "MAX_OUTLETS",
    "chart_path",
    "choose_grain",
    "coverage_figure",
    "coverage_table",
    "draw_coverage",
    "period_start",
]

MAX_OUTLETS = 8
"""Outlets drawn on their own; the rest are summed as ``other``."""
REPORTS_DIR = "reports"

_BAR_SHARE = 0.8
"""Share of its period a bar covers."""
MIN_PERIODS_SHOWN = 7
"""The x axis spans at least this many periods, so one bar is not drawn wall to wall."""


def chart_path(warehouse: Path, day: date) -> Path:
    """The file a report made on ``day`` writes its coverage chart to.

    Args:
        warehouse: The warehouse folder.
        day: The report's date.

    Returns:
        ``<warehouse>/reports/coverage-<YYYY-MM-DD>.png``.
    """
    return warehouse / REPORTS_DIR / f"coverage-{day.isoformat()}.png"


def coverage_table(coverage: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Count articles per period and outlet, keeping the biggest outlets apart.

    Args:
        coverage: Columns ``day`` (``datetime.date``), ``outlet`` and ``articles``.

    Returns:
        A frame indexed by period start with one column per outlet (the largest first,
        then ``other``), and the grain used.
    """
    if coverage.empty:
        return pd.DataFrame(), "day"
    days = list(coverage["day"])
    grain = choose_grain(min(days), max(days))
    totals = coverage.groupby("outlet")["articles"].sum().astype(int)
    kept = sorted(totals.index, key=lambda o: (-int(totals[o]), str(o)))[:MAX_OUTLETS]
    frame = pd.DataFrame(
        {
            "period": [period_start(d, grain) for d in days],
            "outlet": [o if o in kept else "other" for o in coverage["outlet"]],
            "articles": coverage["articles"].astype(int),
        }
    )
    table = frame.pivot_table(index="period", columns="outlet", values="articles", aggfunc="sum", fill_value=0)
    order = [o for o in kept if o in table.columns] + (["other"] if "other" in table.columns else [])
    return table[order].sort_index(), grain


def coverage_figure(coverage: pd.DataFrame, title: str = "Articles published") -> Figure:
    """Draw articles per period, stacked by outlet, on a new figure.

    Args:
        coverage: Columns ``day`` (``datetime.date``), ``outlet`` and ``articles``, as
            ``media_etl.report.summary.coverage_by_day`` returns them.
        title: The chart's title; the grain is added to it.

    Returns:
        The figure (one axes); its axis limits hold every bar whole.
    """
    table, grain = coverage_table(coverage)
    figure = Figure(figsize=(10, 4.5), dpi=100, layout="constrained")
    axes = figure.subplots()
    if table.empty:
        axes.set_title(title)
        axes.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
    else:
        starts = list(table.index)
        # Each bar covers its own period's share (months and years differ in length).
        widths = [(next_period(p, grain) - p).days * _BAR_SHARE for p in starts]
        periods = [pd.Timestamp(p) for p in starts]
        bottom = [0] * len(periods)
        for outlet in table.columns:
            counts = [int(n) for n in table[outlet]]
            axes.bar(periods, counts, width=widths, bottom=bottom, label=str(outlet), align="edge")
            bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
        # The axes hold every bar whole: from the first period's start to the last one's end,
        # padded by one period a side (more when there are few), and up to the tallest stack.
        first, last = periods[0], pd.Timestamp(next_period(starts[-1], grain))
        length = (last - first) / len(periods)
        pad = max(length, (length * MIN_PERIODS_SHOWN - (last - first)) / 2)
        axes.set_xlim(first - pad, last + pad)
        axes.set_ylim(0, max(bottom) * 1.05)
        locator = AutoDateLocator(minticks=3, maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.set_title(f"{title} per {grain}")
        axes.set_ylabel("articles")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    return figure


def draw_coverage(coverage: pd.DataFrame, target: Path, title: str = "Articles published") -> Path:
    """Draw articles per period, stacked by outlet, and write the PNG atomically.

    Args:
        coverage: Columns ``day`` (``datetime.date``), ``outlet`` and ``articles``, as
            ``media_etl.report.summary.coverage_by_day`` returns them.
        target: The PNG to write; its folder is created.
        title: The chart's title; the grain is added to it.

    Returns:
        ``target``.
    """
    figure = coverage_figure(coverage, title)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, lambda handle: handle.write(buffer.getvalue()))
    return target
