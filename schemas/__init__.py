"""pandera models for every warehouse table: the single source of column truth.

``TABLES`` maps each table name to its model and the columns that identify a row;
storage uses it to de-duplicate and to build views.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd
import pandera.pandas as pa

from schemas.article_signatures import ArticleSignatureSchema
from schemas.article_sources import ArticleSourceSchema
from schemas.article_status import ArticleStatusSchema
from schemas.articles import ArticleSchema
from schemas.dates_mentioned import DateMentionedSchema
from schemas.fetch_log import FetchLogSchema
from schemas.ingest_ledger import IngestLedgerSchema
from schemas.mentions import MentionSchema
from schemas.paragraphs import ParagraphSchema
from schemas.quarantine import QuarantineSchema
from schemas.quarantine_resolutions import QuarantineResolutionSchema
from schemas.quotes import QuoteSchema
from schemas.runs import RunSchema
from schemas.story_clusters import StoryClusterSchema
from schemas.themes import ThemeSchema


@dataclass(frozen=True)
class TableSpec:
    """A warehouse table: its name, pandera model and identifying key columns.

    A derived table is recomputed from the others on every run and replaced whole;
    every other table is append-only.
    """

    name: str
    model: type[pa.DataFrameModel]
    key: tuple[str, ...]
    derived: bool = False

    @property
    def columns(self) -> list[str]:
        """The table's column names, in model order."""
        return list(_columns(self.model))

    def frame(self, rows: Sequence[Mapping[str, object]]) -> pd.DataFrame:
        """Build an (unvalidated) DataFrame of this table's columns, in model order, from row mappings."""
        return pd.DataFrame(list(rows), columns=self.columns)


@cache
def _columns(model: type[pa.DataFrameModel]) -> tuple[str, ...]:
    # pandera rebuilds the schema object on every to_schema() call: ask once per model.
    return tuple(model.to_schema().columns)


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("articles", ArticleSchema, ("article_id",)),
        TableSpec("paragraphs", ParagraphSchema, ("article_id", "seq")),
        TableSpec("article_sources", ArticleSourceSchema, ("article_id", "source_uri", "item_key")),
        TableSpec("ingest_ledger", IngestLedgerSchema, ("path", "size", "mtime_ns")),
        TableSpec("fetch_log", FetchLogSchema, ("url", "fetched_at")),
        TableSpec("mentions", MentionSchema, ("article_id", "char_start", "char_end", "entity_type")),
        TableSpec("quotes", QuoteSchema, ("article_id", "char_start", "char_end")),
        TableSpec("themes", ThemeSchema, ("article_id", "theme", "char_start")),
        TableSpec("dates_mentioned", DateMentionedSchema, ("article_id", "char_start", "char_end")),
        TableSpec("article_signatures", ArticleSignatureSchema, ("article_id",)),
        TableSpec("story_clusters", StoryClusterSchema, ("article_id",), derived=True),
        TableSpec("article_status", ArticleStatusSchema, ("article_id",), derived=True),
        TableSpec("quarantine", QuarantineSchema, ("quarantine_id",)),
        TableSpec("quarantine_resolutions", QuarantineResolutionSchema, ("quarantine_id",)),
        TableSpec("runs", RunSchema, ("run_id",)),
    )
}

# Tables the enrichment stage fills, one row set per article.
ENRICHMENT_TABLES = ("mentions", "quotes", "themes", "dates_mentioned", "article_signatures")

__all__ = [
    "ENRICHMENT_TABLES",
    "TABLES",
    "ArticleSchema",
    "ArticleSignatureSchema",
    "ArticleSourceSchema",
    "ArticleStatusSchema",
    "DateMentionedSchema",
    "FetchLogSchema",
    "IngestLedgerSchema",
    "MentionSchema",
    "ParagraphSchema",
    "QuarantineResolutionSchema",
    "QuarantineSchema",
    "QuoteSchema",
    "RunSchema",
    "StoryClusterSchema",
    "TableSpec",
    "ThemeSchema",
]
