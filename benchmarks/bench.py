"""Measure the ETL against floors measured in the same run, and print the ratios.

    .venv/bin/python benchmarks/bench.py --n 100000 [--ref-n 10000] [--html-n 2000] [--workers 2]
        [--batch-size N] [--seed 1] [--synthetic-n 1000000] [--dir /tmp/media-etl-bench]

Everything is measured in one invocation, on one machine state, so the ratios compare like
with like. The corpora are built by ``benchmarks/scale_corpus.py`` under ``--dir`` (outside the
repo) and reused by later invocations with the same size and seed; every file is read once
before any timing, so all figures are taken with a warm page cache.

A Prefect server is started once, at the beginning (``prefect server start`` on a free port of
127.0.0.1, with a private ``PREFECT_HOME`` under ``--dir``), and stopped at the end, also on
error, so its start-up is not charged to each run, as with a deployed server. Each measured ETL
run is its own process, ``media-etl run INPUT --warehouse W --no-feeds [--no-enrich] --workers N
--summary-json S``, started from the repo root against that server; its output goes to
``--dir/logs``. The figures (each printed on its own line with what it means and, where there
is a target, PASS or FAIL):

- ``floor_aps``: n / seconds of DuckDB ``COPY (SELECT filename, content FROM read_text(glob))
  TO parquet`` with ``preserve_insertion_order=false``, DuckDB's default threads; the fastest
  of three copies, so that a moment of contention on a shared machine does not lower the floor.
- ``etl_aps``: articles loaded / the flow's wall seconds (``wall_seconds`` in the summary: the
  time around the flow call), enrichment off, into a fresh warehouse; ``core_ratio`` =
  etl_aps / floor_aps.
- ``full_ratio``: the same with every enrichment on (fresh warehouse), over floor_aps.
- ``noop_share``: a second full run on the same input and warehouse (nothing changed): its
  wall over the full run's.
- ``html_ratio``: pages/s of the whole ETL on the HTML pages, enrichment off, over pages/s of
  ``trafilatura.extract`` alone on the same pages in ``multiprocessing.Pool(workers)``; the
  ratio with enrichment on is printed too.
- ``rss_gib``: peak resident memory of the full run at n, summed over the ETL process and all
  its descendants, sampled with psutil every 0.2 s; ``rss_ratio``: that over the same figure
  for a full run at ref-n.
- ``prefect_share``: (wall - stage_seconds) / wall for the full run, where the flow reports
  ``stage_seconds``, the union of the intervals in which any stage function ran.
- ``max_view_s``: after the full run, the slowest ``rpt_*`` view of its ``media.db``, timed by
  fetching all rows.
- ``max_view_s_1m`` and ``cluster_rss_gib_1m``: on a synthetic warehouse of ``--synthetic-n``
  articles (default 1,000,000) written directly as Parquet by ``benchmarks/synthetic_warehouse.py``
  (no ETL run), the slowest ``rpt_*`` view, timed as ``count(*)`` and as a full fetch, best of
  two (the current views ``articles``, ``quotes``, ``mentions`` and ``entities`` are timed too and
  printed as ``current_view_s_1m``, without a target: their full fetch returns millions of rows);
  and the peak RSS of ``refresh_story_clusters`` over all its stored signatures, in a child process.

Progress goes to stderr, figures to stdout, and the last line is machine-readable::

    bench: n=100000 etl_aps=… floor_aps=… core_ratio=… full_ratio=… html_ratio=… noop_share=… rss_gib=… …

The exit code is 0 whether or not the targets are met (this is a measurement); it is nonzero
only when something failed.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb
import psutil

# Run as a script, only benchmarks/ is on sys.path; the repo root makes ``benchmarks`` importable.
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scale_corpus import FORMAT_VERSION, build_corpus, build_html, read_info, write_info
from benchmarks.synthetic_warehouse import measure_synthetic

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = REPO_ROOT / ".venv" / "bin"
DEFAULT_DIR = Path("/tmp/media-etl-bench")
SAMPLE_SECONDS = 0.2
FLOOR_REPEATS = 3
SERVER_TIMEOUT = 300.0
GIB = 1024**3

FIELDS = (
    "etl_aps",
    "floor_aps",
    "core_ratio",
    "full_ratio",
    "html_ratio",
    "noop_share",
    "rss_gib",
    "rss_ratio",
    "prefect_share",
    "max_view_s",
    "max_view_s_1m",
    "cluster_rss_gib_1m",
)
# figure -> (comparison, target): issue 17's targets for 2 cores (the README's performance table)
TARGETS: dict[str, tuple[str, float]] = {
    "core_ratio": (">=", 0.09),
    "full_ratio": (">=", 0.0045),
    "html_ratio": (">=", 0.9),
    "noop_share": ("<=", 0.02),
    "rss_gib": ("<=", 2.0),
    "rss_ratio": ("<=", 1.2),
    "prefect_share": ("<=", 0.05),
    "max_view_s": ("<=", 1.0),
    "max_view_s_1m": ("<=", 1.0),
    "cluster_rss_gib_1m": ("<=", 0.5),
}


class BenchError(RuntimeError):
    """A step of the benchmark failed (not a missed target: a failure)."""


def progress(message: str) -> None:
    """Print a progress message to stderr."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _executable(name: str) -> str:
    """The venv's executable when there is one, else this interpreter's neighbour or PATH."""
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


