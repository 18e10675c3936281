"""The ETL flow: read articles from files and URLs, parse, clean, validate, and load them into the warehouse.

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

from media_etl.enrich.stage import Enricher
from media_etl.ingest.fetch import make_client
from media_etl.ingest.files import discover_inputs
from media_etl.ingest.remote import Collected, collect_url, latest_validators
from media_etl.ledger import FileState, split_unchanged
from media_etl.load import LoadCounts, load_batch, prepare_warehouse, record_run, refresh_story_clusters, run_row
from media_etl.pipeline import Batch, process_files, process_items
from media_etl.records import Rejection
from media_etl.report.run_summary import render_run_summary
from media_etl.sources import SourceRegistry, load_registry
from media_etl.store.database import build_database
from media_etl.store.parquet import read_columns, stored_keys
from schemas import TABLES

REPO_ROOT = Path(__file__).resolve().parent.parent
VIEWS_DIR = REPO_ROOT / "warehouse" / "views"
SOURCES_FILE = REPO_ROOT / "sources.yaml"
THEMES_FILE = REPO_ROOT / "themes.yaml"
MAX_LOGGED_REJECTIONS = 50
URL_PREFIXES = ("http://", "https://")


@task(cache_policy=NO_CACHE)
def find_files(inputs: list[str], warehouse: Path) -> tuple[list[FileState], list[FileState], list[Rejection]]:
    """List the input files and set aside those the ledger has seen unchanged."""
    files, missing = discover_inputs(inputs)
    to_read, unchanged = split_unchanged(files, stored_keys(warehouse, TABLES["ingest_ledger"]))
    return to_read, unchanged, missing


@task(cache_policy=NO_CACHE)
def transform_batch(
    files: list[FileState], registry: SourceRegistry, enricher: Enricher | None, run_id: str, loaded_at: datetime
) -> Batch:
    """Read, parse, clean, validate and enrich one batch of files."""
    return process_files(files, registry, run_id=run_id, loaded_at=loaded_at, enricher=enricher)


@task(cache_policy=NO_CACHE)
def fetch_urls(urls: list[str], follow: list[str], warehouse: Path, now: datetime) -> Collected:
    """Fetch feeds and pages (conditional GET, retries on transient errors), keeping raw responses."""
    fetch_log = read_columns(warehouse, TABLES["fetch_log"], ["url", "fetched_at", "etag", "last_modified"])
    validators = latest_validators(fetch_log)
    known = stored_keys(warehouse, TABLES["article_sources"])
    collected = Collected()
    with make_client() as client:
        for url in urls:
            got = collect_url(
                client,
                url,
                validators=validators.get(url),
                raw_root=warehouse / "raw",
                now=now,
                follow_links=url in follow,
                known_items=frozenset(known.loc[known["source_uri"] == url, "item_key"]),
            )
            collected.items.extend(got.items)
            collected.rejections.extend(got.rejections)
            collected.fetches.extend(got.fetches)
    return collected


@task(cache_policy=NO_CACHE)
def transform_fetched(
    collected: Collected, registry: SourceRegistry, enricher: Enricher | None, run_id: str, loaded_at: datetime
) -> Batch:
    """Parse, clean, validate and enrich the fetched items."""
    batch, _ = process_items(collected.items, registry, run_id=run_id, loaded_at=loaded_at, enricher=enricher)
    batch.rejections = collected.rejections + batch.rejections
    batch.fetches = TABLES["fetch_log"].model.validate(TABLES["fetch_log"].frame(collected.fetches))
    batch.files_seen = len({f["url"] for f in collected.fetches})
    return batch


@task(cache_policy=NO_CACHE)
def load(warehouse: Path, batch: Batch, run_id: str, loaded_at: datetime, part: str) -> LoadCounts:
    """Append one batch's new rows to the Parquet tables."""
    return load_batch(warehouse, batch, run_id=run_id, loaded_at=loaded_at, part=part)


@task(cache_policy=NO_CACHE)
def cluster_stories(database: Path, warehouse: Path) -> int:
    """Recluster the current articles into near-duplicate stories."""
    return refresh_story_clusters(database, warehouse)


@task(cache_policy=NO_CACHE)
def publish(warehouse: Path) -> Path:
    """Rebuild media.db with views over the tables and the reports."""
    return build_database(warehouse, VIEWS_DIR, Path.cwd())


