"""Two ETL runs on one warehouse at once: the warehouse lock lets one write, and the result is a single run's.

Both runs are started together as subprocesses, exactly as a user would
(``media-etl run INPUT --warehouse W --no-feeds``), against one Prefect server for
the module. Without ``--lock-wait`` exactly one completes and the other exits non-zero at
once, saying which run holds the warehouse and what to do; with ``--lock-wait 600`` both
complete, one after the other. Either way the warehouse then holds exactly the rows of
one clean run (compared as row hashes, see tests/support/warehouse_compare.py). Across machines
the deployment's Prefect concurrency limit does the same job, so prefect.yaml must set
one.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from tests.conftest import REPO_ROOT
from tests.support.processes import Scratch, prefect_server, run_completed, spawn
from tests.support.warehouse_compare import (
    compare_warehouses,
    database_problems,
    key_problems,
    ledger_problems,
    read_table,
)
from tests.support.wire_corpus import Corpus, build_corpus

ARTICLES = 300
TIMEOUT = 900


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    """One Prefect server for every ETL subprocess of the module."""
    folder = tmp_path_factory.mktemp("prefect")
    with prefect_server(folder / "home", folder / "server.log") as scratch:
        yield scratch


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """A few hundred distinct articles: enough that a run holds the lock for a good while."""
    return build_corpus(tmp_path_factory.mktemp("corpus") / "in", ARTICLES)


def start(corpus: Corpus, warehouse: Path, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """Start ``media-etl run INPUT --warehouse W --no-feeds`` from the repo root, output to ``log``."""
    command = [
        sys.executable,
        "-m",
        "media_etl.cli",
        "run",
        str(corpus.folder),
        "--warehouse",
        str(warehouse),
        "--no-feeds",
        "--verbose",
        *extra,
    ]
    with log.open("w") as output:
        return spawn(command, env, output)


def finish(process: subprocess.Popen[bytes]) -> int:
    """Wait for a run (bounded); kill it and fail when it hangs."""
    try:
        return process.wait(TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"an ETL run took more than {TIMEOUT}s")


@pytest.fixture(scope="module")
def single_run(prefect_api: Scratch, corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse of one clean run on its own: what any number of concurrent runs must leave."""
    folder = tmp_path_factory.mktemp("single")
    process = start(corpus, folder / "warehouse", prefect_api.env, folder / "run.log")
    code = finish(process)
    output = (folder / "run.log").read_text(encoding="utf-8", errors="replace")
    assert run_completed(code, output), output[-4000:]
    return folder / "warehouse"


def assert_same_as_single_run(warehouse: Path, single_run: Path) -> None:
    assert not (problems := key_problems(warehouse)), problems
    assert not (problems := ledger_problems(warehouse, complete=True)), problems
    assert not (problems := database_problems(warehouse, complete=True)), problems
    differences = compare_warehouses(single_run, warehouse)
    assert not differences, "\n\n".join(str(d) for d in differences)


@pytest.mark.slow  # a Prefect server and two ETL subprocesses at once
def test_a_second_run_fails_at_once_saying_who_holds_the_warehouse(
    prefect_api: Scratch, corpus: Corpus, single_run: Path, tmp_path: Path
):
    warehouse = tmp_path / "warehouse"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [start(corpus, warehouse, prefect_api.env, log) for log in logs]
    ended: dict[int, float] = {}
    while len(ended) < len(processes):  # note when each ends: the loser must not wait for the winner
        for number, process in enumerate(processes):
            if number not in ended and process.poll() is not None:
                ended[number] = time.monotonic()
        time.sleep(0.1)
    codes = [finish(p) for p in processes]
    outputs = [log.read_text(encoding="utf-8", errors="replace") for log in logs]

    completed = [run_completed(code, output) for code, output in zip(codes, outputs, strict=True)]
    assert sorted(completed) == [False, True], f"exit codes {codes}:\n" + "\n".join(o[-3000:] for o in outputs)
    winner = completed.index(True)
    loser = 1 - winner
    assert ended[loser] < ended[winner], "the refused run should end at once, not after the winner"
    [run_id] = read_table(warehouse, "runs", ["run_id"]).column("run_id").to_pylist()  # the loser recorded no run
    message = outputs[loser]
    assert f"Warehouse {warehouse} is locked by another media-etl run" in message, message[-4000:]
    assert f"pid {processes[winner].pid} on host" in message
    assert f"(run {run_id})" in message
    assert f"lock file {warehouse / '.lock'}" in message
    assert "--lock-wait SECONDS" in message
    assert "WarehouseLocked" in message
    assert_same_as_single_run(warehouse, single_run)


@pytest.mark.slow  # a Prefect server and two ETL subprocesses, one after the other
def test_with_lock_wait_both_runs_complete_one_after_the_other(
    prefect_api: Scratch, corpus: Corpus, single_run: Path, tmp_path: Path
):
    warehouse = tmp_path / "warehouse"
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    processes = [start(corpus, warehouse, prefect_api.env, log, "--lock-wait", "600") for log in logs]
    codes = [finish(p) for p in processes]
    outputs = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
    assert all(run_completed(c, o) for c, o in zip(codes, outputs, strict=True)), "\n".join(o[-3000:] for o in outputs)

    runs = read_table(warehouse, "runs", ["status", "articles_loaded", "files_unchanged", "files_seen"]).to_pylist()
    assert [r["status"] for r in runs] == ["completed", "completed"]
    # One after the other: the run that waited found every file in the ledger and loaded nothing.
    loaded = sorted(r["articles_loaded"] for r in runs)
    assert loaded == [0, ARTICLES], runs
    waited = next(r for r in runs if r["articles_loaded"] == 0)
    assert waited["files_unchanged"] == waited["files_seen"] > 0
    assert_same_as_single_run(warehouse, single_run)


def test_the_etl_deployment_runs_one_at_a_time():
    config = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    etl = next(d for d in config["deployments"] if d["entrypoint"] == "flows/etl.py:etl")
    limit = etl.get("concurrency_limit")
    assert isinstance(limit, dict), "the etl deployment needs concurrency_limit: {limit: 1, collision_strategy: ...}"
    parsed = ConcurrencyLimitConfig(limit=limit["limit"], collision_strategy=limit["collision_strategy"])
    assert parsed.limit == 1
    # ENQUEUE: a run that finds another running waits for it (CANCEL_NEW would drop scheduled loads).
    assert parsed.collision_strategy == ConcurrencyLimitStrategy.ENQUEUE
    from flows.etl import etl as etl_flow

    lock_wait = inspect.signature(etl_flow.fn).parameters["lock_wait"]
    assert lock_wait.default == 0
    etl_flow.validate_parameters({**etl.get("parameters", {}), "lock_wait": 600})
