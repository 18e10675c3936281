"""The on-disk LSH index of story clustering: band keys in a Parquet table, candidates by a DuckDB self-join.

``datasketch.MinHashLSH`` keeps every signature and every band key in memory (about
512 MB of signatures alone at a million articles). This index keeps them in Parquet files
in a temporary folder instead, and DuckDB, with a memory limit, joins them there,
streaming and spilling to disk, while the process holds one chunk of signatures at a time:

1. ``signatures.parquet`` (position, article id, a 64-bit hash of the signature, the
   signature) takes the non-empty signatures, a chunk at a time as they are read;
   ``bands.parquet`` takes each one's band keys: a 64-bit hash of the values in rows
   ``[i * rows, (i + 1) * rows)`` for band ``i``, datasketch's hash ranges with the bands
   and rows ``lsh_bands`` picks.
2. Identical signatures are linked directly and only the first of each takes part in the
   self-join on ``(band, key)``, as the in-memory index held one of each.
3. Candidate pairs are read back a chunk at a time with both signatures. A pair whose
   band hashes met by a hash collision is dropped, so the candidates are datasketch's
   exactly (all values of at least one band agree); a candidate is linked when the
   signatures agree on at least ``threshold * num_perm`` values.
4. Union-find runs over the links only, on the positions that have one.

What stays in memory is a chunk of signatures or candidates, DuckDB's working memory
(``MEMORY_LIMIT``, one thread), the links and the members of clusters: a peak of 0.43 GiB
for 200,000 stored signatures and 0.46 GiB for 1,000,000, of which about 0.19 GiB is the
imported libraries (``benchmarks/cluster_memory.py``), against 2.92 GiB for 200,000 with
datasketch's index in memory.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

CHUNK_ROWS = 16_384
"""Signatures (or candidate pairs) handled at a time."""
MEMORY_LIMIT = "96MB"
"""DuckDB's memory limit for the index; joins beyond it spill to the index's folder.

With one thread, 96 MB holds the aggregate over 32 million band rows (1,000,000
signatures) by spilling; two threads ran out of memory there."""

_DTYPE = np.dtype("<u4")


class _Components:
    """Union-find over positions 0..size-1; the root of a component is its smallest position."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _hash_rows(values: np.ndarray) -> np.ndarray:
    """Hash the last axis of a ``uint32`` array to 64 bits (equal rows, equal hashes; collisions are checked)."""
    hashed = np.zeros(values.shape[:-1], dtype=np.uint64)
    for column in range(values.shape[-1]):
        hashed = (hashed ^ values[..., column].astype(np.uint64)) * _MULTIPLIER
        hashed ^= hashed >> np.uint64(29)
    return hashed.view(np.int64)


