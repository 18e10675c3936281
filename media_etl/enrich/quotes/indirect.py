"""Reported clauses: where a cue's clause starts and ends, and which clauses are indirect quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import ADJUNCT_WORDS, NP_STOPS, PART, PART_BARE, THAT, VERB, cue_category
from media_etl.enrich.quotes.phrases import adjunct_only, tokens_in
from media_etl.enrich.quotes.records import Attribution, Cue, Span
from media_etl.enrich.quotes.spans import MASK, SENTENCE_FINAL
from media_etl.enrich.records import Quote
from schemas.vocabularies import INDIRECT


def trim(ctx: Context, clause: tuple[int, int] | None) -> tuple[int, int] | None:
    """Strip spaces, a trailing comma or full stop outside quotes, and an empty clause."""
    if clause is None:
        return None
    start, end = clause
    while start < end and (ctx.body[start].isspace() or ctx.body[start] in ",:—–-"):
        start += 1
    while end > start and (ctx.body[end - 1].isspace() or ctx.masked[end - 1] in ",.;:—–-"):
        end -= 1
    if end - start < 2:
        return None
    return start, end


def trim_clause(ctx: Context, cue: Cue) -> tuple[int, int] | None:
    """The clause after a cue up to the sentence end, when the cue takes one."""
    clause_start = after_that(ctx, cue, required=cue.category == VERB)
    if clause_start is None:
        return None
    end = cue.sentence[1]
    while end > clause_start and ctx.masked[end - 1] in SENTENCE_FINAL + " ":
        end -= 1
    return trim(ctx, (clause_start, end))


def cut(ctx: Context, attribution: Attribution, attributions: Sequence[Attribution]) -> Attribution:
    """End a clause where the next attribution starts after a conjunction: "… it depends, but he said …"."""
    if attribution.clause is None:
        return attribution
    start, end = attribution.clause
    for other in attributions:
        if other is attribution or not start < other.start < end:
            continue
        joint = re.search(
            r"(?:[,;][”»\"’]?\s*(?:but|and|while|whereas|а|но|и)?|\s(?:but|while|whereas))\s*$",
            ctx.masked[start : other.start],
        )
        if joint:
            clause = trim(ctx, (start, start + joint.start()))
            return replace(attribution, clause=clause)
    return attribution


def after_that(ctx: Context, cue: Cue, required: bool) -> int | None:
    """Where a cue's reported clause starts: after that/что/ki (or an object and that), or right after."""
    masked = ctx.masked
    s_end = cue.sentence[1]
    tokens = tokens_in(masked, cue.end, s_end)
    for index, token in enumerate(tokens[:8]):
        if token.key in THAT:
            between = masked[cue.end : token.start]
            if MASK in between or any(c in between for c in '“«„".;:'):
                break
            return token.end
        if token.key in NP_STOPS - {"in", "on", "at", "with", "to", "during", "after", "by", "told"}:
            break
        if index == 0 and masked[cue.end : token.start].strip(" ,") and not required:
            break
    if required:
        after = masked[cue.end : s_end].lstrip()
        if after.startswith(":"):
            return cue.end + masked[cue.end : s_end].index(":") + 1
        return None
    if fold_key(cue.text) in {"told", "tells"}:
        return None
    rest = masked[cue.end : s_end]
    if adjunct_only(tokens_in(masked, cue.end, s_end), rest):
        return None
    lead = len(rest) - len(rest.lstrip(" ,:"))
    return cue.end + lead


def final_clause(ctx: Context, cue: Cue, np_start: int, tail_from: int) -> tuple[int, int] | None:
    """The clause before a closing attribution ("…, he said in a statement."), if this is one."""
    s_start, s_end = cue.sentence
    masked = ctx.masked
    before = masked[s_start:np_start].rstrip()
    if not before.endswith((",", "”", "»", '"', "’", "—", "–", "-")):
        return None
    tail = masked[tail_from:s_end].strip().rstrip(SENTENCE_FINAL + ")").strip()
    tail_tokens = tokens_in(masked, tail_from, s_end)
    if tail:
        if tail.startswith(","):
            rest = tail.lstrip(", ")
            first = rest.split(" ", 1)[0].casefold()
            adjunct = first in ADJUNCT_WORDS or (first.endswith("ly") and len(tail_tokens) <= 3)
            # "…, said Lt. Matt Harris, Columbus Police Department spokesman.": an apposition
            apposition = tail_from > cue.end and not any(
                t.key in NP_STOPS - {"of", "at", "for", "in"} or t.key in THAT for t in tail_tokens
            )
            adjunct = adjunct or apposition
            if cue_category(first) in (PART, PART_BARE) or cue_category(rest[:14]):
                pass
            elif not adjunct or len(tail_tokens) > 12 or MASK in tail:
                return None
        elif not adjunct_only(tail_tokens, tail):
            return None
    end = len(before.rstrip(",—–- ")) + s_start
    return trim(ctx, (s_start, end))


def indirect_quotes(ctx: Context, spans: Sequence[Span], attributions: Sequence[Attribution]) -> list[Quote]:
    """The reported clauses of a paragraph that are more than the direct quote inside them.

    Args:
        ctx: The article being read.
        spans: The paragraph's quoted spans.
        attributions: The paragraph's attributions.

    Returns:
        One indirect quote per attribution whose clause has at least 2 words outside quote marks.
    """
    quotes: list[Quote] = []
    for attribution in attributions:
        if attribution.clause is None:
            continue
        start, end = attribution.clause
        outside = ctx.words(start, end) - sum(
            ctx.words(s.open, s.close) for s in spans if start <= s.open and s.close <= end + 1
        )
        if outside < 2:
            continue
        quotes.append(ctx.quote(start, end, INDIRECT, attribution, attribution.speaker))
    return quotes
