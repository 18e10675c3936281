"""The ``ingest_ledger`` table: the files each run read, so unchanged files are skipped unread."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp


class IngestLedgerSchema(pa.DataFrameModel):
    """One file state (path, size, mtime) that a run read."""

    path: Series[str] = pa.Field(description="The file, as listed from the inputs.")
    size: Series[int] = pa.Field(ge=-1, description="Size in bytes when listed (-1: could not stat).")
    mtime_ns: Series[int] = pa.Field(description="Modification time in ns when listed (-1: could not stat).")
    content_hash: Series[str] = pa.Field(nullable=True, description="SHA-256 of the bytes read; null if unreadable.")
    items: Series[int] = pa.Field(ge=0, description="Articles or records read from it (before parsing).")
    run_id: Series[str] = pa.Field(description="Run that read this file state.")
    seen_at: Series[UtcTimestamp] = pa.Field(description="Start of that run, UTC.")

    class Config:
        strict = True
        coerce = True
        unique = ["path", "size", "mtime_ns"]  # noqa: RUF012 (pandera reads a plain list)
