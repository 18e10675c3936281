"""Subprocesses in their own process group, and scratch Prefect servers, for the end-to-end tests.

``spawn`` and ``run`` start a command from the repo root in a new session, so ``stop_group``
can end it and everything it started. ``scratch_prefect`` gives the settings of a Prefect
installation of our own (temporary PREFECT_HOME, free 127.0.0.1 port, nothing inherited
from the caller's PREFECT_* settings); ``serving`` and ``prefect_server`` run a server for it
until a block ends. Used by the operations, crash-safety, concurrency and Prefect UI tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from tests.conftest import REPO_ROOT

SCRIPTS = REPO_ROOT / "scripts"
PREFECT = Path(sys.executable).parent / "prefect"  # the prefect command of the venv running the tests
SERVER_START_TIMEOUT = 180  # the first start in a new PREFECT_HOME migrates its database
COMMAND_TIMEOUT = 300


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


def run_completed(returncode: int | None, output: str) -> bool:
    """Tell whether `media-etl run` completed: exit 0, quarantined inputs or not (``output`` is for messages)."""
    return returncode == 0


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


@contextlib.contextmanager
def prefect_server(home: Path, log: Path) -> Iterator[Scratch]:
    """A private Prefect server (``prefect server start``) on a free port, stopped afterwards."""
    scratch = scratch_prefect(home)
    home.mkdir(parents=True, exist_ok=True)
    command = [str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(scratch.port)]
    with serving(command, scratch, log):
        yield scratch