@flow(name="media-etl")
def etl(
    inputs: list[str] | None = None,
    warehouse: str = "warehouse",
    batch_size: int = 500,
    sources: str | None = None,
    fetch_feeds: bool = True,
    enrich: bool = True,
    themes: str | None = None,
    languages: list[str] | None = None,
) -> dict[str, object]:
    """Load articles from files, folders, globs and URLs into the warehouse.

    Args:
        inputs: Folders, files, glob patterns or http(s) URLs to read; relative paths are
            taken from the working directory. Defaults to ``seeds``.
        warehouse: Folder for the Parquet tables, raw responses and media.db.
        batch_size: Files per transform task.
        sources: The source registry file; defaults to the repo's ``sources.yaml``.
        fetch_feeds: Also fetch the feed URLs the registry lists for each outlet.
        enrich: Detect language and extract mentions, quotes, themes, dates and story
            clusters; off, the run only reads, parses, validates and loads.
        themes: The theme taxonomy; defaults to the repo's ``themes.yaml``.
        languages: ISO 639-1 codes language detection chooses from (default en tr az ru kk uz).

    Returns:
        The run's ``runs`` row.
    """
    logger = get_run_logger()
    inputs = list(inputs or ["seeds"])
    run_id = str(flow_run.get_id() or uuid.uuid4())
    started_at = datetime.now(UTC)
    target = Path(warehouse)
    registry = load_registry(sources or SOURCES_FILE)
    enricher = Enricher.from_files(themes or THEMES_FILE, languages) if enrich else None
    urls = [i for i in inputs if i.startswith(URL_PREFIXES)]
    paths = [i for i in inputs if not i.startswith(URL_PREFIXES)]
    feeds = [feed for outlet in registry.outlets for feed in outlet.feeds] if fetch_feeds else []
    follow = [feed for outlet in registry.outlets if outlet.follow_links for feed in outlet.feeds]
    counts: list[LoadCounts] = []
    rejections: list[Rejection] = []
    files: list[FileState] = []
    unchanged: list[FileState] = []
    error: str | None = None
    try:
        prepare_warehouse(target)
        files, unchanged, missing = find_files(paths, target) if paths else ([], [], [])
        rejections.extend(missing)
        batches = [files[i : i + batch_size] for i in range(len(files))[::batch_size]]
        futures = transform_batch.map(
            batches, unmapped(registry), unmapped(enricher), unmapped(run_id), unmapped(started_at)
        )
        for number, future in enumerate(futures):
            batch = future.result()
            rejections.extend(batch.rejections)
            counts.append(load(target, batch, run_id, started_at, f"{run_id}-{number:05d}"))
        if urls or feeds:
            collected = fetch_urls(list(dict.fromkeys(urls + feeds)), follow, target, started_at)
            batch = transform_fetched(collected, registry, enricher, run_id, started_at)
            rejections.extend(batch.rejections)
            counts.append(load(target, batch, run_id, started_at, f"{run_id}-fetched"))
        if enrich:
            clustered = cluster_stories(publish(target), target)
            logger.info("%s articles belong to near-duplicate story clusters", clustered)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        run = run_row(
            run_id=run_id,
            started_at=started_at,
            finished_at=datetime.now(UTC),
            inputs=inputs,
            files_seen=len(files) + len(unchanged),
            files_unchanged=len(unchanged),
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
            "files %s (unchanged, not read: %s), articles valid %s, loaded %s (already present %s), "
            "paragraphs %s, quarantined %s -> %s",
            run["files_seen"],
            run["files_unchanged"],
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
    parser.add_argument("inputs", nargs="*", default=["seeds"], help="folders, files, globs or URLs (default: seeds)")
    parser.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: warehouse)")
    parser.add_argument("--batch-size", type=int, default=500, help="files per transform task (default: 500)")
    parser.add_argument("--sources", default=None, help="source registry (default: the repo's sources.yaml)")
    parser.add_argument("--no-feeds", action="store_true", help="do not fetch the registry's feed URLs")
    parser.add_argument("--no-enrich", action="store_true", help="skip language, entities, quotes, themes, ...")
    args = parser.parse_args(argv)
    etl(
        inputs=args.inputs,
        warehouse=args.warehouse,
        batch_size=args.batch_size,
        sources=args.sources,
        fetch_feeds=not args.no_feeds,
        enrich=not args.no_enrich,
    )


if __name__ == "__main__":
    main()
