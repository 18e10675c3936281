"""Periods to count by in the report's charts: day, week, month or year, chosen from the span.

A chart over a few weeks counts per day; over fifteen years, per year. The grain is the finest one
that keeps the chart at ``MAX_BARS`` bars or fewer, so bars never shrink to hairlines.
"""

from __future__ import annotations

from datetime import date, timedelta

GRAINS = ("day", "week", "month", "year")
"""From finest to coarsest."""
MAX_BARS = 100
"""Most periods a chart shows."""


def period_start(day: date, grain: str) -> date:
    """The first day of the period a day falls in.

    Args:
        day: A day.
        grain: ``day``, ``week`` (ISO weeks, starting on Monday), ``month`` or ``year``.

    Returns:
        The period's first day.

    Raises:
        ValueError: The grain is not one of ``GRAINS``.
    """
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    if grain == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"grain must be one of {', '.join(GRAINS)}, not {grain!r}")


def next_period(start: date, grain: str) -> date:
    """The first day of the period after the one starting on ``start``.

    Args:
        start: A period's first day (as ``period_start`` returns it).
        grain: The period's grain.

    Returns:
        The next period's first day.
    """
    start = period_start(start, grain)
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    if grain == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def count_periods(first: date, last: date, grain: str) -> int:
    """How many periods of a grain the days from ``first`` to ``last`` touch.

    Args:
        first: The earliest day.
        last: The latest day (not before ``first``).
        grain: The grain.

    Returns:
        The number of periods, at least 1.
    """
    start, end = period_start(first, grain), period_start(last, grain)
    if grain == "day":
        return (end - start).days + 1
    if grain == "week":
        return (end - start).days // 7 + 1
    if grain == "month":
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return end.year - start.year + 1


def choose_grain(first: date, last: date, max_bars: int = MAX_BARS) -> str:
    """Pick the finest grain that draws the days from ``first`` to ``last`` in at most ``max_bars`` bars.

    Args:
        first: The earliest day.
        last: The latest day.
        max_bars: Most periods wanted.

    Returns:
        ``day``, ``week``, ``month`` or ``year`` (``year`` whatever the span, as the coarsest).
    """
    first, last = min(first, last), max(first, last)
    for grain in GRAINS[:-1]:
        if count_periods(first, last, grain) <= max_bars:
            return grain
    return GRAINS[-1]


def all_periods(first: date, last: date, grain: str) -> list[date]:
    """Every period's first day from the one holding ``first`` to the one holding ``last``, empty ones included.

    Args:
        first: The earliest day.
        last: The latest day.
        grain: The grain.

    Returns:
        The periods' first days, in order.
    """
    periods = [period_start(first, grain)]
    end = period_start(last, grain)
    while periods[-1] < end:
        periods.append(next_period(periods[-1], grain))
    return periods


def period_label(start: date, grain: str) -> str:
    """Name a period for an axis or a table.

    Args:
        start: The period's first day.
        grain: Its grain.

    Returns:
        ``2025-03-04`` for a day, ``2025-W10`` for an ISO week, ``2025-03`` for a month, ``2025`` for a year.
    """
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{start:%Y-%m}"
    if grain == "year":
        return f"{start:%Y}"
    return start.isoformat()
