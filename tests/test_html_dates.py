"""The publication date of an HTML page: sources in order of trust, and the page's own calendar day."""

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from lxml.html import HtmlElement, document_fromstring

from media_etl.ingest.page_dates import page_publication, parse_timestamp

BODY = (
    "<p>The regional parliament passed the water bill on its third reading after a long debate.</p>"
    "<p>The bill caps the price of drinking water for households and funds new pipes in rural areas.</p>"
)


def tree(head: str = "", body: str = BODY, *, lang: str = "en") -> HtmlElement:
    page = f'<html lang="{lang}"><head><title>Water bill</title>{head}</head><body>{body}</body></html>'
    return document_fromstring(page)


def test_json_ld_wins_over_meta_tags() -> None:
    head = (
        '<meta property="article:published_time" content="2024-03-06T10:00:00+01:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-05T09:00:00+01:00"}'
        "</script>"
    )
    moment, precision, source = page_publication(tree(head), None) or (None, None, None)
    assert moment == datetime(2024, 3, 5, 9, tzinfo=timezone(timedelta(hours=1)))
    assert (precision, source) == ("second", "json-ld")


def test_rfc_2822_date_in_json_ld_is_read() -> None:
    assert parse_timestamp("Wed, 04 May 2022 00:25:56 GMT") == (datetime(2022, 5, 4, 0, 25, 56, tzinfo=UTC), "second")


def test_time_printed_with_the_article_is_the_publication_date() -> None:
    body = f'<article><h1>Water bill passes</h1><time datetime="2022-01-26">26 Jan 2022</time>{BODY}</article>'
    assert page_publication(tree(body=body), None) == (date(2022, 1, 26), "day", "html-meta")


def test_a_time_marked_as_an_update_is_passed_over() -> None:
    body = (
        '<h1>Water bill passes</h1><time class="updated" datetime="2022-02-03">3 Feb</time>'
        f'<time datetime="2022-01-26">26 Jan 2022</time>{BODY}'
    )
    # Only the first time after the headline counts; an update mark means none does.
    found = page_publication(tree(body=body), None)
    assert found is None or found[0] != date(2022, 2, 3)


def test_a_modified_date_never_stands_in_for_the_published_one() -> None:
    head = '<meta property="og:updated_time" content="2022-01-27T18:34:20+01:00">'
    found = page_publication(tree(head), None)
    assert found is None or found[0] != datetime(2022, 1, 27, 18, 34, 20, tzinfo=timezone(timedelta(hours=1)))


def test_a_date_printed_in_the_text_is_the_last_resort() -> None:
    body = f"<h1>Water bill passes</h1><p>Published on 12 March 2021 by the press office.</p>{BODY}"
    found = page_publication(tree(body=body), None)
    assert found is not None
    assert (found[0], found[2]) == (date(2021, 3, 12), "html-text")


def test_a_bare_year_in_the_text_is_no_date() -> None:
    body = f"<h1>Water bill passes</h1><p>The network has not been renewed since 1998.</p>{BODY}"
    assert page_publication(tree(body=body), None) is None


def test_utc_timestamp_moves_to_the_offset_the_page_shows() -> None:
    head = (
        '<meta property="article:published_time" content="2022-05-04T03:37:37+00:00">'
        '<meta property="article:modified_time" content="2022-05-03T23:37:41-04:00">'
    )
    moment, _, _ = page_publication(tree(head), None) or (None, None, None)
    assert isinstance(moment, datetime)
    assert moment == datetime(2022, 5, 4, 3, 37, 37, tzinfo=UTC)  # the same instant
    assert moment.date() == date(2022, 5, 3)  # the day the page printed


def test_utc_timestamp_moves_to_the_zone_of_the_country_domain() -> None:
    head = '<meta property="article:published_time" content="2022-05-04T00:25:56Z">'
    moment, _, _ = page_publication(tree(head), "https://www.diario.com.ar/politica/nota.html") or (None, None, None)
    assert isinstance(moment, datetime)
    assert moment.date() == date(2022, 5, 3)  # 21:25 in Buenos Aires
    assert moment.utcoffset() == ZoneInfo("America/Argentina/Buenos_Aires").utcoffset(moment.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("lang", "url", "day"),
    [
        ("de-DE", None, date(2022, 1, 15)),  # the region of the lang attribute: 00:30 in Berlin
        ("es", "https://noticias.example.com/a.html", date(2022, 1, 14)),  # no country: stays UTC
        ("en", "https://news.example.ru/a.html", date(2022, 1, 15)),  # 01:30 to 11:30 across Russia
    ],
)
def test_country_zone_only_when_the_country_keeps_one_day(lang: str, url: str | None, day: date) -> None:
    head = '<meta property="article:published_time" content="2022-01-14T23:30:00Z">'
    moment, _, _ = page_publication(tree(head, lang=lang), url) or (None, None, None)
    assert isinstance(moment, datetime)
    assert moment.date() == day


def test_country_whose_zones_disagree_on_the_day_leaves_utc() -> None:
    # 12:00 UTC is 14:00 on the 14th in Kaliningrad but midnight of the 15th in Kamchatka.
    head = '<meta property="article:published_time" content="2022-01-14T12:00:00Z">'
    moment, _, _ = page_publication(tree(head), "https://news.example.ru/a.html") or (None, None, None)
    assert moment == datetime(2022, 1, 14, 12, tzinfo=UTC)
    assert isinstance(moment, datetime) and moment.utcoffset() == timedelta(0)


def test_facebook_locale_region_is_no_country() -> None:
    head = (
        '<meta property="og:locale" content="es_LA">'
        '<meta property="article:published_time" content="2022-05-03T20:51:06Z">'
    )
    moment, _, _ = page_publication(tree(head, lang="es"), None) or (None, None, None)
    assert moment == datetime(2022, 5, 3, 20, 51, 6, tzinfo=UTC)
    assert isinstance(moment, datetime) and moment.utcoffset() == timedelta(0)
