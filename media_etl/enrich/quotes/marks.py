"""Which attribution a quoted span belongs to: a cue at its marks, a lead-in sentence, a clause, a signature."""

from __future__ import annotations

import re
from collections.abc import Sequence

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import (
    CALLED,
    NP_STOPS,
    PART,
    PART_BARE,
    SAY,
    THAT,
    TURKIC,
    TURKIC_HELPERS,
    VERB,
    cue_category,
)
from media_etl.enrich.quotes.people import is_person
from media_etl.enrich.quotes.phrases import adjunct_only, tokens_in
from media_etl.enrich.quotes.records import Attribution, Span, Speaker
from media_etl.enrich.quotes.spans import MASK, SENTENCE_FINAL
from media_etl.enrich.quotes.speakers import resolve


def at_marks(ctx: Context, span: Span, attributions: Sequence[Attribution]) -> Attribution | None:
    """An attribution whose cue or speaker stands right at the quote's marks."""
    masked = ctx.masked
    best: Attribution | None = None
    for attribution in attributions:
        cue = attribution.cue
        following = tokens_in(masked, cue.end, min(cue.sentence[1], cue.end + 40))[:2]
        if (
            following
            and following[0].key == "to"
            and not masked[cue.end : following[0].start].strip()
            and (len(following) < 2 or following[1].key not in {"reporters", "journalists", "the", "a", "an"})
            and not (len(following) > 1 and following[1].capitalised)
        ):
            continue  # "continued to sign up", "added to the list": not speech
        if (
            span.closed
            and cue.start > span.close
            # “…?” Schiff asked.: the capital after ?” started a new sentence at the mark
            and (
                cue.sentence[0] <= span.close
                or (
                    not masked[span.close + 1 : cue.sentence[0]].strip()
                    and (ctx.body[span.close - 1] in "?!…—–" or attribution.clause is None)
                )
            )
            and cue.category not in (CALLED, PART, PART_BARE)
        ):
            gap = masked[span.close + 1 : cue.start]
            speaker_pos = attribution.speaker.position
            if re.fullmatch(r"[\s,.:—–\-]*", gap):
                return attribution
            tokens = tokens_in(masked, span.close + 1, cue.start)
            helpers = {fold_key(h) for h in TURKIC_HELPERS}
            if tokens and all(t.key in helpers for t in tokens) and re.fullmatch(r"[\s,.:—–\-\w]*", gap):
                return attribution
            lead_words = tokens_in(masked, span.close + 1, attribution.start)
            if (
                span.close < attribution.start < cue.start
                and len(lead_words) <= 4
                and all(t.key not in NP_STOPS and not t.capitalised for t in lead_words)
                and not any(ch in gap for ch in '!?…“”«»„"\x00;:')
                and not re.search(r"[^A-Z]\.\s", gap)
            ):
                return attribution  # “…,” study lead author Lucas Paganini, a scientist at …, said
            between = tokens_in(masked, span.close + 1, cue.start)
            written = [t for t in between if t.start >= attribution.start or t.start >= speaker_pos]
            modifiers = between[: len(between) - len(written)]
            if (
                span.close < speaker_pos < cue.start
                and re.fullmatch(r"[\s,.:—–\-]*[^.,;:!?…“”«»„\"\x00]*", gap)
                and len(modifiers) <= 3
                and all(t.key not in NP_STOPS and not cue_category(t.text) for t in modifiers)
            ):
                return attribution
            if (
                cue.category == TURKIC
                and re.fullmatch(r"[\s,—–\-]*(?:\S+\s+){0,2}", gap)
                and not any(ch in gap for ch in SENTENCE_FINAL + "“«„" + MASK)
            ):
                best = best or attribution
        if cue.end <= span.open:
            gap = masked[cue.end : span.open]
            if re.fullmatch(r"[\s,:]*(?:(?:that|что|ki)\s*[,:]?\s*)?", gap, re.IGNORECASE):
                return attribution
            if (
                cue.category == CALLED
                and re.fullmatch(
                    r"\s*(?:as\s+)?(?:(?:the|a|an|it|this|that|him|her|them|his|its|their)\s+)?(?:[\w\-]+\s+){0,3}(?:as\s+)?",
                    gap,
                    re.IGNORECASE,
                )
                and MASK not in gap
            ):
                return attribution
            if (
                cue.category in (SAY, VERB, PART)
                and re.fullmatch(r"\s+(?:[\w’'\-]+\s+){0,6}?[\w’'\-.]+\s*[,:]\s*", gap)
                and MASK not in gap
                and not any(
                    t.key in THAT or t.key in {"and", "but", "which", "who"}
                    for t in tokens_in(masked, cue.end, span.open)
                )
                and (gap.rstrip().endswith(":") or fold_key(cue.text) in {"told", "tells", "telling", "asked"})
            ):
                return attribution
    return best


def signature(ctx: Context, span: Span) -> Speaker | None:
    """A quote signed with a dash at the end of its paragraph: "“…” — Neil Gaiman"."""
    p_end = ctx.paragraphs[span.paragraph][1]
    if not span.closed or not re.fullmatch(
        r"\s*[—–-]\s*[^\W\d_][^.!?;:“”«»\"]{0,60}", ctx.body[span.close + 1 : p_end]
    ):
        return None
    name = tokens_in(ctx.masked, span.close + 1, p_end)
    if not name or not is_person(ctx, name[:4]):
        return None
    return resolve(ctx, name[:4], span.close + 1, prefer_last=False)


def lead_in(ctx: Context, span: Span, attributions: Sequence[Attribution]) -> Attribution | None:
    """A sentence that only says who speaks, right before the quote: "Smith said in a statement. “…”"."""
    for attribution in attributions:
        s_end = attribution.cue.sentence[1]
        tail = tokens_in(ctx.masked, attribution.cue.end, s_end)
        final = adjunct_only(tail, ctx.masked[attribution.cue.end : s_end].rstrip(SENTENCE_FINAL + " "))
        if (
            (attribution.clause is None or final or attribution.cue.category in (SAY, VERB))
            and s_end <= span.open
            and not ctx.masked[s_end : span.open].strip()
            and attribution.cue.category in (SAY, VERB)
        ):
            return attribution
    return None


def in_clause(ctx: Context, span: Span, attributions: Sequence[Attribution]) -> Attribution | None:
    """The attribution whose reported clause holds the quoted span (rule 2)."""
    for attribution in attributions:
        if attribution.clause and attribution.clause[0] <= span.open and span.close <= attribution.clause[1] + 1:
            return attribution
    return None
