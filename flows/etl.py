"""The ETL flow: read articles from files, parse, clean, validate, and load them into the warehouse.

Run it from the repo root with ``make run`` or ``python flows/etl.py [INPUT ...] --warehouse DIR``.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from media_etl.ingest.files import discover_inputs
from media_etl.load import LoadCounts, load_batch, prepare_warehouse, record_run, run_row
from media_etl.pipeline import Batch, process_files
from media_etl.records import Rejection
from media_etl.report.run_summary import render_run_summary
from media_etl.sources import SourceRegistry, load_registry
from media_etl.store.database import build_database

REPO_ROOT = Path(__file__).resolve().parent.parent
VIEWS_DIR = REPO_ROOT / "warehouse" / "views"
SOURCES_FILE = REPO_ROOT / "sources.yaml"
MAX_LOGGED_REJECTIONS = 50


@task(cache_policy=NO_CACHE)
def find_files(inputs: list[str]) -> tuple[list[str], list[Rejection]]:
    """Expand the input folders, files and globs into files."""
    return discover_inputs(inputs)


@task(cache_policy=NO_CACHE)
def transform_batch(paths: list[str], registry: SourceRegistry, run_id: str, loaded_at: datetime) -> Batch:
    """Read, parse, clean and validate one batch of files."""
    return process_files(paths, registry, run_id=run_id, loaded_at=loaded_at)


@task(cache_policy=NO_CACHE)
def load(warehouse: Path, batch: Batch, run_id: str, loaded_at: datetime, part: str) -> LoadCounts:
    """Append one batch's new rows to the Parquet tables."""
    return load_batch(warehouse, batch, run_id=run_id, loaded_at=loaded_at, part=part)


@task(cache_policy=NO_CACHE)
def publish(warehouse: Path) -> Path:
    """Rebuild media.db with views over the tables and the reports."""
    return build_database(warehouse, VIEWS_DIR, Path.cwd())


@flow(name="media-etl")
def etl(inputs: list[str] | None = None, warehouse: str = "warehouse", batch_size: int = 500) -> dict[str, object]:
    """Load articles from files into the warehouse.

    Args:
        inputs: Folders, files or glob patterns to read; relative paths are taken from
            the working directory. Defaults to ``seeds``.
        warehouse: Folder for the Parquet tables and media.db.
        batch_size: Files per transform task.

    Returns:
        The run's ``runs`` row.
    """
    logger = get_run_logger()
    inputs = list(inputs or ["seeds"])
    run_id = str(flow_run.get_id() or uuid.uuid4())
    started_at = datetime.now(UTC)
    target = Path(warehouse)
    registry = load_registry(SOURCES_FILE)
    counts: list[LoadCounts] = []
    rejections: list[Rejection] = []
    files: list[str] = []
    error: str | None = None
    try:
        prepare_warehouse(target)
        files, missing = find_files(inputs)
        rejections.extend(missing)
        batches = [files[i : i + batch_size] for i in range(len(files))[::batch_size]]
        futures = transform_batch.map(batches, unmapped(registry), unmapped(run_id), unmapped(started_at))
        for number, future in enumerate(futures):
            batch = future.result()
            rejections.extend(batch.rejections)
            counts.append(load(target, batch, run_id, started_at, f"{run_id}-{number:05d}"))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run = run_row(
            run_id=run_id,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            inputs=inputs,
            files_seen=len(files),
            counts=counts,
            rejections=rejections,
            error=error,
        )
        record_run(target, run)
        database = publish(target)
        for rejection in rejections[:MAX_LOGGED_REJECTIONS]:
            where = f"{rejection.source_uri}:{rejection.line}" if rejection.line else rejection.source_uri
            logger.warning(
                "quarantined %s [%s/%s]: %s", where, rejection.stage, rejection.reason_code, rejection.detail
            )
        logger.info(
            "files %s, articles valid %s, loaded %s (already present %s), paragraphs %s, quarantined %s -> %s",
            run["files_seen"],
            run["articles_parsed"],
            run["articles_loaded"],
            run["articles_already_loaded"],
            run["paragraphs_loaded"],
            run["rows_quarantined"],
            database,
        )
        create_markdown_artifact(
            key="media-etl-run",
            markdown=render_run_summary(run, rejections),
            description=f"media-etl run {run_id}",
        )
    return run


def main(argv: Sequence[str] | None = None) -> None:
    """Run the flow from the command line (Prefect's embedded mode when no server is set)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=["seeds"], help="folders, files or globs (default: seeds)")
    parser.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: warehouse)")
    parser.add_argument("--batch-size", type=int, default=500, help="files per transform task (default: 500)")
    args = parser.parse_args(argv)
    etl(inputs=args.inputs, warehouse=args.warehouse, batch_size=args.batch_size)


if __name__ == "__main__":
    main()
