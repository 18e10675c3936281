"""The ingest ledger: which files a run has already read, so that unchanged files are not read again."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class FileState:
    """A file as listed: path, size and modification time (ns)."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str) -> FileState:
        """Stat a file; a file that cannot be stat-ed gets size and mtime -1 (never matches the ledger)."""
        try:
            stat = os.stat(path)
        except OSError:
            return cls(path, -1, -1)
        return cls(path, stat.st_size, stat.st_mtime_ns)


def _file_hashes(paths: Iterable[str], sizes: Iterable[int], mtimes: Iterable[int]) -> np.ndarray:
    frame = pd.DataFrame(
        {"path": pd.Series(list(paths), dtype=object), "size": list(sizes), "mtime_ns": list(mtimes)}
    ).astype({"size": "int64", "mtime_ns": "int64"})
    return pd.util.hash_pandas_object(frame, index=False).to_numpy()


class LedgerIndex:
    """The ledger's (path, size, mtime) entries as sorted 64-bit hashes: 8 bytes a file, looked up in bulk.

    A hash collision could only make a changed file look unchanged if two different
    (path, size, mtime) triples shared all 64 bits, about one chance in 10^19 a pair.
    """

    def __init__(self, ledger: pd.DataFrame) -> None:
        """Index the ``ingest_ledger`` rows (path, size and mtime_ns at least)."""
        self._hashes = np.unique(_file_hashes(ledger["path"], ledger["size"], ledger["mtime_ns"]))

    def __len__(self) -> int:
        return len(self._hashes)

    def split(self, files: Iterable[str]) -> tuple[list[FileState], list[FileState]]:
        """Separate files the ledger has seen with the same size and mtime from the rest, in O(log n) a file.

        Only ``stat`` is called: unchanged files are not opened.

        Args:
            files: Paths, as discovered.

        Returns:
            The files to read (new or changed), and the unchanged ones.
        """
        states = [FileState.of(path) for path in files]
        if not states or not len(self._hashes):
            return states, []
        hashes = _file_hashes((s.path for s in states), (s.size for s in states), (s.mtime_ns for s in states))
        seen = np.isin(hashes, self._hashes, assume_unique=False)
        to_read = [s for s, known in zip(states, seen, strict=True) if not known]
        unchanged = [s for s, known in zip(states, seen, strict=True) if known]
        return to_read, unchanged
