"""The enrichment stage on the seeds: every table filled, failures isolated per article."""

from datetime import UTC, datetime

import pytest

from media_etl.enrich import stage
from media_etl.enrich.stage import Enricher
from media_etl.pipeline import process_files
from tests.conftest import REPO_ROOT, SEEDS

LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def enricher():
    return Enricher.from_files(REPO_ROOT / "themes.yaml")


@pytest.fixture(scope="module")
def batch(registry, enricher):
    files = sorted(str(p) for p in SEEDS.iterdir())
    return process_files(files, registry, run_id="r", loaded_at=LOADED_AT, enricher=enricher)


def article_id(batch, name):
    return batch.sources.loc[batch.sources["source_uri"].str.endswith(name), "article_id"].iloc[0]


def test_every_article_gets_language_and_script(batch):
    assert batch.articles["language"].notna().all()
    by_file = {
        "002_3a0b39f4f30f4f20.txt": ("en", "Latin"),
        "sample_04_trend_az_baki.txt": ("az", "Latin"),
        "sample_05_kazinform_ru_astana.txt": ("ru", "Cyrillic"),
        "sample_07_aa_ankara_tr.txt": ("tr", "Latin"),
    }
    for name, expected in by_file.items():
        row = batch.articles[batch.articles["article_id"] == article_id(batch, name)].iloc[0]
        assert (row["language"], row["script"]) == expected, name


def test_enrichment_tables_are_filled_with_valid_offsets(batch):
    bodies = dict(zip(batch.articles["article_id"], batch.articles["body"], strict=True))
    for name, column in (
        ("mentions", "surface"),
        ("quotes", "text"),
        ("themes", "evidence"),
        ("dates_mentioned", "surface"),
    ):
        table = batch.enrichment[name]
        assert not table.empty, name
        for row in table.itertuples():
            assert bodies[row.article_id][row.char_start : row.char_end] == getattr(row, column)
    assert set(batch.enrichment["article_signatures"]["article_id"]) == set(batch.articles["article_id"])


def test_seed_002_quotes_all_have_resolved_speakers(batch):
    quotes = batch.enrichment["quotes"]
    seed = quotes[quotes["article_id"] == article_id(batch, "002_3a0b39f4f30f4f20.txt")]
    assert len(seed) >= 10
    assert seed["speaker"].notna().all()
    assert set(seed["speaker"]) <= {"Fahrettin Altun", "Hikmet Hajiyev", "Communications Directorate"} | {
        s for s in seed["speaker"] if "Communications Directorate" in s
    }


def test_a_failing_enricher_costs_only_that_articles_enrichment(registry, enricher, monkeypatch):
    real = stage.extract_mentions

    def flaky(article):
        if "Toshkent" in article.body or "Poytaxtda" in article.body:
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(stage, "extract_mentions", flaky)
    files = [str(SEEDS / "sample_06_uza_uz_toshkent.txt"), str(SEEDS / "000_a24507a823bb7c72.txt")]
    batch = process_files(files, registry, run_id="r", loaded_at=LOADED_AT, enricher=enricher)
    assert len(batch.articles) == 2
    assert [(r.stage, r.reason_code) for r in batch.rejections] == [("enrich", "enrich_extraction_failed")]
    assert "boom" in batch.rejections[0].detail
    assert len(set(batch.enrichment["article_signatures"]["article_id"])) == 1
