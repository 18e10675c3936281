"""The data dictionary: every column of every warehouse table, generated from the pandera models.

Run ``python -m media_etl.report.dictionary > docs/data-dictionary.md`` to regenerate the
markdown; ``media_etl.store.dictionary`` puts the same rows into ``media.db`` as ``dictionary``.
"""

from __future__ import annotations

import sys

import pandas as pd

from media_etl.store.dictionary import VIEW_CHECK, dictionary_rows
from media_etl.store.versions import ARTICLE_VERSIONS, VERSIONED_TABLES, all_versions_view
from schemas import TABLES, TableSpec


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _checks_cell(checks: str | None) -> str:
    if not checks:
        return ""
    if checks == VIEW_CHECK:
        return checks
    return "; ".join(f"`{_cell(part)}`" for part in checks.split("; "))


def _summary(spec: TableSpec) -> str:
    """The first paragraph of the model's docstring, on one line."""
    doc = (spec.model.__doc__ or "").strip().split("\n\n")[0]
    return " ".join(doc.split())


def _table_notes(spec: TableSpec) -> list[str]:
    schema = spec.model.to_schema()
    key = ", ".join(f"`{column}`" for column in spec.key)
    if spec.derived:
        notes = [f"Key: {key}. Derived: recomputed from the other tables on every run and replaced whole."]
    else:
        notes = [f"Key: {key}. Append-only: a run adds the rows whose key is new and changes none."]
    if spec.name in VERSIONED_TABLES:
        history = all_versions_view(spec.name)
        notes.append(
            f"Views: `{spec.name}` holds the rows of current article versions only; `{history}` those of every version"
            + (" and adds `is_superseded` and `superseded_by`." if spec.name == "articles" else ".")
        )
    row_checks = [check.name for check in schema.checks if check.name]
    if row_checks:
        notes.append("Row checks: " + ", ".join(f"`{name}`" for name in row_checks) + ".")
    return notes


def _column_table(rows: pd.DataFrame) -> list[str]:
    lines = ["| column | type | null | checks | description |", "|---|---|---|---|---|"]
    for row in rows.itertuples(index=False):
        lines.append(
            f"| `{row.column_name}` | {row.type} | {'yes' if row.nullable else 'no'} | {_checks_cell(row.checks)} "
            f"| {_cell(row.description)} |"
        )
    return lines


def render_markdown() -> str:
    """Render the data dictionary as markdown, one section per table.

    Returns:
        The text of ``docs/data-dictionary.md``.
    """
    rows = dictionary_rows()
    lines = [
        "# Data dictionary",
        "",
        "Every column of every table in the warehouse: its DuckDB type in `media.db`, whether it may be",
        "null, the checks its pandera model enforces before a row is written, and what it means.",
        "",
        "Generated from the pandera models in `schemas/` by `python -m media_etl.report.dictionary`;",
        "do not edit it by hand. The same rows are the table `dictionary` in `media.db`:",
        "",
        "```bash",
        "duckdb warehouse/media.db -c \"select * from dictionary where table_name = 'quotes'\"",
        "```",
        "",
        "The tables with rows per article version show the current versions under their own name",
        "(`articles`, `quotes`, ...); every version stays queryable as `article_versions` and",
        "`<table>_all_versions` (`quotes_all_versions`, ...).",
        "",
        "| table | columns | one row per |",
        "|---|---:|---|",
    ]
    counts = rows.groupby("table_name", sort=False).size()
    for name, spec in TABLES.items():
        lines.append(f"| [`{name}`](#{name}) | {counts[name]} | {_cell(_summary(spec))} |")
    for name, spec in TABLES.items():
        lines += ["", f"## {name}", "", _summary(spec), "", *_table_notes(spec), ""]
        lines += _column_table(rows[rows["table_name"] == name])
        if name == "articles":
            added = rows[(rows["table_name"] == ARTICLE_VERSIONS) & (rows["checks"] == VIEW_CHECK)]
            added = added[~added["column_name"].isin(rows.loc[rows["table_name"] == name, "column_name"])]
            lines += ["", f"`{ARTICLE_VERSIONS}` has every column above, then:", ""]
            lines += _column_table(added)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.buffer.write(render_markdown().encode("utf-8"))
