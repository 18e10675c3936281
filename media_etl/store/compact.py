"""Merge the many small part files that incremental loads leave into a few large ones.

Each partition (a small table, or one month of a big one) is compacted on its own:

1. its current generation's parts are streamed, batch by batch, through a de-duplication
   on the table's key into a few files of up to ``max_rows_per_file`` rows, written into a
   new generation folder that nothing reads yet;
2. the partition's ``_current.json`` is replaced in one atomic step, naming the new
   generation current and the old one retired;
3. once every partition is done, ``media.db`` is rebuilt (and atomically renamed into
   place), so new queries read the new generations;
4. retired generations older than the grace period, generations that were never made
   current (left by a killed compaction) and stray temporaries are deleted.

A query binds its files from the ``media.db`` it opened: an old one names the old
generation, which stays intact until the grace period ends; a new one names the new
generation. No query sees both, or neither. A compaction killed at any point leaves
each partition's pointer naming a complete generation; running it again finishes the
job. The caller must hold the warehouse lock, so that no load runs meanwhile.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as arrow
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from media_etl.defaults import VIEWS_DIR
from media_etl.store.atomic import is_temporary, publish
from media_etl.store.database import DATABASE_NAME, build_database, views_in_memory
from media_etl.store.keys import KeyIndex, first_occurrences, key_hashes
from media_etl.store.schema import arrow_schema
from media_etl.store.status import compute_article_status, store_article_status
from media_etl.store.warehouse import (
    SCAN_BATCH_ROWS,
    Partition,
    Warehouse,
    generation_name,
    generation_number,
)
from schemas import TABLES, TableSpec

DEFAULT_MAX_ROWS_PER_FILE = 1_000_000
DEFAULT_RUN_MIN_SMALL_FILES = 16
"""A run compacts a partition it wrote to once it holds this many small files (``compact_crowded_partitions``)."""
DEFAULT_GRACE_SECONDS = 3600.0
ROW_GROUP_ROWS = 128 * 1024
ROW_GROUP_BYTES = 64 << 20


@dataclass(frozen=True)
class PartitionCompaction:
    """What compacting one partition did."""

    table: str
    month: str | None
    generation: str
    """The new current generation."""
    files_before: int
    files_after: int
    rows: int
    duplicates_dropped: int


@dataclass
class CompactionReport:
    """What a compaction did, partition by partition."""

    compacted: list[PartitionCompaction] = field(default_factory=list)
    partitions_seen: int = 0
    generations_deleted: list[str] = field(default_factory=list)
    """Paths of the retired or abandoned generation folders deleted."""
    temporaries_deleted: int = 0
    database: Path | None = None

    @property
    def files_before(self) -> int:
        """Part files of the compacted partitions before."""
        return sum(c.files_before for c in self.compacted)

    @property
    def files_after(self) -> int:
        """Part files of the compacted partitions after."""
        return sum(c.files_after for c in self.compacted)


class _Output:
    """Streams record batches into files of at most ``max_rows`` rows each, in one folder."""

    def __init__(self, store: Warehouse, folder: str, schema: arrow.Schema, max_rows: int, prefix: str) -> None:
        self.store, self.folder, self.schema, self.max_rows = store, folder, schema, max_rows
        self.prefix = prefix
        self.files = 0
        self.rows = 0
        self._stack: ExitStack | None = None
        self._writer: pq.ParquetWriter | None = None
        self._file_rows = 0
        self._buffer: list[arrow.RecordBatch] = []
        self._buffered_rows = 0
        self._buffered_bytes = 0

    def add(self, batch: arrow.RecordBatch) -> None:
        while batch.num_rows:
            room = self.max_rows - self._file_rows - self._buffered_rows
            taken, batch = batch.slice(0, room), batch.slice(room)
            self._buffer.append(taken)
            self._buffered_rows += taken.num_rows
            self._buffered_bytes += taken.nbytes
            if self._file_rows + self._buffered_rows >= self.max_rows:
                self._flush()
                self._close_file()
            elif self._buffered_rows >= ROW_GROUP_ROWS or self._buffered_bytes >= ROW_GROUP_BYTES:
                self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        if self._writer is None:
            self._stack = ExitStack()
            path = f"{self.folder}/part-{self.prefix}-{self.files:05d}.parquet"
            handle = self._stack.enter_context(publish(self.store.fs, path))
            self._writer = self._stack.enter_context(pq.ParquetWriter(handle, self.schema, compression="zstd"))
        self._writer.write_table(arrow.Table.from_batches(self._buffer, schema=self.schema))
        self._file_rows += self._buffered_rows
        self.rows += self._buffered_rows
        self._buffer, self._buffered_rows, self._buffered_bytes = [], 0, 0

    def _close_file(self) -> None:
        if self._stack is not None:
            self._stack.close()  # closes the Parquet writer, then publishes the file
            self.files += 1
        self._stack, self._writer, self._file_rows = None, None, 0

    def close(self) -> None:
        """Write what is buffered and finish the last file; an empty input still gets one (empty) file."""
        if not self.files and not self._buffer and self._writer is None:
            self.store.write_file(f"{self.folder}/part-{self.prefix}-00000.parquet", self.schema.empty_table())
            self.files = 1
            return
        self._flush()
        self._close_file()

    def abort(self, error: BaseException) -> None:
        """Close what is open after a failure: its temporary is removed, and the folder stays unused."""
        if self._stack is not None:
            self._stack.__exit__(type(error), error, error.__traceback__)
        self._stack, self._writer = None, None


def _row_counts(store: Warehouse, files: Sequence[str]) -> list[int]:
    filesystem = store.arrow_filesystem()
    return [pq.read_metadata(path, filesystem=filesystem).num_rows for path in files]


def needs_compaction(row_counts: Sequence[int], max_rows_per_file: int, min_small_files: int = 2) -> bool:
    """True when a partition has ``min_small_files`` or more files under half the target size.

    A compacted partition has full files and at most one smaller one, so compacting it
    again does nothing: compaction is idempotent.
    """
    return sum(rows < max_rows_per_file // 2 for rows in row_counts) >= min_small_files


def _next_generation(store: Warehouse, partition: Partition, current: str) -> str:
    numbers = [generation_number(g) for g in [*store.generation_folders(partition), current]]
    return generation_name(max(numbers) + 1)


RowFilter = Callable[[arrow.RecordBatch], np.ndarray]
"""Given a batch of a partition's stored rows, True for each row to leave out of the new generation."""


