"""Cue detection: the reporting verbs of a paragraph outside quote marks, with their category and sentence."""

from __future__ import annotations

import re
from itertools import pairwise

from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import ACCORDING, PART, PART_BARE, cue_table, cue_widths
from media_etl.enrich.quotes.phrases import tokens_in
from media_etl.enrich.quotes.records import Cue


def cues(ctx: Context, paragraph: int) -> list[Cue]:
    """The cue verbs of a paragraph, outside quote marks (computed once per paragraph)."""
    if paragraph not in ctx.cue_cache:
        ctx.cue_cache[paragraph] = find_cues(ctx, paragraph)
    return ctx.cue_cache[paragraph]


def find_cues(ctx: Context, paragraph: int) -> list[Cue]:
    """Scan a paragraph for cues: the longest cue phrase at each word, outside quote marks."""
    start, end = ctx.paragraphs[paragraph]
    table = cue_table()
    widths = cue_widths()
    tokens = tokens_in(ctx.masked, start, end)
    found = []
    index = 0
    while index < len(tokens):
        # The longest phrase of up to 3 words, separated by spaces only, that is a cue.
        match: tuple[int, str] | None = None
        longest = widths.get(tokens[index].key, 0)
        for width in range(longest, 0, -1):
            words = tokens[index : index + width]
            if len(words) < width or any(ctx.masked[a.end : b.start].strip() for a, b in pairwise(words)):
                continue
            category = table.get(" ".join(t.key for t in words))
            if category is not None:
                match = (width, category)
                break
        if match is None:
            index += 1
            continue
        width, category = match
        first, last = tokens[index], tokens[index + width - 1]
        index += width
        sentence = ctx.sentence(paragraph, first.start)
        # A capitalised cue is a name ("Said"), unless it opens the sentence: "Saying that", "По словам".
        if first.text[0].isupper() and (category not in (PART, PART_BARE, ACCORDING) or first.start != sentence[0]):
            continue
        if re.search(r"(?<![\w])to\s+$", ctx.masked[max(start, first.start - 4) : first.start]):
            continue  # "went on to say", "shifted his account to say"
        found.append(Cue(first.start, last.end, ctx.body[first.start : last.end], category, sentence))
    return found
