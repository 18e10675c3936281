"""Headless Chromium driven over the DevTools protocol, for the browser tests.

Debian's package (``scripts/install-chromium.sh``) with a fresh profile under the test's tmp dir,
one tab, spoken to with websockets and httpx (both installed with Prefect). ``Page`` keeps the
events Chromium sends between command replies, so a test can check the console for errors.
Used by test_prefect_ui.py and test_report_page.py.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.processes import stop_group

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
MISSING = f"{CHROMIUM} is absent: install it with `bash scripts/install-chromium.sh` (.ci/run does)"


class Page:
    """One Chromium tab driven over the DevTools protocol."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        """Every event received so far (``method`` and ``params``), oldest first."""

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result, keeping any events in between in ``events``."""
        number = next(self.ids)
        self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=PAGE_TIMEOUT))
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def text(self) -> str:
        return self.evaluate("document.body ? document.body.innerText : ''") or ""

    def open(self, url: str) -> None:
        self.call("Page.navigate", url=url)

    def wait_for_load(self, timeout: float = PAGE_TIMEOUT) -> None:
        """Wait until the document has loaded (``document.readyState`` is complete)."""
        deadline = time.monotonic() + timeout
        while self.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.evaluate('location.href')} did not load within {timeout}s")
            time.sleep(0.1)

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

    def console_errors(self) -> list[str]:
        """Errors the page logged: console.error calls, uncaught exceptions and browser log errors
        (a resource that failed to load among them). Needs ``Runtime.enable`` and ``Log.enable``."""
        errors = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in {"error", "assert"}:
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                errors.append(str(params.get("exceptionDetails", {}).get("text", "exception")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                errors.append(f"{entry.get('source')}: {entry.get('text')} {entry.get('url', '')}".strip())
        return errors

    def screenshot(self, path: Path, full_page: bool = False) -> Path:
        """Save a PNG of the viewport, or of the whole page when ``full_page``."""
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))
        return path


@contextmanager
def chromium_page(tmp_path: Path) -> Iterator[Page]:
    """A headless Chromium with a fresh profile under ``tmp_path``, and its first tab; all of it ends with the block."""
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
