"""The ``media-etl`` command line: run the ETL, print the report, inspect and replay the quarantine, query media.db,
compact the Parquet files.

Exit codes: 0 when all went well (for ``run``: when the run completed, even with rows
quarantined, which it counts by reason on stderr with the command that lists them); 1 when a
run failed, the warehouse was locked by another run, or ``run --strict`` quarantined rows
(``quarantine replay``: also when a replayed file still fails); 2 for bad arguments or input
(a missing path or warehouse, a malformed date, a statement that writes).
Prefect and the ETL are imported inside the commands that need them, so ``--help`` and the
read-only commands start fast.
"""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import os
import re
import shlex
import shutil
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import duckdb
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from media_etl.defaults import DEFAULT_BATCH_SIZE, DEFAULT_INPUTS, DEFAULT_WAREHOUSE, PROJECT_ROOT, is_url
from media_etl.progress import ProgressSnapshot, Throttle, parse_progress
from media_etl.report.run_summary import RUN_MEASURES

if TYPE_CHECKING:
    from media_etl.quarantine import ReplayFile
    from media_etl.store.compact import CompactionReport

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
# schemas.vocabularies.STAGES, repeated so that --help need not import pandera (a test keeps them equal).
STAGES = ("read", "parse", "validate", "enrich", "load")
DEFAULT_LIMIT = 10
QUARANTINE_ID = re.compile(r"^[0-9a-f]{4,16}$")
# With stderr not a terminal (cron, CI), `run` prints one progress line at most this often.
PROGRESS_LOG_SECONDS = 5.0

app = typer.Typer(
    name="media-etl",
    help="Load news articles into a validated DuckDB/Parquet warehouse, report on it and query it.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
quarantine_app = typer.Typer(
    help="Inspect the inputs and rows the ETL rejected, and replay them after a fix.", no_args_is_help=True
)
app.add_typer(quarantine_app, name="quarantine")

WarehouseOption = Annotated[
    Path, typer.Option("--warehouse", "-w", help="Warehouse folder (holds media.db).", show_default=True)
]
Since = Annotated[
    str | None,
    typer.Option("--since", help="Only articles published (and runs started) on or after DATE (YYYY-MM-DD)."),
]
Outlet = Annotated[str | None, typer.Option("--outlet", help="Only this outlet, case-insensitive.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Only this reason code, e.g. no_body or empty.")]
Stage = Annotated[str | None, typer.Option("--stage", help=f"Only this stage: {', '.join(STAGES)}.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's log instead of a progress line.")]
NoEnrich = Annotated[bool, typer.Option("--no-enrich", help="Skip language, entities, quotes, themes and dates.")]


def _stdout() -> Console:
    return Console()


def _stderr() -> Console:
    return Console(stderr=True)


def _fail(message: str, code: int = EXIT_FAILED) -> NoReturn:
    # Not wrapped: an error stays one line whatever the terminal width, for logs and grep.
    _stderr().print(Text(message, style="bold red"), soft_wrap=True)
    raise typer.Exit(code)


def _relink(warehouse: Path) -> None:
    """Rebuild media.db when the warehouse folder was copied or moved since it was built, and say so."""
    from media_etl.store.database import relink_database

    try:
        before = relink_database(warehouse)
    except (OSError, duckdb.Error) as exc:
        _stderr().print(
            Text(f"media.db in {warehouse} may read another folder's files; relinking failed: {exc}"), soft_wrap=True
        )
        return
    if before is not None:
        _stderr().print(
            Text(f"media.db was built for {before}; its views now read {warehouse.resolve()}", style="yellow"),
            soft_wrap=True,
        )


def _connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    from media_etl.report.summary import connect

    _relink(warehouse)
    try:
        return connect(warehouse)
    except FileNotFoundError as exc:
        raise typer.BadParameter(str(exc), param_hint="--warehouse") from None
    except duckdb.Error as exc:
        _fail(f"cannot open {warehouse}: {exc}")


def _check_stage(stage: str | None) -> None:
    if stage is not None and stage not in STAGES:
        raise typer.BadParameter(f"{stage!r} is not one of {', '.join(STAGES)}", param_hint="--stage")


# --- running the ETL -----------------------------------------------------------------------------


class _RunLog(logging.Handler):
    """Show a run's progress lines and its warnings and errors instead of Prefect's console log.

    In a terminal, the flow's progress lines drive a progress bar (files done of the total,
    articles per second, time left) and other log lines show beside it until the first
    progress line; in a log (stderr not a terminal), each progress line is printed plainly,
    at most one every ``PROGRESS_LOG_SECONDS`` besides the last. Warnings and errors are
    printed in both.
    """

    def __init__(self, console: Console, progress: Progress | None, task: TaskID | None) -> None:
        super().__init__(level=logging.INFO)
        self.console = console
        self.progress = progress
        self.task = task
        self.throttle = Throttle(PROGRESS_LOG_SECONDS)
        self.latest: ProgressSnapshot | None = None
        self.printed: ProgressSnapshot | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())
        except Exception:
            self.handleError(record)
            return
        snapshot = parse_progress(message)
        if snapshot is not None:
            self.show_progress(snapshot)
            return
        name = getattr(record, "task_run_name", None) or getattr(record, "flow_run_name", None)
        line = f"{name}: {message}" if name else message
        if record.levelno >= logging.WARNING:
            self.console.print(
                Text(line, style="yellow" if record.levelno == logging.WARNING else "red"), soft_wrap=True
            )
        if self.progress is not None and self.task is not None and self.latest is None:
            self.progress.update(self.task, description=line[:100])

    def show_progress(self, snapshot: ProgressSnapshot) -> None:
        self.latest = snapshot
        if self.progress is not None and self.task is not None:
            self.progress.update(
                self.task, total=snapshot.files_total, completed=snapshot.files_done, description=snapshot.describe()
            )
        elif self.throttle.ready() or snapshot.finished:
            self.print_progress(snapshot)

    def print_progress(self, snapshot: ProgressSnapshot) -> None:
        if snapshot != self.printed:
            self.console.print(Text(f"{time.strftime('%H:%M:%S')} progress: {snapshot.describe()}"), soft_wrap=True)
            self.printed = snapshot


