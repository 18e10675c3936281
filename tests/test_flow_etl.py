"""End-to-end: the Prefect flow on the seeds plus bad files, into a temporary warehouse, queried through DuckDB."""

import shutil
from pathlib import Path

import duckdb
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.etl import etl
from tests.conftest import SEEDS

TABLE_COLUMNS = {
    "articles": "article_id",
    "paragraphs": "article_id, seq",
    "quarantine": "quarantine_id",
    "article_sources": "article_id, source_uri, item_key",
    "ingest_ledger": "path",
}
EXTRA_ARTICLE = """date 2025-12-01 Regional agencies sign newsroom exchange deal

BAKU, Azerbaijan, December 1. News agencies of the region agreed to exchange reporters for six months, Trend reports.

The first exchange starts in January.
"""


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every row of every data table, in key order."""
    return {table: query(warehouse, f"select * from {table} order by {key}") for table, key in TABLE_COLUMNS.items()}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "zz_empty.txt").write_bytes(b"")
    (folder / "zz_image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (folder / "zz_headline_only.txt").write_text("A headline with nothing under it\n", encoding="utf-8")
    (folder / "zz_bad_date.txt").write_text("date 2025-02-30 Headline\n\nBody text.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def first_run(prefect_harness, inputs, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("warehouse")
    run = etl(inputs=[str(inputs)], warehouse=str(warehouse), batch_size=4)
    return warehouse, run


def test_flow_loads_seeds_and_samples(first_run):
    warehouse, run = first_run
    assert run["status"] == "completed"
    assert run["files_seen"] == 14
    assert run["articles_loaded"] == 10
    rows = query(
        warehouse,
        """
        select headline, dateline_city, dateline_country, agency, cast(published_date as varchar),
               strftime(published_at at time zone 'UTC', '%Y-%m-%d %H:%M:%S')
        from articles where source_uri like '%/0%' order by headline
        """,
    )
    assert rows == [
        (
            "OTS Media Forum hosts panel session on opportunities for mutual cooperation",
            *("Baku", "AZ", "Trend", "2025-11-27", "2025-11-27 12:40:00"),
        ),
        ("Turkey, Azerbaijan hold 1st joint media platform meeting", "Ankara", "TR", "Anadolu Agency", None, None),
    ]
    assert query(warehouse, "select count(*) from paragraphs") == [
        (sum(query(warehouse, "select sum(paragraph_count + subheading_count) from articles")[0]),)
    ]


def test_bad_files_are_quarantined_and_the_run_goes_on(first_run):
    warehouse, run = first_run
    rows = query(
        warehouse, "select regexp_extract(source_uri, '[^/]+$'), stage, reason_code, line from quarantine order by 1"
    )
    assert rows == [
        ("zz_bad_date.txt", "parse", "invalid_date", 1),
        ("zz_empty.txt", "read", "empty", None),
        ("zz_headline_only.txt", "parse", "no_body", 1),
        ("zz_image.png", "read", "not_text", None),
    ]
    assert run["rows_quarantined"] == 4


def test_reports_answer(first_run):
    warehouse, run = first_run
    assert query(warehouse, "select sum(articles) from rpt_coverage_by_outlet_day") == [(10,)]
    quality = query(
        warehouse,
        "select run_id, files_seen, articles_loaded, rows_quarantined, new_quarantine_reasons from rpt_quality_by_run",
    )
    assert quality == [(run["run_id"], 14, 10, 4, "empty=1, invalid_date=1, no_body=1, not_text=1")]


def test_flow_writes_a_markdown_artifact(first_run):
    _, run = first_run
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run["run_id"]]))
        )
    assert [a.key for a in artifacts] == ["media-etl-run"]
    markdown = artifacts[0].data
    assert "| articles loaded | 10 |" in markdown
    assert "| not_text | 1 |" in markdown


def test_rerun_reads_no_unchanged_file_and_changes_nothing(first_run, inputs):
    warehouse, _ = first_run
    before = snapshot(warehouse)
    again = etl(inputs=[str(inputs)], warehouse=str(warehouse))
    assert (again["files_seen"], again["files_unchanged"], again["files_read"]) == (14, 14, 0)
    assert again["articles_loaded"] == 0
    assert snapshot(warehouse) == before


def test_added_file_adds_only_its_rows(first_run, inputs):
    warehouse, _ = first_run
    before = snapshot(warehouse)
    (inputs / "zz_extra.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    added = etl(inputs=[str(inputs)], warehouse=str(warehouse))
    after = snapshot(warehouse)
    assert (added["files_read"], added["articles_loaded"], added["paragraphs_loaded"]) == (1, 1, 2)
    assert after["quarantine"] == before["quarantine"]
    assert set(before["articles"]) < set(after["articles"]) and len(after["articles"]) == len(before["articles"]) + 1
    assert set(before["paragraphs"]) <= set(after["paragraphs"])
    assert len(after["paragraphs"]) == len(before["paragraphs"]) + 2


def test_changed_file_adds_a_version_and_supersedes_the_old_one(first_run, inputs):
    warehouse, _ = first_run
    path = inputs / "sample_06_uza_uz_toshkent.txt"
    [(old_id,)] = query(warehouse, f"select article_id from articles where source_uri = '{path}'")
    path.write_text(
        path.read_text(encoding="utf-8") + "\nSeminar yakunida sertifikatlar topshirildi.\n", encoding="utf-8"
    )
    changed = etl(inputs=[str(inputs)], warehouse=str(warehouse))
    assert (changed["files_read"], changed["articles_loaded"]) == (1, 1)
    rows = query(
        warehouse,
        "select a.article_id, is_superseded, superseded_by from article_versions a"
        " join article_sources_all_versions s using (article_id)"
        f" where s.source_uri = '{path}' order by is_superseded",
    )
    [(new_id, new_superseded, new_by), (old, old_superseded, old_by)] = rows
    assert (new_superseded, new_by) == (False, None)
    assert (old, old_superseded, old_by) == (old_id, True, new_id)
    assert new_id != old_id


def test_deleted_file_keeps_its_rows(first_run, inputs):
    warehouse, _ = first_run
    before = snapshot(warehouse)
    (inputs / "sample_07_aa_ankara_tr.txt").unlink()
    etl(inputs=[str(inputs)], warehouse=str(warehouse))
    assert snapshot(warehouse)["articles"] == before["articles"]


def test_exact_duplicate_is_stored_once_with_both_sources(first_run, inputs):
    warehouse, _ = first_run
    articles_before = query(warehouse, "select count(*) from articles")
    shutil.copy(inputs / "000_a24507a823bb7c72.txt", inputs / "zz_reprint_of_000.txt")
    etl(inputs=[str(inputs)], warehouse=str(warehouse))
    assert query(warehouse, "select count(*) from articles") == articles_before
    sources = query(
        warehouse,
        "select regexp_extract(s.source_uri, '[^/]+$') from article_sources s join articles using (article_id)"
        " where headline like 'OTS Media Forum%' order by 1",
    )
    assert sources == [("000_a24507a823bb7c72.txt",), ("zz_reprint_of_000.txt",)]


def test_inputs_refused_while_listing_reach_the_quarantine_table(prefect_harness, tmp_path):
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy(SEEDS / "000_a24507a823bb7c72.txt", folder)
    (folder / "passwords.txt").symlink_to("/etc/passwd")
    warehouse = tmp_path / "warehouse"
    run = etl(inputs=[str(folder), str(tmp_path / "no-such-folder")], warehouse=str(warehouse), fetch_feeds=False)
    assert run["articles_loaded"] == 1
    rows = query(
        warehouse, "select regexp_extract(source_uri, '[^/]+$'), stage, reason_code from quarantine order by 1"
    )
    assert rows == [("no-such-folder", "read", "missing_input"), ("passwords.txt", "read", "symlink_outside_inputs")]
