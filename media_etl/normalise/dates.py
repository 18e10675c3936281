"""Publication dates: the outlet's printed date, the UTC instant, and how precise they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

# The vocabularies of Publication.precision and Publication.source (articles.date_precision and
# articles.date_source), defined in schemas.vocabularies and named here too for the code that reads them.


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
        time and zone are known, day precision when only the date is (or when the local
        time, in the first or last hours of years 1 and 9999, has no UTC instant), and
        unknown otherwise.
    """
    day, source = (header_date, "header") if header_date else (dateline_date, "dateline")
    if day is None:
        return UNKNOWN
    if posted_time is None or zone is None:
        return Publication(published_date=day, published_at=None, precision="day", source=source)
    local = datetime.combine(day, posted_time, tzinfo=zone)
    try:
        instant = local.astimezone(UTC)
    except OverflowError:  # hours of 1 January of year 1 or 31 December 9999 that have no UTC instant
        return Publication(published_date=day, published_at=None, precision="day", source=source)
    return Publication(published_date=day, published_at=instant, precision="minute", source=source)


def resolve_source_date(
    published: datetime | date | None, *, precision: str | None, source: str | None, zone: ZoneInfo | None
) -> Publication:
    """Normalise a date that a page, feed or export gave.

    Args:
        published: An aware datetime (zone given by the source), a naive datetime (a local
            time, read in ``zone``), or a date (day known only).
        precision: second or minute for datetimes; None means second.
        source: Where the date came from (html-meta, html-text, json-ld, feed, url, file).
        zone: The outlet's time zone, for naive datetimes.

    Returns:
        The publication date. ``published_date`` is the calendar date the outlet printed:
        the instant's date in the outlet's zone when that is known, else the date in the
        offset the source wrote; a naive time with no known zone, or a time with no UTC
        instant (the first or last hours of years 1 and 9999), keeps only its day.
    """
    if published is None:
        return UNKNOWN
    if not isinstance(published, datetime):
        return Publication(published_date=published, published_at=None, precision="day", source=source)
    if published.tzinfo is None:
        if zone is None:
            return Publication(published_date=published.date(), published_at=None, precision="day", source=source)
        published = published.replace(tzinfo=zone)
    try:
        instant = published.astimezone(UTC)
        printed = published.astimezone(zone) if zone is not None else published
    except OverflowError:  # a time at the very edge of year 1 or 9999 that has no UTC instant
        return Publication(published_date=published.date(), published_at=None, precision="day", source=source)
    return Publication(
        published_date=printed.date(),
        published_at=instant,
        precision=precision if precision in ("second", "minute") else "second",
        source=source,
    )
