"""Compaction: fewer files, the same rows, no window in which a reader sees duplicates or gaps, crash safety."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from fsspec.implementations.local import LocalFileSystem
from typer.testing import CliRunner

from media_etl.cli import app
from media_etl.load import load_batch, prepare_warehouse
from media_etl.lock import warehouse_lock
from media_etl.pipeline import process_files
from media_etl.store.compact import compact, needs_compaction
from media_etl.store.database import build_database
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TABLES
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)
CRASH_TABLES = ["articles"]


class Crash(BaseException):
    """Stands for the process dying: nothing catches it."""


@pytest.fixture(scope="module")
def pristine(registry, tmp_path_factory) -> Path:
    """A warehouse loaded one seed file per batch, twice over (two runs): many small parts in every table."""
    target = tmp_path_factory.mktemp("pristine")
    prepare_warehouse(target)
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file())
    for run in ("r1", "r2"):
        writer = WarehouseWriter(target)
        for number, seed in enumerate(seeds):
            batch = process_files([str(seed)], registry, run_id=run, loaded_at=LOADED_AT)
            load_batch(writer, batch, run_id=run, loaded_at=LOADED_AT, part=f"{run}-{number:05d}")
    build_database(target, VIEWS)
    return target


@pytest.fixture
def warehouse(pristine, tmp_path) -> Path:
    copy = tmp_path / "warehouse"
    shutil.copytree(pristine, copy)
    build_database(copy, VIEWS)
    return copy


def rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every table, through a fresh connection to media.db."""
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        return {name: con.execute(f"select * from {name} order by all").fetchall() for name in TABLES}


def digest(tables: dict[str, list[tuple]]) -> dict[str, str]:
    return {name: hashlib.sha256(repr(r).encode()).hexdigest() for name, r in tables.items()}


