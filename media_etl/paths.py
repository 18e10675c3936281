"""Where the project's own files are, and the defaults every entry point shares.

The flow, the command line and the benchmarks take their defaults from here, so that a
default is defined once.
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

URL_PREFIXES = ("http://", "https://")
"""Inputs that start with these are fetched, not listed."""


def is_url(item: str) -> bool:
    """Tell whether an input names a URL to fetch rather than a path or glob."""
    return item.startswith(URL_PREFIXES)
