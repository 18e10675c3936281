"""The ETL flow: read articles from files and URLs, parse, clean, validate, enrich and load them into the warehouse.

Every task is one call into the library (``media_etl``); the flow body is the sequence of
stages. Run it with ``media-etl run`` (or ``make run``), or as the ``etl-hourly`` deployment.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.runtime import flow_run
from prefect.states import State
from prefect.tasks import exponential_backoff

from media_etl import runs
from media_etl.batch import Batch
from media_etl.defaults import DEFAULT_BATCH_SIZE, DEFAULT_INPUTS, DEFAULT_WAREHOUSE
from media_etl.ingest.discover import SiteSources
from media_etl.ingest.fetch import FetchError
from media_etl.ingest.remote import Collected
from media_etl.ledger import FileState, LedgerIndex
from media_etl.load import (
    LoadCounts,
    compact_written_partitions,
    load_batch,
    refresh_article_status,
    refresh_story_clusters,
)
from media_etl.lock import warehouse_lock
from media_etl.parallel import Interval, LocalPool, Result, StageConfig, default_workers, in_order, transform
from media_etl.progress import ProgressTracker, count_files
from media_etl.records import ListedUrl, Rejection
from media_etl.report.run_summary import render_run_summary
from media_etl.runs import Discovery, FetchRequest, StageClock
from media_etl.store.freshness import refresh_database
from media_etl.store.writer import WarehouseWriter

# Prefect retries a transiently failed fetch this often, waiting about 1, 2, 4 s (with jitter).
FETCH_RETRIES = 3
FETCH_BACKOFF_SECONDS = 1.0


@task(cache_policy=NO_CACHE)
def read_ledger(warehouse: Path | str, reread: bool = False) -> LedgerIndex:
    """Create missing tables and index the files earlier runs read (none with ``reread``: every file is read)."""
    return runs.open_ledger(warehouse, reread)


@task(cache_policy=NO_CACHE)
def transform_batch(config: StageConfig, files: list[FileState]) -> tuple[Batch, Interval]:
    """Read, parse, clean, validate and enrich one batch of files (the unit of work on a Dask cluster)."""
    return transform(config, files)


def _transient_fetch_failure(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry a fetch only when it failed in a way that asking again later can fix."""
    error = state.result(raise_on_failure=False)
    return isinstance(error, FetchError) and not error.permanent


@task(
    cache_policy=NO_CACHE,
    retries=FETCH_RETRIES,
    retry_delay_seconds=exponential_backoff(backoff_factor=FETCH_BACKOFF_SECONDS),
    retry_jitter_factor=0.5,
    retry_condition_fn=_transient_fetch_failure,
)
def fetch_url(request: FetchRequest, raw_root: Path, now: datetime, clock: StageClock) -> Collected:
    """Fetch one feed or page; a transient failure raises so that Prefect retries it with backoff."""
    return clock.time(runs.fetch, request, raw_root, now)


@task(cache_policy=NO_CACHE)
def discover_sources(home_url: str, raw_root: Path, now: datetime, clock: StageClock) -> SiteSources:
    """Find the feeds (else the sitemaps' pages) of an outlet's home page."""
    return clock.time(runs.discover, home_url, raw_root, now)


@task(cache_policy=NO_CACHE)
def transform_fetched_items(config: StageConfig, collected: Collected, clock: StageClock) -> Batch:
    """Parse, clean, validate and enrich the fetched items."""
    return clock.time(runs.transform_fetched, config, collected)


@task(cache_policy=NO_CACHE)
def append_batch(
    writer: WarehouseWriter, batch: Batch, config: StageConfig, part: str, clock: StageClock
) -> LoadCounts:
    """Append one batch's new rows to the Parquet tables."""
    return clock.time(load_batch, writer, batch, run_id=config.run_id, loaded_at=config.loaded_at, part=part)


@task(cache_policy=NO_CACHE)
def compact_crowded_partitions(writer: WarehouseWriter, clock: StageClock) -> int:
    """Merge the small files this run's batches left in partitions that now hold many."""
    return clock.time(compact_written_partitions, writer)


