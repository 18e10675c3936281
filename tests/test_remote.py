"""Collecting from URLs: feeds, followed links, 304s and failed fetches, with a fake fetcher."""

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from media_etl.ingest.fetch import Fetched, FetchError, Validators
from media_etl.ingest.remote import collect_url, latest_validators

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://example.org/</link>
<item><title>First story</title><link>https://example.org/1</link><guid isPermaLink="false">g1</guid>
<pubDate>Mon, 01 Dec 2025 14:30:00 +0400</pubDate><description>Short summary.</description></item>
<item><title>Second story</title><link>https://example.org/2</link><guid isPermaLink="false">g2</guid>
<description>Another summary.</description></item></channel></rss>"""
PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>First story</title></head><body><article>
<h1>First story</h1>
<p>BAKU, Azerbaijan, December 1. The full text of the first story has several paragraphs, Trend reports.</p>
<p>It goes on with a second paragraph that gives the details the summary left out of the feed.</p>
<p>A third paragraph closes the story with a quote from an official who was at the meeting.</p>
</article></body></html>"""


class FakeFetcher:
    """Serves canned bodies by URL and records what was asked."""

    def __init__(self, bodies: dict[str, bytes | Exception | None]) -> None:
        self.bodies = bodies
        self.asked: list[tuple[str, Validators | None]] = []

    def __call__(self, client, url, *, validators, raw_root: Path, now: datetime) -> Fetched:
        self.asked.append((url, validators))
        body = self.bodies[url]
        if isinstance(body, Exception):
            raise body
        return Fetched(
            url=url,
            final_url=url,
            status=304 if body is None else 200,
            not_modified=body is None,
            body=body,
            content_type="text/html",
            validators=Validators(etag='"v2"'),
            raw_path=None if body is None else raw_root / "x.bin",
            fetched_at=now,
            attempts=1,
        )


def collect(fetcher, url="https://example.org/feed", **kwargs):
    return collect_url(None, url, validators=None, raw_root=Path("/raw"), now=NOW, fetcher=fetcher, **kwargs)


def test_feed_items_become_items_with_their_feed_as_source():
    got = collect(FakeFetcher({"https://example.org/feed": FEED}))
    assert [(i.source_uri, i.item_key, i.headline) for i in got.items] == [
        ("https://example.org/feed", "g1", "First story"),
        ("https://example.org/feed", "g2", "Second story"),
    ]
    assert [row["status"] for row in got.fetches] == [200]


def test_follow_links_takes_the_page_text_and_keeps_the_feed_date():
    fetcher = FakeFetcher({"https://example.org/feed": FEED, "https://example.org/1": PAGE})
    got = collect(fetcher, follow_links=True, known_items=frozenset({"g2"}))
    [item] = got.items  # g2 is already stored: neither kept nor followed
    assert "second paragraph that gives the details" in item.text
    assert item.published == datetime.fromisoformat("2025-12-01T14:30:00+04:00")
    assert [url for url, _ in fetcher.asked] == ["https://example.org/feed", "https://example.org/1"]


def test_not_modified_yields_nothing():
    got = collect(FakeFetcher({"https://example.org/feed": None}))
    assert got.items == [] and got.rejections == []
    assert got.fetches[0]["not_modified"] is True


def test_failed_fetch_is_a_read_rejection_and_a_log_row():
    error = FetchError("https://example.org/feed", "http_404", permanent=True, attempts=1, status=404)
    got = collect(FakeFetcher({"https://example.org/feed": error}))
    assert [(r.stage, r.reason_code) for r in got.rejections] == [("read", "fetch_http_404")]
    assert got.fetches[0]["status"] == 404 and "http_404" in got.fetches[0]["error"]


def test_latest_validators_per_url():
    log = pd.DataFrame(
        {
            "url": ["a", "a", "b", "c"],
            "fetched_at": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-01", "2026-01-01"], utc=True),
            "etag": ['"1"', '"2"', None, None],
            "last_modified": [None, None, "Mon, 01 Dec 2025 10:00:00 GMT", None],
        }
    )
    assert latest_validators(log) == {
        "a": Validators(etag='"2"'),
        "b": Validators(last_modified="Mon, 01 Dec 2025 10:00:00 GMT"),
    }
