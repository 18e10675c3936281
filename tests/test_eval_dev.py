"""The dev-set evaluation: figures read from the reference scorer's JSON, verdicts and skipped sets."""

from benchmarks.eval_dev import LABELLED_SETS, MEASURES, SETS, Measure, table

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
