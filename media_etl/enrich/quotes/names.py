"""Names without mentions: capitalised runs cut into people and organisations, surnames, and genders."""

from __future__ import annotations

import re
from collections.abc import Sequence

from media_etl.clean.text import fold_key
from media_etl.enrich.quotes.lexicon import (
    CONNECTORS,
    FEMALE_FIRST,
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    FUNCTION_WORDS,
    MALE_FIRST,
    MALE_PRONOUNS,
    MALE_TITLES,
    NAME_PARTICLES,
    NOT_NAME_WORDS,
    ORG_HEADS,
    TITLE_WORDS,
    folded,
)
from media_etl.enrich.quotes.phrases import Token, adjoining, is_possessive, possessive_stem, tokens_in, trim_np
from media_etl.enrich.quotes.records import Candidate, Span
from media_etl.enrich.quotes.spans import inside_quote
from media_etl.enrich.records import Mention
from media_etl.normalise.places import country_code
from schemas.vocabularies import ORGANISATION, PERSON, PLACE


def surname_of(name: str) -> str:
    """The last word of a name, without a suffix such as Jr. or III or a possessive."""
    words = [w for w in name.split() if w.strip(".,").casefold() not in {"jr", "sr", "ii", "iii", "iv"}]
    return possessive_stem(words[-1]) if words else name


def _is_country_word(word: str) -> bool:
    """A country's name, also with a case ending (Казахстана, Türkiye'nin)."""
    stem = possessive_stem(word)
    return any(country_code(form) for form in (stem, stem[:-1], stem[:-2]) if len(form) >= 4)


def same_surname(a: str, b: str) -> bool:
    """Tell whether two folded surnames are one, allowing a case ending: Балаева, Балаевой; Hacıyev, Hacıyevin."""
    if a == b:
        return True
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    shorter, longer = min(len(a), len(b)), max(len(a), len(b))
    if shorter < 5 or longer - common > 3:
        return False
    if re.search("[а-яё]", a + b):
        return common >= shorter - 2  # Балаева, Балаевой
    return common == shorter  # Hacıyev, Hacıyevin; never Martha, Martin


def looks_like_person(tokens: Sequence[Token], titled: bool = False) -> bool:
    """Tell whether capitalised words read as a person's name (one word will do after a title)."""
    if not (1 if titled else 2) <= len(tokens) <= 4:
        return False
    if sum(len(t.text.rstrip(".")) > 1 for t in tokens) < (1 if titled else 2):
        return False
    for token in tokens:
        stem = fold_key(possessive_stem(token.text))
        if len(token.text.rstrip(".")) == 1 and token.text[0].isupper():
            continue  # an initial
        if not token.text[0].isupper() or not re.fullmatch(r"[^\W\d_][^\W\d_’'ʼ\-]*(?:[’'ʼ]\w+)?", token.text):
            return False
        if stem in NOT_NAME_WORDS or stem in ORG_HEADS or stem in TITLE_WORDS or stem in NAME_PARTICLES:
            return False
        if token.text.isupper() and len(token.text) > 1:
            return False
    return country_code(" ".join(possessive_stem(t.text) for t in tokens)) is None


def name_pieces(chain: Sequence[Token]) -> list[tuple[list[Token], str]]:
    """Split a capitalised run into named pieces: titles drop, organisation words end a piece."""
    pieces: list[tuple[list[Token], str]] = []
    current: list[Token] = []
    after_title = False
    complement = False  # inside "Minister of …": the words after "of" belong to the title
    org_open = False  # inside "Ministry of …": the piece is an organisation whatever follows

    def flush(kind: str | None = None) -> None:
        nonlocal current, after_title, org_open
        tokens = trim_np(current)
        titled = after_title
        current = []
        after_title = False
        if org_open:
            kind, org_open = ORGANISATION, False
        if not tokens:
            return
        if complement and kind is None and len(tokens) > 2 and looks_like_person(tokens[-2:]):
            tokens = tokens[-2:]
        if kind is None and len(tokens) > 2 and _is_country_word(tokens[0].text):
            pieces.append(([tokens[0]], PLACE))
            tokens = tokens[1:]
        if kind is None:
            if any(fold_key(possessive_stem(t.text)) in ORG_HEADS for t in tokens) or any(
                t.text.isupper() and len(t.text) > 1 and t.text.isalpha() for t in tokens
            ):
                kind = ORGANISATION
            elif looks_like_person(tokens, titled):
                kind = PERSON
            elif len(tokens) == 1 and country_code(possessive_stem(tokens[0].text)):
                kind = PLACE
            else:
                kind = "other"
        pieces.append((tokens, kind))

    for index, token in enumerate(chain):
        key = fold_key(possessive_stem(token.text))
        if key in TITLE_WORDS:
            current = []
            after_title = True
            complement = False
            continue
        if after_title and not current and key in {"of", "for"}:
            complement = True
        if key == "and" or (key in {"of", "for", "from", "at"} and looks_like_person(trim_np(current))):
            flush()
            continue
        current.append(token)
        following = chain[index + 1 : index + 3]
        continues = len(following) == 2 and following[0].key in {"of", "for", "on"} and following[1].capitalised
        if key in ORG_HEADS and not continues:
            # "… Operations Company Eldar Rasulov" ends at the head; "Ministry of Foreign Affairs" goes on.
            flush(ORGANISATION)
        elif key in ORG_HEADS:
            org_open = True
        elif is_possessive(token.text):
            flush()
    flush()
    return pieces


