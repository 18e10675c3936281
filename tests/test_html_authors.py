"""Authors of HTML pages: media_etl.ingest.page_authors and its use in read_html and the pipeline."""

from __future__ import annotations

import json

import pytest
from lxml.html import HtmlElement, document_fromstring

from media_etl.defaults import SOURCES_FILE
from media_etl.ingest.html import read_html
from media_etl.ingest.page_authors import author_candidates, clean_names, page_authors
from media_etl.parse.agencies import is_wire_credit
from media_etl.pipeline import _byline
from media_etl.records import SourceItem
from media_etl.sources import load_registry

_BODY = "<p>" + "The council met on Tuesday and agreed on the budget for next year. " * 8 + "</p>"


def _page(head: str = "", body: str = "", *, lang: str = "en") -> HtmlElement:
    return document_fromstring(f'<html lang="{lang}"><head>{head}</head><body>{body}{_BODY}</body></html>')


def _authors(head: str = "", body: str = "", *, lang: str = "en") -> tuple[str, ...]:
    return page_authors(author_candidates(_page(head, body, lang=lang)))


def _json_ld(payload: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(payload)}</script>'


# --- 1. JSON-LD ---


def test_json_ld_person_object() -> None:
    head = _json_ld({"@type": "NewsArticle", "author": {"@type": "Person", "name": "Lena Hartmann"}})
    assert _authors(head) == ("Lena Hartmann",)


def test_json_ld_list_of_authors_and_strings() -> None:
    head = _json_ld({"@type": "Article", "author": [{"@type": "Person", "name": "Ana Ruiz"}, "Tom Berg"]})
    assert _authors(head) == ("Ana Ruiz", "Tom Berg")


def test_json_ld_graph_reference_resolves_to_person() -> None:
    graph = {
        "@graph": [
            {"@type": "BlogPosting", "author": {"@id": "https://example.org/#p1"}},
            {"@type": "Person", "@id": "https://example.org/#p1", "name": "Jonas Weber"},
        ]
    }
    assert _authors(_json_ld(graph)) == ("Jonas Weber",)


def test_json_ld_beats_meta_and_markup() -> None:
    head = (
        _json_ld({"@type": "NewsArticle", "author": {"name": "Mia Koch"}}) + '<meta name="author" content="Paul Roth">'
    )
    assert _authors(head, '<span class="author">Eva Lang</span>') == ("Mia Koch",)


def test_json_ld_authors_of_nested_reviews_are_not_the_pages() -> None:
    head = _json_ld({"@type": "Recipe", "review": [{"@type": "Review", "author": {"name": "Karl Beck"}}]})
    assert _authors(head) == ()


def test_json_ld_html_entities_are_decoded() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "author": "Jos&eacute; Mart&iacute;n"}</script>'
    assert _authors(head) == ("José Martín",)


# --- 2. meta tags ---


def test_meta_author() -> None:
    assert _authors('<meta name="author" content="Greta Lind">') == ("Greta Lind",)


def test_meta_author_url_and_handle_are_no_names() -> None:
    head = (
        '<meta property="article:author" content="https://social.example/greta"><meta name="author" content="@greta">'
    )
    assert _authors(head) == ()


def test_meta_author_starting_in_lower_case_is_no_name() -> None:
    assert _authors('<meta name="author" content="unseren Lesern">') == ()


# --- 3. byline markup ---


def test_rel_author_link() -> None:
    assert _authors(body='<article><a rel="author" href="/a/ole">Ole Brandt</a></article>') == ("Ole Brandt",)


def test_itemprop_author_with_name_part_and_sibling_authors() -> None:
    body = (
        '<p class="meta"><span itemprop="author"><span itemprop="name">Ida Sommer</span></span> und '
        '<span itemprop="author"><span itemprop="name">Nils Vogt</span></span></p>'
    )
    assert _authors(body=body) == ("Ida Sommer", "Nils Vogt")


def test_byline_class_with_label_and_several_names() -> None:
    body = '<div class="article-byline">Text und Interview: Lara Stein, Max Roth &amp; Jan Ott</div>'
    assert _authors(body=body, lang="de") == ("Lara Stein", "Max Roth", "Jan Ott")


def test_view_all_posts_by_link() -> None:
    body = '<a class="author-link" href="/author/kim">Alle Beiträge von Kim Rausch anzeigen</a>'
    assert _authors(body=body, lang="de") == ("Kim Rausch",)


def test_comment_and_teaser_authors_are_not_the_articles() -> None:
    body = (
        '<section class="comments"><span class="comment-author">Hans Gast</span></section>'
        '<aside><span class="author">Other Writer</span></aside>'
        '<div class="related-posts"><span class="author">Third Person</span></div>'
    )
    assert _authors(body=body) == ()


