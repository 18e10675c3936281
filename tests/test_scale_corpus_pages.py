"""The benchmark's HTML pages: every copy of a page must be a different article."""

from lxml.html import document_fromstring

from benchmarks.scale_corpus import mark_page
from media_etl.ingest.html import read_html
from media_etl.records import SourceItem

PAGE = (
    "<html><head><title>Harbour opens | Example News</title>"
    '<meta property="og:title" content="Harbour opens">'
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour \\"opens\\""}</script>'
    "</head><body><article><h1>Harbour opens</h1>"
    + "<p>The harbour authority opened the new ferry terminal on Monday after four years of work.</p>" * 3
    + "</article></body></html>"
)


def test_the_number_marks_every_place_the_headline_is_named() -> None:
    marked = mark_page(PAGE, 7)
    tree = document_fromstring(marked)
    assert tree.findtext(".//title") == "Harbour opens | Example News #7"
    assert tree.findtext(".//h1") == "Harbour opens #7"
    assert tree.xpath('//meta[@property="og:title"]/@content') == ["Harbour opens #7"]
    assert '"headline": "Harbour \\"opens\\" #7"' in marked


def test_two_copies_read_as_two_headlines() -> None:
    first, second = (read_html(mark_page(PAGE, n).encode(), f"{n}.html") for n in (1, 2))
    assert isinstance(first, SourceItem) and isinstance(second, SourceItem)
    assert first.headline != second.headline
