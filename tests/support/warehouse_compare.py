"""Compare and check warehouses: row multisets by hash, key uniqueness, whole parts, ledger consistency.

Shared by the crash-safety and concurrency tests, and usable from any test that needs to
say "these two warehouses hold the same rows".

How a table is found. Every file under ``<warehouse>/parquet/<table>/`` that the recursive
glob ``**/*.parquet`` matches is checked to be a whole, readable ``part-*.parquet``
(``PartChecker``), since that is what a careless reader would open. The table's *rows*
are those of its live files: folders are walked from the table folder, ``key=value``
(hive) folders are partitions, and where a folder holds generation folders
(``g-NNNNNN``) only its current generation is live: the one its ``_current.json`` names,
else ``g-000000`` (a compaction writes a new generation beside the current one and
switches the pointer; the retired one stays for a grace period). A flat table
(``<table>/part-*.parquet``) is all live. Rows are read with DuckDB, with hive
partitioning when the files sit in ``key=value`` folders (the partition value, such as
``published_month``, is then part of each row).

Which columns are run-specific, and left out of row hashes (``RUN_SPECIFIC``): the
columns that say which run wrote a row and when (``run_id``, ``loaded_at``, ``seen_at``,
``quarantined_at``). A warehouse built by several interrupted runs legitimately differs
from a clean one there, and nowhere else. Every other column is content and must match,
``articles.source_uri``, ``content_hash``, ``parser_version``, the MinHash signatures and
the derived ``story_clusters`` included. The ``runs`` table (one row per run) and
``fetch_log`` (one row per HTTP request, keyed by its time) are wholly run-specific and
are not compared.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as arrow
import pyarrow.parquet as pq

from schemas import TABLES

RUN_SPECIFIC: dict[str, tuple[str, ...]] = {
    "articles": ("run_id", "loaded_at"),
    "article_sources": ("run_id", "seen_at"),
    "ingest_ledger": ("run_id", "seen_at"),
    "quarantine": ("run_id", "quarantined_at"),
}
EXCLUDED_TABLES = ("runs", "fetch_log")
PARQUET_GLOB = "**/*.parquet"
PART_PATTERN = "part-*.parquet"
POINTER = "_current.json"
FIRST_GENERATION = "g-000000"
GENERATION = re.compile(r"^g-\d{6}$")
URL_PREFIXES = ("http://", "https://")


def table_folder(warehouse: Path, table: str) -> Path:
    """The folder that holds a table's Parquet files, partitions and generations."""
    return warehouse / "parquet" / table


def table_glob(warehouse: Path, table: str) -> str:
    """The recursive glob a reader of the whole folder would use."""
    return (table_folder(warehouse, table) / PARQUET_GLOB).as_posix()


def parquet_files(warehouse: Path, table: str) -> list[Path]:
    """Every file the table's recursive ``*.parquet`` glob matches, hidden and retired files included."""
    folder = table_folder(warehouse, table)
    return sorted(p for p in folder.rglob("*.parquet") if p.is_file()) if folder.is_dir() else []


def _current_generation(folder: Path) -> str:
    pointer = folder / POINTER
    if not pointer.exists():
        return FIRST_GENERATION
    return str(json.loads(pointer.read_text(encoding="utf-8"))["current"])


def live_files(warehouse: Path, table: str) -> list[Path]:
    """The files that hold a table's rows: the current generation of each partition (see the module doc).

    Args:
        warehouse: The warehouse.
        table: The table.

    Returns:
        The live ``*.parquet`` files, sorted.
    """
    found: list[Path] = []
    pending = [table_folder(warehouse, table)]
    while pending:
        folder = pending.pop()
        if not folder.is_dir():
            continue
        children = list(folder.iterdir())
        found += [c for c in children if c.is_file() and c.name.endswith(".parquet")]
        folders = [c for c in children if c.is_dir()]
        if any(GENERATION.match(c.name) for c in folders) or (folder / POINTER).exists():
            current = _current_generation(folder)
            folders = [c for c in folders if c.name == current or not GENERATION.match(c.name)]
        pending += folders
    return sorted(found)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(warehouse: Path, files: Sequence[Path]) -> str:
    """``read_parquet`` over some files of a table, with hive partitioning when every file has it."""
    names = ", ".join(_sql_string(f.as_posix()) for f in files)
    hive = all("=" in "".join(f.relative_to(warehouse / "parquet").parts[1:-1]) for f in files)
    options = "hive_partitioning = true, hive_types_autocast = false" if hive else "hive_partitioning = false"
    return f"read_parquet([{names}], union_by_name = true, {options})"