@dataclass(frozen=True)
class Rewrite:
    """A partition's new generation, written but not current yet (``commit_generation`` makes it so)."""

    table: str
    partition: Partition
    generation: str
    files_before: int
    files_after: int
    rows: int
    rows_read: int
    """Stored rows read, added rows included."""
    rows_dropped: int
    """Stored rows the filter left out."""


def rewrite_partition(
    store: Warehouse,
    spec: TableSpec,
    partition: Partition,
    *,
    max_rows_per_file: int = DEFAULT_MAX_ROWS_PER_FILE,
    drop: RowFilter | None = None,
    added: arrow.Table | None = None,
    prefix: str = "compacted",
) -> Rewrite:
    """Write a partition's current rows, minus those ``drop`` names, plus ``added``, into a new generation.

    The rows stream through a de-duplication on the table's key (the first occurrence
    stays: stored rows before added ones) into files of up to ``max_rows_per_file`` rows,
    in a generation folder that nothing reads until ``commit_generation`` names it current.
    Compaction rewrites a partition as it is; ``media-etl reprocess`` replaces the rows of
    re-derived articles.

    Args:
        store: The warehouse.
        spec: The partition's table.
        partition: The partition (it need not exist yet).
        max_rows_per_file: Most rows in one output file.
        drop: Which stored rows to leave out (default: none).
        added: Rows to add, in the table's Arrow schema.
        prefix: Names the new files ``part-<prefix>-NNNNN.parquet``.

    Returns:
        The new generation and its counts.
    """
    files = store.parts(partition)
    state = store.generations(partition)
    generation = _next_generation(store, partition, state.current)
    folder = f"{partition.path}/{generation}"
    store.fs.makedirs(folder, exist_ok=True)
    schema = arrow_schema(spec.model)
    filesystem = store.arrow_filesystem()
    seen = KeyIndex()
    output = _Output(store, folder, schema, max_rows_per_file, prefix)
    read = dropped = 0

    def add(batch: arrow.RecordBatch) -> None:
        hashes = key_hashes(batch, spec.key)
        keep = first_occurrences(hashes) & ~seen.contains(hashes)
        seen.add(hashes[keep])
        output.add(batch.filter(arrow.array(keep)))

    try:
        for path in files:
            dataset = ds.dataset([path], schema=schema, format="parquet", filesystem=filesystem)
            for batch in dataset.to_batches(batch_size=SCAN_BATCH_ROWS):
                read += batch.num_rows
                if drop is not None:
                    leave = drop(batch)
                    dropped += int(leave.sum())
                    batch = batch.filter(arrow.array(~leave))
                add(batch)
        for batch in added.to_batches(max_chunksize=SCAN_BATCH_ROWS) if added is not None else []:
            read += batch.num_rows
            add(batch)
        output.close()
    except BaseException as error:
        output.abort(error)
        raise
    return Rewrite(spec.name, partition, generation, len(files), output.files, output.rows, read, dropped)


