"""The body of an HTML page: lead paragraph, related-story boxes and prompts inside the text."""

from media_etl.clean.text import clean_text
from media_etl.defaults import SOURCES_FILE
from media_etl.ingest.html import read_html
from media_etl.parse.wire import parse_item_text, parse_wire_text
from media_etl.records import SourceItem
from media_etl.sources import load_registry

PARAGRAPHS = (
    "The harbour authority opened the new ferry terminal on Monday after four years of building work, "
    "two months later than first planned.",
    "The terminal can handle six ships at once and has room for nine hundred cars in its new car park, "
    "the authority said in a statement.",
    "Local shops hope the extra passengers will bring more trade to the old town during the summer season.",
)
LEAD = "The long-awaited ferry terminal is finally open, and the first passengers are already on their way."


def page(before_body: str = "", after_body: str = "") -> bytes:
    body = "".join(f"<p>{text}</p>" for text in PARAGRAPHS)
    return (
        "<!DOCTYPE html><html lang='en'><head><title>New ferry terminal opens</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>New ferry terminal opens</h1>{before_body}{body}{after_body}</article>"
        "<footer>Example Harbour News</footer></body></html>"
    ).encode()


def body_of(data: bytes) -> str:
    item = read_html(data, "page.html")
    assert isinstance(item, SourceItem), item
    return item.text


def test_lead_in_a_teaser_block_is_put_before_the_body() -> None:
    text = body_of(page(f'<div class="article-teaser"><p>{LEAD}</p></div>'))
    lines = text.split("\n")
    assert lines[0] == LEAD
    assert lines[1] == PARAGRAPHS[0]


def test_lead_in_the_page_header_is_kept() -> None:
    text = body_of(page(f'<header><p class="lead">{LEAD}</p></header>'))
    assert text.split("\n")[0] == LEAD


def test_teasers_of_other_stories_are_not_taken_for_a_lead() -> None:
    teasers = "".join(
        f'<div class="teaser"><p>Another story about the harbour, number {n}, long enough to read as prose.</p></div>'
        for n in (1, 2)
    )
    text = body_of(page(teasers))
    assert "Another story" not in text


def test_lead_with_heading_and_picture_is_a_section_not_a_lead() -> None:
    box = f'<div class="teaser-box"><h2>Harbour</h2><img src="a.jpg" alt=""><p>{LEAD}</p></div>'
    assert LEAD not in body_of(page(box))


def test_lead_named_as_an_author_summary_is_not_taken() -> None:
    bio = '<div class="author-summary">Jane Doe has written about ships and harbours for twenty years now.</div>'
    assert "Jane Doe" not in body_of(page(bio))


def test_script_inside_a_lead_block_is_not_taken() -> None:
    block = f'<div class="lead"><script>var a = "{LEAD}";</script></div>'
    assert "var a" not in body_of(page(block))


def parse_page_body(text: str) -> list[str]:
    parsed = parse_item_text("New ferry terminal opens", text, load_registry(SOURCES_FILE))
    return [p.text for p in parsed.paragraphs]


def test_related_box_inside_a_page_body_keeps_the_prose_after_it() -> None:
    text = "\n".join([PARAGRAPHS[0], "Related", "Bridge repairs to start in May", "Harbour fees rise", *PARAGRAPHS[1:]])
    assert parse_page_body(text) == list(PARAGRAPHS)


def test_related_heading_still_ends_wire_copy() -> None:
    text = "\n".join(["New ferry terminal opens", PARAGRAPHS[0], "Related", *PARAGRAPHS[1:]])
    parsed = parse_wire_text(text, load_registry(SOURCES_FILE))
    assert [p.text for p in parsed.paragraphs] == [PARAGRAPHS[0]]


def test_related_heading_in_another_language_and_table_cell() -> None:
    text = "\n".join([PARAGRAPHS[0], "| Weitere Artikel zum Thema |", "Neue Fähre für die Insel", PARAGRAPHS[1]])
    assert parse_page_body(text) == [PARAGRAPHS[0], PARAGRAPHS[1]]


def test_read_also_lines_and_follow_prompts_are_dropped_from_a_page_body() -> None:
    text = "\n".join(
        [
            PARAGRAPHS[0],
            "Lea también: El puerto abre una nueva terminal",
            "Czytaj też: Nowy prom na wyspę",
            PARAGRAPHS[1],
            "Follow us on Twitter and Facebook for the latest harbour news.",
            PARAGRAPHS[2],
        ]
    )
    assert parse_page_body(text) == list(PARAGRAPHS)


