"""Operations end-to-end: server, deploy, trigger and worker (make server/deploy/trigger/worker) on a scratch Prefect.

A Prefect server starts from scripts/prefect-server.sh in the background on a free 127.0.0.1 port with a
temporary PREFECT_HOME (one for the module); scripts/prefect-deploy.sh creates the work pool and deploys
prefect.yaml; the ETL deployment is run with a temporary warehouse and no feed fetching;
scripts/prefect-worker.sh --run-once executes it; the Prefect API must then report the run completed with
its artifact. The trigger command the deploy printed is then run as printed, from a shell without
PREFECT_API_URL, and `media-etl run` without PREFECT_API_URL reports to the server it finds recorded.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT, SEEDS
from tests.support.processes import PREFECT, SCRIPTS, SERVER_START_TIMEOUT, Scratch, api, run, scratch_prefect

CONFIG = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
ETL_DEPLOYMENT = next(d for d in CONFIG["deployments"] if d["entrypoint"] == "flows/etl.py:etl")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    """A background Prefect server from scripts/prefect-server.sh, stopped (and killed if need be) afterwards."""
    scratch = scratch_prefect(tmp_path_factory.mktemp("prefect") / "prefect-home")
    pid_file = scratch.home / "server.pid"
    try:
        run(["bash", str(SCRIPTS / "prefect-server.sh"), "background"], scratch.env, timeout=SERVER_START_TIMEOUT + 30)
        assert pid_file.is_file(), "the background mode writes $PREFECT_HOME/server.pid"
        recorded = (scratch.home / "server.url").read_text(encoding="utf-8").strip()
        assert recorded == scratch.api_url, "and records its API URL in $PREFECT_HOME/server.url"
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
    # Prefect's hints need this project's PREFECT_HOME and PREFECT_API_URL; the make targets set both.
    triggers = dict(re.findall(r"\$ (make trigger DEPLOYMENT='([^']+)')", output))
    assert set(triggers.values()) == {f"{flow_name(d)}/{d['name']}" for d in CONFIG["deployments"]}, output
    assert "prefect deployment run" not in output and "prefect worker start" not in output, output
    assert "$ make worker" in output

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

    # The trigger command as printed, from the repo root, in a shell that has neither PREFECT_API_URL nor the
    # server's port: it finds the server in $PREFECT_HOME/server.url (the scratch home stands in for .prefect).
    [printed] = [command for command, name in triggers.items() if name.endswith("/report-daily")]
    shell_env = {k: v for k, v in scratch.env.items() if k not in {"PREFECT_API_URL", "PREFECT_SERVER_API_PORT"}}
    triggered = run(["bash", "-c", printed], shell_env)
    assert "Created flow run" in triggered, triggered
    assert "not found" not in triggered and "temporary server" not in triggered, triggered
    report_deployment = next(d for d in deployments if d["name"] == "report-daily")
    [report_run] = api(
        scratch, "POST", "/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": [report_deployment["id"]]}}}
    )
    assert report_run["state_type"] == "SCHEDULED"  # due now: the next `make worker` runs it


@pytest.mark.slow  # a Prefect server and an ETL run reporting to it
def test_media_etl_run_reports_to_the_project_server_when_it_is_up(server: Scratch, tmp_path: Path):
    scratch = server
    env = {k: v for k, v in scratch.env.items() if k != "PREFECT_API_URL"}  # as in a shell that never set it
    summary = tmp_path / "summary.json"
    command = [sys.executable, "-m", "media_etl.cli", "run", str(SEEDS / "000_a24507a823bb7c72.txt")]
    command += ["--warehouse", str(tmp_path / "warehouse"), "--no-feeds", "--no-enrich", "--workers", "1"]
    output = run([*command, "--summary-json", str(summary)], env)
    assert f"Prefect server at {scratch.ui_url}: this run shows in its UI" in output, output
    assert "Starting temporary server" not in output, output
    run_id = json.loads(summary.read_text(encoding="utf-8"))["run_id"]
    flow_run = api(scratch, "GET", f"/flow_runs/{run_id}")  # the run's id is its Prefect flow run's id
    assert flow_run["state_type"] == "COMPLETED"


def flow_name(deployment: dict) -> str:
    """The name of the flow a prefect.yaml deployment runs (the ``name=`` of its ``@flow``)."""
    path, _, function = deployment["entrypoint"].partition(":")
    source = (REPO_ROOT / path).read_text(encoding="utf-8")
    match = re.search(rf'@flow\(name="([^"]+)"[^)]*\)\s*def {function}\(', source)
    assert match, deployment["entrypoint"]
    return match.group(1)


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
