"""Build ``media.db``: a DuckDB file holding only views over the Parquet tables and reports."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from media_etl.report.dictionary import write_dictionary_table
from media_etl.store.parquet import PART_GLOB, table_dir
from schemas import TABLES

DATABASE_NAME = "media.db"


def view_path(folder: Path, cwd: Path) -> str:
    """The path a view should name for a table folder.

    DuckDB resolves a relative path in a view against the working directory of the
    process that queries it. A warehouse under ``cwd`` is named relative to it, so
    ``duckdb warehouse/media.db`` works from the repo root in any clone; a warehouse
    elsewhere is named by its absolute path, so it works from anywhere.

    Args:
        folder: A table folder.
        cwd: The directory users will query from.

    Returns:
        The glob to put in the view.
    """
    absolute = folder.resolve()
    try:
        return (absolute.relative_to(cwd.resolve()) / PART_GLOB).as_posix()
    except ValueError:
        return (absolute / PART_GLOB).as_posix()


def build_database(warehouse: Path, views_dir: Path, cwd: Path) -> Path:
    """Write ``<warehouse>/media.db`` afresh: a view per table, every other ``*.sql`` view, and ``dictionary``.

    A table's view is ``select *`` over its Parquet parts, unless ``views_dir`` holds a
    ``<table>.sql`` that adds derived columns; it reads the parts through ``{source}``.

    The new file is built beside the old one and renamed over it, so a reader never
    sees a half-built database.

    Args:
        warehouse: The warehouse folder.
        views_dir: Folder of view files: ``<table>.sql`` overlays, views such as
            ``entities.sql``, and reports, one ``rpt_<name>.sql`` per view.
        cwd: The directory users will query from (see ``view_path``).

    Returns:
        The database path.
    """
    target = warehouse / DATABASE_NAME
    temporary = warehouse / f".{DATABASE_NAME}.building"
    temporary.unlink(missing_ok=True)
    connection = duckdb.connect(str(temporary))
    try:
        overlays = []
        for name in TABLES:
            glob = view_path(table_dir(warehouse, name), cwd).replace("'", "''")
            source = f"read_parquet('{glob}', union_by_name = true)"
            overlay = views_dir / f"{name}.sql"
            if overlay.exists():
                overlays.append((name, overlay.read_text(encoding="utf-8").replace("{source}", source)))
            else:
                connection.execute(f"create view {name} as select * from {source}")
        # Table views with derived columns (views_dir/<table>.sql) may read the plain ones.
        for name, sql in overlays:
            connection.execute(f"create view {name} as\n{sql.strip().rstrip(';')}")
        # Then the views over tables (entities.sql, ...), then the reports (rpt_*.sql).
        view_files = [f for f in sorted(views_dir.glob("*.sql")) if f.stem not in TABLES]
        for sql_file in sorted(view_files, key=lambda f: f.stem.startswith("rpt_")):
            body = sql_file.read_text(encoding="utf-8").strip().rstrip(";")
            connection.execute(f"create view {sql_file.stem} as\n{body}")
        write_dictionary_table(connection)
        connection.execute("checkpoint")
    finally:
        connection.close()
    os.replace(temporary, target)
    return target