def commit_generation(store: Warehouse, partition: Partition, generation: str, now: datetime) -> None:
    """Make a written generation the partition's current one, retiring the old one, in one atomic step.

    Readers of ``media.db`` see it once the database is rebuilt; the retired generation
    stays for the grace period, for queries that opened the old database.
    """
    state = store.generations(partition)
    if state.current == generation:
        return
    state.retired[state.current] = now.isoformat(timespec="seconds")
    state.current = generation
    store.set_generations(partition, state)


PENDING_COMMITS = ".pending-generations.json"
"""Written before a set of partitions is switched to new generations, removed once all are switched."""


def commit_generations(store: Warehouse, rewrites: Sequence[Rewrite], now: datetime) -> None:
    """Switch several partitions to their new generations, all or (after a crash) all on the next call.

    The generations are complete before this is called. Their list is first written to
    ``.pending-generations.json``; then each partition's pointer is switched; then the list
    is removed. A process killed in between leaves the list, and ``finish_pending_commits``
    (which runs and reprocessing call first, under the lock) switches the rest, so the
    tables never stay half old, half new. Readers of ``media.db`` move from all old to all
    new when it is rebuilt.

    Args:
        store: The warehouse.
        rewrites: The written generations.
        now: The retirement time of the old generations.
    """
    pending = [{"table": r.table, "month": r.partition.value, "generation": r.generation} for r in rewrites]
    with publish(store.fs, store.path(PENDING_COMMITS)) as handle:
        handle.write((json.dumps(pending, indent=2) + "\n").encode("utf-8"))
    for rewrite in rewrites:
        commit_generation(store, rewrite.partition, rewrite.generation, now)
    store.fs.rm(store.path(PENDING_COMMITS))


def finish_pending_commits(store: Warehouse, now: datetime | None = None) -> int:
    """Switch the partitions an interrupted ``commit_generations`` left unswitched.

    Call it holding the warehouse lock, before reading or writing the tables.

    Args:
        store: The warehouse.
        now: The retirement time of the old generations (default: now).

    Returns:
        How many partitions it switched (0 when nothing was pending).
    """
    path = store.path(PENDING_COMMITS)
    if not store.fs.exists(path):
        return 0
    with store.fs.open(path, "rb") as handle:
        pending = json.loads(handle.read().decode("utf-8"))
    switched = 0
    for entry in pending:
        partition = store.partition(str(entry["table"]), entry["month"])
        if store.generations(partition).current != entry["generation"]:
            commit_generation(store, partition, str(entry["generation"]), now or datetime.now(UTC))
            switched += 1
    store.fs.rm(path)
    return switched


