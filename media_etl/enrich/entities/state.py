"""What one article's extraction holds: its tokens, the mentions found so far, and the token helpers every step uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from media_etl.enrich.entities.gazetteer import (
    KnownOrg,
    Place,
)
from media_etl.text.lexicon import lexicon
from media_etl.text.tokens import Token, tokenize

TURKIC_LANGUAGES = frozenset({"tr", "az", "kk", "uz", "ky", "tk"})
# Russian case endings to strip before trying nominative forms (Астане → Астана, России → Россия).
RUSSIAN_ENDINGS = ("ией", "ии", "ию", "ой", "ом", "ем", "ей", "е", "у", "ю", "а", "ы", "и")
RUSSIAN_NOMINATIVE = ("", "а", "я", "ь", "ия")
# Lower-case words after a Cyrillic place that make it a region or district (облысы, района).
REGION_WORDS = ("облыс", "аудан", "област", "район", "край", "viloyat", "tuman")
# Aliases of known organisations that are common words at the start of a sentence.
AMBIGUOUS_ALIASES = frozenset({"trend", "meta", "telegram", "sputnik", "kabar", "khabar", "хабар"})
# Aliases that are other words in Turkish copy: Anadolu is also Anatolia.
ENGLISH_ONLY_ALIASES = frozenset({"anadolu"})
INDEFINITE = frozenset({"a", "an"})
AND = frozenset({"and", "ve", "və", "и", "және", "va"})
PATRONYMIC_ENDINGS = (
    "ұлы",
    "улы",
    "uly",
    "ulı",
    "qızı",
    "қызы",
    "кызы",
    "kyzy",
    "ovich",
    "evich",
    "ovna",
    "evna",
    "ович",
    "евич",
    "овна",
    "евна",
    "oğlu",
    "oglu",
    "оглы",
)
# Kazakh heads that are common nouns too (fund, centre, company): after a sentence's first word
# (Алтын қоры, "gold reserve") they need more than a capital to name an organisation.
WEAK_HEADS = ("қор", "орталы", "компания", "кеңес", "партия", "қызмет", "арна", "банк")
TITLE_CONNECTORS = frozenset({"of", "the", "at", "to", "and"})
RU_ADJECTIVE = re.compile(r"(ое|ый|ий|ая|ой|ые|ого|ему|ому|ей|ых|их|ым|им|ую)$")
ROLE_BREAK = re.compile(r"[;!?—“”\"«»\n]|\s[–-]\s|\.(?:\s|$)")
MAX_ROLE_TOKENS = 45
MAX_PERSON_TOKENS = 4
FUZZY_SAME = 90
MODEL_FIRST = frozenset({"ru"})
"""Languages whose model's names are claimed before the rules run. In Russian only the first
word of an organisation's name has a capital, so capitalised runs say little and natasha reads
better (entity F1 on nerel-train 0.74 model first, 0.70 rules first); in English the rules first
keep the seeds' roles and titles at no cost on conll-train (0.74 either way)."""
LARGE_CITY = 100_000
"""A city this populous is more likely meant than a person or firm of the same name."""


@dataclass
class Span:
    """A mention being built: token range, offsets, type and what identifies it."""

    first: int
    last: int
    """Token indices, inclusive."""
    kind: str
    start: int
    end: int
    place: Place | None = None
    org: str | None = None
    """An organisation's name as it identifies it (the long form for an acronym)."""
    org_known: KnownOrg | None = None
    role: str | None = None
    cue: str | None = None
    antecedent: int | None = None
    """For a surname-only mention: the index of the full-name span it refers to."""
    tokens: list[str] = field(default_factory=list)