# ---------------------------------------------------------------------------------------------
# The ETL run summary and the final line


@dataclass(frozen=True)
class RunSummary:
    """What the flow's ``--summary-json`` says about one run."""

    wall_seconds: float
    stage_seconds: float
    articles_loaded: int
    articles_parsed: int
    files_read: int
    files_seen: int
    status: str


def read_summary(path: Path) -> RunSummary:
    """Read the JSON the flow writes with ``--summary-json``.

    Args:
        path: The file.

    Returns:
        The figures the benchmark uses.

    Raises:
        BenchError: The file is missing, not JSON, or lacks a key.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return RunSummary(
            wall_seconds=float(data["wall_seconds"]),
            stage_seconds=float(data["stage_seconds"]),
            articles_loaded=int(data["articles_loaded"]),
            articles_parsed=int(data["articles_parsed"]),
            files_read=int(data["files_read"]),
            files_seen=int(data.get("files_seen", data["files_read"])),
            status=str(data.get("status", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BenchError(f"cannot read the run summary {path}: {type(exc).__name__}: {exc}") from exc


def bench_line(n: int, figures: dict[str, float]) -> str:
    """Format the final machine-readable line.

    Args:
        n: The corpus size.
        figures: A value for every name in ``FIELDS``.

    Returns:
        ``bench: n=… etl_aps=… …`` with the fields in ``FIELDS`` order.
    """
    return "bench: " + " ".join([f"n={n}", *(f"{name}={number(figures[name])}" for name in FIELDS)])


def number(value: float) -> str:
    """Four significant digits, without an exponent for values of 1000 and more (``15790``, ``0.02256``)."""
    return f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def parse_bench_line(line: str) -> dict[str, float]:
    """Parse the final line back into numbers.

    Args:
        line: A line printed by :func:`bench_line`.

    Returns:
        ``n`` and every field, as floats.

    Raises:
        ValueError: The line does not start with ``bench:``, or a field is missing or not a number.
    """
    if not line.startswith("bench: "):
        raise ValueError(f"not a bench line: {line!r}")
    values = {}
    for pair in line[len("bench: ") :].split():
        name, _, value = pair.partition("=")
        values[name] = float(value)
    missing = [name for name in ("n", *FIELDS) if name not in values]
    if missing:
        raise ValueError(f"bench line lacks {', '.join(missing)}")
    return values


def verdict(name: str, value: float) -> str:
    """``PASS``/``FAIL`` against the figure's target, with the target; empty for figures without one."""
    if name not in TARGETS:
        return ""
    comparison, target = TARGETS[name]
    ok = value >= target if comparison == ">=" else value <= target
    return f"{'PASS' if ok else 'FAIL'} (target {'≥' if comparison == '>=' else '≤'} {target:g})"


