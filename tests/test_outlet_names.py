"""An article's outlet comes from the registry, else from the site's own name metadata, never from a section title."""

from datetime import UTC, datetime

from media_etl.ingest.fetch import make_client
from media_etl.ingest.html import read_html
from media_etl.ingest.remote import collect_url
from media_etl.pipeline import process_items
from media_etl.records import SourceItem
from tests.support.local_site import SECTION_TITLE, SITE_NAME, serve_site

LOADED_AT = datetime(2026, 6, 8, tzinfo=UTC)
BODY = "The race in Baku started an hour late on Sunday after heavy rain flooded three corners of the track."


def feed_item(url: str, site_name: str | None) -> SourceItem:
    return SourceItem(
        source_uri="https://feeds.example/motorsport.xml",
        item_key=url,
        source_kind="feed",
        content_hash="0" * 64,
        encoding="utf-8",
        text=BODY,
        headline="Rain delays the race",
        published=datetime(2026, 6, 7, 10, tzinfo=UTC),
        url=url,
        site_name=site_name,
    )


def outlets(items: list[SourceItem], registry) -> list[object]:
    batch, _ = process_items(items, registry, run_id="r1", loaded_at=LOADED_AT)
    assert len(batch.articles) == len(items), batch.rejections
    return [None if value is None or value != value else value for value in batch.articles["outlet"]]  # NaN: none


def test_a_feed_titled_with_a_section_trail_names_no_outlet(registry):
    assert outlets([feed_item("https://motors.example/a.html", SECTION_TITLE)], registry) == [None]


def test_a_feed_titled_with_a_name_names_the_outlet(registry):
    assert outlets([feed_item("https://motors.example/a.html", "Motors Daily")], registry) == ["Motors Daily"]


def test_the_registry_names_the_outlet_of_its_domain_whatever_the_feed_says(registry):
    assert outlets([feed_item("https://en.trend.az/business/1.html", SECTION_TITLE)], registry) == ["Trend"]


def page(site_name_meta: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Rain delays the race | {SECTION_TITLE}</title>{site_name_meta}"
        "<link rel='canonical' href='https://motors.example/a.html'>"
        "<meta property='article:published_time' content='2026-06-07T10:00:00+00:00'>"
        f"</head><body><nav>{SECTION_TITLE}</nav><article><h1>Rain delays the race</h1><p>{BODY}</p>"
        "<p>Race control sent the field out behind the safety car once the rain eased a little.</p>"
        "</article></body></html>"
    ).encode()


def test_a_page_names_its_outlet_by_og_site_name_never_by_its_title(registry):
    named = read_html(page(f"<meta property='og:site_name' content='{SITE_NAME}'>"), "a.html")
    unnamed = read_html(page(""), "b.html")
    assert isinstance(named, SourceItem) and isinstance(unnamed, SourceItem)
    assert outlets([named], registry) == [SITE_NAME]
    assert outlets([unnamed], registry) == [None]


def test_a_followed_feed_item_takes_the_site_name_of_its_page(tmp_path, registry):
    with serve_site() as site, make_client() as client:
        got = collect_url(
            client, f"{site.base}/rss.xml", validators=None, raw_root=tmp_path, now=LOADED_AT, follow_links=True
        )
    assert [item.site_name for item in got.items] == [SITE_NAME, SITE_NAME]  # not the feed's section title
    assert outlets(got.items, registry) == [SITE_NAME, SITE_NAME]
