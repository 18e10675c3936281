"""Property tests ("fuzzing") of the wire-copy parser, the dateline parser and the publication dates.

Every property holds for any input: generated wire copy built from realistic parts (see
``tests/support/fuzz.py``) and arbitrary or hostile Unicode. The parsers may refuse
an input only with the documented ``ParseError`` reason codes; whatever they return keeps
its offsets inside the text and its dates valid (aware UTC where an instant is promised).

Run 10,000 examples per property with
``HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest -p no:cacheprovider tests/test_fuzz_*.py``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from media_etl.clean.text import clean_text
from media_etl.normalise.dates import resolve_publication, resolve_source_date
from media_etl.parse.dateline import parse_bare_dateline, parse_dateline
from media_etl.parse.wire import parse_item_text, parse_wire_text, split_blocks
from media_etl.records import SourceItem
from schemas.vocabularies import DATE_SOURCES
from tests.support.fuzz import (
    ANY_CHAR,
    CITIES,
    HOSTILE_CHAR,
    LONG_TOKEN,
    check_dateline,
    check_publication,
    check_rows,
    datelines,
    fuzz_settings,
    headlines,
    noisy,
    parse_or_documented_error,
    registry,
    sentences,
    text_item,
    wire_copy,
)

_PIECE = st.one_of(HOSTILE_CHAR, st.sampled_from(["\n", "\n\n", " ", "date ", "BAKU, "]))
ANY_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(_PIECE, max_size=100).map("".join),
    LONG_TOKEN,
)
WIRE_TEXT = st.one_of(wire_copy(), wire_copy(), wire_copy(), ANY_TEXT)

# Zones at the edges: the largest offsets either way, half hours, DST gaps and folds, a zone that skipped a day.
ZONES = st.sampled_from(
    [
        None,
        "UTC",
        "Asia/Baku",
        "Europe/Istanbul",
        "Asia/Almaty",
        "Pacific/Kiritimati",
        "Etc/GMT+12",
        "Etc/GMT-14",
        "America/St_Johns",
        "Asia/Kathmandu",
        "Europe/London",
        "America/New_York",
        "Pacific/Apia",
        "Australia/Lord_Howe",
    ]
).map(lambda name: ZoneInfo(name) if name else None)
ANY_DATE = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))


# --- split_blocks ---------------------------------------------------------------------------


@fuzz_settings(100)
@given(WIRE_TEXT)
@example("a\n\n\nb")
@example("\n")
def test_split_blocks_keeps_every_line_in_order(text):
    lines = text.split("\n")
    blocks = split_blocks(text)
    has_blank = "" in lines
    previous_line = 0
    for block in blocks:
        assert block.text, "no empty blocks"
        assert 1 <= block.line <= len(lines)
        assert block.line > previous_line
        previous_line = block.line
        if has_blank:
            # A block is the run of non-empty lines from its first line up to the next blank line.
            run = []
            for line in lines[block.line - 1 :]:
                if not line:
                    break
                run.append(line)
            assert block.text == " ".join(run)
        else:
            assert block.text == lines[block.line - 1]
    assert sum(1 for line in lines if line) >= len(blocks)


# --- the wire-copy parser -------------------------------------------------------------------


@fuzz_settings(100)
@given(WIRE_TEXT)
@example("BAKU, Azerbaijan, February 30, 2025. Headline\n\nISTANBUL, 31 April 2024 /Trend/ Body text.")
@example("date 0001-01-01 Headline\n\nDetails added: first version posted on 01:00\n\nBody, Trend reports.")
@example("date 9999-12-31 Headline\n\nDetails added: first version posted on 23:59\n\nWASHINGTON (AP) - Body.")
def test_wire_parser_returns_an_article_or_a_documented_error(text):
    """Plain-text wire copy the way the pipeline reads it (``parse_item``): cleaned, parsed, made into rows."""
    parsed = parse_or_documented_error(parse_wire_text, clean_text(text), registry())
    if parsed is not None:
        check_rows(text_item(text), parsed)


@fuzz_settings(100)
@given(
    headline=st.one_of(st.none(), st.just(""), headlines(), st.text(ANY_CHAR, max_size=40)),
    text=WIRE_TEXT,
    published=st.one_of(st.none(), ANY_DATE, st.datetimes(timezones=st.none() | st.timezones())),
    url=st.sampled_from([None, "https://en.trend.az/x", "https://aa.com.tr/en/x", "https://example.com/"]),
)
def test_item_parser_returns_an_article_or_a_documented_error(headline, text, published, url):
    """Pages, feeds and exports: a headline from the source, the body through the same rules."""
    item = SourceItem(
        source_uri="fuzz.json", item_key="1", source_kind="feed", content_hash="0" * 64, encoding="utf-8",
        text=text, headline=headline, published=published, date_source="feed" if published else None, url=url,
    )  # fmt: skip
    cleaned_headline = clean_text(headline).replace("\n", " ") if headline else None
    parsed = parse_or_documented_error(parse_item_text, cleaned_headline, clean_text(text), registry())
    if parsed is not None:
        check_rows(item, parsed)


# --- datelines ------------------------------------------------------------------------------


@fuzz_settings(200)
@given(st.one_of(st.builds(str.__add__, datelines(), sentences()), st.builds(str.__add__, datelines(), ANY_TEXT),
                 noisy(datelines()), ANY_TEXT))  # fmt: skip
@example("BAKU, Azerbaijan, February 30, 2025. Text here.")
@example("ISTANBUL, 31 April 2024 /Trend/ Text")
@example("BAKU, Azerbaijan, February 29, 2025. Text here.")
def test_dateline_parser(paragraph):
    found = parse_dateline(paragraph)
    if found is None:
        return
    dateline, rest = found
    check_dateline(dateline)
    assert paragraph.startswith(dateline.raw)
    assert paragraph.endswith(rest)
    assert len(dateline.raw) + len(rest) <= len(paragraph)
    assert rest == rest.lstrip()


@fuzz_settings(200)
@given(st.one_of(st.sampled_from(CITIES), noisy(st.sampled_from(CITIES)), ANY_TEXT))
def test_bare_dateline_parser(line):
    dateline = parse_bare_dateline(line)
    if dateline is None:
        return
    check_dateline(dateline)
    assert dateline.raw == line.strip()
    assert (dateline.year, dateline.month, dateline.day, dateline.credit) == (None, None, None, None)


# --- publication dates ----------------------------------------------------------------------


@fuzz_settings(200)
@given(
    header_date=st.one_of(st.none(), ANY_DATE),
    dateline_date=st.one_of(st.none(), ANY_DATE),
    posted_time=st.one_of(st.none(), st.times()),
    zone=ZONES,
)
@example(header_date=date(1, 1, 1), dateline_date=None, posted_time=time(0, 0), zone=ZoneInfo("Asia/Baku"))
@example(header_date=date(9999, 12, 31), dateline_date=None, posted_time=time(23, 59), zone=ZoneInfo("Etc/GMT+12"))
def test_resolve_publication(header_date, dateline_date, posted_time, zone):
    publication = resolve_publication(
        header_date=header_date, dateline_date=dateline_date, posted_time=posted_time, zone=zone
    )
    check_publication(publication)
    expected_day = header_date or dateline_date
    assert publication.published_date == expected_day
    assert publication.source == ("header" if header_date else "dateline" if dateline_date else None)
    if publication.published_at is not None:
        assert posted_time is not None and zone is not None
        # The instant is the local day and time in the outlet's zone (give or take a DST gap).
        local = publication.published_at.astimezone(zone)
        assert abs(local.date() - publication.published_date) <= timedelta(days=1)
    elif expected_day is not None and posted_time is not None and zone is not None:
        # Only a day the UTC instant cannot represent (year 1 or 9999 at the edge) loses its time.
        assert expected_day.year in (1, 9999)


# Fixed offsets up to the largest one datetime allows, and the IANA zones.
AWARE_ZONES = st.one_of(
    st.timezones(),
    st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda minutes: timezone(timedelta(minutes=minutes))),
)


@fuzz_settings(200)
@given(
    published=st.one_of(
        st.none(), ANY_DATE, st.datetimes(), st.datetimes(timezones=AWARE_ZONES), st.datetimes(timezones=st.timezones())
    ),
    precision=st.sampled_from([None, "second", "minute", "day", "unknown", "bogus"]),
    source=st.sampled_from([None, *DATE_SOURCES]),
    zone=ZONES,
)
@example(published=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=4))), precision=None, source="feed", zone=None)
@example(published=datetime(1, 1, 1), precision="minute", source="feed", zone=ZoneInfo("Asia/Baku"))
@example(published=datetime(9999, 12, 31, 23, 59), precision=None, source="feed", zone=ZoneInfo("Etc/GMT+12"))
@example(published=datetime(2000, 3, 26, 2, tzinfo=ZoneInfo("Asia/Ust-Nera")), precision=None, source=None, zone=None)
def test_resolve_source_date(published, precision, source, zone):
    publication = resolve_source_date(published, precision=precision, source=source, zone=zone)
    check_publication(publication)
    if published is None:
        assert publication.published_date is None
        return
    assert publication.source == source
    day = published.date() if isinstance(published, datetime) else published
    if publication.published_at is not None and zone is not None and published.tzinfo is not None:
        # An aware time is dated on the outlet's calendar.
        day = published.astimezone(zone).date()
    assert publication.published_date == day
    if publication.published_at is not None:
        assert isinstance(published, datetime)
        if published.tzinfo is not None and published.utcoffset() is not None:
            # Timestamps, not ==: PEP 495 makes == between zones False for a time in a DST gap or fold.
            assert publication.published_at.timestamp() == published.timestamp()


@pytest.mark.parametrize(
    ("header", "posted", "zone"),
    [(date(1, 1, 1), time(1), "Asia/Baku"), (date(9999, 12, 31), time(23), "America/New_York")],
)
def test_a_day_at_the_end_of_the_calendar_keeps_its_day(header, posted, zone):
    """A local time that has no UTC instant in ``datetime``'s range stays a day, never an OverflowError."""
    publication = resolve_publication(header_date=header, dateline_date=None, posted_time=posted, zone=ZoneInfo(zone))
    assert (publication.published_date, publication.published_at, publication.precision) == (header, None, "day")