def compact_partition(
    store: Warehouse,
    spec: TableSpec,
    partition: Partition,
    *,
    max_rows_per_file: int,
    now: datetime,
    min_small_files: int = 2,
) -> PartitionCompaction | None:
    """Rewrite one partition's current generation into a new one and make that current.

    Args:
        store: The warehouse.
        spec: The partition's table.
        partition: The partition.
        max_rows_per_file: Most rows in one output file.
        now: The time recorded as the old generation's retirement.
        min_small_files: Leave the partition alone unless it has this many files under half
            of ``max_rows_per_file`` (the files are only opened when it has this many at all).

    Returns:
        What was done, or None when the partition was compact already.
    """
    files = store.parts(partition)
    if len(files) < min_small_files or not needs_compaction(
        _row_counts(store, files), max_rows_per_file, min_small_files
    ):
        return None
    done = rewrite_partition(store, spec, partition, max_rows_per_file=max_rows_per_file)
    # The commit: from here on the partition is the new generation (for media.db, once rebuilt).
    commit_generation(store, partition, done.generation, now)
    return PartitionCompaction(
        spec.name, partition.value, done.generation, len(files), done.files_after, done.rows, done.rows_read - done.rows
    )


def _clean_partition(
    store: Warehouse, partition: Partition, *, grace_seconds: float, now: datetime
) -> tuple[list[str], int]:
    """Delete a partition's expired and abandoned generations and stray temporaries."""
    state = store.generations(partition)
    deleted = []
    for name in store.generation_folders(partition):
        if name == state.current:
            continue
        retired = state.retired.get(name)
        if retired is not None and (now - datetime.fromisoformat(retired)).total_seconds() < grace_seconds:
            continue
        store.fs.rm(f"{partition.path}/{name}", recursive=True)
        deleted.append(f"{partition.path}/{name}")
    remaining = set(store.generation_folders(partition))
    kept = {name: at for name, at in state.retired.items() if name in remaining}
    if kept != state.retired:
        state.retired = kept
        store.set_generations(partition, state)
    temporaries = 0
    for folder in (partition.path, f"{partition.path}/{state.current}"):
        try:
            names = [str(e["name"]) for e in store.fs.ls(folder, detail=True) if e.get("type") == "file"]
        except FileNotFoundError:
            continue
        for path in names:
            if is_temporary(path.rstrip("/").rsplit("/", 1)[-1]):
                store.fs.rm(path)
                temporaries += 1
    return deleted, temporaries


