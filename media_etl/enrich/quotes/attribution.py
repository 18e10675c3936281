"""Attribution: a cue's speaker and reported clause, by the cue's category (according to, participle, finite verb)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.cues import cues
from media_etl.enrich.quotes.indirect import after_that, cut, final_clause, trim, trim_clause
from media_etl.enrich.quotes.lexicon import (
    ACCORDING,
    ADJUNCT_WORDS,
    APPOSITION_STARTS,
    CALLED,
    INTRO_WORDS,
    PART,
    PART_BARE,
    PREPOSITIONS,
    ROLE_MODIFIERS,
    SAY,
    TITLE_WORDS,
    TURKIC,
    VERB,
    WEEKDAYS,
)
from media_etl.enrich.quotes.people import is_person, remember
from media_etl.enrich.quotes.phrases import (
    Token,
    find_subject,
    is_possessive,
    is_pronoun,
    is_speaker_noun,
    np_after,
    np_before,
    run_before,
    tokens_in,
)
from media_etl.enrich.quotes.pronouns import resolve_pronoun
from media_etl.enrich.quotes.records import Attribution, Cue, Speaker
from media_etl.enrich.quotes.spans import SENTENCE_FINAL
from media_etl.enrich.quotes.speakers import resolve
from media_etl.enrich.quotes.turkic import attribute_turkic


def attribute(ctx: Context, cue: Cue, paragraph: int, found: Sequence[Attribution]) -> Attribution | None:
    """Find a cue's speaker and reported clause; None when it has no plausible speaker."""
    s_start, s_end = cue.sentence
    masked = ctx.masked
    text_end = s_end
    while text_end > s_start and masked[text_end - 1] in SENTENCE_FINAL + " ":
        text_end -= 1
    if cue.category == TURKIC:
        return attribute_turkic(ctx, cue, paragraph, found)
    if cue.category == ACCORDING:
        return _according(ctx, cue, text_end)
    if cue.category in (PART, PART_BARE):
        return _participle(ctx, cue, paragraph, found, text_end)
    return _finite(ctx, cue, found, text_end)


def _according(ctx: Context, cue: Cue, text_end: int) -> Attribution | None:
    """According to X / по словам X: the speaker after the cue, the clause before it or after the comma."""
    s_start, s_end = cue.sentence
    masked = ctx.masked
    speaker: Speaker | None
    if len(cue.text.split()) == 3:
        # "По его словам, …" / "по её словам": the pronoun in the cue is the speaker.
        pronoun = fold_key(cue.text.split()[1])
        said_by = resolve_pronoun(ctx, "он" if pronoun == "его" else "они" if pronoun == "их" else "она", cue.start)
        said_by = replace(said_by, surface=cue.text.split()[1])
        comma = masked.find(",", cue.end, s_end)
        return Attribution(cue, said_by, trim(ctx, (comma + 1, text_end)) if comma >= 0 else None, cue.start)
    np = np_after(masked, cue.end, s_end)
    if np and not any(t.capitalised for t in np):
        # "According to his aunt, Jane Starner, …": the name after the comma.
        named = np_after(masked, np[-1].end, s_end)
        if named and masked[np[-1].end : named[0].start].strip() == "," and is_person(ctx, named):
            np = named
    speaker = resolve(ctx, np, cue.start, prefer_last=False)
    if speaker is None and np:
        speaker = Speaker(ctx.body[np[0].start : np[-1].end], np[0].start, None, None, None)
    if speaker is None:
        return None
    if cue.start == s_start:
        comma = masked.find(",", np[-1].end if np else cue.end, s_end)
        clause = (comma + 1, text_end) if comma >= 0 else None
    else:
        clause = (s_start, cue.start)
    return Attribution(cue, speaker, trim(ctx, clause), cue.start)


