from collections import Counter

import pytest

from benchmarks.eval_aeb import (
    aggregate,
    load_ground_truth,
    match_counts,
    media_etl_bodies,
    score_system,
    shingles,
    tokenize,
    trafilatura_bodies,
)
from tests.conftest import corpus

# media-etl's body F1 measured on the 181 pages was 0.971 (trafilatura's defaults: 0.953).
F1_FLOOR = 0.96


def test_tokens_are_word_character_runs_with_case_kept() -> None:
    assert tokenize("Don't panic, İstanbul—2019!") == ["Don", "t", "panic", "İstanbul", "2019"]


def test_shingles_are_overlapping_runs_of_four_tokens() -> None:
    assert shingles("a b c d e a b c d") == Counter(
        {
            ("a", "b", "c", "d"): 2,
            ("b", "c", "d", "e"): 1,
            ("c", "d", "e", "a"): 1,
            ("d", "e", "a", "b"): 1,
            ("e", "a", "b", "c"): 1,
        }
    )
    assert shingles("too short") == Counter({("too", "short"): 1})
    assert shingles(" ... ") == Counter()


def test_match_counts_are_normalised_per_page() -> None:
    # truth has shingles abcd, bcde; prediction has abcd, bcdx: one of each kind.
    assert match_counts("a b c d e", "a b c d x") == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert match_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    assert match_counts("a b c d e", "") == (0.0, 0.0, 1.0)
    assert match_counts("", "") == (0.0, 0.0, 0.0)


def test_aggregate_averages_precision_and_recall_over_pages_then_takes_f1() -> None:
    pages = [
        (0.5, 0.5, 0.0),  # precision 0.5, recall 1
        (1.0, 0.0, 0.0),  # perfect
        (0.0, 0.0, 1.0),  # nothing predicted: counts for recall only
        (0.0, 0.0, 0.0),  # neither side has text: counts for neither
    ]
    scores = aggregate(pages)
    assert scores.precision == pytest.approx(0.75)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    assert scores.pages == 4


@pytest.mark.slow  # both extractors on all 181 benchmark pages: about 9 s
def test_media_etl_extraction_beats_trafilatura_defaults_on_the_benchmark() -> None:
    root = corpus("aeb")
    truth = load_ground_truth(root)
    assert len(truth) == 181
    reference = score_system(trafilatura_bodies, truth, root)
    ours = score_system(media_etl_bodies, truth, root)
    assert ours.f1 >= reference.f1, (ours, reference)
    assert ours.f1 >= F1_FLOOR, ours
