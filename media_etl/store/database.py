"""Build ``media.db``: a DuckDB file of views over the Parquet tables, the reports and the dictionary.

The views name the Parquet files by absolute path, so ``duckdb /abs/path/warehouse/media.db``
answers from any working directory. ``media.db`` records the folder it was built for in its
``build_info`` table; a warehouse folder that was copied or moved still has views that read
the old folder, and ``relink_database`` (which every ``media-etl`` command calls, and
``media-etl relink`` runs on its own) rebuilds it for the new place.

The views that aggregate over every mention, quote or article (the person links, ``entities``
and the ``rpt_*`` reports, ``MATERIALISED_VIEWS``) are computed once per build: their rows are
stored as tables in the ``materialised`` schema, and each keeps its name as a view that reads
its table, so a report answers from a few thousand stored rows instead of recomputing an
aggregate over millions of mentions on every query. Their SQL (``warehouse/views``) is
unchanged; ``views_in_memory`` keeps every view as a view.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from media_etl import PARSER_VERSION
from media_etl.defaults import VIEWS_DIR
from media_etl.store.atomic import publish
from media_etl.store.dictionary import write_dictionary_table
from media_etl.store.partitions import PARTITION_COLUMN, is_partitioned
from media_etl.store.schema import arrow_schema
from media_etl.store.status import compute_article_status, status_never_computed, store_article_status
from media_etl.store.versions import VERSIONED_TABLES, all_versions_view
from media_etl.store.warehouse import PART_GLOB, Warehouse
from schemas import TABLES

DATABASE_NAME = "media.db"
MATERIALISED_SCHEMA = "materialised"
"""The schema of ``media.db`` that holds the rows of the views computed once per build."""
MATERIALISED_VIEWS = ("stg_person_links", "stg_mentions", "stg_quotes", "stg_run_articles", "entities")
"""Views stored as tables when ``media.db`` is built, in this order, before the ``rpt_*`` views.

The staging mentions and quotes (the current versions, with the person links applied) are read
by ``entities`` and by most reports; storing them lets each of those read them once per build."""
LIVE_VIEWS = frozenset({"rpt_quality_by_run"})
"""Reports that stay views: ``rpt_quality_by_run`` shows the ``runs`` row a run writes after it
builds ``media.db``; its aggregate over the articles is the stored ``stg_run_articles``."""
BUILD_INFO_TABLE = "build_info"
DUCKDB_SCHEMES = ("s3", "s3a", "gs", "gcs", "r2", "az", "abfs", "abfss", "http", "https", "hf")
"""fsspec protocols DuckDB can read Parquet from (with its httpfs or azure extension)."""


def warehouse_address(store: Warehouse) -> str:
    """The absolute folder (or the URL) that a warehouse's views name its files under."""
    local_root = store.local_root
    return str(local_root.resolve()) if local_root is not None else store.url(store.root)


def table_source(warehouse: Warehouse, table: str, month: str | None = None) -> str:
    """The ``read_parquet(...)`` call a table's view reads: the current generation of each partition.

    Files are named by absolute path (or by URL for a warehouse DuckDB reads remotely),
    so the view resolves whatever directory the querying process runs in. A partitioned
    table is read with ``hive_partitioning``, which adds the ``published_month`` column from
    the folder names and lets a filter on it skip the files of other months.

    Args:
        warehouse: The warehouse.
        table: The table.
        month: Read only this ``published_month`` partition (of a partitioned table).

    Returns:
        SQL for the table's rows.
    """
    globs = []
    for partition in warehouse.partitions(table):
        if month is not None and partition.value != month:
            continue
        folder = warehouse.current_path(partition)
        if not warehouse.parts(partition):
            continue
        if warehouse.is_local:
            glob = (Path(folder).resolve() / PART_GLOB).as_posix()
        else:
            glob = f"{warehouse.url(folder)}/{PART_GLOB}"
        globs.append("'" + glob.replace("'", "''") + "'")
    files = "[" + ", ".join(globs) + "]"
    if is_partitioned(table):
        hive = f"hive_partitioning = true, hive_types = {{'{PARTITION_COLUMN}': VARCHAR}}"
    else:
        hive = "hive_partitioning = false"
    return f"read_parquet({files}, {hive}, union_by_name = true)"


