"""Publication dates: the outlet's printed date, the UTC instant, and how precise they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

PRECISIONS = ("second", "minute", "day", "unknown")
DATE_SOURCES = ("header", "dateline")


@dataclass(frozen=True)
class Publication:
    """When an article was published, as far as its text tells."""

    published_date: date | None
    published_at: datetime | None
    precision: str
    source: str | None


UNKNOWN = Publication(published_date=None, published_at=None, precision="unknown", source=None)


def resolve_publication(
    *,
    header_date: date | None,
    dateline_date: date | None,
    posted_time: time | None,
    zone: ZoneInfo | None,
) -> Publication:
    """Combine the date marker, the dateline and the update note into one publication date.

    The header's date marker wins over a dateline date. A local posting time turns the
    day into an instant only when the outlet's time zone is known; nothing is guessed.

    Args:
        header_date: The date of a ``date YYYY-MM-DD`` marker, if any.
        dateline_date: A full date (with year) printed in the dateline, if any.
        posted_time: The local wall-clock time of the first version, if given.
        zone: The time zone the outlet prints times in.

    Returns:
        The publication date with ``published_at`` in UTC at minute precision when the
        time and zone are known, day precision when only the date is, and unknown otherwise.
    """
    day, source = (header_date, "header") if header_date else (dateline_date, "dateline")
    if day is None:
        return UNKNOWN
    if posted_time is None or zone is None:
        return Publication(published_date=day, published_at=None, precision="day", source=source)
    local = datetime.combine(day, posted_time, tzinfo=zone)
    return Publication(
        published_date=day,
        published_at=local.astimezone(UTC),
        precision="minute",
        source=source,
    )
