"""A text file of URLs is an input: which files are URL lists, and what reading one gives."""

from datetime import UTC, datetime

import pytest

from media_etl.ingest.router import read_input, read_path
from media_etl.ingest.url_lists import is_url_list, read_url_list
from media_etl.pipeline import process_files
from media_etl.records import ListedUrl
from tests.conftest import SEEDS

LOADED_AT = datetime(2026, 6, 8, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("feeds.urls", "https://a.example/rss\n", True),
        ("anything.urls", "prose that is no URL\n", True),  # .urls is always a list: its bad lines are quarantined
        ("feeds.txt", "# feeds\n\nhttps://a.example/rss\nhttp://b.example/feed.xml\n", True),
        ("mixed.txt", "https://a.example/rss\nftp://b.example/x\n", True),  # ftp line is quarantined
        ("wire.txt", "Headline here\n\nBAKU, June 7. See https://a.example/x for more.\n", False),
        ("one-line.txt", "Visit https://a.example/ today\n", False),
        ("no-http.txt", "ftp://b.example/x\n", False),
        ("comments.txt", "# only a comment https://a.example/\n", False),
        ("feeds.csv", "https://a.example/rss\n", False),
        ("feeds.html", "https://a.example/rss\n", False),
    ],
)
def test_which_files_are_url_lists(name, text, expected):
    assert is_url_list(text.encode(), name) is expected


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_no_wire_copy_is_taken_for_a_url_list(seed):
    assert not is_url_list(seed.read_bytes(), str(seed))


def test_read_url_list_keeps_good_lines_and_quarantines_bad_ones():
    data = (
        b"# morning pages\n"
        b"https://a.example/news/1.html\n"
        b"\n"
        b"   https://a.example/news/2.html   \n"
        b"a.example/news/3.html\n"
        b"https://a.example/news/1.html\n"
        b"https://two words.example/\n"
        b"http://\n"
    )
    urls, rejections = read_url_list(data, "list.urls")
    assert urls == [
        ListedUrl("list.urls", 2, "https://a.example/news/1.html"),
        ListedUrl("list.urls", 4, "https://a.example/news/2.html"),
    ]
    assert [(r.line, r.stage, r.reason_code, r.excerpt) for r in rejections] == [
        (5, "read", "bad_url", "a.example/news/3.html"),
        (7, "read", "bad_url", "https://two words.example/"),
        (8, "read", "bad_url", "http://"),
    ]
    assert "not an http(s) URL" in rejections[0].detail and "line 5" in rejections[0].detail
    assert "spaces" in rejections[1].detail
    assert "no host" in rejections[2].detail


def test_router_reads_a_url_list_file_as_urls_not_as_an_article(tmp_path):
    listing = tmp_path / "pages.txt"
    listing.write_text("https://a.example/1.html\nhttps://a.example/2.html\n", encoding="utf-8")
    found = read_input(str(listing))
    assert [u.url for u in found.urls] == ["https://a.example/1.html", "https://a.example/2.html"]
    assert found.items == [] and found.rejections == []
    assert read_path(str(listing)) == ([], [])  # the articles-only reader sees no article in it


def test_a_batch_hands_the_listed_urls_to_the_run_and_records_the_file(tmp_path, registry):
    listing = tmp_path / "pages.urls"
    listing.write_text("https://a.example/1.html\nnot-a-url\n", encoding="utf-8")
    batch = process_files(
        [str(listing), str(SEEDS / "000_a24507a823bb7c72.txt")], registry, run_id="r1", loaded_at=LOADED_AT
    )
    assert [u.url for u in batch.listed_urls] == ["https://a.example/1.html"]
    assert len(batch.articles) == 1  # the wire seed beside it is read as before
    assert [(r.source_uri, r.line, r.reason_code) for r in batch.rejections] == [(str(listing), 2, "bad_url")]
    ledger = batch.ledger.set_index("path")
    assert ledger.loc[str(listing), "items"] == 1  # the file is in the ledger: read again only when it changes
