"""The last check on a speaker before it goes into a quote: is the phrase one that can speak?

A rule or the parser may read a word as a speaker that cannot be one. This module turns those
into no speaker at all (the quote stays):

- a quantity: ``52 percent of Americans``, ``nine in 10``, a phrase that starts with a number;
- a relative word: ``that industry analysts say …`` keeps ``industry analysts``;
- a Turkish word with an object's case ending (``NTV'ye dedi``: said *to* NTV); other endings are
  cut from the name (``BDDK'dan`` → ``BDDK``), and a word with an ending inside a longer phrase
  (``Haberler ENKA'dan Irak``) shows the phrase is no name;
- a lone lowercase word that is not a speaking or source noun (``norms``, ``memory``);
- a lone capitalised word at the start of a sentence that the entity stage did not tag and the
  article never writes with a capital inside a sentence, and that is not a known first name
  (``Giriş``, ``Now``, ``Skandala``): only the sentence start made it look like a name.

A speaker resolved to an entity keeps its resolution, apart from the case endings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.lexicon import (
    ADVERBS,
    DETERMINERS,
    FEMALE_PRONOUNS,
    FUNCTION_WORDS,
    INTRO_WORDS,
    MALE_PRONOUNS,
    NP_STOPS,
    PRONOUNS,
    SPEAKER_NOUNS,
    speech_data,
    speech_words,
)
from media_etl.enrich.quotes.phrases import Token
from media_etl.enrich.quotes.records import Speaker
from schemas.vocabularies import PERSON

if TYPE_CHECKING:
    from media_etl.enrich.quotes.context import Context

_WORD = re.compile(r"[^\W_][\w'’ʼ\-]*|%")
_SUFFIX = re.compile(r"^(?P<stem>.{2,}?)['’ʼ](?P<ending>[a-zçğıöşü]{1,6})$")
_RELATIVE = frozenset({"that", "which", "who", "whom", "whose", "что", "который", "которая", "которые"})
_APPROXIMATELY = frozenset({"about", "nearly", "almost", "some", "roughly", "around", "over", "only", "just"})
_AGENT_ENDINGS = ("ers", "ors", "ists", "ants", "ents", "ians", "ives", "people")
_RELATIVE_CLAUSE = re.compile(r",?\s+(?:who|which|whose|whom)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")
_COUNTING = frozenset({"in", "of", "out", "percent", "%"})
_SHARES = frozenset({"half", "majority", "most", "plurality", "minority", "percent"})
_PERCENT = frozenset({"percent", "%", "per-cent", "percentage"})
_OTHER_PRONOUNS = frozenset({"i", "me", "we", "us", "you", "those", "someone", "somebody", "everyone", "others"})
_PRONOUNS = frozenset(PRONOUNS) | MALE_PRONOUNS | FEMALE_PRONOUNS | _OTHER_PRONOUNS
_COMMON = FUNCTION_WORDS | INTRO_WORDS | ADVERBS | DETERMINERS | NP_STOPS | {"let's", "there's", "having", "being"}
_NOT_TURKIC = frozenset({"en", "ru", "de", "fr", "es", "it", "pt", "nl"})
"""Languages whose apostrophes never carry a Turkish case ending (an English possessive is not one)."""
_IN_TEN = re.compile(r"^\S+\s+(?:in|out of)\s+(?:\d+|ten|five|three|four)\b", re.IGNORECASE)


def can_report(word: str) -> bool:
    """Tell whether a common noun may be the source of a statement (a speaking, source or agent noun)."""
    key = fold_key(word)
    return key in SPEAKER_NOUNS or key in _source_nouns() or key.endswith(_AGENT_ENDINGS)


@cache
def _source_nouns() -> frozenset[str]:
    return speech_words("source_nouns")


@cache
def _not_speakers() -> frozenset[str]:
    return speech_words("not_speakers")


@cache
def _object_endings() -> frozenset[str]:
    return frozenset(speech_data()["turkic_object_endings"].split())


@cache
def _quantity_words() -> frozenset[str]:
    return frozenset(speech_data()["quantity_words"].split())


def admissible(ctx: Context, speaker: Speaker | None) -> Speaker | None:
    """The speaker as it may stand in a quote: cleaned, or None when the phrase cannot speak.

    Args:
        ctx: The article being read (for sentence starts, mentions and capitalisation).
        speaker: The speaker a rule or the parser found.

    Returns:
        The same speaker, the speaker with a cut case ending or relative word, or None.
    """
    if speaker is None or not speaker.surface:
        return speaker
    surface = speaker.surface
    words = _WORD.findall(surface)
    if not words:
        return None
    endings = [_SUFFIX.match(word) if ctx.article.language not in _NOT_TURKIC else None for word in words]
    for match in endings[:-1]:
        if match and not match["ending"].startswith(("n", "ı", "i", "u", "ü", "s")):
            return None  # "Haberler ENKA'dan Irak": a case ending inside is no name
    last = endings[-1]
    if last and last["ending"] != "s":
        if last["ending"] in _object_endings():
            return None
        if speaker.entity_id is None:
            stem = " ".join([*words[:-1], last["stem"]])
            speaker = replace(speaker, name=speaker.name if speaker.name and "'" not in speaker.name else stem)
    relative = _RELATIVE_CLAUSE.search(surface)
    if relative and relative.start() > 0:  # "the laboratory of X, who was then at Y" is the laboratory of X
        surface = surface[: relative.start()].rstrip(" ,")
        speaker = replace(speaker, surface=surface, name=None if speaker.entity_id is None else speaker.name)
        words = _WORD.findall(surface)
    heading = _heading(words) if speaker.entity_id is None else 0
    while len(words) > 1 and speaker.entity_id is None and (heading or fold_key(words[0]) in _not_speakers()):
        # "Ancak Visa" is Visa; "GELECEK YIL DA UMUT VERMEDİ Gelecek" is a heading glued to a word
        surface = surface[surface.find(words[1]) :]
        speaker = replace(speaker, surface=surface, name=None if speaker.name == speaker.surface else speaker.name)
        words = words[1:]
        heading = max(0, heading - 1)
    key = fold_key(_POSSESSIVE.sub("", words[0]))
    if key in _RELATIVE:
        if len(words) == 1:
            return None
        surface = surface[surface.find(words[1]) :]
        speaker = replace(speaker, surface=surface, name=None if speaker.name == speaker.surface else speaker.name)
        words = words[1:]
        key = fold_key(words[0])
    counted = words[1:] if key in _APPROXIMATELY and len(words) > 1 else words
    if _is_quantity(counted, " ".join(counted)):
        return None
    if len(words) == 1 and key not in _PRONOUNS:
        # A lone word that is not the name it resolved to ("Giriş" taken for a missing subject)
        # must be able to speak itself.
        named = speaker.entity_id is not None and key in fold_key(speaker.name or "")
        if not named and not _can_speak_alone(ctx, replace(speaker, entity_id=None, entity_type=None), words[0]):
            return None
        return speaker
    if speaker.entity_id is None and speaker.name and speaker.name != surface:
        # "they" resolved to a capitalised word that is no name ("Evidently"): keep the pronoun only
        name_words = _WORD.findall(speaker.name)
        if len(name_words) == 1 and not _can_speak_alone(ctx, speaker, name_words[0]):
            return replace(speaker, name=None)
    return speaker


def _heading(words: list[str]) -> int:
    """How many words in capitals open a phrase before a word that is not (two or more: a heading)."""
    run = 0
    while run < len(words) and len(words[run]) >= 2 and words[run].isupper():
        run += 1
    return run if 2 <= run < len(words) else 0


def _is_quantity(words: list[str], surface: str) -> bool:
    """Tell whether a phrase counts people instead of naming them ("52 percent of voters", "six in 10", "half")."""
    first = fold_key(words[0])
    second = fold_key(words[1]) if len(words) > 1 else ""
    if words[0][0].isdigit():
        return True  # "42", "1,850 per month", "2016 9:12PMTrump"
    counted = first in _quantity_words()
    return (
        (counted and (len(words) == 1 or second in _COUNTING or second in _quantity_words()))
        or first in _SHARES
        or any(fold_key(w) in _PERCENT for w in words[:3])
        or bool(_IN_TEN.match(surface))
    )


def _can_speak_alone(ctx: Context, speaker: Speaker, word: str) -> bool:
    """Tell whether a one-word speaker with no entity behind it can speak."""
    key = fold_key(_POSSESSIVE.sub("", word))
    if can_report(word) or key in _PRONOUNS:
        return True
    if word[:1].islower():
        return False
    token = Token(speaker.position, speaker.position + len(word), word)
    if key in _COMMON or key in _not_speakers() or key.endswith("ly") or ctx.is_common_word(token):
        return False  # "Now", "Shortly", "Hours" (also written in lower case)
    if speaker.entity_type == PERSON or not ctx.mentions:
        return True  # a known first name, or no entity stage to ask
    if ctx.article.language in _NOT_TURKIC:
        return True
    # Turkic copy: the rules take a sentence's first word as its subject ("Giriş", "Ancak").
    at_start = ctx.sentence_start(speaker.position) >= speaker.position - 1 or speaker.position in ctx.paragraph_starts
    if not at_start:
        return True
    inside = re.compile(rf"(?<=[\w,;:] ){re.escape(word)}\b")
    return bool(inside.search(ctx.masked))