@lru_cache(maxsize=8)
def suffix_set(suffixes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(suffixes)


@lru_cache(maxsize=8)
def head_stems(heads: frozenset[str]) -> frozenset[str]:
    """Organisation heads longer than five letters, without their last letter (for case endings)."""
    return frozenset(h[:-1] for h in heads if len(h) > 5)


class ExtractorState:
    """One article's extraction state and token helpers; the steps in the other modules build on it."""

    def __init__(self, body: str, language: str) -> None:
        self.body = body
        self.language = language
        self.turkic = language in TURKIC_LANGUAGES
        self.english = language == "en"
        self.lex = lexicon()
        self.toks = tokenize(body)
        self.owner: list[int | None] = [None] * len(self.toks)
        self.spans: list[Span] = []
        self.places: dict[int, tuple[int, Place, int]] = {}
        """Gazetteer places by first token: last token, place, end offset (before a cut case ending)."""
        self.lower_words = frozenset(t.key for t in self.toks if t.text[:1].islower())
        self.acronyms: dict[str, Span] = {}
        self.strong_people: set[int] = set()

    # ----- token helpers -------------------------------------------------------------------

    def gap(self, k: int) -> str:
        """Return the text between token k and token k + 1."""
        return self.body[self.toks[k].full_end : self.toks[k + 1].start]

    def joined(self, k: int) -> bool:
        """Tell whether token k + 1 continues a name that token k is part of."""
        if k + 1 >= len(self.toks) or self.toks[k].closed:
            return False
        gap = self.gap(k)
        if gap == " ":
            return True
        tok = self.toks[k]
        # An initial: J. Smith, Н.Назарбаев.
        return len(tok.text) == 1 and tok.text.isupper() and gap in {". ", "."}

    def is_function(self, tok: Token) -> bool:
        return tok.key in self.lex.function_words or tok.key in self.lex.calendar_words

    def is_name_word(self, tok: Token) -> bool:
        """A capitalised word that may be part of a name."""
        return tok.cap and not self.is_function(tok) and not tok.text.isdigit()

    def is_title(self, tok: Token) -> bool:
        return tok.key in self.lex.title_heads

    def is_title_word(self, tok: Token) -> bool:
        return tok.key in self.lex.title_heads or tok.key in self.lex.title_modifiers

    def is_org_head(self, tok: Token) -> bool:
        key = tok.key
        heads = self.lex.org_heads
        if key in heads:
            return True
        # Russian case forms: министерства, агентстве, комитета; Kazakh endings on heads. A
        # head h (longer than 5) matches when the key starts with h[:-1] and is at most 2
        # longer than h, so only the key's prefixes of length len(key)-3 .. len(key) can match.
        if tok.cyrillic:
            stems = head_stems(heads)
            if any(key[:length] in stems for length in range(max(5, len(key) - 3), len(key) + 1)):
                return True
        return bool(self.turkic and self._turkic_stem(key, heads))

    def _turkic_stem(self, key: str, vocabulary: Iterable[str] | dict[str, object]) -> str | None:
        # The longest known suffix that leaves a stem of 3+ letters found in the vocabulary:
        # trying split points from the left tries the longest suffixes first.
        suffixes = suffix_set(self.lex.turkic_suffixes)
        for cut in range(3, len(key)):
            if key[cut:] in suffixes and key[:cut] in vocabulary:
                return key[:cut]
        return None

    # ----- runs ----------------------------------------------------------------------------

    def runs(self) -> list[tuple[int, int]]:
        """Maximal runs of name words joined by single spaces, as inclusive token ranges."""
        found: list[tuple[int, int]] = []
        k = 0
        n = len(self.toks)
        while k < n:
            if not self.is_name_word(self.toks[k]):
                k += 1
                continue
            j = k
            while self.joined(j) and self.is_name_word(self.toks[j + 1]):
                j += 1
            found.append((k, j))
            k = j + 1
        return found

    def free_runs(self) -> list[tuple[int, int]]:
        """Runs cut at tokens already claimed by a mention."""
        pieces: list[tuple[int, int]] = []
        for a, b in self.runs():
            k = a
            while k <= b:
                if self.owner[k] is not None:
                    k += 1
                    continue
                j = k
                while j + 1 <= b and self.owner[j + 1] is None:
                    j += 1
                pieces.append((k, j))
                k = j + 1
        return pieces

    def add(self, span: Span) -> int:
        index = len(self.spans)
        self.spans.append(span)
        for k in range(span.first, span.last + 1):
            self.owner[k] = index
        return index

    def text(self, first: int, last: int) -> str:
        return self.body[self.toks[first].start : self.toks[last].end]
