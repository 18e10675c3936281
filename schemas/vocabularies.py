"""Vocabularies: the values a warehouse column may take.

The table models check their columns against these, and the library writes its values from
them (it imports them from here; nothing in ``schemas`` imports the library). Each tuple is in
the order the data dictionary lists it.
"""

from __future__ import annotations

import pycountry

# articles.source_kind: the reader that produced the article.
SOURCE_KINDS = ("text", "html", "feed", "jsonl", "csv")

# articles.script: the writing system of the text.
LATIN = "Latin"
CYRILLIC = "Cyrillic"
MIXED = "Mixed"
SCRIPTS = (LATIN, CYRILLIC, MIXED)

# articles.language: an ISO 639-1 code, or "und" when the text does not say (docs/language.md).
UNDETERMINED_LANGUAGE = "und"
ISO_LANGUAGES = sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))
LANGUAGES = (*ISO_LANGUAGES, UNDETERMINED_LANGUAGE)

# articles.dateline_country: ISO 3166-1 alpha-2 codes.
ISO_COUNTRIES = sorted(c.alpha_2 for c in pycountry.countries)

# articles.date_precision: how precise the publication date is.
PRECISIONS = ("second", "minute", "day", "unknown")

# articles.date_source: where the publication date came from.
DATE_SOURCES = ("header", "dateline", "html-meta", "html-text", "json-ld", "feed", "url", "file")

# paragraphs.kind
PARAGRAPH = "paragraph"
SUBHEADING = "subheading"
PARAGRAPH_KINDS = (PARAGRAPH, SUBHEADING)

# mentions.entity_type
PERSON = "person"
ORGANISATION = "organisation"
PLACE = "place"
ENTITY_TYPES = (PERSON, ORGANISATION, PLACE)

# quotes.kind: in quote marks, or reported.
DIRECT = "direct"
INDIRECT = "indirect"
QUOTE_KINDS = (DIRECT, INDIRECT)

# dates_mentioned.precision: the period a mentioned date names.
DAY = "day"
MONTH = "month"
YEAR = "year"
MENTIONED_DATE_PRECISIONS = (DAY, MONTH, YEAR)

# quarantine.stage: the stage that rejected an input or row, in pipeline order.
STAGES = ("read", "parse", "validate", "enrich", "load")

# runs.status
RUN_STATUSES = ("completed", "failed")
# runs.run_kind
RUN_KINDS = ("load", "reprocess")
