"""An HTML page's own address: canonical link first, then og:url, twitter:url and <base>."""

import pytest
from lxml.html import document_fromstring

from media_etl.ingest.page_address import page_address


def tree(head: str):
    return document_fromstring(f"<html><head>{head}</head><body><p>Text.</p></body></html>")


def test_canonical_link_comes_first() -> None:
    head = (
        '<meta property="og:url" content="https://m.example.com/story?id=7">'
        '<link rel="canonical" href="https://www.example.com/story?id=7">'
    )
    assert page_address(tree(head)) == "https://www.example.com/story?id=7"


def test_og_url_when_there_is_no_canonical_link() -> None:
    assert page_address(tree('<meta property="og:url" content="https://example.com/a">')) == "https://example.com/a"


def test_protocol_relative_and_relative_addresses_are_made_absolute() -> None:
    assert page_address(tree('<link rel="canonical" href="//example.com/a">')) == "https://example.com/a"
    relative = '<link rel="canonical" href="/news/a.html"><meta property="og:url" content="https://example.com/">'
    assert page_address(tree(relative)) == "https://example.com/news/a.html"
    assert page_address(tree('<link rel="canonical" href="a.html">'), "https://example.com/news/") == (
        "https://example.com/news/a.html"
    )


def test_address_is_normalised() -> None:
    head = '<link rel="canonical" href="HTTPS://Example.COM:443/a?utm_source=feed&id=3">'
    assert page_address(tree(head)) == "https://example.com/a?id=3"


@pytest.mark.parametrize(
    "head",
    ['<link rel="canonical" href="mailto:desk@example.com">', '<link rel="canonical" href="https://localhost/a">', ""],
)
def test_no_usable_statement_falls_back_to_where_the_page_was_read(head: str) -> None:
    assert page_address(tree(head), "https://example.org/b") == "https://example.org/b"
    assert page_address(tree(head)) is None
