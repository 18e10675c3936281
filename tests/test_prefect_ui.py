"""The Prefect UI shows an ETL run and its summary artifact, checked in headless Chromium.

A Prefect server runs from scripts/prefect-server.sh in the foreground on a free 127.0.0.1 port with a
temporary PREFECT_HOME; `media-etl run` loads the seeds into a temporary warehouse against it; Chromium
(Debian's package, `scripts/install-chromium.sh`) opens the flow run's page and the artifact's page, driven
over the DevTools protocol with websockets and httpx (both installed with Prefect), and saves screenshots.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.processes import SCRIPTS, Scratch, api, run, scratch_prefect, serving, stop_group

CHROMIUM = Path("/usr/bin/chromium")
# The flags ../shared/ARCHITECTURE.md measured for these machines, plus a profile and a DevTools port of our own.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
    "--disable-crash-reporter",
    "--disable-breakpad",
    "--hide-scrollbars",
    "--window-size=1400,1000",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
]
PAGE_TIMEOUT = 60
ARTIFACT_KEY = "media-etl-run"

pytestmark = [
    pytest.mark.slow,  # a Prefect server, an ETL run against it and headless Chromium
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason=f"{CHROMIUM} is absent: install it with `bash scripts/install-chromium.sh` (.ci/run does)",
    ),
]


class Page:
    """One Chromium tab driven over the DevTools protocol."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result, skipping any events in between."""
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=PAGE_TIMEOUT))
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def wait_for_text(self, *needles: str, timeout: float = PAGE_TIMEOUT) -> str:
        """Wait until the rendered page shows every needle; the single-page app renders after load."""
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = self.text()
            if all(needle in text for needle in needles):
                return text
            time.sleep(0.3)
        missing = [needle for needle in needles if needle not in text]
        url = self.evaluate("location.href")
        raise AssertionError(f"{url} did not show {missing} within {timeout}s; it shows:\n{text[:3000]}")

    def click(self, label: str) -> None:
        """Click the tab, button or link whose text is exactly label."""
        found = self.evaluate(
            "(() => {"
            " const el = [...document.querySelectorAll('[role=tablist] > *, button, a')]"
            f"   .find(e => e.innerText.trim() === {json.dumps(label)});"
            " if (el) el.click();"
            " return Boolean(el); })()"
        )
        assert found, f"nothing to click labelled {label!r} on {self.evaluate('location.href')}"

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path


@pytest.fixture
def ui_server(tmp_path: Path) -> Iterator[Scratch]:
    """A Prefect server from scripts/prefect-server.sh in the foreground, killed with its process group."""
    scratch = scratch_prefect(tmp_path / "prefect-home")
    with serving(["bash", str(SCRIPTS / "prefect-server.sh")], scratch, tmp_path / "server.log"):
        yield scratch


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """A headless Chromium with a fresh profile, and its first tab; all of it ends with the test."""
    profile = tmp_path / "chromium-profile"
    log = tmp_path / "chromium.log"
    # Chromium keeps crash reports and caches under the XDG folders: keep them in tmp too.
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_CACHE_HOME": str(tmp_path / "xdg-cache")}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            port_file = profile / "DevToolsActivePort"
            deadline = time.monotonic() + 60
            while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"Chromium did not open its DevTools port:\n{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.1)
            port = port_file.read_text().split()[0]
            targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
            tab = next(t for t in targets if t["type"] == "page")
            with connect(tab["webSocketDebuggerUrl"], max_size=None, open_timeout=30) as socket:
                yield Page(socket)
        finally:
            stop_group(process, grace=10)


def test_ui_shows_the_etl_run_and_its_artifact(ui_server: Scratch, page: Page, tmp_path: Path):
    warehouse = tmp_path / "warehouse"
    env = {**ui_server.env, "PREFECT_API_URL": ui_server.api_url}
    run([sys.executable, "-m", "media_etl.cli", "run", "seeds", "--warehouse", str(warehouse), "--no-feeds"], env)
    assert (warehouse / "media.db").is_file()
    [flow_run] = api(ui_server, "POST", "/flow_runs/filter", {})
    assert flow_run["state_type"] == "COMPLETED"
    [artifact] = api(
        ui_server,
        "POST",
        "/artifacts/filter",
        {"artifacts": {"key": {"any_": [ARTIFACT_KEY]}, "flow_run_id": {"any_": [flow_run["id"]]}}},
    )

    try:
        page.open(f"{ui_server.ui_url}/runs/flow-run/{flow_run['id']}")
        page.wait_for_text(flow_run["name"], "media-etl", "Completed", "Artifacts")
        page.click("Artifacts")
        page.wait_for_text(ARTIFACT_KEY, "Flow run")
        page.screenshot(tmp_path / "prefect-ui-flow-run.png")

        page.open(f"{ui_server.ui_url}/artifacts/artifact/{artifact['id']}")
        page.wait_for_text(ARTIFACT_KEY, flow_run["name"], "articles loaded", "completed")
        shot = page.screenshot(tmp_path / "prefect-ui-artifact.png")
    except AssertionError:
        with contextlib.suppress(Exception):
            page.screenshot(tmp_path / "prefect-ui-failure.png")
        raise
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 10_000