def compact(
    warehouse: Warehouse | str | os.PathLike[str],
    *,
    views_dir: Path | None,
    tables: Sequence[str] | None = None,
    max_rows_per_file: int = DEFAULT_MAX_ROWS_PER_FILE,
    grace_seconds: float = DEFAULT_GRACE_SECONDS,
    now: datetime | None = None,
) -> CompactionReport:
    """Compact every partition of the warehouse's append-only tables that has many small files.

    Hold the warehouse lock while calling it (``media-etl compact`` does).

    Args:
        warehouse: The warehouse: a folder, a ``file://`` URL or another fsspec URL.
        views_dir: The view files ``media.db`` is built from; it is rebuilt so that new
            queries read the new files. None only for a warehouse without media.db.
        tables: Only these tables (default: every append-only table).
        max_rows_per_file: Most rows in one compacted file.
        grace_seconds: How long a retired generation is kept for queries that opened
            media.db before the switch; one retired longer ago is deleted.
        now: The current time (UTC), for tests.

    Returns:
        What was compacted and deleted.

    Raises:
        ValueError: ``views_dir`` is None but the warehouse has a media.db, or a table is unknown.
    """
    store = Warehouse.open(warehouse)
    now = now or datetime.now(UTC)
    if views_dir is None and store.fs.exists(store.path(DATABASE_NAME)):
        raise ValueError("the warehouse has a media.db: give views_dir so that it is rebuilt after compacting")
    unknown = sorted(set(tables or ()) - set(TABLES))
    if unknown:
        raise ValueError(f"no such table: {', '.join(unknown)}")
    specs = [TABLES[name] for name in (tables or TABLES)]
    finished = finish_pending_commits(store, now)  # an interrupted reprocess's generations first, before cleaning
    report = CompactionReport()
    for spec in specs:
        if spec.derived:
            continue
        for partition in store.partitions(spec.name):
            report.partitions_seen += 1
            done = compact_partition(store, spec, partition, max_rows_per_file=max_rows_per_file, now=now)
            if done is not None:
                report.compacted.append(done)
    if finished:  # the reprocess's new article_sources replace rows the status was computed from
        with views_in_memory(store, views_dir or VIEWS_DIR) as connection:
            store_article_status(store, compute_article_status(connection))
    if views_dir is not None:
        report.database = build_database(store, views_dir)
    for spec in specs:
        for partition in store.partitions(spec.name):
            deleted, temporaries = _clean_partition(store, partition, grace_seconds=grace_seconds, now=now)
            report.generations_deleted.extend(deleted)
            report.temporaries_deleted += temporaries
    return report


def compact_crowded_partitions(
    store: Warehouse,
    written: Iterable[tuple[str, str | None]],
    *,
    min_small_files: int = DEFAULT_RUN_MIN_SMALL_FILES,
    max_rows_per_file: int = DEFAULT_MAX_ROWS_PER_FILE,
    grace_seconds: float = DEFAULT_GRACE_SECONDS,
    now: datetime | None = None,
) -> CompactionReport:
    """Compact the partitions a run wrote to that now hold many small files; the run's own housekeeping.

    Every batch adds one part file to each partition (table and month) it has rows for, so
    a large run, or many small ones, would leave thousands of small files; every query then
    opens each file's footer (``union_by_name``), and building media.db and each report
    slows down with the file count. A run therefore compacts, before it builds media.db,
    each partition it wrote to once that holds ``min_small_files`` small files, and deletes
    that partition's generations retired longer ago than the grace period. Partitions the
    run did not touch are not even listed, so a run that wrote nothing costs nothing here.
    The rows are the same before and after (compaction only merges files and drops rows
    whose key is stored twice), so the run's key indexes stay valid.

    The caller must hold the warehouse lock; media.db must be rebuilt afterwards.

    Args:
        store: The warehouse.
        written: ``(table, partition value)`` of each partition the run wrote a part to
            (``WarehouseWriter.written``); the value is None for an unpartitioned table.
        min_small_files: Compact a partition from this many files under half of
            ``max_rows_per_file``.
        max_rows_per_file: Most rows in one compacted file.
        grace_seconds: How long a retired generation is kept for queries that opened
            media.db before the switch.
        now: The current time (UTC), for tests.

    Returns:
        What was compacted and deleted.
    """
    now = now or datetime.now(UTC)
    report = CompactionReport()
    for table, value in sorted(written, key=lambda item: (item[0], item[1] or "")):
        spec = TABLES[table]
        if spec.derived:
            continue
        partition = store.partition(table, value)
        report.partitions_seen += 1
        done = compact_partition(
            store, spec, partition, max_rows_per_file=max_rows_per_file, now=now, min_small_files=min_small_files
        )
        if done is None:
            continue
        report.compacted.append(done)
        deleted, temporaries = _clean_partition(store, partition, grace_seconds=grace_seconds, now=now)
        report.generations_deleted.extend(deleted)
        report.temporaries_deleted += temporaries
    return report
