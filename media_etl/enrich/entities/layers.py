"""A statistical model's names on top of the rules, and one label per name per article."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from media_etl.enrich.entities.gazetteer import (
    find_place,
)
from media_etl.enrich.entities.models import ModelSpan
from media_etl.enrich.entities.people import PeopleRules
from media_etl.enrich.entities.state import (
    LARGE_CITY,
    Span,
)
from schemas.vocabularies import ORGANISATION, PERSON, PLACE

_OPENING_QUOTES = frozenset("“\"«‘'„")
_CLOSING_QUOTES = frozenset("”\"»’'“")


_SCORE = re.compile(r" \d{1,3}(?:-\d{1,3})?(?: declared| and \d|[,;.)]| \(| [A-Z]|$)", re.MULTILINE)
"""A score after a team's name: ``532-8 declared``, ``2 (Wouden 53rd)``, ``280 and 27-4``, ``3 PSV``."""


class ModelLayer(PeopleRules):
    """A statistical model's names on top of the rules, and one label per name per article."""

    # ----- all steps -----------------------------------------------------------------------

    def add_model_spans(self, found: list[ModelSpan], *, known_places_only: bool = False) -> None:
        """Claim the names a statistical model tagged, where no rule has claimed a token yet.

        A one-word name the article also writes in lower case is a common word at the start
        of a line (``Attendance``, ``Qualifier``), and a unit or time zone (``GMT``) is not a
        name: neither is kept.
        """
        starts = [t.start for t in self.toks]
        if self.language == "ru":
            found = self.with_genitive_places(found, starts)
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
            if not self.model_name_ok(first, last, span.kind):
                continue
            mention = self.span_of(first, last, self.checked_kind(first, last, span.kind))
            if mention.kind == ORGANISATION and span.end == self.toks[last].full_end > mention.end:
                # The model kept the possessive the tokenizer cut: it belongs to the firm's name
                # (Lloyd's, Moody's); on a person or a place it is the possessive (Clinton's).
                mention.end = span.end
                mention.org = self.body[mention.start : mention.end]
            if known_places_only and mention.kind == PLACE and mention.place is None:
                # An inflected place (Казахстана, Астане): the rules' case-ending lookup claims it
                # now, so a title before a name can take it as its complement.
                if first == last and (self.turkic or self.toks[first].cyrillic):
                    self.inflected_place(first)
                continue
            self.add(mention)

    def with_genitive_places(self, found: list[ModelSpan], starts: list[int]) -> list[ModelSpan]:
        """Join a Russian organisation and the country or region after it in the genitive.

        ``МИД России``, ``МВД Украины``, ``ФСБ России``: the place names whose ministry or service
        it is, and is part of the organisation's name (the place is tagged inside it as well, by
        ``places_inside_organisations``). natasha tags the two apart.
        """
        joined: list[ModelSpan] = []
        for span in found:
            previous = joined[-1] if joined else None
            if (
                previous is not None
                and previous.kind == ORGANISATION
                and span.kind == PLACE
                and self.body[previous.end : span.start] == " "
            ):
                k = bisect_left(starts, span.start)
                place = (
                    self.russian_place(self.toks[k]) if k < len(self.toks) and self.toks[k].end == span.end else None
                )
                if place is not None and place.kind in {"country", "region"}:
                    joined[-1] = ModelSpan(previous.start, span.end, ORGANISATION)
                    continue
            joined.append(span)
        return joined

    def model_name_ok(self, first: int, last: int, kind: str) -> bool:
        """Tell whether a model's span over tokens first..last can be a name.

        Not a name: a nationality word (``Azerbaijani``); a phrase of words the article also
        writes in lower case or generic organisation words only (``Media Relations``,
        ``Supervisory Board``); a time zone or unit (lexicon ``not_names``); and one word at
        the start of a sentence that the gazetteer does not know and the article never
        capitalises elsewhere (``Benefitting``); the first words of a quoted title
        (“Media Opportunities within …”).
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
        # The start of a quoted title is not a name (on “Media Opportunities within the …”).
        start, end = words[0].start, words[-1].end
        if start > 0 and self.body[start - 1] in _OPENING_QUOTES and self.body[end : end + 1] not in _CLOSING_QUOTES:
            return False
        # Words before a title head are part of the role (``Media Relations`` Manager).
        if last + 1 < len(self.toks) and self.joined(last) and self.is_title(self.toks[last + 1]):
            return False
        if kind == PLACE and self.english and first == last and words[0].initial and find_place(words[0].text) is None:
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
        if place.kind in {"country", "region"} or (kind == PERSON and place.population >= LARGE_CITY):
            return PLACE
        return kind

    def span_of(self, first: int, last: int, kind: str) -> Span:
        """A new mention of the given type over tokens first..last, with its place or organisation name."""
        start, end = self.toks[first].start, self.toks[last].end
        text = self.body[start:end]
        role = None
        if kind == PERSON:
            # Turkic copy puts titles before names; a comma after a name ends the subject there.
            roles = [r for r in (self.title_before(first), None if self.turkic else self.apposition(last)) if r]
            role = "; ".join(roles) if roles else None
        return Span(
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

    def teams_in_results(self) -> None:
        """Read a town or region followed by a score as the team that plays for it.

        In sports results (``Essex 532-8 declared``, ``Heerenveen 2 Ajax 0``, ``Barcelona 3``) a
        place name directly before a score names a club or a county side, an organisation. A
        country stays a place: national sides are written as their country. A person's name
        before a figure (``G. Gooch 111``) is left alone.
        """
        for i, span in enumerate(self.spans):
            if span.kind != PLACE or span.place is None or span.place.kind == "country":
                continue
            if _SCORE.match(self.body, span.end):
                self.spans[i] = self.span_of(span.first, span.last, ORGANISATION)

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
                large = place is not None and (place.kind != "city" or place.population >= LARGE_CITY)
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
