"""Every article of every dev set, and of the mixed corpus, goes through every enricher without an exception.

The dev sets in ``../shared/corpora/dev`` and the AEB pages and Turkish articles beside them
(set ``MEDIA_ETL_CORPORA`` to use another corpora folder) are real news the code was not written
against. Each input file is read and parsed the way ``media_etl.pipeline`` does it
(``read_file``, ``parse_item``, ``article_rows``), and then each enricher is called directly on
the article, with the arguments ``enrich_articles`` gives it: language detection,
``extract_mentions``, ``extract_quotes``, ``find_themes``, ``find_dates`` and ``signature``.
``enrich_articles`` itself is not used, because it turns an enricher's exception into a
quarantine row and carries on; here an exception is a failure that names the file, the enricher
and the exception. All failures of a set are collected and reported together.

A file that yields no article (a read rejection or a parse error) is a failure too, with its
reason, so the number of articles checked must equal the number of input files.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from media_etl.enrich import language as language_detection
from media_etl.enrich.dates import find_dates
from media_etl.enrich.entities import extract_mentions
from media_etl.enrich.near_duplicates import signature
from media_etl.enrich.quotes import extract_quotes
from media_etl.enrich.records import ArticleText, Mention
from media_etl.enrich.themes import Taxonomy, find_themes, load_taxonomy
from media_etl.pipeline import article_rows, parse_item, read_file
from media_etl.sources import SourceRegistry, load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPORA_ENV = "MEDIA_ETL_CORPORA"
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)

DEV_SETS = {
    "conll-train": "dev/conll-train/txt",
    "polnear-train": "dev/polnear-train/txt",
    "nerel-train": "dev/nerel-train/txt",
    "trafeval-dev": "dev/trafeval-dev/html",
    # the mixed corpus: real pages and articles of the kinds the dev sets lack (the BBC technology
    # story that once raised IndexError in the quote extractor is one of the aeb pages)
    "aeb": "aeb/html",
    "tr-news": "tr-news/raw",
}
"""Each set and the folder of its input files, under the corpora folder."""


def corpora_root() -> Path:
    """The corpora folder: ``$MEDIA_ETL_CORPORA`` when set, else ``../shared/corpora`` beside the repo."""
    override = os.environ.get(CORPORA_ENV)
    return Path(override) if override else REPO_ROOT.parent / "shared" / "corpora"


@cache
def _registry() -> SourceRegistry:
    return load_registry(REPO_ROOT / "sources.yaml")


@cache
def _taxonomy() -> Taxonomy:
    return load_taxonomy(REPO_ROOT / "themes.yaml")


@cache
def _detect() -> Callable[..., tuple[str | None, str | None]]:
    return language_detection.detector_for(language_detection.DEFAULT_LANGUAGES).detect


@dataclass
class SetReport:
    """What checking one dev set found."""

    files: int = 0
    articles: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, path: Path, step: str, problem: str) -> None:
        """Record one failure: the file, the step (reader, parser or enricher) and what went wrong."""
        self.failures.append(f"{path.name}: {step}: {problem}")


def describe(exc: BaseException) -> str:
    """The exception's type and message, and the line of library code that raised it."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"[:600]


def read_articles(path: Path, report: SetReport) -> list[dict[str, object]]:
    """Read and parse one file as the pipeline does and return its ``articles`` rows.

    A file that yields nothing, a read rejection and an item that fails to parse are
    recorded as failures.
    """
    items, rejections = read_file(str(path))
    for rejection in rejections:
        report.fail(path, "read", f"{rejection.reason_code}: {rejection.detail}")
    if not items and not rejections:
        report.fail(path, "read", "no item and no rejection")
    rows = []
    for item in items:
        try:
            parsed = parse_item(item, _registry())
            row, _ = article_rows(item, parsed, _registry(), run_id="dev-sets", loaded_at=LOADED_AT)
        except Exception as exc:  # a ParseError is a legitimate rejection, but still no article
            report.fail(path, "parse", describe(exc))
            continue
        rows.append(row)
    return rows


def run_enrichers(path: Path, row: dict[str, Any], report: SetReport) -> None:
    """Call every enricher on one article as ``enrich_articles`` would, recording each exception."""
    headline, body, declared = row["headline"], row["body"], row["language_declared"]
    try:
        language, _script = _detect()(f"{headline}\n\n{body}", declared)
    except Exception as exc:
        report.fail(path, "language", describe(exc))
        language = declared  # what enrich_articles falls back to
    text = ArticleText(row["article_id"], headline, body, row["published_date"], language)
    mentions: list[Mention] = []
    try:
        mentions = extract_mentions(text)
    except Exception as exc:
        report.fail(path, "extract_mentions", describe(exc))
    steps: dict[str, Callable[[], object]] = {
        "extract_quotes": lambda: extract_quotes(text, mentions),
        "find_themes": lambda: find_themes(text, _taxonomy()),
        "find_dates": lambda: find_dates(text),
        "signature": lambda: signature(body),
    }
    for name, step in steps.items():
        try:
            step()
        except Exception as exc:
            report.fail(path, name, describe(exc))


def check_set(folder: Path) -> SetReport:
    """Read every input file of one dev set and run every enricher on every article of it."""
    report = SetReport()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        report.files += 1
        for row in read_articles(path, report):
            report.articles += 1
            run_enrichers(path, row, report)
    return report


@pytest.mark.slow
@pytest.mark.parametrize("dev_set", list(DEV_SETS))
def test_every_enricher_runs_on_every_article(dev_set: str) -> None:
    folder = corpora_root() / DEV_SETS[dev_set]
    if not folder.is_dir():
        pytest.skip(
            f"corpus folder {folder} is absent (it lives in ../shared/corpora beside the repo; "
            f"set {CORPORA_ENV} to point elsewhere)"
        )
    report = check_set(folder)
    problems = list(report.failures)
    if report.files == 0:
        problems.append(f"{folder} holds no input files")
    if report.articles != report.files:
        problems.append(f"{report.articles} articles checked from {report.files} input files")
    assert not problems, f"{dev_set}: {len(problems)} problems:\n" + "\n".join(problems)
