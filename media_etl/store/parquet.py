"""Append-only Parquet tables with atomic, idempotent writes.

Each table is a folder of ``part-*.parquet`` files under ``<warehouse>/parquet/<table>/``.
A write goes to a hidden temporary file that no reader's glob matches, is flushed to
disk, and is then renamed into place, so a crash never leaves a half-written part
visible. Rows whose key is already stored are not written again, so re-running the
same input adds nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
import pyarrow as arrow
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from media_etl.store.atomic import write_atomically
from schemas import TableSpec

PART_GLOB = "part-*.parquet"
EMPTY_PART = "part-00000000-empty.parquet"


def arrow_schema(model: type[pa.DataFrameModel]) -> arrow.Schema:
    """Derive the Parquet schema of a table from its pandera model.

    Args:
        model: The table's pandera model.

    Returns:
        An Arrow schema with one field per model column, in model order.
    """
    fields = []
    for name, column in model.to_schema().columns.items():
        dtype = str(column.dtype)
        if dtype.startswith("datetime64[us, UTC]"):
            kind = arrow.timestamp("us", tz="UTC")
        elif dtype == "date":
            kind = arrow.date32()
        elif dtype == "bool":
            kind = arrow.bool_()
        elif dtype in ("int64", "Int64"):
            kind = arrow.int64()
        elif dtype in ("float64", "Float64"):
            kind = arrow.float64()
        elif dtype.startswith(("str", "string")):
            kind = arrow.string()
        elif dtype == "object":
            kind = arrow.binary()
        else:
            raise TypeError(f"{model.__name__}.{name}: no Parquet type for pandera dtype {dtype}")
        fields.append(arrow.field(name, kind, nullable=bool(column.nullable)))
    return arrow.schema(fields)


def table_dir(warehouse: Path, table: str) -> Path:
    """The folder holding a table's Parquet parts."""
    return warehouse / "parquet" / table


def ensure_table(warehouse: Path, spec: TableSpec) -> Path:
    """Create a table's folder with an empty part, so that views over it always resolve.

    Args:
        warehouse: The warehouse folder.
        spec: The table.

    Returns:
        The table's folder.
    """
    folder = table_dir(warehouse, spec.name)
    folder.mkdir(parents=True, exist_ok=True)
    if not any(folder.glob(PART_GLOB)):
        _write_atomically(arrow_schema(spec.model).empty_table(), folder / EMPTY_PART)
    return folder


def read_columns(warehouse: Path, spec: TableSpec, columns: list[str]) -> pd.DataFrame:
    """Read some columns of everything stored for a table.

    Args:
        warehouse: The warehouse folder.
        spec: The table.
        columns: The columns to read.

    Returns:
        A frame with those columns, one row per stored row.
    """
    folder = ensure_table(warehouse, spec)
    parts = sorted(str(p) for p in folder.glob(PART_GLOB))
    dataset = ds.dataset(parts, schema=arrow_schema(spec.model), format="parquet")
    return dataset.to_table(columns=columns).to_pandas()


def stored_keys(warehouse: Path, spec: TableSpec) -> pd.DataFrame:
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


def append_rows(warehouse: Path, spec: TableSpec, df: pd.DataFrame, part_name: str) -> int:
    """Write the rows of ``df`` that the table does not hold yet, as one new part file.

    Args:
        warehouse: The warehouse folder.
        spec: The table.
        df: Rows already validated against ``spec.model``.
        part_name: A name unique to this write, such as the run id and a batch number.

    Returns:
        How many rows were written (0 when all were already stored).
    """
    rows = new_rows(df, stored_keys(warehouse, spec), spec.key)
    if rows.empty:
        return 0
    table = arrow.Table.from_pandas(rows, schema=arrow_schema(spec.model), preserve_index=False)
    _write_atomically(table, table_dir(warehouse, spec.name) / f"part-{part_name}.parquet")
    return len(rows)


def replace_table(warehouse: Path, spec: TableSpec, df: pd.DataFrame) -> None:
    """Replace a derived table's content in one atomic rename.

    A derived table is one file, ``part-current.parquet``, beside the empty part that
    keeps its view resolvable; renaming the new file over it swaps all rows at once.

    Args:
        warehouse: The warehouse folder.
        spec: A derived table.
        df: Its complete new content, validated.
    """
    if not spec.derived:
        raise ValueError(f"{spec.name} is append-only; only derived tables are replaced")
    folder = ensure_table(warehouse, spec)
    table = arrow.Table.from_pandas(df, schema=arrow_schema(spec.model), preserve_index=False)
    _write_atomically(table, folder / "part-current.parquet")


def _write_atomically(table: arrow.Table, target: Path) -> None:
    write_atomically(target, lambda handle: pq.write_table(table, handle, compression="zstd"))
