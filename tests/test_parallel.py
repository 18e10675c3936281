"""Parallel batches: the same rows whatever the worker count, batch size or executor (local pool or Dask)."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from flows.etl import etl
from media_etl.parallel import Interval, covered_seconds, in_order
from media_etl.store.warehouse import Warehouse
from tests.conftest import SEEDS

# Columns that name the run or the moment of loading rather than the data.
RUN_COLUMNS = {"run_id", "loaded_at", "seen_at", "quarantined_at", "first_seen_at", "first_run_id"}
COMPARED = ("articles", "paragraphs", "article_sources", "mentions", "quotes", "themes", "story_clusters")


def make_inputs(folder: Path, copies: int = 12) -> Path:
    """Seeds plus numbered variants of the first seed, so there are many distinct articles to spread."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS.iterdir()):
        shutil.copy(path, folder / path.name)
    base = (SEEDS / "000_a24507a823bb7c72.txt").read_text(encoding="utf-8")
    headline, rest = base.split("\n", 1)
    for number in range(copies):
        variant = f"{headline} (part {number})\n{rest}\nThe forum's session {number} closed in the evening.\n"
        (folder / f"variant_{number:03d}.txt").write_text(variant, encoding="utf-8")
    return folder


def table_rows(warehouse: Path, table: str) -> Counter[str]:
    """Every row of a table as a hash of its data columns, counted."""
    store = Warehouse(warehouse)  # the current generations: a run may have compacted some partitions
    files = [path for partition in store.partitions(table) for path in store.parts(partition)]
    frame = ds.dataset(files, format="parquet").to_table().to_pandas()
    columns = sorted(c for c in frame.columns if c not in RUN_COLUMNS)
    return Counter(
        hashlib.sha256(repr(tuple(row)).encode()).hexdigest()
        for row in frame[columns].itertuples(index=False, name=None)
    )


def assert_same_rows(left: Path, right: Path) -> None:
    for table in COMPARED:
        assert table_rows(left, table) == table_rows(right, table), table


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_inputs(tmp_path_factory.mktemp("parallel") / "inputs")


@pytest.fixture(scope="module")
def single(prefect_harness: None, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("single") / "warehouse"
    run = etl(inputs=[str(inputs)], warehouse=str(warehouse), workers=1, batch_size=50, fetch_feeds=False)
    assert run["articles_loaded"] > 20
    assert run["workers"] == 1
    return warehouse


@pytest.mark.slow  # a process pool and batches of 3: about 13 s
def test_two_worker_processes_and_small_batches_write_the_same_rows(single: Path, inputs: Path, tmp_path: Path):
    warehouse = tmp_path / "warehouse"
    run = etl(inputs=[str(inputs)], warehouse=str(warehouse), workers=2, batch_size=3, fetch_feeds=False)
    assert run["workers"] == 2
    assert run["stage_seconds"] > 0
    assert len(list((warehouse / "parquet" / "articles").rglob("*.parquet"))) > 2  # many batches were loaded
    assert_same_rows(single, warehouse)


@pytest.mark.slow  # a local Dask cluster of two worker processes: about 22 s
def test_the_flow_runs_on_a_dask_cluster_with_the_same_output(
    single: Path, inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from distributed import LocalCluster
    from prefect.settings import PREFECT_API_URL

    # Dask's worker processes report their task runs to the same Prefect API as the flow.
    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))
    warehouse = tmp_path / "warehouse"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        run = etl(
            inputs=[str(inputs)],
            warehouse=str(warehouse),
            batch_size=4,
            dask_address=cluster.scheduler_address,
            fetch_feeds=False,
        )
    assert run["status"] == "completed"
    assert_same_rows(single, warehouse)


def test_in_order_keeps_submission_order_and_bounds_the_work_in_flight():
    started: list[int] = []
    in_flight: list[int] = []

    class Done:
        def __init__(self, value: int) -> None:
            self.value = value

        def result(self) -> int:
            in_flight.append(len(started) - self.value)
            return self.value

    def submit(batch: list[int]) -> Done:
        started.append(batch[0])
        return Done(batch[0])

    results = list(in_order(submit, ([n] for n in range(10)), window=3))  # type: ignore[arg-type]
    assert results == list(range(10))
    assert max(in_flight) <= 3


def test_covered_seconds_is_the_length_of_the_union():
    spans = [Interval(0, 2), Interval(1, 3), Interval(5, 6), Interval(5.5, 5.7), Interval(10, 10)]
    assert covered_seconds(spans) == pytest.approx(4.0)
    assert covered_seconds([]) == 0


def test_a_file_url_warehouse_holds_the_same_rows(single: Path, inputs: Path, tmp_path: Path):
    warehouse = tmp_path / "by-url"
    run = etl(inputs=[str(inputs)], warehouse=warehouse.as_uri(), workers=1, batch_size=50, fetch_feeds=False)
    assert run["status"] == "completed"
    assert (warehouse / "media.db").is_file()
    assert_same_rows(single, warehouse)