def test_author_box_is_too_long_but_its_name_part_counts() -> None:
    bio = "She writes about gardens and has kept bees for twenty years in the hills. " * 4
    body = f'<div class="author-box"><h3 class="author-title">Autor: Rita Holm</h3><p>{bio}</p></div>'
    assert _authors(body=body, lang="de") == ("Rita Holm",)


def test_photo_credit_is_no_author() -> None:
    assert _authors(body='<span class="byline">Foto: Udo Kern</span>', lang="de") == ()


# --- 4. byline phrases ---


def test_von_line_in_the_pages_language() -> None:
    assert _authors(body="<p><i>von Daria Fuchs</i></p>", lang="de") == ("Daria Fuchs",)


def test_label_and_name_in_separate_elements() -> None:
    assert _authors(body="<a href='#'><b>Von:</b><br> Lutz Meier</a>", lang="de") == ("Lutz Meier",)


def test_by_line_with_leading_dashes() -> None:
    assert _authors(body="<div><em>---- by Norah Quinn</em></div>") == ("Norah Quinn",)


def test_sentence_starting_with_by_is_no_byline() -> None:
    body = "<p>By our photos we show the region and our neighbours Austria, South Tyrol and Switzerland.</p>"
    assert _authors(body=body) == ()


def test_phrase_needs_a_full_name() -> None:
    assert _authors(body="<p>von Google</p>", lang="de") == ()


# --- 5. organisations ---


def test_site_name_gives_way_to_a_person() -> None:
    head = '<meta property="og:site_name" content="Example News"><meta name="author" content="Example News">'
    assert _authors(head, '<span class="author">Vera Falk</span>') == ("Vera Falk",)


def test_organisation_author_stands_when_no_person_is_named() -> None:
    head = _json_ld({"@type": "Article", "author": {"@type": "Organization", "name": "Redaktion Gartenwelt"}})
    assert _authors(head) == ("Redaktion Gartenwelt",)


def test_organisation_with_address_is_the_organisations_as_a_whole() -> None:
    head = '<meta property="og:site_name" content="Der Bote"><meta name="author" content="Der Bote, Hamburg, Germany">'
    assert _authors(head, "<p>Von Clara Pohl</p>", lang="de") == ("Clara Pohl",)


def test_bare_editorial_office_is_no_author() -> None:
    assert _authors('<meta name="author" content="Redaktion">') == ()


# --- 6. copyright notice ---


def test_copyright_holder_as_last_resort() -> None:
    body = "<footer><p>© 2021 Henrik Sand • Impressum</p></footer>"
    assert _authors(body=body) == ("Henrik Sand",)


def test_copyright_of_a_company_or_a_photo_is_no_author() -> None:
    assert _authors(body="<footer>© 2021 Muster Verlag GmbH</footer>") == ()
    assert _authors(body="<figure><figcaption>© Paula Brenner</figcaption></figure>") == ()
    assert _authors(body="<footer>© Deutsche Gesellschaft für Gartenbau</footer>") == ()


# --- cleaning ---


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("By Ana Ruiz and Tom Berg", ["Ana Ruiz", "Tom Berg"]),
        ("Par Louise Martin et Paul Henri", ["Louise Martin", "Paul Henri"]),
        ("Texto: Marta Gil y Luis Mora", ["Marta Gil", "Luis Mora"]),
        ("Jan Fleischhauer, Kolumnist", ["Jan Fleischhauer"]),
        ("Max Weber (max@example.org)", ["Max Weber"]),
        ("user_12345", []),
        ("Edited by Someone Else", []),
        ("Contributors to the example projects", []),
        ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
    ],
)
def test_clean_names(text: str, names: list[str]) -> None:
    assert clean_names(text) == names


# --- agencies ---


def test_agency_as_author_goes_to_agency_not_byline() -> None:
    registry = load_registry(SOURCES_FILE)
    assert is_wire_credit("dpa", registry)
    assert is_wire_credit("AFP", registry)
    assert not is_wire_credit("Marta Ruiz", registry)
    assert _byline(("Marta Ruiz", "dpa"), registry) == "Marta Ruiz"
    assert _byline(("dpa",), registry) is None


def test_read_html_sets_authors() -> None:
    page = (
        '<html lang="de"><head><title>Haushalt beschlossen</title>'
        + _json_ld({"@type": "NewsArticle", "author": [{"name": "Ida Sommer"}, {"name": "dpa"}]})
        + f"</head><body><article><h1>Haushalt beschlossen</h1>{_BODY}</article></body></html>"
    )
    item = read_html(page.encode(), "page.html")
    assert isinstance(item, SourceItem)
    assert item.authors == ("Ida Sommer", "dpa")


def test_wire_with_editors_initials_leaves_no_byline() -> None:
    registry = load_registry(SOURCES_FILE)
    names = page_authors(author_candidates(_page('<meta name="author" content="dpa/gem">')))
    assert names == ("dpa", "gem")
    assert _byline(names, registry) is None
