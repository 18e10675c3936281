from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from media_etl.normalise.dates import resolve_publication, resolve_source_date

BAKU = ZoneInfo("Asia/Baku")


def test_header_date_and_posted_time_in_outlet_zone_give_utc_minute():
    p = resolve_publication(header_date=date(2025, 11, 27), dateline_date=None, posted_time=time(16, 40), zone=BAKU)
    assert p.published_at == datetime(2025, 11, 27, 12, 40, tzinfo=UTC)
    assert (p.published_date, p.precision, p.source) == (date(2025, 11, 27), "minute", "header")


def test_dateline_date_used_without_header():
    p = resolve_publication(header_date=None, dateline_date=date(2024, 3, 12), posted_time=None, zone=None)
    assert (p.published_date, p.published_at, p.precision, p.source) == (date(2024, 3, 12), None, "day", "dateline")


def test_no_date_stays_unknown():
    p = resolve_publication(header_date=None, dateline_date=None, posted_time=time(9, 0), zone=BAKU)
    assert (p.published_date, p.published_at, p.precision) == (None, None, "unknown")


def test_time_without_zone_keeps_only_the_day():
    p = resolve_publication(header_date=date(2025, 1, 1), dateline_date=None, posted_time=time(9, 0), zone=None)
    assert (p.published_at, p.precision) == (None, "day")


def test_aware_source_date_takes_the_calendar_day_of_the_outlet_zone():
    # 21:30 UTC on 1 January is already 2 January in Baku (UTC+4).
    moment = datetime(2025, 1, 1, 21, 30, tzinfo=UTC)
    p = resolve_source_date(moment, precision="minute", source="html-meta", zone=BAKU)
    assert p.published_at == moment
    assert p.published_date == date(2025, 1, 2)


def test_aware_source_date_without_outlet_zone_keeps_the_day_of_its_own_offset():
    moment = datetime(2025, 1, 2, 1, 30, tzinfo=timezone(timedelta(hours=3)))
    p = resolve_source_date(moment, precision="minute", source="feed", zone=None)
    assert p.published_at == datetime(2025, 1, 1, 22, 30, tzinfo=UTC)
    assert p.published_date == date(2025, 1, 2)


def test_aware_source_date_keeps_its_own_calendar_day():
    moment = datetime(2025, 1, 2, 1, 30, tzinfo=timezone(timedelta(hours=3)))
    p = resolve_source_date(moment, precision="minute", source="feed", zone=BAKU)
    assert p.published_at == datetime(2025, 1, 1, 22, 30, tzinfo=UTC)
    assert (p.published_date, p.precision, p.source) == (date(2025, 1, 2), "minute", "feed")


def test_naive_source_date_is_read_in_the_outlet_zone():
    p = resolve_source_date(
        datetime(2025, 6, 1, 10, 0), precision=None, source="file", zone=ZoneInfo("Europe/Istanbul")
    )
    assert p.published_at == datetime(2025, 6, 1, 7, 0, tzinfo=UTC)
    assert p.precision == "second"


def test_naive_source_date_without_zone_is_day_precision():
    p = resolve_source_date(datetime(2025, 6, 1, 10, 0), precision="second", source="file", zone=None)
    assert (p.published_date, p.published_at, p.precision) == (date(2025, 6, 1), None, "day")


def test_source_date_only():
    p = resolve_source_date(date(2025, 6, 1), precision=None, source="html-meta", zone=BAKU)
    assert (p.published_date, p.published_at, p.precision, p.source) == (date(2025, 6, 1), None, "day", "html-meta")
