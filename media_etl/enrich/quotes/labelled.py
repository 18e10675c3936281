"""Words labelled with their speaker and a colon, as in transcripts and live blogs.

``TRUMP: The deaths of …``, ``Alex Seitz-Wald: She is right …`` and ``… - Carl Bialik: “One of the
biggest lessons …”``: a name, a colon, then what the person said. The words after the colon are a
direct quote (without the marks, when they have them) and the name is its speaker, when the name
resolves to a person or to an organisation the entity stage tagged, and the words read as speech:
six words or more, not in Title Case, not a list that starts with a number. ``Giriş: 16 Eylül``
(*Entry:*), ``UPDATE: …`` and ``WP: Virtual Private Network (VPN)`` stay ordinary text. A quote
the other rules found over the same words takes the labelled speaker when it had none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.direct import is_title_case
from media_etl.enrich.quotes.phrases import tokens_in
from media_etl.enrich.quotes.records import Speaker
from media_etl.enrich.quotes.speakers import resolve
from media_etl.enrich.records import Quote
from schemas.vocabularies import DIRECT, ORGANISATION, PERSON

_LABEL = re.compile(
    r"(?:^|(?<=\s[-–—]\s))(?P<name>[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}):\s+(?P<said>\S)",
    re.MULTILINE,
)
_MARKS = "\"“«„'‘"
_MIN_WORDS = 6
"""Fewer words after a label are a title or a list ("Manfred Frank: Was ist Neostrukturalismus?")."""


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
            if speaker is None or not _names_someone(speaker):
                continue
            start = match.start("said")
            end = _quote_end(ctx, start, p_end)
            if start < end and ctx.body[start] in _MARKS:
                start += 1
            if ctx.words(start, end) < _MIN_WORDS or ctx.body[start].isdigit() or is_title_case(ctx, start, end):
                continue  # "WP: Virtual Private Network (VPN)", "Portion Fix Containers: 1 Green, 1 Red"
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


def _names_someone(speaker: Speaker) -> bool:
    """A label names someone when it is a person, or an organisation the entity stage tagged."""
    return speaker.entity_type == PERSON or (speaker.entity_type == ORGANISATION and speaker.entity_id is not None)


def _quote_end(ctx: Context, start: int, p_end: int) -> int:
    """Where the labelled words end: the closing mark of a quote that opens them, else the paragraph end."""
    for span in ctx.spans:
        if span.open == start:
            return span.close
    end = p_end
    while end > start and (ctx.body[end - 1].isspace() or ctx.body[end - 1] in _MARKS):
        end -= 1
    return end
