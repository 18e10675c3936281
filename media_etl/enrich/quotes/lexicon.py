"""The quote extractor's words: cue categories, the cue table, word lists and title patterns.

The word lists live in ``data/speech.yaml`` and load once per process. Several look like lists of
the shared text layer (``media_etl/text/data/lexicon.yaml``) but hold other words, tuned for
quotes; they stay apart so the quotes found do not change:

- ``title_words`` is narrower than ``title_heads`` there and adds abbreviations (gen, col, capt)
  and words such as coach, administrator and bey;
- ``org_heads`` differs from ``org_heads`` there both ways (kremlin, museum, forces here);
- ``name_particles`` and ``connectors`` differ from ``name_connectors`` (al, bin, ibn, van, von
  here; del and on there);
- ``function_words``, ``determiners``, ``np_stops``, ``prepositions`` and ``weekdays`` are small
  purpose-built lists, not the shared ``function_words`` or ``calendar_words`` (nor subsets of them);
- ``abbreviations`` includes months and units, ``title_abbreviations`` there does not;
- ``female_first`` and ``male_first`` carry a gender, ``first_names`` there does not.

Only the folding helper ``folded_words`` is shared.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from media_etl.clean.text import fold_key
from media_etl.text.lexicon import folded_words

SPEECH_FILE = Path(__file__).resolve().parent / "data" / "speech.yaml"


@cache
def speech_data() -> dict[str, Any]:
    """Load ``data/speech.yaml`` once per process.

    Returns:
        The raw lists: space-separated strings of words, and lists of phrases.
    """
    with SPEECH_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@cache
def speech_words(key: str) -> frozenset[str]:
    """One word list of ``data/speech.yaml``, folded (see ``fold_key``), loaded once per process."""
    return folded_words(speech_data()[key])


_list = speech_words


def _phrases(key: str) -> tuple[str, ...]:
    """One list of phrases of ``data/speech.yaml``, as written."""
    return tuple(speech_data()[key])


# Cue categories.
SAY = "say"  # finite verb that may take a bare clause: said, says, added, told, wrote
VERB = "verb"  # finite verb that takes a clause only with that/что/ki: noted, stressed, заявил
PART = "part"  # participle whose clause needs that: noting, adding, отметив
PART_BARE = "part_bare"  # participle with a bare clause: saying
ACCORDING = "according"  # according to X / по словам X
CALLED = "called"  # called the platform “…”, described it as “…”
TURKIC = "turkic"  # verb at the end of a Turkic sentence: dedi, söyledi, bildirib, деді, ta'kidladi

# Words a Turkic verb carries between the quote and itself: “…” diye konuştu, “…”, - deyə o bildirib.
TURKIC_HELPERS = _phrases("turkic_helpers")

# The gender (or "org" for it/they, "any" for a Turkic pronoun) each pronoun stands for.
PRONOUNS = {
    "he": "m",
    "she": "f",
    "it": "org",
    "they": "org",
    "он": "m",
    "она": "f",
    "они": "org",
    "ол": "any",
    "o": "any",
    "u": "any",
    "onlar": "org",
    "ular": "org",
    "олар": "org",
}

# What each list holds is described in data/speech.yaml.
SPEAKER_NOUNS = _list("speaker_nouns")
PERSON_NOUNS = _list("person_nouns")
ROLE_MODIFIERS = _list("role_modifiers")
TITLE_WORDS = _list("title_words")
ORG_HEADS = _list("org_heads")
NOT_NAME_WORDS = _list("not_name_words")
FUNCTION_WORDS = _list("function_words")
INTRO_WORDS = _list("intro_words")
ADVERBS = _list("adverbs")
DETERMINERS = _list("determiners")
NP_STOPS = _list("np_stops")
NAME_PARTICLES = _list("name_particles")
CONNECTORS = folded_words("of the for and") | NAME_PARTICLES
THAT = frozenset(("that", "что", "ki"))
APPOSITION_STARTS = _list("apposition_starts")
PREPOSITIONS = _list("prepositions")
ADJUNCT_WORDS = _list("adjunct_words")
WEEKDAYS = _list("weekdays")
ABBREVIATIONS = _list("abbreviations")
FEMALE_FIRST = _list("female_first")
MALE_FIRST = _list("male_first")
MALE_PRONOUNS = _list("male_pronouns")
FEMALE_PRONOUNS = _list("female_pronouns")
FEMALE_TITLES = _list("female_titles")
MALE_TITLES = _list("male_titles")

# Naming words right before an opening mark (title rule) ...
TITLE_BEFORE = re.compile(
    r"(?:(?<![\w])(?:on|titled|entitled|called|named|dubbed|themed|theme(?:\s+of)?|slogan|motto|hashtag|"
    r"under\s+the\s+(?:title|slogan|motto|theme|heading)(?:\s+of)?|known\s+as|под\s+названием|на\s+тему|"
    r"под\s+девизом|под\s+лозунгом|АО|ТОО|ООО|ОАО|ПАО|ЗАО|НАО|РГП|РГКП|АҚ|ЖШС|МЧЖ|AJ|LLC|JSC|mövzusunda)"
    r"\s*[:,]?\s*)$",
    re.IGNORECASE,
)
# ... and right after a closing mark (Turkish and Azerbaijani postpositions).
TITLE_AFTER = re.compile(
    r"^\s*(?:adlı|adında|isimli|başlıklı|temalı|konulu|sloganlı|sloganıyla|mottosuyla|başlıqlı|adlı|mövzulu|"
    r"devizi|devizli|nomli|mavzusidagi)(?![\w])",
    re.IGNORECASE,
)


def _apostrophes(text: str) -> str:
    return re.sub("[’'ʼ‘`]", "'", text)


@lru_cache(maxsize=65536)
def folded(word: str) -> str:
    """A word's lookup key: apostrophes unified, then ``fold_key``.

    Args:
        word: One word as written.

    Returns:
        The folded key.
    """
    return fold_key(_apostrophes(word))


@cache
def cue_table() -> dict[str, str]:
    """Map every cue phrase, as folded words joined by one space, to its category.

    Returns:
        Cue phrase to category (``SAY``, ``VERB``, ``PART`` …).
    """
    table: dict[str, str] = {}
    for word in speech_data()["en_say"].split():
        table[word] = SAY
    for word in (*speech_data()["en_verb"].split(), *_phrases("en_verb_multi")):
        table[word] = VERB
    for word in (*speech_data()["en_part"].split(), *_phrases("en_part_multi")):
        table[word] = PART
    table["saying"] = PART_BARE
    for word in speech_data()["en_called"].split():
        table[word] = CALLED
    table["according to"] = ACCORDING
    table["по словам"] = ACCORDING
    for pronoun in ("его", "ее", "её", "их"):
        table[f"по {pronoun} словам"] = ACCORDING  # "По его словам, …": he is the speaker
    for stem in speech_data()["ru_stems"].split():
        for form in (stem, stem + "а", stem + "и"):
            table[form] = VERB
    for word in speech_data()["ru_present"].split():
        table[word] = VERB
    for word in speech_data()["ru_part"].split():
        table[word] = PART
    for phrase in _phrases("turkic_verbs"):
        table[phrase] = TURKIC
    return {" ".join(folded(w) for w in k.split()): v for k, v in table.items()}


@cache
def cue_widths() -> dict[str, int]:
    """For every first word of a cue phrase, the most words a phrase starting with it has.

    Returns:
        First folded word to the longest phrase's word count.
    """
    widths: dict[str, int] = {}
    for phrase in cue_table():
        words = phrase.split()
        widths[words[0]] = max(widths.get(words[0], 0), len(words))
    return widths


def cue_category(text: str) -> str | None:
    """The cue category of a word or phrase as written, if it is a cue.

    Args:
        text: One word or a phrase of words separated by spaces.

    Returns:
        Its category, or None when it is no cue.
    """
    return cue_table().get(" ".join(folded(w) for w in text.split()))
