"""Append-only Parquet tables with atomic, idempotent writes: the functions the rest of the code calls.

Each table is a folder under ``<warehouse>/parquet/<table>/``, the big ones split into
``published_month=YYYY-MM`` partitions, each holding generations of ``part-*.parquet``
files (see ``media_etl.store.warehouse``). A write goes to a hidden temporary file that no
reader's glob matches, is flushed to disk, and is then renamed into place, so a crash
never leaves a half-written part visible. Rows whose key is already stored are not
written again, so re-running the same input adds nothing.

Loading many batches should go through one ``WarehouseWriter`` per run, which reads the
stored keys once; ``append_rows`` reads them on every call.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from media_etl.store.schema import arrow_schema
from media_etl.store.warehouse import EMPTY_PART, PARQUET_DIR, PART_GLOB, Warehouse
from media_etl.store.writer import WarehouseWriter, as_writer
from schemas import TableSpec

__all__ = [
    "EMPTY_PART",
    "PART_GLOB",
    "Location",
    "append_rows",
    "arrow_schema",
    "ensure_table",
    "new_rows",
    "read_columns",
    "replace_table",
    "stored_keys",
    "table_dir",
]

Location = Warehouse | WarehouseWriter | str | os.PathLike[str]
"""Anything that names a warehouse: a folder, an fsspec URL, a ``Warehouse`` or a run's writer."""


def _warehouse(location: Location) -> Warehouse:
    return location.warehouse if isinstance(location, WarehouseWriter) else Warehouse.open(location)


def table_dir(warehouse: str | os.PathLike[str], table: str) -> Path:
    """The folder holding a (local) table's partitions and generations."""
    return Path(warehouse) / PARQUET_DIR / table


def ensure_table(warehouse: Location, spec: TableSpec) -> None:
    """Give a table an empty part when it has none, so that views over it always resolve.

    Args:
        warehouse: The warehouse.
        spec: The table.
    """
    _warehouse(warehouse).ensure_table(spec)


def read_columns(warehouse: Location, spec: TableSpec, columns: list[str]) -> pd.DataFrame:
    """Read some columns of everything stored for a table.

    Args:
        warehouse: The warehouse.
        spec: The table.
        columns: The columns to read (``published_month`` too, for a partitioned table).

    Returns:
        A frame with those columns, one row per stored row.
    """
    store = _warehouse(warehouse)
    store.ensure_table(spec)
    return store.read_columns(spec, columns)


def stored_keys(warehouse: Location, spec: TableSpec) -> pd.DataFrame:
    """Read only the key columns of everything stored for a table."""
    return read_columns(warehouse, spec, list(spec.key))


def new_rows(df: pd.DataFrame, stored: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Keep the rows of ``df`` whose key is neither stored nor repeated earlier in ``df``.

    Args:
        df: Candidate rows.
        stored: Key columns of the rows already stored.
        key: The key column names.

    Returns:
        The rows to write.
    """
    df = df.drop_duplicates(subset=list(key), keep="first")
    if stored.empty or df.empty:
        return df.reset_index(drop=True)
    present = pd.MultiIndex.from_frame(stored[list(key)].astype(df[list(key)].dtypes.to_dict()))
    candidate = pd.MultiIndex.from_frame(df[list(key)])
    return df[~candidate.isin(present)].reset_index(drop=True)


def append_rows(warehouse: Location, spec: TableSpec, df: pd.DataFrame, part_name: str) -> int:
    """Write the rows of ``df`` that the table does not hold yet, as new part files.

    Given a ``WarehouseWriter``, its indexes are used and kept; given a folder or URL, the
    stored keys are read for this one call. Rows of a per-article table go into the
    month partition their (already stored) article is in.

    Args:
        warehouse: The warehouse, or the run's writer.
        spec: The table.
        df: Rows already validated against ``spec.model``.
        part_name: A name unique to this write, such as the run id and a batch number.

    Returns:
        How many rows were written (0 when all were already stored).
    """
    return as_writer(warehouse).append(spec, df, part_name)


def replace_table(warehouse: Location, spec: TableSpec, df: pd.DataFrame) -> None:
    """Replace a derived table's content in one atomic rename.

    A derived table is one file, ``part-current.parquet``, beside the empty part that
    keeps its view resolvable; renaming the new file over it swaps all rows at once.

    Args:
        warehouse: The warehouse.
        spec: A derived table.
        df: Its complete new content, validated.
    """
    _warehouse(warehouse).replace(spec, df)
