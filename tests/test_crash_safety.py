"""Crash safety: an ETL killed with SIGKILL at random points, again and again, loses and duplicates nothing.

A corpus of about two thousand distinct wire-copy articles is generated from the seed
texts (a numbered headline and an added sentence make each one distinct; a few
headline-only files are quarantined and a few files are byte-identical copies of
others). A clean run loads it into warehouse A. Warehouse B is then loaded by ETL
subprocesses, each in its own session, whose whole process group is SIGKILLed at a random
moment once it has begun writing, at least ``KILLS`` times; each restart continues on
B, so progress accumulates, and a last run completes. A run that finishes before its kill
has loaded B in full: B is then compared with A and started over empty, because a run on a
complete warehouse writes nothing (it does not even rebuild media.db) and could not be killed
while writing. The kill delays come from a
seeded RNG and are spread over the clean run's loading time: each is drawn from
``[0, 2 * span / KILLS]``, where ``span`` is A's time from its first write to its end, so
that together they walk through the whole run, from the first batches to the final
rebuild of media.db.

After every kill, a hard-linked snapshot of B's Parquet tree (exactly what the crash
left, however the next run goes on) is checked: every file a ``**/*.parquet`` glob
matches is a whole ``part-*.parquet`` that pyarrow and DuckDB read (no temporary
matches the globs), keys are unique, each ledger entry has its article_sources rows,
and each visible article has all its paragraphs and its signature; media.db opens.
At the end B must hold exactly A's rows in every table but ``runs`` and ``fetch_log``,
compared as multisets of row hashes without the run-specific columns (see
tests/support/warehouse_compare.py), with unique keys and a consistent ledger.

All subprocesses use one Prefect server started for this module, so no run pays for an
embedded server. The kill runs use ``--workers 1`` (no worker processes to spawn on each
restart) except two that use a process pool, whose workers must die with the group; the
final run uses the default pool. Run with ``-s`` to see the kill schedule: when each run
began writing, how long after that it was killed, the last task it finished, and how far
the ledger had got.

Runtime: about 13 minutes on a busy 2-core machine (load average 4 to 7): server start-up
about 1 minute, the clean run 2, twenty restarts about 30 s each (each pays 10 to 25 s of
start-up and first batch before its first write), the final run and the comparison 1.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.processes import Scratch, prefect_server, run_completed, spawn
from tests.support.warehouse_compare import (
    PartChecker,
    compare_warehouses,
    database_problems,
    integrity_problems,
    key_problems,
    ledger_problems,
    read_table,
    row_counts,
    visibility_problems,
)
from tests.support.wire_corpus import build_corpus

pytestmark = pytest.mark.slow  # a Prefect server and 20 SIGKILLed ETL runs: 3 to 13 minutes

ARTICLES = 2000
BATCH_SIZE = 100
KILLS = 20
MAX_ATTEMPTS = 3 * KILLS
POOL_KILLS = (4, 13)  # the kill runs that use a process pool of two workers
SEED = 7_2026
RUN_TIMEOUT = 900


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    """One Prefect server for every ETL subprocess of the module."""
    folder = tmp_path_factory.mktemp("prefect")
    with prefect_server(folder / "home", folder / "server.log") as scratch:
        yield scratch


def etl_command(inputs: Path, warehouse: Path, workers: int | None) -> list[str]:
    """The ETL command line, as a user types it."""
    command = [sys.executable, "-m", "media_etl.cli", "run", str(inputs), "--warehouse", str(warehouse)]
    command += ["--no-feeds", "--verbose", "--batch-size", str(BATCH_SIZE)]
    return command + (["--workers", str(workers)] if workers else [])


def folder_state(warehouse: Path) -> dict[str, int]:
    """The mtime of every folder of the warehouse (but raw/): any file created, renamed or deleted changes one."""
    state = {}
    for folder, children, _ in os.walk(warehouse):
        children[:] = [c for c in children if not (folder == str(warehouse) and c == "raw")]
        with contextlib.suppress(FileNotFoundError):
            state[folder] = os.stat(folder).st_mtime_ns
    return state


def group_alive(pgid: int) -> list[int]:
    """Processes of a process group that still run (zombies left out)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry.name))
    return alive


