"""A page's JSON-LD, read once: lenient parsing, @graph members, broken scripts kept as text."""

from lxml.html import document_fromstring

from media_etl.ingest.json_ld import is_article, is_type, read_json_ld


def page(*scripts: str, script_type: str = "application/ld+json") -> str:
    tags = "".join(f'<script type="{script_type}">{s}</script>' for s in scripts)
    return f"<html><head>{tags}</head><body><p>Text.</p></body></html>"


def test_graph_members_are_items_in_document_order() -> None:
    found = read_json_ld(
        document_fromstring(
            page(
                '{"@type": "Organization", "@id": "#org", "name": "Harbour News"}',
                '{"@graph": [{"@type": "WebPage"}, {"@type": "NewsArticle", "publisher": {"@id": "#org"}}]}',
            )
        )
    )
    assert [item.get("@type") for item in found.items] == ["Organization", None, "WebPage", "NewsArticle"]
    assert found.by_id["#org"]["name"] == "Harbour News"


def test_trailing_commas_and_raw_newlines_are_forgiven() -> None:
    found = read_json_ld(document_fromstring(page('{"@type": "NewsArticle", "headline": "Line one\nline two",}')))
    assert found.broken == ()
    assert found.items[0]["headline"] == "Line one\nline two"


def test_a_script_that_does_not_parse_keeps_its_text() -> None:
    broken = '{"@type": "NewsArticle", "datePublished": "2024-03-05" "headline": }'
    found = read_json_ld(document_fromstring(page(broken)))
    assert found.payloads == () and found.items == ()
    assert found.broken == (broken,)


def test_the_script_type_is_matched_in_any_case() -> None:
    found = read_json_ld(document_fromstring(page('{"@type": "BlogPosting"}', script_type="Application/LD+JSON")))
    assert len(found.items) == 1


def test_article_types() -> None:
    for kind in ("Article", "NewsArticle", "ReportageNewsArticle", "BlogPosting", "LiveBlogPosting", "Report"):
        assert is_article({"@type": kind}), kind
    assert is_article({"@type": ["WebPage", "NewsArticle"]})
    assert not is_article({"@type": "WebPage"})
    assert not is_article({"@type": "Organization"})
    assert is_type({"@type": ["webpage"]}, "WebPage")
