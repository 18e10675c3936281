"""media_etl.progress: the run's progress tracker (rate, time left, rate-limited lines) on a fake clock."""

from pathlib import Path

import pytest

from media_etl.progress import (
    ProgressSnapshot,
    ProgressTracker,
    Throttle,
    count_files,
    format_duration,
    parse_progress,
)
from tests.conftest import SEEDS


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0, "0 s"), (-3, "0 s"), (44.6, "45 s"), (60, "1 min 00 s"), (185, "3 min 05 s"), (7620, "2 h 07 min")],
)
def test_format_duration(seconds, said):
    assert format_duration(seconds) == said


def test_rate_and_time_left_follow_the_clock():
    clock = FakeClock()
    tracker = ProgressTracker(100, clock=clock)
    start = tracker.snapshot()
    assert (start.files_done, start.files_total, start.articles) == (0, 100, 0)
    assert start.articles_per_second is None and start.seconds_left is None

    clock.advance(10)
    after = tracker.add(files_read=20, articles=50)
    assert after.files_done == 20
    assert after.articles_per_second == pytest.approx(5.0)
    # 20 files in 10 s: the other 80 take 40 s more
    assert after.seconds_left == pytest.approx(40.0)
    assert after.describe() == "20/100 files, 50 articles, 5.0 articles/s, about 40 s left"

    clock.advance(30)
    later = tracker.add(files_read=30, articles=150, files_skipped=30)
    assert later.files_done == 80  # 50 read, 30 skipped as unchanged
    assert later.articles_per_second == pytest.approx(5.0)
    assert later.seconds_left == pytest.approx(20 * 40 / 80)


def test_finish_counts_every_listed_file_done():
    clock = FakeClock()
    tracker = ProgressTracker(10, clock=clock)
    clock.advance(4)
    tracker.add(files_read=6, articles=12, files_skipped=2)
    final = tracker.finish(files_seen=11)  # a file came while the run listed
    assert (final.files_done, final.files_total) == (11, 11)
    assert final.finished and final.seconds_left == 0
    assert final.describe() == "11/11 files, 12 articles, 3.0 articles/s, done in 4 s"


def test_files_done_never_passes_the_total():
    tracker = ProgressTracker(3, clock=FakeClock())
    assert tracker.add(files_read=2, articles=2, files_skipped=5).files_done == 3


def test_throttle_says_yes_once_per_interval():
    clock = FakeClock()
    throttle = Throttle(5, clock)
    answers = []
    for _ in range(12):
        answers.append(throttle.ready())
        clock.advance(1)
    assert answers == [True, False, False, False, False, True, False, False, False, False, True, False]


def test_tracker_logs_the_first_line_every_few_seconds_and_the_last_once():
    clock = FakeClock()
    tracker = ProgressTracker(10, every_seconds=2, clock=clock)
    due = [tracker.due()]  # the first line
    for _ in range(9):
        clock.advance(0.5)
        tracker.add(files_read=1, articles=1)
        due.append(tracker.due())
    assert due == [True, False, False, False, True, False, False, False, True, False]
    clock.advance(0.1)
    tracker.add(files_read=1, articles=1)
    assert tracker.due(), "the line that says all files are done is never held back"
    tracker.finish(files_seen=10)
    assert not tracker.due(), "and it is logged once"
    tracker.finish(files_seen=12)
    assert tracker.due(), "unless the total changed"


def test_log_message_reads_back():
    snapshot = ProgressSnapshot(files_done=40, files_total=130, articles=212, elapsed_seconds=12.25)
    message = snapshot.log_message()
    assert message.startswith("progress: 40/130 files, 212 articles in 12.2 s (17.3 articles/s, about ")
    assert parse_progress(message) == ProgressSnapshot(40, 130, 212, 12.2)
    assert parse_progress(ProgressSnapshot(0, 5, 0, 0.0).log_message()) == ProgressSnapshot(0, 5, 0, 0.0)


@pytest.mark.parametrize(
    "message",
    ["files 225 (unchanged, not read: 0), articles valid 1417", "progress: lots", "quarantined progress: 1/2 files"],
)
def test_other_log_lines_are_not_progress(message):
    assert parse_progress(message) is None


def test_count_files_counts_what_a_run_lists(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("y", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("z", encoding="utf-8")
    (tmp_path / "broken").symlink_to(tmp_path / "nowhere")
    assert count_files([str(tmp_path)]) == 2
    assert count_files([str(tmp_path), str(tmp_path / "a.txt")]) == 2  # named twice, counted once
    assert count_files([str(SEEDS / "*.txt")]) == len(list(SEEDS.glob("*.txt")))