def capitalised_runs(masked: str, start: int, end: int) -> list[list[Token]]:
    """Runs of capitalised words (with connectors such as of, the, de between them) in a stretch of the body."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    limit = start
    previous: Token | None = None
    for token in tokens_in(masked, start, end):
        gap = masked[limit : token.start]
        joined = not gap.strip() or (previous is not None and adjoining(masked, previous, token.start))
        previous = token
        if token.capitalised and joined:
            current.append(token)
        elif token.capitalised:
            if current:
                runs.append(current)
            current = [token]
        elif joined and current and token.key in CONNECTORS:
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = []
        limit = token.end
    if current:
        runs.append(current)
    cleaned = []
    for run in runs:
        first = run[0]
        before = masked[max(0, first.start - 8) : first.start].rstrip()
        opening = not before or before[-1] in '\n.!?:”"»'
        if len(run) > 1 and (first.key in FUNCTION_WORDS or (opening and first.key in NOT_NAME_WORDS)):
            run = run[1:]
        cleaned.append(run)
    return cleaned


def fallback_candidates(body: str, masked: str, paragraphs: Sequence[tuple[int, int]]) -> list[Candidate]:
    """Find people and organisations from capitalised runs when no mentions are given."""
    found: list[Candidate] = []
    for start, end in paragraphs:
        for run in capitalised_runs(masked, start, end):
            for tokens, kind in name_pieces(run):
                if kind not in (PERSON, ORGANISATION):
                    continue
                s, e = tokens[0].start, tokens[-1].end
                text = body[s:e]
                if kind == PERSON:
                    text = possessive_stem(tokens[-1].text)
                    text = " ".join([*(t.text for t in tokens[:-1]), text])
                    e = s + len(text)
                found.append(Candidate(s, e, kind, None, text, body[s:e]))
    people = {fold_key(c.name.split()[-1]): c for c in found if c.entity_type == PERSON}
    # A surname on its own ("Altun said") is the person named in full elsewhere.
    covered = {i for c in found for i in range(c.start, c.end)}
    for start, end in paragraphs:
        for token in tokens_in(masked, start, end):
            if not token.text[0].isupper() or token.start in covered:
                continue
            stem = possessive_stem(token.text)
            person = people.get(folded(stem))
            if person:
                found.append(Candidate(token.start, token.start + len(stem), PERSON, None, person.name, stem))
    return sorted(found, key=lambda c: c.start)


def mention_candidates(mentions: Sequence[Mention]) -> list[Candidate]:
    """The entity stage's mentions as candidates, in body order."""
    return sorted(
        (
            Candidate(m.char_start, m.char_end, m.entity_type, m.entity_id, m.canonical_name, m.surface, m.role)
            for m in mentions
        ),
        key=lambda c: c.start,
    )


def guess_gender(candidate: Candidate, body: str) -> str | None:
    """Guess a person's gender from a title before the name, the first name or the surname's ending."""
    before = body[max(0, candidate.start - 40) : candidate.start].split()[-4:]
    for word in reversed(before):
        title = word.casefold().strip(",;:()’'")
        if title in FEMALE_TITLES:
            return "f"
        if title in MALE_TITLES:
            return "m"
    for name in (candidate.name, candidate.surface):
        words = [fold_key(w) for w in re.findall(r"[^\W\d_][\w\-]*", name)]
        if not words:
            continue
        if words[0] in FEMALE_FIRST:
            return "f"
        if words[0] in MALE_FIRST:
            return "m"
        if len(words) >= 2 or len(words[0]) > 4:
            last = words[-1]
            if last.endswith(("ova", "eva", "yeva", "ina", "yna", "kaya", "skaya", "qızı", "qizi", "kyzy")):
                return "f"
            if last.endswith(("ov", "ev", "yev", "in", "sky", "skiy", "oğlu", "oglu", "uly", "ulu")):
                return "m"
    return None


def learn_genders(
    sentences: Sequence[Sequence[tuple[int, int]]], candidates: Sequence[Candidate], masked: str, spans: Sequence[Span]
) -> dict[str, str]:
    """Genders from sentences that name one person and use only he/his or only she/her after the name.

    Args:
        sentences: The sentences of every paragraph.
        candidates: The people and organisations named in the body.
        masked: The body with quoted text masked.
        spans: The quoted spans.

    Returns:
        The folded name of each person so learned to "m" or "f".
    """
    learned: dict[str, str] = {}
    for paragraph in sentences:
        for start, end in paragraph:
            people = [
                c
                for c in candidates
                if c.entity_type == PERSON and start <= c.start < end and not inside_quote(spans, c.start, c.end)
            ]
            if len({fold_key(c.name) for c in people}) != 1:
                continue
            words = {t.key for t in tokens_in(masked, people[0].end, end)}
            male, female = bool(words & MALE_PRONOUNS), bool(words & FEMALE_PRONOUNS)
            if male != female:
                learned.setdefault(fold_key(people[0].name), "m" if male else "f")
    return learned
