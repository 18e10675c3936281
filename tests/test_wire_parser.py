from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media_etl.clean.text import clean_text, fold_key
from media_etl.parse.wire import (
    _RELATED_SECTION,
    _RELATED_SECTION_WORDS,
    PARAGRAPH,
    SUBHEADING,
    ParseError,
    is_label,
    is_subheading,
    parse_wire_text,
    split_blocks,
)

BODY = "Second paragraph of the story.\n\nThird paragraph, which ends the story."


def parse(text, registry):
    return parse_wire_text(clean_text(text), registry)


def test_date_marker_sets_header_date_and_leaves_headline(registry):
    article = parse(f" date 2025-11-27 Forum opens in Baku\n\nFirst paragraph.\n\n{BODY}", registry)
    assert article.header_date == date(2025, 11, 27)
    assert article.headline == "Forum opens in Baku"


def test_date_marker_on_its_own_line(registry):
    article = parse(f"date 2025-11-27\n\nForum opens in Baku\n\nFirst paragraph.\n\n{BODY}", registry)
    assert (article.header_date, article.headline) == (date(2025, 11, 27), "Forum opens in Baku")


@pytest.mark.parametrize(
    ("headline", "expected", "flags"),
    [
        ("Forum opens (PHOTO)", "Forum opens", (True, False, False)),
        ("Forum opens (VIDEO)", "Forum opens", (False, True, False)),
        ("Forum opens (UPDATED)", "Forum opens", (False, False, True)),
        ("Forum opens (PHOTO) (VIDEO)", "Forum opens", (True, True, False)),
        ("Forum açılıb (FOTO)", "Forum açılıb", (True, False, False)),
        ("Форум открылся (ВИДЕО)", "Форум открылся", (False, True, False)),
        (
            "Organization of Turkic States (OTS) meets",
            "Organization of Turkic States (OTS) meets",
            (False, False, False),
        ),
    ],
)
def test_media_tags_become_flags(registry, headline, expected, flags):
    article = parse(f"{headline}\n\nFirst paragraph.\n\n{BODY}", registry)
    assert article.headline == expected
    assert (article.has_photo, article.has_video, article.is_updated) == flags


@pytest.mark.parametrize(
    "note", ["Details added: first version posted on 16:40", "Updated: first version posted at 16.40"]
)
def test_update_note_gives_first_posted_time_and_leaves_body(registry, note):
    article = parse(f"date 2025-11-27 Headline\n\n{note}\n\nFirst paragraph.\n\n{BODY}", registry)
    assert article.posted_time == time(16, 40)
    assert article.is_updated
    assert all("first version" not in p.text for p in article.paragraphs)


def test_update_note_with_impossible_time_is_an_error(registry):
    with pytest.raises(ParseError) as error:
        parse(f"Headline\n\nDetails added: first version posted on 26:40\n\nFirst.\n\n{BODY}", registry)
    assert error.value.reason_code == "invalid_time"
    assert error.value.line == 3


@pytest.mark.parametrize(
    ("text", "credit", "first_paragraph"),
    [
        ("Headline\n\nBAKU, Azerbaijan, November 27. The forum opened, Trend reports.", "Trend", "The forum opened."),
        ("Headline\n\nby Anadolu Agency\n\nANKARA\n\nThe forum opened.", "Anadolu Agency", "The forum opened."),
        ("Headline\n\nWASHINGTON (AP) — The forum opened.", "AP", "The forum opened."),
        ("Headline\n\nPARIS, Aug 31 (Reuters) - The forum opened.", "Reuters", "The forum opened."),
        ("Headline\n\nANKARA (AA) - Forum açıldı.", "AA", "Forum açıldı."),
        ("Headline\n\nISTANBUL, 12 March 2024 /Trend/ The forum opened.", "Trend", "The forum opened."),
        ("Headline\n\nThe forum opened.\n\nSource: AZERTAC", "AZERTAC", "The forum opened."),
        ("Headline\n\nАСТАНА. 12 марта. КАЗИНФОРМ - Форум открылся.", "КАЗИНФОРМ", "Форум открылся."),
    ],
)
def test_agency_credits_leave_the_text(registry, text, credit, first_paragraph):
    article = parse(text, registry)
    assert article.credit == credit
    assert article.paragraphs[0].text == first_paragraph
    assert all(credit not in p.text for p in article.paragraphs[1:])


def test_inline_reports_credit_needs_a_known_agency(registry):
    article = parse("Headline\n\nThe forum opened, the newspaper reports.", registry)
    assert article.credit is None
    assert article.paragraphs[0].text == "The forum opened, the newspaper reports."


