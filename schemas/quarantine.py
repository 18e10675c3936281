"""The ``quarantine`` table: every input or row that was not loaded, and why."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp
from schemas.vocabularies import STAGES


class QuarantineSchema(pa.DataFrameModel):
    """One rejected input or row."""

    quarantine_id: Series[str] = pa.Field(
        unique=True,
        str_matches=r"^[0-9a-f]{16}$",
        description="Stable id from source, content, stage, reason and detail: re-runs add no duplicate.",
    )
    run_id: Series[str] = pa.Field(description="Run that first quarantined it.")
    source_uri: Series[str] = pa.Field(description="The input file or URL.")
    stage: Series[str] = pa.Field(
        isin=list(STAGES), description="Stage that rejected it: read, parse, validate, enrich or load."
    )
    reason_code: Series[str] = pa.Field(
        str_matches=r"^[a-z0-9_]+$", description="Machine-readable reason, e.g. empty, not_text, no_body."
    )
    detail: Series[str] = pa.Field(description="Human-readable explanation naming the field or value at fault.")
    line: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Line in the input, when known.")
    field: Series[str] = pa.Field(nullable=True, description="Column or input field at fault, when known.")
    excerpt: Series[str] = pa.Field(nullable=True, description="Up to 200 characters of the offending input.")
    content_hash: Series[str] = pa.Field(nullable=True, description="SHA-256 of the raw input, when it was read.")
    quarantined_at: Series[UtcTimestamp] = pa.Field(description="When the quarantining run started, UTC.")

    class Config:
        strict = True
        coerce = True