def stored_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row as the current generations hold them: what the next media.db will show."""
    store = Warehouse(warehouse)
    result = {}
    for name in CRASH_TABLES:
        columns = list(TABLES[name].model.to_schema().columns)
        frame = store.read_columns(TABLES[name], columns)
        result[name] = sorted(map(repr, frame.astype(object).itertuples(index=False)))
    return result


def part_count(warehouse: Path) -> int:
    store = Warehouse(warehouse)
    return sum(len(store.parts(p)) for name in TABLES for p in store.partitions(name))


def test_compaction_merges_small_parts_and_keeps_every_row(warehouse):
    before, files_before = rows(warehouse), part_count(warehouse)
    report = compact(warehouse, views_dir=VIEWS)
    assert part_count(warehouse) == files_before - report.files_before + report.files_after < files_before
    assert report.files_after == len(report.compacted) < report.files_before
    assert digest(rows(warehouse)) == digest(before)
    assert rows(warehouse) == before
    store = Warehouse(warehouse)
    for name, spec in TABLES.items():
        if not spec.derived:
            assert all(len(store.parts(p)) == 1 for p in store.partitions(name)), name
    # Idempotent: a second compaction finds nothing to do and changes nothing.
    again = compact(warehouse, views_dir=VIEWS)
    assert again.compacted == [] and rows(warehouse) == before


def test_duplicate_rows_are_dropped(warehouse):
    store = Warehouse(warehouse)
    partition = store.partition("articles", "2025-11")
    first = store.parts(partition)[0]
    shutil.copy(first, first.replace("part-", "part-zz-duplicate-of-"))
    count = len(rows(warehouse)["articles"])
    report = compact(warehouse, views_dir=VIEWS, tables=["articles"])
    dropped = {(c.table, c.month): c.duplicates_dropped for c in report.compacted}
    assert dropped[("articles", "2025-11")] >= 1
    assert rows(warehouse)["articles"] == sorted(set(rows(warehouse)["articles"]))
    assert len(rows(warehouse)["articles"]) == count - dropped[("articles", "2025-11")]


def test_a_compacted_partition_is_left_alone():
    assert needs_compaction([10, 10], 100) and not needs_compaction([100, 100, 7], 100)
    assert not needs_compaction([3], 100)


def test_output_files_hold_at_most_max_rows(warehouse):
    before = rows(warehouse)
    report = compact(warehouse, views_dir=VIEWS, tables=["paragraphs"], max_rows_per_file=4)
    store = Warehouse(warehouse)
    for done in report.compacted:
        counts = [pq.read_metadata(f).num_rows for f in store.parts(store.partition("paragraphs", done.month))]
        assert max(counts) == 4 and sum(counts) == done.rows and len(counts) == -(-done.rows // 4)
    assert rows(warehouse) == before


def test_a_reader_during_compaction_never_sees_another_count(warehouse):
    expected = rows(warehouse)
    counts = {name: len(expected[name]) for name in ("articles", "paragraphs", "ingest_ledger", "mentions")}
    sql = "select " + ", ".join(f"(select count(*) from {name})" for name in counts)
    seen: list[tuple] = []
    databases: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                inode = os.stat(warehouse / "media.db").st_ino
                with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
                    if os.stat(warehouse / "media.db").st_ino == inode:
                        databases.add(inode)  # the file this connection opened
                    seen.append(con.execute(sql).fetchone())
        except BaseException as exc:  # reported below
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        while len(seen) < 3 and reader.is_alive():
            time.sleep(0.01)
        report = compact(warehouse, views_dir=VIEWS)
        after = len(seen)
        while len(seen) < after + 3 and reader.is_alive():
            time.sleep(0.01)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert report.compacted
    assert set(seen) == {tuple(counts.values())}
    assert len(databases) >= 2  # it read the media.db from before the switch and the one after


def test_a_connection_opened_before_compaction_keeps_reading_the_old_files(warehouse):
    before = rows(warehouse)
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        compact(warehouse, views_dir=VIEWS)  # the grace period keeps the old generations
        assert con.execute("select * from articles order by all").fetchall() == before["articles"]
    # Once it is gone and the grace period is over, the next compaction deletes them.
    report = compact(warehouse, views_dir=VIEWS, now=datetime.now(UTC) + timedelta(hours=2))
    assert report.generations_deleted and rows(warehouse) == before


def crash_on_event(monkeypatch, at: int) -> list[int]:
    """Make the ``at``-th rename, move or delete of the compaction raise ``Crash`` instead."""
    events = [0]
    real_replace, real_rm = os.replace, LocalFileSystem.rm

    def event() -> None:
        events[0] += 1
        if events[0] == at:
            raise Crash(f"killed at event {at}")

    def replace(*args, **kwargs):
        event()
        return real_replace(*args, **kwargs)

    def rm(self, *args, **kwargs):
        event()
        return real_rm(self, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(LocalFileSystem, "rm", rm)
    return events


@pytest.fixture(scope="module")
def crash_site(pristine, tmp_path_factory) -> tuple[Path, Path]:
    """A folder to crash compactions in, and a copy of the warehouse made for that folder (its media.db included)."""
    site = tmp_path_factory.mktemp("crash") / "warehouse"
    shutil.copytree(pristine, site)
    build_database(site, VIEWS)
    saved = site.parent / "saved"
    shutil.copytree(site, saved)
    return site, saved


def restore(site: Path, saved: Path) -> None:
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(saved, site)


def count_events(site: Path, saved: Path, monkeypatch, **options) -> int:
    restore(site, saved)
    with monkeypatch.context() as patch:
        events = crash_on_event(patch, at=0)
        compact(site, views_dir=VIEWS, tables=CRASH_TABLES, **options)
    return events[0]


@pytest.mark.slow  # one crash and re-run per step of a compaction: about 13 s
def test_a_crash_at_any_step_leaves_the_old_or_the_new_state(crash_site, monkeypatch):
    site, saved = crash_site
    restore(site, saved)
    expected, expected_stored = rows(site), stored_rows(site)
    total = count_events(site, saved, monkeypatch, grace_seconds=0)
    assert total >= 10
    for at in range(1, total + 1):
        restore(site, saved)
        with monkeypatch.context() as patch, pytest.raises(Crash):
            crash_on_event(patch, at)
            compact(site, views_dir=VIEWS, tables=CRASH_TABLES, grace_seconds=0)
        assert rows(site) == expected, at
        assert stored_rows(site) == expected_stored, at
        compact(site, views_dir=VIEWS, tables=CRASH_TABLES, grace_seconds=0)  # the re-run finishes the job
        assert rows(site) == expected, at
        store = Warehouse(site)
        for partition in store.partitions("articles"):
            assert len(store.parts(partition)) == 1, at
            assert store.generation_folders(partition) == [store.generations(partition).current], at


KILLER = """
import os, signal, sys
from pathlib import Path
from media_etl.store.compact import compact
target, at, views = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
real_replace, count = os.replace, [0]
def replace(*args, **kwargs):
    count[0] += 1
    if count[0] == at:
        os.kill(os.getpid(), signal.SIGKILL)
    return real_replace(*args, **kwargs)
