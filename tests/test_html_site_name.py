"""The site's name as a page states it: og:site_name, JSON-LD, application-name, never <title>."""

from __future__ import annotations

from lxml import html

from media_etl.ingest.site_names import page_site_name


def site(head: str) -> str | None:
    return page_site_name(html.fromstring(f"<html><head>{head}</head><body><p>Text.</p></body></html>"))


def test_og_site_name_comes_first():
    head = '<meta property="og:site_name" content=" Deccan  Herald "><title>News | Other</title>'
    assert site(head) == "Deccan Herald"


def test_the_json_ld_publisher_of_an_article_then_the_website_name():
    publisher = '{"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "USA TODAY"}}'
    assert site(f'<script type="application/ld+json">{publisher}</script>') == "USA TODAY"
    website = '{"@graph": [{"@type": "WebSite", "name": "Spokesman.com"}]}'
    assert site(f'<script type="application/ld+json">{website}</script>') == "Spokesman.com"


def test_a_publisher_given_by_reference_is_looked_up_in_the_graph():
    graph = (
        '{"@graph": [{"@type": "Article", "publisher": {"@id": "#org"}},'
        ' {"@type": "Organization", "@id": "#org", "name": "Healthline"}]}'
    )
    assert site(f'<script type="application/ld+json">{graph}</script>') == "Healthline"


def test_application_name_is_the_last_resort_and_the_title_is_never_used():
    assert site('<meta name="application-name" content="BGR">') == "BGR"
    assert site("<title>Autoracing | F1 | Indy | MotoGP | StockCar</title>") is None


def test_a_trail_of_sections_or_a_url_is_not_a_name():
    assert site('<meta property="og:site_name" content="Autoracing | F1 | Indy | MotoGP | StockCar">') is None
    assert site('<meta property="og:site_name" content="https://www.hawaiinewsnow.com">') is None


def test_a_bare_domain_beside_a_name_is_dropped():
    assert site('<meta property="og:site_name" content="The Jerusalem Post | JPost.com">') == "The Jerusalem Post"


def test_a_handle_gives_way_to_a_stated_name():
    both = (
        '<meta property="og:site_name" content="usatoday">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": {"name": "USA TODAY"}}</script>'
    )
    assert site(both) == "USA TODAY"
    assert site('<meta property="og:site_name" content="@politifact">') == "@politifact"
