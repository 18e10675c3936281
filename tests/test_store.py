from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as arrow

from media_etl.load import prepare_warehouse
from media_etl.pipeline import process_files
from media_etl.store.database import build_database, view_path
from media_etl.store.parquet import append_rows, arrow_schema, new_rows, stored_keys, table_dir
from schemas import TABLES
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"


def seed_batch(registry):
    files = [str(SEEDS / "000_a24507a823bb7c72.txt"), str(SEEDS / "002_3a0b39f4f30f4f20.txt")]
    return process_files(files, registry, run_id="r1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))


def test_arrow_schema_follows_the_model():
    schema = arrow_schema(TABLES["articles"].model)
    assert schema.names == list(TABLES["articles"].model.to_schema().columns)
    assert schema.field("published_at").type == arrow.timestamp("us", tz="UTC")
    assert schema.field("published_date").type == arrow.date32()
    assert schema.field("word_count").type == arrow.int64()
    assert not schema.field("headline").nullable and schema.field("byline").nullable


def test_new_rows_skips_stored_and_repeated_keys():
    df = pd.DataFrame({"a": ["x", "y", "y", "z"], "b": [1, 2, 2, 3]})
    stored = pd.DataFrame({"a": ["x"], "b": [1]})
    assert new_rows(df, stored, ("a", "b")).values.tolist() == [["y", 2], ["z", 3]]


def test_append_is_idempotent_and_atomic(tmp_path, registry):
    batch = seed_batch(registry)
    prepare_warehouse(tmp_path)
    spec = TABLES["articles"]
    assert append_rows(tmp_path, spec, batch.articles, "first") == 2
    assert append_rows(tmp_path, spec, batch.articles, "second") == 0
    folder = table_dir(tmp_path, "articles")
    assert sorted(p.name for p in folder.iterdir()) == ["part-00000000-empty.parquet", "part-first.parquet"]
    assert len(stored_keys(tmp_path, spec)) == 2


def test_view_paths_are_relative_inside_cwd_and_absolute_outside(tmp_path):
    inside = tmp_path / "repo" / "warehouse" / "parquet" / "articles"
    assert view_path(inside, tmp_path / "repo") == "warehouse/parquet/articles/part-*.parquet"
    assert view_path(inside, tmp_path / "elsewhere") == f"{inside}/part-*.parquet"


def test_database_has_a_view_per_table_and_every_report(tmp_path, registry):
    prepare_warehouse(tmp_path)
    database = build_database(tmp_path, VIEWS, Path.cwd())
    with duckdb.connect(str(database), read_only=True) as con:
        views = {row[0] for row in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
        assert set(TABLES) <= views
        assert {p.stem for p in VIEWS.glob("rpt_*.sql")} <= views
        for view in views:
            con.execute(f"select * from {view}").fetchall()  # every view binds on an empty warehouse
    assert not (tmp_path / ".media.db.building").exists()


def test_coverage_view_counts_by_outlet_and_day(tmp_path, registry):
    batch = seed_batch(registry)
    prepare_warehouse(tmp_path)
    append_rows(tmp_path, TABLES["articles"], batch.articles, "p")
    database = build_database(tmp_path, VIEWS, Path.cwd())
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select outlet, cast(day as varchar), articles, countries from rpt_coverage_by_outlet_day"
        ).fetchall()
    assert rows == [("Trend", "2025-11-27", 1, "AZ"), ("Anadolu Agency", None, 1, "TR")]