@dataclass
class Outcome:
    """How one ETL subprocess ended."""

    killed: bool
    returncode: int
    first_write: float | None
    """Seconds from start to its first change in the warehouse."""
    seconds: float
    """Seconds from start to its end (or kill)."""
    log: Path


def run_etl(command: list[str], env: dict[str, str], warehouse: Path, log: Path, kill_after: float | None) -> Outcome:
    """Run the ETL; with ``kill_after``, SIGKILL its process group that long after its first write.

    The first write is the first change in the warehouse's folders (a temporary or a part
    appearing, media.db being rebuilt), so the kill lands while the run writes, never
    during start-up.

    Args:
        command: The command line.
        env: Its environment (with PREFECT_API_URL of the module's server).
        warehouse: The warehouse it writes.
        log: Where its output goes.
        kill_after: Seconds after the first write to kill it; None lets it finish.

    Returns:
        How it ended.
    """
    before = folder_state(warehouse)
    with log.open("w") as output:
        started = time.monotonic()
        process = spawn(command, env, output)
    first: float | None = None
    try:
        while (returncode := process.poll()) is None:
            now = time.monotonic()
            if now - started > RUN_TIMEOUT:
                pytest.fail(f"{' '.join(command)} ran for more than {RUN_TIMEOUT}s; see {log}")
            if first is None and folder_state(warehouse) != before:
                first = now
            if first is not None and kill_after is not None and now >= first + kill_after:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                deadline = time.monotonic() + 10
                while (survivors := group_alive(process.pid)) and time.monotonic() < deadline:
                    time.sleep(0.1)
                assert not survivors, f"processes {survivors} of the killed run outlived SIGKILL to its group"
                return Outcome(True, process.returncode, first - started, now - started, log)
            time.sleep(0.1 if first is None else 0.02)
        return Outcome(False, returncode, None if first is None else first - started, time.monotonic() - started, log)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def snapshot(warehouse: Path, target: Path) -> Path:
    """Hard-link a copy of the warehouse's Parquet tree: what it holds now, whatever the next run writes.

    Parts and pointers are only ever replaced by renaming new files over them, never
    rewritten in place, so the links keep exactly the state of this moment.
    """
    source = warehouse / "parquet"
    for folder, _, files in os.walk(source):
        relative = Path(folder).relative_to(warehouse)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                os.link(Path(folder) / name, target / relative / name)
    return target


def crash_problems(checker: PartChecker, state: Path) -> list[str]:
    """Everything that must hold right after a crash (see the module doc)."""
    return (
        checker.problems(state)
        + key_problems(state)
        + ledger_problems(state, complete=False)
        + visibility_problems(state)
    )


def last_task(log: Path) -> str:
    """The last task a run's log reports finishing: where the run was when it died."""
    finished = re.findall(
        r"Task run '([a-z_]+)-[0-9a-f]+' - Finished", log.read_text(encoding="utf-8", errors="replace")
    )
    return finished[-1] if finished else "(none)"


def temporaries(warehouse: Path) -> int:
    """Hidden temporaries a killed writer left in the Parquet tree."""
    return sum(1 for p in (warehouse / "parquet").rglob(".*") if p.is_file())


