"""Floor tests for near-duplicate clustering on the reprint set, and checks of the set itself.

Measured at the default threshold (``.venv/bin/python benchmarks/eval_near_duplicates.py``):
seeds only, 35 articles: precision, recall and lag accuracy 1.000; seeds and tr-news,
434 articles: precision 1.000, recall 0.963, F1 0.981, lag accuracy 0.978.
"""

from __future__ import annotations

import pandas as pd

from benchmarks.eval_near_duplicates import evaluate, pairs
from benchmarks.reprint_set import build_reprint_set, paragraphs_of, sentences
from media_etl.enrich.near_duplicates import THRESHOLD
from tests.conftest import SEEDS, corpus


def test_pairs_link_every_two_articles_with_one_label() -> None:
    found = pairs(["a", "b", "c", "d", "e"], ["x", "x", "x", None, "y"])
    assert found == {frozenset("ab"), frozenset("ac"), frozenset("bc")}


def test_sentences_split_at_an_end_mark_before_a_capital() -> None:
    text = "Borsa yüzde 1,5 yükseldi. Dolar 41.2 liradan işlem gördü! “Piyasa sakin” dedi. İşlem sürdü."
    assert sentences(text) == [
        "Borsa yüzde 1,5 yükseldi.",
        "Dolar 41.2 liradan işlem gördü!",
        "“Piyasa sakin” dedi.",
        "İşlem sürdü.",
    ]
    assert paragraphs_of(text, words_per_paragraph=8) == (
        "Borsa yüzde 1,5 yükseldi. Dolar 41.2 liradan işlem gördü!",
        "“Piyasa sakin” dedi. İşlem sürdü.",
    )


def _check_set(truth: pd.DataFrame) -> None:
    assert truth["article_id"].is_unique
    originals = truth[truth["role"] == "original"].set_index("truth_cluster")
    for row in truth[truth["role"] == "reprint"].itertuples(index=False):
        original = originals.loc[row.truth_cluster]
        assert row.outlet != original.outlet
        if pd.isna(row.published_at):
            assert pd.isna(row.truth_lag_seconds) and row.published_date is not None
        else:
            lag = (row.published_at - original.published_at).total_seconds()
            assert lag == row.truth_lag_seconds and 120 <= lag <= 16 * 3600
    assert truth["published_at"].notna().sum() > 0.8 * len(truth)


def test_seeds_only_set_is_deterministic_and_clusters_at_the_floor() -> None:
    truth = build_reprint_set(SEEDS, None)
    pd.testing.assert_frame_equal(truth, build_reprint_set(SEEDS, None))
    assert len(truth) == 35
    assert truth["role"].value_counts().to_dict() == {"reprint": 25, "original": 10}
    _check_set(truth)
    (result,) = evaluate(truth, [THRESHOLD])
    assert result.precision >= 0.97, result.false_links
    assert result.recall >= 0.97, result.misses
    assert result.lag_accuracy >= 0.96, result.misses


def test_tr_news_set_clusters_at_the_floor() -> None:
    truth = build_reprint_set(SEEDS, corpus("tr-news") / "raw")
    assert len(truth) == 434
    assert truth["role"].value_counts().to_dict() == {"reprint": 224, "original": 185, "follow_up": 25}
    _check_set(truth)
    (result,) = evaluate(truth, [THRESHOLD])
    assert result.precision >= 0.99, result.false_links
    assert result.recall >= 0.95, result.misses
    assert result.f1 >= 0.97
    assert result.lag_accuracy >= 0.96, result.misses
