"""A wall-clock time limit for reading and parsing one document.

:func:`deadline` arms a one-shot ``ITIMER_REAL`` timer; when it fires, the ``SIGALRM``
handler raises :class:`DeadlineExceeded` in the code that is running, wherever it is.
That works only where Python delivers signals: the main thread of the process, on a
platform with ``signal.setitimer`` (POSIX). Anywhere else the limit degrades to no
limit at all; see :func:`deadline` for exactly when.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class DeadlineExceeded(BaseException):
    """The guarded block ran past its time limit.

    It derives from ``BaseException``, like ``KeyboardInterrupt``, so that the broad
    ``except Exception`` handlers that parsers (and this project's readers) wrap around
    third-party code do not swallow it and turn a timeout into some other rejection.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"time limit of {seconds:g} s exceeded")
        self.seconds = seconds


def can_interrupt() -> bool:
    """Tell whether :func:`deadline` can enforce a limit in the calling thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None) -> Iterator[bool]:
    """Raise :class:`DeadlineExceeded` inside the block when it runs longer than ``seconds``.

    The limit is enforced only when all of these hold, and silently not at all otherwise
    (the context then yields False and the block runs to completion, however long):

    - ``seconds`` is a positive number (None or 0 means no limit);
    - the calling thread is the main thread of its process: signal handlers run only
      there. Inside a worker *thread* (a Prefect thread-pool task runner, a Dask worker
      thread) nothing can interrupt running code, so there is no limit. A worker
      *process* (``ProcessPoolExecutor``, a Dask worker process with one thread) runs
      tasks in its main thread, where the limit works;
    - the platform has ``signal.setitimer`` (not Windows);
    - no other ``ITIMER_REAL`` timer is armed (an outer deadline, pytest-timeout's
      signal method): the process has one such timer, and it is left alone.

    The timer interrupts Python code between bytecodes. A long call into C (libxml2
    parsing one huge buffer, one regular-expression search) is interrupted only once it
    returns to Python, so the block can overrun by that long. Code that catches
    ``BaseException`` (or uses a bare ``except:``) can swallow the exception; the block
    then simply finishes late. An interrupted parser may leave a module-level cache half
    updated; the readers this guards keep no state between documents beyond such caches.

    Args:
        seconds: The time limit in seconds.

    Yields:
        True when the limit is armed, False when it cannot be (see above).

    Raises:
        DeadlineExceeded: The block was still running after ``seconds``. It may also be
            raised just after the block finished, when the timer fired in between; the
            caller then treats the block as timed out.
    """
    if not seconds or seconds <= 0 or not can_interrupt() or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield False
        return

    fired: list[bool] = []

    def expire(signum: int, frame: FrameType | None) -> None:
        fired.append(True)
        raise DeadlineExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield True
    finally:
        try:
            # Disarm first; a signal that arrived before this runs ``expire`` right after
            # the call returns, and the inner ``finally`` still restores the old handler.
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
    if fired:
        # The timer fired but the exception never left the block: it was raised inside code
        # whose exceptions Python discards (a finaliser, a weakref or garbage-collector
        # callback) or that swallowed it. The block still ran past the limit.
        raise DeadlineExceeded(seconds)
