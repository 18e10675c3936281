"""The report: its queries on a warehouse the ETL flow built from the seeds, the chart, and the Prefect flow."""

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.etl import etl
from flows.report import ARTIFACT_KEY, PAGE_ARTIFACT_KEY, report
from media_etl.report.chart import chart_path, choose_grain, coverage_table, draw_coverage, period_start
from media_etl.report.summary import (
    ReportFilter,
    build_report,
    connect,
    format_value,
    markdown_table,
    parse_since,
    render_markdown,
)
from media_etl.store.database import built_for, relink_database
from tests.conftest import SEEDS

INJECTION = "x'; drop table articles; --"
REPRINTED = "OTS Media Forum hosts panel session on opportunities for mutual cooperation"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    """The seeds' wire copy, one seed twice (an exact reprint), loaded and enriched by the ETL flow."""
    inputs = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, inputs / seed.name)
    shutil.copy(SEEDS / "000_a24507a823bb7c72.txt", inputs / "zz_reprint_of_000.txt")
    target = tmp_path_factory.mktemp("warehouse")
    run = etl(inputs=[str(inputs)], warehouse=str(target), fetch_feeds=False)
    assert run["status"] == "completed"
    return target


def count_articles(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as connection:
        row = connection.execute("select count(*) from articles").fetchone()
    assert row is not None
    return int(row[0])


def test_coverage_counts_every_current_article(warehouse):
    result = build_report(warehouse, ReportFilter())
    assert sum(result.coverage_by_outlet["articles"]) == count_articles(warehouse) == 10
    trend = result.coverage_by_outlet.set_index("outlet").loc["Trend"]
    assert (trend["articles"], trend["first_day"], trend["last_day"]) == (3, date(2024, 3, 12), date(2025, 11, 27))
    assert sum(result.coverage_by_day["articles"]) == sum(result.coverage_by_outlet["dated"])


def test_top_story_is_the_reprinted_one(warehouse):
    stories = build_report(warehouse, ReportFilter()).top_stories
    top = stories.iloc[0]
    assert (top["story"], top["first_outlet"], top["articles"], top["sources"]) == (REPRINTED, "Trend", 1, 2)
    assert list(stories["sources"]) == sorted(stories["sources"], reverse=True)


def test_most_quoted_people_are_resolved_people(warehouse):
    quoted = build_report(warehouse, ReportFilter()).most_quoted
    assert quoted.iloc[0]["person"] == "Fahrettin Altun"
    assert quoted.iloc[0]["quotes"] >= quoted.iloc[-1]["quotes"]
    assert "Communications Directorate" not in set(quoted["person"])  # an organisation, not a person


def test_run_quality_lists_the_run(warehouse):
    runs = build_report(warehouse, ReportFilter()).run_quality
    assert runs[["status", "files_seen", "articles_loaded", "rows_quarantined"]].values.tolist() == [
        ["completed", 11, 10, 0]  # the reprint is a second source of a stored article
    ]
    assert build_report(warehouse, ReportFilter(since=date(2999, 1, 1))).run_quality.empty


def test_since_and_outlet_filter_the_articles(warehouse):
    result = build_report(warehouse, ReportFilter(since=date(2025, 4, 1), outlet="tReNd"))
    assert result.coverage_by_outlet["outlet"].tolist() == ["Trend"]
    assert all(day >= date(2025, 4, 1) for day in result.coverage_by_day["day"])
    assert set(result.top_stories["first_outlet"]) == {"Trend"}
    assert result.most_quoted["person"].tolist() == ["Eldar Rasulov"]


def test_injection_in_a_filter_is_only_a_value(warehouse):
    before = count_articles(warehouse)
    result = build_report(warehouse, ReportFilter(outlet=INJECTION))
    assert result.coverage_by_outlet.empty and result.top_stories.empty and result.most_quoted.empty
    assert count_articles(warehouse) == before


def test_views_resolve_from_another_directory(warehouse, tmp_path, monkeypatch):
    # media.db names the Parquet files by absolute path: any working directory will do.
    monkeypatch.chdir(tmp_path)
    with duckdb.connect(str(warehouse.resolve() / "media.db"), read_only=True) as connection:
        assert connection.execute("select count(*) from articles").fetchone() == (10,)


def test_a_copied_warehouse_is_relinked_to_its_own_files(warehouse, tmp_path):
    copy = tmp_path / "copy" / "warehouse"
    shutil.copytree(warehouse, copy)
    assert built_for(copy / "media.db") == str(warehouse.resolve())
    assert relink_database(copy) == str(warehouse.resolve())
    assert built_for(copy / "media.db") == str(copy.resolve())
    assert relink_database(copy) is None  # already reads its own files
    with connect(copy) as connection:
        views = connection.execute("select sql from duckdb_views() where not internal").fetchall()
        sql = "\n".join(text for (text,) in views)
        assert f"{copy.resolve()}/parquet/" in sql and f"{warehouse.resolve()}/parquet/" not in sql
        assert connection.execute("select count(*) from articles").fetchone() == (10,)


def test_connect_needs_media_db(tmp_path):
    with pytest.raises(FileNotFoundError):
        connect(tmp_path)


def test_parse_since():
    assert parse_since(None) is None and parse_since("  ") is None
    assert parse_since("2025-03-01") == date(2025, 3, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_since("March")


def test_format_and_markdown_cells():
    assert format_value(None) == "" and format_value(float("nan")) == ""
    assert format_value(date(2025, 1, 2)) == "2025-01-02"
    assert format_value(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2025-01-02 03:04:05+00:00"
    assert format_value(0.1250) == "0.125"
    frame = pd.DataFrame([("a|b", 1)], columns=["text_col", "n"], dtype=object)
    assert markdown_table(frame) == ["| text col | n |", "|---|---:|", "| a\\|b | 1 |"]
    assert markdown_table(frame.iloc[:0]) == ["_No rows._"]


def test_render_markdown_links_the_chart(warehouse, tmp_path):
    result = build_report(warehouse, ReportFilter(outlet="Trend"))
    chart = tmp_path / "coverage.png"
    markdown = render_markdown(result, chart)
    assert markdown.startswith("# media-etl report: outlet Trend\n")
    assert f"[`{chart}`]({chart.as_uri()})" in markdown
    for title in ("## Coverage by outlet", "## Top stories", "## Most-quoted people", "## Data quality of recent runs"):
        assert title in markdown


@pytest.mark.parametrize(
    ("first", "last", "grain"),
    [
        # At most 100 bars: the finest grain whose periods from first to last number 100 or fewer.
        (date(2025, 1, 1), date(2025, 1, 1), "day"),
        (date(2025, 1, 1), date(2025, 4, 10), "day"),  # 100 days
        (date(2025, 1, 1), date(2025, 4, 11), "week"),  # 101 days
        (date(2025, 1, 1), date(2026, 1, 1), "week"),
        (date(2024, 3, 12), date(2025, 12, 3), "week"),  # 91 weeks
        (date(2010, 1, 4), date(2011, 12, 5), "month"),  # 101 weeks
        (date(2010, 1, 1), date(2025, 12, 31), "year"),  # 192 months
    ],
)
def test_choose_grain(first, last, grain):
    assert choose_grain(first, last) == grain


def test_period_start():
    assert period_start(date(2025, 11, 27), "week") == date(2025, 11, 24)
    assert period_start(date(2025, 11, 27), "month") == date(2025, 11, 1)
    assert period_start(date(2025, 11, 27), "day") == date(2025, 11, 27)


def test_coverage_table_groups_small_outlets_as_other():
    rows = [(date(2025, 1, 1), f"outlet{i:02d}", 10 - i) for i in range(10)]
    table, grain = coverage_table(pd.DataFrame(rows, columns=["day", "outlet", "articles"], dtype=object))
    assert grain == "day"
    assert list(table.columns) == [f"outlet{i:02d}" for i in range(8)] + ["other"]
    assert table.loc[date(2025, 1, 1), "other"] == 2 + 1


def test_draw_coverage_writes_a_png_even_with_no_data(tmp_path):
    empty = pd.DataFrame(columns=["day", "outlet", "articles"], dtype=object)
    target = draw_coverage(empty, tmp_path / "reports" / "empty.png")
    assert target.read_bytes().startswith(PNG_MAGIC)


def test_report_flow_writes_the_chart_and_a_markdown_artifact(warehouse):
    state = report(warehouse=str(warehouse), since="2024-01-01", return_state=True)
    assert state.is_completed()
    result = state.result()
    chart = Path(result["chart"])
    assert chart == chart_path(warehouse, datetime.now(UTC).date())
    assert chart.parent == warehouse / "reports" and chart.name.startswith("coverage-")
    data = chart.read_bytes()
    assert data.startswith(PNG_MAGIC) and len(data) > 1000
    assert result["rows"]["top_stories"] == 8  # the dated articles' stories; the reprint is one story
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        )
    by_key = {a.key: a for a in artifacts}
    assert sorted(by_key) == [ARTIFACT_KEY, PAGE_ARTIFACT_KEY]
    page = Path(result["page"])
    assert f"({page.resolve().as_uri()})" in str(by_key[PAGE_ARTIFACT_KEY].data)  # a link artifact is markdown
    markdown = by_key[ARTIFACT_KEY].data
    assert markdown == result["markdown"]
    assert page.resolve().as_uri() in markdown
    assert "# media-etl report: since 2024-01-01" in markdown
    assert str(chart.resolve()) in markdown
    assert f"| {REPRINTED} | 2025-11-27 | Trend | 1 | 2 | Trend |" in markdown


def test_report_flow_fails_on_a_bad_date(warehouse):
    state = report(warehouse=str(warehouse), since="last tuesday", return_state=True)
    assert state.is_failed()
