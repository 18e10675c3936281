"""A run's progress: files done of the total, articles per second and the time left.

The ETL flow keeps a ``ProgressTracker`` and logs ``ProgressSnapshot.log_message()`` lines
(rate-limited by the tracker's ``due``); ``media-etl run`` reads them back with
``parse_progress`` and shows them as a progress bar in a terminal, or as a plain line every
few seconds (``Throttle``) in a log. Nothing here touches Prefect; the clock is a parameter so
that tests can drive it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Clock = Callable[[], float]
# The flow logs at most one progress line this often (besides the first and the last).
LOG_EVERY_SECONDS = 2.0
_PROGRESS_LINE = re.compile(
    r"^progress: (?P<done>\d+)/(?P<total>\d+) files, (?P<articles>\d+) articles in (?P<elapsed>\d+(?:\.\d+)?) s\b"
)


def format_duration(seconds: float) -> str:
    """Say a duration the way a person reads it: ``45 s``, ``3 min 05 s``, ``2 h 07 min``.

    Args:
        seconds: The duration (negative counts as 0).

    Returns:
        The duration, rounded to whole seconds (to whole minutes from an hour on).
    """
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    minutes = round(whole / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


@dataclass(frozen=True)
class ProgressSnapshot:
    """Where a run stands: files done of the total, articles read, and the seconds since it started."""

    files_done: int
    files_total: int
    articles: int
    elapsed_seconds: float

    @property
    def finished(self) -> bool:
        """True when every file is done."""
        return self.files_done >= self.files_total

    @property
    def articles_per_second(self) -> float | None:
        """Articles read per second so far; None before any time has passed."""
        return self.articles / self.elapsed_seconds if self.elapsed_seconds > 0 else None

    @property
    def seconds_left(self) -> float | None:
        """The time left at the pace files were done so far; None before the first file is done."""
        if self.finished:
            return 0.0
        if self.files_done <= 0 or self.elapsed_seconds <= 0:
            return None
        return (self.files_total - self.files_done) * self.elapsed_seconds / self.files_done

    def describe(self) -> str:
        """Say the progress in one short line, e.g. ``40/130 files, 212 articles, 17.5 articles/s, about 12 s left``."""
        parts = [f"{self.files_done}/{self.files_total} files", f"{self.articles} articles"]
        rate = self.articles_per_second
        if rate is not None:
            parts.append(f"{rate:.1f} articles/s")
        left = self.seconds_left
        if self.finished:
            parts.append(f"done in {format_duration(self.elapsed_seconds)}")
        elif left is not None:
            parts.append(f"about {format_duration(left)} left")
        return ", ".join(parts)

    def log_message(self) -> str:
        """The line the flow logs, which ``parse_progress`` reads back.

        Returns:
            ``progress: DONE/TOTAL files, N articles in S s (``...``)``, the parenthesis
            giving the rate and the time left for a person reading the log.
        """
        rate = self.articles_per_second
        details = [f"{rate:.1f} articles/s" if rate is not None else "starting"]
        left = self.seconds_left
        if not self.finished and left is not None:
            details.append(f"about {format_duration(left)} left")
        return (
            f"progress: {self.files_done}/{self.files_total} files, {self.articles} articles"
            f" in {self.elapsed_seconds:.1f} s ({', '.join(details)})"
        )


def parse_progress(message: str) -> ProgressSnapshot | None:
    """Read a progress line the flow logged.

    Args:
        message: A log message.

    Returns:
        The snapshot it carries, or None when the message is not a progress line.
    """
    match = _PROGRESS_LINE.match(message)
    if match is None:
        return None
    return ProgressSnapshot(
        files_done=int(match["done"]),
        files_total=int(match["total"]),
        articles=int(match["articles"]),
        elapsed_seconds=float(match["elapsed"]),
    )


class Throttle:
    """Say yes at most once every ``every_seconds``: the first time, and then when that long has passed."""

    def __init__(self, every_seconds: float, clock: Clock = time.monotonic) -> None:
        self.every_seconds = every_seconds
        self.clock = clock
        self._last: float | None = None

    def ready(self) -> bool:
        """True when the caller may act now (and the wait starts again); False to stay quiet."""
        now = self.clock()
        if self._last is not None and now - self._last < self.every_seconds:
            return False
        self._last = now
        return True


class ProgressTracker:
    """Count the files and articles a run has done against the files it will look at."""

    def __init__(self, files_total: int, *, every_seconds: float = LOG_EVERY_SECONDS, clock: Clock = time.monotonic):
        self.files_total = files_total
        self.clock = clock
        self.started = clock()
        self.files_read = 0
        self.files_skipped = 0
        self.articles = 0
        self._throttle = Throttle(every_seconds, clock)
        self._finished_at_total: int | None = None  # the total when "all done" was last reported

    def add(self, *, files_read: int, articles: int, files_skipped: int | None = None) -> ProgressSnapshot:
        """Count one more batch.

        Args:
            files_read: Files the batch read.
            articles: Articles they held.
            files_skipped: Files skipped unread so far (unchanged since an earlier run), a running total.

        Returns:
            The progress after the batch.
        """
        self.files_read += files_read
        self.articles += articles
        if files_skipped is not None:
            self.files_skipped = files_skipped
        return self.snapshot()

    def finish(self, files_seen: int) -> ProgressSnapshot:
        """Close the count once listing is over: every one of the ``files_seen`` files is done.

        Args:
            files_seen: Files the run listed (the total, should files have come or gone since it was counted).

        Returns:
            The final progress.
        """
        self.files_total = files_seen
        self.files_skipped = max(0, files_seen - self.files_read)
        return self.snapshot()

    def snapshot(self) -> ProgressSnapshot:
        """The progress now (files done never shown above the total)."""
        done = min(self.files_read + self.files_skipped, self.files_total)
        return ProgressSnapshot(done, self.files_total, self.articles, self.clock() - self.started)

    def due(self) -> bool:
        """True when a progress line should be logged now: the first, the last, and one every ``every_seconds``."""
        if self.snapshot().finished:
            if self._finished_at_total == self.files_total:
                return False
            self._finished_at_total = self.files_total
            self._throttle.ready()
            return True
        return self._throttle.ready()


def count_files(paths: Iterable[str]) -> int:
    """Count the files that folders, files and glob patterns name, as a run lists them.

    Args:
        paths: Paths or glob patterns (no URLs).

    Returns:
        The number of files (inputs refused while listing, such as broken symlinks, not counted).
    """
    from media_etl.ingest.files import iter_inputs  # not at import: `media-etl --help` stays fast

    return sum(1 for entry in iter_inputs(paths) if isinstance(entry, str))
