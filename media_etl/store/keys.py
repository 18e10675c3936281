"""Compact indexes of stored keys: one unsigned 64-bit number per key, in sorted numpy arrays.

A key that is a single 16-hex-digit id (``article_id``, ``quarantine_id``) is that id read
as a number, so it is exact. Any other key (``article_sources``' source and item, the
ledger's path, size and mtime, ...) is a 64-bit hash of its columns; two different keys
share a hash with probability about n²/2⁶⁵ (one in 370,000 at ten million keys), in which
case the later row would be taken as already stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as arrow
import pyarrow.compute as pc

_HEX = np.full(256, 255, dtype=np.uint8)
_HEX[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10, dtype=np.uint8)
_HEX[np.frombuffer(b"abcdef", dtype=np.uint8)] = np.arange(10, 16, dtype=np.uint8)
_NIBBLE_SHIFTS = np.arange(60, -1, -4, dtype=np.uint64)
_COMBINE = np.uint64(0x100000001B3)
_SEED = np.uint64(0xCBF29CE484222325)
_EMPTY = np.empty(0, dtype=np.uint64)
_MERGE_AT = 1 << 16


def _hex64_chunk(chunk: arrow.Array) -> np.ndarray | None:
    """Read one chunk of 16-hex-digit strings straight from its Arrow buffers; None if it is not that."""
    if chunk.null_count:
        return None
    offset_type: type[np.signedinteger]
    if arrow.types.is_string(chunk.type) or arrow.types.is_binary(chunk.type):
        offset_type = np.int32
    elif arrow.types.is_large_string(chunk.type) or arrow.types.is_large_binary(chunk.type):
        offset_type = np.int64
    else:
        return None
    if len(chunk) == 0:
        return _EMPTY.copy()
    buffers = chunk.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
    if not (np.diff(offsets) == 16).all():
        return None
    raw = np.frombuffer(buffers[2], dtype=np.uint8)[offsets[0] : offsets[-1]].reshape(-1, 16)
    nibbles = _HEX[raw]
    if (nibbles == 255).any():
        return None
    return np.bitwise_or.reduce(nibbles.astype(np.uint64) << _NIBBLE_SHIFTS, axis=1)


def _hex64(column: arrow.ChunkedArray) -> np.ndarray | None:
    """Read 16-hex-digit strings as unsigned 64-bit numbers; None if any value is not one."""
    pieces = []
    for chunk in column.chunks:
        piece = _hex64_chunk(chunk)
        if piece is None:
            return None
        pieces.append(piece)
    return np.concatenate(pieces) if pieces else _EMPTY.copy()


def _column_hash(column: arrow.ChunkedArray) -> np.ndarray:
    kind = column.type
    if arrow.types.is_timestamp(kind) or arrow.types.is_date(kind) or arrow.types.is_boolean(kind):
        column = pc.cast(column, arrow.int64())
        kind = column.type
    if arrow.types.is_integer(kind):
        values = column.to_numpy(zero_copy_only=False)
        if column.null_count:
            values = np.asarray(pc.fill_null(column, -(2**63)).to_numpy(), dtype=np.int64)
        return pd.util.hash_array(np.asarray(values, dtype=np.int64))
    return pd.util.hash_array(np.asarray(column.to_pylist(), dtype=object))


def key_hashes(table: arrow.Table | arrow.RecordBatch, columns: Sequence[str]) -> np.ndarray:
    """One unsigned 64-bit number per row for the values of some key columns.

    Args:
        table: The rows.
        columns: The key columns.

    Returns:
        A uint64 array, one value per row; equal keys give equal values.
    """
    if isinstance(table, arrow.RecordBatch):
        table = arrow.Table.from_batches([table])
    if len(columns) == 1:
        exact = _hex64(table.column(columns[0]))
        if exact is not None:
            return exact
    combined = np.full(table.num_rows, _SEED, dtype=np.uint64)
    for name in columns:
        combined = (combined * _COMBINE) ^ _column_hash(table.column(name))
    return combined


def first_occurrences(hashes: np.ndarray) -> np.ndarray:
    """A mask keeping the first row of each distinct value."""
    keep = np.zeros(len(hashes), dtype=bool)
    if len(hashes):
        keep[np.unique(hashes, return_index=True)[1]] = True
    return keep


def _member(sorted_keys: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    if not len(sorted_keys) or not len(hashes):
        return np.zeros(len(hashes), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_keys, hashes), len(sorted_keys) - 1)
    return sorted_keys[at] == hashes


class KeyIndex:
    """A set of 64-bit keys, optionally with a 16-bit value per key, in sorted arrays.

    Eight bytes a key (ten with values): a million articles take 8 MB. New keys go into a
    small sorted array that is merged into the large one once it holds an eighth as many,
    so adding a batch costs about its own size, not the index's.
    """

    def __init__(self, keys: np.ndarray | None = None, values: np.ndarray | None = None) -> None:
        self._with_values = values is not None
        self._keys, self._values = self._unique(keys, values)
        self._recent_keys, self._recent_values = self._unique(None, None)

    def _unique(self, keys: np.ndarray | None, values: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        keys = _EMPTY if keys is None else np.asarray(keys, dtype=np.uint64)
        if not self._with_values or values is None:
            return np.unique(keys), np.empty(0, dtype=np.uint16)
        unique, first = np.unique(keys, return_index=True)
        return unique, np.asarray(values, dtype=np.uint16)[first]

    def __len__(self) -> int:
        return len(self._keys) + len(self._recent_keys)

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return sum(a.nbytes for a in (self._keys, self._values, self._recent_keys, self._recent_values))

    def contains(self, hashes: np.ndarray) -> np.ndarray:
        """A boolean mask: which of ``hashes`` are in the index."""
        return _member(self._keys, hashes) | _member(self._recent_keys, hashes)

    def values(self, hashes: np.ndarray, default: int = 0) -> np.ndarray:
        """The value stored with each of ``hashes``; ``default`` where a key is absent.

        Raises:
            TypeError: The index holds no values.
        """
        if not self._with_values:
            raise TypeError("this index holds keys only")
        found = np.full(len(hashes), default, dtype=np.uint16)
        for keys, values in ((self._keys, self._values), (self._recent_keys, self._recent_values)):
            hit = _member(keys, hashes)
            if hit.any():
                found[hit] = values[np.searchsorted(keys, hashes[hit])]
        return found

    def add(self, hashes: np.ndarray, values: np.ndarray | None = None) -> None:
        """Add keys (and their values; a key already present keeps its value)."""
        if not len(hashes):
            return
        if self._with_values and values is None:
            raise TypeError("this index needs a value with every key")
        hashes = np.asarray(hashes, dtype=np.uint64)
        new = ~self.contains(hashes)
        if not new.any():
            return
        keys = np.concatenate([self._recent_keys, hashes[new]])
        vals = np.concatenate([self._recent_values, np.asarray(values)[new]]) if self._with_values else None
        self._recent_keys, self._recent_values = self._unique(keys, vals)
        if len(self._recent_keys) > max(_MERGE_AT, len(self._keys) // 8):
            keys = np.concatenate([self._keys, self._recent_keys])
            vals = np.concatenate([self._values, self._recent_values]) if self._with_values else None
            self._keys, self._values = self._unique(keys, vals)
            self._recent_keys, self._recent_values = self._unique(None, None)
