"""Periods for the report's charts: the grain follows the span, so a 2010-2025 warehouse draws readable bars."""

from datetime import date, timedelta

import matplotlib.dates as mdates
import pandas as pd
import pytest

from media_etl.report.chart import coverage_figure, coverage_table
from media_etl.report.html import coverage_chart
from media_etl.report.periods import (
    MAX_BARS,
    all_periods,
    choose_grain,
    count_periods,
    next_period,
    period_label,
    period_start,
)


def daily_coverage(first: date, last: date, outlets: tuple[str, ...] = ("Trend", "AZERTAC")) -> pd.DataFrame:
    """One article a day per outlet, and a burst of 40 on the last day (the bar that was clipped)."""
    rows = []
    day = first
    while day <= last:
        for outlet in outlets:
            rows.append((day, outlet, 40 if day == last else 1))
        day += timedelta(days=1)
    return pd.DataFrame(rows, columns=["day", "outlet", "articles"], dtype=object)


@pytest.mark.parametrize(
    ("first", "last", "grain", "bars"),
    [
        (date(2025, 5, 1), date(2025, 5, 1), "day", 1),
        (date(2025, 1, 1), date(2025, 4, 10), "day", 100),
        (date(2025, 1, 1), date(2025, 4, 11), "week", 15),
        (date(2024, 1, 1), date(2025, 11, 30), "week", 100),  # Monday 2024-01-01 to the week of 2025-11-24
        (date(2024, 1, 1), date(2025, 12, 1), "month", 24),
        (date(2010, 1, 1), date(2018, 4, 30), "month", 100),
        (date(2010, 1, 1), date(2025, 12, 31), "year", 16),  # 5,844 days, 835 weeks, 192 months
        (date(1900, 1, 1), date(2025, 12, 31), "year", 126),  # year is the coarsest, whatever the span
    ],
)
def test_the_grain_is_the_finest_with_at_most_100_bars(first, last, grain, bars):
    assert choose_grain(first, last) == grain
    assert count_periods(first, last, grain) == bars
    assert len(all_periods(first, last, grain)) == bars
    assert choose_grain(last, first) == grain  # the order of the ends does not matter
    if grain != "year":
        assert bars <= MAX_BARS


def test_period_starts_ends_and_labels():
    day = date(2024, 12, 31)  # a Tuesday in ISO week 2025-W01
    assert [period_start(day, g) for g in ("day", "week", "month", "year")] == [
        day,
        date(2024, 12, 30),
        date(2024, 12, 1),
        date(2024, 1, 1),
    ]
    assert [next_period(period_start(day, g), g) for g in ("day", "week", "month", "year")] == [
        date(2025, 1, 1),
        date(2025, 1, 6),
        date(2025, 1, 1),
        date(2025, 1, 1),
    ]
    assert [period_label(period_start(day, g), g) for g in ("day", "week", "month", "year")] == [
        "2024-12-31",
        "2025-W01",
        "2024-12",
        "2024",
    ]
    with pytest.raises(ValueError, match="grain must be one of"):
        period_start(day, "fortnight")


def test_a_2010_to_2025_warehouse_is_counted_per_year():
    coverage = daily_coverage(date(2010, 1, 1), date(2025, 12, 31))
    table, grain = coverage_table(coverage)
    assert grain == "year"
    assert list(table.index) == [date(year, 1, 1) for year in range(2010, 2026)]
    assert int(table.loc[date(2012, 1, 1)].sum()) == 2 * 366  # a leap year, two outlets
    assert int(table.loc[date(2025, 1, 1)].sum()) == 2 * 364 + 2 * 40


def test_the_png_chart_names_its_period_and_clips_no_bar():
    coverage = daily_coverage(date(2010, 1, 1), date(2025, 12, 31))
    axes = coverage_figure(coverage, "Articles published").axes[0]
    assert axes.get_title() == "Articles published per year"
    bars = axes.patches
    assert len(bars) == 2 * 16
    left, right = axes.get_xlim()
    bottom, top = axes.get_ylim()
    tallest = 0.0
    for bar in bars:
        assert left <= bar.get_x() and bar.get_x() + bar.get_width() <= right
        tallest = max(tallest, bar.get_y() + bar.get_height())
        # No hairlines: a year's bar is most of a year wide.
        assert bar.get_width() > 0.75 * 365
    assert bottom == 0 and tallest <= top
    assert tallest == 2 * 364 + 2 * 40


def test_the_png_chart_of_a_few_days_is_per_day():
    coverage = daily_coverage(date(2025, 5, 1), date(2025, 5, 3))
    axes = coverage_figure(coverage, "Articles").axes[0]
    assert axes.get_title() == "Articles per day"
    left, right = axes.get_xlim()
    assert left <= mdates.date2num(pd.Timestamp("2025-05-01")) and mdates.date2num(pd.Timestamp("2025-05-04")) <= right


def test_the_html_chart_of_2010_to_2025_has_one_bar_stack_per_year():
    svg, grain = coverage_chart(daily_coverage(date(2010, 1, 1), date(2025, 12, 31)))
    assert grain == "year"
    assert "Articles published per year" in svg
    assert svg.count('class="bar"') == 2 * 16
    assert ">2010<" in svg and ">2024<" in svg  # every other year labelled: at most 8 labels
