"""The ``article_sources`` table: every place an article version was read from."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp


class ArticleSourceSchema(pa.DataFrameModel):
    """One (article version, source, item) link; identical copy from two sources has two rows."""

    article_id: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{16}$", description="The article version.")
    source_uri: Series[str] = pa.Field(description="File or URL the item was read from.")
    item_key: Series[str] = pa.Field(
        description="The item inside the source: '' for one-article files, else guid, link, URL or line."
    )
    source_kind: Series[str] = pa.Field(description="Reader that produced it: text, html, feed, jsonl or csv.")
    url: Series[str] = pa.Field(nullable=True, description="The item's own link, if any.")
    guid: Series[str] = pa.Field(nullable=True, description="The feed item's guid or id, if any.")
    content_hash: Series[str] = pa.Field(description="SHA-256 of the raw source file or response.")
    run_id: Series[str] = pa.Field(description="Run that first saw this link.")
    seen_at: Series[UtcTimestamp] = pa.Field(description="Start of that run, UTC; orders an item's versions.")

    class Config:
        strict = True
        coerce = True
        unique = ["article_id", "source_uri", "item_key"]  # noqa: RUF012 (pandera reads a plain list)
