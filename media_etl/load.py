"""Load validated batches into the warehouse and record each run."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from media_etl import PARSER_VERSION
from media_etl.enrich.near_duplicates import cluster_stories
from media_etl.pipeline import Batch, quarantine_frame
from media_etl.records import Rejection
from media_etl.store.parquet import Location, ensure_table, read_columns, replace_table
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter, as_writer
from schemas import TABLES

__all__ = [
    "LoadCounts",
    "Warehouse",
    "WarehouseWriter",
    "load_batch",
    "prepare_warehouse",
    "record_run",
    "refresh_story_clusters",
    "run_row",
]


@dataclass(frozen=True)
class LoadCounts:
    """What loading one batch wrote."""

    files_read: int
    articles_valid: int
    articles_loaded: int
    paragraphs_loaded: int
    sources_loaded: int
    quarantine_loaded: int


def prepare_warehouse(warehouse: Location) -> None:
    """Give every table an empty part if it has none, so that views resolve even before the first load."""
    for spec in TABLES.values():
        ensure_table(warehouse, spec)


def load_batch(
    writer: WarehouseWriter | Warehouse | str | os.PathLike[str],
    batch: Batch,
    *,
    run_id: str,
    loaded_at: datetime,
    part: str,
) -> LoadCounts:
    """Write a batch's new rows: quarantine, paragraphs, enrichment, articles, sources, fetch log, ledger.

    Paragraphs and enrichment rows go before their articles, so any article a reader can
    see already has them; the ledger goes last, so a file counts as read only once all its
    rows are stored. Every table skips keys it already holds, so a re-run after a
    crash fills in exactly what is missing. The rows of an article, in every table, go
    into the month partition of the article (where it is stored already, if it is).

    Args:
        writer: The run's ``WarehouseWriter``, made once per run so that stored keys are
            read once. A folder or URL also works, at the cost of reading every table's
            keys again for this batch.
        batch: Validated rows and rejections from ``process_files``.
        run_id: The current run.
        loaded_at: Start of the current run, UTC.
        part: A name for this batch's part files, unique within the run.

    Returns:
        The counts written.
    """
    writer = as_writer(writer)
    months = writer.article_months(batch.articles)
    quarantined = writer.append(
        TABLES["quarantine"], quarantine_frame(batch.rejections, run_id=run_id, at=loaded_at), part
    )
    paragraphs = writer.append(TABLES["paragraphs"], batch.paragraphs, part, months=months)
    for name, rows in batch.enrichment.items():
        writer.append(TABLES[name], rows, part, months=months)
    articles = writer.append(TABLES["articles"], batch.articles, part)
    sources = writer.append(TABLES["article_sources"], batch.sources, part, months=months)
    writer.append(TABLES["fetch_log"], batch.fetches, part)
    writer.append(TABLES["ingest_ledger"], batch.ledger, part)
    return LoadCounts(batch.files_seen, len(batch.articles), articles, paragraphs, sources, quarantined)


def run_row(
    *,
    run_id: str,
    started_at: datetime,
    finished_at: datetime,
    inputs: Sequence[str],
    files_seen: int,
    files_unchanged: int,
    counts: Iterable[LoadCounts],
    rejections: Iterable[Rejection],
    error: str | None = None,
) -> dict[str, object]:
    """Summarise a run as one ``runs`` row.

    Args:
        run_id: The run.
        started_at: Start, UTC.
        finished_at: End, UTC.
        inputs: The inputs as given.
        files_seen: Files found.
        files_unchanged: Files skipped unread because the ledger had them unchanged.
        counts: Per-batch load counts.
        rejections: Every rejection of the run, new or already quarantined.
        error: The error that stopped the run, if it failed.

    Returns:
        The row, ready for ``record_run``.
    """
    counts = list(counts)
    reasons = Counter(r.reason_code for r in rejections)
    valid = sum(c.articles_valid for c in counts)
    loaded = sum(c.articles_loaded for c in counts)
    return {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": finished_at,
        "status": "failed" if error else "completed",
        "detail": error,
        "inputs": json.dumps(list(inputs)),
        "parser_version": PARSER_VERSION,
        "files_seen": files_seen,
        "files_unchanged": files_unchanged,
        "files_read": sum(c.files_read for c in counts),
        "articles_parsed": valid,
        "articles_loaded": loaded,
        "articles_already_loaded": valid - loaded,
        "paragraphs_loaded": sum(c.paragraphs_loaded for c in counts),
        "sources_loaded": sum(c.sources_loaded for c in counts),
        "rows_quarantined": sum(reasons.values()),
        "quarantined_by_reason": json.dumps(dict(sorted(reasons.items())), ensure_ascii=False),
    }


def record_run(warehouse: WarehouseWriter | Warehouse | str | os.PathLike[str], row: dict[str, object]) -> None:
    """Validate and append one ``runs`` row (to the run's writer, or to a warehouse folder or URL)."""
    spec = TABLES["runs"]
    frame = spec.model.validate(pd.DataFrame([row], columns=list(spec.model.to_schema().columns)))
    as_writer(warehouse).append(spec, frame, str(row["run_id"]))


def refresh_story_clusters(database: Path, warehouse: Location) -> int:
    """Recluster the current article versions by their MinHash signatures and replace ``story_clusters``.

    Superseded versions are left out, so a changed file does not form a "story" with its
    own earlier version.

    Args:
        database: The warehouse's media.db, already rebuilt for this run (its views read
            the Parquet files, so the new clusters are visible without rebuilding it).
        warehouse: The warehouse (folder, URL, ``Warehouse`` or the run's writer).

    Returns:
        How many articles belong to a cluster of two or more.
    """
    with duckdb.connect(str(database), read_only=True) as connection:
        rows = connection.execute("select article_id from articles where not is_superseded").fetchall()
    current = {article_id for (article_id,) in rows}
    signatures = read_columns(warehouse, TABLES["article_signatures"], ["article_id", "signature"])
    meta = read_columns(warehouse, TABLES["articles"], ["article_id", "outlet", "published_at", "published_date"])
    meta = meta[meta["article_id"].isin(current)].drop_duplicates("article_id")
    clusters = cluster_stories(meta.merge(signatures, on="article_id"))
    spec = TABLES["story_clusters"]
    frame = spec.model.validate(clusters[list(spec.model.to_schema().columns)].reset_index(drop=True))
    replace_table(warehouse, spec, frame)
    return len(frame)
