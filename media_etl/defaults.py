"""The defaults every entry point shares: the project's own files, the warehouse, the inputs, the batch size.

The flow, the command line, the tests and the benchmarks take them from here, so that each
is defined once.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout: the package is installed in editable mode from it."""

VIEWS_DIR = PROJECT_ROOT / "warehouse" / "views"
"""The SQL view files that ``media.db`` is built from."""

SOURCES_FILE = PROJECT_ROOT / "sources.yaml"
"""The source registry: outlets, agencies, their feeds."""

THEMES_FILE = PROJECT_ROOT / "themes.yaml"
"""The theme taxonomy."""

DEFAULT_WAREHOUSE = "warehouse"
"""The warehouse folder, relative to the working directory."""

DEFAULT_INPUTS = ("seeds",)
"""What a run reads when given no inputs, relative to the working directory."""

DEFAULT_BATCH_SIZE = 1000
"""Files per batch: the unit of work handed to a worker process."""

URL_PREFIXES = ("http://", "https://")
"""Inputs that start with these are fetched, not listed."""


def is_url(item: str) -> bool:
    """Tell whether an input names a URL to fetch rather than a path or glob."""
    return item.startswith(URL_PREFIXES)