_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "large_string": "VARCHAR",
    "int64": "BIGINT",
    "int32": "INTEGER",
    "int16": "SMALLINT",
    "bool": "BOOLEAN",
    "double": "DOUBLE",
    "date32[day]": "DATE",
    "binary": "BLOB",
    "large_binary": "BLOB",
}


def with_missing_columns(connection: duckdb.DuckDBPyConnection, table: str, source: str) -> str:
    """Wrap a table's source so that it has every column of its model, null where no part file has it.

    Parts written before a column was added lack it; ``union_by_name`` fills it with null
    in a table that has both kinds of parts, but a table whose parts are all older would
    have no such column at all, and the views that name it would fail.

    Args:
        connection: The connection the views are created on.
        table: The table.
        source: Its ``read_parquet(...)`` call.

    Returns:
        The source, or a subquery adding the missing columns as typed nulls.
    """
    present = {row[0] for row in connection.execute(f"describe select * from {source}").fetchall()}
    schema = arrow_schema(TABLES[table].model)
    missing = [f for f in schema if f.name not in present]
    if not missing:
        return source
    added = []
    for column in missing:
        kind = "TIMESTAMPTZ" if str(column.type).startswith("timestamp") else _DUCKDB_TYPES.get(str(column.type))
        added.append(f'cast(null as {kind or "VARCHAR"}) as "{column.name}"')
    return f"(select *, {', '.join(added)} from {source})"


def create_views(connection: duckdb.DuckDBPyConnection, store: Warehouse, views_dir: Path = VIEWS_DIR) -> None:
    """Create the views over the tables, then every other ``*.sql`` view of ``views_dir``, on a connection.

    Each table gets a view over the current generation of its Parquet parts. A versioned
    table (``media_etl.store.versions``) gets it under its every-version name
    (``article_versions``, ``quotes_all_versions``, ...), and its plain name shows the current
    article versions only: ``articles`` is ``views_dir/articles.sql``, the others keep the rows
    of the articles in it. A table's view is ``select *`` over its parts unless ``views_dir``
    holds a ``<view>.sql`` that adds derived columns; it reads the parts through ``{source}``.
    The other views follow by layer: the ``stg_*`` staging views, then the rest
    (``entities``, ...), then the ``rpt_*`` reports; a view that reads another of the same
    layer is created once that one exists.

    Args:
        connection: A connection to create the views on (a file or an in-memory database).
        store: The warehouse whose tables the views read.
        views_dir: Folder of view files: ``<table or all-versions view>.sql`` overlays,
            ``articles.sql``, views such as ``entities.sql``, staging views ``stg_<name>.sql``
            and reports ``rpt_<name>.sql``.

    Raises:
        ValueError: A view names a table or view that no file defines.
    """
    overlays = []
    sources = {}
    for name in TABLES:
        source = sources[name] = with_missing_columns(connection, name, table_source(store, name))
        view = all_versions_view(name) if name in VERSIONED_TABLES else name
        overlay = views_dir / f"{view}.sql"
        if overlay.exists():
            overlays.append((view, overlay.read_text(encoding="utf-8").replace("{source}", source)))
        else:
            connection.execute(f"create view {view} as select * from {source}")
    # Table views with derived columns (views_dir/<view>.sql) may read the plain ones.
    for view, sql in overlays:
        connection.execute(f"create view {view} as\n{_body(sql)}")
    # The current article versions, then the current rows of every other versioned table.
    current = (views_dir / "articles.sql").read_text(encoding="utf-8").replace("{source}", sources["articles"])
    connection.execute(f"create view articles as\n{_body(current)}")
    for name in VERSIONED_TABLES:
        if name != "articles":
            connection.execute(
                f"create view {name} as select * from {all_versions_view(name)}"
                " where article_id in (select article_id from articles)"
            )
    # Then the staging views (stg_*.sql), the other views over tables (entities.sql, ...) and the
    # reports (rpt_*.sql), in that order; a view that reads one not created yet waits for a later pass.
    created = set(TABLES) | {view for view, _ in overlays}
    layer = {"stg": 0, "rpt": 2}
    pending = sorted(
        (f for f in views_dir.glob("*.sql") if f.stem not in created),
        key=lambda f: (layer.get(f.stem.split("_")[0], 1), f.stem),
    )
    while pending:
        waiting: list[tuple[Path, duckdb.Error]] = []
        for sql_file in pending:
            try:
                connection.execute(f"create view {sql_file.stem} as\n{_body(sql_file.read_text(encoding='utf-8'))}")
            except duckdb.CatalogException as error:
                waiting.append((sql_file, error))
        if len(waiting) == len(pending):
            stuck, reason = waiting[0]
            raise ValueError(f"view {stuck.name} cannot be created: {reason}") from reason
        pending = [sql_file for sql_file, _ in waiting]