@task(cache_policy=NO_CACHE)
def mark_superseded_versions(warehouse: Path | str, clock: StageClock) -> int:
    """Recompute which article versions a later version replaced (the article_status table)."""
    return clock.time(refresh_article_status, warehouse)


@task(cache_policy=NO_CACHE)
def recluster_stories(warehouse: Path | str, clock: StageClock) -> int:
    """Recluster the current articles into near-duplicate stories."""
    return clock.time(refresh_story_clusters, warehouse)


@task(cache_policy=NO_CACHE)
def build_media_db(warehouse: Path | str, clock: StageClock) -> tuple[Path, bool]:
    """Rebuild media.db with views over the tables and the reports, unless no table or partition changed."""
    return clock.time(refresh_database, warehouse)


@contextmanager
def batch_executor(
    config: StageConfig, workers: int, dask_address: str | None
) -> Iterator[tuple[Callable[[list[FileState]], Result[tuple[Batch, Interval]]], Callable[[], list[Interval]]]]:
    """Yield a function that starts one batch (on a Dask cluster, or on a local process pool, whose
    workers start loading their models at once), and one that says when the workers loaded them."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        with DaskTaskRunner(address=dask_address) as runner:
            yield (lambda files: runner.submit(transform_batch, {"config": config, "files": files})), list
    else:
        with LocalPool(config, workers) as pool:
            yield pool.submit, pool.warm_up_intervals


@flow(name="media-etl")
def etl(
    inputs: list[str] | None = None,
    warehouse: str = DEFAULT_WAREHOUSE,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    dask_address: str | None = None,
    lock_wait: float = 0.0,
    sources: str | None = None,
    fetch_feeds: bool = True,
    enrich: bool = True,
    themes: str | None = None,
    languages: list[str] | None = None,
    reread: bool = False,
    discover: bool = False,
) -> dict[str, object]:
    """Load articles from files, folders, globs and URLs into the warehouse.

    Args:
        inputs: Folders, files, glob patterns or http(s) URLs to read, relative to the
            working directory. Defaults to ``seeds``.
        warehouse: Folder for the Parquet tables, raw responses and media.db, or an fsspec
            URL (``file:///data/wh``, ``s3://bucket/wh``) for the tables; raw responses of a
            remote warehouse are kept in the local temporary folder.
        batch_size: Files per batch: the unit of work handed to a worker process.
        workers: Worker processes that transform batches (default: every core this
            process may use; 1 works in the flow's own process).
        dask_address: Address of a Dask scheduler (``tcp://host:8786``); when set, batches
            run as Prefect tasks on that cluster instead of local processes.
        lock_wait: Seconds to wait for another run holding the warehouse lock before
            giving up (default 0: fail at once, saying who holds it).
        sources: The source registry file; defaults to the project's ``sources.yaml``.
        fetch_feeds: Also fetch the feed URLs the registry lists for each outlet.
        enrich: Detect language and extract mentions, quotes, themes, dates and story
            clusters; off, the run only reads, parses, validates and loads.
        themes: The theme taxonomy; defaults to the project's ``themes.yaml``.
        languages: ISO 639-1 codes language detection chooses from (default en tr az ru kk uz).
        reread: Read every listed file, even those the ingest ledger has unchanged (after a
            parser fix, say); rows already stored are not written twice.
        discover: Take the http(s) inputs for outlets' home pages: find each one's feeds
            (``<link rel="alternate">``) and read them with their items' pages, or, when it
            names none, the pages its sitemaps list (robots.txt ``Sitemap:`` lines).

    Returns:
        The run's ``runs`` row.
    """
    logger = get_run_logger()
    plan = runs.plan_run(
        list(inputs or DEFAULT_INPUTS),
        warehouse,
        run_id=str(flow_run.get_id() or uuid.uuid4()),
        started_at=datetime.now(UTC),
        sources=sources,
        themes=themes,
        enrich=enrich,
        fetch_feeds=fetch_feeds,
        languages=languages,
        discover=discover,
    )
    config, target, clock, found = plan.config, plan.target, StageClock(), Discovery()
    counts: list[LoadCounts] = []
    rejections: list[Rejection] = []
    inputs_read: set[str] = set()
    listed: list[ListedUrl] = []
    error: str | None = None
    clustered: int | None = None
    status_fresh = False
    workers = workers or default_workers()
    with warehouse_lock(target, wait_seconds=lock_wait, owner=plan.run_id):
        writer = WarehouseWriter(target)  # holds each table's keys for the run, read once
        try:
            batches = runs.file_batches(plan.paths, read_ledger(target, reread), batch_size, found)
            batches, workers = runs.workers_for(batches, workers, on_cluster=bool(dask_address))
            # The workers start and load their models now, while the inputs are counted and listed.
            with batch_executor(config, workers, dask_address) as (submit, warm_ups):
                # The first look at the batches may have listed every input already (a run with little to read).
                progress = ProgressTracker(found.seen if found.listed_all else count_files(plan.paths))
                logger.info(progress.snapshot().log_message())  # logged as lines `media-etl run` shows
                for number, (batch, interval) in enumerate(in_order(submit, batches, window=2 * workers)):
                    clock.add(interval)
                    rejections.extend(batch.rejections)
                    inputs_read.update(batch.ledger["path"])
                    listed.extend(batch.listed_urls)
                    counts.append(append_batch(writer, batch, config, f"{plan.run_id}-{number:05d}", clock))
                    done = progress.add(
                        files_read=batch.files_seen, articles=len(batch.articles), files_skipped=found.unchanged
                    )
                    if progress.due():
                        logger.info(done.log_message())
                clock.add(*warm_ups())
            final = progress.finish(found.seen)
            if progress.due():
                logger.info(final.log_message())
            clock.add(*found.intervals)
            if found.rejections:  # inputs refused while listing: symlinks out of the inputs, FIFOs, ...
                batch = Batch.of_rejections(found.rejections)
                rejections.extend(batch.rejections)
                counts.append(append_batch(writer, batch, config, f"{plan.run_id}-listing", clock))
            if plan.urls or listed or plan.home_pages:
                now = plan.started_at
                sites = [discover_sources(home, plan.raw_root, now, clock) for home in plan.home_pages]
                for site in sites:
                    logger.info("%s: %s feed(s), %s sitemap page(s)", site.home_url, len(site.feeds), len(site.pages))
                requests = runs.plan_fetches(plan, listed, sites)
                futures = [(r.url, fetch_url.submit(r, plan.raw_root, now, clock)) for r in requests]
                outcomes = [(url, future.result(raise_on_failure=False)) for url, future in futures]
                gathered = runs.gather_fetched(outcomes, now, also=[site.collected for site in sites])
                batch = transform_fetched_items(config, gathered, clock)
                rejections.extend(batch.rejections)
                inputs_read.update(batch.fetches["url"])
                counts.append(append_batch(writer, batch, config, f"{plan.run_id}-fetched", clock))
            compacted = compact_crowded_partitions(writer, clock)
            if compacted:
                logger.info("compacted %s partition(s) that this run left with many small files", compacted)
            mark_superseded_versions(target, clock)
            status_fresh = True
            signed = runs.signatures_to_cluster(writer, target) if plan.enrich else None
            if signed is not None:
                members = recluster_stories(target, clock)
                clustered = signed
                logger.info("%s articles belong to near-duplicate story clusters", members)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            if not status_fresh:  # the run failed after writing: mark what it replaced all the same
                try:
                    mark_superseded_versions(target, clock)
                except Exception as status_error:
                    logger.warning("article_status not refreshed (the next run does it): %s", status_error)
            # media.db's views read the Parquet parts directly, so the run row appended after
            # the build shows up in it all the same.
            database, rebuilt = build_media_db(target, clock)
            run = runs.finish_run(
                writer,
                plan,
                found=found,
                counts=counts,
                rejections=rejections,
                workers=workers,
                signatures_clustered=clustered,
                clock=clock,
                error=error,
                inputs_read=inputs_read,
            )
            runs.log_run(logger, run, rejections)
            logger.info("warehouse: %s%s", database, "" if rebuilt else " (unchanged: no table or partition changed)")
            summary = render_run_summary(run, rejections)
            create_markdown_artifact(key="media-etl-run", markdown=summary, description=f"media-etl run {plan.run_id}")
    return run
