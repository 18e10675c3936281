"""A first block that cannot be a headline gives a derived, flagged headline instead of a lost article."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from media_etl.clean.text import clean_text
from media_etl.load import load_batch, prepare_warehouse
from media_etl.parse.wire import first_sentence, parse_item_text, parse_wire_text
from media_etl.pipeline import process_files
from media_etl.store.database import build_database
from schemas.articles import HEADLINE_MAX_CHARS

LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)

PARAGRAPH = (
    "The government of Russia has, after almost a year of searching, settled on its candidate for the post of "
    "secretary general of the Gas Exporting Countries Forum, which some call the gas OPEC. "
) * 4
BODY = "Second paragraph of the story.\n\nThird paragraph, which ends the story."


def parse(text, registry):
    return parse_wire_text(clean_text(text), registry)


def test_headline_with_the_first_paragraph_right_under_it(registry):
    article = parse(f"Moscow took a year to pick a candidate\n{PARAGRAPH}\n\n{BODY}", registry)
    assert article.headline == "Moscow took a year to pick a candidate"
    assert article.headline_derived
    assert article.paragraphs[0].text == PARAGRAPH.strip()
    assert len(article.paragraphs) == 3


def test_several_short_lines_before_the_paragraph(registry):
    text = f"Impeachment threatens the president\nThe president in February 2016\n{PARAGRAPH}\n\n{BODY}"
    article = parse(text, registry)
    assert article.headline == "Impeachment threatens the president"
    assert article.paragraphs[0].text.startswith("The president in February 2016 The government")


def test_a_whole_paragraph_on_one_line_gives_its_first_sentence(registry):
    article = parse(f"{PARAGRAPH}\n\n{BODY}", registry)
    assert article.headline_derived
    assert article.headline == PARAGRAPH[: PARAGRAPH.index("OPEC.") + len("OPEC.")]
    assert article.paragraphs[0].text == PARAGRAPH.strip(), "the body keeps the whole paragraph"


def test_date_marker_before_a_long_first_block(registry):
    article = parse(f"date 2025-11-27 Forum opens in Baku\n{PARAGRAPH}\n\n{BODY}", registry)
    assert (article.headline, str(article.header_date), article.headline_derived) == (
        "Forum opens in Baku",
        "2025-11-27",
        True,
    )


def test_an_ordinary_headline_is_not_derived(registry):
    article = parse(f"Forum opens in Baku\n\nFirst paragraph.\n\n{BODY}", registry)
    assert not article.headline_derived


def test_text_without_any_sentence_end_stays_a_bad_headline(registry):
    headline = ("Agencies agree to exchange reporters " * 200)[:5000].strip()
    article = parse(f"{headline}\n\nFirst paragraph.\n\n{BODY}", registry)
    assert article.headline == headline and not article.headline_derived


def test_an_overlong_title_from_a_feed_opens_the_body(registry):
    article = parse_item_text(PARAGRAPH.strip(), "The rest of the item.", registry)
    assert article.headline_derived and len(article.headline) <= HEADLINE_MAX_CHARS
    assert [p.text for p in article.paragraphs] == [PARAGRAPH.strip(), "The rest of the item."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence. Another one.", "One sentence."),
        ("The U.S. Senate voted. Then it left.", "The U.S. Senate voted."),
        ("Dr. Smith arrived. Then he left.", "Dr. Smith arrived."),
        ("«Quoted sentence!» Next one.", "«Quoted sentence!»"),
        ("Bakan açıkladı. şirket devam etti. Son söz.", "Bakan açıkladı. şirket devam etti."),
        ("Правительство решило. Министр согласился.", "Правительство решило."),
        ("No sentence end at all", None),
        ("Only one sentence here.", "Only one sentence here."),
    ],
)
def test_first_sentence(text, expected):
    assert first_sentence(text) == expected


def test_a_long_first_sentence_is_cut_at_a_word_boundary():
    sentence = "word " * 200 + "end."
    cut = first_sentence(sentence, limit=50)
    assert cut is not None and len(cut) <= 50 and sentence.startswith(cut) and cut.endswith("word")


def test_derived_headline_loads_and_reaches_the_articles_view(tmp_path, registry):
    source = tmp_path / "in.txt"
    source.write_text(f"Moscow took a year to pick a candidate\n{PARAGRAPH}\n\n{BODY}\n", encoding="utf-8")
    batch = process_files([str(source)], registry, run_id="r1", loaded_at=LOADED_AT)
    assert batch.rejections == []
    assert batch.articles["headline_derived"].tolist() == [True]
    warehouse = tmp_path / "wh"
    prepare_warehouse(warehouse)
    load_batch(warehouse, batch, run_id="r1", loaded_at=LOADED_AT, part="r1")
    database = build_database(warehouse)
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute("select headline, headline_derived from articles").fetchall()
        staged = connection.execute("select headline_derived from stg_articles").fetchall()
        described = connection.execute(
            "select count(*) from dictionary where table_name = 'articles' and column_name = 'headline_derived'"
        ).fetchone()
    assert rows == [("Moscow took a year to pick a candidate", True)]
    assert staged == [(True,)] and described == (1,)
