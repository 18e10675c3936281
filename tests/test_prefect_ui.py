"""The Prefect UI shows an ETL run and its summary artifact, checked in headless Chromium.

A Prefect server runs from scripts/prefect-server.sh in the foreground on a free 127.0.0.1 port with a
temporary PREFECT_HOME; `media-etl run` loads the seeds into a temporary warehouse against it; Chromium
(Debian's package, `scripts/install-chromium.sh`) opens the flow run's page and the artifact's page, driven
over the DevTools protocol with websockets and httpx (both installed with Prefect), and saves screenshots.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chromium import CHROMIUM, MISSING, Page, chromium_page
from tests.support.processes import SCRIPTS, Scratch, api, run, scratch_prefect, serving

ARTIFACT_KEY = "media-etl-run"

pytestmark = [
    pytest.mark.slow,  # a Prefect server, an ETL run against it and headless Chromium
    pytest.mark.skipif(
        not CHROMIUM.is_file(),
        reason=MISSING,
    ),
]


@pytest.fixture
def ui_server(tmp_path: Path) -> Iterator[Scratch]:
    """A Prefect server from scripts/prefect-server.sh in the foreground, killed with its process group."""
    scratch = scratch_prefect(tmp_path / "prefect-home")
    with serving(["bash", str(SCRIPTS / "prefect-server.sh")], scratch, tmp_path / "server.log"):
        yield scratch


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Page]:
    """A headless Chromium with a fresh profile, and its first tab; all of it ends with the test."""
    with chromium_page(tmp_path) as tab:
        yield tab


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