def _share_a_band(first: np.ndarray, second: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """For each pair of signatures (rows of ``first`` and ``second``): do all values of some band agree?"""
    agree = first[:, : bands * rows] == second[:, : bands * rows]
    return agree.reshape(len(first), bands, rows).all(axis=2).any(axis=1)


def _signature_chunk(batch: pa.RecordBatch, num_perm: int) -> tuple[list[str], np.ndarray]:
    """Decode a batch of ``(article_id, signature)`` rows, refusing missing or wrong-sized signatures."""
    ids = [str(i) for i in batch.column(0).to_pylist()]
    stored = batch.column(1).to_pylist()
    size = num_perm * _DTYPE.itemsize
    for article_id, value in zip(ids, stored, strict=True):
        if value is None:
            raise ValueError(f"article {article_id} has no signature")
        if len(value) != size:
            raise ValueError(
                f"article {article_id}: signature of {len(value)} bytes does not hold num_perm={num_perm} values"
            )
    values = np.frombuffer(b"".join(stored), dtype=_DTYPE).reshape(len(ids), num_perm)
    return ids, values


_SIGNATURES = pa.schema(
    [("pos", pa.int64()), ("article_id", pa.string()), ("signature_hash", pa.int64()), ("signature", pa.binary())]
)
_BANDS = pa.schema([("band", pa.int16()), ("key", pa.int64()), ("pos", pa.int64())])


@contextmanager
def _index(folder: str | Path | None, memory_limit: str) -> Iterator[tuple[duckdb.DuckDBPyConnection, Path]]:
    """Open an empty index in a temporary folder, removed on leaving: a DuckDB database and the folder."""
    with tempfile.TemporaryDirectory(prefix="story-index-", dir=folder) as work:
        config: dict[str, str | bool | int | float | list[str]] = {
            "memory_limit": memory_limit,
            "temp_directory": str(Path(work) / "spill"),
            # DuckDB keeps up to 512 MiB of freed memory by default; hand it back to the system.
            "allocator_flush_threshold": "16MB",
            "allocator_bulk_deallocation_flush_threshold": "16MB",
            "preserve_insertion_order": False,
            "threads": 1,
        }
        with duckdb.connect(str(Path(work) / "story_index.duckdb"), config=config) as index:
            yield index, Path(work)


def _fill(
    index: duckdb.DuckDBPyConnection,
    work: Path,
    batches: Iterable[pa.RecordBatch],
    bands: int,
    rows: int,
    num_perm: int,
) -> int:
    """Write the non-empty signatures and their band keys to Parquet; return how many were written.

    The files are written a chunk at a time by pyarrow (inserting into a DuckDB table holds
    far more memory than its limit) and read back through the ``signatures`` and ``bands``
    views.
    """
    if bands * rows > num_perm:
        raise ValueError(f"{bands} bands of {rows} rows do not fit signatures of {num_perm} values")
    empty = np.uint32(0xFFFFFFFF)
    stored = 0
    signatures_path, bands_path = work / "signatures.parquet", work / "bands.parquet"
    with pq.ParquetWriter(signatures_path, _SIGNATURES) as signatures, pq.ParquetWriter(bands_path, _BANDS) as banded:
        for batch in batches:
            if batch.num_rows == 0:
                continue
            ids, values = _signature_chunk(batch, num_perm)
            keep = ~(values == empty).all(axis=1)
            values = values[keep]
            kept_ids = [i for i, k in zip(ids, keep.tolist(), strict=True) if k]
            count = len(kept_ids)
            if count == 0:
                continue
            positions = np.arange(stored, stored + count, dtype=np.int64)
            raw = np.ascontiguousarray(values).tobytes()
            size = num_perm * _DTYPE.itemsize
            offsets = pa.py_buffer(np.arange(0, (count + 1) * size, size, dtype=np.int32).tobytes())
            signatures.write_table(
                pa.table(
                    {
                        "pos": positions,
                        "article_id": pa.array(kept_ids, pa.string()),
                        "signature_hash": _hash_rows(values),
                        "signature": pa.Array.from_buffers(pa.binary(), count, [None, offsets, pa.py_buffer(raw)]),
                    },
                    schema=_SIGNATURES,
                )
            )
            keys = _hash_rows(values[:, : bands * rows].reshape(count, bands, rows))
            banded.write_table(
                pa.table(
                    {
                        "band": np.tile(np.arange(bands, dtype=np.int16), count),
                        "key": keys.reshape(-1),
                        "pos": np.repeat(positions, bands),
                    },
                    schema=_BANDS,
                )
            )
            stored += count
    for name, path in (("signatures", signatures_path), ("bands", bands_path)):
        quoted = str(path).replace("'", "''")
        index.execute(f"create view {name} as select * from read_parquet('{quoted}')")
    return stored


_DUPLICATES = """
with firsts as (
    select signature_hash, min(pos) as first_pos from signatures group by signature_hash having count(*) > 1
)
select s.pos, f.first_pos
from signatures s join firsts f using (signature_hash) join signatures earlier on earlier.pos = f.first_pos
where s.pos <> f.first_pos and s.signature = earlier.signature
"""
"""Each signature identical to one stored before it, with the position of the first."""

_CANDIDATES = """
with kept as (select band, key, pos from bands anti join duplicates using (pos)),
shared as (select band, key from kept group by band, key having count(*) > 1),
sharing as (select band, key, pos from kept semi join shared using (band, key))
select distinct a.pos as p, b.pos as q
from sharing a join sharing b on a.band = b.band and a.key = b.key and a.pos < b.pos
"""
"""Pairs of positions whose band hashes agree in some band, the first of identical signatures only."""


def _candidates(
    index: duckdb.DuckDBPyConnection, bands: int, rows: int, num_perm: int, chunk_rows: int
) -> Iterator[tuple[pa.RecordBatch, np.ndarray, np.ndarray]]:
    """Yield the candidate pairs a chunk at a time: ``(p, q, article ids)`` rows and both signatures.

    A pair whose band hashes agree only by a hash collision is dropped here: every pair
    yielded agrees on all values of at least one band, datasketch's rule exactly.
    """
    index.execute(f"create or replace table duplicates as {_DUPLICATES}")
    index.execute(f"create or replace table candidates as {_CANDIDATES}")
    reader = index.execute(
        """
        select c.p, c.q, x.article_id as article_p, y.article_id as article_q, x.signature as sp, y.signature as sq
        from candidates c join signatures x on x.pos = c.p join signatures y on y.pos = c.q
        """
    ).to_arrow_reader(chunk_rows)
    for batch in reader:
        if batch.num_rows == 0:
            continue
        first = np.frombuffer(b"".join(batch.column(4).to_pylist()), dtype=_DTYPE).reshape(-1, num_perm)
        second = np.frombuffer(b"".join(batch.column(5).to_pylist()), dtype=_DTYPE).reshape(-1, num_perm)
        shared = _share_a_band(first, second, bands, rows)
        yield batch.select([0, 1, 2, 3]).filter(pa.array(shared)), first[shared], second[shared]


def _links(
    index: duckdb.DuckDBPyConnection, bands: int, rows: int, cut: int, num_perm: int, chunk_rows: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return the linked pairs of positions: identical signatures, and candidates agreeing on ``cut`` values."""
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for pairs, first, second in _candidates(index, bands, rows, num_perm, chunk_rows):
        linked = np.count_nonzero(first == second, axis=1) >= cut
        left.append(pairs.column(0).to_numpy()[linked].astype(np.int64))
        right.append(pairs.column(1).to_numpy()[linked].astype(np.int64))
    left.append(index.execute("select first_pos from duplicates").fetchnumpy()["first_pos"].astype(np.int64))
    right.append(index.execute("select pos from duplicates").fetchnumpy()["pos"].astype(np.int64))
    return np.concatenate(left), np.concatenate(right)


def _components(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Union-find over the links: each linked position and the smallest position of its component."""
    nodes, inverse = np.unique(np.concatenate([left, right]), return_inverse=True)
    components = _Components(len(nodes))
    half = len(left)
    for i, j in zip(inverse[:half].tolist(), inverse[half:].tolist(), strict=True):
        components.union(i, j)
    roots = np.array([components.find(i) for i in range(len(nodes))], dtype=np.int64)
    return nodes, nodes[roots] if len(nodes) else roots


def linked_groups(
    batches: Iterable[pa.RecordBatch],
    *,
    bands: int,
    rows: int,
    cut: int,
    num_perm: int,
    chunk_rows: int = CHUNK_ROWS,
    memory_limit: str = MEMORY_LIMIT,
    folder: str | Path | None = None,
) -> pd.DataFrame:
    """Find the articles linked into groups of two or more through an LSH index on disk.

    Args:
        batches: ``(article_id, signature)`` record batches (any number, any size), the
            signatures as stored by ``near_duplicates.signature``. Empty signatures (every
            value ``0xFFFFFFFF``) never join a group.
        bands: LSH bands.
        rows: Hash values per band.
        cut: Values two signatures must agree on to be linked.
        num_perm: Hash values per signature.
        chunk_rows: Candidate pairs checked at a time.
        memory_limit: DuckDB's memory limit for the index (it spills beyond it).
        folder: Where the index's database file and spill files go (a temporary folder,
            removed afterwards, inside it); the system's temporary folder when None.

    Returns:
        One row per member of a group: ``article_id``, ``group`` (the same number for the
        members of a connected component of links) and ``signature`` (bytes).

    Raises:
        ValueError: A signature is missing or does not hold ``num_perm`` values.
    """
    with _index(folder, memory_limit) as (index, work):
        _fill(index, work, batches, bands, rows, num_perm)
        left, right = _links(index, bands, rows, cut, num_perm, chunk_rows)
        nodes, roots = _components(left, right)
        members = pa.table({"pos": nodes, "group": roots})
        index.register("members", members)
        found = (
            index.execute('select s.article_id, m."group", s.signature from members m join signatures s using (pos)')
            .to_arrow_table()
            .to_pandas()
        )
        index.unregister("members")
    found["signature"] = found["signature"].map(bytes)
    return found.astype({"article_id": "str", "group": "int64"}).reset_index(drop=True)


def candidate_pairs(
    batches: Iterable[pa.RecordBatch],
    *,
    bands: int,
    rows: int,
    num_perm: int,
    memory_limit: str = MEMORY_LIMIT,
    folder: str | Path | None = None,
) -> set[tuple[str, str]]:
    """Return the candidate pairs the on-disk index finds, before any check of the estimate.

    Args:
        batches: ``(article_id, signature)`` record batches, as for ``linked_groups``.
        bands: LSH bands.
        rows: Hash values per band.
        num_perm: Hash values per signature.
        memory_limit: DuckDB's memory limit for the index.
        folder: Where the index's temporary folder goes.

    Returns:
        Pairs of article ids ``(smaller, larger)`` whose signatures agree on all values of
        at least one band. Of identical signatures only the one stored first takes part.
    """
    found: set[tuple[str, str]] = set()
    with _index(folder, memory_limit) as (index, work):
        _fill(index, work, batches, bands, rows, num_perm)
        for pairs, _, _ in _candidates(index, bands, rows, num_perm, CHUNK_ROWS):
            for a, b in zip(pairs.column(2).to_pylist(), pairs.column(3).to_pylist(), strict=True):
                found.add((a, b) if a < b else (b, a))
    return found
