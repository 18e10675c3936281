"""Places: the longest gazetteer name at each capitalised word, hyphenated pairs and case endings."""

from __future__ import annotations

import re

from media_etl.enrich.entities.gazetteer import (
    REGION_COUNTRIES,
    Place,
    find_place,
)
from media_etl.enrich.entities.state import (
    REGION_WORDS,
    RUSSIAN_ENDINGS,
    RUSSIAN_NOMINATIVE,
    ExtractorState,
    Span,
)
from media_etl.text.tokens import Token
from schemas.vocabularies import ORGANISATION, PLACE


class PlaceRules(ExtractorState):
    """Places: the longest gazetteer name at each capitalised word, hyphenated pairs and case endings."""

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
        if not self.turkic or self.language == "tr" or first == last:
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
                if not region_word.cap and region_word.key.startswith(REGION_WORDS):
                    stop = end + 1
                    char_end = region_word.end
                    # Солтүстік Қазақстан облысы: the compass word belongs to the region's name.
                    while k > 0 and self.joined(k - 1) and toks[k - 1].cap and self.owner[k - 1] is None:
                        if self.is_function(toks[k - 1]):
                            break
                        k -= 1
            self.add(Span(k, stop, PLACE, toks[k].start, char_end, place=place))
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
            self.spans.append(Span(k, k, PLACE, start, end, place=place))
        self.owner[k] = len(self.spans) - 1

    def inflected_place(self, k: int) -> None:
        """Tag a place under a case ending: ``Bakıda`` → Bakı, ``Астане`` → Астана."""
        tok = self.toks[k]
        word = tok.text
        low = tok.key
        # Turkish writes an apostrophe before the case ending of a name (Bakü'de, the tokenizer cuts
        # it), so there a word without one is whole: Sanayi is industry, not Sana (Sanaa) + -yi.
        if (self.turkic and self.language != "tr") or (tok.cyrillic and self.language != "ru"):
            for suffix in self.lex.turkic_suffixes:
                if low.endswith(suffix) and len(low) - len(suffix) >= 3:
                    stem = word[: len(word) - len(suffix)]
                    place = find_place(stem)
                    # A stem that is a town far away is more likely a word: Chase → Chas (India).
                    if place and (
                        place.kind != "city" or place.country in REGION_COUNTRIES or place.population >= 10**6
                    ):
                        self.add(Span(k, k, PLACE, tok.start, tok.start + len(stem), place=place))
                        return
        if tok.cyrillic:
            place = self.russian_place(tok)
            if place is not None:
                self.add(Span(k, k, PLACE, tok.start, tok.end, place=place))

    def russian_place(self, tok: Token) -> Place | None:
        """The place a Cyrillic word names in any case form (Астане, России → Россия), or None."""
        word, low = tok.text, tok.key
        for ending in RUSSIAN_ENDINGS:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                stem = word[: len(word) - len(ending)]
                for nominative in RUSSIAN_NOMINATIVE:
                    place = find_place(stem + nominative)
                    if place:
                        return place
        return None

    def places_inside_organisations(self) -> None:
        """Tag the place inside a Russian organisation's name as a mention of its own.

        Russian names the country or city of an institution after it, in the genitive (МИД России,
        мэрия Москвы), where English puts it first (Russia's Foreign Ministry) and the place is a
        mention of its own; so it is here too, inside the organisation's span.
        """
        for span in list(self.spans):
            if span.kind != ORGANISATION:
                continue
            for k in range(span.first + 1, span.last + 1):
                tok = self.toks[k]
                if not (tok.cap and tok.cyrillic) or self.is_function(tok):
                    continue
                place = find_place(tok.text) or self.russian_place(tok)
                if (place is not None and place.kind != "city") or (place is not None and place.population >= 100_000):
                    self.spans.append(Span(k, k, PLACE, tok.start, tok.end, place=place))
