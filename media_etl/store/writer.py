"""Append to a warehouse for one run, skipping stored keys without re-reading them for every batch.

``WarehouseWriter`` reads each table's stored keys once, the first time the run appends
to that table, into a ``KeyIndex`` (8 bytes a key), and adds the keys of every part it
writes. A run of B batches over N stored rows thus reads the keys once, not B times.

The per-article tables (paragraphs, mentions, quotes, themes, dates_mentioned,
article_signatures) are de-duplicated by ``article_id`` alone: a batch writes all rows of
an article into one part file, which appears whole or not at all, so an article that has
rows in the table has all of them. Their index holds one number per article, not per row.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as arrow

from media_etl.store.keys import KeyIndex, key_hashes
from media_etl.store.partitions import (
    ARTICLE_TABLES,
    UNKNOWN_MONTH,
    article_months,
    is_partitioned,
    month_code,
    month_name,
    months_for_rows,
    months_of_dates,
)
from media_etl.store.schema import arrow_schema
from media_etl.store.warehouse import Warehouse
from schemas import TABLES, TableSpec

ARTICLES = "articles"
PART_WRITERS = 16
"""Most part files of one table a writer writes at the same time (one per month)."""


def dedupe_key(spec: TableSpec) -> tuple[str, ...]:
    """The columns a table is de-duplicated by: ``article_id`` for per-article tables, else its key."""
    return ("article_id",) if spec.name in ARTICLE_TABLES else spec.key


class WarehouseWriter:
    """Appends new rows to a warehouse's tables during one run.

    Create one per run, after taking the warehouse lock, and pass it to every
    ``load_batch``: nothing else may write the warehouse while it is in use, or its
    indexes would miss keys. It is not thread-safe; loads run one batch at a time.

    Args:
        warehouse: The warehouse (folder, URL or ``Warehouse``).
    """

    def __init__(self, warehouse: Warehouse | str | os.PathLike[str]) -> None:
        self.warehouse = Warehouse.open(warehouse)
        self._indexes: dict[str, KeyIndex] = {}
        self.written: set[tuple[str, str | None]] = set()
        """``(table, partition value)`` of every partition this writer added a part to."""

    def __repr__(self) -> str:
        return f"WarehouseWriter({self.warehouse!r})"

    def index(self, spec: TableSpec) -> KeyIndex:
        """The table's stored keys, read on first use (the ``articles`` index also holds each article's month).

        Args:
            spec: The table.

        Returns:
            Its index, kept up to date by ``append``.
        """
        index = self._indexes.get(spec.name)
        if index is None:
            index = self._indexes[spec.name] = self._read_index(spec)
        return index

    def _read_index(self, spec: TableSpec) -> KeyIndex:
        columns = dedupe_key(spec)
        keys: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for partition, batch in self.warehouse.scan(spec, columns):
            hashes = np.unique(key_hashes(batch, columns))
            keys.append(hashes)
            if spec.name == ARTICLES:
                codes.append(np.full(len(hashes), month_code(partition.value or UNKNOWN_MONTH), dtype=np.uint16))
        all_keys = np.concatenate(keys) if keys else np.empty(0, dtype=np.uint64)
        if spec.name == ARTICLES:
            return KeyIndex(all_keys, np.concatenate(codes) if codes else np.empty(0, dtype=np.uint16))
        return KeyIndex(all_keys)

    def article_months(self, articles: pd.DataFrame) -> dict[str, str]:
        """The partition of each article of a batch: where it is stored already, else its own month.

        The same copy can come again with another date (a second feed); its new rows
        (``article_sources``) then go beside the stored article, not into the new date's month.

        Args:
            articles: The batch's ``articles`` rows.

        Returns:
            ``article_id`` -> ``YYYY-MM`` or ``unknown``.
        """
        months = article_months(articles)
        if not months:
            return months
        ids = arrow.table({"article_id": arrow.array(list(months), arrow.string())})
        hashes = key_hashes(ids, ("article_id",))
        index = self.index(TABLES[ARTICLES])
        stored = index.contains(hashes)
        for article_id, code in zip(
            np.asarray(list(months), dtype=object)[stored], index.values(hashes[stored]), strict=True
        ):
            months[str(article_id)] = month_name(int(code))
        return months

    def append(
        self, spec: TableSpec, df: pd.DataFrame, part_name: str, *, months: Mapping[str, str] | None = None
    ) -> int:
        """Write the rows of ``df`` that the table does not hold yet, one part file per partition.

        Args:
            spec: The table.
            df: Rows already validated against ``spec.model``.
            part_name: A name unique to this write, such as the run id and a batch number.
            months: For a per-article partitioned table, each article's month
                (``article_months``); by default, the month its article is stored in.

        Returns:
            How many rows were written (0 when all were already stored).

        Raises:
            ValueError: A partitioned row's article has no known month.
        """
        if df.empty:
            return 0
        rows = df.drop_duplicates(subset=list(spec.key), keep="first")
        table = arrow.Table.from_pandas(rows, schema=arrow_schema(spec.model), preserve_index=False)
        columns = dedupe_key(spec)
        hashes = key_hashes(table, columns)
        index = self.index(spec)
        new = ~index.contains(hashes)
        if not new.any():
            return 0
        table, hashes = table.filter(arrow.array(new)), hashes[new]
        codes = None
        if not is_partitioned(spec.name):
            self.warehouse.write_part(self.warehouse.partition(spec.name), part_name, table)
            self.written.add((spec.name, None))
        else:
            row_months = self._row_months(spec, table, months)
            pieces = {
                month: table.filter(arrow.array(row_months == month)) for month in sorted(set(row_months.tolist()))
            }
            self._write_parts(spec, part_name, pieces)
            if spec.name == ARTICLES:
                codes = np.asarray([month_code(m) for m in row_months], dtype=np.uint16)
        index.add(hashes, codes)
        return table.num_rows

    def _write_parts(self, spec: TableSpec, part_name: str, pieces: Mapping[str, arrow.Table]) -> None:
        """Write one part per month, side by side: each waits mostly on its own fsync.

        A local part file is flushed to disk twice (the file, then its folder) before it
        counts as written, so a batch whose articles span many months used to wait for
        two disk flushes per month and table in turn. Threads let the filesystem commit
        the flushes of all months together; every part is still durable, and written
        whole or not at all, before ``append`` returns and the next table is written.
        """

        def write(month: str) -> None:
            self.warehouse.write_part(self.warehouse.partition(spec.name, month), part_name, pieces[month])

        if len(pieces) == 1:
            write(next(iter(pieces)))
        else:
            with ThreadPoolExecutor(max_workers=min(PART_WRITERS, len(pieces))) as pool:
                list(pool.map(write, pieces))  # re-raises the first failure
        self.written.update((spec.name, month) for month in pieces)

    def _row_months(self, spec: TableSpec, table: arrow.Table, months: Mapping[str, str] | None) -> np.ndarray:
        if spec.name == ARTICLES:
            return months_of_dates(table.column("published_date"))
        if months is None:
            ids = table.column("article_id")
            articles = TABLES[ARTICLES]
            index = self.index(articles)
            hashes = key_hashes(arrow.table({"article_id": ids}), ("article_id",))
            stored = index.contains(hashes)
            if not stored.all():
                raise ValueError(f"{spec.name}: rows of articles that are not stored and have no month given")
            codes = index.values(hashes)
            months = {str(i): month_name(int(c)) for i, c in zip(ids.to_pylist(), codes, strict=True)}
        return months_for_rows(table.column("article_id"), months)


def as_writer(target: WarehouseWriter | Warehouse | str | os.PathLike[str]) -> WarehouseWriter:
    """The writer given, or a new one for a warehouse (whose indexes then last one call)."""
    return target if isinstance(target, WarehouseWriter) else WarehouseWriter(target)
