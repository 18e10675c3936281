"""The ``fetch_log`` table: every HTTP request the ETL made, for lineage and conditional GETs."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp


class FetchLogSchema(pa.DataFrameModel):
    """One fetch of one URL."""

    url: Series[str] = pa.Field(description="The URL asked for (a feed, or a page an item links to).")
    fetched_at: Series[UtcTimestamp] = pa.Field(description="When the run fetched it, UTC.")
    status: Series[pd.Int64Dtype] = pa.Field(nullable=True, description="HTTP status; null when no response came.")
    not_modified: Series[bool] = pa.Field(description="True for a 304: nothing new since the last fetch.")
    etag: Series[str] = pa.Field(nullable=True, description="ETag to send next time (If-None-Match).")
    last_modified: Series[str] = pa.Field(nullable=True, description="Last-Modified to send next time.")
    raw_path: Series[str] = pa.Field(
        nullable=True, description="Immutable copy of the body under <warehouse>/raw/<date>/<host>/, for replay."
    )
    attempts: Series[int] = pa.Field(ge=0, description="Requests made, retries included.")
    error: Series[str] = pa.Field(nullable=True, description="Why the fetch failed, when it did.")

    class Config:
        strict = True
        coerce = True
        unique = ["url", "fetched_at"]  # noqa: RUF012 (pandera reads a plain list)