def _participle(
    ctx: Context, cue: Cue, paragraph: int, found: Sequence[Attribution], text_end: int
) -> Attribution | None:
    """A participle (noting that, saying): the speaker of the sentence's own attribution, else its subject."""
    s_start = cue.sentence[0]
    masked = ctx.masked
    speaker: Speaker | None
    previous = [
        a
        for a in found
        if a.cue.sentence == cue.sentence
        and a.cue.start < cue.start
        and not any(b.clause and b.clause[0] <= a.cue.start < b.clause[1] for b in found if b is not a)
    ]
    if previous:
        speaker = previous[-1].speaker
    elif cue.start == s_start:
        later = first_finite_after(ctx, cue, paragraph)
        speaker = later.speaker if later else None
    else:
        speaker = resolve(ctx, find_subject(masked, cue.sentence, cue.start), cue.start)
    if speaker is None:
        return None
    clause_start = after_that(ctx, cue, required=cue.category == PART)
    if clause_start is None:
        return Attribution(cue, speaker, None, cue.start)
    clause_end = text_end
    if cue.start == s_start:
        later = first_finite_after(ctx, cue, paragraph)
        if later is None:
            return None
        clause_end = later.speaker.position
    return Attribution(cue, speaker, trim(ctx, (clause_start, clause_end)), cue.start)


def _finite(ctx: Context, cue: Cue, found: Sequence[Attribution], text_end: int) -> Attribution | None:
    """A finite verb: "X said …", "…, said X", "Как отметил X, …", "X called the platform “…”"."""
    s_start, s_end = cue.sentence
    masked = ctx.masked
    speaker: Speaker | None
    if s_start <= cue.start - 4 and masked[s_start : cue.start].strip().casefold() == "как":
        np = np_after(masked, cue.end, s_end)
        speaker = resolve(ctx, np, cue.start, prefer_last=False)
        if speaker is None or not np:
            return None
        comma = masked.find(",", np[-1].end, s_end)
        return Attribution(cue, speaker, trim(ctx, (comma + 1, text_end)) if comma >= 0 else None, cue.start)
    np = np_before(masked, cue.start, s_start, loose=cue.category == SAY)
    run = run_before(masked, cue.start, s_start)
    if np is None and run and run[-1].key in {"and", "but", "then"}:
        earlier = [a for a in found if a.cue.sentence == cue.sentence and a.cue.start < cue.start]
        np = find_subject(masked, cue.sentence, cue.start) if not earlier else None
        if earlier:
            return Attribution(cue, earlier[-1].speaker, trim_clause(ctx, cue), cue.start)
    after_np = np_after(masked, cue.end, s_end) if not run else None
    if (
        not run
        and after_np
        and fold_key(cue.text) not in {"told", "tells", "tell"}
        and cue.category != CALLED
        and (is_pronoun(after_np[0]) or is_person(ctx, after_np) or is_speaker_noun(after_np[-1]))
        and phrase_ends(ctx, after_np[-1].end if not is_pronoun(after_np[0]) else after_np[0].end, s_end)
    ):
        np = None  # "…, said Lt. Matt Harris": the inverted speaker, not the words before the comma
    elif not (np and len(np) == 1 and is_pronoun(np[0])) and not (np and is_person(ctx, np)):
        # "Hikmet Hajiyev, the presidential aide, said", "Prasad, a professor at Cornell, said".
        named = appositive_subject(ctx, s_start, run[0].start if run else cue.start, cue.start)
        if named:
            np = named
    gender = "f" if re.search("ла$", cue.text) else "m" if re.search("л$", cue.text) else None
    speaker = None
    if np:
        if len(np) == 1 and is_pronoun(np[0]):
            speaker = resolve_pronoun(ctx, np[0].text, np[0].start, gender)
        else:
            speaker = resolve(ctx, np, cue.start)
    inverted = False
    if speaker is None:
        before = masked[s_start : cue.start].rstrip()
        if (
            (before.endswith((",", "”", "»", '"', "’", "—", "–", "-")) or not before)
            and fold_key(cue.text) not in {"told", "tells", "tell"}
            and cue.category != CALLED
        ):
            after = np_after(masked, cue.end, s_end)
            if after and len(after) == 1 and is_pronoun(after[0]):
                speaker = resolve_pronoun(ctx, after[0].text, after[0].start, gender)
            else:
                speaker = resolve(ctx, after, cue.start, prefer_last=False)
            inverted = speaker is not None
    if speaker is None:
        return None
    if cue.category == CALLED:
        return Attribution(cue, speaker, None, cue.start)
    if inverted:
        tail_np = np_after(masked, cue.end, s_end)
        tail_from = tail_np[-1].end if tail_np else cue.end
        clause = final_clause(ctx, cue, np_start=cue.start, tail_from=tail_from)
        return Attribution(cue, speaker, clause, cue.start)
    np_start = np[0].start if np else cue.start
    clause = final_clause(ctx, cue, np_start=np_start, tail_from=cue.end)
    if clause is not None:
        return Attribution(cue, speaker, clause, np_start)
    lead = masked[s_start:np_start].rstrip()
    if lead.endswith(",") and masked[cue.end : s_end].lstrip().startswith(","):
        # A parenthetical "…, Mayer said, …": the clause is the part before it, unless
        # that part is an introductory phrase ("In line with …, Altun said, “…”").
        preceding = tokens_in(masked, s_start, np_start)
        if len(preceding) >= 4 and preceding[0].key not in INTRO_WORDS:
            return Attribution(cue, speaker, trim(ctx, (s_start, s_start + len(lead))), np_start)
    clause_start = after_that(ctx, cue, required=cue.category == VERB)
    if clause_start is None:
        return Attribution(cue, speaker, None, np_start)
    return Attribution(cue, speaker, trim(ctx, (clause_start, text_end)), np_start)


