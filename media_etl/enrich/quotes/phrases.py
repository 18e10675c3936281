"""Words with offsets and the noun phrases built from them: a cue's speaker before or after it, a sentence's subject."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.lexicon import (
    ABBREVIATIONS,
    ADJUNCT_WORDS,
    ADVERBS,
    CONNECTORS,
    DETERMINERS,
    INTRO_WORDS,
    NOT_NAME_WORDS,
    NP_STOPS,
    PRONOUNS,
    ROLE_MODIFIERS,
    SPEAKER_NOUNS,
    THAT,
    WEEKDAYS,
    cue_category,
    folded,
)
from media_etl.enrich.quotes.spans import MASK

TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_][\w’'ʼ\-]*")  # U.S. and D.C. keep their stops


@dataclass(frozen=True)
class Token:
    """One word of the masked body with its offsets."""

    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """The folded word (see ``lexicon.folded``)."""
        return folded(self.text)

    @property
    def capitalised(self) -> bool:
        """Starts with a capital, or is a code with a capital such as 5G or WUF13."""
        return self.text[0].isupper() or (self.text[0].isdigit() and any(c.isupper() for c in self.text))


def tokens_in(masked: str, start: int, end: int) -> list[Token]:
    """The words of the masked body between two offsets."""
    return [Token(start + m.start(), start + m.end(), m.group()) for m in TOKEN.finditer(masked[start:end])]


def possessive_stem(text: str) -> str:
    """Strip an English possessive or a Turkic case suffix after an apostrophe: Turkey’s, Altun'un."""
    return re.split("[’'ʼ]", text, maxsplit=1)[0]


def is_possessive(text: str) -> bool:
    """Tell whether a word is an English possessive: Turkey’s, Reuters'."""
    return bool(re.search("[’'ʼ][sS]$", text)) or text.endswith(("s’", "s'"))


def _is_abbreviation(token: Token) -> bool:
    return token.key.rstrip(".") in ABBREVIATIONS or (len(token.text) == 1 and token.text.isupper())


def adjoining(masked: str, left: Token, right_start: int) -> bool:
    """Tell whether only spaces (or the full stop of an abbreviation such as Mr.) separate two words."""
    gap = masked[left.end : right_start].strip()
    return not gap or (gap == "." and _is_abbreviation(left))


def run_before(masked: str, pos: int, floor: int) -> list[Token]:
    """Tokens right before pos, back to the first punctuation (possessives and hyphens stay inside)."""
    tokens = tokens_in(masked, floor, pos)
    run: list[Token] = []
    limit = pos
    for token in reversed(tokens):
        if not adjoining(masked, token, limit):
            break
        run.append(token)
        limit = token.start
    run.reverse()
    return run


def run_after(masked: str, pos: int, ceiling: int) -> list[Token]:
    """Tokens right after pos, up to the first punctuation."""
    tokens = tokens_in(masked, pos, ceiling)
    run: list[Token] = []
    limit = pos
    for token in tokens:
        if run and not adjoining(masked, run[-1], token.start):
            break
        if not run and masked[limit : token.start].strip(" ,—–-"):
            break
        run.append(token)
        limit = token.end
    return run


def is_pronoun(token: Token) -> bool:
    """he, she, он … (also he’d, she’s)."""
    return token.key in PRONOUNS or fold_key(possessive_stem(token.text)) in {"he", "she", "they", "it"}


def is_speaker_noun(token: Token) -> bool:
    """Tell whether a word is a speaking noun (see ``speaker_noun``)."""
    return speaker_noun(token) is not None


def speaker_noun(token: Token) -> str | None:
    """The speaking noun a word is, in its lexicon form: министра → министр, Bakan'ın → bakan."""
    key = fold_key(possessive_stem(token.text))
    if key in SPEAKER_NOUNS:
        return key
    if re.fullmatch("[а-яёәғқңөұүһі-]+", key):
        for form in (key[:-1], key[:-2], key[:-1] + "о", key[:-2] + "о", key[:-1] + "ь"):
            if form in SPEAKER_NOUNS:
                return form
    return None


def trim_np(tokens: list[Token]) -> list[Token]:
    """Drop leading determiners and connectors and trailing connectors from a noun phrase."""
    while tokens and (tokens[0].key in CONNECTORS or tokens[0].key in DETERMINERS):
        tokens = tokens[1:]
    while tokens and tokens[-1].key in CONNECTORS:
        tokens = tokens[:-1]
    return tokens


