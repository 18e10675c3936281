"""The state of one article while its quotes are found: body, masked body, spans, sentences, candidates, caches."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from media_etl.enrich.quotes.admissible import admissible
from media_etl.enrich.quotes.names import fallback_candidates, learn_genders, mention_candidates
from media_etl.enrich.quotes.phrases import Token
from media_etl.enrich.quotes.records import Attribution, Candidate, Cue, Speaker
from media_etl.enrich.quotes.spans import (
    inside_quote,
    mask_quotes,
    quoted_spans,
    sentence_of,
    split_paragraphs,
    split_sentences,
)
from media_etl.enrich.records import ArticleText, Mention, Quote


class Context:
    """State for one article: body, masked body, quoted spans, sentences, candidates.

    The quote rules are functions that take the context first. ``speakers``, ``genders`` and
    the caches fill up while the article is read, in body order.
    """

    def __init__(self, article: ArticleText, mentions: Sequence[Mention]) -> None:
        self.article = article
        self.body = body = article.body
        self.paragraphs = split_paragraphs(body)
        self.spans = quoted_spans(body, self.paragraphs)
        self.masked = mask_quotes(body, self.spans)
        self.sentences = [split_sentences(body, self.masked, p, self.spans) for p in self.paragraphs]
        self.mentions = mention_candidates([m for m in mentions if 0 <= m.char_start < m.char_end <= len(body)])
        fallback = fallback_candidates(body, self.masked, self.paragraphs)
        # Names the mentions missed (a mention-less article, or a surname the entity stage did not
        # tag) still count, wherever no mention covers them.
        taken = [(c.start, c.end) for c in self.mentions]
        extra = [c for c in fallback if not any(s < c.end and c.start < e for s, e in taken)]
        self.candidates = sorted([*self.mentions, *extra], key=lambda c: c.start)
        self.fallback = fallback
        self.speakers: list[Candidate] = []
        """People resolved as speakers so far (see ``people.remember``)."""
        self.genders: dict[str, str | None] = {}
        self.cue_cache: dict[int, list[Cue]] = {}
        self.surname_cache: dict[tuple[str, int], Candidate | None] = {}
        self.sentence_starts_sorted = sorted(s for sentences in self.sentences for s, _ in sentences) or [0]
        self.paragraph_starts = {start for start, _ in self.paragraphs}
        self.learned = learn_genders(self.sentences, self.candidates, self.masked, self.spans)

    def inside_quote(self, start: int, end: int) -> bool:
        """Tell whether a stretch of the body lies inside quote marks."""
        return inside_quote(self.spans, start, end)

    def sentence(self, paragraph: int, pos: int) -> tuple[int, int]:
        """The sentence of a paragraph that holds a position."""
        return sentence_of(self.sentences[paragraph], pos)

    def words(self, start: int, end: int) -> int:
        """The number of words in a stretch of the body."""
        return len(re.findall(r"[^\W_][\w’'\-]*", self.body[start:end]))

    def sentence_starts(self) -> set[int]:
        """Where every sentence of the body starts."""
        return {s for sentences in self.sentences for s, _ in sentences}

    def sentence_start(self, position: int) -> int:
        """Where the sentence holding a position starts."""
        index = bisect.bisect_right(self.sentence_starts_sorted, position) - 1
        return self.sentence_starts_sorted[max(0, index)]

    def is_common_word(self, token: Token) -> bool:
        """Tell whether a capitalised word is also written in lower case outside quotes, and not again capitalised."""
        word = token.text.casefold()
        return (
            bool(re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", self.masked))
            and token.text not in self.masked[token.end :]
        )

    def quote(self, start: int, end: int, kind: str, attribution: Attribution | None, speaker: Speaker | None) -> Quote:
        """Build the quote record for a stretch of the body, with only a speaker that can speak (see ``admissible``)."""
        speaker = admissible(self, speaker)
        cue = attribution.cue.text if attribution else None
        return Quote(
            article_id=self.article.article_id,
            text=self.body[start:end],
            kind=kind,
            cue_verb=cue,
            speaker_surface=speaker.surface if speaker else None,
            speaker_entity_id=speaker.entity_id if speaker else None,
            speaker_name=speaker.name if speaker else None,
            char_start=start,
            char_end=end,
        )