def materialised_views(views_dir: Path = VIEWS_DIR) -> list[str]:
    """The views ``build_database`` stores as tables, in the order it computes them.

    ``MATERIALISED_VIEWS`` that ``views_dir`` defines, then every ``rpt_*`` view but the
    ``LIVE_VIEWS``, sorted: a report reads staging views and tables, never another report.

    Args:
        views_dir: The view files.

    Returns:
        The view names.
    """
    names = [name for name in MATERIALISED_VIEWS if (views_dir / f"{name}.sql").exists()]
    return [*names, *sorted(f.stem for f in views_dir.glob("rpt_*.sql") if f.stem not in LIVE_VIEWS)]


def materialise_views(connection: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, float]:
    """Store the rows of views as tables of the ``materialised`` schema, each view then reading its table.

    Each view is computed once, in the order given, so that a later one (a report) reads the
    stored rows of an earlier one (``stg_mentions``, ``entities``). A view keeps its name,
    columns and rows, in the order its query gives them (a table keeps its insertion order);
    its definition becomes ``select * from materialised.<name>``. The tables are not in the
    ``main`` schema, so listings of what to export (``information_schema.tables`` of ``main``)
    show the view once.

    Args:
        connection: A writable connection on which ``create_views`` created the views.
        names: Views to store, each after those it reads.

    Returns:
        The seconds each view took to compute and store, by name.
    """
    connection.execute(f"create schema if not exists {MATERIALISED_SCHEMA}")
    seconds = {}
    for name in names:
        started = time.perf_counter()
        stored = f'{MATERIALISED_SCHEMA}."{name}"'
        connection.execute(f'create or replace table {stored} as select * from main."{name}"')
        connection.execute(f'create or replace view main."{name}" as select * from {stored}')
        seconds[name] = time.perf_counter() - started
    return seconds


def _body(sql: str) -> str:
    """A view file's query, without the trailing semicolon a ``create view`` cannot take."""
    return sql.strip().rstrip(";")


def _readable_store(warehouse: Warehouse | str | os.PathLike[str]) -> Warehouse:
    store = Warehouse.open(warehouse)
    protocols = {store.fs.protocol} if isinstance(store.fs.protocol, str) else set(store.fs.protocol)
    if not store.is_local and not protocols & set(DUCKDB_SCHEMES):
        raise ValueError(f"DuckDB cannot read {store.url(store.root)}: media.db needs a local or DuckDB-readable store")
    for spec in TABLES.values():
        store.ensure_table(spec)
    return store


