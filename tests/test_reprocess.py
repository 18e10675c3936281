"""`media-etl reprocess` through the CLI: a changed sources.yaml reaches loaded rows, atomically and once.

One warehouse is loaded from copies of the seeds with a registry where Trend is "Trend" in
Asia/Baku; the registry then renames it and moves it to America/New_York, and `reprocess`
must make the warehouse hold exactly what a clean load with the new registry holds.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as arrow
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.etl import etl
from media_etl.cli import SOURCE_KINDS, app
from media_etl.load import prepare_warehouse
from media_etl.store.database import build_database
from media_etl.store.schema import arrow_schema
from media_etl.store.warehouse import Warehouse
from schemas import TABLES
from schemas.vocabularies import SOURCE_KINDS as SCHEMA_SOURCE_KINDS
from tests.conftest import REPO_ROOT, SEEDS
from tests.support.warehouse_compare import compare_warehouses, key_problems, read_table, row_hashes

OLD_TREND = "  - name: Trend\n    country: AZ\n    language: en\n    timezone: Asia/Baku"
NEW_TREND = "  - name: Trend Wire\n    country: AZ\n    language: en\n    timezone: America/New_York"
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def summary(output: str) -> dict[str, str]:
    """The reprocess summary table as {what: count} (the last row of a repeated label wins)."""
    cells = [line.split("│") for line in output.splitlines() if line.count("│") == 4]
    return {row[1].strip(): row[2].strip() for row in cells if row[1].strip()}


def every_row(warehouse: Path) -> dict[str, object]:
    """Each table's rows (all columns, run columns included) as a multiset of hashes."""
    return {table: row_hashes(read_table(warehouse, table)) for table in TABLES if table != "runs"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture(scope="module")
def registries(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("registries")
    text = (REPO_ROOT / "sources.yaml").read_text(encoding="utf-8")
    assert OLD_TREND in text
    old, new = folder / "sources-old.yaml", folder / "sources-new.yaml"
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace(OLD_TREND, NEW_TREND, 1), encoding="utf-8")
    return old, new


@pytest.fixture(scope="module")
def loaded(prefect_harness, inputs, registries, tmp_path_factory) -> Path:
    """The warehouse loaded with the old registry."""
    warehouse = tmp_path_factory.mktemp("reprocessed")
    run = etl(inputs=[str(inputs)], warehouse=str(warehouse), sources=str(registries[0]), fetch_feeds=False)
    assert run["status"] == "completed" and run["articles_loaded"] > 0
    return warehouse


@pytest.fixture(scope="module")
def clean(prefect_harness, inputs, registries, tmp_path_factory) -> Path:
    """A warehouse loaded from the same inputs with the new registry from the start."""
    warehouse = tmp_path_factory.mktemp("clean")
    run = etl(inputs=[str(inputs)], warehouse=str(warehouse), sources=str(registries[1]), fetch_feeds=False)
    assert run["status"] == "completed"
    return warehouse


@pytest.fixture(scope="module")
def reprocessed(loaded, registries) -> dict[str, object]:
    """Reprocess Trend alone, then everything, with the new registry; keep what a reader saw meanwhile."""
    seen: dict[str, object] = {}
    first = query(loaded, "select run_id from runs")[0][0]
    seen["trend_before"] = query(loaded, "select count(*) from articles where outlet = 'Trend'")[0][0]
    reader = duckdb.connect(str(loaded / "media.db"), read_only=True)  # opened before the swap
    outlet = invoke("reprocess", "--outlet", "trend", "-w", str(loaded), "--sources", str(registries[1]))
    assert outlet.exit_code == 0, outlet.output
    seen["outlet_output"] = outlet.stdout
    seen["quality_after_outlet"] = query(
        loaded,
        f"select config_changed, articles_current, articles_stale from rpt_quality_by_run where run_id = '{first}'",
    )
    seen["reader_outlets"] = reader.execute("select outlet, count(*) from articles group by 1 order by 1").fetchall()
    seen["reader_counts"] = {
        t: reader.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "paragraphs", "mentions")
    }
    reader.close()
    everything = invoke("reprocess", "--all", "-w", str(loaded), "--sources", str(registries[1]))
    assert everything.exit_code == 0, everything.output
    seen["all_output"] = everything.stdout
    seen["quality_after_all"] = query(
        loaded,
        "select run_kind, config_changed, articles_current, articles_stale from rpt_quality_by_run order by started_at",
    )
    return seen


