"""The coverage chart: articles per day, week or month, stacked by outlet, as a PNG.

It draws on a bare matplotlib ``Figure`` (Agg canvas), never through pyplot, so it needs no
display, keeps no global figure alive and is safe in worker threads.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from media_etl.store.atomic import write_atomically

MAX_OUTLETS = 8
"""Outlets drawn on their own; the rest are summed as ``other``."""
REPORTS_DIR = "reports"

# Periods: (name, most days spanned for which it is used, length in days).
_GRAINS = (("day", 62, 1), ("week", 366, 7), ("month", None, 30))
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


def choose_grain(first: date, last: date) -> str:
    """Pick the period to count by, so that a chart has at most about 60 bars.

    Args:
        first: The earliest day.
        last: The latest day.

    Returns:
        ``day`` for up to two months, ``week`` for up to a year, else ``month``.
    """
    span = (last - first).days + 1
    for name, most, _ in _GRAINS:
        if most is None or span <= most:
            return name
    raise AssertionError("the last grain has no limit")


def period_start(day: date, grain: str) -> date:
    """The first day of the period a day falls in.

    Args:
        day: A day.
        grain: ``day``, ``week`` (weeks start on Monday) or ``month``.

    Returns:
        The period's first day.
    """
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


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
    table, grain = coverage_table(coverage)
    figure = Figure(figsize=(10, 4.5), dpi=100, layout="constrained")
    axes = figure.subplots()
    if table.empty:
        axes.set_title(title)
        axes.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
    else:
        length = next(days for name, _, days in _GRAINS if name == grain)
        periods = [pd.Timestamp(p) for p in table.index]
        bottom = [0] * len(periods)
        for outlet in table.columns:
            counts = [int(n) for n in table[outlet]]
            axes.bar(periods, counts, width=length * _BAR_SHARE, bottom=bottom, label=str(outlet), align="edge")
            bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
        first, last = periods[0], periods[-1] + pd.Timedelta(days=length)
        pad = max(pd.Timedelta(days=length), (pd.Timedelta(days=length * MIN_PERIODS_SHOWN) - (last - first)) / 2)
        axes.set_xlim(first - pad, last + pad)
        locator = AutoDateLocator(minticks=3, maxticks=10)
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.set_title(f"{title} per {grain}")
        axes.set_ylabel("articles")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, lambda handle: handle.write(buffer.getvalue()))
    return target