class _QuietBanners(logging.Filter):
    """Drop the ``prefect`` logger's own notes (starting and stopping its temporary server); keep warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def _quiet_prefect_banners() -> None:
    prefect_logger = logging.getLogger("prefect")
    if not any(isinstance(f, _QuietBanners) for f in prefect_logger.filters):
        prefect_logger.addFilter(_QuietBanners())


@contextmanager
def _progress_line(description: str, verbose: bool) -> Iterator[None]:
    """Show the run's progress (a bar in a terminal, a line every few seconds in a log) instead of Prefect's log."""
    if verbose:
        yield
        return
    from prefect.logging.handlers import PrefectConsoleHandler

    _quiet_prefect_banners()
    root = logging.getLogger()
    console_handlers = [h for h in root.handlers if isinstance(h, PrefectConsoleHandler)]
    console = _stderr()
    with contextlib.ExitStack() as stack:
        if sys.stderr.isatty():
            progress = stack.enter_context(
                Progress(
                    SpinnerColumn(),
                    TextColumn("{task.description}"),
                    BarColumn(),
                    TimeElapsedColumn(),
                    console=console,
                    transient=True,
                )
            )
            forward = _RunLog(console, progress, progress.add_task(description, total=None))
        else:
            console.print(Text(description), soft_wrap=True)
            forward = _RunLog(console, None, None)
        for handler in console_handlers:
            root.removeHandler(handler)
        root.addHandler(forward)
        try:
            yield
        finally:
            root.removeHandler(forward)
            for handler in console_handlers:
                root.addHandler(handler)
    if forward.latest is not None:
        forward.print_progress(forward.latest)  # the last line stays: a terminal's bar is gone by now


def _prefect_defaults() -> None:
    """Keep Prefect's state in the checkout and its embedded server quiet and patient, as ``make run`` does."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # the client's telemetry too, and its first-run notice in a terminal
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    _choose_prefect_api()


