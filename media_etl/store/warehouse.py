"""Where a warehouse's Parquet files live, on a local disk or any fsspec filesystem, and how they are found.

Layout under the warehouse root (a folder, a ``file://`` URL or any fsspec URL)::

    parquet/<table>/g-000000/part-<batch>.parquet                              small tables
    parquet/<table>/published_month=2025-11/g-000000/part-<batch>.parquet     big tables
    parquet/<table>/published_month=2025-11/_current.json                     after a compaction

Each table, or each month of a partitioned table, is a *partition*; its files live in a
*generation* folder ``g-NNNNNN``. Loads add part files to the current generation.
Compaction writes a new generation beside it and then makes it current by rewriting the
partition's ``_current.json`` in one atomic step; a partition without that file is in
generation ``g-000000``. Readers (the views in ``media.db``, and this module) read only
the current generation of each partition, so they see the old files or the new ones,
never both. See docs/storage.md.
"""

from __future__ import annotations

import fnmatch
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import fsspec
import pandas as pd
import pyarrow as arrow
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from fsspec import AbstractFileSystem
from fsspec.implementations.local import LocalFileSystem

from media_etl.store.atomic import publish
from media_etl.store.partitions import PARTITION_COLUMN, UNKNOWN_MONTH, is_partitioned
from media_etl.store.schema import arrow_schema
from schemas import TableSpec

PARQUET_DIR = "parquet"
PART_GLOB = "part-*.parquet"
EMPTY_PART = "part-00000000-empty.parquet"
POINTER = "_current.json"
FIRST_GENERATION = "g-000000"
GENERATION_GLOB = "g-[0-9][0-9][0-9][0-9][0-9][0-9]"
SCAN_BATCH_ROWS = 65_536


def generation_name(number: int) -> str:
    """The folder name of generation ``number``."""
    return f"g-{number:06d}"


def generation_number(name: str) -> int:
    """The number of a generation folder name."""
    return int(name.removeprefix("g-"))


@dataclass(frozen=True)
class Partition:
    """A table, or one month of a partitioned table: the unit that compaction swaps whole."""

    table: str
    value: str | None
    """The ``published_month`` value, or None for an unpartitioned table."""
    path: str
    """Its folder on the warehouse's filesystem."""


@dataclass
class Generations:
    """A partition's ``_current.json``: its current generation and the ones compaction retired."""

    current: str = FIRST_GENERATION
    retired: dict[str, str] = field(default_factory=dict)
    """Generation -> when it was retired (UTC, ISO 8601); deleted after a grace period."""


