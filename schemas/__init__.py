"""pandera models for every warehouse table: the single source of column truth.

``TABLES`` maps each table name to its model and the columns that identify a row;
storage uses it to de-duplicate and to build views.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from schemas.article_sources import ArticleSourceSchema
from schemas.articles import ArticleSchema
from schemas.fetch_log import FetchLogSchema
from schemas.ingest_ledger import IngestLedgerSchema
from schemas.paragraphs import ParagraphSchema
from schemas.quarantine import QuarantineSchema
from schemas.runs import RunSchema


@dataclass(frozen=True)
class TableSpec:
    """A warehouse table: its name, pandera model and identifying key columns."""

    name: str
    model: type[pa.DataFrameModel]
    key: tuple[str, ...]


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("articles", ArticleSchema, ("article_id",)),
        TableSpec("paragraphs", ParagraphSchema, ("article_id", "seq")),
        TableSpec("article_sources", ArticleSourceSchema, ("article_id", "source_uri", "item_key")),
        TableSpec("ingest_ledger", IngestLedgerSchema, ("path", "size", "mtime_ns")),
        TableSpec("fetch_log", FetchLogSchema, ("url", "fetched_at")),
        TableSpec("quarantine", QuarantineSchema, ("quarantine_id",)),
        TableSpec("runs", RunSchema, ("run_id",)),
    )
}

__all__ = [
    "TABLES",
    "ArticleSchema",
    "ArticleSourceSchema",
    "FetchLogSchema",
    "IngestLedgerSchema",
    "ParagraphSchema",
    "QuarantineSchema",
    "RunSchema",
    "TableSpec",
]
