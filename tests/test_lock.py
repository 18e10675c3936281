"""The warehouse lock: one holder at a time, a clear message for the others, released when its holder dies."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from media_etl.lock import LOCK_NAME, LockHolder, WarehouseLocked, lock_file_for, read_holder, warehouse_lock
from tests.conftest import REPO_ROOT

# A holder in another process: takes the lock, says so, then holds it for argv[3] seconds (forever if -1).
HOLDER = """
import sys, time
from media_etl.lock import warehouse_lock
with warehouse_lock(sys.argv[1], owner=sys.argv[2] or None, lock_dir=sys.argv[4] or None):
    print("locked", flush=True)
    seconds = float(sys.argv[3])
    time.sleep(seconds if seconds >= 0 else 3600)
print("released", flush=True)
"""


@contextlib.contextmanager
def holder_process(
    warehouse: str | Path, owner: str = "", hold: float = -1, lock_dir: Path | None = None
) -> Iterator[subprocess.Popen[str]]:
    """Start a process that holds the lock; yield it once it holds it; kill it afterwards."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse), owner, str(hold), str(lock_dir or "")],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "locked", f"the holder did not take the lock: {line!r} {process.stderr}"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_a_second_holder_is_refused_with_who_holds_it_and_what_to_do(tmp_path: Path):
    warehouse = tmp_path / "wh"
    with holder_process(warehouse, owner="run-1234-abcd") as holder:
        started = time.monotonic()
        with pytest.raises(WarehouseLocked) as caught, warehouse_lock(warehouse, owner="run-second"):
            pytest.fail("took a lock another process holds")
        assert time.monotonic() - started < 2, "wait_seconds=0 must not wait"
    message = str(caught.value)
    assert str(warehouse) in message
    assert f"pid {holder.pid}" in message
    assert socket.gethostname() in message
    assert "run run-1234-abcd" in message
    assert "since 20" in message  # the holder's UTC start time, ISO 8601
    assert str(warehouse / LOCK_NAME) in message
    assert "--lock-wait" in message
    assert "lock_wait" in message
    assert "waiting" not in message
    assert caught.value.holder is not None
    assert caught.value.holder.pid == holder.pid
    assert caught.value.holder.owner == "run-1234-abcd"
    assert isinstance(caught.value, RuntimeError)


def test_the_holder_records_itself_and_clears_the_record_on_release(tmp_path: Path):
    warehouse = tmp_path / "wh"
    with warehouse_lock(warehouse, owner="run-x") as holder:
        assert (warehouse / LOCK_NAME).is_file(), "the warehouse folder and its lock file are created"
        assert holder.pid == os.getpid()
        assert holder.owner == "run-x"
        assert read_holder(warehouse / LOCK_NAME) == holder
        assert "run run-x" in holder.describe()
    assert read_holder(warehouse / LOCK_NAME) is None
    with warehouse_lock(warehouse) as again:  # free again after the block
        assert again.owner is None


def test_one_process_cannot_take_the_same_lock_twice(tmp_path: Path):
    with warehouse_lock(tmp_path) as first:
        with pytest.raises(WarehouseLocked) as caught, warehouse_lock(tmp_path):
            pytest.fail("took the lock twice")
        assert caught.value.holder == first


def test_waiting_succeeds_once_the_holder_releases(tmp_path: Path):
    warehouse = tmp_path / "wh"
    with holder_process(warehouse, owner="first", hold=1.5) as holder:
        started = time.monotonic()
        with warehouse_lock(warehouse, wait_seconds=60, owner="second") as mine:
            waited = time.monotonic() - started
            assert mine.owner == "second"
            assert read_holder(warehouse / LOCK_NAME) == mine
        assert holder.wait(10) == 0
    assert 0.5 < waited < 30, waited


