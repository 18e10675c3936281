"""The dev-set evaluation: figures read from the reference scorer's JSON, verdicts and skipped sets."""

from datetime import date

import duckdb

from benchmarks.eval_dev import LABELLED_SETS, MEASURES, REFERENCES, SETS, Measure, table
from benchmarks.trafilatura_alone import build

SCORES = {"quotes": {"precision": {"correct": 9, "n": 10, "rate": 0.9}}, "coverage": {"found_rate": 1}}


def test_a_figure_is_read_by_its_path_and_missing_ones_are_none():
    assert Measure("s", "p", ("quotes", "precision", "rate"), 0.85, 14).figure(SCORES) == 0.9
    assert Measure("s", "c", ("coverage", "found_rate"), 1.0, 13).figure(SCORES) == 1.0
    assert Measure("s", "x", ("quotes", "nothing", "rate"), 0.5, 14).figure(SCORES) is None
    assert Measure("s", "y", ("quotes", "precision"), 0.5, 14).figure(SCORES) is None  # a dict, not a figure


def test_verdicts_and_skipped_sets():
    measures = [
        Measure("a", "met", ("quotes", "precision", "rate"), 0.85, 14),
        Measure("a", "missed", ("quotes", "precision", "rate"), 0.95, 14),
        Measure("a", "not reported", ("quotes", "recall", "rate"), 0.5, 14),
        Measure("b", "absent set", ("quotes", "precision", "rate"), 0.5, 14),
    ]
    lines = table(measures, {"a": SCORES}, {"b": "absent"})
    assert [line.split()[-2] if "skipped" not in line else "skipped" for line in lines[1:]] == [
        "PASS",
        "FAIL",
        "FAIL",
        "skipped",
    ]
    assert "0.900" in lines[1] and "n/a" in lines[3]


def test_every_measure_names_a_known_set():
    assert {m.dev_set for m in MEASURES} == {s.name for s in SETS} | set(LABELLED_SETS)


def test_a_measure_held_to_the_reference_tool_fails_below_it(monkeypatch):
    monkeypatch.setitem(REFERENCES, "a", "trafilatura")
    measures = [
        Measure("a", "above target, below tool", ("quotes", "precision", "rate"), 0.85, 15, at_least_reference=True),
        Measure("a", "above target, tool not binding", ("quotes", "precision", "rate"), 0.85, 15),
    ]
    tool = {"quotes": {"precision": {"rate": 0.95}}}
    lines = table(measures, {"a": SCORES}, {}, {"a": tool})
    assert [line.split()[-2] for line in lines[1:]] == ["FAIL", "PASS"]
    assert all("trafilatura 0.950" in line for line in lines[1:])


def test_trafilatura_alone_builds_a_scorable_articles_table(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    paragraph = "The harbour authority opened a new ferry terminal on the north shore this week. " * 4
    (pages / "ferry.html").write_text(
        "<html><head><title>New ferry terminal opens</title>"
        '<meta property="article:published_time" content="2024-05-02T10:00:00+02:00">'
        '<meta name="author" content="Jane Roe"></head>'
        f"<body><article><h1>New ferry terminal opens</h1><p>{paragraph}</p><p>{paragraph}</p></article></body></html>",
        encoding="utf-8",
    )
    database = tmp_path / "wh" / "media.db"
    assert build(pages, database, workers=1) == 1
    with duckdb.connect(str(database), read_only=True) as connection:
        row = connection.execute("select article_id, headline, byline, published_date, body from articles").fetchone()
    assert row is not None
    assert row[:4] == ("ferry.html", "New ferry terminal opens", "Jane Roe", date(2024, 5, 2))
    assert "ferry terminal" in row[4]
