"""Paragraphs, quoted spans (pairing quote marks), the masked body and sentences.

Every offset is into the article body. The masked body is the body with the text inside quote
marks replaced by ``MASK``, so that rules looking for cues and speakers never read quoted words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from media_etl.enrich.quotes.lexicon import ABBREVIATIONS
from media_etl.enrich.quotes.records import Span

SENTENCE_FINAL = ".!?…"
MASK = "\x00"


_TWO_MARK = re.compile(r"''|``")


def single_marks(body: str) -> str:
    """Write every two-character quote mark (``''`` and ````` as in ASCII newspaper copy) as one ``"``.

    The result has the same length, so every offset still points into the original body: an
    opening pair becomes a space and the mark (``''Donald`` → `` "Donald``), a closing one the
    mark and a space (``bit,''`` → ``bit," ``).
    """
    if "''" not in body and "``" not in body:
        return body

    def one(match: re.Match[str]) -> str:
        i = match.start()
        opening = match.group() == "``" or (
            (i == 0 or body[i - 1].isspace() or body[i - 1] in "([{—–-")
            and match.end() < len(body)
            and not body[match.end()].isspace()
        )
        return ' "' if opening else '" '

    return _TWO_MARK.sub(one, body)


def split_paragraphs(body: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every non-empty paragraph (blocks between blank lines)."""
    spans = []
    start = 0
    for match in re.finditer(r"\n\s*\n", body):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    return [(s, e) for s, e in spans if body[s:e].strip()]


def _is_boundary_before(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/“«„‘\"'"


def _is_boundary_after(text: str, i: int) -> bool:
    return i + 1 >= len(text) or not text[i + 1].isalnum()


def _find_close(text: str, i: int, end: int) -> int | None:
    mark = text[i]
    if mark == "«":
        depth = 0
        for j in range(i, end):
            if text[j] == "«":
                depth += 1
            elif text[j] == "»":
                depth -= 1
                if depth == 0:
                    return j
        return None
    if mark == "‘":
        for j in range(i + 1, end):
            if text[j] == "’" and not text[j - 1].isspace() and _is_boundary_after(text, j):
                return j
        return None
    # A straight mark may close a curly one and the other way round (“…" and "…”), but only
    # when the proper closing mark does not come.
    closers = {'"': '"”', "“": '”"', "„": "“”", "‹": "›"}[mark]
    for closer in closers:
        for j in range(i + 1, end):
            if text[j] == closer:
                return j
    return None


def quoted_spans(body: str, paragraphs: Sequence[tuple[int, int]]) -> list[Span]:
    """Pair quote marks paragraph by paragraph; an unclosed “ « „ runs to the paragraph end."""
    spans: list[Span] = []
    for index, (start, end) in enumerate(paragraphs):
        i = start
        while i < end:
            mark = body[i]
            opens = mark in "“«„‹" or (mark in '‘"' and _is_boundary_before(body, i))
            if not opens or i + 1 >= end or body[i + 1].isspace():
                i += 1
                continue
            close = _find_close(body, i, end)
            if close is None:
                if mark in "“«„":
                    spans.append(Span(i, end, False, index))
                    break
                i += 1
                continue
            if close > i + 1:
                spans.append(Span(i, close, True, index))
            i = close + 1
    return spans


def mask_quotes(body: str, spans: Iterable[Span]) -> str:
    """Replace the text inside quote marks by a mask character, keeping every offset."""
    chars = list(body)
    for span in spans:
        for j in range(span.open + 1, span.close):
            if chars[j] != "\n":
                chars[j] = MASK
    return "".join(chars)


def _abbreviation_before(masked: str, i: int) -> bool:
    j = i
    while j > 0 and (masked[j - 1].isalnum() or masked[j - 1] in ".-"):
        j -= 1
    word = masked[j:i].casefold()
    return (len(word) == 1 and word.isalpha()) or word in ABBREVIATIONS


def split_sentences(body: str, masked: str, paragraph: tuple[int, int], spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Split a paragraph into sentences at . ! ? … outside quote marks (and after a quote ending one)."""
    start, end = paragraph
    closes = {s.close: s for s in spans if s.closed}
    sentences = []
    current = start
    i = start
    while i < end:
        ch = masked[i]
        split_at = None
        if (ch in SENTENCE_FINAL and not (ch == "." and _abbreviation_before(masked, i))) or (
            i in closes and body[i - 1] in SENTENCE_FINAL
        ):
            split_at = i + 1
        if split_at is not None:
            while split_at < end and masked[split_at] in SENTENCE_FINAL + ')”»’"':
                split_at += 1
            rest = masked[split_at:end].lstrip()
            spaced = split_at >= end or masked[split_at].isspace()
            if spaced and (not rest or rest[0].isupper() or rest[0].isdigit() or rest[0] in '“«„‘"—–-'):
                sentences.append((current, split_at))
                current = split_at
                while current < end and masked[current].isspace():
                    current += 1
                i = current
                continue
        i += 1
    if current < end:
        sentences.append((current, end))
    return sentences


def sentence_of(sentences: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence that holds a position, else the last one."""
    for sentence in sentences:
        if sentence[0] <= pos < sentence[1]:
            return sentence
    return sentences[-1]


def inside_quote(spans: Sequence[Span], start: int, end: int) -> bool:
    """Tell whether a stretch of the body lies inside one pair of quote marks."""
    return any(s.open < start and end <= s.close for s in spans)