def test_waiting_gives_up_after_wait_seconds(tmp_path: Path):
    with holder_process(tmp_path, owner="slow") as holder:
        started = time.monotonic()
        with pytest.raises(WarehouseLocked) as caught, warehouse_lock(tmp_path, wait_seconds=1.0):
            pytest.fail("took a lock another process holds")
        waited = time.monotonic() - started
        assert holder.poll() is None
    assert 1.0 <= waited < 10
    assert "after waiting 1s" in str(caught.value)
    assert caught.value.waited >= 1.0


def test_sigkill_of_the_holder_releases_the_lock(tmp_path: Path):
    warehouse = tmp_path / "wh"
    with holder_process(warehouse, owner="doomed") as holder:
        with pytest.raises(WarehouseLocked), warehouse_lock(warehouse):
            pytest.fail("took a lock another process holds")
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
    stale = read_holder(warehouse / LOCK_NAME)
    assert stale is not None and stale.owner == "doomed", "the killed holder's record stays in the file"
    with warehouse_lock(warehouse, owner="next") as mine:  # ...and does not block
        assert mine.owner == "next"


def test_a_waiter_gets_the_lock_when_the_holder_is_killed(tmp_path: Path):
    with holder_process(tmp_path) as holder:
        # SIGKILL the holder while we wait for it.
        killer = subprocess.Popen([sys.executable, "-c", f"import os,time; time.sleep(1); os.kill({holder.pid}, 9)"])
        started = time.monotonic()
        with warehouse_lock(tmp_path, wait_seconds=60):
            assert time.monotonic() - started < 30
        killer.wait(10)


def test_file_urls_lock_the_local_folder(tmp_path: Path):
    warehouse = tmp_path / "wh"
    assert lock_file_for(warehouse.as_uri()) == warehouse / LOCK_NAME
    assert lock_file_for(str(warehouse)) == warehouse / LOCK_NAME
    assert lock_file_for(f"file://{tmp_path}/a%20b") == tmp_path / "a b" / LOCK_NAME
    with holder_process(warehouse.as_uri()), pytest.raises(WarehouseLocked), warehouse_lock(warehouse):
        pytest.fail("a file:// URL and its folder must be one lock")


def test_remote_urls_lock_a_local_file_named_after_the_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    locks = tmp_path / "locks"
    first = lock_file_for("s3://bucket/warehouse", locks)
    assert first.parent == locks
    assert first.name.startswith("s3_bucket_warehouse-")
    assert lock_file_for("s3://bucket/warehouse/", locks) == first
    assert lock_file_for(Path("s3://bucket/warehouse"), locks) == first, "a URL that went through pathlib"
    assert lock_file_for("s3://bucket/other", locks) != first
    assert lock_file_for("gs://bucket/warehouse", locks) != first
    monkeypatch.setenv("MEDIA_ETL_LOCK_DIR", str(locks))
    assert lock_file_for("s3://bucket/warehouse") == first

    with holder_process("s3://bucket/warehouse", owner="remote-run", lock_dir=locks):
        with pytest.raises(WarehouseLocked) as caught, warehouse_lock("s3://bucket/warehouse", lock_dir=locks):
            pytest.fail("took a lock another process holds")
        with warehouse_lock("s3://bucket/other", lock_dir=locks):
            pass  # another warehouse is not blocked
    assert "s3://bucket/warehouse" in str(caught.value)
    assert "run remote-run" in str(caught.value)
    assert not (tmp_path / "s3:").exists()


def test_read_holder_tolerates_missing_empty_and_partial_files(tmp_path: Path):
    path = tmp_path / LOCK_NAME
    assert read_holder(path) is None
    path.write_text("", encoding="utf-8")
    assert read_holder(path) is None
    path.write_text('{"warehouse": "w", "lock_f', encoding="utf-8")
    assert read_holder(path) is None
    holder = LockHolder("w", str(path), 7, "h", None, "2026-01-01T00:00:00Z")
    # A shorter record written over a longer one, before the truncate: the first object counts.
    record = json.dumps(dataclasses.asdict(holder))
    path.write_text(record + '\n"owner": "old", "since": "2025-12-31T00:00:00Z"}', encoding="utf-8")
    assert read_holder(path) == holder
