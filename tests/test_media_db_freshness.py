"""A no-op run keeps media.db and article_status as they are; a change, or a killed build, rebuilds them."""

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from flows.etl import etl
from media_etl.load import refresh_article_status
from media_etl.store.database import DATABASE_NAME, build_database
from media_etl.store.freshness import (
    DATABASE_STAMP,
    database_is_current,
    refresh_database,
    status_is_current,
    status_stamp_path,
)
from media_etl.store.warehouse import Warehouse
from tests.conftest import REPO_ROOT, SEEDS

NEW_MONTH_ARTICLE = """date 2019-03-04 Regional agencies sign newsroom exchange deal

BAKU, Azerbaijan, March 4. News agencies of the region agreed to exchange reporters for six months, Trend reports.

The first exchange starts in April.
"""


def identity(path: Path) -> tuple[int, int, int]:
    stat = path.stat()
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / DATABASE_NAME), read_only=True) as con:
        return con.execute(sql).fetchall()


def status_part(warehouse: Path) -> Path:
    return warehouse / "parquet" / "article_status" / "g-000000" / "part-current.parquet"


@pytest.fixture(scope="module")
def loaded(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    inputs = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, inputs / seed.name)
    warehouse = tmp_path_factory.mktemp("warehouse")
    run = etl(inputs=[str(inputs)], warehouse=str(warehouse), workers=1, fetch_feeds=False, enrich=False)
    assert run["status"] == "completed" and run["articles_loaded"] > 0
    return inputs, warehouse


def run_again(inputs: Path, warehouse: Path) -> dict[str, object]:
    return etl(inputs=[str(inputs)], warehouse=str(warehouse), workers=1, fetch_feeds=False, enrich=False)


def test_reruns_with_nothing_changed_leave_media_db_and_article_status_untouched(loaded):
    inputs, warehouse = loaded
    articles = query(warehouse, "select article_id, headline from articles order by article_id")
    database, status = identity(warehouse / DATABASE_NAME), identity(status_part(warehouse))
    for _ in range(2):  # the second no-op run sees the first one's runs row: still no rebuild
        again = run_again(inputs, warehouse)
        assert (again["files_read"], again["articles_loaded"]) == (0, 0)
        assert identity(warehouse / DATABASE_NAME) == database
        assert identity(status_part(warehouse)) == status
    # Still correct: the same articles, and the runs rows appended after the build show through the view.
    assert query(warehouse, "select article_id, headline from articles order by article_id") == articles
    run_ids = {row[0] for row in query(warehouse, "select run_id from runs")}
    assert again["run_id"] in run_ids and len(run_ids) >= 3


def test_a_run_that_adds_a_partition_rebuilds_media_db_and_recomputes_article_status(loaded):
    inputs, warehouse = loaded
    database, stamp = identity(warehouse / DATABASE_NAME), (warehouse / DATABASE_STAMP).read_bytes()
    status_stamp = status_stamp_path(Warehouse(warehouse))
    assert status_stamp is not None
    computed_from = status_stamp.read_bytes()
    (inputs / "zz_new_month.txt").write_text(NEW_MONTH_ARTICLE, encoding="utf-8")
    added = run_again(inputs, warehouse)
    assert (added["files_read"], added["articles_loaded"]) == (1, 1)
    assert (warehouse / "parquet" / "articles" / "published_month=2019-03").is_dir()
    assert identity(warehouse / DATABASE_NAME) != database
    assert (warehouse / DATABASE_STAMP).read_bytes() != stamp
    assert status_stamp.read_bytes() != computed_from  # article_sources changed: the status was recomputed
    assert query(warehouse, "select count(*) from articles where published_month = '2019-03'") == [(1,)]
    assert query(warehouse, "select count(*) from article_versions where published_month = '2019-03'") == [(1,)]
    assert database_is_current(warehouse)


def test_a_rebuild_by_another_command_or_an_edited_view_makes_the_stamp_stale(loaded, tmp_path):
    _, warehouse = loaded
    refresh_database(warehouse)
    assert database_is_current(warehouse)
    build_database(warehouse)  # as compact, reprocess and relink do: the stamp names the old file
    assert not database_is_current(warehouse)
    path, rebuilt = refresh_database(warehouse)
    assert rebuilt and path == warehouse / DATABASE_NAME and database_is_current(warehouse)
    views = tmp_path / "views"
    shutil.copytree(REPO_ROOT / "warehouse" / "views", views)
    assert database_is_current(warehouse, views)
    report = views / "rpt_coverage_by_outlet_day.sql"
    report.write_text(report.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert not database_is_current(warehouse, views)


def test_article_status_is_recomputed_when_an_article_sources_part_changes(loaded):
    _, warehouse = loaded
    store = Warehouse(warehouse)
    refresh_article_status(warehouse)
    assert status_is_current(store)
    before = identity(status_part(warehouse))
    refresh_article_status(warehouse)
    assert identity(status_part(warehouse)) == before
    part = next((warehouse / "parquet" / "article_sources").glob("published_month=*/g-000000/part-*.parquet"))
    copy = part.with_name("part-zz-copy.parquet")
    shutil.copy(part, copy)  # the same links again: the status is recomputed (and unchanged)
    try:
        assert not status_is_current(store)
        refresh_article_status(warehouse)
        assert status_is_current(store)
    finally:
        copy.unlink()
    assert not status_is_current(store)


KILLED_BUILD = """
import os, signal, sys
from media_etl.store import freshness
from media_etl.store import database

where = sys.argv[2]
if where == "before-rename":
    real = database.create_views
    def create_views(*args, **kwargs):
        real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    database.create_views = create_views
else:
    freshness.stamp_database = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
freshness.refresh_database(sys.argv[1])
"""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["before-rename", "after-rename"])
def test_a_build_killed_after_a_change_is_redone_by_the_next_run(loaded, tmp_path, where):
    _, original = loaded
    warehouse = tmp_path / "warehouse"
    shutil.copytree(original, warehouse)
    refresh_database(warehouse)  # the copy's own current database and stamp
    assert database_is_current(warehouse)
    before = query(warehouse, "select count(*) from article_versions")[0][0]
    part = next((warehouse / "parquet" / "articles").glob("published_month=*/g-000000/part-*.parquet"))
    new_month = warehouse / "parquet" / "articles" / "published_month=2001-01" / "g-000000"
    new_month.mkdir(parents=True)
    shutil.copy(part, new_month / "part-zz-extra.parquet")  # a new partition: only a rebuild shows it
    added = pq.read_metadata(part).num_rows
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, str(warehouse), where], env=env, cwd=REPO_ROOT, timeout=300, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    assert not database_is_current(warehouse)  # neither the old file nor the new one claims to be current
    _, rebuilt = refresh_database(warehouse)
    assert rebuilt and database_is_current(warehouse)
    assert query(warehouse, "select count(*) from article_versions") == [(before + added,)]