def test_source_kinds_match_the_schema():
    assert SOURCE_KINDS == SCHEMA_SOURCE_KINDS


def test_reprocess_needs_a_selection_and_valid_filters(tmp_path):
    loaded = tmp_path / "wh"
    (loaded / "parquet").mkdir(parents=True)
    assert invoke("reprocess", "-w", str(loaded)).exit_code == 2
    assert invoke("reprocess", "--all", "--outlet", "Trend", "-w", str(loaded)).exit_code == 2
    bad_date = invoke("reprocess", "--since", "2025-02-30", "-w", str(loaded))
    assert bad_date.exit_code == 2 and "not a date" in bad_date.output
    assert invoke("reprocess", "--since", "2025-12-01", "--until", "2025-01-01", "-w", str(loaded)).exit_code == 2
    assert invoke("reprocess", "--kind", "pdf", "-w", str(loaded)).exit_code == 2
    assert invoke("reprocess", "--all", "-w", str(loaded), "--sources", "no-such.yaml").exit_code == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("outlets: [name: x\n", encoding="utf-8")
    bad_registry = invoke("reprocess", "--all", "-w", str(loaded), "--sources", str(broken))
    assert bad_registry.exit_code == 2 and "--sources" in bad_registry.output
    assert invoke("reprocess", "--all", "-w", str(loaded / "nowhere")).exit_code == 2


@pytest.mark.slow  # loads and reprocesses with enrichment: about 2 min for the module
def test_every_table_shows_the_new_registry_as_a_clean_load_does(reprocessed, loaded, clean):
    assert query(loaded, "select count(*) from articles where outlet = 'Trend' or agency = 'Trend'") == [(0,)]
    assert query(loaded, "select count(*) from stg_articles where outlet_label = 'Trend Wire'")[0][0] > 0
    # Every table: the same rows as the clean load (run columns aside), partitions included.
    assert compare_warehouses(clean, loaded) == []
    assert key_problems(loaded) == []
    for table in ("articles", "paragraphs", "mentions", "quotes", "themes", "article_sources", "story_clusters"):
        assert query(loaded, f"select count(*) from {table}") == query(clean, f"select count(*) from {table}")
    assert query(loaded, "select outlet, published_at from articles order by article_id") == query(
        clean, "select outlet, published_at from articles order by article_id"
    )


@pytest.mark.slow  # loads and reprocesses with enrichment: about 2 min for the module
def test_the_outlet_filter_replaced_only_that_outlets_articles(reprocessed):
    counts = summary(str(reprocessed["outlet_output"]))
    trend = str(reprocessed["trend_before"])
    assert counts["selected"] == counts["re-derived"] == counts["changed"] == trend
    assert "not reprocessed" not in counts


@pytest.mark.slow  # loads and reprocesses with enrichment: about 2 min for the module
def test_a_reader_that_opened_media_db_before_the_swap_sees_only_old_rows(reprocessed, loaded):
    outlets = dict(reprocessed["reader_outlets"])
    assert "Trend Wire" not in outlets and outlets["Trend"] == reprocessed["trend_before"]
    new_counts = {t: query(loaded, f"select count(*) from {t}")[0][0] for t in ("articles", "paragraphs", "mentions")}
    assert reprocessed["reader_counts"] == new_counts  # the same rows, none lost or doubled


