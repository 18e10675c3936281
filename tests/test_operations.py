"""Operations end-to-end: server, deploy and worker scripts (make server/deploy/worker) on a scratch Prefect.

A Prefect server starts from scripts/prefect-server.sh in the background on a free 127.0.0.1 port with a
temporary PREFECT_HOME; scripts/prefect-deploy.sh creates the work pool and deploys prefect.yaml;
the ETL deployment is run with a temporary warehouse and no feed fetching; scripts/prefect-worker.sh
--run-once executes it; the Prefect API must then report the run completed with its artifact.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.support.processes import PREFECT, SCRIPTS, SERVER_START_TIMEOUT, Scratch, api, run, scratch_prefect

CONFIG = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
ETL_DEPLOYMENT = next(d for d in CONFIG["deployments"] if d["entrypoint"] == "flows/etl.py:etl")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Scratch]:
    """A background Prefect server from scripts/prefect-server.sh, stopped (and killed if need be) afterwards."""
    scratch = scratch_prefect(tmp_path / "prefect-home")
    pid_file = scratch.home / "server.pid"
    try:
        run(["bash", str(SCRIPTS / "prefect-server.sh"), "background"], scratch.env, timeout=SERVER_START_TIMEOUT + 30)
        assert pid_file.is_file(), "the background mode writes $PREFECT_HOME/server.pid"
        yield scratch
    finally:
        pid = int(pid_file.read_text()) if pid_file.is_file() else None
        with contextlib.suppress(Exception):
            run(["bash", str(SCRIPTS / "prefect-server.sh"), "stop"], scratch.env, timeout=60)
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)


@pytest.mark.slow  # a Prefect server, a deployment and a worker running the ETL
def test_deploy_and_worker_run_the_etl_deployment(server: Scratch, tmp_path: Path):
    scratch = server
    output = run(["bash", str(SCRIPTS / "prefect-deploy.sh")], scratch.env)
    assert "Created work pool" in output or "Updated work pool" in output, output

    pools = api(scratch, "POST", "/work_pools/filter", {})
    assert ETL_DEPLOYMENT["work_pool"]["name"] in {p["name"] for p in pools}
    deployments = api(scratch, "POST", "/deployments/filter", {})
    assert {d["name"] for d in deployments} >= {d["name"] for d in CONFIG["deployments"]}
    etl_deployment = next(d for d in deployments if d["name"] == ETL_DEPLOYMENT["name"])
    assert etl_deployment["pull_steps"] == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(REPO_ROOT)}}
    ]

    warehouse = tmp_path / "warehouse"
    run_name = f"ops-test-{uuid.uuid4().hex[:8]}"
    params = {"warehouse": str(warehouse), "fetch_feeds": False}
    run(
        [
            str(PREFECT),
            "deployment",
            "run",
            "--id",
            etl_deployment["id"],
            "--flow-run-name",
            run_name,
            "--params",
            json.dumps(params),
        ],
        scratch.env,
    )
    [flow_run] = api(scratch, "POST", "/flow_runs/filter", {"flow_runs": {"name": {"any_": [run_name]}}})
    assert flow_run["state_type"] == "SCHEDULED"

    worker_output = run(["bash", str(SCRIPTS / "prefect-worker.sh"), "--run-once"], scratch.env)

    flow_run = api(scratch, "GET", f"/flow_runs/{flow_run['id']}")
    assert flow_run["state_type"] == "COMPLETED", worker_output[-4000:]
    assert flow_run["deployment_id"] == etl_deployment["id"]
    assert flow_run["parameters"]["warehouse"] == str(warehouse)
    assert flow_run["parameters"]["fetch_feeds"] is False
    assert (warehouse / "media.db").is_file()
    artifacts = api(
        scratch,
        "POST",
        "/artifacts/filter",
        {"artifacts": {"key": {"any_": ["media-etl-run"]}, "flow_run_id": {"any_": [flow_run["id"]]}}},
    )
    assert len(artifacts) == 1
    assert "completed" in artifacts[0]["data"]


def test_deploy_without_a_server_says_how_to_start_one(tmp_path: Path):
    scratch = scratch_prefect(tmp_path / "prefect-home")
    process = subprocess.run(
        ["bash", str(SCRIPTS / "prefect-deploy.sh")],
        cwd=REPO_ROOT,
        env=scratch.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert process.returncode == 1
    assert "make server" in process.stderr
