"""The ETL flow: read articles from files and URLs, parse, clean, validate, and load them into the warehouse.

Run it from the repo root with ``make run`` or ``python flows/etl.py [INPUT ...] --warehouse DIR``.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from fsspec.implementations.local import LocalFileSystem
from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import TaskRun
from prefect.runtime import flow_run
from prefect.states import State
from prefect.tasks import exponential_backoff

from media_etl.ingest.fetch import FetchError, Validators, make_client
from media_etl.ingest.files import iter_inputs
from media_etl.ingest.remote import Collected, collect_url, failed_fetch, latest_validators
from media_etl.ledger import FileState, LedgerIndex
from media_etl.load import (
    LoadCounts,
    WarehouseWriter,
    load_batch,
    prepare_warehouse,
    record_run,
    refresh_story_clusters,
    run_row,
)
from media_etl.lock import warehouse_lock
from media_etl.parallel import (
    Interval,
    LocalPool,
    Result,
    StageConfig,
    covered_seconds,
    default_workers,
    in_order,
    stage_inputs,
    transform,
)
from media_etl.pipeline import Batch, process_items
from media_etl.records import Rejection, short_hash
from media_etl.report.run_summary import render_run_summary
from media_etl.sources import load_registry
from media_etl.store.database import build_database
from media_etl.store.parquet import read_columns, stored_keys
from media_etl.store.warehouse import Warehouse
from schemas import TABLES

REPO_ROOT = Path(__file__).resolve().parent.parent
VIEWS_DIR = REPO_ROOT / "warehouse" / "views"
SOURCES_FILE = REPO_ROOT / "sources.yaml"
THEMES_FILE = REPO_ROOT / "themes.yaml"
MAX_LOGGED_REJECTIONS = 50
URL_PREFIXES = ("http://", "https://")
P = ParamSpec("P")
R = TypeVar("R")


DEFAULT_BATCH_SIZE = 1000
# Prefect retries a transiently failed fetch this often, waiting about 1, 2, 4 s (with jitter).
FETCH_RETRIES = 3
FETCH_BACKOFF_SECONDS = 1.0
_stage_intervals: defaultdict[str, list[Interval]] = defaultdict(list)


def _clocked(function: Callable[P, R]) -> Callable[P, R]:
    """Record when a task's stage function runs, for the run's ``stage_seconds``."""

    @functools.wraps(function)
    def clocked(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.time()
        try:
            return function(*args, **kwargs)
        finally:
            _stage_intervals[str(flow_run.get_id())].append(Interval(start, time.time()))

    return clocked


@dataclass
class Discovery:
    """What listing the inputs found, filled in while the batches stream past."""

    seen: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)


def file_batches(paths: list[str], ledger: LedgerIndex, batch_size: int, found: Discovery) -> Iterator[list[FileState]]:
    """List the inputs lazily and yield the new or changed files in batches; unchanged files are never opened.

    The listing streams: memory holds one chunk of paths at a time, however many files
    the inputs name.
    """
    start = time.time()
    chunk: list[str] = []
    pending: list[FileState] = []

    def sort_chunk() -> Iterator[list[FileState]]:
        nonlocal chunk, pending, start
        to_read, unchanged = ledger.split(chunk)
        found.seen += len(chunk)
        found.unchanged += len(unchanged)
        pending.extend(to_read)
        chunk = []
        while len(pending) >= batch_size:
            found.intervals.append(Interval(start, time.time()))
            yield pending[:batch_size]
            pending = pending[batch_size:]
            start = time.time()

    for entry in iter_inputs(paths):
        if isinstance(entry, Rejection):
            found.rejections.append(entry)
            continue
        chunk.append(entry)
        if len(chunk) >= batch_size:
            yield from sort_chunk()
    yield from sort_chunk()
    found.intervals.append(Interval(start, time.time()))
    if pending:
        yield pending


def last_clustered(warehouse: Path | str) -> int | None:
    """How many article signatures the story clusters were last computed from (None: never)."""
    runs = read_columns(warehouse, TABLES["runs"], ["finished_at", "signatures_clustered"])
    done = runs.dropna(subset=["signatures_clustered"])
    return None if done.empty else int(done.sort_values("finished_at")["signatures_clustered"].iloc[-1])


def rejections_only(rejections: list[Rejection]) -> Batch:
    """A batch with no rows, only rejections to quarantine."""
    empty = {name: TABLES[name].frame([]) for name in ("articles", "paragraphs", "article_sources", "ingest_ledger")}
    return Batch(
        articles=empty["articles"],
        paragraphs=empty["paragraphs"],
        sources=empty["article_sources"],
        ledger=empty["ingest_ledger"],
        rejections=rejections,
    )


@task(cache_policy=NO_CACHE)
def read_ledger(warehouse: Path | str) -> LedgerIndex:
    """Create missing tables and index the files earlier runs read."""
    prepare_warehouse(warehouse)
    return LedgerIndex(read_columns(warehouse, TABLES["ingest_ledger"], ["path", "size", "mtime_ns"]))


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
@_clocked
def fetch_url(
    url: str, follow: bool, validators: Validators | None, known: frozenset[str], raw_root: Path, now: datetime
) -> Collected:
    """Fetch one feed or page (conditional GET) and read it, keeping the raw response.

    A transient failure (timeout, connection error, 429, 5xx) raises, so that Prefect
    retries the task with exponential backoff; a permanent one (404, invalid URL, too
    large) comes back as a quarantine row without any retry.
    """
    with make_client() as client:
        return collect_url(
            client,
            url,
            validators=validators,
            raw_root=raw_root,
            now=now,
            follow_links=follow,
            known_items=known,
            retries=0,
        )


def fetch_urls(urls: list[str], follow: list[str], warehouse: Path | str, raw_root: Path, now: datetime) -> Collected:
    """Fetch every URL as its own retried task; a URL whose retries ran out is quarantined."""
    fetch_log = read_columns(warehouse, TABLES["fetch_log"], ["url", "fetched_at", "etag", "last_modified"])
    validators = latest_validators(fetch_log)
    known = stored_keys(warehouse, TABLES["article_sources"])
    futures = {
        url: fetch_url.submit(
            url,
            url in follow,
            validators.get(url),
            frozenset(known.loc[known["source_uri"] == url, "item_key"]),
            raw_root,
            now,
        )
        for url in urls
    }
    collected = Collected()
    for url, future in futures.items():
        future.wait()
        outcome = future.state.result(raise_on_failure=False)
        if isinstance(outcome, FetchError):
            outcome = failed_fetch(url, now, outcome)
        elif isinstance(outcome, BaseException):
            raise outcome
        collected.items.extend(outcome.items)
        collected.rejections.extend(outcome.rejections)
        collected.fetches.extend(outcome.fetches)
    return collected


@task(cache_policy=NO_CACHE)
@_clocked
def transform_fetched(collected: Collected, config: StageConfig) -> Batch:
    """Parse, clean, validate and enrich the fetched items."""
    registry, enricher = stage_inputs(config)
    batch, _ = process_items(
        collected.items, registry, run_id=config.run_id, loaded_at=config.loaded_at, enricher=enricher
    )
    batch.rejections = collected.rejections + batch.rejections
    batch.fetches = TABLES["fetch_log"].model.validate(TABLES["fetch_log"].frame(collected.fetches))
    batch.files_seen = len({f["url"] for f in collected.fetches})
    return batch


@task(cache_policy=NO_CACHE)
@_clocked
def load(writer: WarehouseWriter, batch: Batch, run_id: str, loaded_at: datetime, part: str) -> LoadCounts:
    """Append one batch's new rows to the Parquet tables."""
    return load_batch(writer, batch, run_id=run_id, loaded_at=loaded_at, part=part)


