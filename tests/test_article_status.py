"""The article_status table: is_superseded is computed once per run and looked up by the views.

Built with the ETL flow from two seeds, one of which is then edited: the edited file's old
version is superseded by its new one. The views must read the status from the table (no
window over article_sources at query time), a run killed after writing its parts but before
the status must be repaired by the next run, and a warehouse loaded before the table
existed must get its status when media.db is built.
"""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.etl import etl
from media_etl.store.database import build_database
from media_etl.store.status import ARTICLE_STATUS, CURRENT_PART
from media_etl.store.warehouse import Warehouse
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"
EDITED = "002_3a0b39f4f30f4f20.txt"
APPENDED = "The meeting ended in the evening."
# The window the article_versions view ran on every query before article_status existed.
WINDOW_STATUS = """
with links as (
    select source_uri, item_key, article_id, min(seen_at) as first_seen
    from article_sources_all_versions group by all
),
ordered as (
    select article_id,
        lead(article_id) over (partition by source_uri, item_key order by first_seen, article_id) as next_version
    from links
)
select article_id, bool_and(next_version is not null),
    case when bool_and(next_version is not null) then min(next_version) end
from ordered group by article_id order by article_id
"""
VERSIONS = "select article_id, is_superseded, superseded_by from article_versions order by article_id"


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        return con.execute(sql).fetchall()


def windows(node: dict) -> Iterator[str]:
    """The projections of every WINDOW operator in a JSON query plan."""
    if node.get("name") == "WINDOW" or node.get("operator_type") == "WINDOW":
        yield str(node.get("extra_info", {}).get("Projections", ""))
    for child in node.get("children", []):
        yield from windows(child)


def status_file(warehouse: Path) -> Path:
    store = Warehouse(warehouse)
    (current,) = [p for p in store.parts(store.partition(ARTICLE_STATUS)) if p.endswith(CURRENT_PART)]
    return Path(current)


def run(inputs: Path, warehouse: Path) -> None:
    result = etl(inputs=[str(inputs)], warehouse=str(warehouse), fetch_feeds=False, enrich=False)
    assert result["status"] == "completed"


@pytest.fixture(scope="module")
def edited(prefect_harness, tmp_path_factory):
    """A warehouse of two seeds loaded twice, one edited in between; and the status file of the first load."""
    inputs = tmp_path_factory.mktemp("status_inputs")
    target = tmp_path_factory.mktemp("status_warehouse")
    for name in ("000_a24507a823bb7c72.txt", EDITED):
        shutil.copy(SEEDS / name, inputs / name)
    run(inputs, target)
    first_status = tmp_path_factory.mktemp("status_first") / CURRENT_PART
    shutil.copy(status_file(target), first_status)
    text = (inputs / EDITED).read_text(encoding="utf-8")
    assert "\n\nYou may also like" in text  # the parser drops what follows: add the paragraph before it
    (inputs / EDITED).write_text(text.replace("\n\nYou may also like", f"\n\n{APPENDED}\n\nYou may also like"))
    run(inputs, target)
    return inputs, target, first_status


def test_the_table_holds_what_the_window_computes(edited):
    _, warehouse, _ = edited
    versions = query(warehouse, VERSIONS)
    assert len(versions) == 3
    assert sum(superseded for _, superseded, _ in versions) == 1
    assert versions == query(warehouse, WINDOW_STATUS)
    assert query(warehouse, "select count(*) from articles") == [(2,)]
    assert query(warehouse, f"select count(*) from {ARTICLE_STATUS} where is_superseded") == [(1,)]


@pytest.mark.parametrize(
    "sql",
    ["select count(*) from quotes", "select count(*) from articles", "select * from article_versions"]
    + [f"select * from {f.stem}" for f in sorted(VIEWS.glob("rpt_*.sql"))],
)
def test_no_window_over_the_sources_runs_at_query_time(edited, sql):
    _, warehouse, _ = edited
    ((_, plan),) = query(warehouse, f"explain (format json) {sql}")
    projections = [p for root in json.loads(plan) for p in windows(root)]
    # Some reports rank or average with windows of their own; none orders the versions of a source.
    assert not [p for p in projections if "source_uri" in p], projections


def test_the_next_run_repairs_the_status_a_killed_run_left(edited):
    inputs, warehouse, first_status = edited
    repaired = query(warehouse, VERSIONS)
    # A run killed after writing the edited file's parts, before its status refresh: the
    # status on disk is the one of the first load.
    shutil.copy(first_status, status_file(warehouse))
    stale = query(warehouse, VERSIONS)
    assert [superseded for _, superseded, _ in stale] == [False, False, False]  # the new version has no row yet
    assert query(warehouse, "select count(*) from articles") == [(3,)]
    run(inputs, warehouse)  # reads nothing new
    assert query(warehouse, VERSIONS) == repaired
    assert query(warehouse, "select count(*) from articles") == [(2,)]


def test_an_unchanged_status_is_not_written_again(edited):
    inputs, warehouse, _ = edited
    before = status_file(warehouse).stat()
    run(inputs, warehouse)
    after = status_file(warehouse).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_warehouse_loaded_before_the_table_gets_its_status_with_media_db(edited, tmp_path):
    _, warehouse, _ = edited
    copy = tmp_path / "older"
    shutil.copytree(warehouse / "parquet", copy / "parquet")
    status_file(copy).unlink()  # what a warehouse loaded before article_status existed holds
    build_database(copy, VIEWS)
    assert query(copy, VERSIONS) == query(warehouse, VERSIONS)
    assert query(copy, "select count(*) from articles") == [(2,)]
