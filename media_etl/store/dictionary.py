"""The ``dictionary`` table of ``media.db``: one row per column of every warehouse table, from the pandera models.

``article_versions``, the view of every article version, has rows of its own.

``media_etl.report.dictionary`` renders the same rows as ``docs/data-dictionary.md``.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pandera.pandas as pa

from media_etl.store.parquet import arrow_schema
from media_etl.store.partitions import PARTITION_COLUMN, PARTITIONED_TABLES
from media_etl.store.versions import ARTICLE_VERSIONS
from schemas import TABLES, TableSpec

COLUMNS = ("table_name", "column_name", "type", "nullable", "description", "checks")
"""The dictionary's columns. ``table`` and ``column`` are SQL keywords, hence the suffixes."""

# Columns a table's view adds over its Parquet parts (warehouse/views/<table>.sql): name, DuckDB
# type, nullable, description. tests/test_dictionary.py checks them against a built media.db.
MONTH_COLUMN = (
    PARTITION_COLUMN,
    "VARCHAR",
    False,
    "Publication month of the row's article (YYYY-MM of its published_date, or 'unknown'): the folder the"
    " row is stored in. Filter on it and a query reads only those months' files.",
)
VIEW_COLUMNS: dict[str, tuple[tuple[str, str, bool, str], ...]] = {
    name: (MONTH_COLUMN,) for name in sorted(PARTITIONED_TABLES)
} | {
    "quarantine": (
        (
            "status",
            "VARCHAR",
            False,
            "open, or resolved once a later completed run read the input again without the same rejection.",
        ),
        ("resolved_at", "TIMESTAMP WITH TIME ZONE", True, "When the resolving run started, UTC; null while open."),
        ("resolved_by_run", "VARCHAR", True, "The run that resolved it (quarantine_resolutions); null while open."),
    ),
}
# Columns article_versions adds over the columns of articles (warehouse/views/article_versions.sql).
VERSION_COLUMNS: tuple[tuple[str, str, bool, str], ...] = (
    (
        "is_superseded",
        "BOOLEAN",
        False,
        "True when a later version from the same source (file or feed item) replaced this one.",
    ),
    ("superseded_by", "VARCHAR", True, "The article_id of the version that replaced this one, if any."),
)
VIEW_CHECK = "computed by the view"

_MAX_LISTED_VALUES = 8
_COMPARISONS = {
    "greater_than_or_equal_to": (">=", "min_value"),
    "greater_than": (">", "min_value"),
    "less_than_or_equal_to": ("<=", "max_value"),
    "less_than": ("<", "max_value"),
    "equal_to": ("=", "value"),
    "not_equal_to": ("!=", "value"),
}


def describe_check(check: pa.Check) -> str:
    """Describe one pandera column check in a few words.

    Args:
        check: A check from a pandera column.

    Returns:
        Text such as ``>= 0``, ``length 1..500``, ``matches ^[0-9a-f]{16}$`` or
        ``one of: a, b``; a custom check is named as it is registered.
    """
    stats: dict[str, Any] = dict(check.statistics or {})
    name = check.name or ""
    if name in _COMPARISONS:
        symbol, key = _COMPARISONS[name]
        return f"{symbol} {stats[key]}"
    if name == "in_range":
        return f"between {stats['min_value']} and {stats['max_value']}"
    if name == "str_matches":
        return f"matches {stats['pattern']}"
    if name == "str_length":
        low, high, exact = stats.get("min_value"), stats.get("max_value"), stats.get("exact_value")
        if exact is not None:
            return f"length {exact}"
        if high is None:
            return f"length >= {low}"
        return f"length {low if low is not None else 0}..{high}"
    if name == "isin":
        values = [str(v) for v in stats["allowed_values"]]
        if len(values) <= _MAX_LISTED_VALUES:
            return "one of: " + ", ".join(values)
        return f"one of {len(values)} values: {values[0]} ... {values[-1]}"
    return name or str(check.error)


def _column_checks(column: pa.Column) -> str | None:
    parts = ["unique"] if column.unique else []
    parts += [describe_check(check) for check in column.checks]
    return "; ".join(parts) or None


def _duckdb_types(spec: TableSpec) -> dict[str, str]:
    """The DuckDB type of each column of a table, as its Parquet parts give it to ``media.db``."""
    with duckdb.connect() as connection:
        relation = connection.from_arrow(arrow_schema(spec.model).empty_table())
        return {name: str(kind) for name, kind in zip(relation.columns, relation.types, strict=True)}


def dictionary_rows() -> pd.DataFrame:
    """Build one row per column of every warehouse table, in table and model order.

    Returns:
        A frame with ``COLUMNS``: the table, the column, its DuckDB type in ``media.db``,
        whether it may be null, its description and the checks pandera enforces before a
        row is written (null when there are none). The columns a table's view adds, such
        as ``published_month``, follow that table's own. ``article_versions`` (every version
        of the articles) has the rows of ``articles`` and ``is_superseded``, ``superseded_by``.
    """
    rows: list[tuple[str, str, str, bool, str, str | None]] = []
    for name, spec in TABLES.items():
        types = _duckdb_types(spec)
        table_rows = [
            (
                name,
                column_name,
                types[column_name],
                bool(column.nullable),
                column.description or "",
                _column_checks(column),
            )
            for column_name, column in spec.model.to_schema().columns.items()
        ]
        table_rows += [
            (name, column_name, kind, nullable, description, VIEW_CHECK)
            for column_name, kind, nullable, description in VIEW_COLUMNS.get(name, ())
        ]
        rows += table_rows
        if name == "articles":
            rows += [(ARTICLE_VERSIONS, *row[1:]) for row in table_rows]
            rows += [(ARTICLE_VERSIONS, *column, VIEW_CHECK) for column in VERSION_COLUMNS]
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)


def write_dictionary_table(connection: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the ``dictionary`` table in a database, one row per warehouse column.

    Args:
        connection: A writable connection, such as the one ``build_database`` builds
            ``media.db`` with.
    """
    frame = dictionary_rows()
    connection.execute(
        """
        create or replace table dictionary (
            table_name varchar not null,
            column_name varchar not null,
            type varchar not null,
            nullable boolean not null,
            description varchar not null,
            checks varchar,
            primary key (table_name, column_name)
        )
        """
    )
    connection.executemany(
        "insert into dictionary values (?, ?, ?, ?, ?, ?)", [tuple(row) for row in frame.itertuples(index=False)]
    )