@pytest.mark.slow  # loads and reprocesses with enrichment: about 2 min for the module
def test_quality_by_run_says_which_rows_are_stale(reprocessed):
    # After reprocessing Trend alone, the first run's other articles are stale: its registry differs.
    [(config_changed, current, stale)] = reprocessed["quality_after_outlet"]
    assert config_changed is True and current > 0 and stale == current
    # After reprocessing everything, no current article is stale.
    rows = reprocessed["quality_after_all"]
    assert [r[0] for r in rows] == ["load", "reprocess", "reprocess"]
    assert sum(r[3] for r in rows) == 0
    assert rows[-1][1] is False and rows[-1][2] > 0


@pytest.mark.slow  # loads and reprocesses with enrichment: about 2 min for the module
def test_reprocessing_twice_changes_nothing(reprocessed, loaded, registries):
    before = every_row(loaded)
    runs_before = query(loaded, "select count(*) from runs")[0][0]
    again = invoke("reprocess", "--all", "-w", str(loaded), "--sources", str(registries[1]))
    assert again.exit_code == 0, again.output
    assert every_row(loaded) == before
    assert query(loaded, "select count(*) from runs")[0][0] == runs_before + 1
    counts = summary(again.stdout)
    assert counts["changed"] == counts["restamped"] == counts["new versions"] == "0"
    assert counts["unchanged"] == counts["selected"] != "0"


@pytest.mark.slow  # loads and reprocesses with enrichment: about 2 min for the module
def test_changed_and_missing_files_are_reported(reprocessed, loaded, inputs, registries):
    gone = inputs / "sample_06_uza_uz_toshkent.txt"
    gone.unlink()
    edited = inputs / "sample_02_reuters_paris.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    versions = read_table(loaded, "articles").num_rows
    result = invoke("reprocess", "--kind", "text", "-w", str(loaded), "--sources", str(registries[1]))
    assert result.exit_code == 0, result.output
    assert "file no longer on disk" in result.stdout
    assert "file changed since it was loaded" in result.stdout
    assert summary(result.stdout)["new versions"] == "1"
    # The edited file's new version is current; the deleted file's article is kept as it was.
    assert read_table(loaded, "articles").num_rows == versions + 1
    [(current,)] = query(loaded, f"select count(*) from stg_articles where source_uri = '{edited}'")
    assert current == 1
    assert query(loaded, f"select count(*) from stg_articles where source_uri = '{gone}'") == [(1,)]
    assert key_problems(loaded) == []


@pytest.mark.slow  # three runs through Prefect
def test_reread_reads_files_the_ledger_has_unchanged(prefect_harness, inputs, tmp_path):
    warehouse = tmp_path / "wh"
    first = invoke("run", str(inputs), "-w", str(warehouse), "--no-feeds", "--no-enrich")
    assert first.exit_code == 0, first.output
    again = invoke("run", str(inputs), "-w", str(warehouse), "--no-feeds", "--no-enrich")
    assert again.exit_code == 0, again.output
    reread = invoke("run", str(inputs), "-w", str(warehouse), "--no-feeds", "--no-enrich", "--reread")
    assert reread.exit_code == 0, reread.output
    files = len(list(inputs.iterdir()))
    rows = query(
        warehouse,
        "select files_unchanged, files_read, articles_loaded, articles_already_loaded from runs order by started_at",
    )
    assert rows[1][:2] == (files, 0)  # the ledger skipped every file
    assert rows[2][:3] == (0, files, 0)  # --reread read them all, and stored nothing twice
    assert rows[2][3] == rows[0][2]
    assert key_problems(warehouse) == []


