"""People the article names: a surname to the full name, whether words name a person, genders, speakers seen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import PRONOUNS, folded
from media_etl.enrich.quotes.names import guess_gender, looks_like_person, same_surname, surname_of
from media_etl.enrich.quotes.phrases import Token, possessive_stem, tokens_in, trim_np
from media_etl.enrich.quotes.records import Candidate, Speaker
from schemas.vocabularies import PERSON


def by_surname(ctx: Context, surname: str) -> Candidate | None:
    """The person mention (else the fullest name found) whose last word is this surname."""
    key = fold_key(surname)
    cached = ctx.surname_cache.get((key, len(ctx.speakers)))
    if cached is not None or (key, len(ctx.speakers)) in ctx.surname_cache:
        return cached
    ctx.surname_cache[(key, len(ctx.speakers))] = found = find_surname(ctx, key)
    return found


def find_surname(ctx: Context, key: str) -> Candidate | None:
    """Look a folded surname up among the mentions, then the names found, then the speakers so far."""
    for pool in (ctx.mentions, ctx.fallback, ctx.speakers):
        matches = [
            c
            for c in pool
            if c.entity_type == PERSON
            and any(same_surname(key, folded(surname_of(name))) for name in (c.name, c.surface))
        ]
        if matches:
            return max(matches, key=lambda c: (len(c.name.split()), c.entity_id is not None))
    return None


def full_name(ctx: Context, candidate: Candidate) -> Candidate:
    """Prefer a mention's entity (else a fuller name) for a person written by surname only."""
    if candidate.entity_id is not None and candidate.name.count(" ") > 0:
        return candidate
    # A remembered "he" stands for its name: look the name up, never the pronoun.
    written = candidate.surface if fold_key(candidate.surface) not in PRONOUNS else candidate.name
    known = by_surname(ctx, surname_of(written))
    if known and (known.entity_id is not None or len(known.name.split()) > len(candidate.name.split())):
        return replace(known, start=candidate.start, end=candidate.end, surface=candidate.surface)
    return candidate


def is_person(ctx: Context, tokens: Sequence[Token]) -> bool:
    """Tell whether written words name a person: a person mention, a name's shape or a known surname."""
    start, end = tokens[0].start, tokens[-1].end
    if any(c.entity_type == PERSON and c.start < end and start < c.end for c in ctx.mentions):
        return True
    words = [t for t in tokens if t.capitalised]
    if not words or words[-1] is not tokens[-1]:
        return False
    before = tokens_in(ctx.masked, max(0, start - 12), start)[-1:]
    if before and before[0].text.isdigit():
        return False  # "735 Eighth St." is an address
    names = trim_np(list(tokens))
    return looks_like_person(names[-3:]) or (
        len(names) == 1 and by_surname(ctx, possessive_stem(names[0].text)) is not None
    )


def gender_of(ctx: Context, candidate: Candidate) -> str | None:
    """A person's gender from any place the text names them, or from an earlier he/she."""
    key = fold_key(candidate.name)
    if key not in ctx.genders:
        found = None
        for other in (*ctx.candidates, *ctx.fallback):
            if other.entity_type == PERSON and fold_key(other.name) == key:
                found = guess_gender(other, ctx.body)
                if found:
                    break
        ctx.genders[key] = found or guess_gender(candidate, ctx.body) or ctx.learned.get(key)
    return ctx.genders[key]


def remember(ctx: Context, speaker: Speaker) -> None:
    """Keep a resolved person as a speaker, for the surnames and pronouns that follow."""
    if speaker.name and speaker.entity_type == PERSON and speaker.surface:
        ctx.speakers.append(
            Candidate(
                speaker.position,
                speaker.position + len(speaker.surface),
                PERSON,
                speaker.entity_id,
                speaker.name,
                speaker.surface,
            )
        )
