"""People: names after titles, with cues, roles written beside them, and surname-only mentions."""

from __future__ import annotations

from media_etl.enrich.entities.organisations import OrganisationRules
from media_etl.enrich.entities.state import (
    MAX_PERSON_TOKENS,
    MAX_ROLE_TOKENS,
    PATRONYMIC_ENDINGS,
    ROLE_BREAK,
    TITLE_CONNECTORS,
    Span,
)
from media_etl.text.names import (
    latinise,
    name_skeleton,
)
from media_etl.text.tokens import Token
from schemas.vocabularies import ORGANISATION, PERSON, PLACE


class PeopleRules(OrganisationRules):
    """People: names after titles, with cues, roles written beside them, and surname-only mentions."""

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
            if self.surname_like(toks[k]) and not toks[k].key.endswith(PATRONYMIC_ENDINGS):
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
            elif tok.key not in lex.connectors and tok.key not in TITLE_CONNECTORS:
                break
            if tok.initial:
                break
            k -= 1
        if first is None or not has_title or (needs_of and not title_of):
            return None
        # Drop connectors and articles left dangling at the front.
        while first < a and (toks[first].key in lex.connectors or toks[first].key in TITLE_CONNECTORS):
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
        while j + 1 < len(toks) and count < MAX_ROLE_TOKENS:
            gap = self.body[toks[j].end : toks[j + 1].start]
            nxt = toks[j + 1]
            depth += gap.count("(") - gap.count(")")
            if depth < 0 or ROLE_BREAK.search(gap) or (j + 1) in self.strong_people:
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
            if b - a + 1 > MAX_PERSON_TOKENS + 1:
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
                if b - a + 1 > MAX_PERSON_TOKENS and not strong:
                    continue
            roles = [r for r in (title, role) if r]
            words = [toks[k].text for k in range(a, b + 1)]
            end = toks[b].end
            if self.turkic and not toks[b].closed:
                stem = self._surname_stem(toks[b])
                if stem:
                    words[-1] = stem
                    end = toks[b].start + len(stem)
            span = Span(
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
            span = Span(k, k, PERSON, tok.start, tok.end, antecedent=ref, tokens=[tok.text])
            self.add(span)
