"""The ingest ledger: which files a run has already read, so that unchanged files are not read again."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

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


def split_unchanged(files: Iterable[str], ledger: pd.DataFrame) -> tuple[list[FileState], list[FileState]]:
    """Separate files the ledger has seen with the same size and mtime from the rest.

    Only ``stat`` is called: unchanged files are not opened.

    Args:
        files: Paths, as discovered.
        ledger: The ``ingest_ledger`` rows (path, size, mtime_ns at least).

    Returns:
        The files to read (new or changed), and the unchanged ones.
    """
    known = set(zip(ledger["path"], ledger["size"], ledger["mtime_ns"], strict=True))
    to_read: list[FileState] = []
    unchanged: list[FileState] = []
    for path in files:
        state = FileState.of(path)
        (unchanged if (state.path, state.size, state.mtime_ns) in known else to_read).append(state)
    return to_read, unchanged
