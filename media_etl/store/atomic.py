"""Write files so that readers see either the old file or the whole new one, never a part."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from fsspec import AbstractFileSystem
from fsspec.implementations.local import LocalFileSystem

TEMPORARY_PREFIX = ".tmp-"
TEMPORARY_SUFFIX = ".partial"


def temporary_name(name: str) -> str:
    """The hidden name a file is written under before it is moved into place."""
    return f"{TEMPORARY_PREFIX}{uuid.uuid4().hex}-{name}{TEMPORARY_SUFFIX}"


def is_temporary(name: str) -> bool:
    """True for a name ``temporary_name`` made: garbage once no writer is running."""
    return name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX)


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file through a hidden temporary beside it, flushed to disk, then renamed into place.

    The temporary's name starts with a dot and ends in ``.partial``, so no glob such as
    ``part-*.parquet`` matches it; after a crash it is garbage that nothing reads.

    Args:
        target: The file to create or replace.
        write: Writes the whole content to the open handle it is given.
    """
    with open_atomically(target) as handle:
        write(handle)


@contextmanager
def open_atomically(target: Path) -> Iterator[BinaryIO]:
    """Open a hidden temporary beside ``target``; when the block ends without error, rename it into place.

    The data and the folder are flushed to disk (fsync) before and after the rename, so
    after a crash the target is either the old file or the complete new one.

    Args:
        target: The file to create or replace.

    Yields:
        The temporary's handle, open for binary writing.
    """
    temporary = target.with_name(temporary_name(target.name))
    try:
        with temporary.open("wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def publish(fs: AbstractFileSystem, target: str) -> Iterator[BinaryIO]:
    """Open a file on any fsspec filesystem so that it appears whole or not at all.

    On a local filesystem this is ``open_atomically``: a hidden temporary, fsync, rename.
    Object stores have no rename: the temporary key is written, then moved (copied and
    deleted). A reader never sees a partial object, because an object store shows an
    object only once its upload or copy has completed; but the move is not one step, so
    a crash can leave the hidden temporary behind (``is_temporary``; compaction removes
    it), and a new key appears a moment before its temporary disappears.

    Args:
        fs: The filesystem.
        target: The file's path on ``fs`` (no protocol).

    Yields:
        A handle open for binary writing.
    """
    if isinstance(fs, LocalFileSystem):
        with open_atomically(Path(target)) as handle:
            yield handle
        return
    parent, _, name = target.rpartition("/")
    temporary = f"{parent}/{temporary_name(name)}"
    try:
        with fs.open(temporary, "wb") as handle:
            yield handle
        fs.mv(temporary, target)
    finally:
        if fs.exists(temporary):
            fs.rm(temporary)
