"""Schema rejection tests: bad rows are quarantined with a reason, good rows in the same batch load."""

from datetime import UTC, date, datetime

import pandas as pd
import pandera.pandas as pa
import pytest

from media_etl.batch import quarantine_frame
from media_etl.pipeline import process_files
from media_etl.records import Rejection
from media_etl.validate import split_valid
from schemas import TABLES, ArticleSchema, ParagraphSchema, QuarantineSchema, RunSchema
from tests.conftest import SEEDS

MODELS = (ArticleSchema, ParagraphSchema)


@pytest.fixture(scope="module")
def good(registry):
    batch = process_files([str(SEEDS / "000_a24507a823bb7c72.txt"), str(SEEDS / "002_3a0b39f4f30f4f20.txt")],
                          registry, run_id="r", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))  # fmt: skip
    return batch.articles, batch.paragraphs


def with_change(frame, row, **changes):
    frame = frame.copy()
    for column, value in changes.items():
        frame[column] = frame[column].astype(object)
        frame.at[row, column] = value
    return frame


@pytest.mark.parametrize(
    ("changes", "reason", "field"),
    [
        ({"headline": ""}, "headline_str_length", "headline"),
        ({"headline": "x" * 501}, "headline_str_length", "headline"),
        ({"dateline_country": "XX"}, "dateline_country_isin", "dateline_country"),
        ({"date_precision": "century"}, "date_precision_isin", "date_precision"),
        ({"published_date": date(1850, 1, 1)}, "published_date_not_before_1900", "published_date"),
        ({"published_at": None}, "precision_matches_dates", None),
        ({"word_count": 0}, "word_count_greater_than_or_equal_to", "word_count"),
        ({"article_id": "not-a-hash"}, "article_id_str_matches", "article_id"),
    ],
)
def test_bad_article_row_is_quarantined_and_the_good_one_kept(good, changes, reason, field):
    articles, paragraphs = good
    bad = with_change(articles, 0, **changes)
    valid_articles, valid_paragraphs, rejections = split_valid(bad, paragraphs, MODELS)
    assert valid_articles["article_id"].tolist() == [articles.at[1, "article_id"]]
    assert set(valid_paragraphs["article_id"]) == {articles.at[1, "article_id"]}
    assert ("validate", reason, field) in {(r.stage, r.reason_code, r.field) for r in rejections}
    assert all(r.source_uri.endswith("000_a24507a823bb7c72.txt") for r in rejections)


def test_bad_paragraph_drops_its_whole_article(good):
    articles, paragraphs = good
    bad = with_change(paragraphs, 3, char_end=0)
    valid_articles, valid_paragraphs, rejections = split_valid(articles, bad, MODELS)
    dropped = paragraphs.at[3, "article_id"]
    assert dropped not in set(valid_articles["article_id"])
    assert dropped not in set(valid_paragraphs["article_id"])
    assert len(valid_articles) == 1
    assert {r.reason_code for r in rejections} == {"char_end_greater_than_or_equal_to", "offsets_span_text"}


def test_valid_rows_pass_unchanged(good):
    articles, paragraphs = good
    valid_articles, valid_paragraphs, rejections = split_valid(articles, paragraphs, MODELS)
    assert rejections == []
    assert len(valid_articles) == 2 and len(valid_paragraphs) == len(paragraphs)


def test_schemas_are_strict(good):
    articles, _ = good
    with pytest.raises((pa.errors.SchemaError, pa.errors.SchemaErrors), match="not in DataFrameSchema"):
        ArticleSchema.validate(articles.assign(surprise=1))


@pytest.mark.parametrize("model", [m.model for m in TABLES.values()])
def test_every_field_is_described_and_models_are_strict_and_coercing(model):
    schema = model.to_schema()
    assert schema.strict is True and schema.coerce is True
    undescribed = [name for name, column in schema.columns.items() if not column.description]
    assert undescribed == []


def test_quarantine_rows_are_stable_and_checked():
    rejection = Rejection("a.txt", "parse", "no_body", "no body paragraphs", line=3, content_hash="0" * 64)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    first = quarantine_frame([rejection, rejection], run_id="r1", at=at)
    again = quarantine_frame([rejection], run_id="r2", at=at)
    assert len(first) == 1
    assert first.at[0, "quarantine_id"] == again.at[0, "quarantine_id"]
    with pytest.raises(pa.errors.SchemaError):
        QuarantineSchema.validate(first.assign(stage="somewhere"))
    with pytest.raises(pa.errors.SchemaError):
        QuarantineSchema.validate(first.assign(reason_code="Not A Code"))


def test_run_status_is_checked():
    row = {
        "run_id": "r", "started_at": datetime(2026, 1, 1, tzinfo=UTC), "finished_at": datetime(2026, 1, 1, tzinfo=UTC),
        "status": "maybe", "detail": None, "inputs": "[]", "parser_version": "x", "files_seen": 0,
        "files_unchanged": 0, "files_read": 0, "sources_loaded": 0, "articles_parsed": 0, "articles_loaded": 0,
        "articles_already_loaded": 0, "paragraphs_loaded": 0, "rows_quarantined": 0, "quarantined_by_reason": "{}",
        "workers": 1, "stage_seconds": 0.0, "signatures_clustered": None, "run_kind": "load",
        "config_hash": None, "code_version": None,
    }  # fmt: skip
    with pytest.raises(pa.errors.SchemaError):
        RunSchema.validate(pd.DataFrame([row]))
    with pytest.raises(pa.errors.SchemaError):
        RunSchema.validate(pd.DataFrame([{**row, "status": "completed", "run_kind": "replay"}]))
    RunSchema.validate(pd.DataFrame([{**row, "status": "completed"}]))