def phrase_ends(ctx: Context, position: int, s_end: int) -> bool:
    """Tell whether a speaker phrase ends here: punctuation, the sentence end or an adjunct follows."""
    rest = ctx.masked[position:s_end].lstrip()
    if not rest or rest[0] in ",.;:!?—–-)":
        return True
    following = tokens_in(ctx.masked, position, s_end)[:1]
    return bool(following) and following[0].key in ADJUNCT_WORDS | WEEKDAYS


def appositive_subject(ctx: Context, s_start: int, end: int, cue_start: int) -> list[Token] | None:
    """The name before appositives that end in a comma: "Paganini, a scientist at …, D.C., said"."""
    masked = ctx.masked
    segment_end = cue_start
    for _ in range(6):
        lead = masked[s_start:end].rstrip()
        if not lead.endswith(","):
            return None
        comma = s_start + len(lead) - 1
        named = np_before(masked, comma, s_start)
        segment = tokens_in(masked, comma + 1, segment_end)
        before_name = tokens_in(masked, max(s_start, named[0].start - 30), named[0].start)[-1:] if named else []
        governed = bool(before_name) and before_name[0].key in PREPOSITIONS  # "strategist at Miller Tabak"
        if named and not governed and any(t.capitalised for t in named) and not is_pronoun(named[-1]):
            first = segment[0] if segment else None
            opens = first is not None and (
                first.key in APPOSITION_STARTS
                or first.key in ROLE_MODIFIERS
                or first.key in TITLE_WORDS
                or first.key == "via"
                or (is_possessive(first.text) and any(t.key in TITLE_WORDS or is_speaker_noun(t) for t in segment))
            )
            if is_person(ctx, named) or opens:
                return named
        prior = masked.rfind(",", s_start, comma)
        piece = masked[(prior + 1 if prior >= 0 else s_start) : comma]
        if prior < 0 or any(ch in piece for ch in '“”«»"\x00!?;:'):
            return None
        end, segment_end = prior + 1, comma
    return None


def first_finite_after(ctx: Context, cue: Cue, paragraph: int) -> Attribution | None:
    """The first attributed said/noted-type cue after a cue in its sentence: "Saying that …, X added"."""
    for other in cues(ctx, paragraph):
        if other.sentence == cue.sentence and other.start > cue.start and other.category in (SAY, VERB):
            attribution = attribute(ctx, other, paragraph, [])
            if attribution is not None:
                return attribution
    return None


def paragraph_attributions(ctx: Context, paragraph: int) -> list[Attribution]:
    """Attribute every cue of a paragraph, in order, and end each clause where another attribution starts.

    Every resolved person is remembered as a speaker for the surnames and pronouns that follow.

    Args:
        ctx: The article being read.
        paragraph: The paragraph's index.

    Returns:
        The paragraph's attributions in body order; cues without a plausible speaker have none.
    """
    attributions: list[Attribution] = []
    for cue in cues(ctx, paragraph):
        attribution = attribute(ctx, cue, paragraph, attributions)
        if attribution is not None:
            attributions.append(attribution)
            remember(ctx, attribution.speaker)
    return [cut(ctx, a, attributions) for a in attributions]