def _choose_prefect_api() -> None:
    """Report to PREFECT_API_URL when set, else to the project's server when it answers, else run embedded.

    The project's server (``make server``) records its URL in ``$PREFECT_HOME/server.url``; a
    run sent to it shows in its UI beside the deployments' runs. This must run before Prefect
    is first imported, which reads its settings once.
    """
    from media_etl.prefect_api import project_server, ui_address

    if "prefect" in sys.modules or os.environ.get("PREFECT_API_URL"):
        return  # configured, or Prefect already read its settings (a test harness, say): they stand
    found = project_server(Path(os.environ["PREFECT_HOME"]))
    if found is None:
        return
    os.environ["PREFECT_API_URL"] = found
    _stderr().print(Text(f"Prefect server at {ui_address(found)}: this run shows in its UI"), soft_wrap=True)


def _run_etl(inputs: list[str], warehouse: str, *, verbose: bool, **options: Any) -> tuple[dict[str, object], float]:
    """Run the ETL flow with the flow's own parameters; a failed run ends the command with exit code 1.

    Returns:
        The run's ``runs`` row, and the seconds the flow call took.
    """
    _prefect_defaults()
    from flows.etl import etl

    try:
        with _progress_line(f"Loading {len(inputs)} input(s) into {warehouse}", verbose):
            started = time.perf_counter()
            return etl(inputs=inputs, warehouse=warehouse, **options), time.perf_counter() - started
    except Exception as exc:
        _fail(f"the run failed: {type(exc).__name__}: {exc}")


def _run_table(run: Mapping[str, object]) -> Table:
    from media_etl.report.summary import format_value

    table = Table(title=f"Run {str(run['run_id'])[:8]}: {run['status']}", title_justify="left")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in RUN_MEASURES:
        table.add_row(key.replace("_", " "), Text(format_value(run[key])))
    return table


def missing_inputs(inputs: Sequence[str]) -> list[str]:
    """Find the inputs that name nothing: no such file or folder, or a glob matching nothing.

    Args:
        inputs: Paths, glob patterns or URLs as given on the command line.

    Returns:
        The inputs that match nothing on disk; URLs are never missing.
    """
    missing = []
    for item in inputs:
        if is_url(item):
            continue
        found = glob.glob(item, recursive=True) if glob.has_magic(item) else [item] if Path(item).exists() else []
        if not found:
            missing.append(item)
    return missing


@app.command()
def run(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="PATHS",
            help=f"Folders, files, glob patterns or http(s) URLs to load [default: {' '.join(DEFAULT_INPUTS)}].",
            show_default=False,
        ),
    ] = None,
    warehouse: Annotated[
        str,
        typer.Option(
            "--warehouse",
            "-w",
            help="Warehouse folder, or an fsspec URL (file://...) for its tables.",
            show_default=True,
        ),
    ] = DEFAULT_WAREHOUSE,
    no_feeds: Annotated[bool, typer.Option("--no-feeds", help="Do not fetch the feeds sources.yaml lists.")] = False,
    no_enrich: NoEnrich = False,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Worker processes for the batches [default: every core].")
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Files per batch.")] = DEFAULT_BATCH_SIZE,
    lock_wait: Annotated[
        float, typer.Option("--lock-wait", min=0, help="Seconds to wait for a run holding the warehouse lock.")
    ] = 0.0,
    dask_address: Annotated[
        str | None, typer.Option("--dask-address", help="Run the batches on this Dask scheduler (tcp://host:port).")
    ] = None,
    summary_json: Annotated[
        Path | None, typer.Option("--summary-json", help="Write the run's row and its wall_seconds to this JSON file.")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when the run quarantines any input or row.")] = False,
    verbose: Verbose = False,
) -> None:
    """Load articles from PATHS into the warehouse with the Prefect ETL flow.

    The run reports to the Prefect server at PREFECT_API_URL when it is set, else to the
    project's own server (`make server`) when that answers, and shows in its UI; with neither,
    it runs in Prefect's embedded mode. Exits 0 when the run completed, even with rows
    quarantined (counted by reason on stderr, with the command that lists them); 1 when it
    failed or the warehouse is locked, or with --strict when it quarantined anything; 2 for
    bad arguments.
    \f

    Args:
        paths: The inputs.
        warehouse: The warehouse folder or URL.
        no_feeds: Skip the registry's feeds.
        no_enrich: Skip enrichment.
        workers: Worker processes.
        batch_size: Files per batch.
        lock_wait: Seconds to wait for the lock.
        dask_address: A Dask scheduler.
        summary_json: Where to write the run summary.
        strict: Count quarantined rows as a failure.
        verbose: Show Prefect's log.
    """
    inputs = list(paths or DEFAULT_INPUTS)
    missing = missing_inputs(inputs)
    if missing:
        raise typer.BadParameter(f"no such file, folder or match: {', '.join(missing)}", param_hint="PATHS")
    result, wall_seconds = _run_etl(
        inputs,
        warehouse,
        verbose=verbose,
        fetch_feeds=not no_feeds,
        enrich=not no_enrich,
        workers=workers,
        batch_size=batch_size,
        lock_wait=lock_wait,
        dask_address=dask_address,
    )
    if summary_json is not None:
        summary = {**result, "wall_seconds": round(wall_seconds, 3)}
        summary_json.write_text(json.dumps(summary, default=str, indent=2) + "\n", encoding="utf-8")
    _stdout().print(_run_table(result))
    if result["status"] != "completed":
        _fail(f"the run failed: {result.get('detail')}")
    quarantined = int(str(result["rows_quarantined"]))
    if quarantined:
        note = quarantine_note(quarantined, str(result["quarantined_by_reason"]), warehouse)
        if strict:
            _fail(f"The run completed, but --strict counts quarantined rows as a failure: {note}")
        _stderr().print(Text(f"The run completed; {note}", style="yellow"), soft_wrap=True)


