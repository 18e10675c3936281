"""Plain records passed between stages before they become DataFrames."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, datetime


def short_hash(*parts: str) -> str:
    """Return a stable 16-hex-digit identifier for the given parts."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SourceItem:
    """One article as a structured reader (HTML, feed, JSON Lines, CSV) found it, before parsing.

    The pipeline cleans ``text`` and runs the body parser on it (dateline, credits,
    subheadings, boilerplate), so readers hand over the text as the format gives it.
    """

    source_uri: str
    """The file path or fetched URL the item came from (the same for every item of one feed)."""
    item_key: str
    """Identifies the item inside its source: "" for a one-article file, else guid, link or position."""
    source_kind: str
    """The reader: html, feed or jsonl (csv exports use jsonl's mapping and say csv)."""
    content_hash: str
    """SHA-256 of the raw bytes of the whole input file or response."""
    encoding: str
    """Encoding the bytes were decoded with."""
    text: str
    """The body as plain text, paragraphs separated by newlines (blank lines allowed)."""
    headline: str | None = None
    published: datetime | date | None = None
    """Publication time: an aware datetime when the source gave a zone, a naive datetime for a
    local time without zone (read in the outlet's zone), a date when only the day is known."""
    published_precision: str | None = None
    """second, minute or day; None means: derive from ``published``."""
    date_source: str | None = None
    """Where ``published`` came from: html-meta, html-text, json-ld, feed, url or file."""
    url: str | None = None
    """The article's own link (canonical URL for pages, item link for feeds)."""
    guid: str | None = None
    authors: tuple[str, ...] = ()
    site_name: str | None = None
    language: str | None = None
    """Language as the source declares it (ISO 639-1 where possible)."""


@dataclass(frozen=True)
class ListedUrl:
    """A URL a URL-list file names: a page or feed the run fetches like a URL given on the command line."""

    source_uri: str
    """The URL-list file."""
    line: int
    """The line of the file that names the URL (1-based)."""
    url: str


@dataclass(frozen=True)
class Rejection:
    """An input or row that could not be loaded, with where and why."""

    source_uri: str
    stage: str
    reason_code: str
    detail: str
    line: int | None = None
    field: str | None = None
    excerpt: str | None = None
    content_hash: str | None = None

    @property
    def quarantine_id(self) -> str:
        """Stable identity, so that re-running the same bad input adds no second row."""
        return short_hash(
            self.source_uri, self.content_hash or "", self.stage, self.reason_code, self.field or "", self.detail
        )

    def as_row(self) -> dict[str, object]:
        """The rejection as a quarantine row without the run columns."""
        return {"quarantine_id": self.quarantine_id, **asdict(self)}
