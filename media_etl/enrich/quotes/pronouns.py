"""Pronouns and missing subjects: the person or organisation before them that they stand for."""

from __future__ import annotations

import re
from collections.abc import Sequence

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import (
    DETERMINERS,
    FUNCTION_WORDS,
    NOT_NAME_WORDS,
    NP_STOPS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_MODIFIERS,
    TITLE_WORDS,
    cue_category,
)
from media_etl.enrich.quotes.people import full_name, gender_of, is_person
from media_etl.enrich.quotes.phrases import find_subject, is_possessive, is_pronoun, tokens_in
from media_etl.enrich.quotes.records import Candidate, Speaker
from schemas.vocabularies import ORGANISATION, PERSON, PLACE


def resolve_pronoun(ctx: Context, pronoun: str, position: int, gender: str | None = None) -> Speaker:
    """Resolve a pronoun (or a missing subject) to the last fitting person or organisation before it."""
    wanted = PRONOUNS.get(fold_key(pronoun), "any") if pronoun else "any"
    if gender and wanted in ("m", "f", "any"):
        wanted = gender
    pool = [c for c in [*ctx.candidates, *ctx.speakers] if c.end <= position]
    pool = [c for c in pool if not ctx.inside_quote(c.start, c.end)]
    pool.sort(key=lambda c: c.start)
    chosen: Candidate | None = None
    if wanted == "org":
        chosen = organisation_before(ctx, pool, position)
    else:
        fitting = [
            c
            for c in pool
            if c.entity_type == PERSON and not (wanted in ("m", "f") and gender_of(ctx, c) not in (None, wanted))
        ]
        if fitting:
            # The nearest sentence that names a fitting person; in it, the first person who is not
            # the object of a preposition ("… call with President Zelensky. He said" is not Zelensky).
            sentence = ctx.sentence_start(fitting[-1].start)
            same = [c for c in fitting if ctx.sentence_start(c.start) == sentence]
            possessors = [c for c in same if re.match(r"[’'ʼ]s\b", ctx.body[c.end : c.end + 2])]
            subjects = [c for c in same if c not in possessors and not prepositional(ctx, c)]
            # With no subject, a possessor ("Taylor Swift's albums were released through …")
            # is likelier than the object of a preposition.
            chosen = subjects[0] if subjects else possessors[0] if possessors else same[-1]
    if chosen is None:
        return Speaker(pronoun or None, position, None, None, None)
    if chosen.entity_type == PERSON:
        chosen = full_name(ctx, chosen)
        if wanted in ("m", "f") and ctx.genders.get(fold_key(chosen.name)) is None:
            ctx.genders[fold_key(chosen.name)] = wanted
    return Speaker(pronoun or None, position, chosen.entity_id, chosen.name, chosen.entity_type)


def organisation_before(ctx: Context, pool: Sequence[Candidate], position: int) -> Candidate | None:
    """For it/they: the nearest sentence's organisation, or its capitalised subject ("Big Machine have …")."""
    starts = [s for s in ctx.sentence_starts_sorted if s <= position][-3:]
    for start in reversed(starts):
        end = next((s for s in ctx.sentence_starts_sorted if s > start), len(ctx.body))
        orgs = [c for c in pool if c.entity_type == ORGANISATION and start <= c.start < min(end, position)]
        subjects = [c for c in orgs if not prepositional(ctx, c)]
        if subjects or orgs:
            return (subjects or orgs)[0]
        paragraph = next(i for i, (p_start, p_end) in enumerate(ctx.paragraphs) if p_start <= start <= p_end)
        subject = find_subject(ctx.masked, ctx.sentence(paragraph, start), min(end, position))
        if (
            subject
            and all(t.capitalised for t in subject)
            and subject[-1].key not in NOT_NAME_WORDS | FUNCTION_WORDS
            and subject[0].key not in FUNCTION_WORDS
            and not is_pronoun(subject[0])
            and not (len(subject) == 1 and ctx.is_common_word(subject[0]))
            and not is_person(ctx, subject)
            and not any(c.entity_type in (PERSON, PLACE) for c in ctx.candidates if c.start == subject[0].start)
        ):
            text = ctx.body[subject[0].start : subject[-1].end]
            return Candidate(subject[0].start, subject[-1].end, ORGANISATION, None, text, text)
    return None


def prepositional(ctx: Context, candidate: Candidate) -> bool:
    """Tell whether a name is the object of a preposition: "with Ukrainian President Volodymyr Zelensky"."""
    floor = ctx.sentence_start(candidate.start)
    modifiers = 0  # lowercase words of a title: "by talent manager Scooter Braun"
    limit = candidate.start
    for token in reversed(tokens_in(ctx.masked, floor, candidate.start)):
        if ctx.masked[token.end : limit].strip(" ."):
            return False  # punctuation or a quote between: "… jam “Black Water,” Simmons teed up"
        limit = token.start
        if (
            token.capitalised
            or token.key in TITLE_WORDS
            or token.key in ROLE_MODIFIERS
            or is_possessive(token.text)
            or token.key in DETERMINERS
        ):
            continue
        if modifiers < 2 and token.key not in PREPOSITIONS | NP_STOPS and not cue_category(token.text):
            modifiers += 1
            continue
        return token.key in PREPOSITIONS
    return False
