"""The rows of a query as text: a terminal table (or a vertical layout when too wide), CSV, JSON or markdown.

``media-etl sql --format`` prints through these. In the table and markdown forms NULL shows as
``NULL``; in CSV it is an empty field and in JSON ``null``. Dates and instants are ISO 8601 text
(an instant with its UTC offset), lists and structs are JSON in CSV and JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from rich.console import Group
from rich.table import Table
from rich.text import Text

QUERY_FORMATS = ("table", "csv", "json", "markdown")
"""The formats of ``media-etl sql``."""
NULL = "NULL"
READABLE_WIDTH = 24
"""The width a column needs to stay readable: a table whose columns cannot each have this much
(or their full width when less) at the terminal's width is shown vertically instead."""


def json_value(value: object) -> Any:
    """Turn one DuckDB value into a JSON-ready value.

    Args:
        value: A value DuckDB returned.

    Returns:
        ISO text for dates, times and instants, a number for decimals, text for UUIDs,
        intervals and bytes, lists and dicts converted value by value, the rest as it is.
    """
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, UUID | timedelta):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def text_value(value: object) -> str | None:
    """Show one value as the text of a cell, or None for NULL.

    Args:
        value: A value DuckDB returned.

    Returns:
        ISO text for dates and instants (``2025-11-27T12:40:00+00:00``), JSON for lists and
        structs, ``str`` for the rest; None for NULL.
    """
    converted = json_value(value)
    if converted is None:
        return None
    if isinstance(converted, list | dict):
        return json.dumps(converted, ensure_ascii=False)
    if isinstance(converted, bool):
        return "true" if converted else "false"
    if isinstance(converted, float):
        return f"{converted:.15g}"
    return str(converted)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render rows as CSV with a header; NULL is an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if (text := text_value(v)) is None else text for v in row])
    return buffer.getvalue()


def to_json(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render rows as a JSON array of objects keyed by column name."""
    records = [{column: json_value(v) for column, v in zip(columns, row, strict=True)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _markdown_cell(value: object) -> str:
    text = text_value(value)
    if text is None:
        return NULL
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render rows as a GitHub-flavoured markdown table; NULL shows as ``NULL``."""
    numeric = [_is_numeric([row[i] for row in rows]) for i in range(len(columns))]
    lines = [
        "| " + " | ".join(c.replace("|", "\\|") for c in columns) + " |",
        "|" + "|".join("---:" if n else "---" for n in numeric) + "|",
    ]
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _is_numeric(values: Sequence[object]) -> bool:
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present)


def _cell(value: object) -> Text:
    text = text_value(value)
    return Text(NULL, style="dim") if text is None else Text(text)


def fits(columns: Sequence[str], rows: Sequence[Sequence[object]], width: int) -> bool:
    """Tell whether a table of these rows stays readable side by side at a width.

    Args:
        columns: The column names.
        rows: The rows.
        width: The terminal's width in characters.

    Returns:
        True when every column can have its full width or ``READABLE_WIDTH``, whichever is
        less, with the table's borders and padding (3 characters a column, plus 1).
    """
    needed = 1
    for index, column in enumerate(columns):
        cells = [_cell(row[index]).cell_len for row in rows]
        natural = max([Text(column).cell_len, *cells])
        needed += min(natural, READABLE_WIDTH) + 3
    return needed <= width


def horizontal_table(columns: Sequence[str], rows: Sequence[Sequence[object]], caption: str | None = None) -> Table:
    """Render rows as a rich table, one column per field; long values fold."""
    table = Table(caption=caption, title_justify="left")
    for index, column in enumerate(columns):
        numeric = _is_numeric([row[index] for row in rows])
        table.add_column(Text(column), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    return table


def vertical_layout(
    columns: Sequence[str], rows: Sequence[Sequence[object]], width: int, caption: str | None = None
) -> Group:
    """Render rows one block per row, one ``column | value`` line per field, like psql's ``\\x``.

    Args:
        columns: The column names.
        rows: The rows.
        width: The terminal's width; each value is cut to one line with an ellipsis to fit.
        caption: A line after the blocks.

    Returns:
        The blocks, ready to print.
    """
    name_width = max((Text(c).cell_len for c in columns), default=0)
    value_width = max(width - name_width - 3, 8)
    lines: list[Text] = []
    for number, row in enumerate(rows, start=1):
        heading = f"-[ row {number} ]"
        lines.append(Text(heading + "-" * max(width - len(heading), 0), style="bold"))
        for column, value in zip(columns, row, strict=True):
            cell = _cell(value)
            if cell.plain != NULL:
                cell = Text(" ".join(cell.plain.split()))
            cell.truncate(value_width, overflow="ellipsis")
            lines.append(Text(column.ljust(name_width), style="bold") + Text(" | ") + cell)
    if caption:
        lines.append(Text(caption))
    return Group(*lines)


def terminal_view(
    columns: Sequence[str], rows: Sequence[Sequence[object]], width: int, caption: str | None = None
) -> Group | Table:
    """Render rows for a terminal of a given width: side by side when readable, else vertically.

    Args:
        columns: The column names.
        rows: The rows.
        width: The terminal's width.
        caption: Text under the rows (a row count).

    Returns:
        A rich renderable.
    """
    if not rows:
        return horizontal_table(columns, rows, "no rows")
    if fits(columns, rows, width):
        # The caption on a line of its own: as the table's caption it would wrap to a narrow table's width.
        return Group(horizontal_table(columns, rows), *([Text(caption)] if caption else []))
    return vertical_layout(columns, rows, width, caption)
