"""Speaker resolution: a written speaker (a name, a speaking noun, a pronoun) to the entity it names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import NOT_NAME_WORDS, PERSON_NOUNS, TITLE_WORDS
from media_etl.enrich.quotes.names import capitalised_runs, name_pieces
from media_etl.enrich.quotes.people import by_surname, full_name
from media_etl.enrich.quotes.phrases import (
    Token,
    is_possessive,
    is_pronoun,
    is_speaker_noun,
    possessive_stem,
    speaker_noun,
    trim_np,
)
from media_etl.enrich.quotes.pronouns import resolve_pronoun
from media_etl.enrich.quotes.records import Candidate, Speaker
from schemas.vocabularies import ORGANISATION, PERSON, PLACE


def resolve(ctx: Context, tokens: Sequence[Token] | None, position: int, prefer_last: bool = True) -> Speaker | None:
    """Resolve a written speaker (a pronoun, a name or a speaking noun) to an entity."""
    if not tokens:
        return None
    if len(tokens) == 1 and is_pronoun(tokens[0]):
        return resolve_pronoun(ctx, tokens[0].text, tokens[0].start)
    start, end = tokens[0].start, tokens[-1].end
    # "of" or "for" with nothing after it ("the head of said") joins nothing.
    joint = next(
        (
            i
            for i, t in enumerate(tokens)
            if 0 < i < len(tokens) - 1 and t.key in {"of", "for"} and not tokens[i - 1].capitalised
        ),
        None,
    )
    if joint is not None:
        # "friends of Mike Ford" are not Mike Ford; "a spokesman for the ministry" speaks for it.
        complement = tokens[joint + 1 :]
        c_start, c_end = complement[0].start, complement[-1].end
        orgs = [
            c
            for c in [*ctx.mentions, *ctx.fallback]
            if c.entity_type == ORGANISATION and c.start < c_end and c_start < c.end
        ]
        org = min(orgs, key=lambda c: c.start) if orgs else None
        return Speaker(
            ctx.body[start:end],
            start,
            org.entity_id if org else None,
            org.name if org else None,
            ORGANISATION if org else None,
        )
    # "China's commerce ministry", "the president": the head is a speaking noun, so a
    # place inside is only a modifier; a person or organisation named inside still counts.
    headed = not tokens[-1].capitalised and is_speaker_noun(tokens[-1])
    inside = [
        c
        for c in ctx.mentions
        if c.start < end
        and start < c.end
        and not ctx.inside_quote(c.start, c.end)
        and not (headed and re.match(r"[’'ʼ]s\b", ctx.body[c.end : c.end + 2]))
    ]
    chosen = pick(ctx, inside, prefer_last)
    # "Morrison's lawyer said": the possessor is not the speaker.
    own = [t for t in tokens if not (headed and is_possessive(t.text))]
    if (chosen is None or chosen.entity_type != PERSON) and own and not headed:
        # A name tagged as a place ("Hamilton said") is a person when it reads as one.
        person = pick_fallback(ctx, own, prefer_last)
        if chosen is None or (
            person is not None
            and person.entity_type == PERSON
            and not headed
            # a place that reads as a person's name is one ("Hamilton said"); an organisation mention
            # over the same words knows better than capitalisation ("Big Machine says")
            and (chosen.entity_type == PLACE or not (person.start < chosen.end and chosen.start < person.end))
        ):
            chosen = person
    if chosen is not None and headed and chosen.entity_type == PLACE:
        chosen = None
    if chosen is None and headed:
        antecedent = find_antecedent(ctx, tokens, start)
        if antecedent is not None:
            kind = antecedent.entity_type
            return Speaker(ctx.body[start:end], start, antecedent.entity_id, antecedent.name, kind)
    if chosen is None:
        if headed or all(is_speaker_noun(t) or not t.capitalised for t in trim_np(list(tokens))):
            return Speaker(ctx.body[start:end], start, None, None, None)
        if any(t.key in NOT_NAME_WORDS for t in tokens[-1:]):
            return None
        if len(tokens) == 1 and tokens[0].start in ctx.sentence_starts() and ctx.is_common_word(tokens[0]):
            return None
        name = " ".join([*(t.text for t in tokens[:-1]), possessive_stem(tokens[-1].text)])
        return Speaker(ctx.body[start:end], start, None, name, None)
    surface_start = chosen.start
    before = ctx.body[max(start, chosen.start - 40) : chosen.start]
    possessor = re.search(r"([^\W\d_][\w\-]*[’'ʼ]s\s+)$", before)
    if chosen.entity_type == ORGANISATION and possessor:
        surface_start = chosen.start - len(possessor.group(1))
    surface = ctx.body[max(start, surface_start) : min(end, chosen.end)] or chosen.surface
    return Speaker(surface, chosen.start, chosen.entity_id, chosen.name, chosen.entity_type)


def find_antecedent(ctx: Context, tokens: Sequence[Token], position: int) -> Candidate | None:
    """Resolve "the ministry", "the minister", "министра" to the last organisation or person it names.

    English needs the definite article (``Analysts said`` stays unresolved); Cyrillic and
    Turkic nouns, which have no article, count on their own.
    """
    words = list(tokens)
    head = speaker_noun(words[-1])
    if head is None or len(words) > 2:
        return None
    if len(words) == 2 and words[0].key not in {"the", "this"}:
        return None
    if len(words) == 1 and re.fullmatch(r"[a-z\-]+", words[0].key):
        return None
    stem = head[: max(4, len(head) - 2)]
    pool = sorted(
        (c for c in {*ctx.candidates, *ctx.fallback} if c.end <= position and not ctx.inside_quote(c.start, c.end)),
        key=lambda c: (c.start, c.entity_id is not None, c.end),
    )
    wants = PERSON if head in TITLE_WORDS or head in PERSON_NOUNS else ORGANISATION
    for candidate in reversed(pool):
        if candidate.entity_type != wants:
            continue
        if candidate.entity_type == ORGANISATION and stem in fold_key(f"{candidate.name} {candidate.surface}"):
            return candidate
        if candidate.entity_type == PERSON:
            sentence_start = ctx.body.rfind("\n", 0, candidate.start) + 1
            lead = ctx.body[max(sentence_start, candidate.start - 60) : candidate.start]
            if stem in fold_key(f"{candidate.role or ''} {lead}"):
                return full_name(ctx, candidate)
    return None


def pick(ctx: Context, candidates: Sequence[Candidate], prefer_last: bool) -> Candidate | None:
    """Pick a person, else an organisation, else a place; a one-word person gets its full name."""
    for kind in (PERSON, ORGANISATION, PLACE):
        of_kind = [c for c in candidates if c.entity_type == kind]
        if of_kind:
            chosen = of_kind[-1] if prefer_last else of_kind[0]
            if kind == PERSON and chosen.surface.count(" ") == 0:
                return full_name(ctx, chosen)
            return chosen
    return None


def pick_fallback(ctx: Context, tokens: Sequence[Token], prefer_last: bool) -> Candidate | None:
    """Resolve a written name with no mention inside it: pieces of it, or a surname seen in full."""
    found: list[Candidate] = []
    for run in capitalised_runs(ctx.masked, tokens[0].start, tokens[-1].end):
        for piece, kind in name_pieces(run):
            s, e = piece[0].start, piece[-1].end
            if kind == PERSON:
                stem = possessive_stem(piece[-1].text)
                e = piece[-1].start + len(stem)
                found.append(full_name(ctx, Candidate(s, e, PERSON, None, ctx.body[s:e], ctx.body[s:e])))
            elif kind in (ORGANISATION, PLACE):
                found.append(Candidate(s, e, kind, None, ctx.body[s:e], ctx.body[s:e]))
            elif len(piece) == 1 and piece[0].text[0].isupper():
                stem = possessive_stem(piece[0].text)
                known = by_surname(ctx, stem)
                if known:
                    found.append(replace(known, start=s, end=s + len(stem), surface=stem))
    return pick(ctx, found, prefer_last)
