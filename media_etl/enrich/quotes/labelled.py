"""Words labelled with their speaker and a colon, as in transcripts and live blogs.

``TRUMP: The deaths of …``, ``Alex Seitz-Wald: She is right …`` and ``… - Carl Bialik: “One of the
biggest lessons …”``: a name, a colon, then what the person said. The words after the colon are a
direct quote (without the marks, when they have them) and the name is its speaker, when the name
resolves to a person or an organisation of the article: ``Giriş: 16 Eylül`` (*Entry:*) or
``UPDATE: …`` name no one and stay ordinary text. A quote the other rules found over the same words
takes the labelled speaker when it had none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.phrases import tokens_in
from media_etl.enrich.quotes.speakers import resolve
from media_etl.enrich.records import Quote
from schemas.vocabularies import DIRECT, ORGANISATION, PERSON

_LABEL = re.compile(
    r"(?:^|(?<=\s[-–—]\s))(?P<name>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}):\s+(?P<said>\S)",
    re.MULTILINE,
)
_MARKS = "\"“«„'‘"
_MIN_WORDS = 3


def labelled_quotes(ctx: Context, found: Sequence[Quote]) -> list[Quote]:
    """Add the labelled lines' quotes, and give their speaker to a found quote over the same words.

    Args:
        ctx: The article being read.
        found: The quotes the other rules found.

    Returns:
        The found quotes (some with a speaker now) and the new direct quotes.
    """
    kept = list(found)
    for p_start, p_end in ctx.paragraphs:
        for match in _LABEL.finditer(ctx.body, p_start, p_end):
            name_start, name_end = match.span("name")
            speaker = resolve(ctx, tokens_in(ctx.masked, name_start, name_end), name_start)
            if speaker is None or speaker.entity_type not in (PERSON, ORGANISATION):
                continue
            start = match.start("said")
            end = _quote_end(ctx, start, p_end)
            if start < end and ctx.body[start] in _MARKS:
                start += 1
            if ctx.words(start, end) < _MIN_WORDS:
                continue
            same = [i for i, q in enumerate(kept) if q.char_start < end and start < q.char_end]
            if same:
                for i in same:
                    if kept[i].speaker_surface is None and kept[i].kind == DIRECT:
                        kept[i] = replace(
                            kept[i],
                            speaker_surface=speaker.surface,
                            speaker_entity_id=speaker.entity_id,
                            speaker_name=speaker.name,
                        )
                continue
            kept.append(ctx.quote(start, end, DIRECT, None, speaker))
    return kept


def _quote_end(ctx: Context, start: int, p_end: int) -> int:
    """Where the labelled words end: the closing mark of a quote that opens them, else the paragraph end."""
    for span in ctx.spans:
        if span.open == start:
            return span.close
    end = p_end
    while end > start and (ctx.body[end - 1].isspace() or ctx.body[end - 1] in _MARKS):
        end -= 1
    return end