def test_picture_credits_are_dropped_from_a_page_body() -> None:
    credits = [
        "© Jane Roe/Getty Images",
        "Foto: Max Muster / dpa",
        "Photo credit: Harbour Authority",
        "Fot. Jan Kowalski / Agencja Gazeta",
        "PAP/Jan Nowak",
    ]
    text = "\n".join([PARAGRAPHS[0], *credits, *PARAGRAPHS[1:]])
    assert parse_page_body(text) == list(PARAGRAPHS)


def test_an_editors_initials_before_the_agency_close_the_copy_and_stay() -> None:
    # "aja/PAP" is how Polish agency copy ends, not a picture credit: closing_credit reads it.
    text = "\n".join([*PARAGRAPHS, "aja/PAP"])
    assert parse_page_body(text) == [*PARAGRAPHS, "aja/PAP"]


def test_lines_giving_only_a_date_are_dropped_from_a_page_body() -> None:
    dates = [
        "12.03.2022",
        "Aktualisiert am 14.03.2022.",
        "Last modified: March 14, 2022, 10:15 am",
        "Publicado el 5 de mayo de 2022",
        "Release Date:",
    ]
    text = "\n".join([dates[0], PARAGRAPHS[0], *dates[1:], *PARAGRAPHS[1:]])
    assert parse_page_body(text) == list(PARAGRAPHS)


def test_a_count_and_year_is_not_taken_for_a_date_line() -> None:
    text = "\n".join([PARAGRAPHS[0], "12 Folgen, 2016", *PARAGRAPHS[1:]])
    assert parse_page_body(text) == [PARAGRAPHS[0], "12 Folgen, 2016", *PARAGRAPHS[1:]]


def test_subscription_newsletter_and_channel_prompts_are_dropped_from_a_page_body() -> None:
    prompts = [
        "Subscribe now to our digital edition for the full story.",
        "To read the full article, please subscribe to Harbour News.",
        "Already a subscriber? Log in here.",
        "The Harbour Newsletter",
        "Zum Newsletter anmelden und nichts verpassen",
        "Hazte miembro y disfruta de beneficios exclusivos",
        "¿Ya conoces nuestro canal de WhatsApp? Únete aquí.",
        "By signing up you agree to our privacy policy.",
    ]
    text = "\n".join([PARAGRAPHS[0], *prompts[:4], PARAGRAPHS[1], *prompts[4:], PARAGRAPHS[2]])
    assert parse_page_body(text) == list(PARAGRAPHS)


def test_rights_notices_and_layout_labels_are_dropped_from_a_page_body() -> None:
    text = "\n".join(
        ["Inhaltsverzeichnis", PARAGRAPHS[0], "Bild anzeigen", *PARAGRAPHS[1:], "Copyright 2022 Harbour News Ltd."]
    )
    assert parse_page_body(text) == list(PARAGRAPHS)


def test_prose_about_subscriptions_and_rights_stays_in_a_page_body() -> None:
    prose = [
        "The streaming service lost 200,000 subscribers in the first quarter, the company said.",
        "The licence sits between classic copyright (all rights reserved) and the public domain.",
        "The minister announced the decision on his Telegram channel late on Sunday.",
    ]
    assert parse_page_body("\n".join([PARAGRAPHS[0], *prose])) == [PARAGRAPHS[0], *prose]


def test_page_furniture_rules_leave_wire_copy_alone() -> None:
    text = "\n".join(["New ferry terminal opens", PARAGRAPHS[0], "12.03.2022", PARAGRAPHS[1]])
    parsed = parse_wire_text(text, load_registry(SOURCES_FILE))
    assert "12.03.2022" in [p.text for p in parsed.paragraphs]


def test_text_is_kept_as_written_except_for_damage() -> None:
    assert clean_text("一个约定，信守15年；") == "一个约定，信守15年；"
    assert clean_text("the ﬂows of ﬁne art") == "the ﬂows of ﬁne art"
    assert clean_text("ＡＢＣ ｶﾀｶﾅ") == "ＡＢＣ ｶﾀｶﾅ"
    assert clean_text("Ã¼ber &amp; ﬁne") == "über & ﬁne"


def test_soft_hyphens_are_removed() -> None:
    assert clean_text("Klima\u00adwandel und Ener\u00adgie") == "Klimawandel und Energie"