class Warehouse:
    """A warehouse root, local or fsspec, with the layout of its tables.

    Holds no state beyond the filesystem: every call reads the current generation from
    storage, so two objects on the same warehouse never disagree.

    Args:
        location: A folder, a ``file://`` URL, or any fsspec URL (``s3://bucket/w``,
            ``memory://w``).
    """

    def __init__(self, location: str | os.PathLike[str]) -> None:
        text = os.fspath(location)
        self.fs: AbstractFileSystem
        self.root: str
        if isinstance(location, str) and "://" in text:
            self.fs, self.root = fsspec.core.url_to_fs(text)
        else:
            self.fs, self.root = LocalFileSystem(), Path(text).resolve().as_posix()
        self.root = self.root.rstrip("/") or "/"
        self.location = text

    @classmethod
    def open(cls, location: Warehouse | str | os.PathLike[str]) -> Warehouse:
        """A ``Warehouse`` for a location, or the one given."""
        return location if isinstance(location, Warehouse) else cls(location)

    def __repr__(self) -> str:
        return f"Warehouse({self.url(self.root)!r})"

    @property
    def is_local(self) -> bool:
        """True when the warehouse is on the local filesystem (a folder or a ``file://`` URL)."""
        return isinstance(self.fs, LocalFileSystem)

    @property
    def local_root(self) -> Path | None:
        """The warehouse folder, when it is local."""
        return Path(self.root) if self.is_local else None

    def url(self, path: str) -> str:
        """How DuckDB and people name a path: a local path as is, any other with its protocol."""
        return path if self.is_local else str(self.fs.unstrip_protocol(path))

    def path(self, *parts: str) -> str:
        """A path under the root."""
        return "/".join([self.root.rstrip("/"), *parts])

    def arrow_filesystem(self) -> pafs.FileSystem:
        """The filesystem as pyarrow wants it (its own for local disks, else wrapping fsspec)."""
        if self.is_local:
            return pafs.LocalFileSystem()
        return pafs.PyFileSystem(pafs.FSSpecHandler(self.fs))

    # --- layout ---------------------------------------------------------------------------

    def table_path(self, table: str) -> str:
        """The folder of a table."""
        return self.path(PARQUET_DIR, table)

    def partition(self, table: str, value: str | None = None) -> Partition:
        """One partition of a table: ``value`` is the month of a partitioned table, None otherwise.

        Raises:
            ValueError: ``value`` is given for an unpartitioned table or missing for a partitioned one.
        """
        if is_partitioned(table) != (value is not None):
            raise ValueError(f"{table}: partition value {value!r} does not fit the table")
        base = self.table_path(table)
        return Partition(table, value, base if value is None else f"{base}/{PARTITION_COLUMN}={value}")

    def partitions(self, table: str) -> list[Partition]:
        """Every partition of a table that exists, in month order.

        Args:
            table: The table name.

        Returns:
            One partition for an unpartitioned table; one per ``published_month=`` folder otherwise.
        """
        if not is_partitioned(table):
            return [self.partition(table)]
        prefix = f"{PARTITION_COLUMN}="
        values = [name.removeprefix(prefix) for name in self._names(self.table_path(table), directories=True)]
        return [self.partition(table, v) for v in sorted(v for v in values if v)]

    def generations(self, partition: Partition) -> Generations:
        """Read a partition's current and retired generations."""
        try:
            with self.fs.open(f"{partition.path}/{POINTER}", "rb") as handle:
                data = json.loads(handle.read().decode("utf-8"))
        except FileNotFoundError:
            return Generations()
        return Generations(str(data["current"]), {str(k): str(v) for k, v in data.get("retired", {}).items()})

    def set_generations(self, partition: Partition, state: Generations) -> None:
        """Replace a partition's ``_current.json`` in one atomic step: the moment a compaction commits."""
        content = json.dumps({"current": state.current, "retired": state.retired}, indent=2, sort_keys=True)
        with publish(self.fs, f"{partition.path}/{POINTER}") as handle:
            handle.write((content + "\n").encode("utf-8"))

    def generation_folders(self, partition: Partition) -> list[str]:
        """The names of every generation folder of a partition, current or not, in order."""
        names = self._names(partition.path, directories=True)
        return sorted(n for n in names if fnmatch.fnmatchcase(n, GENERATION_GLOB))

    def current_path(self, partition: Partition) -> str:
        """The folder of a partition's current generation."""
        return f"{partition.path}/{self.generations(partition).current}"

    def parts(self, partition: Partition, generation: str | None = None) -> list[str]:
        """The part files of a partition's current (or given) generation, by name.

        Args:
            partition: The partition.
            generation: A generation folder name; defaults to the current one.

        Returns:
            Their paths on the filesystem, sorted.
        """
        folder = f"{partition.path}/{generation or self.generations(partition).current}"
        names = self._names(folder, directories=False)
        return [f"{folder}/{n}" for n in sorted(n for n in names if fnmatch.fnmatchcase(n, PART_GLOB))]

    def _names(self, folder: str, *, directories: bool) -> list[str]:
        try:
            entries = self.fs.ls(folder, detail=True)
        except FileNotFoundError:
            return []
        wanted = "directory" if directories else "file"
        return [str(e["name"]).rstrip("/").rsplit("/", 1)[-1] for e in entries if e.get("type") == wanted]

    # --- writing --------------------------------------------------------------------------

    def write_file(self, path: str, table: arrow.Table) -> None:
        """Write a Parquet file so that it appears whole or not at all (see ``atomic.publish``)."""
        self.fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
        with publish(self.fs, path) as handle:
            pq.write_table(table, handle, compression="zstd")

    def write_part(self, partition: Partition, name: str, table: arrow.Table) -> str:
        """Add a part file to a partition's current generation.

        Args:
            partition: The partition.
            name: The part's name, unique within the partition (``part-<name>.parquet``).
            table: Its rows, in the table's Arrow schema (without the partition column).

        Returns:
            The file's path.
        """
        path = f"{self.current_path(partition)}/part-{name}.parquet"
        self.write_file(path, table)
        return path

    def ensure_table(self, spec: TableSpec) -> None:
        """Give a table an empty part when it has no file at all, so that views over it resolve.

        A partitioned table's empty part goes into its ``published_month=unknown`` partition.
        """
        if any(self.parts(p) for p in self.partitions(spec.name)):
            return
        partition = self.partition(spec.name, UNKNOWN_MONTH if is_partitioned(spec.name) else None)
        self.write_file(f"{self.current_path(partition)}/{EMPTY_PART}", arrow_schema(spec.model).empty_table())

    def replace(self, spec: TableSpec, df: pd.DataFrame) -> None:
        """Replace a derived table's content in one atomic rename (``part-current.parquet``).

        Raises:
            ValueError: The table is append-only.
        """
        if not spec.derived:
            raise ValueError(f"{spec.name} is append-only; only derived tables are replaced")
        self.ensure_table(spec)
        table = arrow.Table.from_pandas(df, schema=arrow_schema(spec.model), preserve_index=False)
        self.write_part(self.partition(spec.name), "current", table)

    # --- reading --------------------------------------------------------------------------

    def scan(
        self, spec: TableSpec, columns: Sequence[str], partitions: Sequence[Partition] | None = None
    ) -> Iterator[tuple[Partition, arrow.RecordBatch]]:
        """Stream some columns of the current generation of a table's partitions, batch by batch.

        Memory stays at one batch whatever the table's size.

        Args:
            spec: The table.
            columns: Columns of the table's model.
            partitions: Which partitions; defaults to all.

        Yields:
            Each partition and one batch of its rows.
        """
        schema = arrow_schema(spec.model)
        filesystem = self.arrow_filesystem()
        for partition in self.partitions(spec.name) if partitions is None else partitions:
            files = self.parts(partition)
            if not files:
                continue
            dataset = ds.dataset(files, schema=schema, format="parquet", filesystem=filesystem)
            batches = dataset.to_batches(
                columns=list(columns), batch_size=SCAN_BATCH_ROWS, batch_readahead=2, fragment_readahead=1
            )
            for batch in batches:
                yield partition, batch

    def read_columns(self, spec: TableSpec, columns: Sequence[str]) -> pd.DataFrame:
        """Read some columns of everything stored for a table.

        Args:
            spec: The table.
            columns: The columns; ``published_month`` may be among them for a partitioned table.

        Returns:
            A frame with those columns, one row per stored row.
        """
        stored = [c for c in columns if c != PARTITION_COLUMN]
        schema = arrow_schema(spec.model)
        pieces = []
        for partition, batch in self.scan(spec, stored):
            table = arrow.Table.from_batches([batch])
            if PARTITION_COLUMN in columns and partition.value is not None:
                table = table.append_column(
                    PARTITION_COLUMN, arrow.array([partition.value] * len(table), arrow.string())
                )
            pieces.append(table)
        if not pieces:
            empty = schema.empty_table().select(stored)
            if PARTITION_COLUMN in columns:
                empty = empty.append_column(PARTITION_COLUMN, arrow.array([], arrow.string()))
            pieces = [empty]
        return arrow.concat_tables(pieces).select(list(columns)).to_pandas()
