"""Whether ``media.db`` and ``article_status`` are still current with the Parquet files they derive from.

A run that finds nothing new need not rebuild ``media.db`` nor recompute ``article_status``:
both depend only on the committed part files (and on the code and view files that build
them). Each gets a *stamp*, written after it is built, that records

- a digest of what it was built from: for every table, each partition's current generation
  folder and its part files (name, size, modification time); the view files; the source of
  the modules that build it; the warehouse folder;
- the identity (inode, size, modification time) of the file it vouches for.

Before rebuilding, a run recomputes the digest and compares. A stamp vouches only for the
exact file it names: a ``media.db`` rebuilt by anything else (``compact``, ``reprocess``,
``relink``), a build killed before its stamp was written, or a stamp left by an older file
all fail the comparison, and the next run rebuilds. A crash can therefore leave a stale
stamp, never a stale file that claims to be current.

Tables a run appends to after it builds ``media.db`` (its ``runs`` row and the quarantine
rows it resolves, ``WRITTEN_AFTER_BUILD``) enter the digest by partition only: their views
read every part file of a partition through a glob, so rows appended there show without a
rebuild, as they always did. If such a table lacked a column of its model in every part at
build time (the view then adds it as null), its part files enter the digest too, so the first
part that has the column triggers a rebuild.

Only local warehouses get stamps; a warehouse on an object store is rebuilt every time.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

import pyarrow.parquet as pq

from media_etl import PARSER_VERSION, __version__
from media_etl.defaults import VIEWS_DIR
from media_etl.store.atomic import write_atomically
from media_etl.store.partitions import PARTITION_COLUMN
from media_etl.store.schema import arrow_schema
from media_etl.store.warehouse import PART_GLOB, Warehouse
from schemas import TABLES

STAMP_FORMAT = 1
DATABASE_STAMP = ".media.db.stamp.json"
"""Beside ``media.db``: what the database was built from."""
STATUS_STAMP = "_computed_from.json"
"""In ``parquet/article_status/``: which ``article_sources`` parts the status was computed from."""
WRITTEN_AFTER_BUILD = ("runs", "quarantine_resolutions")
"""Tables a run appends to after it builds ``media.db`` (``media_etl.runs.finish_run``)."""
_BUILD_MODULES = (
    "media_etl.store.database",
    "media_etl.store.dictionary",
    "media_etl.store.versions",
    "media_etl.store.status",
    "media_etl.store.schema",
    "media_etl.store.warehouse",
    "media_etl.store.partitions",
)
"""Modules whose code decides what ``media.db`` holds; an edit to any of them makes every stamp stale."""

Listing = list[tuple[str, int, int]]


def part_files(store: Warehouse, table: str) -> list[tuple[str, Listing]]:
    """List each partition's current generation folder and its part files, with size and mtime.

    Args:
        store: A local warehouse.
        table: The table.

    Returns:
        (folder relative to the warehouse root, [(part name, size, mtime_ns), ...]) per
        partition, in partition order; one ``scandir`` per partition.
    """
    listed = []
    for partition in store.partitions(table):
        folder = store.current_path(partition)
        entries: Listing = []
        try:
            with os.scandir(folder) as found:
                for entry in found:
                    if fnmatch.fnmatchcase(entry.name, PART_GLOB) and entry.is_file():
                        stat = entry.stat()
                        entries.append((entry.name, stat.st_size, stat.st_mtime_ns))
        except FileNotFoundError:
            pass
        listed.append((os.path.relpath(folder, store.root), sorted(entries)))
    return listed


def _digest(data: object) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def _module_sources(modules: Iterable[str]) -> list[tuple[str, str]]:
    sources = []
    for name in modules:
        file = getattr(sys.modules.get(name) or __import__(name, fromlist=["_"]), "__file__", None)
        if file:
            sources.append((name, hashlib.sha256(Path(file).read_bytes()).hexdigest()))
    return sources


def build_code_digest(views_dir: Path = VIEWS_DIR) -> str:
    """Digest the code and view files that decide what ``media.db`` holds.

    Args:
        views_dir: The view files.

    Returns:
        A hex digest of the parser and package versions, each ``*.sql`` of ``views_dir``
        (name and bytes), the modules that build the database and the table models.
    """
    schema_files = sorted(Path(sys.modules["schemas"].__file__ or "").parent.glob("*.py"))
    return _digest(
        {
            "versions": [PARSER_VERSION, __version__],
            "views": [(f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for f in sorted(views_dir.glob("*.sql"))],
            "modules": _module_sources(_BUILD_MODULES),
            "schemas": [(f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for f in schema_files],
        }
    )


def _lacks_model_columns(store: Warehouse, table: str) -> bool:
    """True when some column of the table's model is in none of its current part files."""
    wanted = {name for name in arrow_schema(TABLES[table].model).names if name != PARTITION_COLUMN}
    present: set[str] = set()
    for partition in store.partitions(table):
        for path in store.parts(partition):
            present.update(pq.read_schema(path).names)
            if wanted <= present:
                return False
    return not wanted <= present


