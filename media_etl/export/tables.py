"""Write a table, a view or a read-only query of media.db to CSV, JSON Lines or Parquet.

DuckDB's ``COPY`` writes the files; the article filters (``media_etl.report.filters``) reach it
as bound parameters. Types survive: Parquet keeps DuckDB's own types; in CSV and JSON Lines a
date is ``YYYY-MM-DD``, an instant ``YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00`` (UTC), and in JSON
Lines a list is a JSON array (in CSV a list or struct is its JSON text). Files are written to a
temporary file beside the target and renamed over it, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb

from media_etl.report.filters import SELECTED_ARTICLE_IDS, ArticleFilter

TABLE_FORMATS = ("csv", "jsonl", "parquet")
"""The formats of ``export_relation``."""
STDOUT_FORMATS = ("csv", "jsonl")
"""The formats that may go to standard output (Parquet is binary and needs a seekable file)."""
_COPY_OPTIONS = {"csv": "format csv, header true", "jsonl": "format json", "parquet": "format parquet"}
_NESTED = ("[]", "STRUCT(", "MAP(", "UNION(")


class ExportError(ValueError):
    """The export cannot run as asked; ``field`` names the option at fault, the message says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Selection:
    """What to export: the SQL of one select, its parameter values and its columns."""

    sql: str
    params: dict[str, object]
    columns: tuple[tuple[str, str], ...]
    """(name, DuckDB type) of each column, in order."""


def relation_names(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """The tables and views of media.db that can be exported by name.

    Args:
        connection: A connection to media.db.

    Returns:
        Their names, sorted.
    """
    rows = connection.execute(
        "select table_name from information_schema.tables"
        " where table_catalog = current_database() and table_schema = 'main' order by table_name"
    ).fetchall()
    return [str(name) for (name,) in rows]


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(connection: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> tuple[tuple[str, str], ...]:
    rows = connection.execute(f"describe {sql}", params).fetchall()
    return tuple((str(row[0]), str(row[1])) for row in rows)


def select_relation(
    connection: duckdb.DuckDBPyConnection,
    *,
    name: str | None = None,
    query: str | None = None,
    filters: ArticleFilter | None = None,
    limit: int | None = None,
) -> Selection:
    """Build the select that exports a relation by name, or a query, with the article filters.

    Args:
        connection: A connection to media.db.
        name: A table or view of media.db.
        query: One read-only select (the caller checks it is read-only); exactly one of name
            and query is given.
        filters: The article filters; when any is set the relation must have an ``article_id``
            column, and only rows of the current article versions the filter keeps remain.
        limit: Most rows; None for all.

    Returns:
        The selection.

    Raises:
        ExportError: The name is not a table or view (the message lists them), the query does
            not run, or filters were given for rows without ``article_id``.
    """
    if (name is None) == (query is None):
        raise ExportError("NAME", "give a table or view name, or --query, not both or neither")
    if name is not None:
        names = relation_names(connection)
        if name not in names:
            raise ExportError("NAME", f"{name!r} is not a table or view of media.db; choose one of: {', '.join(names)}")
        base, option = _quote_identifier(name), "NAME"
    else:
        statement = str(query).strip().rstrip(";").strip()
        base, option = f"({statement})", "--query"
    sql = f"select * from {base} as exported"
    try:
        columns = _columns(connection, sql, {})
    except duckdb.Error as exc:
        raise ExportError(option, f"the query does not run: {exc}") from None
    params: dict[str, object] = {}
    if filters is not None and not filters.is_empty:
        if "article_id" not in {column for column, _ in columns}:
            what = f"{name!r}" if name is not None else "the query"
            raise ExportError(
                option,
                f"{what} has no article_id column, so the article filters (--since, --until, --outlet, --agency,"
                " --language, --country) cannot apply to it",
            )
        sql = f"{sql} where exported.article_id in ({SELECTED_ARTICLE_IDS})"
        params = filters.params()
    if limit is not None:
        sql = f"{sql} limit {int(limit)}"
    return Selection(sql, params, columns)


def _text_column(name: str, kind: str, fmt: str) -> str | None:
    """The expression that writes one column as text in CSV or JSON Lines, or None to keep it."""
    column = _quote_identifier(name)
    if kind == "TIMESTAMP WITH TIME ZONE":
        utc = f"({column} at time zone 'UTC')"
        return (
            f"case when epoch_us({column}) % 1000000 = 0 then strftime({utc}, '%Y-%m-%dT%H:%M:%S')"
            f" else strftime({utc}, '%Y-%m-%dT%H:%M:%S.%f') end || '+00:00'"
        )
    if kind == "TIMESTAMP":  # no zone: ISO text without an offset, as stored
        return f"strftime({column}, '%Y-%m-%dT%H:%M:%S.%f')"
    if kind == "DATE":
        return f"strftime({column}, '%Y-%m-%d')"
    if fmt == "csv" and any(marker in kind for marker in _NESTED):
        return f"cast(to_json({column}) as varchar)"
    return None


def typed_select(selection: Selection, fmt: str) -> str:
    """The selection's SQL with the columns a text format must spell out converted to text.

    Args:
        selection: What to export.
        fmt: ``csv``, ``jsonl`` or ``parquet``.

    Returns:
        A select whose columns keep their names and order.
    """
    if fmt == "parquet":
        return selection.sql
    replaced = []
    for name, kind in selection.columns:
        expression = _text_column(name, kind, fmt)
        if expression is not None:
            replaced.append(f"{expression} as {_quote_identifier(name)}")
    if not replaced:
        return selection.sql
    return f"select * replace ({', '.join(replaced)}) from ({selection.sql})"


def temporary_beside(target: Path) -> Path:
    """A fresh temporary file name in the target's folder (a rename there is atomic).

    Args:
        target: The file to be written.

    Returns:
        A hidden name such as ``.out.csv.3f2a9c1b07de.tmp`` beside it.
    """
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")


def write_bytes_atomically(target: Path, data: bytes) -> None:
    """Write a file through a temporary file beside it and a rename, so no reader sees half of it.

    Args:
        target: The file to write; its folder must exist.
        data: Its content.
    """
    temporary = temporary_beside(target)
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_selection(connection: duckdb.DuckDBPyConnection, selection: Selection, fmt: str, target: Path) -> int:
    """Write a selection to a file atomically (a temporary file beside it, then a rename).

    Args:
        connection: The connection the selection was built on.
        selection: What to export.
        fmt: ``csv``, ``jsonl`` or ``parquet``.
        target: The file to write; its folder must exist.

    Returns:
        The number of rows written.

    Raises:
        ExportError: The format is unknown, or the rows cannot be read.
        OSError: The file cannot be written.
    """
    if fmt not in _COPY_OPTIONS:
        raise ExportError("--format", f"{fmt!r} is not one of {', '.join(TABLE_FORMATS)}")
    temporary = temporary_beside(target)
    copy = f"copy ({typed_select(selection, fmt)}) to {_string_literal(str(temporary))} ({_COPY_OPTIONS[fmt]})"
    try:
        row = connection.execute(copy, selection.params).fetchone()
        os.replace(temporary, target)
    except duckdb.IOException:
        temporary.unlink(missing_ok=True)
        raise
    except duckdb.Error as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError("--query", f"the rows cannot be read: {exc}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return int(row[0]) if row else 0
