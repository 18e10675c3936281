"""The Parquet (Arrow) schema of a table, derived from its pandera model."""

from __future__ import annotations

import functools

import pandera.pandas as pa
import pyarrow as arrow


@functools.cache
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
