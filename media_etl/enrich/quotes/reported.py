"""Reported speech from a dependency parse: the complement of a reporting verb, and its subject.

The cue rules (``attribution``, ``indirect``) read ``X said (that) …`` from the words around the
verb. What they cannot read is left to a parser: a subject far from its verb (``Mrs. Clinton's
campaign, which has been shadowed …, said that …``), ``according to X, …`` anywhere in the
sentence, a belief or finding (``Republicans think …``, ``Polls show …``), and objects that are
statements (``Cruz called the KKK "abhorrent"``, ``urged voters to …``). The parser runs only on
paragraphs that hold a reporting verb outside quote marks, to bound its cost, and only on
English articles (``MEDIA_ETL_NER=rules`` turns it off with the other models).

For each verb whose lemma is a reporting lemma (``data/speech.yaml``) the quote is its clausal
complement, or for the object verbs its object with what follows; the speaker is its subject (the
subject of the verb it is joined to, or the noun a ``who`` clause hangs on), resolved like the
rules' speakers. A subject that is a quantity (``46 percent of voters``, ``nine in 10``) names no
speaker: the quote is kept without one. A quote the rules already found is not found again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from media_etl.enrich.entities.models import english_parser, models_enabled
from media_etl.enrich.quotes.context import Context
from media_etl.enrich.quotes.lexicon import speech_data, speech_words
from media_etl.enrich.quotes.phrases import tokens_in
from media_etl.enrich.quotes.records import Speaker
from media_etl.enrich.quotes.speakers import resolve
from media_etl.enrich.records import Quote
from schemas.vocabularies import INDIRECT

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Token as ParsedToken

_CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
_OBJECT_DEPS = frozenset({"dobj", "oprd", "dative"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_SUBJECT_TRIM = frozenset({"relcl", "acl", "appos", "parataxis", "punct", "advcl"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_EMPTY_SUBJECTS = frozenset({"it", "there", "this", "what"})
_TIME_WORDS = frozenset({"time", "day", "week", "month", "year", "hour", "minute", "moment", "history"})
_FIRST_WORDS = frozenset({"that"})
_MIN_WORDS = 2
_OVERLAP = 0.5
"""A parsed quote that shares more than this share of its length with a rule's quote is the same quote."""


@cache
def reporting_lemmas() -> frozenset[str]:
    """Lemmas of the verbs whose complement is reported speech."""
    return speech_words("reporting_lemmas")


@cache
def object_lemmas() -> frozenset[str]:
    """Reporting lemmas whose plain object is what was said."""
    return speech_words("reporting_object_lemmas")


@cache
def preposition_lemmas() -> dict[str, tuple[str, ...]]:
    """Verbs whose statement follows a preposition (``call for``, ``refer to``), with those prepositions."""
    table: dict[str, list[str]] = speech_data()["reporting_prepositions"]
    return {verb: tuple(preps) for verb, preps in table.items()}


@cache
def quantity_heads() -> frozenset[str]:
    """Words that make a subject a quantity, not a speaker."""
    return speech_words("quantity_heads")


_IRREGULAR = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "find": ("found",),
    "show": ("shown",),
    "speak": ("spoke", "spoken"),
    "seek": ("sought",),
}


