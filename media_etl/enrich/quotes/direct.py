"""Direct quotes: which quoted spans are speech, and whose (rules 1-6 of docs/quotes.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import TITLE_AFTER, TITLE_BEFORE
from media_etl.enrich.quotes.marks import at_marks, in_clause, lead_in, signature
from media_etl.enrich.quotes.records import Attribution, Span
from media_etl.enrich.quotes.spans import SENTENCE_FINAL
from media_etl.enrich.records import Quote
from schemas.vocabularies import DIRECT


def inner_offsets(ctx: Context, span: Span) -> tuple[int, int] | None:
    """The offsets of the text between a span's marks, without spaces and a trailing comma; None if empty."""
    start, end = span.open + 1, span.close
    while start < end and ctx.body[start].isspace():
        start += 1
    while end > start and (ctx.body[end - 1].isspace() or ctx.body[end - 1] in ",;"):
        end -= 1
    if end <= start:
        return None
    return start, end


def is_title_case(ctx: Context, start: int, end: int) -> bool:
    """Most words of 3+ letters after the first are capitalised: “The One I Love”, “Media Opportunities …”."""
    words = [w for w in re.findall(r"[^\W\d_][\w’'\-]*", ctx.body[start:end])[1:] if len(w) >= 3]
    if not words:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.6


def title_marked(ctx: Context, span: Span) -> bool:
    """A naming word right before or after the marks, or a short subheading paragraph."""
    p_start, p_end = ctx.paragraphs[span.paragraph]
    before = ctx.masked[max(p_start, span.open - 40) : span.open]
    if TITLE_BEFORE.search(before):
        return True
    if span.closed and TITLE_AFTER.match(ctx.body[span.close + 1 : span.close + 30]):
        return True
    outside = (ctx.body[p_start : span.open] + ctx.body[span.close + 1 : p_end]).strip(" .,;:")
    inner = inner_offsets(ctx, span)
    if not outside and inner:
        text = ctx.body[inner[0] : inner[1]].rstrip('”’»"')
        if text and text[-1] not in SENTENCE_FINAL and ctx.words(*inner) <= 10:
            return True
    return False


def speech_like(ctx: Context, span: Span) -> bool:
    """Tell whether a quoted span reads as speech: at least 3 words and not Title Case."""
    inner = inner_offsets(ctx, span)
    return inner is not None and ctx.words(*inner) >= 3 and not is_title_case(ctx, *inner)


def direct_quotes(
    ctx: Context,
    paragraph: int,
    attributions: Sequence[Attribution],
    pending: Attribution | None,
    previous: Quote | None,
) -> list[Quote]:
    """The direct quotes of a paragraph, each with its speaker when one is found.

    Args:
        ctx: The article being read.
        paragraph: The paragraph's index.
        attributions: The paragraph's attributions (see ``attribution.paragraph_attributions``).
        pending: The attribution of a colon cue that ended the paragraph before, if any.
        previous: The last quote of the paragraph before, None when that paragraph had none.

    Returns:
        The direct quotes in body order, without their marks.
    """
    spans = [s for s in ctx.spans if s.paragraph == paragraph]
    direct: dict[int, tuple[Quote, bool]] = {}
    _at_marks_or_in_clause(ctx, paragraph, spans, attributions, pending, direct)
    _from_context(ctx, paragraph, spans, attributions, previous, direct)
    return [direct[i][0] for i in sorted(direct)]


def _at_marks_or_in_clause(
    ctx: Context,
    paragraph: int,
    spans: Sequence[Span],
    attributions: Sequence[Attribution],
    pending: Attribution | None,
    direct: dict[int, tuple[Quote, bool]],
) -> None:
    """Rules 1 and 2: a quote attributed at its marks (or by a colon cue before), or inside a reported clause.

    ``direct`` maps a span's index to its quote and whether the quote was attributed by a cue.
    """
    for index, span in enumerate(spans):
        inner_span = inner_offsets(ctx, span)
        if inner_span is None or title_marked(ctx, span):
            continue
        attribution = at_marks(ctx, span, attributions)
        if attribution is None and pending is not None and index == 0:
            p_start = ctx.paragraphs[paragraph][0]
            if not ctx.masked[p_start : span.open].strip():
                attribution = pending
        if attribution is not None:
            direct[index] = (ctx.quote(*inner_span, DIRECT, attribution, attribution.speaker), True)
            continue
        if ctx.words(*inner_span) <= 2 or is_title_case(ctx, *inner_span):
            continue
        enclosing = in_clause(ctx, span, attributions)
        if enclosing is not None and speech_like(ctx, span):
            first = ctx.body[inner_span[0]]
            if first.islower() or ctx.words(*inner_span) >= 6 or not first.isalpha():
                direct[index] = (ctx.quote(*inner_span, DIRECT, enclosing, enclosing.speaker), True)


def _from_context(
    ctx: Context,
    paragraph: int,
    spans: Sequence[Span],
    attributions: Sequence[Attribution],
    previous: Quote | None,
    direct: dict[int, tuple[Quote, bool]],
) -> None:
    """Rules 3-6: a lead-in sentence, another quote of the paragraph, a continued paragraph, a signature, a sentence."""
    for index, span in enumerate(spans):
        inner_span = inner_offsets(ctx, span)
        if index in direct or inner_span is None or title_marked(ctx, span) or not speech_like(ctx, span):
            continue
        lead = lead_in(ctx, span, attributions)
        if lead is not None:
            direct[index] = (ctx.quote(*inner_span, DIRECT, lead, lead.speaker), True)
            continue
        # Another quote of the paragraph, with no other speaker's attribution in between.
        attributed = [
            i
            for i in direct
            if direct[i][1]
            and not any(
                min(spans[i].close, span.close) < a.cue.start < max(spans[i].open, span.open)
                and a.speaker.name != direct[i][0].speaker_name
                for a in attributions
            )
        ]
        if attributed:
            nearest = min(attributed, key=lambda i: (abs(i - index), i > index))
            source = direct[nearest][0]
            direct[index] = (
                replace(
                    source,
                    text=ctx.body[inner_span[0] : inner_span[1]],
                    char_start=inner_span[0],
                    char_end=inner_span[1],
                ),
                False,
            )
            continue
        p_start, p_end = ctx.paragraphs[paragraph]
        alone = not (ctx.body[p_start : span.open] + ctx.body[span.close + 1 : p_end]).strip(' .,;:”’»"')
        if alone and previous is not None:
            direct[index] = (
                replace(
                    previous,
                    text=ctx.body[inner_span[0] : inner_span[1]],
                    char_start=inner_span[0],
                    char_end=inner_span[1],
                    cue_verb=None,
                ),
                False,
            )
            continue
        signed = signature(ctx, span)
        if signed is not None:
            direct[index] = (ctx.quote(*inner_span, DIRECT, None, signed), True)
            continue
        text = ctx.body[inner_span[0] : inner_span[1]].rstrip('”’»"')
        if ctx.words(*inner_span) >= 6 and text and text[-1] in SENTENCE_FINAL:
            direct[index] = (ctx.quote(*inner_span, DIRECT, None, None), False)
