"""Build ``media.db``: a DuckDB file holding only views over the Parquet tables and reports."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from media_etl.report.dictionary import write_dictionary_table
from media_etl.store.atomic import publish
from media_etl.store.partitions import PARTITION_COLUMN, is_partitioned
from media_etl.store.warehouse import PART_GLOB, Warehouse
from schemas import TABLES

DATABASE_NAME = "media.db"
DUCKDB_SCHEMES = ("s3", "s3a", "gs", "gcs", "r2", "az", "abfs", "abfss", "http", "https", "hf")
"""fsspec protocols DuckDB can read Parquet from (with its httpfs or azure extension)."""


def view_path(folder: Path, cwd: Path) -> str:
    """The path a view should name for a folder of part files.

    DuckDB resolves a relative path in a view against the working directory of the
    process that queries it. A warehouse under ``cwd`` is named relative to it, so
    ``duckdb warehouse/media.db`` works from the repo root in any clone; a warehouse
    elsewhere is named by its absolute path, so it works from anywhere.

    Args:
        folder: A folder of part files (a generation of a table or a partition).
        cwd: The directory users will query from.

    Returns:
        The glob to put in the view.
    """
    absolute = folder.resolve()
    try:
        return (absolute.relative_to(cwd.resolve()) / PART_GLOB).as_posix()
    except ValueError:
        return (absolute / PART_GLOB).as_posix()


def table_source(warehouse: Warehouse, table: str, cwd: Path) -> str:
    """The ``read_parquet(...)`` call a table's view reads: the current generation of each partition.

    A partitioned table is read with ``hive_partitioning``, which adds the
    ``published_month`` column from the folder names and lets a filter on it skip the
    files of other months.

    Args:
        warehouse: The warehouse.
        table: The table.
        cwd: The directory users will query from (see ``view_path``).

    Returns:
        SQL for the table's rows.
    """
    globs = []
    for partition in warehouse.partitions(table):
        folder = warehouse.current_path(partition)
        if not warehouse.parts(partition):
            continue
        glob = view_path(Path(folder), cwd) if warehouse.is_local else f"{warehouse.url(folder)}/{PART_GLOB}"
        globs.append("'" + glob.replace("'", "''") + "'")
    files = "[" + ", ".join(globs) + "]"
    if is_partitioned(table):
        hive = f"hive_partitioning = true, hive_types = {{'{PARTITION_COLUMN}': VARCHAR}}"
    else:
        hive = "hive_partitioning = false"
    return f"read_parquet({files}, {hive}, union_by_name = true)"


def build_database(warehouse: Warehouse | str | os.PathLike[str], views_dir: Path, cwd: Path) -> Path:
    """Write ``<warehouse>/media.db`` afresh: a view per table, every other ``*.sql`` view, and ``dictionary``.

    A table's view is ``select *`` over the current generation of its Parquet parts,
    unless ``views_dir`` holds a ``<table>.sql`` that adds derived columns; it reads the
    parts through ``{source}``. Rows that loads append to a partition the database
    names show at once; a partition (month) that did not exist when it was built shows
    from the next build on.

    The new file is built beside the old one and renamed over it, so a reader never
    sees a half-built database. A warehouse on an object store gets a database built
    in a local temporary folder and uploaded; its views name the files by URL, which
    DuckDB reads only through its httpfs (or azure) extension and credentials.

    Args:
        warehouse: The warehouse: a folder, a ``file://`` URL or another fsspec URL.
        views_dir: Folder of view files: ``<table>.sql`` overlays, views such as
            ``entities.sql``, and reports, one ``rpt_<name>.sql`` per view.
        cwd: The directory users will query from (see ``view_path``).

    Returns:
        The database path (a local copy, for a warehouse that is not local).

    Raises:
        ValueError: DuckDB cannot read the warehouse's filesystem (``memory://``, ...).
    """
    store = Warehouse.open(warehouse)
    protocols = {store.fs.protocol} if isinstance(store.fs.protocol, str) else set(store.fs.protocol)
    if not store.is_local and not protocols & set(DUCKDB_SCHEMES):
        raise ValueError(f"DuckDB cannot read {store.url(store.root)}: media.db needs a local or DuckDB-readable store")
    local_root = store.local_root
    folder = local_root if local_root is not None else Path(tempfile.mkdtemp(prefix="media-etl-db-"))
    target = folder / DATABASE_NAME
    temporary = folder / f".{DATABASE_NAME}.building"
    temporary.unlink(missing_ok=True)
    for spec in TABLES.values():
        store.ensure_table(spec)
    connection = duckdb.connect(str(temporary))
    try:
        overlays = []
        for name in TABLES:
            source = table_source(store, name, cwd)
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
    if local_root is None:
        with publish(store.fs, store.path(DATABASE_NAME)) as handle, target.open("rb") as built:
            while block := built.read(1 << 20):
                handle.write(block)
    return target
