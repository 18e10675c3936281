"""Floor tests for the entity evaluation: just under the figures measured on 2026-11-22.

Measured with ``.venv/bin/python benchmarks/eval_entities.py``: seeds F1 1.000 for every type,
70/70 canonical names and 9/9 roles (the seeds were also the development set, so these say
"no regression", not "accuracy on new copy"); KazNERD (every 3rd sentence of the test split)
person 0.768, organisation 0.492, place 0.792.
"""

from __future__ import annotations

from benchmarks.eval_entities import GOLD, kaznerd_sample, load_gold, score_kaznerd, score_seeds, seed_articles
from schemas.vocabularies import ORGANISATION, PERSON, PLACE
from tests.conftest import corpus


def test_gold_file_resolves_to_the_seed_bodies():
    articles = seed_articles()
    gold = load_gold({label: a.body for label, a in articles.items()}, GOLD)
    assert set(gold) == {"seeds/000_a24507a823bb7c72.txt", "seeds/002_3a0b39f4f30f4f20.txt"}
    for label, mentions in gold.items():
        body = articles[label].body
        assert all(body[g.start : g.end] == g.surface for g in mentions)
    assert sum(len(m) for m in gold.values()) == 70


def test_seed_gold_floors():
    result = score_seeds()
    assert result.f1(PERSON) >= 0.97, result.errors
    assert result.f1(ORGANISATION) >= 0.95, result.errors
    assert result.f1(PLACE) >= 0.97, result.errors
    assert result.roles_right >= 8, result.errors
    assert result.canonical_right >= result.canonical_checked - 1, result.errors


def test_kaznerd_floors():
    result = score_kaznerd(kaznerd_sample(corpus("kaznerd")))
    assert result.units > 3000
    assert result.f1(PERSON) >= 0.74
    assert result.f1(ORGANISATION) >= 0.46
    assert result.f1(PLACE) >= 0.76