def read_table(warehouse: Path, table: str, columns: Sequence[str] | None = None) -> arrow.Table:
    """Read the rows of a table's live files with DuckDB.

    Args:
        warehouse: The warehouse.
        table: The table.
        columns: Columns to read; all when None.

    Returns:
        The rows; with no files, an empty table of the model's (or the asked) columns.
    """
    files = live_files(warehouse, table)
    if not files:
        names = list(columns or TABLES[table].model.to_schema().columns)
        return arrow.table({name: arrow.array([], arrow.null()) for name in names})
    select = ", ".join(f'"{c}"' for c in columns) if columns else "*"
    with duckdb.connect() as connection:
        return connection.execute(f"select {select} from {_source(warehouse, files)}").to_arrow_table()


def _canonical(value: object) -> object:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"bytes": bytes(value).hex()}
    if isinstance(value, datetime):
        return {"ts": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, float):
        return None if math.isnan(value) else {"float": value.hex()}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _digest(values: Iterable[object]) -> str:
    record = json.dumps([_canonical(v) for v in values], ensure_ascii=False, default=str)
    return hashlib.sha256(record.encode("utf-8")).hexdigest()


def row_hashes(rows: arrow.Table, ignore: Iterable[str] = ()) -> Counter[str]:
    """Hash each row over its columns except ``ignore``, as a multiset.

    Columns are taken by name in sorted order, so their order does not matter; NaN and
    null hash alike.

    Args:
        rows: The rows.
        ignore: Columns to leave out.

    Returns:
        SHA-256 hex digest of each row -> how many rows have it.
    """
    skip = set(ignore)
    names = sorted(n for n in rows.column_names if n not in skip)
    columns = [rows.column(n).to_pylist() for n in names]
    return Counter(_digest(values) for values in zip(*columns, strict=True))


