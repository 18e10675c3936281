"""Floor test for the tr-news evaluation: titles and dates survive the pipeline on at least 99%."""

from benchmarks.eval_tr_news import score
from tests.conftest import corpus


def test_titles_and_dates_agree_on_tr_news():
    result = score(corpus("tr-news") / "raw")
    assert result.articles == 200
    assert result.title_share >= 0.99, result.disagreements
    assert result.date_share >= 0.99, result.disagreements
