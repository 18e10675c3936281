"""Find the people, organisations and places an article body names, and give each one a stable entity id.

The extractor is a rule-and-gazetteer one, tuned on agency wire copy. It reads capitalised
runs of words and decides what each run is, in this order:

1. **Titles split runs.** In ``MP Sevil Mikayilova`` or ``Communications Director Fahrettin
   Altun`` a title word (``data/entity_lexicon.yaml``: title_heads) ends the role and what
   follows is a person.
2. **Organisations by their head word.** A run ending in Agency, Ministry, Forum, Channel,
   Directorate, Başkanlığı, Təşkilatı, министерство … names an organisation. A bare head
   takes its complement (``Organization`` + ``of Turkic States``, ``Embassy`` + ``of Türkiye``,
   ``Administration`` + ``of the President of Uzbekistan``), but never a complement that is
   itself an organisation (``Media Forum`` | ``of the Organization of Turkic States``) or a
   place in the possessive (``Balapan Channel`` | ``of the Republic of Kazakhstan's …``).
   A head alone or with generic words only (``the Ministry``, ``Supervisory Board``) and a
   head after ``a``/``an`` (``a Media Center``) name nothing.
3. **Acronyms.** ``Long Name (ACR)`` defines ACR for the article when the initials match
   (``World Urban Forum (WUF13)``); every ACR then maps to the long form's entity. Acronyms
   in ``data/entity_names.yaml`` (OTS, UN, NATO, ТМД …) map to their organisation anywhere.
4. **Places** from the gazetteer (``entity_gazetteer.find_place``), the longest match first
   (``Turkish Republic of Northern Cyprus``, ``Republic of Kazakhstan``), each part of a
   hyphenated pair (``Turkey-Azerbaijan cooperation``), and in Turkic copy a stem before a
   case ending (``Bakıda`` → ``Bakı``, ``Астанада`` → ``Астана``).
5. **People**: a run with a title before it, an apposition after it (``…, Director of …``),
   a speech verb after it, a known given name, a surname ending (-ov, -yeva, -zade, -oğlu,
   -ұлы …) or, in Cyrillic copy, capitalised words inside a sentence (Russian and Kazakh
   capitalise names only). Kazakh runs of several names are cut after each surname
   (``Асқар Мамин | Лондонда``). A one-word candidate that the article also writes in lower
   case is a common word (``Officials said``), not a name.
6. **Surname-only mentions** (``Altun said``, ``Hajiyev touted``, ``Тоқаевтың``) resolve to
   the person of the article whose surname has the same skeleton.

**Roles** are written as found: the title before the name, then the apposition after it,
joined by ``"; "`` when there are both (``MP; Member of the Supervisory Board of the Media
Development Agency, Vice President of …``). A title before the name stops at a possessive or
a nationality word, which is context, not role (``Turkey’s Communications Director`` →
``Communications Director``; ``Azerbaijani presidential aide`` → ``presidential aide``).
The role is on the mention where it is written, not copied to later mentions. Turkish,
Azerbaijani and Kazakh copy puts titles before names, so there a comma after a name is not
read as opening an apposition (``Erdoğan, Azerbaycan Cumhurbaşkanı Aliyev ile …``).

**Nationality words** (Azerbaijani, Turkish, Armenian) are not place mentions: they name no
place, and tagging them would make "Turkish media" count as a mention of Türkiye.

**Surfaces and offsets.** ``body[char_start:char_end] == surface`` always. An English
possessive and a Turkish suffix after an apostrophe are left out of the surface
(``Turkey’s`` → ``Turkey``, ``Türkiye'nin`` → ``Türkiye``); so is the case ending of a
gazetteer place or of a surname in Turkic copy (``Bakıda`` → ``Bakı``, ``Əliyevin`` →
``Əliyev``). Russian inflected places keep the whole word (``Астане``). Other words are
tagged whole (``Təşkilatının``).

**Identity.** ``entity_id = sha256(f"{type}:{key}")[:16]`` (``entity_id_for``), where the key
is a place's gazetteer id (``country:TR`` for Türkiye and Turkey alike), an organisation's
lexicon key or normalised name, or a person's consonant skeleton (``entity_names``), so every
spelling and script of one entity gets one id with no shared state. ``canonical_name`` is
the gazetteer's English name for places, the lexicon's or the longest written form for
organisations, and the fullest Latin spelling in the article for people (transliterated
when the article has only a Cyrillic one). Within one article, people whose skeletons are
near (rapidfuzz ratio ≥ 90) and organisations whose normalised names are near (≥ 94) are
one entity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from media_etl.clean.text import fold_key
from media_etl.enrich.entity_gazetteer import (
    REGION_COUNTRIES,
    KnownOrg,
    Place,
    find_place,
    known_acronyms,
    known_org_first_words,
    known_orgs,
    lexicon,
    stable_id,
)
from media_etl.enrich.entity_models import ModelSpan, model_spans
from media_etl.enrich.entity_names import (
    display_latin,
    has_cyrillic,
    latinise,
    name_skeleton,
    org_skeleton,
    russian_name_stem,
)
from media_etl.enrich.entity_tokens import Token, guess_language, tokenize
from media_etl.enrich.records import ArticleText, Mention
from schemas.vocabularies import ORGANISATION, PERSON, PLACE

TURKIC_LANGUAGES = frozenset({"tr", "az", "kk", "uz", "ky", "tk"})
# Russian case endings to strip before trying nominative forms (Астане → Астана, России → Россия).
_RUSSIAN_ENDINGS = ("ией", "ии", "ию", "ой", "ом", "ем", "ей", "е", "у", "ю", "а", "ы", "и")
_RUSSIAN_NOMINATIVE = ("", "а", "я", "ь", "ия")
# Lower-case words after a Cyrillic place that make it a region or district (облысы, района).
_REGION_WORDS = ("облыс", "аудан", "област", "район", "край", "viloyat", "tuman")
# Aliases of known organisations that are common words at the start of a sentence.
_AMBIGUOUS_ALIASES = frozenset({"trend", "meta", "telegram", "sputnik", "kabar", "khabar", "хабар"})
# Aliases that are other words in Turkish copy: Anadolu is also Anatolia.
_ENGLISH_ONLY_ALIASES = frozenset({"anadolu"})
_INDEFINITE = frozenset({"a", "an"})
_AND = frozenset({"and", "ve", "və", "и", "және", "va"})
_PATRONYMIC_ENDINGS = (
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
_WEAK_HEADS = ("қор", "орталы", "компания", "кеңес", "партия", "қызмет", "арна", "банк")
_TITLE_CONNECTORS = frozenset({"of", "the", "at", "to", "and"})
_RU_ADJECTIVE = re.compile(r"(ое|ый|ий|ая|ой|ые|ого|ему|ому|ей|ых|их|ым|им|ую)$")
_ROLE_BREAK = re.compile(r"[;!?—“”\"«»\n]|\s[–-]\s|\.(?:\s|$)")
_MAX_ROLE_TOKENS = 45
_MAX_PERSON_TOKENS = 4
_FUZZY_SAME = 90
MODEL_FIRST = frozenset({"ru"})
"""Languages whose model's names are claimed before the rules run. In Russian only the first
word of an organisation's name has a capital, so capitalised runs say little and natasha reads
better (entity F1 on nerel-train 0.74 model first, 0.70 rules first); in English the rules first
keep the seeds' roles and titles at no cost on conll-train (0.74 either way)."""
_LARGE_CITY = 100_000
"""A city this populous is more likely meant than a person or firm of the same name."""


