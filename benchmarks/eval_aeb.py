"""Score article-body extraction on scrapinghub's article-extraction benchmark (AEB).

Compares, on the same pages in one process, trafilatura's ``extract`` with its default
settings against the body media-etl stores. Run from the repo root:

    .venv/bin/python benchmarks/eval_aeb.py

Scoring follows the benchmark's own ``evaluate.py`` (its README only points there): each
text is split into ``\\w+`` tokens (Unicode word characters, case kept), the tokens are
grouped into overlapping 4-token shingles, and predicted shingles are matched against the
ground truth's as multisets, giving true positives, false positives and false negatives.
The three counts of one page are divided by their sum so that long articles weigh no
more than short ones.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import trafilatura

from media_etl.pipeline import process_files
from media_etl.sources import SourceRegistry, load_registry

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpora" / "aeb"
_LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)
SHINGLE_SIZE = 4

_TOKEN = re.compile(r"\w+")

Counts = tuple[float, float, float]
"""True positives, false positives and false negatives of one page, normalised to sum 1."""


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one system over a set of pages."""

    precision: float
    recall: float
    f1: float
    pages: int


def tokenize(text: str) -> list[str]:
    """Split text into runs of word characters, as the benchmark does.

    Args:
        text: Any text.

    Returns:
        The ``\\w+`` tokens in order, case kept.
    """
    return _TOKEN.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Count the overlapping runs of ``size`` tokens in a text.

    Args:
        text: Any text.
        size: Tokens per shingle.

    Returns:
        How often each shingle occurs. A text shorter than ``size`` tokens is one shorter
        shingle; a text without tokens has none.
    """
    tokens = tokenize(text)
    runs = (tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))
    return Counter(run for run in runs if run)


def match_counts(truth: str, predicted: str) -> Counts:
    """Match the shingles of a predicted body against the true body.

    Args:
        truth: The ground-truth article body.
        predicted: The extracted body.

    Returns:
        True positives, false positives and false negatives, divided by their sum
        (all zero when neither text has a token).
    """
    expected, found = shingles(truth), shingles(predicted)
    true_pos = sum((expected & found).values())
    false_pos = sum((found - expected).values())
    false_neg = sum((expected - found).values())
    total = true_pos + false_pos + false_neg
    if total == 0:
        return 0.0, 0.0, 0.0
    return true_pos / total, false_pos / total, false_neg / total


def _precision(counts: Counts) -> float:
    true_pos, false_pos, false_neg = counts
    if false_pos == false_neg == 0:
        return 1.0
    return true_pos / (true_pos + false_pos) if true_pos + false_pos else 0.0


def _recall(counts: Counts) -> float:
    true_pos, false_pos, false_neg = counts
    if false_pos == false_neg == 0:
        return 1.0
    return true_pos / (true_pos + false_neg) if true_pos + false_neg else 0.0


def aggregate(page_counts: list[Counts]) -> Scores:
    """Combine per-page counts into one score, the way the benchmark does.

    Aggregation is a macro average, as in the benchmark: precision is the mean of the
    per-page precisions over pages where something was predicted, recall the mean of the
    per-page recalls over pages with a true body, and F1 the harmonic mean of those two
    means (not the mean of per-page F1s).

    Args:
        page_counts: One ``match_counts`` result per page.

    Returns:
        The scores over all pages.
    """
    precisions = [_precision(c) for c in page_counts if c[0] + c[1] > 0]
    recalls = [_recall(c) for c in page_counts if c[0] + c[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(page_counts))


def load_ground_truth(corpus: Path = CORPUS) -> dict[str, str]:
    """Read the benchmark's true article bodies.

    Args:
        corpus: The benchmark folder.

    Returns:
        The article body of every page id.
    """
    with (corpus / "ground-truth.json").open(encoding="utf-8") as handle:
        truth = json.load(handle)
    return {page_id: item.get("articleBody") or "" for page_id, item in truth.items()}


def page_path(page_id: str, corpus: Path = CORPUS) -> Path:
    """Return the gzipped HTML file of one benchmark page."""
    return corpus / "html" / f"{page_id}.html.gz"


def trafilatura_body(path: Path) -> str:
    """Extract the body with trafilatura's default settings: the reference system.

    The page is read as UTF-8 text, as the benchmark's own trafilatura runner does.

    Args:
        path: A gzipped benchmark page.

    Returns:
        The extracted text, or "" when trafilatura finds none.
    """
    html = gzip.decompress(path.read_bytes()).decode("utf-8")
    return trafilatura.extract(html) or ""


def media_etl_bodies(paths: list[Path]) -> list[str]:
    """Extract the bodies media-etl would store for some pages, in one pipeline batch.

    The whole pipeline runs, as the ETL runs it: sniffing, gunzip, ``read_html``, cleaning,
    the body parser (datelines, credits, boilerplate) and validation; the stored body is
    what gets scored.

    Args:
        paths: Gzipped benchmark pages.

    Returns:
        One body per page, "" for a page the pipeline rejected.
    """
    batch = process_files([str(p) for p in paths], _registry(), run_id="eval-aeb", loaded_at=_LOADED_AT)
    body_of = dict(zip(batch.articles["article_id"], batch.articles["body"], strict=True))
    by_source = {link.source_uri: body_of[link.article_id] for link in batch.sources.itertuples()}
    return [str(by_source.get(str(p), "")) for p in paths]


def trafilatura_bodies(paths: list[Path]) -> list[str]:
    """Extract bodies with ``trafilatura.extract`` and its default settings, the reference."""
    return [trafilatura_body(p) for p in paths]


@cache
def _registry() -> SourceRegistry:
    return load_registry(REPO_ROOT / "sources.yaml")


def score_system(extract: Callable[[list[Path]], list[str]], truth: dict[str, str], corpus: Path = CORPUS) -> Scores:
    """Run one extractor over every benchmark page and score it.

    Args:
        extract: Turns page files into body texts, one per page.
        truth: The true body of every page id.
        corpus: The benchmark folder.

    Returns:
        The system's scores.
    """
    ids = list(truth)
    bodies = extract([page_path(page_id, corpus) for page_id in ids])
    return aggregate([match_counts(truth[page_id], body) for page_id, body in zip(ids, bodies, strict=True)])


def _report(name: str, scores: Scores, seconds: float) -> str:
    return (
        f"{name:<12} precision={scores.precision:.3f} recall={scores.recall:.3f} "
        f"F1={scores.f1:.3f}  ({scores.pages} pages, {seconds:.1f} s)"
    )


def main() -> int:
    """Print both systems' scores, their ratio and one machine-readable summary line."""
    if not CORPUS.is_dir():
        print(f"corpus {CORPUS} is absent (it lives in ../shared/corpora beside the repo)", file=sys.stderr)
        return 2
    truth = load_ground_truth()
    results = {}
    for name, extract in (("trafilatura", trafilatura_bodies), ("media-etl", media_etl_bodies)):
        started = time.perf_counter()
        results[name] = score_system(extract, truth)
        print(_report(name, results[name], time.perf_counter() - started))
    reference, ours = results["trafilatura"], results["media-etl"]
    print(f"ratio media-etl/trafilatura: F1 {ours.f1 / reference.f1:.3f}")
    print(f"aeb: n={ours.pages} trafilatura_f1={reference.f1:.3f} media_etl_f1={ours.f1:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