def _program() -> str:
    """The command that runs this command line again, as the user's shell can type it."""
    called = sys.argv[0] if sys.argv else ""
    if Path(called).name == "media-etl":
        on_path = shutil.which("media-etl")
        if os.sep not in called or (on_path is not None and Path(on_path).resolve() == Path(called).resolve()):
            return "media-etl"
        return shlex.quote(called)
    if Path(called).resolve() == Path(__file__).resolve():  # python -m media_etl.cli
        return f"{shlex.quote(sys.executable)} -m media_etl.cli"
    return "media-etl"


def quarantine_note(quarantined: int, by_reason: str, warehouse: str) -> str:
    """Say how many inputs or rows a completed run quarantined, by reason, and how to list them.

    Args:
        quarantined: How many.
        by_reason: The run's ``quarantined_by_reason`` (JSON: reason code to count).
        warehouse: The warehouse as given to ``run``.

    Returns:
        One line, e.g. ``2 input(s) or row(s) quarantined (empty 1, no_body 1). List them:
        media-etl quarantine list --warehouse warehouse``.
    """
    reasons = sorted(json.loads(by_reason or "{}").items(), key=lambda item: (-item[1], item[0]))
    counted = ", ".join(f"{reason} {count}" for reason, count in reasons)
    listed = f"{_program()} quarantine list --warehouse {shlex.quote(warehouse)}"
    return f"{quarantined} input(s) or row(s) quarantined ({counted}). List them: {listed}"


@app.command()
def relink(warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE)) -> None:
    """Point media.db at the Parquet files beside it, after the warehouse folder was copied or moved.

    media.db's views name the Parquet files by absolute path, so `duckdb /path/to/media.db`
    works from any directory; a copied or moved warehouse still reads the old folder until
    this runs. Every other media-etl command does the same first, and says so.
    \f

    Args:
        warehouse: The warehouse folder.
    """
    from media_etl.store.database import DATABASE_NAME, relink_database

    if not (warehouse / DATABASE_NAME).is_file():
        raise typer.BadParameter(
            f"{warehouse / DATABASE_NAME} does not exist: run the ETL first", param_hint="--warehouse"
        )
    before = relink_database(warehouse)
    if before is None:
        _stdout().print(f"media.db already reads {warehouse.resolve()}")
    else:
        _stdout().print(f"media.db was built for {before}; its views now read {warehouse.resolve()}")


# --- the report ----------------------------------------------------------------------------------


