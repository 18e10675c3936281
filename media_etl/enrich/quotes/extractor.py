"""The extractor's loop: paragraph by paragraph, attributions, then direct and indirect quotes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from media_etl.enrich.quotes.attribution import paragraph_attributions
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.direct import direct_quotes
from media_etl.enrich.quotes.indirect import indirect_quotes
from media_etl.enrich.quotes.labelled import labelled_quotes
from media_etl.enrich.quotes.records import Attribution
from media_etl.enrich.quotes.reported import with_reported
from media_etl.enrich.quotes.spans import single_marks
from media_etl.enrich.records import ArticleText, Mention, Quote


def extract_quotes(article: ArticleText, mentions: Sequence[Mention]) -> list[Quote]:
    """Find the direct and indirect quotes in an article's body and resolve their speakers.

    Args:
        article: The article; offsets refer to ``article.body``.
        mentions: The article's person, organisation and place mentions (may be empty: names
            are then found from capitalised words, with no entity ids).

    Returns:
        The quotes in body order (direct ones without their marks, indirect ones as the
        reported clause), each with its cue verb, its speaker as written and the resolved
        speaker; ``article.body[q.char_start:q.char_end] == q.text`` for every quote.
    """
    if not article.body.strip():
        return []
    body = single_marks(article.body)
    if body is article.body:
        return run(Context(article, mentions))
    quotes = run(Context(dataclasses.replace(article, body=body), mentions))
    return [dataclasses.replace(q, text=article.body[q.char_start : q.char_end]) for q in quotes]


def run(ctx: Context) -> list[Quote]:
    """Read an article paragraph by paragraph and collect its quotes, one per stretch of the body.

    Args:
        ctx: The article to read.

    Returns:
        The quotes sorted by offsets; of a direct and an indirect quote over the same stretch,
        the direct one.
    """
    quotes: list[Quote] = []
    previous: Quote | None = None
    pending: Attribution | None = None
    for paragraph in range(len(ctx.paragraphs)):
        attributions = paragraph_attributions(ctx, paragraph)
        spans = [s for s in ctx.spans if s.paragraph == paragraph]
        paragraph_quotes = direct_quotes(ctx, paragraph, attributions, pending, previous)
        paragraph_quotes.extend(indirect_quotes(ctx, spans, attributions))
        quotes.extend(paragraph_quotes)
        previous = max(paragraph_quotes, key=lambda q: q.char_end) if paragraph_quotes else None
        pending = _colon_cue(ctx, paragraph, attributions)
    quotes = with_reported(ctx, labelled_quotes(ctx, quotes))
    unique: dict[tuple[int, int], Quote] = {}
    for q in sorted(quotes, key=lambda q: (q.char_start, q.char_end, q.kind)):
        unique.setdefault((q.char_start, q.char_end), q)
    return list(unique.values())


def _colon_cue(ctx: Context, paragraph: int, attributions: Sequence[Attribution]) -> Attribution | None:
    """The attribution of a cue that ends a paragraph with a colon: its speaker says the next paragraph."""
    p_start, p_end = ctx.paragraphs[paragraph]
    if attributions and ctx.masked[p_start:p_end].rstrip().endswith(":"):
        last = attributions[-1]
        if last.cue.end >= p_end - 40:
            return last
    return None
