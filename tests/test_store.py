import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as arrow
import pytest

from media_etl.load import load_batch, prepare_warehouse
from media_etl.pipeline import process_files
from media_etl.store import writer as writer_module
from media_etl.store.database import build_database, table_source
from media_etl.store.keys import KeyIndex, first_occurrences, key_hashes
from media_etl.store.parquet import arrow_schema, read_columns, stored_keys
from media_etl.store.partitions import article_months, month_code, month_name
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TABLES
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def seed_batch(registry):
    files = [str(SEEDS / "000_a24507a823bb7c72.txt"), str(SEEDS / "002_3a0b39f4f30f4f20.txt")]
    return process_files(files, registry, run_id="r1", loaded_at=LOADED_AT)


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_arrow_schema_follows_the_model():
    schema = arrow_schema(TABLES["articles"].model)
    assert schema.names == list(TABLES["articles"].model.to_schema().columns)
    assert schema.field("published_at").type == arrow.timestamp("us", tz="UTC")
    assert schema.field("published_date").type == arrow.date32()
    assert schema.field("word_count").type == arrow.int64()
    assert not schema.field("headline").nullable and schema.field("byline").nullable


def test_append_is_idempotent_and_atomic(tmp_path, registry):
    batch = seed_batch(registry)
    prepare_warehouse(tmp_path)
    spec = TABLES["articles"]
    assert WarehouseWriter(tmp_path).append(spec, batch.articles, "first") == 2
    assert WarehouseWriter(tmp_path).append(spec, batch.articles, "second") == 0
    # Trend's 2025-11-27 story in its month; Anadolu's undated one beside the empty part.
    assert files_under(tmp_path / "parquet" / "articles") == [
        "published_month=2025-11/g-000000/part-first.parquet",
        "published_month=unknown/g-000000/part-00000000-empty.parquet",
        "published_month=unknown/g-000000/part-first.parquet",
    ]
    assert files_under(tmp_path / "parquet" / "runs") == ["g-000000/part-00000000-empty.parquet"]
    assert len(stored_keys(tmp_path, spec)) == 2
    months = read_columns(tmp_path, spec, ["article_id", "published_month"])
    assert sorted(months["published_month"]) == ["2025-11", "unknown"]


def test_hex_ids_are_exact_and_other_keys_hash_consistently():
    ids = ["00000000000000ff", "ffffffffffffffff", "0123456789abcdef"]
    table = arrow.table({"article_id": ids, "n": [1, 2, 1]})
    assert key_hashes(table, ("article_id",)).tolist() == [int(i, 16) for i in ids]
    # Read from the Arrow buffers: sliced arrays, several chunks and large strings too.
    assert key_hashes(table.slice(1), ("article_id",)).tolist() == [int(i, 16) for i in ids[1:]]
    chunked = arrow.table({"article_id": arrow.chunked_array([ids[:1], ids[1:]], arrow.large_string())})
    assert key_hashes(chunked, ("article_id",)).tolist() == [int(i, 16) for i in ids]
    # Not hex (or not 16 digits): hashed, still equal for equal values.
    text = arrow.table({"path": ["a", "b", "a"], "size": [1, 2, 1]})
    hashes = key_hashes(text, ("path", "size"))
    assert hashes[0] == hashes[2] != hashes[1]
    assert first_occurrences(hashes).tolist() == [True, True, False]
    # A batch built from pandas and the same rows read back from Parquet give the same numbers.
    frame = pd.DataFrame({"path": ["a", "b"], "size": [1, 2]})
    assert (key_hashes(arrow.Table.from_pandas(frame), ("path", "size")) == hashes[:2]).all()


def test_key_index_adds_merges_and_keeps_values():
    index = KeyIndex(np.array([5, 3, 3], dtype=np.uint64), np.array([1, 2, 9], dtype=np.uint16))
    assert len(index) == 2
    assert index.contains(np.array([3, 4, 5], dtype=np.uint64)).tolist() == [True, False, True]
    assert index.values(np.array([3, 5, 4], dtype=np.uint64)).tolist() == [2, 1, 0]
    many = np.arange(10, 200_010, dtype=np.uint64)
    index.add(many, np.full(len(many), 7, dtype=np.uint16))
    index.add(np.array([3], dtype=np.uint64), np.array([8], dtype=np.uint16))  # present: keeps its value
    assert len(index) == 200_002
    assert index.values(np.array([3, 10, 200_009], dtype=np.uint64)).tolist() == [2, 7, 7]
    keys_only = KeyIndex(np.arange(1_000_000, dtype=np.uint64))
    assert keys_only.nbytes <= 8_000_000 + 1024  # eight bytes a key
    with pytest.raises(TypeError):
        keys_only.values(np.array([1], dtype=np.uint64))


def test_months_pack_into_sixteen_bits():
    assert month_name(month_code("2025-11")) == "2025-11"
    assert month_name(month_code("0001-01")) == "0001-01" and month_code("unknown") == 0
    frame = pd.DataFrame({"article_id": ["a", "b"], "published_date": [date(2024, 3, 12), None]})
    assert article_months(frame) == {"a": "2024-03", "b": "unknown"}


