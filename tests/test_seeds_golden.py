"""Golden tests on the seed articles and samples: the parse the issue specifies, and a full snapshot.

Regenerate the snapshot only on purpose: ``pytest tests/test_seeds_golden.py --update-golden``.
"""

import json
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from media_etl.pipeline import process_files
from tests.conftest import REPO_ROOT, SEEDS

GOLDEN = REPO_ROOT / "tests" / "golden" / "seeds.json"
RUN_COLUMNS = ["run_id", "loaded_at"]
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def batch(registry):
    files = sorted(str(p.relative_to(REPO_ROOT)) for p in SEEDS.iterdir() if p.is_file())
    return process_files(files, registry, run_id="golden", loaded_at=LOADED_AT)


def article(batch, name):
    rows = batch.articles[batch.articles["source_uri"] == f"seeds/{name}"]
    assert len(rows) == 1, f"seeds/{name} did not load"
    return rows.iloc[0]


def body_paragraphs(batch, row, kind):
    paragraphs = batch.paragraphs[batch.paragraphs["article_id"] == row["article_id"]].sort_values("seq")
    return paragraphs[paragraphs["kind"] == kind]["text"].tolist()


def test_every_seed_and_sample_loads(batch):
    assert batch.rejections == []
    files = {f"seeds/{p.name}" for p in SEEDS.iterdir()}
    assert set(batch.sources["source_uri"]) == files and len(files) >= 13
    assert set(batch.articles["source_kind"]) == {"text", "feed", "html", "jsonl"}


@pytest.mark.parametrize(
    ("name", "kind", "outlet", "headline", "published_at", "date_source"),
    [
        ("sample_09_trend_feed.rss", "feed", "Trend", "Turkic news agencies agree on joint photo bank",
         "2025-12-02 07:05:00", "feed"),
        ("sample_10_azertac_page.html", "html", "AZERTAC", "Azerbaijani and Kazakh journalists hold joint training",
         "2025-10-14 11:30:00", "json-ld"),
        ("sample_11_news_please_export.jsonl", "jsonl", "Kazinform",
         "Kazakh and Uzbek agencies sign content exchange deal", "2025-03-20 05:00:00", "file"),
    ],
)  # fmt: skip
def test_structured_samples(batch, name, kind, outlet, headline, published_at, date_source):
    ids = batch.sources.loc[batch.sources["source_uri"] == f"seeds/{name}", "article_id"]
    row = batch.articles[batch.articles["article_id"] == ids.iloc[0]].iloc[0]
    assert (row["source_kind"], row["outlet"], row["headline"]) == (kind, outlet, headline)
    assert (row["published_at"], row["date_source"]) == (pd.Timestamp(published_at, tz="UTC"), date_source)
    assert not row["body"].startswith(("BAKU", "ASTANA")), "the dateline must leave the body"


def test_seed_000(batch):
    row = article(batch, "000_a24507a823bb7c72.txt")
    assert row["headline"] == "OTS Media Forum hosts panel session on opportunities for mutual cooperation"
    assert bool(row["has_photo"]) is True
    assert row["published_date"] == date(2025, 11, 27)
    assert row["published_at"] == pd.Timestamp("2025-11-27 12:40:00", tz="UTC")
    assert row["date_precision"] == "minute"
    assert (row["dateline_city"], row["dateline_country"], row["agency"]) == ("Baku", "AZ", "Trend")
    paragraphs = body_paragraphs(batch, row, "paragraph")
    assert len(paragraphs) == 8
    assert paragraphs[0].startswith("Azerbaijan's Baku hosted")
    assert "Trend reports" not in row["body"] and "BAKU, Azerbaijan" not in row["body"]


def test_seed_002(batch):
    row = article(batch, "002_3a0b39f4f30f4f20.txt")
    assert row["headline"] == "Turkey, Azerbaijan hold 1st joint media platform meeting"
    assert (row["agency"], row["dateline_city"], row["dateline_country"]) == ("Anadolu Agency", "Ankara", "TR")
    assert pd.isna(row["published_at"]) and pd.isna(row["published_date"])
    assert row["date_precision"] == "unknown"
    paragraphs = body_paragraphs(batch, row, "paragraph")
    assert len(paragraphs) == 21
    assert body_paragraphs(batch, row, "subheading") == [
        "‘Strong perspective, dynamic structure’",
        "Benefitting from Turkey’s experience",
        "Liberation of Karabakh",
    ]
    assert paragraphs[-1].endswith("comprehensive resolution.")
    assert "You may also like" not in row["body"]


def test_paragraph_offsets_point_into_the_body(batch):
    bodies = dict(zip(batch.articles["article_id"], batch.articles["body"], strict=True))
    for p in batch.paragraphs.itertuples():
        assert bodies[p.article_id][p.char_start : p.char_end] == p.text


def snapshot(batch):
    result = {}
    for _, row in batch.articles.sort_values(["source_uri", "headline"]).iterrows():
        fields = {k: (None if pd.isna(v) else str(v)) for k, v in row.drop([*RUN_COLUMNS, "body"]).items()}
        fields["paragraphs"] = [
            [p.kind, p.text] for p in batch.paragraphs[batch.paragraphs["article_id"] == row["article_id"]].itertuples()
        ]
        result[f"{row['source_uri']} {row['headline']}"] = fields
    return result


def test_matches_golden_snapshot(batch, update_golden):
    current = snapshot(batch)
    if update_golden:
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert current == json.loads(GOLDEN.read_text(encoding="utf-8"))
