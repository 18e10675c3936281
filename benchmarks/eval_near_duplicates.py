"""Score near-duplicate story clustering on a set with known reprints (see ``benchmarks/reprint_set.py``).

Pairwise scores: every pair of articles the clustering puts in one cluster is a predicted
pair, every pair with the same truth label a true pair; precision, recall and F1 count
pairs. Lag accuracy is the share of synthetic reprints whose cluster's first member is
their original and whose ``lag_seconds`` equals the truth (both null when the reprint has
only a date). Signatures are computed once and reused for every threshold, as stored
signatures would be. Run from the repo root:

    .venv/bin/python benchmarks/eval_near_duplicates.py

Without ``../shared/corpora/tr-news`` the set is built from the seeds alone.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

# Run as a script, only benchmarks/ is on sys.path; the repo root makes ``benchmarks`` importable.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.reprint_set import TR_NEWS, build_reprint_set
from media_etl.enrich.near_duplicates import NUM_PERM, SHINGLE_SIZE, THRESHOLD, cluster_stories, lsh_bands, signature

THRESHOLDS = (0.3, 0.4, 0.45, 0.5, 0.6, 0.7)


@dataclass(frozen=True)
class Score:
    """Agreement of one clustering with the truth."""

    threshold: float
    articles: int
    truth_pairs: int
    predicted_pairs: int
    correct_pairs: int
    reprints: int
    lag_correct: int
    misses: tuple[str, ...]
    """Reprints not clustered with their original, with their edits."""
    false_links: tuple[str, ...]
    """Predicted pairs of different stories."""

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.truth_pairs if self.truth_pairs else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def lag_accuracy(self) -> float:
        return self.lag_correct / self.reprints if self.reprints else 1.0


def pairs(ids: Sequence[str], labels: Sequence[object]) -> set[frozenset[str]]:
    """Return every unordered pair of ids that share a label (None labels share nothing).

    Args:
        ids: Article ids.
        labels: One label per id, or None for an article in no cluster.

    Returns:
        The pairs.
    """
    groups: dict[object, list[str]] = {}
    for article_id, label in zip(ids, labels, strict=True):
        if label is not None:
            groups.setdefault(label, []).append(article_id)
    return {frozenset(pair) for group in groups.values() for pair in itertools.combinations(group, 2)}


def score(truth: pd.DataFrame, clusters: pd.DataFrame, threshold: float) -> Score:
    """Compare a clustering of the set with its truth.

    Args:
        truth: The set from ``build_reprint_set``.
        clusters: ``cluster_stories`` output for it.
        threshold: The threshold the clustering used (reported only).

    Returns:
        Pair counts, lag agreement and the disagreements.
    """
    ids = truth["article_id"].tolist()
    cluster_of = dict(zip(clusters["article_id"], clusters["cluster_id"], strict=True))
    predicted = pairs(ids, [cluster_of.get(a) for a in ids])
    expected = pairs(ids, truth["truth_cluster"].tolist())
    row_of = {r.article_id: r for r in clusters.itertuples(index=False)}
    original_of = {r.truth_cluster: r.article_id for r in truth.itertuples(index=False) if r.role == "original"}
    reprints = truth[truth["role"] == "reprint"]
    lag_correct = 0
    misses = []
    for r in reprints.itertuples(index=False):
        got = row_of.get(r.article_id)
        original = original_of[r.truth_cluster]
        if got is None or cluster_of.get(original) != got.cluster_id:
            misses.append(f"{r.origin} -> {r.outlet} [{r.edits or 'verbatim'}]")
            continue
        truth_lag = None if pd.isna(r.truth_lag_seconds) else int(r.truth_lag_seconds)
        lag = None if pd.isna(got.lag_seconds) else int(got.lag_seconds)
        lag_correct += got.first_article_id == original and lag == truth_lag
    origin_of = dict(zip(ids, truth["origin"], strict=True))
    false_links = sorted(" ~ ".join(sorted(origin_of[a] for a in pair)) for pair in predicted - expected)
    return Score(
        threshold,
        len(truth),
        len(expected),
        len(predicted),
        len(predicted & expected),
        len(reprints),
        lag_correct,
        tuple(misses),
        tuple(dict.fromkeys(false_links)),
    )


def evaluate(truth: pd.DataFrame, thresholds: Iterable[float] = THRESHOLDS) -> list[Score]:
    """Sign every article once, then cluster and score at each threshold.

    Args:
        truth: The set from ``build_reprint_set``.
        thresholds: Jaccard thresholds to try.

    Returns:
        One score per threshold, in the order given.
    """
    signed = truth.assign(signature=[signature(body) for body in truth["body"]]).drop(columns="body")
    return [score(truth, cluster_stories(signed, threshold=t), t) for t in thresholds]


def main() -> None:
    """Print scores per threshold, the default's disagreements and a machine-readable summary."""
    started = time.perf_counter()
    truth = build_reprint_set()
    with_corpus = "tr-news + seeds" if TR_NEWS.is_dir() else "seeds only (tr-news absent)"
    roles = truth["role"].value_counts().to_dict()
    stories = truth["truth_cluster"].value_counts()
    print(
        f"set: {len(truth)} articles from {with_corpus}: {roles.get('original', 0)} originals, "
        f"{roles.get('reprint', 0)} reprints, {roles.get('follow_up', 0)} follow-ups; "
        f"{(stories >= 2).sum()} stories run more than once"
    )
    scores = evaluate(truth, sorted({*THRESHOLDS, THRESHOLD}))
    print(f"shingles of {SHINGLE_SIZE} words, num_perm={NUM_PERM}")
    print("threshold  bands x rows  precision  recall  f1     lag_accuracy  predicted/true pairs")
    for s in scores:
        bands, rows = lsh_bands(s.threshold, NUM_PERM)
        print(
            f"{s.threshold:<9}  {bands:>2} x {rows:<8} {s.precision:.3f}      {s.recall:.3f}   {s.f1:.3f}  "
            f"{s.lag_accuracy:.3f}         {s.predicted_pairs}/{s.truth_pairs}"
        )
    chosen = next(s for s in scores if s.threshold == THRESHOLD)
    print(f"at the default threshold {THRESHOLD}: reprints not clustered with their original:")
    for line in chosen.misses or ("(none)",):
        print("  " + line)
    print("pairs of different stories clustered together:")
    for line in chosen.false_links or ("(none)",):
        print("  " + line)
    print(f"elapsed: {time.perf_counter() - started:.1f} s")
    print(
        f"near_duplicates: n={chosen.articles} threshold={THRESHOLD} precision={chosen.precision:.3f} "
        f"recall={chosen.recall:.3f} f1={chosen.f1:.3f} lag_accuracy={chosen.lag_accuracy:.3f}"
    )


if __name__ == "__main__":
    main()
