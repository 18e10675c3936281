"""Shared fixtures: repo paths, the source registry, and one Prefect test harness per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from media_etl.sources import SourceRegistry, load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
SEEDS = REPO_ROOT / "seeds"
CORPORA = REPO_ROOT.parent / "shared" / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite the golden files in tests/golden from the current parser output",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def registry() -> SourceRegistry:
    return load_registry(REPO_ROOT / "sources.yaml")


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Start Prefect's test server once for the whole run (it costs about 5 s)."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from prefect.testing.utilities import prefect_test_harness

    # None: wait as long as PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS allows (a busy machine
    # can need more than 30 s).
    with prefect_test_harness(server_startup_timeout=None):
        yield


def corpus(name: str) -> Path:
    """Return a folder of ../shared/corpora, or skip the test when it is absent."""
    path = CORPORA / name
    if not path.is_dir():
        pytest.skip(f"third-party corpus {path} is absent (it lives in ../shared/corpora beside the repo)")
    return path