def database_digest(store: Warehouse, views_dir: Path, by_part: Iterable[str]) -> str:
    """Digest everything ``media.db`` is built from (see the module's docstring).

    Args:
        store: A local warehouse.
        views_dir: The view files.
        by_part: The tables of ``WRITTEN_AFTER_BUILD`` whose part files count, not only their partitions.

    Returns:
        A hex digest.
    """
    whole = set(by_part)
    tables: dict[str, object] = {}
    for table in TABLES:
        listed = part_files(store, table)
        if table in WRITTEN_AFTER_BUILD and table not in whole:
            tables[table] = [(folder, bool(parts)) for folder, parts in listed]
        else:
            tables[table] = listed
    return _digest(
        {"format": STAMP_FORMAT, "warehouse": store.root, "code": build_code_digest(views_dir), "tables": tables}
    )


def _identity(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def _read_stamp(path: Path) -> dict[str, object] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == STAMP_FORMAT else None


def _write_stamp(path: Path, stamp: dict[str, object]) -> None:
    content = json.dumps({"format": STAMP_FORMAT, **stamp}, indent=2, sort_keys=True) + "\n"
    write_atomically(path, lambda handle: handle.write(content.encode("utf-8")))


def database_is_current(warehouse: Warehouse | str | os.PathLike[str], views_dir: Path = VIEWS_DIR) -> bool:
    """Tell whether ``media.db`` was built from the warehouse's files as they are now, with this code.

    Args:
        warehouse: The warehouse.
        views_dir: The view files.

    Returns:
        True only for a local warehouse whose ``media.db`` is the very file its stamp names and
        whose stamp's digest matches the files now.
    """
    store = Warehouse.open(warehouse)
    root = store.local_root
    if root is None:
        return False
    stamp = _read_stamp(root / DATABASE_STAMP)
    identity = _identity(root / "media.db")
    if stamp is None or identity is None or stamp.get("database") != identity:
        return False
    by_part = stamp.get("by_part")
    if not isinstance(by_part, list):
        return False
    return stamp.get("digest") == database_digest(store, views_dir, [str(t) for t in by_part])


def database_stamp_inputs(store: Warehouse, views_dir: Path) -> dict[str, object]:
    """Take the digest of a local warehouse just before ``media.db`` is built from it.

    Returns:
        The stamp without the database's identity (see ``stamp_database``).
    """
    by_part = [table for table in WRITTEN_AFTER_BUILD if _lacks_model_columns(store, table)]
    return {"by_part": by_part, "digest": database_digest(store, views_dir, by_part)}


def stamp_database(root: Path, taken: dict[str, object], database: Path) -> None:
    """Record that ``database`` was built from the files ``taken`` describes.

    Args:
        root: The warehouse folder.
        taken: What ``database_stamp_inputs`` returned before the build.
        database: The ``media.db`` just built.
    """
    _write_stamp(root / DATABASE_STAMP, {**taken, "database": _identity(database)})


def status_stamp_path(store: Warehouse) -> Path | None:
    """Where a local warehouse's ``article_status`` stamp lives (None for a remote warehouse)."""
    root = store.local_root
    return None if root is None else Path(store.table_path("article_status")) / STATUS_STAMP


def _status_part(store: Warehouse) -> Path | None:
    parts = [Path(p) for partition in store.partitions("article_status") for p in store.parts(partition)]
    current = [p for p in parts if p.name == "part-current.parquet"]
    return current[0] if current else None


def status_digest(store: Warehouse) -> str:
    """Digest the ``article_sources`` part files and the code ``article_status`` is computed from."""
    return _digest(
        {
            "format": STAMP_FORMAT,
            "sources": part_files(store, "article_sources"),
            "code": _module_sources(["media_etl.store.status"]),
        }
    )


def status_is_current(store: Warehouse) -> bool:
    """Tell whether ``article_status`` was computed from the ``article_sources`` parts as they are now.

    Args:
        store: The warehouse.

    Returns:
        True only for a local warehouse whose status part is the file its stamp names and
        whose ``article_sources`` parts match the stamp's digest.
    """
    path = status_stamp_path(store)
    part = _status_part(store)
    if path is None or part is None:
        return False
    stamp = _read_stamp(path)
    if stamp is None or stamp.get("status") != _identity(part):
        return False
    return stamp.get("digest") == status_digest(store)


def stamp_status(store: Warehouse, digest: str) -> None:
    """Record that the current ``article_status`` part was computed from the sources ``digest`` describes.

    Args:
        store: A local warehouse (a remote one gets no stamp).
        digest: ``status_digest`` taken before the status was computed.
    """
    path = status_stamp_path(store)
    part = _status_part(store)
    if path is not None and part is not None:
        _write_stamp(path, {"digest": digest, "status": _identity(part)})


def refresh_database(warehouse: Warehouse | str | os.PathLike[str], views_dir: Path = VIEWS_DIR) -> tuple[Path, bool]:
    """Build ``media.db`` unless it is current with the warehouse's files (``database_is_current``).

    The digest is taken before the build and stamped after it, so files that change while
    it runs make the stamp stale (the next call rebuilds), never the database falsely current.

    Args:
        warehouse: The warehouse: a folder or a URL (see ``build_database``).
        views_dir: The view files.

    Returns:
        The database path and whether it was (re)built.
    """
    from media_etl.store.database import DATABASE_NAME, build_database  # database builds; this module decides

    store = Warehouse.open(warehouse)
    root = store.local_root
    if root is not None and database_is_current(store, views_dir):
        return root / DATABASE_NAME, False
    taken = database_stamp_inputs(store, views_dir) if root is not None else None
    database = build_database(store, views_dir)
    if root is not None and taken is not None:
        stamp_database(root, taken, database)
    return database, True
