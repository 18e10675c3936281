"""Floor tests for the quote evaluation (benchmarks/eval_quotes.py) on tests/gold/quotes.yaml."""

import pytest

from benchmarks.eval_quotes import mention_extractor, score


def test_quotes_without_mentions_meet_the_floors():
    """The extractor on its own (names found from the text): deterministic, so the floors are tight."""
    result = score(use_entities=False)
    assert result.gold >= 54
    assert result.title_quotes == 0, result.problems
    assert result.precision >= 0.98, result.problems
    assert result.recall >= 0.98, result.problems
    assert result.f1 >= 0.98, result.problems
    assert result.speaker_accuracy >= 0.98, result.problems


def test_quotes_with_entity_mentions_meet_the_floors():
    """As the pipeline runs it, with media_etl.enrich.entities; its mentions can move these a little."""
    extract, label = mention_extractor()
    if extract is None:
        pytest.skip(f"mentions unavailable: {label}")
    result = score(use_entities=True)
    assert "failed" not in result.mentions_from, result.problems
    assert result.title_quotes == 0, result.problems
    assert result.precision >= 0.95, result.problems
    assert result.recall >= 0.95, result.problems
    assert result.speaker_accuracy >= 0.9, result.problems
