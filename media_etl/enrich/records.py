"""Records the enrichment stages produce. Offsets are character offsets into ``articles.body``.

The body is the article's paragraphs and subheadings joined by blank lines (``"\\n\\n"``),
so ``body[char_start:char_end] == surface`` for every record that has both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ArticleText:
    """What every enrichment stage reads about one article."""

    article_id: str
    headline: str
    body: str
    published_date: date | None
    language: str | None
    """ISO 639-1 code as detected (see ``media_etl.enrich.language``), "und" when undetermined, or None."""


@dataclass(frozen=True)
class Mention:
    """One mention of a person, organisation or place in a body."""

    article_id: str
    entity_id: str
    """Stable across articles and runs: a hash of the entity type and its canonical key, so
    every spelling and script of one entity (Hajiyev, Hacıyev, Гаджиев) gets the same id."""
    entity_type: str
    """person, organisation or place."""
    canonical_name: str
    """The entity's name in its canonical spelling (Latin script where known), e.g. Hikmet Hajiyev."""
    surface: str
    """The text as written at the offsets."""
    char_start: int
    char_end: int
    role: str | None = None
    """Title or role from an apposition: 'Director of the Balapan Channel', 'Communications Director'."""
    country: str | None = None
    """ISO 3166-1 alpha-2 code: for places, the place's country; else None."""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Quote:
    """One direct or indirect quote and who said it."""

    article_id: str
    text: str
    """The quoted words (direct: without the quote marks; indirect: the reported clause)."""
    kind: str
    """direct or indirect."""
    cue_verb: str | None
    """The verb that introduces it as written: said, noted, added, dedi, заявил."""
    speaker_surface: str | None
    """The speaker as written nearby ('he', 'Altun', 'Turkey’s Communications Directorate'): the
    ``quotes.speaker_surface`` column (``quotes.speaker`` is the resolved name, else this)."""
    speaker_entity_id: str | None
    """The resolved speaker's entity_id (pronouns resolved to the last fitting person)."""
    speaker_name: str | None
    """The resolved speaker's canonical name."""
    char_start: int
    char_end: int
    """Offsets of ``text`` in the body."""


@dataclass(frozen=True)
class ThemeHit:
    """Evidence that an article is about a theme of the taxonomy."""

    article_id: str
    theme: str
    """Theme id from the taxonomy, e.g. disinformation, media_cooperation."""
    evidence: str
    """The matched text."""
    char_start: int
    char_end: int


@dataclass(frozen=True)
class MentionedDate:
    """A date the text mentions, resolved to a calendar date."""

    article_id: str
    surface: str
    char_start: int
    char_end: int
    resolved: date
    """The first day of the period meant ("last December" in a 2021-11 article → 2020-12-01)."""
    precision: str
    """day, month or year."""
    relative: bool
    """True when resolved against the article's date ("last December", "on Saturday")."""