@contextmanager
def views_in_memory(
    warehouse: Warehouse | str | os.PathLike[str], views_dir: Path = VIEWS_DIR
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open an in-memory DuckDB database with the same views as ``media.db``, without writing a file.

    A run reads derived facts (the current article versions, say) through it before it
    builds ``media.db`` once at its end. Every view stays a view here: nothing is stored
    (``materialise_views`` is for ``media.db`` only).

    Args:
        warehouse: The warehouse: a folder, a ``file://`` URL or another DuckDB-readable URL.
        views_dir: The view files.

    Yields:
        The connection; it is closed on leaving.
    """
    store = _readable_store(warehouse)
    with duckdb.connect() as connection:
        create_views(connection, store, views_dir)
        yield connection


def build_database(warehouse: Warehouse | str | os.PathLike[str], views_dir: Path = VIEWS_DIR) -> Path:
    """Write ``<warehouse>/media.db`` afresh: the views, the ``dictionary`` and the ``build_info`` tables.

    Rows that loads append to a partition the database names show at once in the views over
    the tables; a partition (month) that did not exist when it was built shows from the next
    build on. The views of ``materialised_views`` (the person links, the staging mentions and
    quotes, ``entities``, the ``rpt_*`` reports) are computed here and stored
    (``materialise_views``): they show the rows of this build until the next one, which every
    run that loads something makes at its end. A warehouse
    whose ``article_status`` was never computed (loaded before that table existed) gets it
    here, so that its views do not take every article version for current.

    The new file is built beside the old one and renamed over it, so a reader never
    sees a half-built database. A warehouse on an object store gets a database built
    in a local temporary folder and uploaded; its views name the files by URL, which
    DuckDB reads only through its httpfs (or azure) extension and credentials.

    Args:
        warehouse: The warehouse: a folder, a ``file://`` URL or another fsspec URL.
        views_dir: The view files (see ``create_views``).

    Returns:
        The database path (a local copy, for a warehouse that is not local).

    Raises:
        ValueError: DuckDB cannot read the warehouse's filesystem (``memory://``, ...).
    """
    store = _readable_store(warehouse)
    local_root = store.local_root
    folder = local_root if local_root is not None else Path(tempfile.mkdtemp(prefix="media-etl-db-"))
    target = folder / DATABASE_NAME
    temporary = folder / f".{DATABASE_NAME}.building"
    temporary.unlink(missing_ok=True)
    connection = duckdb.connect(str(temporary))
    try:
        create_views(connection, store, views_dir)
        if status_never_computed(store):  # a warehouse loaded before article_status existed
            store_article_status(store, compute_article_status(connection))
        materialise_views(connection, materialised_views(views_dir))
        write_dictionary_table(connection)
        connection.execute(
            f"create table {BUILD_INFO_TABLE} (warehouse varchar not null, built_at timestamptz not null,"
            " parser_version varchar not null)"
        )
        connection.execute(
            f"insert into {BUILD_INFO_TABLE} values (?, ?, ?)",
            [warehouse_address(store), datetime.now(UTC), PARSER_VERSION],
        )
        connection.execute("checkpoint")
    finally:
        connection.close()
    os.replace(temporary, target)
    if local_root is None:
        with publish(store.fs, store.path(DATABASE_NAME)) as handle, target.open("rb") as built:
            while block := built.read(1 << 20):
                handle.write(block)
    return target


def built_for(database: Path) -> str | None:
    """The warehouse folder (or URL) whose files a ``media.db`` reads; None when it does not say.

    Args:
        database: A ``media.db`` file.

    Returns:
        What ``build_database`` recorded, or None for a database built before it recorded it.
    """
    with duckdb.connect(str(database), read_only=True) as connection:
        try:
            row = connection.execute(f"select warehouse from {BUILD_INFO_TABLE}").fetchone()
        except duckdb.CatalogException:
            return None
    return None if row is None else str(row[0])


def relink_database(warehouse: Path, views_dir: Path = VIEWS_DIR) -> str | None:
    """Rebuild a local warehouse's ``media.db`` when its views read another folder (it was copied or moved).

    Args:
        warehouse: The warehouse folder, as it is now.
        views_dir: The view files.

    Returns:
        The folder the old views read (``"unknown"`` when the database did not record it)
        when the database was rebuilt; None when it already read this folder or there is
        no ``media.db`` yet.
    """
    database = warehouse / DATABASE_NAME
    if not database.is_file():
        return None
    before = built_for(database)
    if before == str(warehouse.resolve()):
        return None
    build_database(warehouse, views_dir)
    return before or "unknown"