@dataclass
class _Span:
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
def _suffix_set(suffixes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(suffixes)


@lru_cache(maxsize=8)
def _head_stems(heads: frozenset[str]) -> frozenset[str]:
    """Organisation heads longer than five letters, without their last letter (for case endings)."""
    return frozenset(h[:-1] for h in heads if len(h) > 5)


class _Extractor:
    """One article's extraction state; built and thrown away inside ``extract_mentions``."""

    def __init__(self, body: str, language: str) -> None:
        self.body = body
        self.language = language
        self.turkic = language in TURKIC_LANGUAGES
        self.english = language == "en"
        self.lex = lexicon()
        self.toks = tokenize(body)
        self.owner: list[int | None] = [None] * len(self.toks)
        self.spans: list[_Span] = []
        self.places: dict[int, tuple[int, Place, int]] = {}
        """Gazetteer places by first token: last token, place, end offset (before a cut case ending)."""
        self.lower_words = frozenset(t.key for t in self.toks if t.text[:1].islower())
        self.acronyms: dict[str, _Span] = {}
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
            stems = _head_stems(heads)
            if any(key[:length] in stems for length in range(max(5, len(key) - 3), len(key) + 1)):
                return True
        return bool(self.turkic and self._turkic_stem(key, heads))

    def _turkic_stem(self, key: str, vocabulary: Iterable[str] | dict[str, object]) -> str | None:
        # The longest known suffix that leaves a stem of 3+ letters found in the vocabulary:
        # trying split points from the left tries the longest suffixes first.
        suffixes = _suffix_set(self.lex.turkic_suffixes)
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

    def add(self, span: _Span) -> int:
        index = len(self.spans)
        self.spans.append(span)
        for k in range(span.first, span.last + 1):
            self.owner[k] = index
        return index

    def text(self, first: int, last: int) -> str:
        return self.body[self.toks[first].start : self.toks[last].end]

    # ----- places --------------------------------------------------------------------------

    def lookup_place(self, first: int, last: int) -> Place | None:
        toks = self.toks
        if first == last:
            tok = toks[first]
            place = find_place(tok.text)
            # Short codes name countries (ABD, АҚШ, UK), never towns: GYD and TAS are airports.
            if place is not None and tok.upper and len(tok.text) <= 4 and place.kind == "city":
                return None
            return place
        for k in range(first, last):
            if toks[k].closed:
                return None
        return find_place(self.text(first, last))

    def lookup_inflected_place(self, first: int, last: int) -> tuple[Place, int] | None:
        """A multi-word place whose last word has a Turkic case ending (Azərbaycan Respublikasının).

        Returns:
            The place and the offset where its stem ends, or None.
        """
        if not self.turkic or first == last:
            return None
        word = self.toks[last]
        for suffix in self.lex.turkic_suffixes:
            if word.key.endswith(suffix) and len(word.key) - len(suffix) >= 3:
                end = word.end - len(suffix)
                place = find_place(self.body[self.toks[first].start : end])
                if place is not None:
                    return place, end
        return None

    def find_place_windows(self) -> None:
        """Record the longest gazetteer place starting at each capitalised token."""
        toks = self.toks
        n = len(toks)
        k = 0
        while k < n:
            tok = toks[k]
            if not tok.cap or self.is_function(tok):
                k += 1
                continue
            best: tuple[int, Place, int] | None = None
            j = k
            last_name = k
            # Extend over name words and connectors (Republic of Kazakhstan) up to six words.
            window = [k]
            while len(window) < 7 and j + 1 < n and not toks[j].closed and self.gap(j) == " ":
                nxt = toks[j + 1]
                if not (self.is_name_word(nxt) or nxt.key in {"of", "the", "and"}):
                    break
                j += 1
                window.append(j)
                if self.is_name_word(nxt):
                    last_name = j
            for end in range(last_name, k - 1, -1):
                if not self.is_name_word(toks[end]):
                    continue
                place = self.lookup_place(k, end)
                if place:
                    best = (end, place, toks[end].end)
                    break
                inflected = self.lookup_inflected_place(k, end)
                if inflected:
                    best = (end, inflected[0], inflected[1])
                    break
            if best:
                self.places[k] = best
                k = best[0] + 1
            else:
                k += 1

    # ----- step 1: titles split runs -------------------------------------------------------

    def split_titles(self) -> None:
        """Mark the person after each title word of a run (``MP Sevil Mikayilova``).

        Also in a run of several (``Azərbaycan Respublikasının Prezidenti İlham Əliyev Türkiyə
        Respublikasının Prezidenti Rəcəb Tayyib Ərdoğan``).
        """
        toks = self.toks
        for a, b in self.runs():
            for t in range(a, b):
                nxt = toks[t + 1]
                if not self.is_title(toks[t]) or self.is_title_word(nxt) or (t + 1) in self.places:
                    continue
                if self.is_org_head(nxt) or nxt.upper or nxt.key in self.lower_words:
                    continue
                self.strong_people.add(t + 1)

    # ----- step 2: organisations -----------------------------------------------------------

    def org_head_run(self, a: int, b: int) -> tuple[int, int] | None:
        """The organisation phrase inside run a..b ending at its last head word, if any."""
        heads = [k for k in range(a, b + 1) if self.is_org_head(self.toks[k]) and not self.is_title(self.toks[k])]
        if not heads:
            return None
        h = heads[-1]
        start = a
        # A person marked by a title inside the run starts after it: never part of the organisation.
        for k in range(a, h + 1):
            if k in self.strong_people:
                return None
        end = h
        # Trailing place to the end of the run belongs to the name (CBC TV Azerbaijan).
        if h < b and (h + 1) in self.places and self.places[h + 1][0] == b:
            end = b
        return start, end

    def complement(self, end: int) -> int | None:
        """The last token of an ``of/for/on [the] X`` complement after token ``end``, if X may join."""
        toks = self.toks
        k = end
        if k + 1 >= len(toks) or toks[k].closed or self.gap(k) != " ":
            return None
        k += 1
        if toks[k].key not in {"of", "for", "on"}:
            return None
        if k + 1 < len(toks) and self.gap(k) == " " and toks[k + 1].key == "the":
            k += 1
        if k + 1 >= len(toks) or self.gap(k) != " ":
            return None
        x = k + 1
        if not self.is_name_word(toks[x]) or self.owner[x] is not None:
            return None
        if x in self.places:
            stop = self.places[x][0]
            return None if toks[stop].closed else stop
        y = x
        while self.joined(y) and self.is_name_word(toks[y + 1]) and (y + 1) not in self.places:
            y += 1
        phrase = range(x, y + 1)
        if any(self.is_org_head(toks[r]) for r in phrase) or any(r in self.strong_people for r in phrase):
            return None
        if toks[y].closed:
            return None
        return y

    def coordination(self, end: int, *, in_complement: bool) -> int | None:
        """The last token of ``and X`` or ``, X`` after token ``end`` that continues one name.

        ``National Television and Radio Corporation``: X starts with a domain noun and ends in
        a head. Inside a complement any plain name run may follow ``and``
        (``Ministry of Digital Development, Innovation and Aerospace Industry``).
        """
        toks = self.toks
        if end + 2 >= len(toks) or toks[end].closed:
            return None
        gap = self.gap(end)
        if gap == " " and toks[end + 1].key in _AND:
            if self.gap(end + 1) != " ":
                return None
            x = end + 2
        elif gap == ", " and in_complement and toks[end + 1].key in self.lex.coordinated_heads and toks[end + 1].cap:
            x = end + 1
        else:
            return None
        if not toks[x].cap or self.owner[x] is not None or x in self.places or x in self.strong_people:
            return None
        y = x
        while self.joined(y) and self.is_name_word(toks[y + 1]) and (y + 1) not in self.places:
            y += 1
        phrase = [toks[r] for r in range(x, y + 1)]
        if toks[x].key in self.lex.coordinated_heads and (self.is_org_head(toks[y]) or y == x):
            return y
        if not in_complement or toks[y].closed or toks[x].key in self.lex.first_names:
            return None
        if any(self.is_org_head(t) or self.is_title(t) for t in phrase):
            return None
        return y

    def find_orgs(self) -> None:
        """Claim organisation phrases built around head words."""
        for a, b in self.runs():
            k = a
            while k <= b:
                found = self.org_head_run(k, b)
                if not found:
                    break
                start, end = found
                while start < end and (self.is_function(self.toks[start]) or start in self.strong_people):
                    start += 1
                grown = end
                in_complement = False
                while True:
                    nxt = self.complement(grown)
                    if nxt is not None:
                        in_complement = True
                    else:
                        nxt = self.coordination(grown, in_complement=in_complement)
                    if nxt is None:
                        break
                    grown = nxt
                self.claim_org(start, grown, extended=grown > end)
                k = grown + 1
                if grown > b:
                    break
        self.find_cyrillic_orgs()

    def claim_org(self, start: int, end: int, *, extended: bool) -> None:
        toks = self.toks
        if start > 0 and toks[start - 1].key in _INDEFINITE:
            return
        words = [toks[k] for k in range(start, end + 1) if toks[k].key not in self.lex.connectors]
        generic = all(t.key in self.lex.generic_org_words or self.is_org_head(t) for t in words)
        if generic and not extended and not (toks[start].cyrillic and not toks[start].initial):
            return
        if any(self.owner[k] is not None for k in range(start, end + 1)):
            return
        name = self.text(start, end)
        self.add(_Span(start, end, ORGANISATION, toks[start].start, toks[end].end, org=name))

    def find_cyrillic_orgs(self) -> None:
        """Claim Russian and Kazakh organisation names, whose inner words are lower case.

        Kazakh puts the head last (``Ұлттық қауіпсіздік комитеті``): a capitalised word, up to
        three lower-case words, then the head. Russian puts it first (``Министерство
        иностранных дел Казахстана``): the capitalised head, then lower-case genitive words.
        """
        toks = self.toks
        n = len(toks)
        for h in range(n):
            tok = toks[h]
            if not tok.cyrillic or self.owner[h] is not None or not self.is_org_head(tok):
                continue
            # Head last: walk left over lower-case words to a capitalised one.
            if not tok.cap or tok.initial:
                k = h
                while k > 0 and h - k < 4 and self.gap(k - 1) == " " and self.owner[k - 1] is None:
                    k -= 1
                    if toks[k].cap:
                        while k > 0 and self.joined(k - 1) and toks[k - 1].cap and self.owner[k - 1] is None:
                            if self.is_function(toks[k - 1]):
                                break
                            k -= 1
                        # Russian copy: a sentence-initial noun (Руководители) is no name; an adjective may be.
                        russian_noun = (
                            self.language == "ru" and toks[k].initial and not _RU_ADJECTIVE.search(toks[k].key)
                        )
                        weak = toks[k].initial and tok.key.startswith(_WEAK_HEADS)
                        if not self.is_function(toks[k]) and not russian_noun and not weak:
                            self.add(_Span(k, h, ORGANISATION, toks[k].start, toks[h].end, org=self.text(k, h)))
                        break
                    if self.is_function(toks[k]) or toks[k].key in self.lex.speech_verbs:
                        break
                    if self.language == "ru" and not _RU_ADJECTIVE.search(toks[k].key):
                        break
                continue
            # Head first (Russian): the capitalised head and its lower-case genitive complement.
            end = h
            while end + 1 < n and end - h < 4 and self.gap(end) == " " and self.owner[end + 1] is None:
                nxt = toks[end + 1]
                if nxt.cap:
                    if (end + 1) in self.places:
                        end = self.places[end + 1][0]
                    break
                if self.is_function(nxt) or not re.search(r"(ых|их|ого|его|ой|ей|ии|ва|ов|ев|ий|ия|ла|ки)$", nxt.key):
                    break
                end += 1
            if end > h or not tok.initial:
                self.add(_Span(h, end, ORGANISATION, toks[h].start, toks[end].end, org=self.text(h, end)))

    # ----- step 3: acronyms and known organisations ----------------------------------------

    @staticmethod
    def _initials(words: list[Token]) -> str:
        letters = []
        for w in words:
            for part in re.split(r"[-‐‑]", w.text):
                if part[:1].isupper():
                    letters.append(part[0])
        return "".join(letters)

    def find_acronyms(self) -> None:
        """Read ``Long Name (ACR)`` definitions and tag every ACR of the article."""
        toks = self.toks
        for k in range(1, len(toks)):
            tok = toks[k]
            if not tok.upper or self.gap(k - 1) not in {" (", "("}:
                continue
            if k + 1 < len(toks) and not self.gap(k).startswith(")"):
                continue
            letters = re.sub(r"[^A-ZА-ЯӘҒҚҢӨҰҮҺІЁ]", "", tok.text.upper())
            owner = self.owner[k - 1]
            if owner is not None:
                span = self.spans[owner]
                named = [toks[i] for i in range(span.first, span.last + 1) if toks[i].key not in self.lex.connectors]
                initials = self._initials(named).upper()
                if span.kind in {ORGANISATION, PLACE} and (initials == letters or initials.startswith(letters)):
                    self.acronyms[tok.text] = span
                continue
            # An unclaimed long form: walk back over name words and connectors until the initials match.
            i = k - 1
            words: list[Token] = []
            while i >= 0 and (self.is_name_word(toks[i]) or toks[i].key in self.lex.connectors):
                if self.owner[i] is not None:
                    break
                if self.is_name_word(toks[i]):
                    words.insert(0, toks[i])
                    if self._initials(words).upper() == letters:
                        span = _Span(i, k - 1, ORGANISATION, toks[i].start, toks[k - 1].end, org=self.text(i, k - 1))
                        self.add(span)
                        self.acronyms[tok.text] = span
                        break
                if i == 0 or self.gap(i - 1) != " ":
                    break
                i -= 1
        for k, tok in enumerate(toks):
            if self.owner[k] is not None or tok.text not in self.acronyms:
                continue
            long_form = self.acronyms[tok.text]
            self.add(
                _Span(
                    k,
                    k,
                    long_form.kind,
                    tok.start,
                    tok.end,
                    place=long_form.place,
                    org=long_form.org,
                    org_known=long_form.org_known,
                )
            )

    def find_known_orgs(self, *, min_words: int = 1) -> None:
        """Tag the lexicon's organisations (news agencies, OTS, UN …) on unclaimed words."""
        toks = self.toks
        index = known_orgs()
        acronyms = known_acronyms()
        acronym_keys = {fold_key(a) for a in acronyms}
        first_words = known_org_first_words()
        inflected = self.turkic or self.language == "ru"
        n = len(toks)
        for k in range(n):
            if self.owner[k] is not None or not (toks[k].cap or toks[k].upper):
                continue
            if toks[k].key not in first_words and not (inflected or toks[k].cyrillic):
                continue
            j = k
            ends = [k]
            while len(ends) < 9 and j + 1 < n and self.owner[j + 1] is None and not toks[j].closed:
                gap = self.gap(j)
                if gap not in {" ", "-", " - "}:
                    break
                j += 1
                ends.append(j)
            for end in reversed(ends):
                if self.owner[end] is not None or end - k + 1 < min_words:
                    continue
                text = self.text(k, end)
                org = index.get(fold_key(text))
                if org is None and k == end and (toks[k].cyrillic or self.turkic) and not toks[k].upper:
                    org = self._inflected_org(toks[k], index)
                if org is None:
                    continue
                if k == end:
                    tok = toks[k]
                    if (tok.upper or tok.key in acronym_keys) and tok.text not in acronyms:
                        continue
                    if tok.initial and tok.key in _AMBIGUOUS_ALIASES:
                        continue
                    if tok.key in _ENGLISH_ONLY_ALIASES and not self.english:
                        continue
                self.add(_Span(k, end, ORGANISATION, toks[k].start, toks[end].end, org=org.name, org_known=org))
                break

    def _inflected_org(self, tok: Token, index: dict[str, KnownOrg]) -> KnownOrg | None:
        """A known organisation under a case ending: ``Казинформа``, ``Kazinformun``."""
        key = tok.key
        for ending in (*self.lex.turkic_suffixes, *_RUSSIAN_ENDINGS):
            if key.endswith(ending) and len(key) - len(ending) >= 4:
                found = index.get(key[: -len(ending)])
                if found is not None:
                    return found
        return None

    # ----- step 4: places ------------------------------------------------------------------

    def claim_places(self) -> None:
        toks = self.toks
        for k, (end, place, char_end) in sorted(self.places.items()):
            if any(self.owner[i] is not None for i in range(k, end + 1)):
                continue
            if place.kind == "city" and end + 1 < len(toks) and self.joined(end) and self.is_name_word(toks[end + 1]):
                nxt = end + 1
                if self.owner[nxt] is None and nxt not in self.places and not self.is_org_head(toks[nxt]):
                    continue  # Elmira Musazadeh: a town's name that starts a person's name
            stop = end
            if toks[k].cyrillic and self.gap_ok(end):
                region_word = toks[end + 1]
                if not region_word.cap and region_word.key.startswith(_REGION_WORDS):
                    stop = end + 1
                    char_end = region_word.end
                    # Солтүстік Қазақстан облысы: the compass word belongs to the region's name.
                    while k > 0 and self.joined(k - 1) and toks[k - 1].cap and self.owner[k - 1] is None:
                        if self.is_function(toks[k - 1]):
                            break
                        k -= 1
            self.add(_Span(k, stop, PLACE, toks[k].start, char_end, place=place))
        for k, tok in enumerate(toks):
            if self.owner[k] is not None or not tok.cap or self.is_function(tok):
                continue
            if "-" in tok.text:
                self.hyphen_places(k)
            elif self.turkic or tok.cyrillic or self.language == "ru":
                self.inflected_place(k)

    def gap_ok(self, k: int) -> bool:
        return k + 1 < len(self.toks) and not self.toks[k].closed and self.gap(k) == " "

    def hyphen_places(self, k: int) -> None:
        """Tag each place in a hyphenated pair: ``Turkey-Azerbaijan cooperation``."""
        tok = self.toks[k]
        offset = tok.start
        parts = []
        for part in re.split(r"([-‐‑])", tok.text):
            if part and part not in "-‐‑":
                place = find_place(part) if part[:1].isupper() else None
                if place is None or place.kind == "city":
                    return
                parts.append((offset, offset + len(part), place))
            offset += len(part)
        for start, end, place in parts:
            self.spans.append(_Span(k, k, PLACE, start, end, place=place))
        self.owner[k] = len(self.spans) - 1

    def inflected_place(self, k: int) -> None:
        """Tag a place under a case ending: ``Bakıda`` → Bakı, ``Астане`` → Астана."""
        tok = self.toks[k]
        word = tok.text
        low = tok.key
        if self.turkic or (tok.cyrillic and self.language != "ru"):
            for suffix in self.lex.turkic_suffixes:
                if low.endswith(suffix) and len(low) - len(suffix) >= 3:
                    stem = word[: len(word) - len(suffix)]
                    place = find_place(stem)
                    # A stem that is a town far away is more likely a word: Chase → Chas (India).
                    if place and (
                        place.kind != "city" or place.country in REGION_COUNTRIES or place.population >= 10**6
                    ):
                        self.add(_Span(k, k, PLACE, tok.start, tok.start + len(stem), place=place))
                        return
        if tok.cyrillic:
            for ending in _RUSSIAN_ENDINGS:
                if low.endswith(ending) and len(low) - len(ending) >= 3:
                    stem = word[: len(word) - len(ending)]
                    for nominative in _RUSSIAN_NOMINATIVE:
                        place = find_place(stem + nominative)
                        if place:
                            self.add(_Span(k, k, PLACE, tok.start, tok.end, place=place))
                            return

    # ----- step 5: people ------------------------------------------------------------------

    def surname_like(self, tok: Token) -> bool:
        key = tok.key
        risky = {"in", "ina", "yn", "yna", "ian", "uk", "ski", "ska", "an", "ова"}
        for ending in self.lex.surname_endings:
            if key.endswith(ending) and len(key) - len(ending) >= 2:
                if ending in risky and not tok.cyrillic:
                    continue
                return True
        if tok.cyrillic and self.turkic:
            for suffix in self.lex.turkic_suffixes:
                if key.endswith(suffix) and len(key) - len(suffix) >= 4:
                    stem = key[: -len(suffix)]
                    if any(stem.endswith(e) for e in self.lex.surname_endings if len(e) >= 2):
                        return True
        return False

    def barrier(self, tok: Token) -> bool:
        """A word that cannot be inside a personal name: titles, heads, acronyms, nationality words."""
        return (
            self.is_title(tok)
            or self.is_org_head(tok)
            or self.is_function(tok)
            or tok.key in self.lex.demonyms
            or tok.key in self.lex.honorifics
            or tok.key in self.lex.coordinated_heads
            or (tok.upper and len(tok.text) > 1)
            or any(ch.isdigit() for ch in tok.text)
        )

    def name_segments(self) -> list[tuple[int, int]]:
        """Free runs cut at barrier words, less leading title modifiers: the candidate names."""
        segments: list[tuple[int, int]] = []
        for a0, b0 in self.free_runs():
            k = a0
            while k <= b0:
                if self.barrier(self.toks[k]):
                    k += 1
                    continue
                j = k
                while j + 1 <= b0 and not self.barrier(self.toks[j + 1]):
                    j += 1
                a = k
                while a <= j and self.is_title_word(self.toks[a]):
                    a += 1
                segments.extend(self._split_names(a, j))
                k = j + 1
        return segments

    def _split_names(self, a: int, b: int) -> list[tuple[int, int]]:
        """Cut a Cyrillic run where one name ends: Kazakh puts names side by side (SOV).

        A surname ends a name (``Асқар Мамин | Лондонда``), unless it is a patronymic followed
        by the surname (``Нұрсұлтан Әбішұлы Назарбаев``). A sentence's first word before a given
        name is no part of it (``Әріптесім | Нұрбек Байбосын``).
        """
        toks = self.toks
        if a > b:
            return []
        if not toks[a].cyrillic:
            return [(a, b)]
        first_names = self.lex.first_names
        if a < b and toks[a].initial and toks[a].key not in first_names and toks[a + 1].key in first_names:
            a += 1
        pieces = []
        start = a
        for k in range(a, b):
            if self.surname_like(toks[k]) and not toks[k].key.endswith(_PATRONYMIC_ENDINGS):
                pieces.append((start, k))
                start = k + 1
        pieces.append((start, b))
        return [p for p in pieces if p[0] <= p[1]]

    def title_before(self, a: int) -> str | None:
        """The title written before a name (``Communications Director``), or None.

        The scan walks left from the name over title words, capitalised words, organisation
        and place mentions and the connectors of, the, at, to, and; it stops at a nationality
        word or a possessive in English (context, not role), at punctuation and at other words.
        """
        toks = self.toks
        lex = self.lex
        k = a - 1
        if k < 0:
            return None
        abbreviated = self._abbreviated_title(k)
        if self.gap(k) != " " and not abbreviated:
            return None
        adjacent = toks[k]
        adjacent_owner = self.owner[k]
        owner_kind = self.spans[adjacent_owner].kind if adjacent_owner is not None else None
        needs_of = False
        if adjacent_owner is not None and owner_kind == PLACE:
            # President of Azerbaijan Ilham Aliyev, Ambassador to Kazakhstan Daniel Rosenblum: in
            # English a place joins the title only as its complement; Russian and Turkic put it in
            # the genitive (президент Казахстана).
            place_first = self.spans[adjacent_owner].first
            if self.english and (place_first == 0 or toks[place_first - 1].key not in {"of", "the", "to"}):
                return None
        elif adjacent_owner is None and not self.is_title(adjacent) and not abbreviated:
            # Minister of Digital Development and Transport Rashad Nabiyev: a plain word may end
            # the title only when it is the complement of a title ("Title of …").
            if not adjacent.cap or self.is_function(adjacent) or self.is_title_word(adjacent):
                return None
            if not (self.joined(a) and self.is_name_word(toks[a + 1])):
                return None  # a full name only: "Affairs" after "Minister of Foreign" is none
            needs_of = True
        elif adjacent_owner is not None and owner_kind != ORGANISATION:
            return None
        first: int | None = None
        has_title = title_of = False
        while k >= 0 and not toks[k].closed and (self.gap(k) == " " or (k == a - 1 and abbreviated)):
            tok = toks[k]
            owner = self.owner[k]
            if owner is not None and self.spans[owner].kind == PERSON:
                break
            if tok.key in lex.demonyms and self.english:
                break
            if owner is not None:
                span = self.spans[owner]
                first = span.first
                k = span.first - 1
                if first == 0 or toks[first].initial:
                    break
                continue
            if self.is_title(tok) or (k == a - 1 and abbreviated):
                has_title = True
                title_of = title_of or toks[k + 1].key == "of"
                first = k
            elif self.is_title_word(tok) or (tok.cap and not self.is_function(tok)):
                first = k
            elif tok.key not in lex.connectors and tok.key not in _TITLE_CONNECTORS:
                break
            if tok.initial:
                break
            k -= 1
        if first is None or not has_title or (needs_of and not title_of):
            return None
        # Drop connectors and articles left dangling at the front.
        while first < a and (toks[first].key in lex.connectors or toks[first].key in _TITLE_CONNECTORS):
            first += 1
        return self.body[toks[first].start : toks[a - 1].end]

    def _abbreviated_title(self, k: int) -> bool:
        """Tell whether token k is a title cut short with a full stop (``Gov. Matt Bevin``)."""
        tok = self.toks[k]
        return (
            k + 1 < len(self.toks)
            and self.gap(k) == ". "
            and tok.cap
            and (tok.key in self.lex.title_abbreviations or tok.key in self.lex.honorifics)
        )

    def apposition(self, b: int) -> str | None:
        """The role in an apposition after a name (``…, Director of the Balapan Channel …``), or None."""
        toks = self.toks
        lex = self.lex
        if b + 1 >= len(toks) or self.body[toks[b].full_end : toks[b + 1].start] != ", ":
            return None
        k = b + 1
        if toks[k].key in {"the", "a", "an"}:
            k += 1
        # A title within the first words of the apposition, before any comma.
        probe = k
        found = False
        while probe < len(toks) and probe - k < 5:
            if self.is_title(toks[probe]):
                found = True
                # "…, Selcuk University professor Ahmet Uysal said": a title before a new name.
                after = probe
                while self.joined(after) and self.is_title_word(toks[after + 1]):
                    after += 1
                if self.joined(after) and self.is_name_word(toks[after + 1]) and not self.barrier(toks[after + 1]):
                    return None
                break
            if self.is_function(toks[probe]) and toks[probe].key not in {"of", "the"}:
                break
            if probe + 1 >= len(toks) or self.gap(probe) != " ":
                break
            probe += 1
        if not found:
            return None
        start = toks[b + 1].start
        end = toks[k].end
        depth = 0
        j = k
        count = 0
        while j + 1 < len(toks) and count < _MAX_ROLE_TOKENS:
            gap = self.body[toks[j].end : toks[j + 1].start]
            nxt = toks[j + 1]
            depth += gap.count("(") - gap.count(")")
            if depth < 0 or _ROLE_BREAK.search(gap) or (j + 1) in self.strong_people:
                break
            if "," in gap:
                if not nxt.cap and nxt.key != "and" and not self.is_title_word(nxt):
                    break
                if nxt.key == "and" and j + 2 < len(toks) and not toks[j + 2].cap:
                    break
                if self.starts_new_person(j + 1):
                    break
            elif not nxt.cap and (nxt.key in self.lex.clause_words or nxt.key in lex.speech_verbs):
                break
            j += 1
            count += 1
            end = toks[j].end
        if depth > 0:
            # Close a bracket the role opened: "(IPU" → "(IPU)".
            rest = self.body[end:]
            close = rest.find(")")
            if close == 0:
                end += 1
        return self.body[start:end].rstrip(" ,")

    def starts_new_person(self, k: int) -> bool:
        """Tell whether a name with its own apposition starts at token k (a list of people)."""
        toks = self.toks
        j = k
        while self.joined(j) and self.is_name_word(toks[j + 1]):
            j += 1
        if any(self.barrier(toks[r]) for r in range(k, j + 1)) or j - k > 3:
            return False
        first = toks[k]
        return first.key in self.lex.first_names or self.surname_like(toks[j])

    def find_people(self) -> None:
        """Tag personal names that carry a cue."""
        toks = self.toks
        lex = self.lex
        for a, b in self.name_segments():
            if b - a + 1 > _MAX_PERSON_TOKENS + 1:
                continue
            before = toks[a - 1] if a > 0 and (self.gap(a - 1) == " " or self._abbreviated_title(a - 1)) else None
            after = toks[b + 1] if b + 1 < len(toks) and self.gap(b) == " " else None
            title = self.title_before(a)
            # Turkic copy puts titles before names; a comma after a name ends the subject there.
            role = self.apposition(b) if not self.turkic else None
            honorific = before is not None and (before.key in lex.honorifics or self._abbreviated_title(a - 1))
            strong = a in self.strong_people or title is not None or role is not None or honorific
            verb = (after is not None and after.key in lex.speech_verbs) or (
                before is not None and before.key in {"said", "says", "told"}
            )
            first_name = toks[a].key in lex.first_names
            surname = self.surname_like(toks[b])
            single = a == b
            if single and toks[a].key in self.lower_words and not honorific:
                continue  # a common word that starts a sentence or follows a title: Officials, States
            if single:
                if toks[a].initial and not strong and not surname:
                    continue
                # Cyrillic copy capitalises names only: inside a sentence a surname or given name will do.
                cyrillic_name = toks[a].cyrillic and not toks[a].initial and (surname or first_name)
                if not (strong or (verb and (surname or first_name)) or cyrillic_name):
                    continue
            else:
                mid_sentence = toks[a].cyrillic and not toks[a].initial
                if not (strong or verb or first_name or surname or mid_sentence):
                    continue
                if b - a + 1 > _MAX_PERSON_TOKENS and not strong:
                    continue
            roles = [r for r in (title, role) if r]
            words = [toks[k].text for k in range(a, b + 1)]
            end = toks[b].end
            if self.turkic and not toks[b].closed:
                stem = self._surname_stem(toks[b])
                if stem:
                    words[-1] = stem
                    end = toks[b].start + len(stem)
            span = _Span(
                a,
                b,
                PERSON,
                toks[a].start,
                end,
                role="; ".join(roles) if roles else None,
                cue="strong" if strong else "weak",
                tokens=words,
            )
            self.add(span)

    def _surname_stem(self, tok: Token) -> str | None:
        """A surname under a Turkic case ending, without it: ``Əliyevin`` → ``Əliyev``."""
        key = tok.key
        for suffix in self.lex.turkic_suffixes:
            if key.endswith(suffix) and len(key) - len(suffix) >= 4:
                stem = key[: -len(suffix)]
                if any(stem.endswith(e) for e in self.lex.surname_endings if len(e) >= 2):
                    return tok.text[: len(tok.text) - len(suffix)]
        return None

    # ----- step 6: surname-only mentions ---------------------------------------------------

    def resolve_short_names(self) -> None:
        """Link one-word mentions to the article's full names (``Altun`` → Fahrettin Altun)."""
        toks = self.toks
        full = [i for i, s in enumerate(self.spans) if s.kind == PERSON and len(s.tokens) >= 2]
        if not full:
            return
        by_surname: dict[str, list[int]] = {}
        for i in full:
            by_surname.setdefault(name_skeleton(self.spans[i].tokens[-1]), []).append(i)
        surnames_latin = {i: latinise(self.spans[i].tokens[-1]) for i in full}

        def antecedent(k: int) -> int | None:
            tok = toks[k]
            candidates = by_surname.get(name_skeleton(tok.text), [])
            if not candidates and self.turkic:
                word = latinise(tok.text)
                candidates = [
                    i
                    for i, s in surnames_latin.items()
                    if word.startswith(s) and len(word) - len(s) <= 4 and len(s) >= 4
                ]
            if not candidates:
                return None
            earlier = [i for i in candidates if self.spans[i].start < tok.start]
            return max(earlier, key=lambda i: self.spans[i].start) if earlier else candidates[0]

        for span in self.spans:
            if span.kind == PERSON and len(span.tokens) == 1:
                ref = antecedent(span.first)
                if ref is not None:
                    span.antecedent = ref
        for k, tok in enumerate(toks):
            if self.owner[k] is not None or not tok.cap or self.is_function(tok) or tok.upper:
                continue
            if self.joined(k) and self.is_name_word(toks[k + 1]) and self.owner[k + 1] is None:
                continue
            if k > 0 and self.joined(k - 1) and self.is_name_word(toks[k - 1]) and self.owner[k - 1] is None:
                continue
            ref = antecedent(k)
            if ref is None:
                continue
            span = _Span(k, k, PERSON, tok.start, tok.end, antecedent=ref, tokens=[tok.text])
            self.add(span)

    # ----- all steps -----------------------------------------------------------------------

    def add_model_spans(self, found: list[ModelSpan], *, known_places_only: bool = False) -> None:
        """Claim the names a statistical model tagged, where no rule has claimed a token yet.

        A one-word name the article also writes in lower case is a common word at the start
        of a line (``Attendance``, ``Qualifier``), and a unit or time zone (``GMT``) is not a
        name: neither is kept.
        """
        starts = [t.start for t in self.toks]
        for span in found:
            first = bisect_left(starts, span.start)
            if first >= len(self.toks) or self.toks[first].start >= span.end:
                continue
            last = first
            while last + 1 < len(self.toks) and self.toks[last + 1].end <= span.end:
                last += 1
            # A score or a figure after a name is not part of it (``M. Vaughan 57``).
            while last > first and not any(ch.isalpha() for ch in self.toks[last].text):
                last -= 1
            if self.toks[last].end > span.end or any(self.owner[k] is not None for k in range(first, last + 1)):
                continue
            if not self.model_name_ok(first, last):
                continue
            mention = self.span_of(first, last, self.checked_kind(first, last, span.kind))
            if known_places_only and mention.kind == PLACE and mention.place is None:
                # An inflected place (Казахстана, Астане): the rules' case-ending lookup claims it
                # now, so a title before a name can take it as its complement.
                if first == last and (self.turkic or self.toks[first].cyrillic):
                    self.inflected_place(first)
                continue
            self.add(mention)

    def model_name_ok(self, first: int, last: int) -> bool:
        """Tell whether a model's span over tokens first..last can be a name.

        Not a name: a nationality word (``Azerbaijani``); a phrase of words the article also
        writes in lower case or generic organisation words only (``Media Relations``,
        ``Supervisory Board``); a time zone or unit (lexicon ``not_names``); and one word at
        the start of a sentence that the gazetteer does not know and the article never
        capitalises elsewhere (``Benefitting``).
        """
        words = self.toks[first : last + 1]
        lex = self.lex
        if all(t.key in lex.demonyms or t.key in lex.not_names for t in words):
            return False
        common = lex.generic_org_words | lex.org_heads | lex.function_words
        # English capitalises every word of a name, so a phrase of everyday words is a heading;
        # Russian writes the inner words of a name in lower case, so the test says nothing there.
        if self.english and all(t.key in self.lower_words or t.key in common for t in words):
            return False
        # Words before a title head are part of the role (``Media Relations`` Manager).
        if last + 1 < len(self.toks) and self.joined(last) and self.is_title(self.toks[last + 1]):
            return False
        if self.english and first == last and words[0].initial and find_place(words[0].text) is None:
            key = words[0].key
            return any(t.key == key and not t.initial for t in self.toks)
        return True

    def checked_kind(self, first: int, last: int, kind: str) -> str:
        """Correct a model's type with the gazetteer: a country or region is a place, and so is a
        large city the model took for a person (``Grozny``, ``Dhaka``)."""
        if kind == PLACE:
            return kind
        place = find_place(self.text(first, last))
        if place is None:
            return kind
        if place.kind in {"country", "region"} or (kind == PERSON and place.population >= _LARGE_CITY):
            return PLACE
        return kind

    def span_of(self, first: int, last: int, kind: str) -> _Span:
        """A new mention of the given type over tokens first..last, with its place or organisation name."""
        start, end = self.toks[first].start, self.toks[last].end
        text = self.body[start:end]
        role = None
        if kind == PERSON:
            # Turkic copy puts titles before names; a comma after a name ends the subject there.
            roles = [r for r in (self.title_before(first), None if self.turkic else self.apposition(last)) if r]
            role = "; ".join(roles) if roles else None
        return _Span(
            first,
            last,
            kind,
            start,
            end,
            place=find_place(text) if kind == PLACE else None,
            org=text if kind == ORGANISATION else None,
            role=role,
            tokens=[t.text for t in self.toks[first : last + 1]],
        )

    def one_label_per_name(self) -> None:
        """Give every mention of one name in the article the same type.

        The type is the one most of its mentions have; on a tie, the gazetteer decides for a
        name it knows as a place, else the first mention's type stands. One word that is the
        surname of a person the article names in full is that person (``Lennart Meri`` … ``Meri``,
        not the town of Meri).
        """
        surnames = {s.tokens[-1] for s in self.spans if s.kind == PERSON and len(s.tokens) > 1}
        for i, span in enumerate(self.spans):
            word = self.toks[span.first]
            whole = span.start == word.start and span.end == word.end
            if span.kind != PERSON and span.first == span.last and whole and word.text in surnames:
                self.spans[i] = self.span_of(span.first, span.last, PERSON)
        by_name: dict[str, list[int]] = {}
        for index, span in enumerate(self.spans):
            if span.antecedent is None and span.end > span.start:
                by_name.setdefault(self.body[span.start : span.end], []).append(index)
        for name, indices in by_name.items():
            kinds = Counter(self.spans[i].kind for i in indices)
            if len(kinds) < 2:
                continue
            ranked = kinds.most_common()
            best = ranked[0][0]
            if ranked[0][1] == ranked[1][1]:
                tied = {kind for kind, count in ranked if count == ranked[0][1]}
                place = find_place(name) if PLACE in tied else None
                large = place is not None and (place.kind != "city" or place.population >= _LARGE_CITY)
                best = PLACE if large else self.spans[indices[0]].kind
            for i in indices:
                span = self.spans[i]
                if span.kind != best:
                    relabelled = self.span_of(span.first, span.last, best)
                    relabelled.role = span.role if best == PERSON else None
                    self.spans[i] = relabelled

    def tag_repeats(self) -> None:
        """Tag the unclaimed repeats of a name the article already tagged, with the same type.

        Only names of two words or more, or one capitalised word the article never writes in
        lower case, are repeated: a tagged name is the same entity at every mention. Not run on
        Turkic copy, where repeats carry case endings the suffix rules handle (KazNERD person F1
        0.767 with it, 0.768 without).
        """
        names: dict[tuple[str, ...], str] = {}
        for span in self.spans:
            if span.antecedent is None and span.last >= span.first:
                words = tuple(t.text for t in self.toks[span.first : span.last + 1])
                if len(words) > 1 or (words[0][:1].isupper() and self.toks[span.first].key not in self.lower_words):
                    names.setdefault(words, span.kind)
        if not names:
            return
        longest = max(len(words) for words in names)
        k = 0
        while k < len(self.toks):
            for size in range(min(longest, len(self.toks) - k), 0, -1):
                words = tuple(t.text for t in self.toks[k : k + size])
                kind = names.get(words)
                if kind is None or any(self.owner[j] is not None for j in range(k, k + size)):
                    continue
                if any(not self.joined(j) for j in range(k, k + size - 1)):
                    continue
                self.add(self.span_of(k, k + size - 1, kind))
                k += size - 1
                break
            k += 1

    def run(self, found: list[ModelSpan] | None = None) -> list[_Span]:
        """Find the article's mentions: rules, the model's names, then one label per name.

        Args:
            found: What a statistical model tagged in the body (``entity_models``), if any.
                Where the model is the stronger reader (``MODEL_FIRST``), its names are
                claimed before the rules run; elsewhere the rules run first (they know the
                project's titles, roles, gazetteer and lexicon) and the model fills the gaps.
        """
        model_first = self.language in MODEL_FIRST
        self.find_place_windows()
        if found and model_first:
            self.add_model_spans(found, known_places_only=True)
        self.split_titles()
        self.find_known_orgs(min_words=2)
        self.find_orgs()
        self.find_acronyms()
        self.find_known_orgs()
        self.claim_places()
        self.find_people()
        self.resolve_short_names()
        if found:
            self.add_model_spans(found)
        self.one_label_per_name()
        if not self.turkic:
            self.tag_repeats()
        return self.spans


# ----- identity ----------------------------------------------------------------------------


def _known_org(name: str) -> KnownOrg | None:
    index = known_orgs()
    key = fold_key(name)
    if key in index:
        return index[key]
    stripped = re.sub(r"^the\s+", "", key)
    stripped = re.sub(r"['’]s\b", "", stripped)
    return index.get(stripped)


def entity_key(entity_type: str, name: str) -> str:
    """Return the canonical key an entity's id is derived from.

    Args:
        entity_type: person, organisation or place.
        name: The entity's name in any spelling or script (``Hacıyev``, ``Гаджиев``,
            ``Turkey``, ``OTS``).

    Returns:
        For a person, the consonant skeleton of the name (``hkmt hjv``); for an
        organisation, the lexicon's key when it knows the name or acronym, else the
        normalised name (``organization of turkic states``); for a place, the gazetteer id
        (``country:TR``, ``city:AZ:baku``, ``region:karabakh``), else ``name:`` and the
        latinised name.

    Raises:
        ValueError: The entity type is not one of ``ENTITY_TYPES``.
    """
    if entity_type == PERSON:
        return name_skeleton(name)
    if entity_type == ORGANISATION:
        known = _known_org(name)
        return known.key if known else org_skeleton(name)
    if entity_type == PLACE:
        place = find_place(name)
        return place.key if place else f"name:{latinise(name)}"
    raise ValueError(f"unknown entity type {entity_type!r}")


def entity_id_for(entity_type: str, name: str) -> str:
    """Return the stable id of an entity named in any spelling or script.

    Args:
        entity_type: person, organisation or place.
        name: The entity's name (``Türkiye`` and ``Turkey`` give one id).

    Returns:
        The first 16 hex digits of ``sha256(f"{entity_type}:{entity_key(entity_type, name)}")``.
    """
    return stable_id(entity_type, entity_key(entity_type, name))


@dataclass
class _Entity:
    kind: str
    key: str
    names: list[str]
    canonical: str = ""
    place: Place | None = None


def _person_canonical(names: list[str]) -> str:
    """The fullest Latin spelling (most words; the first written wins a tie), else a transliteration."""
    latin = [n for n in names if latinise(n) and not has_cyrillic(n)]
    pool = latin or [display_latin(" ".join(russian_name_stem(w) for w in n.split())) for n in names]
    return max(pool, key=lambda n: len(n.split()))


def _merge_people(spans: list[_Span]) -> dict[int, int]:
    """Map each person span to the span that stands for its entity (the fullest name)."""
    people = [i for i, s in enumerate(spans) if s.kind == PERSON and s.antecedent is None]
    rep: dict[int, int] = {}
    for i in people:
        skeleton = name_skeleton(" ".join(spans[i].tokens))
        words = skeleton.split()
        match = None
        for j in people:
            if j == i or (j in rep and rep[j] != j):
                continue
            other = name_skeleton(" ".join(spans[j].tokens))
            other_words = other.split()
            if len(other_words) < len(words) or j == i:
                continue
            same = other == skeleton or fuzz.ratio(other, skeleton) >= _FUZZY_SAME
            contained = (
                len(other_words) > len(words) and words[-1] == other_words[-1] and set(words) <= set(other_words)
            )
            if (same or contained) and (len(other_words), -spans[j].start) > (len(words), -spans[i].start):
                match = j
        rep[i] = match if match is not None else i
    for i, s in enumerate(spans):
        if s.kind == PERSON and s.antecedent is not None:
            rep[i] = rep.get(s.antecedent, s.antecedent)
    # Follow chains to the root.
    for i in list(rep):
        j = rep[i]
        seen = {i}
        while rep.get(j, j) != j and j not in seen:
            seen.add(j)
            j = rep[j]
        rep[i] = j
    return rep


def _entities(spans: list[_Span]) -> list[_Entity]:
    """Group the spans into entities and name each; return one entity per span."""
    people = _merge_people(spans)
    groups: dict[tuple[str, str], _Entity] = {}
    out: list[_Entity] = []
    person_groups: dict[int, _Entity] = {}
    for i, span in enumerate(spans):
        if span.kind == PLACE and span.place is not None:
            entity = groups.setdefault((PLACE, span.place.key), _Entity(PLACE, span.place.key, [], place=span.place))
        elif span.kind == PLACE:
            name = " ".join(span.tokens)
            key = f"name:{latinise(name)}"
            entity = groups.setdefault((PLACE, key), _Entity(PLACE, key, [], canonical=display_latin(name)))
        elif span.kind == ORGANISATION:
            name = span.org or ""
            known = span.org_known or _known_org(name)
            key = known.key if known else org_skeleton(name)
            for kind, other in groups:
                if kind == ORGANISATION and other != key and fuzz.ratio(other, key) >= 94:
                    key = other
                    break
            entity = groups.setdefault((ORGANISATION, key), _Entity(ORGANISATION, key, []))
            if known:
                entity.canonical = known.name
        else:
            root = people.get(i, i)
            entity = person_groups.setdefault(root, _Entity(PERSON, "", []))
        entity.names.append(span.org or " ".join(span.tokens) if span.kind != PLACE else "")
        out.append(entity)
    for entity in {id(e): e for e in out}.values():
        if entity.kind == PLACE:
            if entity.place is not None:
                entity.canonical = entity.place.name
        elif entity.kind == ORGANISATION:
            if not entity.canonical:
                names = [re.sub(r"^(?:the|The)\s+", "", n) for n in entity.names if n]
                entity.canonical = display_latin(max(names, key=len))
        else:
            entity.canonical = _person_canonical([n for n in entity.names if n])
            entity.key = name_skeleton(entity.canonical)
    return out


def extract_mentions(article: ArticleText) -> list[Mention]:
    """Find the people, organisations and places an article's body names.

    Args:
        article: The article; ``language`` steers Turkic suffix handling (guessed from
            the letters when None).

    Returns:
        The mentions in body order, each with ``body[char_start:char_end] == surface``, a
        stable ``entity_id``, the entity's canonical Latin name, the role written next to a
        person, and a place's ISO country and coordinates where the gazetteer has them.
    """
    body = article.body
    if not body:
        return []
    language = guess_language(body, article.language)
    extractor = _Extractor(body, language)
    spans = extractor.run(model_spans(body, language))
    entities = _entities(spans)
    mentions: list[Mention] = []
    seen: set[tuple[int, int, str]] = set()
    for span, entity in sorted(zip(spans, entities, strict=True), key=lambda pair: (pair[0].start, pair[0].end)):
        if (span.start, span.end, span.kind) in seen or span.end <= span.start:
            continue
        seen.add((span.start, span.end, span.kind))
        key = entity.key if entity.kind != PERSON else name_skeleton(entity.canonical)
        place = entity.place
        mentions.append(
            Mention(
                article_id=article.article_id,
                entity_id=stable_id(entity.kind, key),
                entity_type=entity.kind,
                canonical_name=entity.canonical,
                surface=body[span.start : span.end],
                char_start=span.start,
                char_end=span.end,
                role=span.role,
                country=place.country if place else None,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
            )
        )
    return mentions
