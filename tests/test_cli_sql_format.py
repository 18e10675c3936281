"""`media-etl sql --format table|csv|json|markdown`: NULL shown as NULL, and a wide result readable at 80 columns."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from media_etl.cli import app
from media_etl.export.query_output import fits, to_markdown
from tests.support.export_warehouse import FORUM_HEADLINE, export_warehouse

runner = CliRunner()
NARROW = "select outlet_label, url, published_at from stg_articles where outlet_label = 'Trend' order by article_id"


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    return export_warehouse(tmp_path_factory)


def sql(warehouse: Path, query: str, *options: str, columns: int = 80):
    result = runner.invoke(app, ["sql", query, "-w", str(warehouse), *options], env={"COLUMNS": str(columns)})
    return result


def test_a_wide_result_at_80_columns_is_one_block_per_row(warehouse):
    result = sql(warehouse, "select * from stg_articles")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert sum(line.startswith("-[ row ") for line in lines) == 17
    assert "17 row(s)" in lines[-1]
    block = lines[: lines.index(next(line for line in lines[1:] if line.startswith("-[ row ")))]
    assert len(block) == 1 + 34  # the heading and one line per column of stg_articles
    fields = {line.split(" | ", 1)[0].strip(): line.split(" | ", 1)[1] for line in block[1:]}
    assert set(fields) >= {"article_id", "headline", "url", "published_at", "body", "outlet_label"}
    assert all(value.strip() for value in fields.values())  # never an empty column
    headlines = [line for line in lines if line.startswith("headline ")]
    forum = next(line for line in headlines if "OTS Media Forum" in line)
    assert forum.endswith("…") and FORUM_HEADLINE.startswith(forum.split(" | ", 1)[1].rstrip("…"))
    assert any(line.startswith("url ") and line.endswith("| NULL") for line in lines)


def test_a_narrow_result_stays_a_table_and_shows_null(warehouse):
    result = sql(warehouse, NARROW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "┃ outlet_label" in lines[1] and "┃ url" in lines[1]
    assert any("│ NULL " in line for line in lines)
    assert "5 row(s)" in result.stdout
    assert "2025-11-27T12:40:00+00:00" in result.stdout


def test_csv(warehouse):
    result = sql(warehouse, NARROW, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 5 and {r["outlet_label"] for r in rows} == {"Trend"}
    assert "" in {r["url"] for r in rows}  # NULL
    assert any(r["published_at"] == "2025-11-27T12:40:00+00:00" for r in rows)


def test_json(warehouse):
    result = sql(warehouse, "select published_date, published_at, url, [1, 2] as pair from stg_articles", "-f", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 17 and all(r["pair"] == [1, 2] for r in records)
    assert any(r["url"] is None for r in records)
    assert all(date.fromisoformat(r["published_date"]) for r in records if r["published_date"])
    assert all(datetime.fromisoformat(r["published_at"]).tzinfo for r in records if r["published_at"])


def test_markdown(warehouse):
    result = sql(warehouse, NARROW, "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == ["| outlet_label | url | published_at |", "|---|---|---|"]
    assert len(lines) == 2 + 5
    assert any(line.startswith("| Trend | NULL |") for line in lines)


def test_the_limit_note_goes_to_stderr_outside_the_table(warehouse):
    result = sql(warehouse, "select * from range(10)", "-f", "csv", "--limit", "3")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["range", "0", "1", "2"]
    assert "only the first 3 rows (--limit)" in result.stderr


def test_a_bad_format_is_a_usage_error(warehouse):
    result = sql(warehouse, "select 1", "--format", "html")
    assert result.exit_code == 2
    assert "'html' is not one of table, csv, json, markdown" in result.stderr


def test_fits():
    assert fits(["a", "b"], [("x" * 200, 1)], 80)  # a long cell folds: 24 + 3 + 1 + 3 + 1
    assert not fits([f"column_{i}" for i in range(10)], [tuple(range(10))], 80)
    assert to_markdown(["a|b"], [("x|y",), (None,)]).splitlines()[2:] == ["| x\\|y |", "| NULL |"]
