"""One ETL run outside its orchestration: what it reads, how long its stages take, and its ``runs`` row.

The Prefect flow (``flows/etl.py``) calls these in order; nothing here touches Prefect.
"""

from __future__ import annotations

import itertools
import json
import logging
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import ParamSpec, TypeVar

from media_etl import PARSER_VERSION
from media_etl.batch import Batch
from media_etl.defaults import SOURCES_FILE, THEMES_FILE, is_url
from media_etl.ingest.discover import SiteSources, discover_site
from media_etl.ingest.fetch import FetchError, Validators, make_client
from media_etl.ingest.files import iter_inputs
from media_etl.ingest.remote import Collected, collect_url, failed_fetch, latest_validators
from media_etl.ledger import FileState, LedgerIndex
from media_etl.load import LoadCounts, prepare_warehouse, record_run
from media_etl.parallel import Interval, StageConfig, covered_seconds, stage_inputs
from media_etl.pipeline import process_items
from media_etl.provenance import code_version, config_hash
from media_etl.quarantine import resolved_rows
from media_etl.records import ListedUrl, Rejection, short_hash
from media_etl.sources import load_registry
from media_etl.store.compact import finish_pending_commits
from media_etl.store.parquet import ensure_table, read_columns, stored_keys
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TABLES

P = ParamSpec("P")
R = TypeVar("R")
MAX_LOGGED_REJECTIONS = 50


@dataclass(frozen=True)
class RunPlan:
    """What a run will read and where it writes, settled before it starts."""

    run_id: str
    started_at: datetime
    inputs: tuple[str, ...]
    """The inputs as given."""
    target: Path | str
    """The warehouse: a local folder, or the fsspec URL of a remote one."""
    raw_root: Path
    """Where raw HTTP responses are kept: the warehouse's ``raw/``, or a temporary folder for a remote warehouse."""
    config: StageConfig
    paths: tuple[str, ...]
    """Files, folders and globs to list."""
    urls: tuple[str, ...]
    """URLs to fetch: those given, then the registry's feeds, each once."""
    follow: frozenset[str]
    """Feeds whose items' pages are fetched too."""
    config_hash: str = ""
    """Hash of the registry, taxonomy, languages and enrichment the run derives rows with."""
    code_version: str = ""
    """Parser, package and model versions the run derives rows with."""
    run_kind: str = "load"
    """load, or reprocess for ``media-etl reprocess``."""
    home_pages: tuple[str, ...] = ()
    """Home pages given with ``discover``: their feeds (else their sitemaps' pages) are fetched."""

    @property
    def enrich(self) -> bool:
        """True when the run detects language and extracts entities, quotes, themes and story clusters."""
        return self.config.themes is not None


def plan_run(
    inputs: Sequence[str],
    warehouse: str,
    *,
    run_id: str,
    started_at: datetime,
    sources: str | None = None,
    themes: str | None = None,
    enrich: bool = True,
    fetch_feeds: bool = True,
    languages: Sequence[str] | None = None,
    discover: bool = False,
) -> RunPlan:
    """Settle what a run reads and where it writes.

    Args:
        inputs: Folders, files, glob patterns or http(s) URLs.
        warehouse: A folder or an fsspec URL (``file://`` URLs work as their local folder).
        run_id: The run's id.
        started_at: When the run started, UTC.
        sources: The source registry file (default: the project's ``sources.yaml``).
        themes: The theme taxonomy (default: the project's ``themes.yaml``).
        enrich: Run the enrichment stages.
        fetch_feeds: Also fetch the feeds the registry lists.
        languages: ISO 639-1 codes that language detection chooses from (default: its own set).
        discover: Take the URLs among the inputs for outlets' home pages, whose feeds (else
            sitemaps) are found and read, instead of fetching them as pages or feeds.

    Returns:
        The plan.
    """
    store = Warehouse.open(warehouse)
    local_root = store.local_root
    target: Path | str = local_root if local_root is not None else warehouse
    raw_parent = local_root or Path(tempfile.gettempdir()) / "media-etl-raw" / short_hash(warehouse)
    config = StageConfig(
        run_id=run_id,
        loaded_at=started_at,
        sources=str(sources or SOURCES_FILE),
        themes=str(themes or THEMES_FILE) if enrich else None,
        languages=tuple(languages) if languages else None,
    )
    registry = load_registry(config.sources)
    outlets = registry.outlets if fetch_feeds else []
    feeds = [feed for outlet in outlets for feed in outlet.feeds]
    given_urls = [i for i in inputs if is_url(i)]
    home_pages = tuple(dict.fromkeys(given_urls)) if discover else ()
    if discover:
        given_urls = []
    return RunPlan(
        run_id=run_id,
        started_at=started_at,
        inputs=tuple(inputs),
        target=target,
        raw_root=raw_parent / "raw",
        config=config,
        paths=tuple(i for i in inputs if not is_url(i)),
        urls=tuple(dict.fromkeys(given_urls + feeds)),
        follow=frozenset(feed for outlet in outlets if outlet.follow_links for feed in outlet.feeds),
        config_hash=config_hash(
            sources=config.sources, themes=config.themes, languages=config.languages, enrich=enrich
        ),
        code_version=code_version(),
        home_pages=home_pages,
    )


