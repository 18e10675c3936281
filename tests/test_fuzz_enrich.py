"""Property tests ("fuzzing") of the enrichment extractors: dates mentioned, entity mentions, quotes.

The bodies are what the pipeline stores (paragraphs joined by blank lines), built from
quotes in every mark and attribution form, datelines, date expressions and names, mixed
with arbitrary and hostile Unicode. For every record an extractor returns,
``body[char_start:char_end]`` is exactly its text, and every resolved date is a real date
in 1900-2100.

Run 10,000 examples per property with
``HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest -p no:cacheprovider tests/test_fuzz_*.py``.
"""

from __future__ import annotations

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from media_etl.enrich.dates import DAY, MAX_YEAR, MIN_YEAR, MONTH, YEAR, find_dates
from media_etl.enrich.entities import extract_mentions
from media_etl.enrich.quotes import DIRECT, INDIRECT, extract_quotes
from media_etl.enrich.records import ArticleText, Mention
from media_etl.normalise.places import is_country_code
from media_etl.pipeline import PARAGRAPH_SEPARATOR
from schemas.vocabularies import ENTITY_TYPES
from tests.support.fuzz import (
    ANY_CHAR,
    HOSTILE_CHAR,
    LONG_TOKEN,
    fuzz_settings,
    paragraphs,
    quotes,
    sentences,
)

LANGUAGES = st.sampled_from([None, "en", "ru", "tr", "az", "uz", "kk", "xx"])
# Article dates anywhere in the calendar, with the edges of the range dates are resolved in.
PUBLISHED = st.one_of(
    st.none(),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    st.sampled_from([date(1, 1, 1), date(1900, 1, 1), date(1900, 1, 6), date(2100, 12, 31), date(9999, 12, 31)]),
)
DATE_WORDS = (
    "yesterday", "tomorrow", "on Saturday", "last Sunday", "next Monday", "this weekend", "last weekend",
    "last December", "next March", "this May", "last year", "next year", "this month", "12 марта", "5 may",
    "27 noyabr", "March 12", "Sept. 27, 2020", "27th of March, 2024", "12 марта 2024 года", "2025-ci il",
    "2025-yil 5-mart", "2024-03-12", "2024-02-30", "31.12.1899", "01.01.2101", "in 2019", "in 1850", "March 2024",
    "в прошлом году", "в декабре прошлого года", "geçen yıl", "geçen yılın Aralık ayında", "ötən il", "биыл",
    "былтыр", "вчера", "dün", "kecha", "ертең", "в субботу", "hafta sonu", "на выходных", "Cumartesi günü",
    "2019'da", "2019 yılında", "2024 жылы", "в 2024 году", "o'tgan yil", "keçən ay", "келесі ай",
)  # fmt: skip


@st.composite
def bodies(draw: st.DrawFn) -> str:
    """An article body as the pipeline stores it: blocks joined by blank lines."""
    date_words = st.sampled_from(DATE_WORDS)
    block = st.one_of(
        paragraphs(),
        quotes(),
        st.lists(st.one_of(sentences(), date_words, quotes()), min_size=1, max_size=5).map(" ".join),
        st.text(st.one_of(HOSTILE_CHAR, ANY_CHAR), max_size=80),
    )
    blocks = draw(st.lists(block, min_size=1, max_size=6))
    if draw(st.booleans()):
        blocks = [b.strip() for b in blocks if b.strip()] or ["x"]
    return PARAGRAPH_SEPARATOR.join(blocks)


BODIES = st.one_of(bodies(), bodies(), bodies(), st.text(ANY_CHAR, max_size=400), LONG_TOKEN)


def article(body: str, published: date | None = None, language: str | None = None) -> ArticleText:
    return ArticleText("0123456789abcdef", "Headline", body, published, language)


def check_span(body: str, start: int, end: int, surface: str) -> None:
    assert isinstance(start, int) and isinstance(end, int)
    assert 0 <= start < end <= len(body), (start, end, len(body))
    assert body[start:end] == surface


# --- dates mentioned ------------------------------------------------------------------------


@fuzz_settings(100)
@given(body=BODIES, published=PUBLISHED, language=LANGUAGES)
@example(body="It opens tomorrow.", published=date(9999, 12, 31), language="en")
@example(body="It closed yesterday, on Saturday.", published=date(1, 1, 1), language="en")
@example(body="The forum opened on 12 March.", published=date(9999, 12, 31), language=None)
@example(body="It opened yesterday.", published=date(1900, 1, 1), language="en")
def test_dates_mentioned(body, published, language):
    found = find_dates(article(body, published, language))
    previous_end = 0
    for mentioned in found:
        check_span(body, mentioned.char_start, mentioned.char_end, mentioned.surface)
        assert mentioned.char_start >= previous_end, "in text order, none overlapping"
        previous_end = mentioned.char_end
        assert type(mentioned.resolved) is date
        assert date(MIN_YEAR, 1, 1) <= mentioned.resolved <= date(MAX_YEAR, 12, 31), mentioned
        assert mentioned.precision in (DAY, MONTH, YEAR)
        if mentioned.precision != DAY:
            assert mentioned.resolved.day == 1
        if mentioned.precision == YEAR:
            assert mentioned.resolved.month == 1
        if published is None:
            assert not mentioned.relative, "nothing is guessed without the article's date"


# --- entity mentions ------------------------------------------------------------------------


def check_mentions(body: str, mentions: list[Mention]) -> None:
    keys = [(m.char_start, m.char_end) for m in mentions]
    assert keys == sorted(keys), "in body order"
    for m in mentions:
        check_span(body, m.char_start, m.char_end, m.surface)
        assert m.entity_type in ENTITY_TYPES
        assert m.entity_id and m.canonical_name
        assert m.country is None or is_country_code(m.country)
        assert m.latitude is None or -90 <= m.latitude <= 90
        assert m.longitude is None or -180 <= m.longitude <= 180


@fuzz_settings(75)
@given(body=BODIES, language=LANGUAGES)
def test_entity_mentions(body, language):
    check_mentions(body, extract_mentions(article(body, None, language)))


# --- quotes ---------------------------------------------------------------------------------


@fuzz_settings(75)
@given(body=BODIES, language=LANGUAGES, with_mentions=st.booleans())
@example(body="“Unclosed quote runs to the end", language="en", with_mentions=False)
@example(body="«Мы готовы», — заявил он.\n\n„Gut“, sagte er.", language=None, with_mentions=True)
def test_quotes(body, language, with_mentions):
    text = article(body, None, language)
    mentions = extract_mentions(text) if with_mentions else []
    found = extract_quotes(text, mentions)
    offsets = [(q.char_start, q.char_end) for q in found]
    assert len(set(offsets)) == len(offsets), "one quote per span"
    assert offsets == sorted(offsets), "in body order"
    for quote in found:
        check_span(body, quote.char_start, quote.char_end, quote.text)
        assert quote.kind in (DIRECT, INDIRECT)
        assert quote.cue_verb is None or quote.cue_verb.strip()
        assert quote.speaker_surface is None or quote.speaker_surface.strip()
        if quote.speaker_entity_id is not None:
            assert quote.speaker_entity_id in {m.entity_id for m in mentions}