os.replace = replace
compact(target, views_dir=views, tables=sys.argv[4].split(","))
"""


# One SIGKILL stays in the fast tier; the other two kill points (2 s each) run with the slow tier.
@pytest.mark.parametrize(
    "when",
    [
        pytest.param("first file", marks=pytest.mark.slow),
        "first switch",
        pytest.param("media.db", marks=pytest.mark.slow),
    ],
)
def test_sigkill_during_compaction(crash_site, monkeypatch, when):
    """SIGKILL (no cleanup at all) at a rename: of the first new file, of the first pointer, of media.db."""
    site, saved = crash_site
    total = count_events(site, saved, monkeypatch)  # the default grace period deletes nothing: media.db is last
    at = {"first file": 1, "first switch": 2, "media.db": total}[when]
    restore(site, saved)
    expected, expected_stored = rows(site), stored_rows(site)
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(site), str(at), str(VIEWS), ",".join(CRASH_TABLES)],
        cwd=REPO_ROOT,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert rows(site) == expected
    assert stored_rows(site) == expected_stored
    compact(site, views_dir=VIEWS, tables=CRASH_TABLES)
    assert rows(site) == expected


runner = CliRunner()


def test_cli_compacts_and_reports(warehouse):
    before = rows(warehouse)
    result = runner.invoke(app, ["compact", "--warehouse", str(warehouse)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "partition(s) compacted" in result.stdout and "Compacted partitions" in result.stdout
    assert rows(warehouse) == before
    result = runner.invoke(app, ["compact", "-w", str(warehouse)], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "0 of" in result.stdout


def test_cli_refuses_a_locked_or_missing_warehouse(warehouse, tmp_path):
    with warehouse_lock(warehouse, owner="test run"):
        result = runner.invoke(app, ["compact", "-w", str(warehouse)], env={"COLUMNS": "200"})
    assert result.exit_code == 1 and "locked" in result.stderr
    result = runner.invoke(app, ["compact", "-w", str(tmp_path / "nothing")], env={"COLUMNS": "200"})
    assert result.exit_code == 2


def test_a_run_compacts_only_the_partitions_it_crowded(registry, tmp_path):
    from media_etl.store.compact import compact_crowded_partitions
    from tests.test_parallel import make_inputs

    threshold = 4  # the run's default is DEFAULT_RUN_MIN_SMALL_FILES; fewer files keep the test quick
    inputs = make_inputs(tmp_path / "inputs", copies=threshold + 1)
    target = tmp_path / "warehouse"
    prepare_warehouse(target)
    writer = WarehouseWriter(target)
    for number, path in enumerate(sorted(inputs.iterdir())):  # one file per batch: one part per batch
        batch = process_files([str(path)], registry, run_id="r1", loaded_at=LOADED_AT)
        load_batch(writer, batch, run_id="r1", loaded_at=LOADED_AT, part=f"r1-{number:05d}")
    build_database(target, VIEWS)
    before = rows(target)
    store = Warehouse(target)
    crowded = {(name, p.value) for name in TABLES for p in store.partitions(name) if len(store.parts(p)) >= threshold}
    assert {"articles", "paragraphs", "ingest_ledger"} <= {name for name, _ in crowded}
    untouched = next(p for p in store.partitions("paragraphs") if ("paragraphs", p.value) in crowded)
    untouched_parts = store.parts(untouched)
    written = writer.written - {("paragraphs", untouched.value)}  # as if another run had crowded it

    report = compact_crowded_partitions(store, written, min_small_files=threshold)

    assert {(c.table, c.month) for c in report.compacted} == crowded - {("paragraphs", untouched.value)}
    for name, value in crowded - {("paragraphs", untouched.value)}:
        assert len(store.parts(store.partition(name, value))) == 1, (name, value)
    assert store.parts(untouched) == untouched_parts
    build_database(target, VIEWS)
    assert rows(target) == before  # the same rows in fewer files
    again = compact_crowded_partitions(store, written, min_small_files=threshold)
    assert again.compacted == [] and rows(target) == before
