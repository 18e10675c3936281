"""Partitioning by publication month: the folders, the column the views expose, and file pruning."""

import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from media_etl.load import load_batch, prepare_warehouse
from media_etl.pipeline import process_files
from media_etl.store.database import build_database
from media_etl.store.partitions import PARTITION_COLUMN, PARTITIONED_TABLES
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TABLES
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)
SCANNING = re.compile(r"Scanning Files: (\d+)/(\d+)")


@pytest.fixture(scope="module")
def warehouse(registry, tmp_path_factory) -> Path:
    """The seeds and samples (15 articles of 8 months, two undated), one file per batch: many small parts."""
    target = tmp_path_factory.mktemp("partitioned")
    prepare_warehouse(target)
    writer = WarehouseWriter(target)
    for number, seed in enumerate(sorted(p for p in SEEDS.iterdir() if p.is_file())):
        batch = process_files([str(seed)], registry, run_id="r1", loaded_at=LOADED_AT)
        load_batch(writer, batch, run_id="r1", loaded_at=LOADED_AT, part=f"r1-{number:05d}")
    build_database(target, VIEWS)
    return target


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        return con.execute(sql).fetchall()


def explain_analyze(warehouse: Path, sql: str) -> str:
    return "\n".join(row[1] for row in query(warehouse, f"explain analyze {sql}"))


def test_big_tables_are_in_month_folders_and_small_ones_are_not(warehouse):
    store = Warehouse(warehouse)
    months = [p.value for p in store.partitions("articles")]
    assert months == ["2024-03", "2024-08", "2025-03", "2025-04", "2025-06", "2025-10", "2025-11", "2025-12", "unknown"]
    for table in PARTITIONED_TABLES:
        assert all(p.value for p in store.partitions(table)), table
        assert PARTITION_COLUMN in [c for c, *_ in query(warehouse, f"describe {table}")], table
    for table in set(TABLES) - PARTITIONED_TABLES:
        assert [p.value for p in store.partitions(table)] == [None], table
        assert PARTITION_COLUMN not in [c for c, *_ in query(warehouse, f"describe {table}")], table


def test_the_month_is_the_printed_dates_and_every_row_shares_its_articles(warehouse):
    assert query(
        warehouse,
        f"select count(*) from articles where {PARTITION_COLUMN}"
        " is distinct from coalesce(strftime(published_date, '%Y-%m'), 'unknown')",
    ) == [(0,)]
    assert query(warehouse, "select count(*) from articles where published_month = 'unknown'") == [(2,)]
    for table in sorted(PARTITIONED_TABLES - {"articles"}):
        mismatched = query(
            warehouse,
            f"select count(*) from {table} t join articles a using (article_id)"
            " where t.published_month <> a.published_month",
        )
        orphans = query(
            warehouse, f"select count(*) from {table} where article_id not in (select article_id from articles)"
        )
        assert (mismatched, orphans) == ([(0,)], [(0,)]), table


def test_a_month_bounded_query_reads_only_that_months_files(warehouse):
    store = Warehouse(warehouse)
    files = {p.value: len(store.parts(p)) for p in store.partitions("articles")}
    wanted = files["2025-11"] + files["2025-12"]
    sql = "select count(*) from articles where published_month between '2025-11' and '2025-12'"
    assert query(warehouse, sql) == [(4,)]
    plan = explain_analyze(warehouse, sql)
    # Only the articles scan has a filter on the month; is_superseded is looked up in article_status.
    assert [tuple(map(int, m)) for m in SCANNING.findall(plan)] == [(wanted, sum(files.values()))]
    assert wanted < sum(files.values())
    assert "File Filters" in plan and "published_month" in plan


def test_reports_work_on_the_partitioned_warehouse(warehouse):
    assert query(warehouse, "select sum(articles) from rpt_coverage_by_outlet_day") == [(15,)]
    for sql_file in sorted(VIEWS.glob("*.sql")):
        query(warehouse, f"select * from {sql_file.stem}")
