"""A batch of inputs on its way to the warehouse: its validated rows and what was rejected.

The stages (``media_etl.pipeline``) make batches and the loader (``media_etl.load``) writes them;
both import them from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from media_etl.records import ListedUrl, Rejection
from schemas import TABLES


@dataclass
class Batch:
    """The validated rows of one batch of inputs, and everything that was rejected."""

    articles: pd.DataFrame
    paragraphs: pd.DataFrame
    sources: pd.DataFrame
    ledger: pd.DataFrame
    rejections: list[Rejection] = field(default_factory=list)
    files_seen: int = 0
    fetches: pd.DataFrame = field(default_factory=lambda: TABLES["fetch_log"].frame([]))
    enrichment: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Rows of mentions, quotes, themes, dates_mentioned and article_signatures, when enriched."""
    listed_urls: list[ListedUrl] = field(default_factory=list)
    """URLs that URL-list files of the batch name: the run fetches them after the files."""

    @classmethod
    def of_rejections(cls, rejections: list[Rejection]) -> Batch:
        """A batch with no rows, only rejections to quarantine (inputs refused while listing, say)."""
        return cls(
            articles=TABLES["articles"].frame([]),
            paragraphs=TABLES["paragraphs"].frame([]),
            sources=TABLES["article_sources"].frame([]),
            ledger=TABLES["ingest_ledger"].frame([]),
            rejections=rejections,
        )


def quarantine_frame(rejections: Iterable[Rejection], *, run_id: str, at: datetime) -> pd.DataFrame:
    """Turn rejections into validated ``quarantine`` rows, one per distinct rejection.

    Args:
        rejections: What was rejected.
        run_id: The current run.
        at: Start of the current run, UTC.

    Returns:
        The quarantine rows.
    """
    rows = {r.quarantine_id: {**r.as_row(), "run_id": run_id, "quarantined_at": at} for r in rejections}
    return TABLES["quarantine"].model.validate(TABLES["quarantine"].frame(list(rows.values())))
