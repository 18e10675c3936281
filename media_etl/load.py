"""Load validated batches into the warehouse, record each run, mark superseded versions, recluster the stories."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd
import pyarrow as pa

from media_etl.batch import Batch, quarantine_frame
from media_etl.enrich.near_duplicates import cluster_stored_stories
from media_etl.enrich.story_index import CHUNK_ROWS
from media_etl.store.compact import compact_crowded_partitions
from media_etl.store.database import table_source
from media_etl.store.freshness import stamp_status, status_digest, status_is_current
from media_etl.store.parquet import Location, ensure_table, replace_table
from media_etl.store.status import ARTICLE_STATUS, compute_article_status, store_article_status
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter, as_writer
from schemas import TABLES


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


def record_run(warehouse: WarehouseWriter | Warehouse | str | os.PathLike[str], row: dict[str, object]) -> None:
    """Validate and append one ``runs`` row (to the run's writer, or to a warehouse folder or URL)."""
    spec = TABLES["runs"]
    frame = spec.model.validate(pd.DataFrame([row], columns=list(spec.model.to_schema().columns)))
    as_writer(warehouse).append(spec, frame, str(row["run_id"]))


def compact_written_partitions(writer: WarehouseWriter) -> int:
    """Merge the small part files the run's batches left, in each partition it wrote that now holds many.

    Call it after the run's last write and before ``refresh_article_status`` and media.db
    (``media_etl.store.compact.compact_crowded_partitions`` says why and when a partition
    qualifies). The rows do not change, only how many files hold them.

    Args:
        writer: The run's writer, which knows the partitions it wrote to.

    Returns:
        How many partitions were compacted.
    """
    report = compact_crowded_partitions(writer.warehouse, writer.written)
    return len(report.compacted)


def refresh_article_status(warehouse: Location) -> int:
    """Recompute which article versions a later version replaced, and replace ``article_status`` if that changed.

    The views look ``is_superseded`` up in ``article_status`` rather than ordering all of
    ``article_sources`` on every query (see ``media_etl.store.status``). Call it after the
    last write to ``article_sources`` and before anything reads the current versions (story
    clustering, ``media.db``). It recomputes every version in one DuckDB query over the
    ``article_sources`` parts, so it also repairs the status a killed run left behind; when
    no ``article_sources`` part changed since the last computation (its stamp, see
    ``media_etl.store.freshness``) it only counts the stored status.

    Args:
        warehouse: The warehouse (folder, URL, ``Warehouse`` or the run's writer); DuckDB must
            be able to read it (as for ``media.db``).

    Returns:
        How many article versions are superseded.
    """
    store = as_writer(warehouse).warehouse
    for name in ("article_sources", ARTICLE_STATUS):
        store.ensure_table(TABLES[name])
    if status_is_current(store):  # no article_sources part changed since it was computed
        return int(store.read_columns(TABLES[ARTICLE_STATUS], ["is_superseded"])["is_superseded"].sum())
    sources = status_digest(store) if store.is_local else None
    with duckdb.connect() as connection:
        status = compute_article_status(connection, table_source(store, "article_sources"))
    store_article_status(store, status)
    if sources is not None:
        stamp_status(store, sources)
    return int(status["is_superseded"].sum())


STORY_READ_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "memory_limit": "256MB",
    "threads": 1,
    "allocator_flush_threshold": "16MB",
    "allocator_bulk_deallocation_flush_threshold": "16MB",
}
"""DuckDB settings of the connection ``refresh_story_clusters`` reads the stored signatures through."""


def current_signatures(
    connection: duckdb.DuckDBPyConnection, store: Warehouse, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pa.RecordBatch]:
    """The stored signatures of the current article versions, read one ``published_month`` at a time.

    The current versions are those of ``articles`` that ``article_status`` does not mark
    superseded (what ``stg_articles`` keeps). A signature is stored in its article's month
    partition (``load_batch`` writes every row of an article there), so each month's
    signatures are matched with that month's article ids only: DuckDB holds one month's ids
    and the (small) set of superseded versions, never the ids of the whole warehouse, which
    at a million articles cost about 0.3 GiB in one query.

    Args:
        connection: A DuckDB connection (its settings bound the memory of each month's query).
        store: The warehouse.
        chunk_rows: Rows per record batch.

    Yields:
        ``article_id`` and ``signature`` record batches.
    """
    for name in ("articles", "article_signatures", ARTICLE_STATUS):
        store.ensure_table(TABLES[name])
    connection.execute(
        "create or replace temp table superseded_versions as"
        f" select article_id from {table_source(store, ARTICLE_STATUS)} where is_superseded"
    )
    for partition in store.partitions("article_signatures"):
        month = str(partition.value)
        if not store.parts(partition) or not store.parts(store.partition("articles", month)):
            continue  # no signatures, or no article they could belong to
        reader = connection.execute(
            f"""
            select s.article_id, s.signature
            from {table_source(store, "article_signatures", month)} as s
            where s.article_id in (select article_id from {table_source(store, "articles", month)})
              and s.article_id not in (select article_id from superseded_versions)
            """
        ).to_arrow_reader(chunk_rows)
        yield from reader


def refresh_story_clusters(warehouse: Location) -> int:
    """Recluster the current article versions by their MinHash signatures and replace ``story_clusters``.

    Superseded versions are left out, so a changed file does not form a "story" with its
    own earlier version: the signatures are those of ``current_signatures``, the versions
    that ``article_status`` does not mark superseded, read a month at a time over the Parquet
    tables (``media.db`` is not needed). Refresh ``article_status`` first
    (``refresh_article_status``). The signatures stream into the LSH index on disk
    (``enrich/story_index.py``), and the clusters' members are then looked up in ``articles``
    for their outlet and time, so memory depends on a month of signatures and on the clusters,
    not on the stored articles.

    Args:
        warehouse: The warehouse (folder, URL, ``Warehouse`` or the run's writer).

    Returns:
        How many articles belong to a cluster of two or more.
    """
    store = as_writer(warehouse).warehouse
    with (
        tempfile.TemporaryDirectory(prefix="story-read-") as spill,
        duckdb.connect(config={**STORY_READ_CONFIG, "temp_directory": spill}) as connection,
    ):
        clusters = cluster_stored_stories(
            connection,
            current_signatures(connection, store),
            f"select article_id, outlet, published_at, published_date from {table_source(store, 'articles')}",
        )
    spec = TABLES["story_clusters"]
    frame = spec.model.validate(clusters[list(spec.model.to_schema().columns)].reset_index(drop=True))
    replace_table(store, spec, frame)
    return len(frame)
