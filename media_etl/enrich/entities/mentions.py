"""Mentions: an article's people, organisations and places, with offsets, ids and canonical names."""

from __future__ import annotations

from media_etl.enrich.entities.extractor import Extractor
from media_etl.enrich.entities.gazetteer import (
    stable_id,
)
from media_etl.enrich.entities.identity import entities_of
from media_etl.enrich.entities.models import model_spans
from media_etl.enrich.records import ArticleText, Mention
from media_etl.text.names import (
    name_skeleton,
)
from media_etl.text.tokens import guess_language
from schemas.vocabularies import PERSON


def extract_mentions(article: ArticleText) -> list[Mention]:
    """Find the people, organisations and places an article's body names.

    Args:
        article: The article; ``language`` steers Turkic suffix handling (guessed from
            the letters when None).

    Returns:
        The mentions in body order, each with ``body[char_start:char_end] == surface``, a
        stable ``entity_id``, the entity's canonical Latin name, the role written next to a
        person, and a place's ISO country and coordinates where the gazetteer has them.
    """
    body = article.body
    if not body:
        return []
    language = guess_language(body, article.language)
    extractor = Extractor(body, language)
    spans = extractor.run(model_spans(body, language))
    entities = entities_of(spans)
    mentions: list[Mention] = []
    seen: set[tuple[int, int, str]] = set()
    for span, entity in sorted(zip(spans, entities, strict=True), key=lambda pair: (pair[0].start, pair[0].end)):
        if (span.start, span.end, span.kind) in seen or span.end <= span.start:
            continue
        seen.add((span.start, span.end, span.kind))
        key = entity.key if entity.kind != PERSON else name_skeleton(entity.canonical)
        place = entity.place
        mentions.append(
            Mention(
                article_id=article.article_id,
                entity_id=stable_id(entity.kind, key),
                entity_type=entity.kind,
                canonical_name=entity.canonical,
                surface=body[span.start : span.end],
                char_start=span.start,
                char_end=span.end,
                role=span.role,
                country=place.country if place else None,
                latitude=place.latitude if place else None,
                longitude=place.longitude if place else None,
            )
        )
    return mentions
