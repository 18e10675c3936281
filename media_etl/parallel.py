"""Run the per-batch stages on several cores, in order, with a bounded number of batches in flight.

Nothing here touches Prefect. The flow hands batches of files to an executor: a local
process pool (:class:`LocalPool`) or anything with the same ``submit``/``result``
shape, such as a Prefect task runner. Each worker process builds the source registry
and the enrichment models once and keeps them for every batch it is given.

Results come back in submission order whatever the number of workers, so the rows a
run writes do not depend on how the work was spread.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol, TypeVar

from media_etl.batch import Batch
from media_etl.enrich import language as language_detection
from media_etl.enrich.entities.gazetteer import known_orgs
from media_etl.enrich.entities.models import english_parser, english_pipeline, models_enabled, russian_tagger
from media_etl.enrich.stage import Enricher
from media_etl.ingest.router import DEFAULT_LIMITS, Limits
from media_etl.ledger import FileState
from media_etl.normalise.places import find_city
from media_etl.pipeline import process_files
from media_etl.sources import SourceRegistry, load_registry
from media_etl.text.lexicon import lexicon

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class StageConfig:
    """Everything a worker needs to transform a batch; small, so it pickles cheaply."""

    run_id: str
    loaded_at: datetime
    sources: str
    """The source registry file."""
    themes: str | None = None
    """The theme taxonomy file; None runs without enrichment."""
    languages: tuple[str, ...] | None = None
    limits: Limits = field(default_factory=lambda: DEFAULT_LIMITS)


@dataclass(frozen=True)
class Interval:
    """When a stage function ran, in seconds since the epoch (comparable across processes)."""

    start: float
    end: float


@lru_cache(maxsize=4)
def _registry(path: str, mtime_ns: int) -> SourceRegistry:
    del mtime_ns  # part of the cache key only: an edited file is read again
    return load_registry(path)


@lru_cache(maxsize=4)
def _enricher(themes: str, mtime_ns: int, languages: tuple[str, ...] | None) -> Enricher:
    del mtime_ns
    return Enricher.from_files(themes, languages)


def _mtime(path: str) -> int:
    return Path(path).stat().st_mtime_ns


def stage_inputs(config: StageConfig) -> tuple[SourceRegistry, Enricher | None]:
    """The registry and enricher for a configuration, built once per process."""
    registry = _registry(config.sources, _mtime(config.sources))
    enricher = _enricher(config.themes, _mtime(config.themes), config.languages) if config.themes else None
    return registry, enricher


def warm_up(config: StageConfig) -> Interval:
    """Load the registry, the gazetteers and the language and entity models before the first batch arrives.

    Every loader caches what it loads for the life of the process (``functools.cache``), so
    a worker loads each once, here, and its batches reuse them.

    Args:
        config: The run's stage configuration.

    Returns:
        When the loading ran (in the worker: it is the stage's work, done ahead of time).
    """
    start = time.time()
    _, enricher = stage_inputs(config)
    find_city("Baku")  # builds the GeoNames alias index
    if enricher is not None:
        language_detection.detector_for(enricher.languages).detect("Warm-up text in English.", None)
        known_orgs()
        lexicon()
        if models_enabled():
            english_pipeline()
            english_parser()
            russian_tagger()
    return Interval(start, time.time())


def transform(config: StageConfig, files: list[FileState]) -> tuple[Batch, Interval]:
    """Read, parse, clean, validate and (when configured) enrich one batch of files.

    Args:
        config: The run's stage configuration.
        files: The batch.

    Returns:
        The batch and when the work ran.
    """
    start = time.time()
    registry, enricher = stage_inputs(config)
    batch = process_files(
        files, registry, run_id=config.run_id, loaded_at=config.loaded_at, limits=config.limits, enricher=enricher
    )
    return batch, Interval(start, time.time())


class Result(Protocol[T_co]):
    """A started piece of work: a ``concurrent.futures.Future`` or a Prefect future."""

    def result(self) -> T_co:
        """Wait for the work and return what it returned."""
        ...


def in_order(
    submit: Callable[[list[FileState]], Result[T]], batches: Iterable[list[FileState]], window: int
) -> Iterator[T]:
    """Submit batches and yield their results in submission order, never more than ``window`` in flight.

    Bounding the window bounds memory: results wait in the queue only until the
    caller has taken the ones before them.

    Args:
        submit: Starts one batch.
        batches: The batches, possibly a lazy generator.
        window: Batches in flight at most (at least 1).

    Yields:
        Each batch's result, in the order the batches came.
    """
    pending: deque[Result[T]] = deque()
    for files in batches:
        pending.append(submit(files))
        if len(pending) >= max(window, 1):
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def default_workers() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class LocalPool:
    """A pool of worker processes for ``transform``, warmed up with the run's configuration.

    The processes start, and load their models (``warm_up``), as soon as the pool is made,
    so that they load while the caller goes on listing its inputs. With one worker the
    batches run in the calling process, which avoids starting a process and copying
    results when there is nothing to gain.
    """

    def __init__(self, config: StageConfig, workers: int) -> None:
        """Start ``workers`` spawned processes (none when ``workers`` is 1), each loading its models at once."""
        self.config = config
        self.workers = max(workers, 1)
        self._executor: ProcessPoolExecutor | None = None
        self._warm_ups: list[Future[Interval]] = []
        if self.workers > 1:
            # spawn, not fork: the flow process runs threads (Prefect's), which fork does not copy safely.
            self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            # One warm-up per worker, submitted before any batch: the executor starts a process for
            # each task while none is idle, and a worker busy loading cannot take a second warm-up.
            # A worker that gets no warm-up loads its models in its first batch (lazily, once) instead.
            self._warm_ups = [self._executor.submit(warm_up, config) for _ in range(self.workers)]

    def warm_up_intervals(self) -> list[Interval]:
        """When the workers loaded their models (those warm-ups that have finished)."""
        return [f.result() for f in self._warm_ups if f.done() and not f.cancelled() and f.exception() is None]

    def submit(self, files: list[FileState]) -> Future[tuple[Batch, Interval]]:
        """Start one batch."""
        if self._executor is not None:
            return self._executor.submit(transform, self.config, files)
        done: Future[tuple[Batch, Interval]] = Future()
        done.set_result(transform(self.config, files))
        return done

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


def covered_seconds(intervals: Iterable[Interval]) -> float:
    """The length of the union of some time intervals: how long at least one of them was running."""
    total = 0.0
    current: Interval | None = None
    for interval in sorted(intervals, key=lambda i: i.start):
        if current is None or interval.start > current.end:
            if current is not None:
                total += current.end - current.start
            current = interval
        elif interval.end > current.end:
            current = Interval(current.start, interval.end)
    if current is not None:
        total += current.end - current.start
    return total
