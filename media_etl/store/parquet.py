"""Append-only Parquet tables with atomic, idempotent writes: the functions the rest of the code calls.

Each table is a folder under ``<warehouse>/parquet/<table>/``, the big ones split into
``published_month=YYYY-MM`` partitions, each holding generations of ``part-*.parquet``
files (see ``media_etl.store.warehouse``). A write goes to a hidden temporary file that no
reader's glob matches, is flushed to disk, and is then renamed into place, so a crash
never leaves a half-written part visible. Rows whose key is already stored are not
written again, so re-running the same input adds nothing.

Loading goes through one ``WarehouseWriter`` per run (``media_etl.store.writer``), which
reads the stored keys once.
"""

from __future__ import annotations

import os

import pandas as pd

from media_etl.store.schema import arrow_schema
from media_etl.store.warehouse import EMPTY_PART, PART_GLOB, Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TableSpec

__all__ = [
    "EMPTY_PART",
    "PART_GLOB",
    "Location",
    "arrow_schema",
    "ensure_table",
    "read_columns",
    "replace_table",
    "stored_keys",
]

Location = Warehouse | WarehouseWriter | str | os.PathLike[str]
"""Anything that names a warehouse: a folder, an fsspec URL, a ``Warehouse`` or a run's writer."""


def _warehouse(location: Location) -> Warehouse:
    return location.warehouse if isinstance(location, WarehouseWriter) else Warehouse.open(location)


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
