"""The headline of an HTML page, chosen by agreement between its candidates."""

from __future__ import annotations

from lxml import html

from media_etl.ingest.titles import headline_candidates, page_headline


def headline(page: str, extracted: str | None = None) -> str | None:
    return page_headline(headline_candidates(html.fromstring(page)), extracted)


def test_an_h1_that_the_metadata_agree_with_wins():
    page = (
        "<html><head><title>Tote Hummeln unter Linden | Naturblog</title>"
        '<meta property="og:title" content="Tote Hummeln unter Linden | Naturblog"></head>'
        "<body><h1>Naturblog</h1><h1>Tote Hummeln unter Linden</h1><p>Text.</p></body></html>"
    )
    assert headline(page) == "Tote Hummeln unter Linden"


def test_the_site_name_is_cut_from_a_metadata_title():
    page = (
        "<html><head><title>Fishing Masters Show in Rostock - BLINKER</title>"
        '<meta property="og:site_name" content="BLINKER"></head><body><p>Text.</p></body></html>'
    )
    assert headline(page) == "Fishing Masters Show in Rostock"


def test_the_site_named_in_its_domain_is_cut():
    page = (
        "<html><head><title>BMAS - Neue Regeln für Nachweise</title>"
        '<meta property="og:site_name" content="www.bmas.de"></head><body><p>Text.</p></body></html>'
    )
    assert headline(page) == "Neue Regeln für Nachweise"


def test_json_ld_headline_comes_before_the_title_tag():
    page = (
        "<html><head><title>Home</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rates rise again"}</script>'
        "</head><body><p>Text.</p></body></html>"
    )
    assert headline(page) == "Rates rise again"


def test_a_title_part_no_other_candidate_has_is_cut():
    page = (
        "<html><head><title>Leasing oder Finanzierung | FINANZCHECK.de</title>"
        '<meta name="twitter:title" content="Leasing oder Finanzierung"></head><body><p>x</p></body></html>'
    )
    assert headline(page) == "Leasing oder Finanzierung"


def test_a_page_that_names_no_headline_has_none():
    assert headline("<html><body><p>Only text.</p></body></html>") is None
