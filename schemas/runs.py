"""The ``runs`` table: one row per ETL flow run, with its counts and outcome."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from schemas._types import UtcTimestamp
from schemas.vocabularies import RUN_KINDS, RUN_STATUSES


class RunSchema(pa.DataFrameModel):
    """One ETL run."""

    run_id: Series[str] = pa.Field(unique=True, description="Prefect flow-run id, or a generated id outside Prefect.")
    started_at: Series[UtcTimestamp] = pa.Field(description="Start of the run, UTC.")
    finished_at: Series[UtcTimestamp] = pa.Field(description="End of the run, UTC.")
    status: Series[str] = pa.Field(
        isin=list(RUN_STATUSES), description="completed, or failed with the error in detail."
    )
    detail: Series[str] = pa.Field(nullable=True, description="Error message of a failed run.")
    inputs: Series[str] = pa.Field(description="The input paths as given, JSON-encoded.")
    parser_version: Series[str] = pa.Field(description="Parser version used.")
    files_seen: Series[int] = pa.Field(ge=0, description="Input files found.")
    files_unchanged: Series[int] = pa.Field(ge=0, description="Files skipped unread: the ledger had them unchanged.")
    files_read: Series[int] = pa.Field(ge=0, description="Files (and fetched responses) read and processed.")
    articles_parsed: Series[int] = pa.Field(ge=0, description="Articles that parsed and validated.")
    articles_loaded: Series[int] = pa.Field(ge=0, description="Articles new to the warehouse and written.")
    articles_already_loaded: Series[int] = pa.Field(ge=0, description="Valid articles already in the warehouse.")
    paragraphs_loaded: Series[int] = pa.Field(ge=0, description="Paragraph rows written.")
    sources_loaded: Series[int] = pa.Field(ge=0, description="New article_sources rows: first sightings of a copy.")
    rows_quarantined: Series[int] = pa.Field(ge=0, description="Inputs or rows rejected by this run (new or not).")
    workers: Series[int] = pa.Field(ge=1, description="Worker processes that transformed batches (local pool).")
    stage_seconds: Series[float] = pa.Field(
        ge=0, description="Seconds during which some stage function was running, in any process."
    )
    signatures_clustered: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        ge=0,
        description="Article signatures the story clusters were recomputed from; null: not reclustered.",
    )
    quarantined_by_reason: Series[str] = pa.Field(description="JSON object: reason_code -> count, for this run.")
    run_kind: Series[str] = pa.Field(
        nullable=True,
        isin=list(RUN_KINDS),
        description="load (media-etl run) or reprocess (media-etl reprocess); null for runs recorded before it was.",
    )
    config_hash: Series[str] = pa.Field(
        nullable=True,
        description="Hash of the configuration the run derived rows with: sources.yaml, themes.yaml, the language"
        " list and enrichment on/off (media_etl/provenance.py); null for runs recorded before it was.",
    )
    code_version: Series[str] = pa.Field(
        nullable=True,
        description="The code the run derived rows with: parser version, package version and installed model"
        " versions, e.g. 'parser=wire-1 media-etl=0.1.0 spacy=3.8.18'; null for runs recorded before it was.",
    )

    class Config:
        strict = True
        coerce = True