def test_writer_reads_stored_keys_once_per_run(tmp_path, registry, monkeypatch):
    batch = seed_batch(registry)
    prepare_warehouse(tmp_path)
    load_batch(tmp_path, batch, run_id="r0", loaded_at=LOADED_AT, part="first")
    scans: list[str] = []
    real_scan = Warehouse.scan

    def counting_scan(self, spec, *args, **kwargs):
        scans.append(spec.name)
        return real_scan(self, spec, *args, **kwargs)

    monkeypatch.setattr(Warehouse, "scan", counting_scan)
    writer = WarehouseWriter(tmp_path)
    for number in range(5):
        counts = load_batch(writer, batch, run_id="r1", loaded_at=LOADED_AT, part=f"again-{number}")
        assert (counts.articles_loaded, counts.paragraphs_loaded, counts.sources_loaded) == (0, 0, 0)
    assert sorted(scans) == sorted(set(scans))  # each table's keys read once, not once a batch
    assert {"articles", "paragraphs", "article_sources", "ingest_ledger"} <= set(scans)


def test_per_article_tables_dedupe_by_article(tmp_path, registry):
    batch = seed_batch(registry)
    prepare_warehouse(tmp_path)
    writer = WarehouseWriter(tmp_path)
    spec = TABLES["paragraphs"]
    assert writer_module.dedupe_key(spec) == ("article_id",)
    assert writer_module.dedupe_key(TABLES["article_sources"]) == TABLES["article_sources"].key
    months = writer.article_months(batch.articles)
    first = batch.paragraphs[batch.paragraphs["seq"] < 2]
    assert writer.append(spec, first, "p1", months=months) == 4
    # Both articles have rows now: their other paragraphs count as stored (a batch writes an article whole).
    assert writer.append(spec, batch.paragraphs, "p2", months=months) == 0
    assert len(writer.index(spec)) == 2  # one number per article, not per paragraph


def test_a_copy_seen_again_with_another_date_keeps_its_articles_month(tmp_path, registry):
    batch = seed_batch(registry)
    prepare_warehouse(tmp_path)
    load_batch(tmp_path, batch, run_id="r1", loaded_at=LOADED_AT, part="first")
    again = seed_batch(registry)
    again.articles = again.articles.assign(published_date=date(2026, 2, 1))
    again.sources = again.sources.assign(source_uri=again.sources["source_uri"] + ".copy")
    counts = load_batch(WarehouseWriter(tmp_path), again, run_id="r2", loaded_at=LOADED_AT, part="second")
    assert (counts.articles_loaded, counts.sources_loaded) == (0, 2)
    sources = read_columns(tmp_path, TABLES["article_sources"], ["article_id", "published_month"])
    articles = read_columns(tmp_path, TABLES["articles"], ["article_id", "published_month"])
    assert sorted(set(map(tuple, sources.values.tolist()))) == sorted(map(tuple, articles.values.tolist()))


def test_views_name_the_parts_by_absolute_path_and_answer_from_any_directory(tmp_path, registry, monkeypatch):
    warehouse = tmp_path / "wh"
    prepare_warehouse(warehouse)
    WarehouseWriter(warehouse).append(TABLES["articles"], seed_batch(registry).articles, "p")
    monkeypatch.chdir(tmp_path)
    database = build_database(Path("wh"), VIEWS)  # a relative warehouse, as `make run` gives it
    assert f"'{warehouse.resolve()}/parquet/articles/" in table_source(Warehouse.open(warehouse), "articles")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with duckdb.connect(str(database.resolve()), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (2,)
        assert con.execute("select warehouse from build_info").fetchone() == (str(warehouse.resolve()),)


def test_database_has_a_view_per_table_and_every_report(tmp_path, registry):
    prepare_warehouse(tmp_path)
    database = build_database(tmp_path, VIEWS)
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
    WarehouseWriter(tmp_path).append(TABLES["articles"], batch.articles, "p")
    database = build_database(tmp_path, VIEWS)
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            "select outlet, cast(day as varchar), articles, countries from rpt_coverage_by_outlet_day"
        ).fetchall()
    assert rows == [("Trend", "2025-11-27", 1, "AZ"), ("Anadolu Agency", None, 1, "TR")]


def test_a_view_may_read_one_that_sorts_after_it_and_a_missing_one_is_named(tmp_path):
    views = tmp_path / "views"
    shutil.copytree(VIEWS, views)
    (views / "stg_aaa.sql").write_text("select article_id from stg_zzz\n", encoding="utf-8")
    (views / "stg_zzz.sql").write_text("select article_id from articles\n", encoding="utf-8")
    prepare_warehouse(tmp_path / "wh")
    with duckdb.connect(str(build_database(tmp_path / "wh", views)), read_only=True) as con:
        assert con.execute("select count(*) from stg_aaa").fetchone() == (0,)
    (views / "rpt_broken.sql").write_text("select * from no_such_view\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rpt_broken\.sql"):
        build_database(tmp_path / "wh", views)
