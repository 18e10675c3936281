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
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import yaml

from tests.conftest import REPO_ROOT

SCRIPTS = REPO_ROOT / "scripts"
PREFECT = Path(sys.executable).parent / "prefect"  # the prefect command of the venv running the tests
CONFIG = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
ETL_DEPLOYMENT = next(d for d in CONFIG["deployments"] if d["entrypoint"] == "flows/etl.py:etl")
SERVER_START_TIMEOUT = 180  # the first start in a new PREFECT_HOME migrates its database
COMMAND_TIMEOUT = 300
TERMINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@dataclass(frozen=True)
class Scratch:
    """A scratch Prefect installation: its home, port and the environment every command gets."""

    home: Path
    port: int
    env: dict[str, str]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def scratch_prefect(home: Path) -> Scratch:
    """Settings for a Prefect server of our own: nothing inherited from the caller's PREFECT_* settings."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_SERVER_START_TIMEOUT=str(SERVER_START_TIMEOUT),
        # No cron runs: the worker below must pick up only the run this test creates.
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
        PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED="false",
        MEDIA_ETL_ROOT=str(REPO_ROOT),
        PREFECT=str(PREFECT),
    )
    return Scratch(home=home, port=port, env=env)


def stop_group(process: subprocess.Popen, grace: float = 20) -> None:
    """End a process started with start_new_session=True and everything it started.

    SIGTERM to the process lets it shut down its own children (uvicorn, Chromium's helpers);
    whatever is left of its process group after the grace period gets SIGKILL.
    """
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def spawn(args: Sequence[str], env: dict[str, str], output: IO[Any]) -> subprocess.Popen[bytes]:
    """Start a command from the repo root in its own process group, stdin closed, output to ``output``."""
    return subprocess.Popen(
        args,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextlib.contextmanager
def serving(args: Sequence[str], scratch: Scratch, log: Path) -> Iterator[Scratch]:
    """Run a Prefect server command for ``scratch`` (output to ``log``) until the block ends, then stop its group."""
    with log.open("wb") as output:
        process = spawn(args, scratch.env, output)
    try:
        wait_for_health(scratch, process, log)
        yield scratch
    finally:
        stop_group(process)


def run(args: Sequence[str], env: dict[str, str], timeout: float = COMMAND_TIMEOUT) -> str:
    """Run a command from the repo root in its own process group; return its output, fail with it."""
    process = subprocess.Popen(
        args,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_group(process, grace=5)
        output, _ = process.communicate()
        pytest.fail(f"{' '.join(args)} took more than {timeout}s:\n{output[-4000:]}")
    finally:
        stop_group(process, grace=5)
    assert process.returncode == 0, f"{' '.join(args)} exited {process.returncode}:\n{output[-4000:]}"
    return output


def api(scratch: Scratch, method: str, path: str, body: object = None) -> object:
    """Call the scratch server's REST API and return the decoded answer."""
    with httpx.Client(base_url=scratch.api_url, timeout=30) as client:
        response = client.request(method, path, json=body)
    response.raise_for_status()
    return response.json()


def wait_for_health(scratch: Scratch, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Wait until the server answers /api/health (bounded); fail early if its process exits."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    with httpx.Client(timeout=3) as client:
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                break
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{scratch.api_url}/health").status_code == 200:
                    return
            time.sleep(0.5)
    detail = log.read_text(encoding="utf-8", errors="replace")[-4000:] if log and log.exists() else ""
    pytest.fail(f"no Prefect server at {scratch.api_url}:\n{detail}")


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