def inflections(lemma: str) -> set[str]:
    """The forms a verb takes: its base, -s, -ed and -ing (with the usual spelling changes), and irregular pasts."""
    forms = {lemma, *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in ("a", "e", "o", "u"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@cache
def _verb_forms() -> re.Pattern[str]:
    """A cheap filter for sentences worth parsing: a reporting verb's form in lower case, or 'according to'.

    Lower case only: ``United States`` is no form of *state*, and a reporting verb rarely opens a sentence.
    """
    lemmas = reporting_lemmas() | set(preposition_lemmas())
    forms = sorted({form for lemma in lemmas for form in inflections(lemma)}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(forms)})\b|\b[Aa]ccording to\b")


def with_reported(ctx: Context, found: Sequence[Quote]) -> list[Quote]:
    """Add the reported speech the cue rules missed, from a parse of the paragraphs that may hold it.

    Args:
        ctx: The article being read.
        found: The quotes the rules found. A parsed quote over the same words is not added
            again; when it has a speaker and the rules' quote has none, the rules' quote takes it
            (``Rep. Paul Ryan (R-WI) said "…"``).

    Returns:
        The rules' quotes, then the new indirect quotes.
    """
    if ctx.article.language != "en" or not models_enabled():
        return list(found)
    nlp = english_parser()
    if nlp is None:
        return list(found)
    pattern = _verb_forms()
    sentences = [
        (start, end)
        for paragraph in ctx.sentences
        for start, end in paragraph
        if any(not ctx.inside_quote(m.start(), m.end()) for m in pattern.finditer(ctx.body, start, end))
    ]
    kept = list(found)
    taken = [(q.char_start, q.char_end) for q in found]
    for (start, _), doc in zip(sentences, nlp.pipe(ctx.body[s:e] for s, e in sentences), strict=True):
        for quote in _paragraph_quotes(ctx, doc, start):
            same = [i for i, q in enumerate(kept) if _same_words(q, quote)]
            if same:
                for i in same:
                    if quote.speaker_surface is not None and _better_speaker(kept[i], quote):
                        kept[i] = replace(
                            kept[i],
                            speaker_surface=quote.speaker_surface,
                            speaker_entity_id=quote.speaker_entity_id,
                            speaker_name=quote.speaker_name,
                            cue_verb=kept[i].cue_verb or quote.cue_verb,
                        )
                continue
            length = quote.char_end - quote.char_start
            if any(min(e, quote.char_end) - max(s, quote.char_start) > _OVERLAP * length for s, e in taken):
                continue
            taken.append((quote.char_start, quote.char_end))
            kept.append(quote)
    return kept


def _better_speaker(rule: Quote, parsed: Quote) -> bool:
    """Tell whether the parse's speaker replaces the rules' one: the rules found none, or only a part of the subject.

    ``Mrs. Clinton's presidential campaign, which …, said that …``: the rules read ``Clinton``, the
    parse the whole subject, whose possessor is not the speaker.
    """
    if rule.speaker_surface is None:
        return True
    if rule.cue_verb != parsed.cue_verb or parsed.speaker_surface is None:
        return False
    return rule.speaker_surface != parsed.speaker_surface and rule.speaker_surface in parsed.speaker_surface


def _same_words(rule: Quote, parsed: Quote) -> bool:
    """Tell whether a parsed quote reads a rules' quote again: most of its words, or the same verb's quote inside."""
    shared = min(rule.char_end, parsed.char_end) - max(rule.char_start, parsed.char_start)
    if shared > _OVERLAP * (parsed.char_end - parsed.char_start):
        return True
    inside = parsed.char_start <= rule.char_start and rule.char_end <= parsed.char_end
    # 'called the platform "a great step"': the rules' quote of the same verb, or one with no verb
    return inside and rule.cue_verb in (parsed.cue_verb, None)


def _paragraph_quotes(ctx: Context, doc: Doc, offset: int) -> Iterator[Quote]:
    """The quotes of one parsed paragraph; offsets into the body."""
    for token in doc:
        if ctx.inside_quote(offset + token.idx, offset + token.idx + len(token)):
            continue
        if token.lower_ == "according":
            parts = _according(token)
        elif token.tag_.startswith("VB") and (
            token.lemma_.lower() in reporting_lemmas() or token.lemma_.lower() in preposition_lemmas()
        ):
            parts = _verb(token)
        else:
            continue
        if parts is None:
            continue
        content, subject = parts
        content = _trimmed(content)
        if len(content) < _MIN_WORDS:
            continue
        start, end = offset + content[0].idx, offset + content[-1].idx + len(content[-1])
        yield _quote(ctx, token, offset, start, end, subject)


def _according(token: ParsedToken) -> tuple[list[ParsedToken], ParsedToken | None] | None:
    """``according to X, CLAUSE`` (or ``CLAUSE, according to X``): the clause the phrase hangs on."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return None
    phrase = {t.i for t in token.subtree}
    root = token.sent.root
    return [t for t in root.subtree if t.i not in phrase], source


def _verb(verb: ParsedToken) -> tuple[list[ParsedToken], ParsedToken | None] | None:
    """A reporting verb's complement and subject."""
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None  # "shifted his account to say …": an infinitive reports nothing itself
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "Officials did not say how many …": nothing was said
    if verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children):
        return None  # "Asked about the server, …", "was told that …": the subject did not say it
    subject = _subject_of(verb)
    if subject is None or subject.lemma_.lower() in _TIME_WORDS:
        return None  # "Only time will tell if …"
    later = [c for c in verb.children if c.i > verb.i]
    clauses = [c for c in later if c.dep_ in _CLAUSE_DEPS]
    if not clauses:
        # "…, the senator said." — the reported clause comes first.
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    objects = [c for c in later if c.dep_ in _OBJECT_DEPS]
    if clauses:
        # "urged voters to reject …": the object of a verb with an infinitive clause is its subject
        infinitive = any(c.dep_ == "xcomp" for c in clauses)
        parts = clauses + [o for o in objects if o.dep_ == "oprd" or infinitive]
    elif objects and verb.lemma_.lower() in object_lemmas():
        parts = objects + [c for c in later if c.dep_ in ("prep", "oprd", "xcomp") and c.i > objects[0].i]
    else:
        # "called for an inquiry", "referred to the report", "talked about the economy"
        allowed = preposition_lemmas().get(verb.lemma_.lower(), ())
        prep = next((c for c in later if c.dep_ == "prep" and c.lower_ in allowed), None)
        parts = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")] if prep is not None else []
        if not parts:
            return None
    low = min(p.left_edge.i for p in parts)
    high = max(p.right_edge.i for p in parts)
    inside = {t.i for t in subject.subtree} if subject.i > verb.i else set()
    doc = verb.doc
    return [doc[i] for i in range(low, high + 1) if i not in inside], subject


