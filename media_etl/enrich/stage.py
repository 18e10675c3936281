"""The enrichment stage: run every enricher over a batch of validated articles.

Each article is enriched on its own; an enricher that fails on one article costs that
article its enrichment rows (with an ``enrich`` quarantine row saying why), never the
article itself or the rest of the batch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from media_etl.enrich import language as language_detection
from media_etl.enrich.dates import find_dates
from media_etl.enrich.entities import extract_mentions
from media_etl.enrich.near_duplicates import signature
from media_etl.enrich.quotes import extract_quotes
from media_etl.enrich.records import ArticleText, Quote
from media_etl.enrich.themes import Taxonomy, find_themes, load_taxonomy
from media_etl.records import Rejection
from media_etl.validate import failing_rows
from schemas import ENRICHMENT_TABLES, TABLES


@dataclass(frozen=True)
class Enricher:
    """Configuration of the enrichment stage: the language set and the theme taxonomy."""

    taxonomy: Taxonomy
    languages: tuple[str, ...] = language_detection.DEFAULT_LANGUAGES

    @classmethod
    def from_files(cls, taxonomy: str | Path, languages: Iterable[str] | None = None) -> Enricher:
        """Load the taxonomy file and take the configured languages (default: en tr az ru kk uz)."""
        chosen = tuple(languages) if languages else language_detection.DEFAULT_LANGUAGES
        return cls(taxonomy=load_taxonomy(taxonomy), languages=chosen)


def _rows(records: Iterable[Any]) -> list[dict[str, object]]:
    return [dataclasses.asdict(r) for r in records]


def enrich_articles(
    articles: pd.DataFrame, enricher: Enricher
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame], list[Rejection]]:
    """Detect language and script, then extract mentions, quotes, themes, dates and signatures.

    Args:
        articles: Validated ``articles`` rows.
        enricher: The stage's configuration.

    Returns:
        The articles with ``language`` and ``script`` filled, one frame per enrichment
        table (validated), and an ``enrich`` rejection for every article an enricher
        failed on or every enrichment row that failed its schema.
    """
    detect: Callable[..., tuple[str | None, str | None]] = language_detection.detector_for(enricher.languages).detect
    tables: dict[str, list[dict[str, object]]] = {name: [] for name in ENRICHMENT_TABLES}
    rejections: list[Rejection] = []
    languages: list[str | None] = []
    scripts: list[str | None] = []
    for row in articles.itertuples(index=False):
        declared = None if pd.isna(row.language_declared) else row.language_declared
        try:
            language, script = detect(f"{row.headline}\n\n{row.body}", declared)
        except Exception as exc:  # an enricher bug must not cost the article
            rejections.append(_failure(row, "language", exc))
            language, script = declared, None
        languages.append(language)
        scripts.append(script)
        published = None if pd.isna(row.published_date) else row.published_date
        text = ArticleText(row.article_id, row.headline, row.body, published, language)
        try:
            mentions = extract_mentions(text)
            found = {
                "mentions": _rows(mentions),
                "quotes": [_quote_row(q) for q in extract_quotes(text, mentions)],
                "themes": _rows(find_themes(text, enricher.taxonomy)),
                "dates_mentioned": _rows(find_dates(text)),
                "article_signatures": [{"article_id": row.article_id, "signature": signature(row.body)}],
            }
        except Exception as exc:  # an enricher bug must not cost the article
            rejections.append(_failure(row, "extraction", exc))
            continue
        for name, rows in found.items():
            tables[name].extend(rows)
    articles = articles.assign(language=languages, script=scripts)
    frames: dict[str, pd.DataFrame] = {}
    source_of = dict(zip(articles["article_id"], articles["source_uri"], strict=True))
    for name, rows in tables.items():
        frames[name], invalid = _validated(name, TABLES[name].frame(rows), source_of)
        rejections.extend(invalid)
    return TABLES["articles"].model.validate(articles), frames, rejections


def _quote_row(quote: Quote) -> dict[str, object]:
    """Turn a quote into a ``quotes`` row: ``speaker`` resolved (else as written), ``speaker_surface`` as written."""
    row = dataclasses.asdict(quote)
    row["speaker"] = row.pop("speaker_name") or row["speaker_surface"]
    return row


def _failure(row: Any, step: str, exc: Exception) -> Rejection:
    return Rejection(
        row.source_uri,
        "enrich",
        f"enrich_{step}_failed",
        f"article {row.article_id}: {type(exc).__name__}: {exc}"[:500],
        content_hash=row.content_hash,
    )


def _validated(name: str, frame: pd.DataFrame, source_of: dict[str, str]) -> tuple[pd.DataFrame, list[Rejection]]:
    """Validate an enrichment table; failing rows become ``enrich`` rejections and are dropped."""
    model = TABLES[name].model
    checked, cases = failing_rows(frame.reset_index(drop=True), model)
    if cases.empty:
        return checked, []
    bad = sorted({int(i) for i in cases["index"]})
    rejections = [
        Rejection(
            source_of.get(str(frame.at[i, "article_id"]), str(frame.at[i, "article_id"])),
            "enrich",
            f"{name}_invalid",
            f"{name} row {frame.iloc[i].to_dict()!r} failed: "
            + "; ".join(str(c) for c in cases.loc[cases["index"] == i, "check"]),
        )
        for i in bad
    ]
    kept = checked.drop(index=bad).reset_index(drop=True)
    return model.validate(kept), rejections
