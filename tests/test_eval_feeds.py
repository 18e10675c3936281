"""Floors for the feed reader's agreement with rss-parser on rss-parser's own test feeds."""

from __future__ import annotations

import pytest

from benchmarks.eval_feeds import normalise, score, title_quirk
from tests.conftest import corpus


@pytest.fixture(scope="module")
def feed_score():
    return score(corpus("feeds") / "rss-parser" / "test")


def test_every_feed_with_an_expected_output_is_scored(feed_score):
    # 31 inputs; unrecognized.rss and itunes-missing-image.rss have no recorded output.
    assert feed_score.n == 29


def test_agreement_floors(feed_score):
    # Measured: count 0.931, titles 0.862, links 0.931 of feeds; 0.973 of item titles, 0.998 of links.
    assert feed_score.count_agree >= 0.93
    assert feed_score.title_agree >= 0.86
    assert feed_score.link_agree >= 0.93
    assert feed_score.item_title_agree >= 0.97
    assert feed_score.item_link_agree >= 0.995


def test_every_disagreement_is_explained(feed_score):
    unexplained = [reason for feed in feed_score.feeds for reason in feed.reasons if "unexplained" in reason]
    assert unexplained == []
    assert feed_score.unexplained == 0


def test_summary_line_is_machine_readable(feed_score):
    line = feed_score.summary()
    assert line.startswith("feeds: n=29 count_agree=")
    fields = dict(part.split("=") for part in line.removeprefix("feeds: ").split())
    assert set(fields) == {
        "n",
        "count_agree",
        "title_agree",
        "link_agree",
        "item_title_agree",
        "item_link_agree",
        "unexplained",
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Tom &amp; Jerry\n ", "Tom & Jerry"),
        ("&#x0024;4300", "$4300"),
        ("e\u0301t\u00e9", "\u00e9t\u00e9"),
        (None, ""),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_title_quirks_are_named_and_real_differences_are_not():
    assert "markup" in title_quirk("1930ft<sup>2</sup>", "1930ft2")
    assert "U+FFFD" in title_quirk("simula\ufffd\ufffdes", "simulações")
    assert title_quirk("simula\ufffd\ufffdes", "simulacoes") == ""
    assert title_quirk("Markets rally", "Markets fall") == ""