def np_before(masked: str, pos: int, floor: int, loose: bool = False) -> list[Token] | None:
    """The speaker's noun phrase that ends right before a finite cue at pos, or None.

    With ``loose`` (for said/told), any short noun phrase that starts with a determiner will do:
    "the singer and guitarist told".
    """
    run = run_before(masked, pos, floor)
    while run and (run[-1].key in ADVERBS or (run[-1].text.islower() and run[-1].key.endswith("ly"))):
        run = run[:-1]
    if len(run) >= 2 and run[-1].key in WEEKDAYS and run[-2].key in {"on", "last", "this"}:
        run = run[:-2]
    while run and run[-1].key in ADVERBS:
        run = run[:-1]
    if not run:
        return None
    last = run[-1]
    if is_pronoun(last):
        return [last] if last.text[0].isupper() == (last.start == floor) or last.text.islower() else None
    if last.capitalised:
        chain = [last]
        for token in reversed(run[:-1]):
            if token.capitalised or token.key in CONNECTORS:
                chain.insert(0, token)
            else:
                break
        head = run[len(run) - len(chain) - 1] if len(run) > len(chain) else None
        if chain[0].key in {"of", "for"} and head is not None and head.key not in NP_STOPS:
            # "friends of Mike Ford", "a spokesman for the ministry": the noun before is the head.
            phrase = [head, *chain]
            index = len(run) - len(chain) - 2
            if index >= 0 and run[index].key in DETERMINERS:
                phrase.insert(0, run[index])
            return phrase
        chain = trim_np(chain)
        while chain and chain[0].start == floor and chain[0].key in NOT_NAME_WORDS and len(chain) > 1:
            chain = trim_np(chain[1:])
        if len(chain) == 1 and chain[0].key in NOT_NAME_WORDS - SPEAKER_NOUNS:
            return None  # "Today said", "Tuesday said"
        return chain or None
    if is_speaker_noun(last):
        phrase = [last]
        for token in reversed(run[:-1]):
            if token.key in DETERMINERS:
                phrase.insert(0, token)
                break
            if token.key in NP_STOPS or cue_category(token.text) or len(phrase) >= 5:
                break
            phrase.insert(0, token)
        return phrase
    if loose and last.text.islower() and last.key not in NP_STOPS:
        phrase = [last]
        for token in reversed(run[:-1][-4:]):
            phrase.insert(0, token)
            if token.key in {"the", "a", "an", "his", "her", "their", "its", "one"}:
                return phrase
            if token.capitalised or (token.key in NP_STOPS and token.key != "and") or cue_category(token.text):
                return None
    return None


def np_after(masked: str, pos: int, ceiling: int) -> list[Token] | None:
    """The speaker's noun phrase right after an inverted cue ending at pos (said Altun, заявил он)."""
    run = run_after(masked, pos, ceiling)
    if not run:
        return None
    if is_pronoun(run[0]):
        return [run[0]]
    phrase: list[Token] = []
    for token in run:
        if token.key in NP_STOPS - {"of"} or cue_category(token.text) or len(phrase) >= 8:
            break
        phrase.append(token)
    phrase = trim_np(phrase)
    if any(t.capitalised or is_speaker_noun(t) for t in phrase):
        return phrase
    return None


def find_subject(masked: str, sentence: tuple[int, int], limit: int) -> list[Token] | None:
    """The subject of a sentence's main clause, before limit: skips an introductory phrase."""
    start = sentence[0]
    tokens = tokens_in(masked, start, limit)
    if not tokens:
        return None
    first = tokens[0]
    if first.key in INTRO_WORDS or (first.key.endswith("ing") and first.key not in SPEAKER_NOUNS):
        comma = masked.find(",", start, limit)
        if comma < 0:
            return None
        tokens = tokens_in(masked, comma + 1, limit)
        if not tokens:
            return None
        start = comma + 1
    if is_pronoun(tokens[0]):
        return [tokens[0]]
    chain: list[Token] = []
    limit_gap = start
    for token in tokens:
        if (chain and not adjoining(masked, chain[-1], token.start)) or (
            not chain and masked[limit_gap : token.start].strip()
        ):
            break
        fits = (
            token.capitalised
            or token.key in CONNECTORS
            or token.key in ROLE_MODIFIERS
            or is_speaker_noun(token)
            or (not chain and token.key in DETERMINERS)
        )
        if not fits:
            break
        chain.append(token)
        limit_gap = token.end
    chain = trim_np(chain)
    if any(t.capitalised or is_speaker_noun(t) for t in chain):
        return chain
    return None


def adjunct_only(tokens: Sequence[Token], text: str) -> bool:
    """Tell whether what follows a verb is only where/when/how it was said: "in a statement Saturday"."""
    if not tokens:
        return MASK not in text and ":" not in text
    return (
        len(tokens) <= 14
        and MASK not in text
        and not any(t.key in THAT for t in tokens)
        and (tokens[0].key in ADJUNCT_WORDS | WEEKDAYS | {"of", "last", "late", "earlier", "later", "told"})
    )
