"""Source health over the report's window: which outlets had days without articles (gaps) or with a drop.

The flags are rpt_source_health's: a gap is a day with no article between an outlet's first and last
dated article, from an outlet that averaged at least one article a day over the (three or more) days before it; a
drop a day with some but fewer than half the trailing 7-day average. The window is
the report's ``since`` when it has one, else the last ``WINDOW_DAYS`` days of each outlet's own data
(its newest dated article and the days before it), so a daily report looks at the latest week of
every outlet however long ago it last published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from media_etl.report.summary import _OUTLET_MATCHES, ReportFilter, query_frame

WINDOW_DAYS = 7
"""Days of each outlet's own data that are checked when the report has no ``since``."""
DATES_LISTED = 5
"""Flagged days named per outlet and flag; the count says how many there are in all."""

SOURCE_HEALTH_SQL = f"""
with source as (
    select * from rpt_source_health
    where {_OUTLET_MATCHES} and (cast($until as date) is null or day <= $until)
),

spans as (
    select outlet, max(day) as last_day
    from source
    group by outlet
),

windowed as (
    select source.*
    from source
    inner join spans using (outlet)
    where case
        when cast($since as date) is null then source.day > spans.last_day - cast($window_days as integer)
        else source.day >= $since
    end
),

final as (
    select
        outlet,
        min(day) as first_day,
        max(day) as last_day,
        cast(sum(articles) as bigint) as articles,
        count(*) filter (where is_gap) as gap_days,
        count(*) filter (where is_drop) as drop_days,
        list(day order by day) filter (where is_gap) as gaps,
        list(day order by day) filter (where is_drop) as drops
    from windowed
    group by outlet
)

select * from final
order by gap_days + drop_days desc, outlet
"""


@dataclass(frozen=True)
class SourceHealth:
    """Each outlet's days checked, articles, gaps and drops in the window, and the outlets flagged."""

    outlets: pd.DataFrame
    """Columns outlet, first_day, last_day, articles, gap_days, drop_days, gaps and drops (lists of dates)."""
    window: str
    """The window in words."""

    @property
    def flagged(self) -> list[str]:
        """The outlets with at least one gap or drop in the window, most flagged days first."""
        rows = self.outlets
        if rows.empty:
            return []
        return [str(o) for o, g, d in zip(rows["outlet"], rows["gap_days"], rows["drop_days"], strict=True) if g or d]

    def describe(self, outlet: str, dates: bool = True) -> str:
        """Say what was flagged for one outlet.

        Args:
            outlet: An outlet of ``outlets``.
            dates: Name the first flagged days too.

        Returns:
            Text such as ``3 gap days (2025-05-05, ...), 1 drop day (2025-05-07)``, or
            ``3 gap days, 1 drop day`` without the dates.
        """
        row = self.outlets.set_index("outlet").loc[outlet]
        parts = []
        for name, count, days in (("gap", row["gap_days"], row["gaps"]), ("drop", row["drop_days"], row["drops"])):
            if count and not dates:
                parts.append(f"{count} {name} day{'s' if count != 1 else ''}")
            elif count:
                shown = ", ".join(d.isoformat() for d in list(days)[:DATES_LISTED])
                more = ", ..." if count > DATES_LISTED else ""
                parts.append(f"{count} {name} day{'s' if count != 1 else ''} ({shown}{more})")
        return ", ".join(parts)

    def message(self) -> str:
        """One line naming every flagged outlet and how many days were flagged, or saying none was.

        Returns:
            The message (the report flow's final state message).
        """
        flagged = self.flagged
        if not flagged:
            return f"no gaps or drops ({self.window})"
        details = "; ".join(f"{outlet}: {self.describe(outlet, dates=False)}" for outlet in flagged)
        return f"{len(flagged)} outlet(s) with gaps or drops ({self.window}): {details}"


def describe_window(since: date | None, until: date | None = None, window_days: int = WINDOW_DAYS) -> str:
    """Say which days source health checks.

    Args:
        since: The report's first day, or None.
        until: The report's last day, or None.
        window_days: Days per outlet when ``since`` is None.

    Returns:
        The window in words.
    """
    end = f" until {until.isoformat()}" if until is not None else ""
    if since is not None:
        return f"days since {since.isoformat()}{end}"
    return f"the last {window_days} days of each outlet's data{end}"


def source_health(
    connection: duckdb.DuckDBPyConnection, filters: ReportFilter, window_days: int = WINDOW_DAYS
) -> SourceHealth:
    """Check the outlets' daily volume for gaps and drops in the report's window.

    Args:
        connection: A connection to media.db.
        filters: The report's filters: ``since`` starts the window, ``until`` ends it, ``outlet``
            picks the outlet; agency, language and country do not apply (the counts are per outlet).
        window_days: Days of each outlet's own data checked when ``since`` is None.

    Returns:
        One row per outlet with dated articles, the most flagged first.
    """
    params = {
        "since": filters.since,
        "until": filters.until,
        "outlets": filters.params()["outlets"],
        "window_days": window_days,
    }
    frame = query_frame(connection, SOURCE_HEALTH_SQL, params)
    for column in ("gaps", "drops"):
        frame[column] = [list(v) if v is not None else [] for v in frame[column]]
    return SourceHealth(outlets=frame, window=describe_window(filters.since, filters.until, window_days))


def health_summary(health: SourceHealth) -> dict[str, object]:
    """The flagged outlets and what was flagged, as plain JSON values (an event's payload, a flow's result).

    Args:
        health: Source health over the report's window.

    Returns:
        ``window``, ``outlets`` (the flagged ones, most flagged days first), ``details`` (per flagged
        outlet: gap_days, drop_days and the flagged dates as ISO text) and ``message``.
    """
    rows = health.outlets.set_index("outlet") if not health.outlets.empty else None
    details: dict[str, dict[str, object]] = {}
    for outlet in health.flagged:
        assert rows is not None
        row = rows.loc[outlet]
        details[outlet] = {
            "gap_days": int(row["gap_days"]),
            "drop_days": int(row["drop_days"]),
            "gaps": [d.isoformat() for d in row["gaps"]],
            "drops": [d.isoformat() for d in row["drops"]],
        }
    return {"window": health.window, "outlets": health.flagged, "details": details, "message": health.message()}
