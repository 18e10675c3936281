"""Inputs go to the reader their content calls for, whatever their extension says."""

import gzip
import json

import pytest

from media_etl.ingest.router import Limits, read_path, route_bytes
from tests.conftest import SEEDS

PAGE = b"""<!DOCTYPE html><html lang="en"><head><title>Agencies sign exchange deal</title></head>
<body><article><h1>Agencies sign exchange deal</h1>
<p>News agencies of the region agreed on Monday to exchange reporters for six months, officials said.</p>
<p>The first exchange starts in January, and each agency will host two correspondents in its newsroom.</p>
<p>Editors said the scheme would help them cover each other's countries with fewer translation errors.</p>
</article></body></html>"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://example.org/</link>
<item><title>First story</title><link>https://example.org/1</link><guid>g1</guid>
<description>Body of the first story.</description></item></channel></rss>"""
RECORD = {
    "title": "Export title",
    "maintext": "Export body.",
    "date_publish": "2025-01-02 03:04:05",
    "url": "https://x/1",
}


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("story.txt", PAGE, "html"),  # HTML under a .txt name
        ("feed.html", RSS, "feed"),  # a feed under an .html name
        ("page.bin", gzip.compress(PAGE), "html"),  # gzip is opened whatever the name
        ("export.data", (json.dumps(RECORD) + "\n").encode(), "jsonl"),
        ("wire.dat", (SEEDS / "002_3a0b39f4f30f4f20.txt").read_bytes(), "text"),
    ],
)
def test_content_decides_the_reader(name, data, kind):
    items, rejections = route_bytes(data, name)
    assert rejections == []
    assert {item.source_kind for item in items} == {kind}


def test_csv_is_recognised_by_header_and_name():
    items, rejections = route_bytes(b"title,maintext\nA title,Some body text.\n", "export.csv")
    assert rejections == [] and items[0].source_kind == "csv"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gzip.compress(PAGE)[:40], "bad_gzip"),
        (gzip.compress(b"x" * 5000), "too_large"),
    ],
)
def test_bad_or_oversized_gzip_is_rejected(data, reason):
    items, rejections = route_bytes(data, "page.html.gz", Limits(max_decompressed_bytes=1000))
    assert items == []
    assert [r.reason_code for r in rejections] == [reason]


def test_oversized_file_is_rejected_unread(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    items, rejections = read_path(str(path), Limits(max_input_bytes=1000))
    assert items == [] and rejections[0].reason_code == "too_large"


def test_unreadable_path_is_rejected(tmp_path):
    items, rejections = read_path(str(tmp_path))  # a folder cannot be read as a file
    assert items == [] and rejections[0].reason_code == "unreadable"