@dataclass
class TableDifference:
    """How one table differs between two warehouses, row by row (by hash)."""

    table: str
    rows_a: int
    rows_b: int
    only_in_a: Counter[str] = field(default_factory=Counter)
    only_in_b: Counter[str] = field(default_factory=Counter)
    examples_a: list[dict[str, object]] = field(default_factory=list)
    examples_b: list[dict[str, object]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [
            f"{self.table}: {self.rows_a} rows in A, {self.rows_b} in B; "
            f"{sum(self.only_in_a.values())} only in A (lost or changed in B), "
            f"{sum(self.only_in_b.values())} only in B (duplicated or changed)"
        ]
        lines += [f"  only in A: {row}" for row in self.examples_a]
        lines += [f"  only in B: {row}" for row in self.examples_b]
        return "\n".join(lines)


def _examples(rows: arrow.Table, ignore: Iterable[str], wanted: Counter[str], limit: int) -> list[dict[str, object]]:
    skip = set(ignore)
    names = sorted(n for n in rows.column_names if n not in skip)
    found: list[dict[str, object]] = []
    for row in rows.select(names).to_pylist() if wanted else []:
        if _digest(row[n] for n in names) in wanted:
            found.append({str(k): None if v is None else str(v)[:80] for k, v in row.items()})
            if len(found) >= limit:
                break
    return found


def compare_table(
    a: Path, b: Path, table: str, ignore: Mapping[str, Sequence[str]] = RUN_SPECIFIC, examples: int = 3
) -> TableDifference | None:
    """Compare one table of two warehouses as multisets of row hashes.

    Args:
        a: The reference warehouse.
        b: The warehouse under test.
        table: The table.
        ignore: Run-specific columns per table, left out of the hashes.
        examples: How many differing rows of each side to show.

    Returns:
        None when both hold the same rows the same number of times, else the difference.
    """
    rows_a, rows_b = read_table(a, table), read_table(b, table)
    skip = ignore.get(table, ())
    hashes_a, hashes_b = row_hashes(rows_a, skip), row_hashes(rows_b, skip)
    if hashes_a == hashes_b:
        return None
    only_a, only_b = hashes_a - hashes_b, hashes_b - hashes_a
    return TableDifference(
        table,
        rows_a.num_rows,
        rows_b.num_rows,
        only_a,
        only_b,
        _examples(rows_a, skip, only_a, examples),
        _examples(rows_b, skip, only_b, examples),
    )


def compare_warehouses(
    a: Path,
    b: Path,
    tables: Iterable[str] | None = None,
    ignore: Mapping[str, Sequence[str]] = RUN_SPECIFIC,
) -> list[TableDifference]:
    """Compare the tables of two warehouses row by row: no lost rows, no duplicates, no changed values.

    Args:
        a: The reference warehouse.
        b: The warehouse under test.
        tables: The tables to compare; default every table in ``schemas.TABLES`` but
            ``EXCLUDED_TABLES`` (``runs``, ``fetch_log``).
        ignore: Run-specific columns per table, left out of the row hashes.

    Returns:
        One difference per table that differs; empty when the warehouses hold the same rows.
    """
    names = list(tables) if tables is not None else [t for t in TABLES if t not in EXCLUDED_TABLES]
    return [d for t in names if (d := compare_table(a, b, t, ignore)) is not None]


def duplicate_keys(warehouse: Path, table: str, limit: int = 5) -> list[tuple[object, ...]]:
    """Keys (``TableSpec.key``) that a table's live files hold more than once.

    Args:
        warehouse: The warehouse.
        table: The table.
        limit: How many duplicated keys to return at most.

    Returns:
        Up to ``limit`` tuples of (key values..., count).
    """
    files = live_files(warehouse, table)
    if not files:
        return []
    key = ", ".join(f'"{c}"' for c in TABLES[table].key)
    sql = f"select {key}, count(*) from {_source(warehouse, files)} group by all having count(*) > 1 limit {limit}"
    with duckdb.connect() as connection:
        return [tuple(row) for row in connection.execute(sql).fetchall()]


def key_problems(warehouse: Path, tables: Iterable[str] | None = None) -> list[str]:
    """Say which tables hold a key (``TableSpec.key``) more than once.

    Args:
        warehouse: The warehouse.
        tables: The tables to check; default all.

    Returns:
        One message per table with duplicated keys; empty when every key is unique.
    """
    problems = []
    for table in tables if tables is not None else TABLES:
        duplicated = duplicate_keys(warehouse, table)
        if duplicated:
            problems.append(f"{table}: key {TABLES[table].key} stored more than once, e.g. {duplicated}")
    return problems


class PartChecker:
    """Checks that every Parquet file a reader's glob can see is a whole part, remembering what it checked.

    A part is immutable once renamed into place, so a file seen before (same relative
    path, inode, size and mtime) is not read again: checking a warehouse, or hard-linked
    snapshots of it, after each of many crashes costs only the new files.
    """

    def __init__(self) -> None:
        """Start with nothing checked."""
        self._checked: set[tuple[str, int, int, int]] = set()

    def problems(self, warehouse: Path) -> list[str]:
        """Check what readers of each table folder can see: only whole, readable Parquet parts.

        For every table folder: each file the recursive ``*.parquet`` glob matches is named
        ``part-*.parquet`` (so no hidden temporary matches it) and reads in full with
        pyarrow and with DuckDB's ``read_parquet``; DuckDB's own recursive glob lists the
        same files; and the table's live files read together.

        Args:
            warehouse: The warehouse.

        Returns:
            One message per problem; empty when every visible part is whole.
        """
        problems: list[str] = []
        with duckdb.connect() as connection:
            for table in TABLES:
                files = parquet_files(warehouse, table)
                listed = connection.execute(f"select file from glob({_sql_string(table_glob(warehouse, table))})")
                duck_files = sorted(Path(f) for (f,) in listed.fetchall())
                if duck_files != files:
                    problems.append(f"{table}: DuckDB's glob sees {len(duck_files)} files, Python's {len(files)}")
                new = []
                for path in files:
                    if path.name.startswith(".") or not path.match(PART_PATTERN):
                        problems.append(f"{table}: the glob matches {path.relative_to(warehouse)}, which is no part")
                    stat = path.stat()
                    # By inode too: a hard-linked snapshot of a warehouse shares what was checked.
                    state = (path.relative_to(warehouse).as_posix(), stat.st_ino, stat.st_size, stat.st_mtime_ns)
                    if state not in self._checked:
                        new.append((path, state))
                for path, state in new:
                    try:
                        whole = pq.ParquetFile(path)
                        if whole.read(use_threads=False).num_rows != whole.metadata.num_rows:
                            problems.append(f"{path}: pyarrow reads fewer rows than its footer says")
                    except Exception as exc:
                        problems.append(f"{path.relative_to(warehouse)} does not read: {type(exc).__name__}: {exc}")
                        continue
                    self._checked.add(state)
                if new:
                    problems += self._duckdb_reads(connection, warehouse, table, [p for p, _ in new])
                live = live_files(warehouse, table)
                try:
                    if live:
                        connection.execute(f"select count(*) from {_source(warehouse, live)}").fetchone()
                except duckdb.Error as exc:
                    problems.append(f"{table}: its live files do not read together: {exc}")
        return problems

    @staticmethod
    def _duckdb_reads(
        connection: duckdb.DuckDBPyConnection, warehouse: Path, table: str, files: list[Path]
    ) -> list[str]:
        try:
            names = ", ".join(_sql_string(f.as_posix()) for f in files)
            connection.execute(f"select * from read_parquet([{names}], union_by_name = true)").fetchall()
            return []
        except duckdb.Error:
            pass
        problems = []
        for path in files:  # find the culprit
            try:
                connection.execute(f"select * from read_parquet({_sql_string(path.as_posix())})").fetchall()
            except duckdb.Error as exc:
                problems.append(f"{path.relative_to(warehouse)}: DuckDB cannot read it: {exc}")
        return problems or [f"{table}: DuckDB cannot read its new files together"]


def _quarantined(warehouse: Path) -> set[str]:
    """Quarantined sources: each ``source_uri``, and the file part of a ``file#item`` one."""
    uris = [u for u in read_table(warehouse, "quarantine", ["source_uri"]).column("source_uri").to_pylist() if u]
    return set(uris) | {u.split("#", 1)[0] for u in uris}


def ledger_problems(warehouse: Path, complete: bool = True) -> list[str]:
    """Check ``ingest_ledger`` against ``article_sources`` and ``quarantine``.

    Always: every ledger entry (a file state whose rows a run finished storing) has the
    ``article_sources`` rows of that content (same path and content hash), unless the file
    was quarantined. The ledger is written last, so this holds at any moment, even right
    after a crash.

    With ``complete``: also every ``article_sources`` row read from a file names a file
    in the ledger or a quarantined one. Sources are written before the ledger, so right
    after a crash this may not hold yet; after a completed run it must.

    Args:
        warehouse: The warehouse.
        complete: Whether a run has completed since the last crash.

    Returns:
        One message per kind of problem, with examples; empty when consistent.
    """
    ledger = read_table(warehouse, "ingest_ledger", ["path", "content_hash"]).to_pylist()
    sources = read_table(warehouse, "article_sources", ["source_uri", "content_hash"]).to_pylist()
    quarantined = _quarantined(warehouse)
    stored = {(s["source_uri"], s["content_hash"]) for s in sources}
    problems = []
    missing = [
        e["path"] for e in ledger if (e["path"], e["content_hash"]) not in stored and e["path"] not in quarantined
    ]
    if missing:
        problems.append(
            f"{len(missing)} ledger entries have no article_sources rows and no quarantine row, e.g. {missing[:3]}"
        )
    if complete:
        ledgered = {e["path"] for e in ledger}
        unledgered = sorted(
            {
                s["source_uri"]
                for s in sources
                if not s["source_uri"].startswith(URL_PREFIXES)
                and s["source_uri"] not in ledgered
                and s["source_uri"] not in quarantined
            }
        )
        if unledgered:
            problems.append(
                f"{len(unledgered)} files have article_sources rows but no ledger entry and no quarantine row, "
                f"e.g. {unledgered[:3]}"
            )
    return problems


def visibility_problems(warehouse: Path) -> list[str]:
    """Check that every article a reader can see already has its rows in the other tables.

    ``load_batch`` writes paragraphs and enrichment before articles, and the ledger last,
    so at any moment (even right after a crash): each visible article has all its
    paragraphs (``paragraph_count + subheading_count`` rows) and, when the warehouse is
    enriched, its MinHash signature; and each ``article_sources`` row of a ledgered file
    points at a visible article.

    Args:
        warehouse: The warehouse.

    Returns:
        One message per kind of problem; empty when consistent.
    """
    articles = read_table(warehouse, "articles", ["article_id", "paragraph_count", "subheading_count"]).to_pylist()
    if not articles:
        return []
    paragraphs = Counter(read_table(warehouse, "paragraphs", ["article_id"]).column("article_id").to_pylist())
    signatures = set(read_table(warehouse, "article_signatures", ["article_id"]).column("article_id").to_pylist())
    problems = []
    short = [
        a["article_id"] for a in articles if paragraphs[a["article_id"]] != a["paragraph_count"] + a["subheading_count"]
    ]
    if short:
        problems.append(f"{len(short)} visible articles lack some paragraphs, e.g. {short[:3]}")
    unsigned = [a["article_id"] for a in articles if signatures and a["article_id"] not in signatures]
    if unsigned:
        problems.append(f"{len(unsigned)} visible articles have no signature, e.g. {unsigned[:3]}")
    visible = {a["article_id"] for a in articles}
    ledgered = set(read_table(warehouse, "ingest_ledger", ["path"]).column("path").to_pylist())
    sources = read_table(warehouse, "article_sources", ["article_id", "source_uri"]).to_pylist()
    dangling = [s for s in sources if s["source_uri"] in ledgered and s["article_id"] not in visible]
    if dangling:
        problems.append(f"{len(dangling)} ledgered article_sources rows name no visible article, e.g. {dangling[:3]}")
    return problems


def integrity_problems(warehouse: Path) -> list[str]:
    """Check that no row names an article the warehouse does not hold (true after a completed run).

    Args:
        warehouse: The warehouse.

    Returns:
        One message per table with orphan rows; empty when every ``article_id`` resolves.
    """
    articles = set(read_table(warehouse, "articles", ["article_id"]).column("article_id").to_pylist())
    problems = []
    for table, spec in TABLES.items():
        if table == "articles" or "article_id" not in spec.model.to_schema().columns:
            continue
        orphans = {a for a in read_table(warehouse, table, ["article_id"]).column("article_id").to_pylist()} - articles
        if orphans:
            problems.append(f"{table}: {len(orphans)} article ids with no article, e.g. {sorted(orphans)[:3]}")
    return problems


def database_problems(warehouse: Path, complete: bool = False) -> list[str]:
    """Check that ``media.db``, when present, opens read-only and every table's view reads.

    Args:
        warehouse: The warehouse.
        complete: Whether a run has completed since the last crash; then each table's
            view must also show exactly the rows of the table's live files.

    Returns:
        One message per problem; empty when the database is whole (or absent, unless ``complete``).
    """
    database = warehouse / "media.db"
    if not database.exists():
        return ["media.db is missing after a completed run"] if complete else []
    problems = []
    try:
        with duckdb.connect(str(database), read_only=True) as connection:
            for table in TABLES:
                try:
                    (shown,) = connection.execute(f"select count(*) from {table}").fetchone() or (None,)
                except duckdb.Error as exc:
                    problems.append(f"media.db: view {table} does not read: {exc}")
                    continue
                if complete and shown != (stored := read_table(warehouse, table).num_rows):
                    problems.append(f"media.db: view {table} shows {shown} rows, its live files hold {stored}")
    except duckdb.Error as exc:
        problems.append(f"media.db does not open: {exc}")
    return problems


def row_counts(warehouse: Path) -> dict[str, int]:
    """How many rows each table's live files hold."""
    return {table: read_table(warehouse, table).num_rows for table in TABLES}
