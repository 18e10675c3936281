"""The synthetic warehouse generator at 500 articles: valid tables, unique keys, the planted data, views that answer."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from benchmarks.synthetic_warehouse import (
    DUP_OFFSET,
    DUP_PERIOD,
    VERSION_PERIOD,
    generate,
    measure_synthetic,
    time_views,
    timed_views,
)
from media_etl.store.database import build_database
from media_etl.store.partitions import PARTITION_COLUMN, is_partitioned
from media_etl.store.warehouse import Warehouse
from schemas import TABLES

N = 500
GENERATED = (
    "articles",
    "article_sources",
    "paragraphs",
    "mentions",
    "quotes",
    "themes",
    "dates_mentioned",
    "article_signatures",
    "story_clusters",
    "runs",
    "quarantine",
    "ingest_ledger",
    "article_status",
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    # Two chunks, so that reprints and new versions whose original lies in the other chunk are covered.
    return generate(tmp_path_factory.mktemp("synthetic") / "w", N, seed=3, chunk_size=250, log=lambda _: None)


@pytest.fixture(scope="module")
def tables(warehouse: Warehouse) -> dict[str, pd.DataFrame]:
    frames = {}
    for name in GENERATED:
        spec = TABLES[name]
        columns = spec.columns + ([PARTITION_COLUMN] if is_partitioned(name) else [])
        frames[name] = warehouse.read_columns(spec, columns)
    return frames


@pytest.mark.parametrize("name", GENERATED)
def test_every_table_validates_against_its_model_with_unique_keys(tables: dict[str, pd.DataFrame], name: str) -> None:
    spec = TABLES[name]
    frame = tables[name]
    assert len(frame) > 0, name
    spec.model.validate(frame[spec.columns], lazy=True)
    assert not frame.duplicated(subset=list(spec.key)).any(), f"{name}: duplicate {spec.key}"


def test_rows_sit_in_their_articles_month(tables: dict[str, pd.DataFrame]) -> None:
    articles = tables["articles"]
    assert len(articles) == N
    expected = articles["published_date"].map(lambda d: "unknown" if pd.isna(d) else f"{d:%Y-%m}")
    assert (articles[PARTITION_COLUMN] == expected).all()
    month = dict(zip(articles["article_id"], articles[PARTITION_COLUMN], strict=True))
    for name in ("paragraphs", "mentions", "quotes", "themes", "dates_mentioned", "article_signatures"):
        rows = tables[name]
        assert (rows["article_id"].map(month) == rows[PARTITION_COLUMN]).all(), name
        assert set(rows["article_id"]) <= set(month), name


def test_paragraphs_rebuild_the_body_at_their_offsets(tables: dict[str, pd.DataFrame]) -> None:
    bodies = tables["articles"].set_index("article_id")["body"]
    paragraphs = tables["paragraphs"].sort_values(["article_id", "seq"])
    for article_id, group in paragraphs.groupby("article_id"):
        body = bodies[article_id]
        assert "\n\n".join(group["text"]) == body
        for text, start, end in zip(group["text"], group["char_start"], group["char_end"], strict=True):
            assert body[start:end] == text
    counts = paragraphs.groupby("article_id").size()
    declared = tables["articles"].set_index("article_id")["paragraph_count"]
    assert declared.sort_index().tolist() == counts.sort_index().tolist()
    for name in ("mentions", "quotes", "themes", "dates_mentioned"):
        rows = tables[name].merge(tables["articles"][["article_id", "body"]], on="article_id")
        assert (rows["char_end"] <= rows["body"].str.len()).all(), name


def test_planted_versions_and_reprints_show_in_the_views(warehouse: Warehouse) -> None:
    database = build_database(warehouse.local_root or Path(warehouse.root))
    new_versions = len(range(VERSION_PERIOD - 1, N, VERSION_PERIOD))
    reprints = len(range(DUP_PERIOD + DUP_OFFSET, N, DUP_PERIOD))
    with duckdb.connect(str(database), read_only=True) as con:
        superseded = con.execute("select count(*) from article_versions where is_superseded").fetchone()
        current = con.execute("select count(*) from articles").fetchone()
        clustered = con.execute("select count(*) from story_clusters where not is_first").fetchone()
    assert superseded == (new_versions,)
    assert current == (N - new_versions,)
    assert clustered == (reprints,)


def test_every_timed_view_answers_and_the_clusters_match_the_planted_ones(warehouse: Warehouse) -> None:
    root = warehouse.local_root or Path(warehouse.root)
    database = build_database(root)
    timings = time_views(database, repeats=1)
    with duckdb.connect(str(database), read_only=True) as con:
        names = timed_views(con)
        planted = set(con.execute("select article_id, first_article_id from story_clusters").fetchall())
    assert [t.view for t in timings] == names
    assert {"articles", "quotes", "mentions", "entities", "rpt_reprints", "rpt_top_people"} <= set(names)
    assert all(t.rows > 0 for t in timings), [(t.view, t.rows) for t in timings]
    assert all(t.count_s > 0 and t.fetch_s > 0 for t in timings)
    # The story clustering of the ETL finds exactly the planted stories in the stored signatures.
    from media_etl.load import refresh_story_clusters

    refresh_story_clusters(root)
    with duckdb.connect(str(build_database(root)), read_only=True) as con:
        found = set(con.execute("select article_id, first_article_id from story_clusters").fetchall())
    assert found == planted


@pytest.mark.slow  # times every view and reclusters in a child process: several seconds
def test_reuse_times_the_warehouse_generated_before_without_writing_it_again(tmp_path: Path) -> None:
    generate(tmp_path / "warehouse-n300-seed3", 300, seed=3, log=lambda _: None)
    kept = tmp_path / "warehouse-n300-seed3" / "parquet" / "kept-by-reuse.txt"
    kept.write_text("a warehouse generated again would not have this file", encoding="utf-8")
    lines: list[str] = []
    figures = measure_synthetic(300, tmp_path, seed=3, log=lines.append, reuse=True)
    assert kept.exists()
    assert not [line for line in lines if "articles written" in line]
    assert figures.cluster.clustered > 0 and {t.view for t in figures.views} >= {"rpt_top_people", "entities"}