@task(cache_policy=NO_CACHE)
@_clocked
def cluster_stories(database: Path, warehouse: Path | str) -> int:
    """Recluster the current articles into near-duplicate stories."""
    return refresh_story_clusters(database, warehouse)


@task(cache_policy=NO_CACHE)
@_clocked
def publish(warehouse: Path | str) -> Path:
    """Rebuild media.db with views over the tables and the reports."""
    return build_database(warehouse, VIEWS_DIR, Path.cwd())


@contextmanager
def batch_executor(
    config: StageConfig, workers: int, dask_address: str | None
) -> Iterator[Callable[[list[FileState]], Result[tuple[Batch, Interval]]]]:
    """Yield a function that starts one batch: on a Dask cluster, or on a local process pool."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        with DaskTaskRunner(address=dask_address) as runner:
            yield lambda files: runner.submit(transform_batch, {"config": config, "files": files})
    else:
        with LocalPool(config, workers) as pool:
            yield pool.submit


@flow(name="media-etl")
def etl(
    inputs: list[str] | None = None,
    warehouse: str = "warehouse",
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    dask_address: str | None = None,
    lock_wait: float = 0.0,
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
    # A folder, or an fsspec URL (file://, s3://, ...); file:// URLs work as their local folder.
    store = Warehouse.open(warehouse)
    local = isinstance(store.fs, LocalFileSystem)
    target: Path | str = Path(store.root) if local else warehouse
    raw_root = (
        Path(store.root) if local else Path(tempfile.gettempdir()) / "media-etl-raw" / short_hash(warehouse)
    ) / "raw"
    workers = workers or default_workers()
    config = StageConfig(
        run_id=run_id,
        loaded_at=started_at,
        sources=str(sources or SOURCES_FILE),
        themes=str(themes or THEMES_FILE) if enrich else None,
        languages=tuple(languages) if languages else None,
    )
    registry = load_registry(config.sources)
    urls = [i for i in inputs if i.startswith(URL_PREFIXES)]
    paths = [i for i in inputs if not i.startswith(URL_PREFIXES)]
    feeds = [feed for outlet in registry.outlets for feed in outlet.feeds] if fetch_feeds else []
    follow = [feed for outlet in registry.outlets if outlet.follow_links for feed in outlet.feeds]
    counts: list[LoadCounts] = []
    rejections: list[Rejection] = []
    found = Discovery()
    intervals = _stage_intervals[run_id]
    error: str | None = None
    with warehouse_lock(target, wait_seconds=lock_wait, owner=run_id):
        writer = WarehouseWriter(target)  # holds each table's keys for the run, read once
        clustered: int | None = None
        try:
            ledger = read_ledger(target)
            batches = file_batches(paths, ledger, batch_size, found)
            first = list(itertools.islice(batches, 2))
            if len(first) < 2 and not dask_address:
                workers = 1  # one batch: starting worker processes would cost more than it saves
            batches = itertools.chain(first, batches)
            with batch_executor(config, workers, dask_address) as submit:
                for number, (batch, interval) in enumerate(in_order(submit, batches, window=2 * workers)):
                    intervals.append(interval)
                    rejections.extend(batch.rejections)
                    counts.append(load(writer, batch, run_id, started_at, f"{run_id}-{number:05d}"))
            intervals.extend(found.intervals)
            if found.rejections:  # inputs refused while listing: symlinks out of the inputs, FIFOs, ...
                rejections.extend(found.rejections)
                counts.append(load(writer, rejections_only(found.rejections), run_id, started_at, f"{run_id}-listing"))
            if urls or feeds:
                collected = fetch_urls(list(dict.fromkeys(urls + feeds)), follow, target, raw_root, started_at)
                batch = transform_fetched(collected, config)
                rejections.extend(batch.rejections)
                counts.append(load(writer, batch, run_id, started_at, f"{run_id}-fetched"))
            signed = len(writer.index(TABLES["article_signatures"]))
            # Recluster when signatures were added, now or by a run that stopped before clustering.
            if enrich and signed != last_clustered(target):
                members = cluster_stories(publish(target), target)
                clustered = signed
                logger.info("%s articles belong to near-duplicate story clusters", members)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            run = run_row(
                run_id=run_id,
                started_at=started_at,
                finished_at=datetime.now(UTC),
                inputs=inputs,
                files_seen=found.seen,
                files_unchanged=found.unchanged,
                counts=counts,
                rejections=rejections,
                error=error,
            )
            # media.db's views read the Parquet parts directly, so the run row appended after
            # the rebuild shows up in it all the same.
            database = publish(target)
            run["workers"] = workers
            run["signatures_clustered"] = clustered
            run["stage_seconds"] = round(covered_seconds(_stage_intervals.pop(run_id, intervals)), 3)
            record_run(writer, run)
            _log_run(run, rejections, database)
            create_markdown_artifact(
                key="media-etl-run",
                markdown=render_run_summary(run, rejections),
                description=f"media-etl run {run_id}",
            )
    return run


def _log_run(run: dict[str, object], rejections: list[Rejection], database: Path) -> None:
    logger = get_run_logger()
    for rejection in rejections[:MAX_LOGGED_REJECTIONS]:
        where = f"{rejection.source_uri}:{rejection.line}" if rejection.line else rejection.source_uri
        logger.warning("quarantined %s [%s/%s]: %s", where, rejection.stage, rejection.reason_code, rejection.detail)
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


def main(argv: Sequence[str] | None = None) -> None:
    """Run the flow from the command line (Prefect's embedded mode when no server is set)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=["seeds"], help="folders, files, globs or URLs (default: seeds)")
    parser.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: warehouse)")
    parser.add_argument(
        "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help=f"files per batch (default: {DEFAULT_BATCH_SIZE})"
    )
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--dask-address", default=None, help="run batches on this Dask scheduler (tcp://host:port)")
    parser.add_argument(
        "--lock-wait", type=float, default=0.0, help="seconds to wait for a run holding the warehouse (default 0)"
    )
    parser.add_argument("--sources", default=None, help="source registry (default: the repo's sources.yaml)")
    parser.add_argument("--no-feeds", action="store_true", help="do not fetch the registry's feed URLs")
    parser.add_argument("--no-enrich", action="store_true", help="skip language, entities, quotes, themes, ...")
    parser.add_argument("--summary-json", default=None, help="write the run row and wall_seconds to this JSON file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    run = etl(
        inputs=args.inputs,
        warehouse=args.warehouse,
        batch_size=args.batch_size,
        workers=args.workers,
        dask_address=args.dask_address,
        lock_wait=args.lock_wait,
        sources=args.sources,
        fetch_feeds=not args.no_feeds,
        enrich=not args.no_enrich,
    )
    if args.summary_json:
        summary = {**run, "wall_seconds": round(time.perf_counter() - started, 3)}
        Path(args.summary_json).write_text(json.dumps(summary, default=str, indent=2) + "\n")


if __name__ == "__main__":
    main()