@app.command("report")
def report_command(
    since: Since = None,
    outlet: Outlet = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows in the ranked tables.")] = DEFAULT_LIMIT,
) -> None:
    """Print the report: coverage, top stories, most-quoted people and recent runs.

    The same tables as the media-etl-report Prefect flow, without Prefect.
    \f

    Args:
        since: First publication date covered.
        outlet: The outlet covered.
        warehouse: The warehouse folder.
        limit: Rows in the ranked tables.
    """
    from media_etl.report.summary import ReportFilter, build_report, parse_since, rich_tables

    try:
        filters = ReportFilter(since=parse_since(since), outlet=outlet or None)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None
    _connect(warehouse).close()  # a missing media.db is a usage error
    try:
        result = build_report(warehouse, filters, limit)
    except duckdb.Error as exc:
        _fail(f"cannot query {warehouse}: {exc}")
    console = _stdout()
    console.print(Text(f"media-etl report: {filters.describe()}", style="bold"))
    for table in rich_tables(result):
        console.print(table)


# --- sql -----------------------------------------------------------------------------------------


def check_read_only(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Accept exactly one statement that only reads.

    The database is open read-only, which stops writes to it; this also stops
    statements that write elsewhere (``copy ... to``, ``attach``, ``install``).

    Args:
        connection: The connection the statement will run on.
        sql: The statement.

    Raises:
        ValueError: There is not exactly one statement, or it is not a ``select``
            (``with``, ``from``, ``describe``, ``show``, ``summarize``, ``pragma`` included)
            or an ``explain``.
    """
    try:
        statements = connection.extract_statements(sql)
    except duckdb.Error as exc:
        raise ValueError(str(exc)) from None
    if len(statements) != 1:
        raise ValueError(f"give exactly one statement, not {len(statements)}")
    kind = statements[0].type
    if kind not in READ_STATEMENTS:
        raise ValueError(f"only read statements (select, describe, show, explain) are allowed, not {kind.name}")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="One read-only SQL statement.", show_default=False)],
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most rows printed.")] = 1000,
) -> None:
    """Run a read-only SQL query on media.db and print the rows as a table.

    The database is opened read-only and only select-like statements run; anything
    else exits with code 2.
    \f

    Args:
        query: The statement.
        warehouse: The warehouse folder.
        limit: Most rows printed.
    """
    import pandas as pd

    from media_etl.report.summary import rich_table

    with _connect(warehouse) as connection:
        try:
            check_read_only(connection, query)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="QUERY") from None
        try:
            cursor = connection.execute(query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchmany(limit + 1)
        except duckdb.IOException as exc:
            _fail(f"cannot read the warehouse: {exc}")
        except duckdb.Error as exc:
            raise typer.BadParameter(str(exc), param_hint="QUERY") from None
    shown = rows[:limit]
    caption = f"first {limit} rows (--limit)" if len(rows) > limit else f"{len(shown)} row(s)"
    frame = pd.DataFrame(shown, columns=columns, dtype=object)
    console = _stdout()
    console.print(rich_table(frame, title="", humanize=False))
    if shown:
        console.print(Text(caption))


# --- quarantine ----------------------------------------------------------------------------------


@quarantine_app.command("list")
def quarantine_list(
    reason: Reason = None,
    stage: Stage = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most rows printed.")] = 200,
) -> None:
    """List quarantined inputs and rows, newest first.
    \f

    Args:
        reason: Reason code.
        stage: Stage.
        warehouse: The warehouse folder.
        limit: Most rows printed.
    """
    from media_etl.quarantine import quarantine_rows
    from media_etl.report.summary import rich_table

    _check_stage(stage)
    with _connect(warehouse) as connection:
        rows = quarantine_rows(connection, reason, stage)
    caption = f"{len(rows)} row(s)" if len(rows) <= limit else f"first {limit} of {len(rows)} rows (--limit)"
    table = rich_table(rows.head(limit), title="Quarantine", caption=caption)
    table.columns[0].no_wrap = True  # ids are for copying into `quarantine show`
    _stdout().print(table)


@quarantine_app.command("show")
def quarantine_show(
    quarantine_id: Annotated[
        str,
        typer.Argument(
            metavar="QUARANTINE_ID", help="The row's quarantine_id, or a unique prefix of 4 or more characters."
        ),
    ],
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
) -> None:
    """Show every field of one quarantine row, and whether its input is still on disk.
    \f

    Args:
        quarantine_id: The id or a unique prefix.
        warehouse: The warehouse folder.
    """
    from media_etl.quarantine import file_sha256, local_file
    from media_etl.report.summary import format_value, query_frame

    wanted = quarantine_id.strip().lower()
    if not QUARANTINE_ID.match(wanted):
        raise typer.BadParameter("a quarantine id is 4 to 16 hex digits", param_hint="QUARANTINE_ID")
    with _connect(warehouse) as connection:
        rows = query_frame(
            connection,
            "select * from quarantine where starts_with(quarantine_id, $id) order by quarantine_id",
            {"id": wanted},
        )
    if rows.empty:
        raise typer.BadParameter(f"no quarantine row has id {wanted}", param_hint="QUARANTINE_ID")
    if len(rows) > 1:
        raise typer.BadParameter(
            f"{wanted} matches {len(rows)} rows: {', '.join(rows['quarantine_id'])}", param_hint="QUARANTINE_ID"
        )
    row = rows.iloc[0]
    table = Table(title=f"Quarantine row {row['quarantine_id']}", title_justify="left", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for column in rows.columns:
        table.add_row(column, Text(format_value(row[column])))
    path = local_file(str(row["source_uri"]))
    if path is None:
        on_disk = "not a file on disk (a URL, or the file is gone)"
    else:
        recorded = row["content_hash"]
        if recorded is None:
            on_disk = f"{path}: on disk (no content hash was recorded)"
        else:
            on_disk = f"{path}: " + ("content unchanged" if file_sha256(path) == recorded else "content changed since")
    table.add_row("input now", Text(on_disk))
    _stdout().print(table)


def _replay_table(plan: Sequence[ReplayFile], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("file", "quarantined for", "content", "action", "result"):
        table.add_column(column, overflow="fold")
    for item in plan:
        reasons = ", ".join(sorted({f"{r['stage']}/{r['reason_code']}" for r in item.rows}))
        table.add_row(Text(item.path), Text(reasons), item.content, item.action, Text(item.result))
    return table


@quarantine_app.command("replay")
def quarantine_replay(
    reason: Reason = None,
    stage: Stage = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    no_enrich: NoEnrich = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what would be replayed.")] = False,
    verbose: Verbose = False,
) -> None:
    """Re-run the ETL on quarantined input files that are still on disk, after a fix.

    Each file is first read, parsed and validated without loading (a dry run). A file
    whose size or modification time changed is run again. An unchanged file that now
    parses (after a parser fix) has its modification time set to now, so that the ledger
    reads it again, and is run too. The rest are left alone. Exits 1 when a file still
    fails or the run fails.
    \f

    Args:
        reason: Reason code.
        stage: Stage.
        warehouse: The warehouse folder.
        no_enrich: Skip enrichment.
        dry_run: Only plan.
        verbose: Show Prefect's log.
    """
    from media_etl.quarantine import articles_loaded_by_run, dry_check, plan_replay, replay_candidates

    _check_stage(stage)
    with _connect(warehouse) as connection:
        found = replay_candidates(connection, reason, stage)
    console = _stdout()
    if found.rows.empty:
        console.print("Nothing to replay: no quarantine row matches.")
        return
    _prefect_defaults()
    from media_etl.defaults import SOURCES_FILE, THEMES_FILE
    from media_etl.enrich.stage import Enricher
    from media_etl.sources import load_registry

    with _progress_line(f"Checking {len(found.paths)} file(s)", verbose=False):
        enricher = None if no_enrich else Enricher.from_files(THEMES_FILE, None)
        check = dry_check(load_registry(SOURCES_FILE), enricher)
        plan, gone = plan_replay(found.rows, found.ledger, found.stored, check)
    for source in gone:
        console.print(Text(f"not replayed (a URL, or no longer on disk): {source}", style="dim"))
    to_run = [item for item in plan if item.action != "skip"]
    if dry_run or not to_run:
        for item in to_run:
            item.result = "would load" if item.fixed else "would still fail: " + "; ".join(item.rejections_now)
        console.print(_replay_table(plan, "Replay plan (dry run)" if dry_run else "Replay: nothing to run"))
        if not dry_run and not all(item.fixed for item in plan):
            raise typer.Exit(EXIT_FAILED)
        return
    for item in to_run:
        if item.action == "touch-and-run":
            os.utime(item.path)
    paths_run = [item.path for item in to_run]
    result, _ = _run_etl(paths_run, str(warehouse), verbose=verbose, fetch_feeds=False, enrich=not no_enrich)
    with _connect(warehouse) as connection:
        new_articles = articles_loaded_by_run(connection, str(result["run_id"]), paths_run)
    for item in to_run:
        articles = f"loaded {new_articles.get(item.path, 0)} new article(s)"
        item.result = articles if item.fixed else f"{articles}; still fails: " + "; ".join(item.rejections_now)
    console.print(_replay_table(plan, f"Replay: run {result['run_id']}"))
    if result["status"] != "completed" or not all(item.fixed for item in plan):
        raise typer.Exit(EXIT_FAILED)


# --- compaction ----------------------------------------------------------------------------------


def _compaction_table(report: CompactionReport) -> Table:
    table = Table(title="Compacted partitions", title_justify="left")
    for column in ("table", "month", "files before", "files after", "rows", "duplicates dropped", "generation"):
        table.add_column(column, justify="right" if column in {"files before", "files after", "rows"} else "left")
    for item in report.compacted:
        table.add_row(
            item.table,
            item.month or "",
            str(item.files_before),
            str(item.files_after),
            str(item.rows),
            str(item.duplicates_dropped),
            item.generation,
        )
    return table


@app.command()
def compact(
    warehouse: Annotated[
        str, typer.Option("--warehouse", "-w", help="Warehouse folder or fsspec URL (file://...).", show_default=True)
    ] = DEFAULT_WAREHOUSE,
    max_rows_per_file: Annotated[
        int, typer.Option("--max-rows-per-file", min=1, help="Most rows in one compacted file.")
    ] = 1_000_000,
    grace_seconds: Annotated[
        float,
        typer.Option(
            "--grace-seconds",
            min=0,
            help="Keep replaced files this long for queries already running, then delete them.",
        ),
    ] = 3600.0,
    lock_wait: Annotated[
        float, typer.Option("--lock-wait", min=0, help="Seconds to wait for a run holding the warehouse lock.")
    ] = 0.0,
) -> None:
    """Merge the many small Parquet files that incremental runs leave into a few large ones.

    Each table (each month of the big ones) is rewritten, without duplicate keys, into a
    new set of files that replaces the old set in one atomic step; media.db is rebuilt to
    read them. Queries running meanwhile see the old files or the new ones, never both.
    Holds the warehouse lock: exits 1 when a run holds it (see --lock-wait).
    \f

    Args:
        warehouse: The warehouse folder or URL.
        max_rows_per_file: Most rows in one compacted file.
        grace_seconds: How long replaced files are kept.
        lock_wait: Seconds to wait for the lock.
    """
    from media_etl.defaults import VIEWS_DIR
    from media_etl.lock import WarehouseLocked, warehouse_lock
    from media_etl.store.compact import compact as compact_warehouse
    from media_etl.store.warehouse import PARQUET_DIR, Warehouse

    store = Warehouse.open(warehouse)
    if not store.fs.isdir(store.path(PARQUET_DIR)):
        raise typer.BadParameter(
            f"{warehouse} holds no Parquet tables: run the ETL into it first", param_hint="--warehouse"
        )
    try:
        with warehouse_lock(warehouse, wait_seconds=lock_wait, owner="media-etl compact"):
            report = compact_warehouse(
                store,
                views_dir=VIEWS_DIR,
                max_rows_per_file=max_rows_per_file,
                grace_seconds=grace_seconds,
            )
    except WarehouseLocked as exc:
        _fail(str(exc))
    except (OSError, duckdb.Error) as exc:
        _fail(f"compaction failed: {type(exc).__name__}: {exc}")
    console = _stdout()
    if report.compacted:
        console.print(_compaction_table(report))
    console.print(
        Text(
            f"{len(report.compacted)} of {report.partitions_seen} partition(s) compacted: "
            f"{report.files_before} file(s) -> {report.files_after}; "
            f"{len(report.generations_deleted)} old generation(s) and {report.temporaries_deleted} "
            f"temporary file(s) deleted"
        )
    )


def main() -> None:
    """Run the command line (``python -m media_etl.cli``)."""
    app()


if __name__ == "__main__":
    main()
