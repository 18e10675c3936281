"""Organisations: names by their head word, Cyrillic names, acronyms and the lexicon's known organisations."""

from __future__ import annotations

import re

from media_etl.clean.text import fold_key
from media_etl.enrich.entities.gazetteer import (
    KnownOrg,
    find_place,
    known_acronyms,
    known_org_first_words,
    known_orgs,
)
from media_etl.enrich.entities.places import PlaceRules
from media_etl.enrich.entities.state import (
    AMBIGUOUS_ALIASES,
    AND,
    ENGLISH_ONLY_ALIASES,
    INDEFINITE,
    RU_ADJECTIVE,
    RUSSIAN_ENDINGS,
    WEAK_HEADS,
    Span,
)
from media_etl.text.tokens import Token
from schemas.vocabularies import ORGANISATION, PLACE


class OrganisationRules(PlaceRules):
    """Organisations: names by their head word, Cyrillic names, acronyms and the lexicon's known organisations."""

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
        if gap == " " and toks[end + 1].key in AND:
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
        if start > 0 and toks[start - 1].key in INDEFINITE:
            return
        words = [toks[k] for k in range(start, end + 1) if toks[k].key not in self.lex.connectors]
        generic = all(t.key in self.lex.generic_org_words or self.is_org_head(t) for t in words)
        if generic and not extended and not (toks[start].cyrillic and not toks[start].initial):
            return
        if any(self.owner[k] is not None for k in range(start, end + 1)):
            return
        if self.english and start < end and find_place(self.text(start, end)) is not None:
            return  # a place whose name ends in a head word: West Bank, Ivory Coast
        name = self.text(start, end)
        last = toks[end]
        if self.turkic and last.key not in self.lex.org_heads:
            # Silikon Vadisi Bankasına → Silikon Vadisi Bankası: the name without its case ending.
            stem = self._turkic_stem(last.key, self.lex.org_heads)
            if stem:
                name = self.body[toks[start].start : last.start + len(stem)]
        self.add(Span(start, end, ORGANISATION, toks[start].start, toks[end].end, org=name))

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
                            self.language == "ru" and toks[k].initial and not RU_ADJECTIVE.search(toks[k].key)
                        )
                        weak = toks[k].initial and tok.key.startswith(WEAK_HEADS)
                        if not self.is_function(toks[k]) and not russian_noun and not weak:
                            self.add(Span(k, h, ORGANISATION, toks[k].start, toks[h].end, org=self.text(k, h)))
                        break
                    if self.is_function(toks[k]) or toks[k].key in self.lex.speech_verbs:
                        break
                    if self.language == "ru" and not RU_ADJECTIVE.search(toks[k].key):
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
                self.add(Span(h, end, ORGANISATION, toks[h].start, toks[end].end, org=self.text(h, end)))

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
                        span = Span(i, k - 1, ORGANISATION, toks[i].start, toks[k - 1].end, org=self.text(i, k - 1))
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
                Span(
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
                    if tok.initial and tok.key in AMBIGUOUS_ALIASES:
                        continue
                    if tok.key in ENGLISH_ONLY_ALIASES and not self.english:
                        continue
                self.add(Span(k, end, ORGANISATION, toks[k].start, toks[end].end, org=org.name, org_known=org))
                break

    def _inflected_org(self, tok: Token, index: dict[str, KnownOrg]) -> KnownOrg | None:
        """A known organisation under a case ending: ``Казинформа``, ``Kazinformun``."""
        key = tok.key
        for ending in (*self.lex.turkic_suffixes, *RUSSIAN_ENDINGS):
            if key.endswith(ending) and len(key) - len(ending) >= 4:
                found = index.get(key[: -len(ending)])
                if found is not None:
                    return found
        return None
