"""The media-etl command line, through typer's CliRunner: help, exit codes, sql, report, quarantine."""

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from media_etl.cli import STAGES, app, check_read_only, missing_inputs
from media_etl.quarantine import local_file, plan_replay
from schemas.vocabularies import STAGES as SCHEMA_STAGES
from tests.conftest import SEEDS

INJECTION = "x'; drop table articles; --"
HEADLINE_ONLY = "A headline with nothing under it\n"
FIXED = (
    "Regional agencies sign newsroom exchange deal\n\n"
    "BAKU, Azerbaijan, December 1. News agencies of the region agreed to exchange reporters"
    " for six months, Trend reports.\n"
)
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "250"})


def query(warehouse: Path, sql: str, params: object = None) -> list[tuple]:
    with duckdb.connect(str(warehouse / "media.db"), read_only=True) as connection:
        return connection.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    (folder / "zz_empty.txt").write_bytes(b"")
    (folder / "zz_headline_only.txt").write_text(HEADLINE_ONLY, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def warehouse(prefect_harness, inputs, tmp_path_factory) -> Path:
    """A warehouse that `media-etl run` loaded from the seeds and two bad files."""
    target = tmp_path_factory.mktemp("warehouse")
    result = invoke("run", str(inputs), "--warehouse", str(target), "--no-feeds")
    # It completed, quarantining the two bad files: exit 0, with the count by reason and the command to list them.
    assert result.exit_code == 0, result.output
    assert "articles loaded" in result.stdout
    assert (
        "The run completed; 2 input(s) or row(s) quarantined (empty 1, no_body 1). "
        f"List them: media-etl quarantine list --warehouse {target}"
    ) in result.stderr
    return target


HELP_COMMANDS = [[], ["run"], ["report"], ["sql"], ["relink"], ["compact"], ["reprocess"], ["quarantine"]] + [
    ["quarantine", sub] for sub in ("list", "show", "replay")
]


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_no_command_is_a_usage_error():
    assert invoke().exit_code == 2
    assert invoke("quarantine").exit_code == 2
    assert invoke("nonsense").exit_code == 2


def test_run_rejects_inputs_that_do_not_exist(tmp_path):
    result = invoke("run", str(tmp_path / "nothing-here"), str(tmp_path / "*.nothing"), "--warehouse", str(tmp_path))
    assert result.exit_code == 2
    assert "nothing-here" in result.output
    assert not (tmp_path / "media.db").exists()


def test_missing_inputs():
    assert missing_inputs([str(SEEDS), str(SEEDS / "*.txt"), "https://example.org/feed"]) == []
    assert missing_inputs([str(SEEDS / "none.txt"), str(SEEDS / "*.none")]) == [
        str(SEEDS / "none.txt"),
        str(SEEDS / "*.none"),
    ]


def test_run_of_clean_input_exits_0(prefect_harness, tmp_path):
    target = tmp_path / "warehouse"
    summary = tmp_path / "summary.json"
    result = invoke(
        "run",
        *(str(SEEDS / name) for name in ("000_a24507a823bb7c72.txt", "002_3a0b39f4f30f4f20.txt")),
        *("-w", str(target), "--no-feeds", "--no-enrich", "--workers", "1", "--batch-size", "1"),
        *("--lock-wait", "5", "--summary-json", str(summary)),
    )
    assert result.exit_code == 0, result.output
    assert query(target, "select count(*) from articles") == [(2,)]
    written = json.loads(summary.read_text(encoding="utf-8"))
    assert written["status"] == "completed" and written["articles_loaded"] == 2 and written["workers"] == 1
    assert written["wall_seconds"] > 0


def test_run_strict_fails_on_quarantined_rows(prefect_harness, tmp_path):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(SEEDS / "000_a24507a823bb7c72.txt", inputs)
    (inputs / "headline_only.txt").write_text(HEADLINE_ONLY, encoding="utf-8")
    target = tmp_path / "warehouse"
    result = invoke("run", str(inputs), "-w", str(target), "--no-feeds", "--no-enrich", "--workers", "1", "--strict")
    assert result.exit_code == 1, result.output
    assert "--strict counts quarantined rows as a failure: 1 input(s) or row(s) quarantined (no_body 1)" in (
        result.stderr
    )
    assert query(target, "select count(*) from articles") == [(1,)], "the good file loaded all the same"


def test_run_on_a_locked_warehouse_exits_1(prefect_harness, tmp_path):
    from media_etl.lock import warehouse_lock

    target = tmp_path / "warehouse"
    with warehouse_lock(target, owner="a test holding the lock"):
        result = invoke("run", str(SEEDS / "000_a24507a823bb7c72.txt"), "-w", str(target), "--no-feeds")
    assert result.exit_code == 1, result.output
    assert "the run failed: WarehouseLocked" in result.stderr


def test_run_in_a_log_prints_progress_lines_with_files_done_of_the_total(prefect_harness, tmp_path):
    """CliRunner's stderr is no terminal: plain progress lines, no spinner, and Prefect's own INFO lines kept out."""
    names = ("000_a24507a823bb7c72.txt", "002_3a0b39f4f30f4f20.txt", "sample_02_reuters_paris.txt")
    result = invoke(
        "run",
        *(str(SEEDS / name) for name in names),
        *("-w", str(tmp_path / "warehouse"), "--no-feeds", "--no-enrich", "--workers", "1", "--batch-size", "1"),
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if " progress: " in line]
    assert lines, result.stderr
    assert "progress: 0/3 files, 0 articles" in lines[0]
    assert "progress: 3/3 files, 3 articles" in lines[-1] and "articles/s, done in" in lines[-1]
    assert all(re.match(r"^\d\d:\d\d:\d\d progress: \d/3 files, ", line) for line in lines), lines
    assert "Beginning flow run" not in result.stderr and "Finished in state" not in result.stderr


def test_run_help_shows_the_flow_options():
    result = invoke("run", "--help")
    for option in ("--workers", "--batch-size", "--lock-wait", "--dask-address", "--summary-json", "--no-enrich"):
        assert option in result.output


def test_relink_after_the_warehouse_folder_moved(warehouse, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(warehouse, moved)
    result = invoke("relink", "--warehouse", str(moved))
    assert result.exit_code == 0, result.output
    assert f"its views now read {moved.resolve()}" in result.output
    assert "already reads" in invoke("relink", "--warehouse", str(moved)).output
    shutil.rmtree(moved / "parquet" / "quarantine")  # the copy's own files are read, not the original's
    assert invoke("sql", "select count(*) from quarantine", "--warehouse", str(moved)).exit_code != 0
    assert query(warehouse, "select count(*) from quarantine")[0][0] > 0


def test_other_commands_relink_a_copied_warehouse_first(warehouse, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(warehouse, copy)
    result = invoke("sql", "select count(*) as n from articles", "--warehouse", str(copy))
    assert result.exit_code == 0, result.output
    assert f"its views now read {copy.resolve()}" in result.stderr


def test_commands_on_a_missing_warehouse_are_usage_errors(tmp_path):
    for command in (["report"], ["sql", "select 1"], ["quarantine", "list"], ["quarantine", "show", "abcd"]):
        result = invoke(*command, "--warehouse", str(tmp_path))
        assert result.exit_code == 2, (command, result.output)
        assert "run the ETL" in result.output


def test_sql_prints_rows(warehouse):
    result = invoke(
        "sql", "select outlet, count(*) as n from articles group by 1 order by 2 desc, 1", "-w", str(warehouse)
    )
    assert result.exit_code == 0, result.output
    assert "Trend" in result.stdout and "7 row(s)" in result.stdout


def test_sql_limit(warehouse):
    result = invoke("sql", "select * from range(10)", "-w", str(warehouse), "--limit", "3")
    assert result.exit_code == 0
    assert "first 3 rows (--limit)" in result.stdout
    assert "│     2 │" in result.stdout and "│     3 │" not in result.stdout


@pytest.mark.parametrize(
    "statement",
    [
        "drop view articles",
        "create table t as select 1",
        "copy (select 1) to 'out.csv'",
        "attach 'other.db'",
        "select 1; drop view articles",
        "select from where",
        "select * from no_such_table",
    ],
)
def test_sql_refuses_writes_and_bad_queries_with_exit_2(warehouse, statement, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("sql", statement, "-w", str(warehouse))
    assert result.exit_code == 2, result.output
    assert query(warehouse, "select count(*) from articles") == [(10,)]
    assert list(tmp_path.iterdir()) == []


def test_check_read_only_accepts_reads_only():
    with duckdb.connect() as connection:
        for ok in ("select 1", "with a as (select 1) select * from a", "from range(3)", "explain select 1"):
            check_read_only(connection, ok)
        for bad in ("insert into t values (1)", "set threads = 1", "install httpfs", "select 1; select 2", ""):
            with pytest.raises(ValueError):
                check_read_only(connection, bad)


def test_report_prints_every_table(warehouse):
    result = invoke("report", "-w", str(warehouse))
    assert result.exit_code == 0, result.output
    for title in ("Coverage by outlet", "Top stories", "Most-quoted people", "Data quality of recent runs"):
        assert title in result.stdout
    assert "Fahrettin Altun" in result.stdout


def test_report_filters(warehouse):
    result = invoke("report", "-w", str(warehouse), "--since", "2025-11-01", "--outlet", "trend")
    assert result.exit_code == 0, result.output
    assert "since 2025-11-01, outlet trend" in result.stdout
    assert "Eldar Rasulov" in result.stdout and "Fahrettin Altun" not in result.stdout


def test_report_bad_date_is_a_usage_error(warehouse):
    result = invoke("report", "-w", str(warehouse), "--since", "2025-02-30")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_injection_strings_are_harmless(warehouse):
    before = query(warehouse, "select count(*) from articles")
    result = invoke("report", "-w", str(warehouse), "--outlet", INJECTION)
    assert result.exit_code == 0, result.output
    assert "no rows" in result.stdout
    result = invoke("quarantine", "list", "-w", str(warehouse), "--reason", "x' or '1'='1")
    assert result.exit_code == 0 and "no rows" in result.stdout  # not every row
    assert invoke("quarantine", "show", INJECTION, "-w", str(warehouse)).exit_code == 2
    assert invoke("quarantine", "list", "-w", str(warehouse), "--stage", INJECTION).exit_code == 2
    assert query(warehouse, "select count(*) from articles") == before


def test_quarantine_list(warehouse):
    result = invoke("quarantine", "list", "-w", str(warehouse))
    assert result.exit_code == 0, result.output
    assert "zz_empty.txt" in result.stdout and "zz_headline_only.txt:1" in result.stdout
    assert "2 open row(s)" in result.stdout
    result = invoke("quarantine", "list", "-w", str(warehouse), "--reason", "no_body", "--stage", "parse")
    assert "zz_headline_only.txt" in result.stdout and "zz_empty.txt" not in result.stdout
    assert invoke("quarantine", "list", "-w", str(warehouse), "--stage", "reading").exit_code == 2


def test_quarantine_show(warehouse):
    [(quarantine_id,)] = query(warehouse, "select quarantine_id from quarantine where reason_code = 'no_body'")
    result = invoke("quarantine", "show", quarantine_id[:6], "-w", str(warehouse))
    assert result.exit_code == 0, result.output
    assert quarantine_id in result.stdout
    assert "no body paragraphs after the headline" in result.stdout
    assert "content unchanged" in result.stdout
    assert invoke("quarantine", "show", "0000000000000000", "-w", str(warehouse)).exit_code == 2
    assert invoke("quarantine", "show", "xyz", "-w", str(warehouse)).exit_code == 2


def test_stages_match_the_schema():
    assert tuple(STAGES) == tuple(SCHEMA_STAGES)


def test_local_file(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss/>", encoding="utf-8")
    assert local_file(str(feed)) == str(feed)
    assert local_file(f"{feed}#https://example.org/item#frag") == str(feed)
    assert local_file(str(tmp_path / "gone.txt")) is None
    assert local_file("https://example.org/feed.xml") is None


def quarantine_frame(path: Path, stage: str = "parse", reason: str = "no_body") -> pd.DataFrame:
    return pd.DataFrame(
        [("q1", str(path), stage, reason, "0" * 64)],
        columns=["quarantine_id", "source_uri", "stage", "reason_code", "content_hash"],
        dtype=object,
    )


@pytest.mark.parametrize(
    ("in_ledger", "now", "stored", "action", "fixed"),
    [
        (False, (["a1"], []), set(), "run", True),  # changed on disk: the ETL reads it anyway
        (True, (["a1"], []), set(), "reread-and-run", True),  # unchanged, but it parses now
        (True, (["a1"], []), {"a1"}, "skip", True),  # fixed and loaded already
        (True, ([], [("parse", "no_body", "no body")]), set(), "skip", False),  # still fails
        (False, ([], [("parse", "no_body", "no body")]), set(), "run", False),  # changed, still fails
    ],
)
def test_plan_replay(tmp_path, in_ledger, now, stored, action, fixed):
    path = tmp_path / "story.txt"
    path.write_text("text", encoding="utf-8")
    stat = os.stat(path)
    ledger = {(str(path), stat.st_size, stat.st_mtime_ns)} if in_ledger else set()
    rows = pd.concat([quarantine_frame(path), quarantine_frame(tmp_path / "gone.txt")])
    plan, gone = plan_replay(rows, ledger, {str(path): stored}, lambda _: now)
    assert gone == [str(tmp_path / "gone.txt")]
    [item] = plan
    assert (item.action, item.fixed, item.content) == (action, fixed, "changed")


def test_replay_dry_run_changes_nothing(warehouse):
    before = query(warehouse, "select count(*) from runs")
    result = invoke("quarantine", "replay", "-w", str(warehouse), "--dry-run", "--no-enrich")
    assert result.exit_code == 0, result.output
    assert "unchanged, still fails: parse/no_body" in result.stdout
    assert query(warehouse, "select count(*) from runs") == before


def test_replay_after_a_fix_loads_the_fixed_file(warehouse, inputs):
    (inputs / "zz_headline_only.txt").write_text(FIXED, encoding="utf-8")
    result = invoke("quarantine", "replay", "-w", str(warehouse))
    assert result.exit_code == 1, result.output  # zz_empty.txt is still empty
    assert "loaded 1 new article(s)" in result.stdout
    assert "unchanged, still fails: read/empty" in result.stdout
    path = str(inputs / "zz_headline_only.txt")
    assert query(warehouse, "select headline from articles where source_uri = ?", [path]) == [
        ("Regional agencies sign newsroom exchange deal",)
    ]
    [(inputs_json,)] = query(warehouse, "select inputs from runs order by started_at desc limit 1")
    assert inputs_json == f'["{path}"]'  # only the fixed file was run
    # Its quarantine row is resolved: `quarantine list` shows open rows only, `--all` shows it resolved.
    assert query(warehouse, "select reason_code, status from quarantine order by reason_code") == [
        ("empty", "open"),
        ("no_body", "resolved"),
    ]
    listed = invoke("quarantine", "list", "-w", str(warehouse))
    assert "zz_empty.txt" in listed.stdout and "zz_headline_only.txt" not in listed.stdout
    assert "1 open row(s)" in listed.stdout
    everything = invoke("quarantine", "list", "-w", str(warehouse), "--all")
    assert "zz_headline_only.txt" in everything.stdout and "resolved" in everything.stdout


def test_replay_of_resolved_rows_only_exits_0(warehouse):
    runs = query(warehouse, "select count(*) from runs")
    result = invoke("quarantine", "replay", "-w", str(warehouse), "--reason", "no_body")
    assert result.exit_code == 0, result.output
    assert "Nothing to replay: no open quarantine row matches" in result.stdout
    assert query(warehouse, "select count(*) from runs") == runs


def test_replay_with_nothing_selected(warehouse):
    result = invoke("quarantine", "replay", "-w", str(warehouse), "--reason", "no_such_reason")
    assert result.exit_code == 0
    assert "Nothing to replay" in result.stdout
