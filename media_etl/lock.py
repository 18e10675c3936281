"""An exclusive lock on a warehouse, so that two ETL runs never write to it at once.

Two runs loading the same warehouse at the same time would both see a key as missing and
both append it, and one run's ``media.db`` rebuild could hide the other's parts. Every
run therefore holds ``warehouse_lock`` around all its writes::

    with warehouse_lock(target, wait_seconds=lock_wait, owner=run_id):
        ...

The lock is ``fcntl.flock`` on ``<warehouse>/.lock``. The kernel releases it when the
holding process ends, however it ends (SIGKILL, a crash, a reboot), so a lock file left
behind never blocks anyone: the file is only a place to lock and a note of who holds it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOCK_NAME = ".lock"
LOCK_DIR_ENV = "MEDIA_ETL_LOCK_DIR"
POLL_SECONDS = 0.2
_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?P<rest>.*)$", re.DOTALL)
# pathlib turns "s3://bucket/x" into "s3:/bucket/x"; a warehouse passed as a Path arrives so.
_MANGLED_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+):/(?P<rest>[^/].*)$", re.DOTALL)


@dataclass(frozen=True)
class LockHolder:
    """Who holds a warehouse lock, as written into the lock file by the holder.

    Attributes:
        warehouse: The warehouse, as given to ``warehouse_lock`` (a folder or a URL).
        lock_file: The file that is locked.
        pid: Process id of the holder.
        host: Host name of the holder's machine.
        owner: The holder's run id, when it gave one.
        since: When the holder took the lock, UTC, ISO 8601.
    """

    warehouse: str
    lock_file: str
    pid: int
    host: str
    owner: str | None
    since: str

    def describe(self) -> str:
        """Say who holds the lock, e.g. ``pid 41 on host etl-1 (run 1b2c...) since 2026-11-22T02:25:03Z``."""
        run = f" (run {self.owner})" if self.owner else ""
        return f"pid {self.pid} on host {self.host}{run} since {self.since}"


class WarehouseLocked(RuntimeError):
    """Another run holds the warehouse lock (after waiting ``wait_seconds``, if any).

    Attributes:
        warehouse: The warehouse asked for.
        lock_file: The locked file.
        holder: Who holds it, as the holder recorded; None when it could not be read.
        waited: Seconds waited before giving up.
    """

    def __init__(self, warehouse: str, lock_file: Path, holder: LockHolder | None, waited: float) -> None:
        self.warehouse = warehouse
        self.lock_file = lock_file
        self.holder = holder
        self.waited = waited
        who = holder.describe() if holder else "a process that has not recorded itself yet"
        waited_note = f" after waiting {waited:.0f}s" if waited > 0 else ""
        super().__init__(
            f"Warehouse {warehouse} is locked by another media-etl run: {who} (lock file {lock_file}). "
            f"Not starting{waited_note}: two runs must not write the same warehouse at once. "
            "Wait for that run to finish and start again, or wait for it automatically with "
            "--lock-wait SECONDS (flow parameter lock_wait). The lock ends when its holder's process ends, "
            "even if it is killed, so there is no lock file to delete; if the run above is stuck, stop that process."
        )


def lock_file_for(warehouse: str | os.PathLike[str], lock_dir: str | os.PathLike[str] | None = None) -> Path:
    """The file that ``warehouse_lock`` locks for a warehouse.

    Args:
        warehouse: A warehouse folder, a ``file://`` URL, or another fsspec URL (``s3://...``).
        lock_dir: Folder for the lock files of remote warehouses; defaults to
            ``$MEDIA_ETL_LOCK_DIR``, else ``<tempdir>/media-etl-locks``.

    Returns:
        ``<warehouse>/.lock`` for a local warehouse; for a remote one, a file in the lock
        folder named after the URL.
    """
    text = os.fspath(warehouse)
    url = _URL.match(text) or (None if isinstance(warehouse, str) else _MANGLED_URL.match(text))
    if url is None:
        return Path(text) / LOCK_NAME
    scheme = url["scheme"].lower()
    if scheme == "file":
        parts = urlsplit(f"file://{url['rest']}")
        return Path(unquote(parts.path)) / LOCK_NAME
    normalised = f"{scheme}://{url['rest'].rstrip('/')}"
    digest = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", normalised)[:80].strip("_")
    folder = Path(lock_dir or os.environ.get(LOCK_DIR_ENV) or Path(tempfile.gettempdir()) / "media-etl-locks")
    return folder / f"{readable}-{digest}.lock"


def read_holder(lock_file: Path) -> LockHolder | None:
    """Read who holds (or last held) a lock from its file.

    The content may be caught mid-write, or left by a holder that has exited; it is only
    meaningful while the lock is held.

    Args:
        lock_file: The lock file.

    Returns:
        The recorded holder, or None when the file is missing, empty or unreadable.
    """
    try:
        text = lock_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        # The first JSON object: a holder may be overwriting a longer record and not have truncated yet.
        data, _ = json.JSONDecoder().raw_decode(text.lstrip())
        return LockHolder(
            warehouse=str(data["warehouse"]),
            lock_file=str(data["lock_file"]),
            pid=int(data["pid"]),
            host=str(data["host"]),
            owner=None if data.get("owner") is None else str(data["owner"]),
            since=str(data["since"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _open_lock_file(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)


def _try_lock(descriptor: int) -> bool:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _record(descriptor: int, holder: LockHolder) -> None:
    content = (json.dumps(asdict(holder), ensure_ascii=False) + "\n").encode("utf-8")
    os.pwrite(descriptor, content, 0)
    os.ftruncate(descriptor, len(content))


@contextlib.contextmanager
def _held(
    warehouse: str | os.PathLike[str],
    wait_seconds: float,
    owner: str | None,
    lock_dir: str | os.PathLike[str] | None,
) -> Iterator[LockHolder]:
    path = lock_file_for(warehouse, lock_dir)
    name = os.fspath(warehouse)
    descriptor = _open_lock_file(path)
    try:
        started = time.monotonic()
        deadline = started + max(wait_seconds, 0.0)
        while not _try_lock(descriptor):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                waited = time.monotonic() - started if wait_seconds > 0 else 0.0
                raise WarehouseLocked(name, path, read_holder(path), waited)
            time.sleep(min(POLL_SECONDS, remaining))
        since = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        holder = LockHolder(name, str(path), os.getpid(), socket.gethostname(), owner, since)
        try:
            _record(descriptor, holder)
            yield holder
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(descriptor, 0)  # an empty lock file: nobody holds it
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def warehouse_lock(
    warehouse: str | os.PathLike[str],
    *,
    wait_seconds: float = 0.0,
    owner: str | None = None,
    lock_dir: str | os.PathLike[str] | None = None,
) -> contextlib.AbstractContextManager[LockHolder]:
    """Hold the warehouse's exclusive lock for the ``with`` block.

    The lock is ``fcntl.flock`` on ``<warehouse>/.lock`` (the folder and the file are
    created when missing). The holder writes its pid, host, run id and start time into the
    file, and ``WarehouseLocked`` names them. The operating system releases a ``flock``
    when the last descriptor of it closes, so a holder that dies, even by SIGKILL, frees
    the lock at once: a stale lock file never blocks a run and never needs deleting. A
    process-pool worker forked (not spawned) while the lock is held shares it, so the
    lock lasts until such workers exit too.

    The lock is exclusive between processes, and also between two ``warehouse_lock``
    calls in one process: taking it again while holding it raises ``WarehouseLocked``.

    Warehouses given as fsspec URLs: a ``file://`` URL is its local folder. Other schemes
    (``s3://``, ``gs://``, ...) cannot be ``flock``-ed, so the lock is taken on a local file
    named after the URL in a lock folder (``lock_dir``, else ``$MEDIA_ETL_LOCK_DIR``, else
    ``<tempdir>/media-etl-locks``). That excludes runs on the same machine only;
    exclusion between machines comes from the Prefect deployment's concurrency limit
    (``concurrency_limit: {limit: 1, collision_strategy: ENQUEUE}`` in prefect.yaml), which
    lets one ETL flow run at a time. On NFS, Linux maps ``flock`` to POSIX byte-range
    locks, which exclude across clients.

    Args:
        warehouse: A warehouse folder, a ``file://`` URL or another fsspec URL.
        wait_seconds: How long to wait for another holder to finish, polling; 0 fails at once.
        owner: The run id of the caller, recorded for anyone who finds the warehouse locked.
        lock_dir: Folder for the lock files of remote (non-``file``) warehouse URLs.

    Returns:
        A context manager whose ``with`` block holds the lock; it yields the ``LockHolder``.

    Raises:
        WarehouseLocked: From ``__enter__``, when another holder kept the lock for longer
            than ``wait_seconds``; its message names the warehouse, the holder and what to do.
    """
    return _held(warehouse, wait_seconds, owner, lock_dir)
