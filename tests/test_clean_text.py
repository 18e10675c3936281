import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from media_etl.clean.text import clean_text, fold_key, tidy_lines


def test_repairs_mojibake():
    assert clean_text("Azerbaijan and TÃ¼rkiye sign") == "Azerbaijan and Türkiye sign"


def test_keeps_curly_quotes():
    text = "He called it “a great step forward” and ‘Strong perspective’ and «да»."
    assert clean_text(text) == text


@pytest.mark.parametrize("word", ["İletişim", "Başkanlığı", "Mikayilova", "Əliyev", "Dövlətləri", "ağır", "Şuşa"])
def test_keeps_turkic_letters(word):
    assert clean_text(f"x {word} y") == f"x {word} y"


def test_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Türkiye Əliyev")
    assert clean_text(decomposed) == "Türkiye Əliyev"
    assert unicodedata.is_normalized("NFC", clean_text(decomposed))


def test_normalises_whitespace_and_line_ends():
    raw = "  Headline\u00a0 with\ttabs  \r\n\r\nBody\u200b text.\rNext  "
    assert clean_text(raw) == "Headline with tabs\n\nBody text.\nNext"


@pytest.mark.parametrize("spelling", ["İSTANBUL", "Istanbul", "istanbul", "ıstanbul", "İstanbul"])
def test_fold_key_matches_every_turkic_i_spelling(spelling):
    assert fold_key(spelling) == "istanbul"


def test_fold_key_does_not_add_combining_dot():
    # str.lower("İ") gives "i" + U+0307; a lookup key must not carry it.
    assert "\u0307" not in fold_key("İZMİR")
    assert fold_key("İZMİR") == fold_key("Izmir")


def _tidy_line_by_line(text: str) -> str:
    """The whitespace tidy as it was written before it ran over the whole text at once."""
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip("\n")


@given(st.text(alphabet=st.sampled_from(list(" \t\n\xa0\u2003\x1c\x0b\x0cab.İ")), max_size=40))
def test_whole_text_tidy_matches_the_line_by_line_one(text):
    assert tidy_lines(text) == _tidy_line_by_line(text)


def test_tidy_collapses_spaces_and_strips_lines():
    assert tidy_lines(" \n a \t b \n\n \xa0c\u2003 \n ") == "a b\n\nc"