def _subject_of(verb: ParsedToken) -> ParsedToken | None:
    """The subject of a reporting verb: its own, the joined verb's, or the noun a relative clause describes."""
    own = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
    if own is not None and own.lower_ in _RELATIVE and verb.dep_ == "relcl":
        return verb.head
    if own is not None:
        return None if own.lower_ in _EMPTY_SUBJECTS or own.lower_ in _RELATIVE else own
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.tag_.startswith("VB"):
        return _subject_of(verb.head)
    return None


def _trimmed(tokens: list[ParsedToken]) -> list[ParsedToken]:
    """A complement without the punctuation and the ``that`` at its edges."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].lower_ in _FIRST_WORDS):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _subject_core(subject: ParsedToken) -> list[ParsedToken]:
    """The subject without its relative clause, apposition or other trailing clause."""
    left = [t for t in subject.lefts if t.dep_ not in _SUBJECT_TRIM]
    right: list[ParsedToken] = []
    for child in subject.rights:
        if child.dep_ in _SUBJECT_TRIM:
            break
        right.append(child)
    low = min([subject.i, *(t.left_edge.i for t in left)])
    high = max([subject.i, *(t.right_edge.i for t in right)])
    return _trimmed([subject.doc[i] for i in range(low, high + 1)])


def _is_quantity(subject: ParsedToken) -> bool:
    """Tell whether a subject's head is a quantity of people ('46 percent of voters', 'nine in 10', 'most')."""
    return subject.like_num or subject.pos_ == "NUM" or subject.lower_ in quantity_heads()


def _quote(ctx: Context, cue: ParsedToken, offset: int, start: int, end: int, subject: ParsedToken | None) -> Quote:
    """Build the quote and resolve its speaker from the parsed subject."""
    speaker: Speaker | None = None
    if subject is not None:
        core = _subject_core(subject)
        if core and not _is_quantity(subject):
            s_start, s_end = offset + core[0].idx, offset + core[-1].idx + len(core[-1])
            speaker = resolve(ctx, tokens_in(ctx.masked, s_start, s_end), s_start)
    cue_text = "according to" if cue.lower_ == "according" else cue.text
    return replace(ctx.quote(start, end, INDIRECT, None, speaker), cue_verb=cue_text)
