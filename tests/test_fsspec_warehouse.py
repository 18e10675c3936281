"""Warehouses named by fsspec URLs: file:// gives what a plain folder gives; memory:// stands in for object stores."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import fsspec
import pytest
from typer.testing import CliRunner

from media_etl.cli import app
from media_etl.enrich.stage import Enricher
from media_etl.load import load_batch, prepare_warehouse
from media_etl.pipeline import process_files
from media_etl.store.atomic import is_temporary, publish
from media_etl.store.compact import compact
from media_etl.store.database import build_database
from media_etl.store.partitions import PARTITION_COLUMN, is_partitioned
from media_etl.store.status import ARTICLE_STATUS
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TABLES
from tests.conftest import REPO_ROOT, SEEDS

VIEWS = REPO_ROOT / "warehouse" / "views"
LOADED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def batches(registry):
    enricher = Enricher.from_files(REPO_ROOT / "themes.yaml", None)
    seeds = sorted(str(p) for p in SEEDS.iterdir() if p.is_file())
    return [
        process_files(seeds[i : i + 5], registry, run_id="r1", loaded_at=LOADED_AT, enricher=enricher)
        for i in range(0, len(seeds), 5)
    ]


def load_all(location, batches) -> None:
    prepare_warehouse(location)
    writer = WarehouseWriter(location)
    for number, batch in enumerate(batches):
        load_batch(writer, batch, run_id="r1", loaded_at=LOADED_AT, part=f"r1-{number:05d}")


def contents(location) -> dict[str, list[tuple]]:
    """Every stored row of every table, with its month where the table has one, read through the filesystem."""
    store = Warehouse.open(location)
    result = {}
    for name, spec in TABLES.items():
        columns = list(spec.model.to_schema().columns) + ([PARTITION_COLUMN] if is_partitioned(name) else [])
        frame = store.read_columns(spec, columns)
        result[name] = sorted(map(repr, frame.astype(object).itertuples(index=False)))
    return result


def layout(store: Warehouse) -> list[str]:
    base = store.path("parquet")
    return sorted(p.removeprefix(base) for p in store.fs.find(base))


def database_rows(database: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(database), read_only=True) as con:
        return {name: con.execute(f"select * from {name} order by all").fetchall() for name in TABLES}


@pytest.fixture
def memory_url():
    url = f"memory://media-etl-test-{uuid.uuid4().hex}"
    yield url
    fs, root = fsspec.core.url_to_fs(url)
    if fs.exists(root):
        fs.rm(root, recursive=True)


def test_a_file_url_and_a_plain_folder_hold_identical_tables(batches, tmp_path):
    plain, by_url = tmp_path / "plain", f"file://{tmp_path}/by-url"
    load_all(plain, batches)
    load_all(by_url, batches)
    url_store = Warehouse(by_url)
    assert url_store.is_local and url_store.local_root == tmp_path / "by-url"
    assert contents(by_url) == contents(plain)
    assert layout(url_store) == layout(Warehouse(plain))
    assert len(contents(plain)["mentions"]) > 0
    # media.db works for a URL warehouse and answers as the plain one's does.
    database = build_database(by_url, VIEWS)
    assert database == tmp_path / "by-url" / "media.db"
    assert database_rows(database) == database_rows(build_database(plain, VIEWS))
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute("select sum(articles) from rpt_coverage_by_outlet_day").fetchone() == (15,)


def test_compact_takes_a_file_url(batches, tmp_path):
    by_url = f"file://{tmp_path}/by-url"
    load_all(by_url, batches)
    before = contents(by_url)
    result = CliRunner().invoke(app, ["compact", "-w", by_url], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    after = contents(by_url)
    # These loads ran no status refresh (a run does): building media.db computed the status, nothing else changed.
    assert before.pop(ARTICLE_STATUS) == [] and after.pop(ARTICLE_STATUS)
    assert after == before and (tmp_path / "by-url" / "media.db").is_file()


def test_a_memory_warehouse_loads_dedupes_and_compacts_like_a_folder(batches, tmp_path, memory_url):
    plain = tmp_path / "plain"
    load_all(plain, batches)
    load_all(memory_url, batches)
    store = Warehouse(memory_url)
    assert not store.is_local
    assert contents(memory_url) == contents(plain)
    assert layout(store) == layout(Warehouse(plain))
    # A second writer finds every key stored: nothing is written twice.
    writer = WarehouseWriter(memory_url)
    for batch in batches:
        counts = load_batch(writer, batch, run_id="r2", loaded_at=LOADED_AT, part="again")
        assert (counts.articles_loaded, counts.paragraphs_loaded, counts.sources_loaded) == (0, 0, 0)
    before = contents(memory_url)
    report = compact(memory_url, views_dir=None, grace_seconds=0)
    assert report.compacted and contents(memory_url) == before
    assert not [p for p in store.fs.find(store.root) if is_temporary(p.rsplit("/", 1)[-1])]
    # DuckDB cannot read memory://: media.db is refused with a clear error.
    with pytest.raises(ValueError, match="DuckDB cannot read"):
        build_database(memory_url, VIEWS)


def test_an_object_store_write_appears_whole_or_not_at_all(memory_url):
    fs, root = fsspec.core.url_to_fs(memory_url)
    target = f"{root}/parquet/x/part-1.parquet"
    with pytest.raises(RuntimeError), publish(fs, target) as handle:
        handle.write(b"half")
        raise RuntimeError("the writer died")
    assert not fs.exists(target) and fs.find(root) == []
    with publish(fs, target) as handle:
        handle.write(b"whole")
    assert fs.cat(target) == b"whole" and fs.find(root) == [target]