# ---------------------------------------------------------------------------------------------
# The Prefect server


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrefectServer:
    """A Prefect server started in the background for the benchmark's runs, in its own process group."""

    def __init__(self, home: Path, log_path: Path) -> None:
        """Prepare (not start) a server whose state lives in ``home``; its output goes to ``log_path``."""
        self.home = home
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: TextIO | None = None

    def env(self) -> dict[str, str]:
        """The environment of every Prefect process of the benchmark: this server, a private home, no analytics."""
        env = dict(os.environ)
        env.update(
            PREFECT_HOME=str(self.home),
            PREFECT_API_URL=self.url,
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
        )
        return env

    def start(self) -> None:
        """Start ``prefect server start`` in the background (returns at once; see :meth:`wait`)."""
        self.home.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        env = self.env()
        env.pop("PREFECT_API_URL")
        self.process = subprocess.Popen(
            [_executable("prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        progress(f"Prefect server starting on {self.url} (pid {self.process.pid}, log {self.log_path})")

    def wait(self, timeout: float = SERVER_TIMEOUT) -> None:
        """Wait until ``/api/health`` answers.

        Raises:
            BenchError: The server exited or did not answer in time.
        """
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the Prefect server exited with {self.process.returncode}:\n{self._tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        progress("Prefect server is up")
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise BenchError(f"the Prefect server did not answer within {timeout:.0f} s:\n{self._tail()}")

    def stop(self) -> None:
        """Stop the server's process group: SIGTERM, then SIGKILL after 20 s."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            progress("Prefect server stopped")
        if self._log is not None:
            self._log.close()
            self._log = None

    def _tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __enter__(self) -> PrefectServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------
# Corpora and the page cache


def ensure_corpus(root: Path, n: int, seed: int, near_dup_share: float) -> Path:
    """Build (or reuse) the text corpus of ``n`` articles and return its ``text`` folder.

    Args:
        root: The benchmark folder.
        n: Articles.
        seed: The scaler's seed.
        near_dup_share: Share of planted near-duplicates.

    Returns:
        The folder of shard folders.
    """
    out = root / f"corpus-n{n}-seed{seed}-dup{near_dup_share:g}"
    wanted = {"format": FORMAT_VERSION, "n": n, "html": 0, "seed": seed, "near_dup_share": near_dup_share}
    if read_info(out) == wanted:
        progress(f"reusing the corpus of {n} articles in {out}")
    else:
        progress(f"building a corpus of {n} articles in {out}")
        started = time.perf_counter()
        out.mkdir(parents=True, exist_ok=True)
        (out / "corpus.json").unlink(missing_ok=True)
        build_corpus(out, n, seed=seed, near_dup_share=near_dup_share, log=progress)
        write_info(out, wanted)
        progress(f"built {n} articles in {time.perf_counter() - started:.1f} s")
    return out / "text"


def ensure_html(root: Path, n: int, seed: int) -> Path:
    """Build (or reuse) ``n`` HTML pages and return their ``html`` folder."""
    out = root / f"html-n{n}-seed{seed}"
    wanted = {"format": FORMAT_VERSION, "n": 0, "html": n, "seed": seed, "near_dup_share": 0}
    if read_info(out) == wanted:
        progress(f"reusing the {n} HTML pages in {out}")
    else:
        progress(f"building {n} HTML pages in {out}")
        out.mkdir(parents=True, exist_ok=True)
        (out / "corpus.json").unlink(missing_ok=True)
        build_html(out, n, seed=seed, log=progress)
        write_info(out, wanted)
    return out / "html"


def corpus_files(folder: Path, suffix: str) -> list[Path]:
    """The corpus files under ``folder`` (shard folders), sorted."""
    return sorted(folder.glob(f"*/*{suffix}"))


def warm_cache(files: Sequence[Path]) -> int:
    """Read every file once so that the timed runs find them in the page cache; return the bytes read."""
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


# ---------------------------------------------------------------------------------------------
# Measurements


def duckdb_floor(text_dir: Path, scratch: Path, repeats: int = FLOOR_REPEATS) -> list[float]:
    """Seconds DuckDB takes to copy every file's name and content to one Parquet file, a few times.

    Args:
        text_dir: The corpus' text folder (shard folders of ``.txt`` files).
        scratch: A folder for the Parquet file (deleted afterwards).
        repeats: How many times to copy.

    Returns:
        The wall seconds of each ``COPY``; the benchmark takes the fastest as the floor.
    """
    target = scratch / "floor.parquet"
    pattern = str(text_dir / "*" / "*.txt").replace("'", "''")
    times = []
    for _ in range(repeats):
        target.unlink(missing_ok=True)
        with duckdb.connect() as con:
            con.execute("SET preserve_insertion_order=false")
            started = time.perf_counter()
            con.execute(f"COPY (SELECT filename, content FROM read_text('{pattern}')) TO '{target}' (FORMAT parquet)")
            times.append(time.perf_counter() - started)
    target.unlink(missing_ok=True)
    return times


@dataclass(frozen=True)
class EtlRun:
    """One measured ETL process."""

    label: str
    summary: RunSummary
    process_seconds: float
    peak_rss: int
    """Peak of the summed RSS of the ETL process and all its descendants, bytes."""

    @property
    def wall(self) -> float:
        """The flow's wall seconds (time around the flow call)."""
        return self.summary.wall_seconds


def tree_rss(process: psutil.Process) -> int:
    """The RSS of a process plus all its descendants, bytes (processes that vanish meanwhile count 0)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


def run_etl(
    label: str,
    inputs: Path,
    warehouse: Path,
    *,
    enrich: bool,
    fresh: bool,
    workers: int,
    batch_size: int | None,
    env: dict[str, str],
    logs: Path,
) -> EtlRun:
    """Run the ETL flow once as a subprocess from the repo root, sampling its memory.

    Args:
        label: Name of the run, for the log file and messages.
        inputs: The input folder.
        warehouse: The warehouse folder.
        enrich: Run with enrichment on.
        fresh: Delete the warehouse first.
        workers: ``--workers``.
        batch_size: ``--batch-size``, or None for the flow's default.
        env: The Prefect environment (server URL, home).
        logs: Folder for the run's output and summary.

    Returns:
        The run's summary, process wall seconds and peak tree RSS.

    Raises:
        BenchError: The process failed or wrote no summary.
    """
    if fresh and warehouse.exists():
        shutil.rmtree(warehouse)
    summary_path = logs / f"{label}.json"
    summary_path.unlink(missing_ok=True)
    command = [_executable("media-etl"), "run", str(inputs), "--warehouse", str(warehouse), "--no-feeds"]
    if not enrich:
        command.append("--no-enrich")
    command += ["--workers", str(workers), "--summary-json", str(summary_path)]
    if batch_size:
        command += ["--batch-size", str(batch_size)]
    log_path = logs / f"{label}.log"
    progress(f"{label}: {' '.join(command[1:])}")
    peak = 0
    started = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            watched = psutil.Process(process.pid)
            while process.poll() is None:
                peak = max(peak, tree_rss(watched))
                time.sleep(SAMPLE_SECONDS)
        except BaseException:
            # Interrupted: stop the run and the workers it started (its own process group).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    elapsed = time.perf_counter() - started
    # The run completed when its summary says so (media-etl run exits 0 then, quarantined inputs or not).
    summary = read_summary(summary_path) if summary_path.exists() else None
    if summary is None or summary.status != "completed":
        tail = "\n".join(log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        raise BenchError(f"{label}: the ETL exited with {process.returncode} (log {log_path}):\n{tail}")
    progress(
        f"{label}: {summary.articles_loaded} articles loaded from {summary.files_read} files read, "
        f"flow {summary.wall_seconds:.1f} s (process {elapsed:.1f} s), peak RSS {peak / GIB:.2f} GiB"
    )
    return EtlRun(label, summary, elapsed, peak)


def time_views(database: Path) -> dict[str, float]:
    """Seconds to fetch every row of each ``rpt_*`` view, queried from the repo root.

    Args:
        database: The warehouse's ``media.db``.

    Returns:
        Seconds per view name.
    """
    times: dict[str, float] = {}
    with duckdb.connect(str(database), read_only=True) as con:
        names = [
            str(row[0])
            for row in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal AND starts_with(view_name, 'rpt_') "
                "ORDER BY view_name"
            ).fetchall()
        ]
        for name in names:
            started = time.perf_counter()
            con.execute(f'SELECT * FROM "{name}"').fetchall()
            times[name] = time.perf_counter() - started
    if not times:
        raise BenchError(f"{database} holds no rpt_* view")
    return times


def clustered_articles(database: Path) -> int | None:
    """Articles the ETL put into near-duplicate story clusters (None when the table cannot be read)."""
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            row = con.execute("SELECT count(DISTINCT article_id) FROM story_clusters").fetchone()
    except duckdb.Error:
        return None
    return int(row[0]) if row else None


def planted_members(manifest: Path) -> int:
    """Files of the corpus that are planted near-duplicates or the articles they copy."""
    members: set[str] = set()
    with open(manifest, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "near_dup":
                members.update((row["file"], row["dup_of"]))
    return len(members)


def _load_trafilatura() -> None:
    import trafilatura  # noqa: F401 - imported once per worker, before the clock starts


def _ready(_: int) -> int:
    return os.getpid()


def _extract(path: str) -> int:
    import trafilatura

    with open(path, encoding="utf-8", errors="replace") as handle:
        text = trafilatura.extract(handle.read())
    return len(text or "")


def trafilatura_seconds(pages: Sequence[Path], workers: int) -> float:
    """Seconds ``trafilatura.extract`` (defaults) takes on the pages in a pool of ``workers`` processes.

    The pool is started and trafilatura imported in every worker before the clock starts.

    Args:
        pages: The HTML files.
        workers: Processes.

    Returns:
        Wall seconds of extracting every page.
    """
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_load_trafilatura) as pool:
        pool.map(_ready, range(workers * 4))
        started = time.perf_counter()
        pool.map(_extract, [str(p) for p in pages], chunksize=4)
        return time.perf_counter() - started


# ---------------------------------------------------------------------------------------------
# The benchmark


@dataclass
class Figures:
    """Every figure of one benchmark invocation."""

    lines: list[str]
    values: dict[str, float]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else math.nan


def measure(args: argparse.Namespace) -> Figures:
    """Run every measurement of the benchmark and collect the figures.

    Args:
        args: The parsed command line.

    Returns:
        The explained lines and the values for the final line.
    """
    root: Path = args.dir.resolve()
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    warehouses = root / "warehouses"
    workers: int = args.workers
    lines: list[str] = []
    values: dict[str, float] = {}

    def show(name: str, value: float, unit: str, explanation: str) -> None:
        line = f"{name:<16} {number(value):>10} {unit:<12} {explanation}"
        judged = verdict(name, value)
        lines.append(f"{line}  {judged}" if judged else line)
        print(lines[-1], flush=True)

    with PrefectServer(root / "prefect-home", logs / "prefect-server.log") as server:
        text_n = ensure_corpus(root, args.n, args.seed, args.near_dup_share)
        text_ref = ensure_corpus(root, args.ref_n, args.seed, args.near_dup_share)
        html_dir = ensure_html(root, args.html_n, args.seed)
        progress("warming the page cache")
        read = 0
        pages = corpus_files(html_dir, ".html")
        for folder, files, wanted in (
            (text_n, None, args.n),
            (text_ref, None, args.ref_n),
            (html_dir, pages, args.html_n),
        ):
            found = files if files is not None else corpus_files(folder, ".txt")
            if len(found) != wanted:
                raise BenchError(f"{folder} holds {len(found)} files, not {wanted}: delete it and run again")
            read += warm_cache(found)
        progress(f"read {read / 1e6:.1f} MB")
        server.wait()
        env = server.env()

        def etl(label: str, inputs: Path, warehouse: str, *, enrich: bool, fresh: bool = True) -> EtlRun:
            return run_etl(
                label,
                inputs,
                warehouses / warehouse,
                enrich=enrich,
                fresh=fresh,
                workers=workers,
                batch_size=args.batch_size,
                env=env,
                logs=logs,
            )

        progress("DuckDB floor")
        floor_times = duckdb_floor(text_n, root)
        floor_aps = args.n / min(floor_times)
        show(
            "floor_aps",
            floor_aps,
            "articles/s",
            f"DuckDB COPY read_text -> Parquet of the {args.n} files, preserve_insertion_order=false, "
            f"{duckdb_threads()} threads; fastest of {', '.join(f'{t:.2f}' for t in floor_times)} s",
        )

        core = etl("core", text_n, "core", enrich=False)
        etl_aps = _ratio(core.summary.articles_loaded, core.wall)
        show(
            "etl_aps",
            etl_aps,
            "articles/s",
            f"ETL, enrichment off, fresh warehouse: {core.summary.articles_loaded} articles loaded / "
            f"{core.wall:.2f} s flow wall ({workers} workers)",
        )
        values["core_ratio"] = _ratio(etl_aps, floor_aps)
        show("core_ratio", values["core_ratio"], "", "etl_aps / floor_aps")

        full = etl("full", text_n, "full", enrich=True)
        full_aps = _ratio(full.summary.articles_loaded, full.wall)
        values["full_ratio"] = _ratio(full_aps, floor_aps)
        show(
            "full_aps",
            full_aps,
            "articles/s",
            f"ETL, all enrichment on, fresh warehouse: {full.summary.articles_loaded} articles / {full.wall:.2f} s",
        )
        show("full_ratio", values["full_ratio"], "", "full_aps / floor_aps")
        values["rss_gib"] = full.peak_rss / GIB
        show(
            "rss_gib",
            values["rss_gib"],
            "GiB",
            "peak RSS of the full run, ETL process plus all descendants, sampled every 0.2 s",
        )
        values["prefect_share"] = _ratio(full.wall - full.summary.stage_seconds, full.wall)
        show(
            "prefect_share",
            values["prefect_share"],
            "",
            f"(wall - stage_seconds) / wall of the full run: ({full.wall:.2f} - {full.summary.stage_seconds:.2f}) "
            f"/ {full.wall:.2f}; the time no stage function ran",
        )

        view_times = time_views(warehouses / "full" / "media.db")
        slowest = max(view_times, key=lambda name: view_times[name])
        values["max_view_s"] = view_times[slowest]
        show(
            "max_view_s",
            values["max_view_s"],
            "s",
            f"slowest rpt_* view after the full run, all rows fetched: {slowest} "
            f"({len(view_times)} views, total {sum(view_times.values()):.2f} s)",
        )
        clustered = clustered_articles(warehouses / "full" / "media.db")
        if clustered is not None and full.summary.articles_loaded:
            planted = planted_members(text_n.parent / "manifest.csv")
            show(
                "clustered_share",
                clustered / full.summary.articles_loaded,
                "",
                f"articles the full run put in story clusters ({clustered}); the corpus planted "
                f"{planted} articles in near-duplicate pairs ({planted / args.n:.3f} of the files)",
            )

        noop = etl("noop", text_n, "full", enrich=True, fresh=False)
        values["noop_share"] = _ratio(noop.wall, full.wall)
        show(
            "noop_share",
            values["noop_share"],
            "",
            f"second full run, nothing changed: {noop.wall:.2f} s / {full.wall:.2f} s "
            f"({noop.summary.files_read} files read, {noop.summary.articles_loaded} loaded)",
        )

        reference = etl("ref", text_ref, "ref", enrich=True)
        values["rss_ratio"] = _ratio(full.peak_rss, reference.peak_rss)
        show(
            "rss_ratio",
            values["rss_ratio"],
            "",
            f"peak RSS of the full run at n={args.n} / at n={args.ref_n} ({reference.peak_rss / GIB:.2f} GiB)",
        )

        progress(f"trafilatura.extract alone on {len(pages)} pages, {workers} processes")
        extract_seconds = trafilatura_seconds(pages, workers)
        extract_pps = len(pages) / extract_seconds
        show(
            "extract_pps",
            extract_pps,
            "pages/s",
            f"trafilatura.extract (defaults) alone, multiprocessing.Pool({workers}), {extract_seconds:.2f} s",
        )
        html_off = etl("html-core", html_dir, "html-core", enrich=False)
        html_on = etl("html-full", html_dir, "html-full", enrich=True)
        off_pps = len(pages) / html_off.wall
        on_pps = len(pages) / html_on.wall
        show(
            "html_pps",
            off_pps,
            "pages/s",
            f"ETL on the {len(pages)} pages, enrichment off ({html_off.wall:.2f} s flow wall)",
        )
        show(
            "html_full_pps",
            on_pps,
            "pages/s",
            f"ETL on the same pages, enrichment on ({html_on.wall:.2f} s); ratio {on_pps / extract_pps:.3f}",
        )
        values["html_ratio"] = _ratio(off_pps, extract_pps)
        show("html_ratio", values["html_ratio"], "", "html_pps (enrichment off) / extract_pps")

    progress(f"synthetic warehouse of {args.synthetic_n} articles: views and story clustering")
    synthetic = measure_synthetic(args.synthetic_n, root / "synthetic", seed=args.seed, log=progress)
    slowest_view = synthetic.slowest
    values["max_view_s_1m"] = slowest_view.slowest_s
    show(
        "max_view_s_1m",
        values["max_view_s_1m"],
        "s",
        f"slowest rpt_* view of a synthetic warehouse of {args.synthetic_n} articles (Parquet written directly): "
        f"{slowest_view.view}, {slowest_view.rows} rows, count(*) {slowest_view.count_s:.2f} s, full fetch "
        f"{slowest_view.fetch_s:.2f} s, best of 2",
    )
    current = synthetic.slowest_current
    show(
        "current_view_s_1m",
        current.slowest_s,
        "s",
        f"slowest current-data view (articles, quotes, mentions, entities; not a target): {current.view}, "
        f"{current.rows} rows, count(*) {current.count_s:.2f} s, full fetch {current.fetch_s:.2f} s; "
        f"media.db built in {synthetic.build_s:.1f} s",
    )
    values["cluster_rss_gib_1m"] = synthetic.cluster.peak_rss_bytes / GIB
    show(
        "cluster_rss_gib_1m",
        values["cluster_rss_gib_1m"],
        "GiB",
        f"peak RSS of refresh_story_clusters over the {args.synthetic_n} stored signatures, in a child process "
        f"({synthetic.cluster.seconds:.1f} s, {synthetic.cluster.clustered} articles in clusters)",
    )

    values["etl_aps"] = etl_aps
    values["floor_aps"] = floor_aps
    return Figures(lines, values)


def duckdb_threads() -> int:
    """DuckDB's default number of threads here."""
    with duckdb.connect() as con:
        row = con.execute("SELECT current_setting('threads')").fetchone()
    return int(row[0]) if row else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark from the command line; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles in the main corpus (default 100000)")
    parser.add_argument("--ref-n", type=int, default=10_000, help="articles in the memory reference run (10000)")
    parser.add_argument("--html-n", type=int, default=2000, help="HTML pages (default 2000)")
    parser.add_argument("--workers", type=int, default=2, help="ETL worker processes and extract pool size (2)")
    parser.add_argument("--batch-size", type=int, default=None, help="files per batch (default: the flow's)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--near-dup-share", type=float, default=0.05, help="planted near-duplicates (0.05)")
    parser.add_argument(
        "--synthetic-n",
        type=int,
        default=1_000_000,
        help="articles in the synthetic warehouse for max_view_s_1m and cluster_rss_gib_1m (default 1000000)",
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"corpora, warehouses, logs ({DEFAULT_DIR})")
    args = parser.parse_args(argv)
    if min(args.n, args.ref_n, args.html_n, args.workers, args.synthetic_n) < 1:
        parser.error("--n, --ref-n, --html-n, --workers and --synthetic-n must be at least 1")
    where = args.dir.resolve()
    if where.is_relative_to(REPO_ROOT) and not where.is_relative_to(REPO_ROOT / ".tmp"):
        parser.error("--dir must be outside the repo, or in its git-ignored scratch folder .tmp")
    started = time.perf_counter()
    try:
        figures = measure(args)
    except BenchError as exc:
        progress(f"failed: {exc}")
        return 1
    progress(f"done in {time.perf_counter() - started:.0f} s")
    print(bench_line(args.n, figures.values), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
