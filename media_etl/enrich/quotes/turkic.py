"""Attribution for a Turkic verb at the end of its sentence: "Altun, … olduğunu söyledi.", "“…”, – dedi u."."""

from __future__ import annotations

import re
from collections.abc import Sequence

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.indirect import trim
from media_etl.enrich.quotes.lexicon import TURKIC_HELPERS
from media_etl.enrich.quotes.phrases import find_subject, is_pronoun, np_after, np_before, run_before, tokens_in
from media_etl.enrich.quotes.pronouns import resolve_pronoun
from media_etl.enrich.quotes.records import Attribution, Cue, Speaker
from media_etl.enrich.quotes.spans import SENTENCE_FINAL
from media_etl.enrich.quotes.speakers import resolve


def attribute_turkic(ctx: Context, cue: Cue, paragraph: int, found: Sequence[Attribution]) -> Attribution | None:
    """Speaker and clause of a Turkic verb: "Altun, … olduğunu söyledi.", "“…”, – dedi u."."""
    s_start, s_end = cue.sentence
    masked = ctx.masked
    following = tokens_in(masked, cue.end, s_end)[:1]
    if following and following[0].key == "ki" and not masked[cue.end : following[0].start].strip():
        # Azerbaijani "O qeyd edib ki, …": the subject before the verb, the clause after "ki".
        np = np_before(masked, cue.start, s_start) or find_subject(masked, cue.sentence, cue.start)
        if np and len(np) == 1 and is_pronoun(np[0]):
            said_by = resolve_pronoun(ctx, np[0].text, np[0].start)
        else:
            said_by = resolve(ctx, np, cue.start) or resolve_pronoun(ctx, "", cue.start)
        end = s_end
        while end > following[0].end and masked[end - 1] in SENTENCE_FINAL + " ":
            end -= 1
        return Attribution(cue, said_by, trim(ctx, (following[0].end, end)), np[0].start if np else cue.start)
    after = np_after(masked, cue.end, s_end)
    speaker: Speaker | None = None
    if after:
        speaker = resolve(ctx, after, cue.start, prefer_last=False)
    before_cue = masked[s_start : cue.start].rstrip(" ,—–-")
    helper = None
    tokens = tokens_in(masked, s_start, cue.start)
    if (
        tokens
        and tokens[-1].key in {fold_key(h) for h in TURKIC_HELPERS}
        and not masked[tokens[-1].end : cue.start].strip()
    ):
        helper = tokens[-1]
    # "“…”, - deyə nazir bildirib": the speaker stands between the helper and the verb.
    if speaker is None and helper is None:
        between = run_before(masked, cue.start, s_start)
        for index, token in enumerate(between):
            if token.key in {fold_key(h) for h in TURKIC_HELPERS} and index + 1 < len(between):
                speaker = resolve(ctx, between[index + 1 :], cue.start)
                helper = token
                break
    subject = find_subject(masked, cue.sentence, cue.start)
    if speaker is None and subject:
        first_quote = next((s for s in ctx.spans if s_start <= s.open < cue.start), None)
        if first_quote is None or subject[-1].end <= first_quote.open:
            speaker = resolve(ctx, subject, cue.start)
    if speaker is None:
        speaker = resolve_pronoun(ctx, "", cue.start)
    clause_end = helper.start if helper else cue.start
    clause_start = subject[-1].end if subject else s_start
    if before_cue.endswith(("”", "»", '"')) or clause_end <= clause_start:
        return Attribution(cue, speaker, None, cue.start)
    clause = trim(ctx, (clause_start, clause_end))
    if clause is None:
        return Attribution(cue, speaker, None, cue.start)
    last_word = tokens_in(masked, clause[0], clause[1])
    nominalised = bool(last_word) and re.search(
        r"(d|t)[ıiuüə][gğyk][ıiuü]n[ıiuü]$|[ae]c[ae][gğk][ıi]n[ıi]$|əcəyini$|acağını$|m[ae]s[ıi]n[ıi]$|"
        r"ekanini$|ganini$|ganligini$|екенін$|[ғг][аеә]н[ыі]н$",
        last_word[-1].text.casefold(),
    )
    if helper is None and not nominalised:
        return Attribution(cue, speaker, None, cue.start)
    return Attribution(cue, speaker, clause, cue.start)