# --- listing -------------------------------------------------------------------------------------


@dataclass
class Discovery:
    """What listing the inputs found, filled in while the batches stream past."""

    seen: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)
    listed_all: bool = False
    """True once every input has been listed (``seen`` is then the final count)."""


def open_ledger(warehouse: Path | str, reread: bool = False) -> LedgerIndex:
    """Create the warehouse's missing tables and index the files earlier runs read.

    Args:
        warehouse: The warehouse.
        reread: Index nothing, so that every listed file is read, unchanged or not
            (``media-etl run --reread``); rows already stored are still not written twice.

    Returns:
        The index.
    """
    finish_pending_commits(Warehouse.open(warehouse))  # a reprocess killed while switching generations
    prepare_warehouse(warehouse)
    columns = ["path", "size", "mtime_ns"]
    if reread:
        return LedgerIndex(TABLES["ingest_ledger"].frame([])[columns])
    return LedgerIndex(read_columns(warehouse, TABLES["ingest_ledger"], columns))


def file_batches(
    paths: Iterable[str], ledger: LedgerIndex, batch_size: int, found: Discovery
) -> Iterator[list[FileState]]:
    """List the inputs lazily and yield the new or changed files in batches; unchanged files are never opened.

    The listing streams: memory holds one chunk of paths at a time, however many files
    the inputs name.

    Args:
        paths: Files, folders and globs.
        ledger: The files earlier runs read.
        batch_size: Files per batch.
        found: Filled in with the counts, the listing's rejections and the time it took.

    Yields:
        Batches of files to read.
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
    found.listed_all = True
    if pending:
        yield pending


def workers_for(batches: Iterator[list[FileState]], workers: int, *, on_cluster: bool) -> tuple[Iterator, int]:
    """Look at the first batches and choose the worker count: one when there is a single batch.

    Starting worker processes for one batch would cost more than it saves; a Dask
    cluster's workers are already running.

    Args:
        batches: The batches, a lazy iterator.
        workers: The requested worker count.
        on_cluster: True when the batches go to a Dask cluster.

    Returns:
        The same batches (those looked at put back in front) and the worker count.
    """
    first = list(itertools.islice(batches, 2))
    return itertools.chain(first, batches), 1 if len(first) < 2 and not on_cluster else workers


# --- fetching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchRequest:
    """One URL to fetch and what earlier runs know of it."""

    url: str
    follow_links: bool
    validators: Validators | None
    """ETag and Last-Modified of its latest fetch, for a conditional GET."""
    known_items: frozenset[str]
    """Item keys of the URL already stored (with ``follow_links``, their pages are not fetched again)."""


def discover(home_url: str, raw_root: Path, now: datetime) -> SiteSources:
    """Find the feeds of an outlet's home page, and the pages its sitemaps list when it names none.

    Args:
        home_url: The home page.
        raw_root: Where raw responses are kept.
        now: The run's start, UTC.

    Returns:
        What was found, with the fetch-log rows of the requests made; a home page that
        answered but leads to no feed and no sitemap page is a ``no_feeds_or_sitemaps`` rejection.
    """
    with make_client() as client:
        found = discover_site(client, home_url, raw_root=raw_root, now=now, sitemaps=False)
    if not found.feeds and not found.pages and not found.collected.rejections:
        offsite = (
            f"; feeds on other sites, not fetched: {', '.join(found.offsite_feeds)}" if found.offsite_feeds else ""
        )
        detail = f"the page names no feed on its site and no sitemap lists a page{offsite}"
        found.collected.rejections.append(Rejection(home_url, "read", "no_feeds_or_sitemaps", detail))
    return found


def urls_to_fetch(
    plan: RunPlan, listed: Iterable[ListedUrl] = (), discovered: Iterable[SiteSources] = ()
) -> tuple[list[str], frozenset[str]]:
    """Gather the URLs a run fetches, each once, and the feeds whose item pages are fetched too.

    Args:
        plan: The run (URLs given and the registry's feeds).
        listed: URLs that URL-list files named.
        discovered: What discovery found on the home pages given: their feeds, whose item pages
            are fetched too (a feed found this way is usually a list of teasers), or, for a
            site without a feed, the pages its sitemaps list.

    Returns:
        The URLs in order (given and the registry's, listed, discovered) and the feeds to follow.
    """
    found_feeds = [feed for site in discovered for feed in site.feeds]
    found_pages = [page for site in discovered if not site.feeds for page in site.pages]
    urls = dict.fromkeys([*plan.urls, *(u.url for u in listed), *found_feeds, *found_pages])
    return list(urls), plan.follow | frozenset(found_feeds)


def plan_fetches(
    plan: RunPlan, listed: Iterable[ListedUrl] = (), discovered: Iterable[SiteSources] = ()
) -> list[FetchRequest]:
    """Say what to send for each URL a run fetches (see ``urls_to_fetch``), from the fetch log and the stored items."""
    urls, follow = urls_to_fetch(plan, listed, discovered)
    fetch_log = read_columns(plan.target, TABLES["fetch_log"], ["url", "fetched_at", "etag", "last_modified"])
    validators = latest_validators(fetch_log)
    known = stored_keys(plan.target, TABLES["article_sources"])
    return [
        FetchRequest(
            url=url,
            follow_links=url in follow,
            validators=validators.get(url),
            known_items=frozenset(known.loc[known["source_uri"] == url, "item_key"]),
        )
        for url in urls
    ]


def fetch(request: FetchRequest, raw_root: Path, now: datetime) -> Collected:
    """Fetch one feed or page (conditional GET) once and read it, keeping the raw response.

    Args:
        request: The URL and what is known of it.
        raw_root: Where raw responses are kept.
        now: The run's start, UTC.

    Returns:
        Its items, rejections and fetch-log rows; a permanent failure is a rejection.

    Raises:
        FetchError: A transient failure (timeout, connection error, 429, 5xx), for the
            caller to retry later.
    """
    with make_client() as client:
        return collect_url(
            client,
            request.url,
            validators=request.validators,
            raw_root=raw_root,
            now=now,
            follow_links=request.follow_links,
            known_items=request.known_items,
            retries=0,
        )


def gather_fetched(
    outcomes: Iterable[tuple[str, Collected | BaseException]], now: datetime, also: Iterable[Collected] = ()
) -> Collected:
    """Put together what each URL's fetch gave; a URL whose retries ran out is quarantined.

    Args:
        outcomes: Each URL with what its fetch returned, or the error it ended with.
        now: The run's start, UTC.
        also: More to add (the fetch-log rows and rejections of discovering home pages).

    Returns:
        Everything collected.

    Raises:
        BaseException: An outcome that is an error other than a ``FetchError``.
    """
    collected = Collected()
    for url, outcome in outcomes:
        if isinstance(outcome, FetchError):
            outcome = failed_fetch(url, now, outcome)
        elif isinstance(outcome, BaseException):
            raise outcome
        collected.items.extend(outcome.items)
        collected.rejections.extend(outcome.rejections)
        collected.fetches.extend(outcome.fetches)
    for more in also:
        collected.items.extend(more.items)
        collected.rejections.extend(more.rejections)
        collected.fetches.extend(more.fetches)
    return collected


def transform_fetched(config: StageConfig, collected: Collected) -> Batch:
    """Parse, clean, validate and enrich the fetched items, with their fetch-log rows and rejections."""
    registry, enricher = stage_inputs(config)
    batch, _ = process_items(
        collected.items, registry, run_id=config.run_id, loaded_at=config.loaded_at, enricher=enricher
    )
    batch.rejections = collected.rejections + batch.rejections
    batch.fetches = TABLES["fetch_log"].model.validate(TABLES["fetch_log"].frame(collected.fetches))
    batch.files_seen = len({f["url"] for f in collected.fetches})
    return batch


# --- time and counts -----------------------------------------------------------------------------


class StageClock:
    """When the run's stage functions ran, in any thread or process, for its ``stage_seconds``."""

    def __init__(self) -> None:
        """Start with no intervals."""
        self._intervals: list[Interval] = []
        self._lock = threading.Lock()

    def add(self, *intervals: Interval) -> None:
        """Record intervals measured elsewhere (in a worker process, say)."""
        with self._lock:
            self._intervals.extend(intervals)

    def time(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Call a stage function and record when it ran."""
        start = time.time()
        try:
            return function(*args, **kwargs)
        finally:
            self.add(Interval(start, time.time()))

    def seconds(self) -> float:
        """How long at least one stage function was running."""
        with self._lock:
            return round(covered_seconds(self._intervals), 3)


def last_clustered(warehouse: Path | str) -> int | None:
    """How many article signatures the story clusters were last computed from (None: never)."""
    runs = read_columns(warehouse, TABLES["runs"], ["finished_at", "signatures_clustered"])
    done = runs.dropna(subset=["signatures_clustered"])
    return None if done.empty else int(done.sort_values("finished_at")["signatures_clustered"].iloc[-1])


def signatures_to_cluster(writer: WarehouseWriter, warehouse: Path | str) -> int | None:
    """The number of stored signatures when the story clusters are out of date with them, else None.

    Signatures added by this run, or by a run that stopped before clustering, make the
    clusters out of date.
    """
    signed = len(writer.index(TABLES["article_signatures"]))
    return None if signed == last_clustered(warehouse) else signed


def run_row(
    *,
    plan: RunPlan,
    finished_at: datetime,
    found: Discovery,
    counts: Iterable[LoadCounts],
    rejections: Iterable[Rejection],
    workers: int,
    signatures_clustered: int | None,
    stage_seconds: float,
    error: str | None = None,
) -> dict[str, object]:
    """Summarise a run as one ``runs`` row.

    Args:
        plan: The run.
        finished_at: End, UTC.
        found: What listing the inputs found.
        counts: Per-batch load counts.
        rejections: Every rejection of the run, new or already quarantined.
        workers: Worker processes that transformed batches.
        signatures_clustered: Signatures the story clusters were computed from, when this run reclustered.
        stage_seconds: How long some stage function was running.
        error: The error that stopped the run, if it failed.

    Returns:
        The row, ready for ``media_etl.load.record_run``.
    """
    counts = list(counts)
    reasons = Counter(r.reason_code for r in rejections)
    valid = sum(c.articles_valid for c in counts)
    loaded = sum(c.articles_loaded for c in counts)
    return {
        "run_id": plan.run_id,
        "started_at": plan.started_at,
        "finished_at": finished_at,
        "status": "failed" if error else "completed",
        "detail": error,
        "inputs": json.dumps(list(plan.inputs)),
        "parser_version": PARSER_VERSION,
        "files_seen": found.seen,
        "files_unchanged": found.unchanged,
        "files_read": sum(c.files_read for c in counts),
        "articles_parsed": valid,
        "articles_loaded": loaded,
        "articles_already_loaded": valid - loaded,
        "paragraphs_loaded": sum(c.paragraphs_loaded for c in counts),
        "sources_loaded": sum(c.sources_loaded for c in counts),
        "rows_quarantined": sum(reasons.values()),
        "quarantined_by_reason": json.dumps(dict(sorted(reasons.items())), ensure_ascii=False),
        "workers": workers,
        "signatures_clustered": signatures_clustered,
        "stage_seconds": stage_seconds,
        "run_kind": plan.run_kind,
        "config_hash": plan.config_hash or None,
        "code_version": plan.code_version or None,
    }


def finish_run(
    writer: WarehouseWriter,
    plan: RunPlan,
    *,
    found: Discovery,
    counts: Iterable[LoadCounts],
    rejections: Iterable[Rejection],
    workers: int,
    signatures_clustered: int | None,
    clock: StageClock,
    error: str | None = None,
    inputs_read: Iterable[str] = (),
) -> dict[str, object]:
    """Summarise a run as its ``runs`` row (see ``run_row``) and append it to the warehouse.

    A completed run also marks resolved the open quarantine rows of the inputs it read
    (``inputs_read``: files and URLs) that it did not reject again for the same reason.

    Returns:
        The row.
    """
    row = run_row(
        plan=plan,
        finished_at=datetime.now(UTC),
        found=found,
        counts=counts,
        rejections=rejections,
        workers=workers,
        signatures_clustered=signatures_clustered,
        stage_seconds=clock.seconds(),
        error=error,
    )
    if error is None:
        resolve_quarantine(writer, plan.run_id, plan.started_at, inputs_read, rejections)
    record_run(writer, row)
    return row


def resolve_quarantine(
    writer: WarehouseWriter, run_id: str, at: datetime, inputs_read: Iterable[str], rejections: Iterable[Rejection]
) -> int:
    """Append a ``quarantine_resolutions`` row for each open quarantine row this run resolved.

    Args:
        writer: The run's writer.
        run_id: The run.
        at: Its start, UTC.
        inputs_read: Files and URLs the run read.
        rejections: Everything it rejected.

    Returns:
        How many rows it resolved.
    """
    read = set(inputs_read)
    if not read:
        return 0
    store = writer.warehouse
    spec = TABLES["quarantine_resolutions"]
    ensure_table(store, spec)
    rows = read_columns(store, TABLES["quarantine"], ["quarantine_id", "source_uri", "stage", "reason_code"])
    done = set(read_columns(store, spec, ["quarantine_id"])["quarantine_id"])
    open_rows = rows[~rows["quarantine_id"].isin(done)]
    resolved = resolved_rows(open_rows, read, list(rejections), run_id=run_id, at=at)
    return writer.append(spec, spec.model.validate(resolved), f"{run_id}-resolved")


def log_run(
    logger: logging.Logger | logging.LoggerAdapter[logging.Logger], run: dict[str, object], rejections: list[Rejection]
) -> None:
    """Log a run's first rejections, one warning each, and its counts."""
    for rejection in rejections[:MAX_LOGGED_REJECTIONS]:
        where = f"{rejection.source_uri}:{rejection.line}" if rejection.line else rejection.source_uri
        logger.warning("quarantined %s [%s/%s]: %s", where, rejection.stage, rejection.reason_code, rejection.detail)
    logger.info(
        "files %s (unchanged, not read: %s), articles valid %s, loaded %s (already present %s), "
        "paragraphs %s, quarantined %s",
        run["files_seen"],
        run["files_unchanged"],
        run["articles_parsed"],
        run["articles_loaded"],
        run["articles_already_loaded"],
        run["paragraphs_loaded"],
        run["rows_quarantined"],
    )
