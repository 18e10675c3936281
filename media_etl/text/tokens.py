"""Tokens for the entity extractor: words with offsets, capitalisation, sentence starts and cut suffixes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from media_etl.clean.text import fold_key
from schemas.vocabularies import UNDETERMINED_LANGUAGE

# A dotted acronym (U.S., U.N.) or a word with inner hyphens and apostrophes (Nagorno-Karabakh,
# Türkiye'nin, O'zbekiston, Turkey’s).
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[-‐‑'’ʻʼ][^\W_]+)*")
_APOSTROPHE = re.compile("['’ʼ]")
# What may close a sentence before the next word: stop marks, then closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;][\"”’'»)\]]*\s*[\"“‘'«(\[]*\s*$")
_OPENING = re.compile(r"[\"“‘«(\[]\s*$")
_CYRILLIC = re.compile("[\u0400-\u04ff]")

CYRILLIC_VOWELS_AND_LETTERS = "әғқңөұүһі"


@dataclass(slots=True)
class Token:
    """One word of the body (read-only by convention; slots without freezing keep tokenising fast)."""

    text: str
    """The word as written, without a cut possessive or Turkish apostrophe suffix."""
    start: int
    end: int
    """Offsets of ``text`` in the body."""
    full_end: int
    """Offset just past the word including any cut suffix (``Turkey’s``, ``Türkiye'nin``)."""
    key: str
    """``fold_key(text)``."""
    cap: bool
    """Starts with a capital letter (or is a capitalised code such as WUF13)."""
    upper: bool
    """Written in capitals, two letters or more: an acronym or a code (OTS, WUF13, U.S.)."""
    initial: bool
    """First word of a sentence, paragraph, quote or bracket: its capital says little."""
    closed: bool
    """Has a cut suffix: a name cannot run on past it."""
    cyrillic: bool


@lru_cache(maxsize=65536)
def fold_word(text: str) -> str:
    """``fold_key`` of one word, memoised: the same words recur in every article."""
    return fold_key(text)


def _is_cap(text: str) -> bool:
    return text[:1].isupper()


def _is_upper(text: str) -> bool:
    return text.isupper() and sum(ch.isalpha() for ch in text) >= 2


def tokenize(body: str) -> list[Token]:
    """Split a body into word tokens with offsets and the flags the extractor reads.

    An English possessive (``Turkey’s``) and a Turkish case suffix after an apostrophe
    (``Türkiye'nin``) are cut off the word and mark it closed. A one-letter stem keeps its
    apostrophe (Uzbek ``O'zbekiston``, Irish ``O'Brien``).

    Args:
        body: The article body.

    Returns:
        The tokens in order.
    """
    tokens: list[Token] = []
    previous_end = 0
    for match in _WORD.finditer(body):
        text, start = match.group(), match.start()
        full_end = match.end()
        closed = False
        apostrophes = list(_APOSTROPHE.finditer(text))
        if apostrophes:
            cut = apostrophes[-1].start()
            suffix = text[cut + 1 :]
            if cut >= 2 and suffix.isalpha() and suffix.islower() and len(suffix) <= 6 and _is_cap(text):
                text = text[:cut]
                closed = True
        gap = body[previous_end:start]
        initial = not tokens or "\n" in gap or bool(_SENTENCE_END.search(gap)) or bool(_OPENING.search(gap))
        tokens.append(
            Token(
                text=text,
                start=start,
                end=start + len(text),
                full_end=full_end,
                key=fold_word(text),
                cap=_is_cap(text) or (text[:1].isdigit() and _is_upper(text)),
                upper=_is_upper(text),
                initial=initial,
                closed=closed,
                cyrillic=_CYRILLIC.search(text) is not None,
            )
        )
        previous_end = full_end
    return tokens


def guess_language(body: str, declared: str | None) -> str:
    """Return the article's language: the detected one if given, else a guess from letters and words.

    Args:
        body: The article body.
        declared: The language the enrichment stage detected, if any.

    Returns:
        An ISO 639-1 code: en, ru, kk, tr, az or uz.
    """
    if declared and declared != UNDETERMINED_LANGUAGE:
        return declared
    sample = body[:4000]
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "en"
    cyrillic = len(_CYRILLIC.findall(sample))
    if cyrillic * 2 > len(letters):
        return "kk" if any(ch in CYRILLIC_VOWELS_AND_LETTERS for ch in sample.lower()) else "ru"
    lowered = sample.lower()
    words = re.findall(r"[^\W\d_]+", lowered)
    english = sum(1 for w in words if w in {"the", "and", "of", "to", "in", "is", "was", "for", "with"})
    if words and english / len(words) > 0.08:
        return "en"
    if "ə" in lowered:
        return "az"
    if re.search("[oOgG][ʻ‘'`]", sample) and not any(ch in lowered for ch in "ışğç"):
        return "uz"
    if any(ch in lowered for ch in "ışğçöü"):
        return "tr"
    return "en"