def test_byline_of_a_person_is_kept_apart_from_agency(registry):
    article = parse("Headline\n\nBy Dana Whitfield, Associated Press\n\nWASHINGTON — The forum opened.", registry)
    assert article.byline == "Dana Whitfield"
    assert article.credit == "Associated Press"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("‘Strong perspective, dynamic structure’", True),
        ("Liberation of Karabakh", True),
        ("Benefitting from Turkey’s experience", True),
        ("The forum opened.", False),
        ("“It is a great step,” he said.", False),
        ("Officials did not say:", False),
        ("lowercase fragment of text", False),
        ("A very long line that has many words in it but still no final punctuation at all anywhere", False),
    ],
)
def test_subheading_rule(block, expected):
    assert is_subheading(block) is expected


def test_subheadings_become_their_own_kind(registry):
    article = parse("Headline\n\nFirst paragraph.\n\nLiberation of Karabakh\n\nLast paragraph.", registry)
    assert [p.kind for p in article.paragraphs] == [PARAGRAPH, SUBHEADING, PARAGRAPH]


@pytest.mark.parametrize(
    "tail",
    [
        "You may also like\n\nAnother headline entirely",
        "Read more: Broadcasters face record demand",
        "Share this article",
        "Subscribe to our daily newsletter",
        "Follow us on Telegram",
        "Paylaş",
        "Читайте также\n\nДругая новость",
        "Read more: One\n\nShare on Facebook\n\nSubscribe now",
    ],
)
def test_trailing_boilerplate_is_removed(registry, tail):
    article = parse(f"Headline\n\nFirst paragraph.\n\nLast paragraph.\n\n{tail}", registry)
    assert [p.text for p in article.paragraphs] == ["First paragraph.", "Last paragraph."]


def test_read_more_line_inside_the_body_is_removed(registry):
    article = parse("Headline\n\nFirst paragraph.\n\nRead more: Other story\n\nLast paragraph.", registry)
    assert [p.text for p in article.paragraphs] == ["First paragraph.", "Last paragraph."]


def test_unknown_date_stays_unknown(registry):
    article = parse("Headline\n\nby Anadolu Agency\n\nANKARA\n\nThe forum opened.", registry)
    assert article.header_date is None and article.posted_time is None


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("", "empty", None),
        ("date 2025-02-30 Headline\n\nBody.", "invalid_date", 1),
        ("date 27.11.2025 Headline\n\nBody.", "invalid_date", 1),
        ("Just a headline", "no_body", 1),
        ("Headline\n\nYou may also like\n\nOther story", "no_body", 3),
        ("(PHOTO)\n\nBody.", "missing_headline", 1),
    ],
)
def test_unparseable_text_raises_with_reason_and_line(registry, text, reason, line):
    with pytest.raises(ParseError) as error:
        parse(text, registry)
    assert (error.value.reason_code, error.value.line) == (reason, line)


def test_blocks_split_on_blank_lines_or_single_lines():
    assert [(b.text, b.line) for b in split_blocks("A\nwrapped\n\nB")] == [("A wrapped", 1), ("B", 4)]
    assert [(b.text, b.line) for b in split_blocks("A\nB\nC")] == [("A", 1), ("B", 2), ("C", 3)]


def test_dateline_under_an_editors_note_is_taken_and_the_note_kept(registry):
    article = parse(
        "Mexican rebels attack army post.\n\n[CORRECTED 05:53 GMT]\n\nCHILPANCINGO, Mexico 1996-08-29\n\n"
        "Rebels attacked an army post overnight, officials said.",
        registry,
    )
    assert (article.dateline.city, article.dateline.full_date()) == ("Chilpancingo", date(1996, 8, 29))
    assert [p.text for p in article.paragraphs] == [
        "[CORRECTED 05:53 GMT]",
        "Rebels attacked an army post overnight, officials said.",
    ]


def test_byline_with_initials(registry):
    article = parse(
        "Fishermen held off Sri Lanka.\n\nby P.V. Krishnamoorthy\n\nRAMESWARAM, India 1996-08-29\n\n"
        "Indian fishermen were held by the Sri Lankan navy, police said.",
        registry,
    )
    assert article.byline == "P.V. Krishnamoorthy"
    assert article.dateline.city == "Rameswaram"


@given(
    st.lists(
        st.sampled_from(["related", "stories", "You", "may", "also", "like", "İLGİNİZİ", "çekebilir", "x"]),
        max_size=9,
    ),
    st.sampled_from([" ", "  ", "\xa0", " \t ", "\u2003"]),
    st.sampled_from(["", ":", "| ", " |"]),
)
def test_label_check_skips_folding_only_where_folding_could_not_match(words, space, edge):
    text = edge + space.join(words) + edge[::-1]
    folded = fold_key(text.strip("| ").rstrip(":")) in _RELATED_SECTION
    assert is_label(text, _RELATED_SECTION, _RELATED_SECTION_WORDS) is folded