def test_sigkill_at_random_points_loses_and_duplicates_nothing(prefect_api: Scratch, tmp_path: Path):
    started = time.monotonic()
    corpus = build_corpus(tmp_path / "corpus", ARTICLES)
    env = prefect_api.env
    logs = tmp_path / "logs"
    logs.mkdir()

    clean = tmp_path / "A"
    reference = run_etl(etl_command(corpus.folder, clean, 1), env, clean, logs / "clean.log", None)
    assert run_completed(reference.returncode, reference.log.read_text()), reference.log.read_text()[-4000:]
    assert reference.first_write is not None
    counts = row_counts(clean)
    assert counts["articles"] == corpus.articles
    assert counts["quarantine"] == corpus.headline_only
    assert counts["article_sources"] == corpus.articles + corpus.copies
    span = reference.seconds - reference.first_write

    rng = random.Random(SEED)
    crashed = tmp_path / "B"
    checker = PartChecker()
    kills: list[tuple[int, Outcome, float, int]] = []
    completed_early = 0
    restarts = 0  # times B was complete before the kills were done, and started over
    with ThreadPoolExecutor(max_workers=1) as background:
        checks: list[tuple[int, Future[list[str]]]] = []
        for attempt in range(MAX_ATTEMPTS):
            if len(kills) >= KILLS:
                break
            workers = 2 if len(kills) in POOL_KILLS else 1
            delay = rng.uniform(0, 2 * span / KILLS)
            log = logs / f"attempt-{attempt:02d}.log"
            outcome = run_etl(etl_command(corpus.folder, crashed, workers), env, crashed, log, delay)
            if not outcome.killed:
                assert run_completed(outcome.returncode, log.read_text()), (
                    f"run {attempt} failed:\n{log.read_text()[-4000:]}"
                )
                completed_early += 1
                # B is loaded in full: it must hold A's rows. A run on a complete warehouse writes
                # nothing and ends before any kill could land, so B starts over empty and the
                # remaining kills walk through a whole run again.
                differences = compare_warehouses(clean, crashed)
                assert not differences, "\n\n".join(str(d) for d in differences)
                shutil.rmtree(crashed)
                restarts += 1
                continue
            state = snapshot(crashed, tmp_path / "snapshots" / f"kill-{len(kills):02d}")
            ledgered = read_table(state, "ingest_ledger", ["path"]).num_rows
            kills.append((workers, outcome, delay, ledgered))
            assert not (problems := database_problems(crashed)), f"after kill {len(kills)}: {problems}"
            checks.append((len(kills), background.submit(crash_problems, checker, state)))
        failures = [f"after kill {n}: {p}" for n, check in checks for p in check.result()]
    assert not failures, "\n".join(failures)
    assert len(kills) >= KILLS, f"only {len(kills)} runs were killed in {MAX_ATTEMPTS} attempts"
    left_behind = temporaries(crashed)

    final = run_etl(etl_command(corpus.folder, crashed, None), env, crashed, logs / "final.log", None)
    assert run_completed(final.returncode, final.log.read_text()), final.log.read_text()[-4000:]
    files = sum(1 for _ in corpus.folder.iterdir())
    print(
        f"\nclean run {reference.seconds:.0f}s (first write after {reference.first_write:.0f}s); "
        f"{len(kills)} kills, {completed_early} runs finished before their kill "
        f"(B was complete and started over {restarts} times), "
        f"{left_behind} temporaries left behind by kills; final run {final.seconds:.0f}s; "
        f"test {time.monotonic() - started:.0f}s"
    )
    for number, (workers, outcome, delay, ledgered) in enumerate(kills, 1):
        print(
            f"kill {number:2d}: workers {workers}, first write at {outcome.first_write:5.1f}s, "
            f"killed {delay:4.1f}s later, after task {last_task(outcome.log)}; "
            f"the ledger then held {ledgered} of {files} files"
        )
    assert max(ledgered for *_, ledgered in kills) > 0, "no kill came after a batch was loaded"

    assert not (problems := PartChecker().problems(crashed)), problems
    for warehouse in (clean, crashed):
        assert not (problems := key_problems(warehouse)), problems
        assert not (problems := ledger_problems(warehouse, complete=True)), problems
        assert not (problems := visibility_problems(warehouse)), problems
        assert not (problems := integrity_problems(warehouse)), problems
        assert not (problems := database_problems(warehouse, complete=True)), problems
    differences = compare_warehouses(clean, crashed)
    assert not differences, "\n\n".join(str(d) for d in differences)
    # Killed runs recorded nothing (or, killed after recording themselves, completed).
    runs = read_table(crashed, "runs", ["status"]).column("status").to_pylist()
    assert set(runs) == {"completed"} and len(runs) >= 1, runs
