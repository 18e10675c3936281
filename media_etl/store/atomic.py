"""Write files so that readers see either the old file or the whole new one, never a part."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file through a hidden temporary beside it, flushed to disk, then renamed into place.

    The temporary's name starts with a dot and ends in ``.partial``, so no glob such as
    ``part-*.parquet`` matches it; after a crash it is garbage that nothing reads.

    Args:
        target: The file to create or replace.
        write: Writes the whole content to the open handle it is given.
    """
    temporary = target.with_name(f".tmp-{uuid.uuid4().hex}-{target.name}.partial")
    try:
        with temporary.open("wb") as handle:
            write(handle)
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