def test_runs_recorded_before_the_provenance_columns_still_build(tmp_path):
    warehouse = tmp_path / "old"
    prepare_warehouse(warehouse)
    store = Warehouse(warehouse)
    runs = TABLES["runs"]
    for part in store.parts(store.partition("runs")):
        Path(part).unlink()
    old = arrow_schema(runs.model)
    old = arrow.schema([f for f in old if f.name not in {"run_kind", "config_hash", "code_version"}])
    pq.write_table(old.empty_table(), Path(store.current_path(store.partition("runs"))) / "part-old.parquet")
    build_database(warehouse)
    columns = [row[0] for row in query(warehouse, "describe rpt_quality_by_run")]
    assert {"config_hash", "code_version", "config_changed", "articles_stale"} <= set(columns)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP on a free local port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.slow  # a fetch and two reprocesses through Prefect
def test_fetched_feeds_are_reprocessed_from_the_kept_responses(prefect_harness, registries, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(SEEDS / "sample_09_trend_feed.rss", site / "feed.rss")
    warehouse = tmp_path / "wh"
    with serving(site) as address:
        url = f"{address}/feed.rss"
        run = etl(inputs=[url], warehouse=str(warehouse), sources=str(registries[0]), fetch_feeds=False)
    assert run["status"] == "completed" and run["articles_loaded"] > 0
    assert query(warehouse, "select distinct outlet from articles") == [("Trend",)]
    # The server is gone: the feed can only be read from the response kept under raw/.
    result = invoke("reprocess", "--kind", "feed", "-w", str(warehouse), "--sources", str(registries[1]))
    assert result.exit_code == 0, result.output
    counts = summary(result.stdout)
    assert counts["re-derived"] == counts["changed"] == str(run["articles_loaded"])
    assert query(warehouse, "select distinct outlet from articles") == [("Trend Wire",)]
    assert query(warehouse, "select count(*) from articles") == [(run["articles_loaded"],)]
    shutil.rmtree(warehouse / "raw")
    gone = invoke("reprocess", "--all", "-w", str(warehouse), "--sources", str(registries[1]))
    assert gone.exit_code == 0, gone.output
    assert summary(gone.stdout)["not reprocessed"] == str(run["articles_loaded"])
    assert "raw response not kept" in gone.stdout
    assert query(warehouse, "select distinct outlet from articles") == [("Trend Wire",)]


def test_a_switch_killed_halfway_is_finished_by_the_next_writer(tmp_path, monkeypatch):
    from media_etl.store import compact

    warehouse = tmp_path / "wh"
    prepare_warehouse(warehouse)
    store = Warehouse(warehouse)
    names = ("ingest_ledger", "quarantine_resolutions")
    rows = {
        "ingest_ledger": [
            {"path": "a.txt", "size": 1, "mtime_ns": 1, "content_hash": None, "items": 0, "run_id": "r",
             "seen_at": pd.Timestamp("2026-01-01", tz="UTC")}
        ],
        "quarantine_resolutions": [
            {"quarantine_id": "0123456789abcdef", "resolved_at": pd.Timestamp("2026-01-01", tz="UTC"), "run_id": "r"}
        ],
    }  # fmt: skip
    rewrites = []
    for name in names:
        spec = TABLES[name]
        frame = spec.model.validate(spec.frame(rows[name]))
        added = arrow.Table.from_pandas(frame, schema=arrow_schema(spec.model), preserve_index=False)
        rewrites.append(compact.rewrite_partition(store, spec, store.partition(name), added=added, prefix="test"))
    switched = []
    real = compact.commit_generation

    def die_on_second(*args, **kwargs):
        if switched:
            raise KeyboardInterrupt("killed")
        switched.append(args)
        real(*args, **kwargs)

    monkeypatch.setattr(compact, "commit_generation", die_on_second)
    with pytest.raises(KeyboardInterrupt):
        compact.commit_generations(store, rewrites, datetime.now(UTC))
    monkeypatch.setattr(compact, "commit_generation", real)
    assert [read_table(warehouse, n).num_rows for n in names] == [1, 0]  # half switched
    assert compact.finish_pending_commits(store) == 1
    assert [read_table(warehouse, n).num_rows for n in names] == [1, 1]
    assert compact.finish_pending_commits(store) == 0
