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
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    from media_etl.report.filters import ArticleFilter
    from media_etl.report.summary import Report
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
sources_app = typer.Typer(
    help="Find an outlet's feeds and sitemaps, and check the source registry against the warehouse.",
    no_args_is_help=True,
)
app.add_typer(sources_app, name="sources")

WarehouseOption = Annotated[
    Path, typer.Option("--warehouse", "-w", help="Warehouse folder (holds media.db).", show_default=True)
]
Since = Annotated[
    str | None,
    typer.Option("--since", help="Only articles published on or after DATE (YYYY-MM-DD)."),
]
ReportSince = Annotated[
    str | None,
    typer.Option("--since", help="Only articles published (and runs started) on or after DATE (YYYY-MM-DD)."),
]
Outlet = Annotated[
    str | None,
    typer.Option(
        "--outlet",
        help="Only this outlet: its name (case-insensitive), or its registry slug, credit or domain (sources.yaml).",
    ),
]
Until = Annotated[str | None, typer.Option("--until", help="Only articles published on or before DATE (YYYY-MM-DD).")]
Agency = Annotated[
    str | None, typer.Option("--agency", help="Only articles credited to this agency (name, slug, credit or domain).")
]
Language = Annotated[
    str | None, typer.Option("--language", help="Only articles in this language (ISO 639-1, e.g. en).")
]
Country = Annotated[
    str | None, typer.Option("--country", help="Only articles datelined in this country (ISO 3166-1 alpha-2, e.g. AZ).")
]
Reason = Annotated[str | None, typer.Option("--reason", help="Only this reason code, e.g. no_body or empty.")]
Stage = Annotated[str | None, typer.Option("--stage", help=f"Only this stage: {', '.join(STAGES)}.")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's log instead of a progress line.")]
NoEnrich = Annotated[bool, typer.Option("--no-enrich", help="Skip language, entities, quotes, themes and dates.")]
SourcesOption = Annotated[
    Path | None,
    typer.Option(
        "--sources", help="The source registry file [default: the project's sources.yaml].", show_default=False
    ),
]


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


def _article_filter(
    since: str | None,
    until: str | None = None,
    outlet: str | None = None,
    agency: str | None = None,
    language: str | None = None,
    country: str | None = None,
) -> ArticleFilter:
    """Read the article filters; a malformed one is a usage error naming its option."""
    from media_etl.defaults import SOURCES_FILE
    from media_etl.report.filters import ArticleFilter, FilterError
    from media_etl.sources import RegistryError

    try:
        filters = ArticleFilter.parse(
            since=since, until=until, outlet=outlet, agency=agency, language=language, country=country
        )
    except FilterError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.field) from None
    try:
        return filters.resolved_from(SOURCES_FILE)
    except (OSError, RegistryError) as exc:
        _fail(f"cannot read the source registry {SOURCES_FILE}: {exc}", EXIT_USAGE)


def _say_unmatched(connection: duckdb.DuckDBPyConnection, filters: ArticleFilter) -> None:
    """Tell on stderr which outlet or agency asked for matches no article, and the close names."""
    from media_etl.report.filters import unmatched_names

    for message in unmatched_names(connection, filters):
        _stderr().print(Text(message, style="yellow"), soft_wrap=True)


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
    discover: Annotated[
        bool,
        typer.Option(
            "--discover",
            help="Take the URLs given for outlets' home pages: read the feeds they name (else their sitemaps' pages).",
        ),
    ] = False,
    sources: SourcesOption = None,
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
    reread: Annotated[
        bool,
        typer.Option("--reread", help="Read every input file, even those the ingest ledger has unchanged."),
    ] = False,
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
        discover: Treat the URLs as home pages to discover feeds on.
        sources: The source registry file.
        no_enrich: Skip enrichment.
        workers: Worker processes.
        batch_size: Files per batch.
        lock_wait: Seconds to wait for the lock.
        dask_address: A Dask scheduler.
        summary_json: Where to write the run summary.
        reread: Read unchanged files too.
        strict: Count quarantined rows as a failure.
        verbose: Show Prefect's log.
    """
    inputs = list(paths or DEFAULT_INPUTS)
    missing = missing_inputs(inputs)
    if missing:
        raise typer.BadParameter(f"no such file, folder or match: {', '.join(missing)}", param_hint="PATHS")
    if discover and not any(is_url(item) for item in inputs):
        raise typer.BadParameter("--discover needs at least one http(s) home page URL among PATHS", param_hint="PATHS")
    if sources is not None:
        _check_registry_loads(sources)
    extra: dict[str, Any] = {"sources": str(sources)} if sources is not None else {}
    if discover:
        extra["discover"] = True
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
        reread=reread,
        **extra,
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
    since: ReportSince = None,
    outlet: Outlet = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    limit: Annotated[int, typer.Option("--limit", min=1, help="Rows in the ranked tables.")] = DEFAULT_LIMIT,
    until: Until = None,
    agency: Agency = None,
    language: Language = None,
    country: Country = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            dir_okay=False,
            help="Also write the whole report (charts, people, quotes, reprints, themes, source health,"
            " quarantine) as one self-contained HTML page to FILE.",
        ),
    ] = None,
) -> None:
    """Print the report: coverage, top stories, most-quoted people and recent runs.

    The same tables as the media-etl-report Prefect flow, without Prefect; --html writes the flow's
    HTML page too. An outlet or agency that matches no article is said on stderr, with the closest
    names; the report is then empty and the exit code 0.
    \f

    Args:
        since: First publication date covered.
        outlet: The outlet covered.
        warehouse: The warehouse folder.
        limit: Rows in the ranked tables.
        until: Last publication date covered.
        agency: The agency covered.
        language: The language covered.
        country: The dateline country covered.
        html: The HTML page to write, if any.
    """
    from media_etl.report.summary import build_report, rich_tables

    filters = _article_filter(since, until, outlet, agency, language, country)
    with _connect(warehouse) as connection:  # a missing media.db is a usage error
        _say_unmatched(connection, filters)
    try:
        result = build_report(warehouse, filters, limit)
    except duckdb.Error as exc:
        _fail(f"cannot query {warehouse}: {exc}")
    console = _stdout()
    console.print(Text(f"media-etl report: {filters.describe()}", style="bold"))
    for table in rich_tables(result):
        console.print(table)
    if html is not None:
        _write_html_report(warehouse, filters, limit, result, html, console)


def _write_html_report(
    warehouse: Path, filters: ArticleFilter, limit: int, result: Report, target: Path, console: Console
) -> None:
    from media_etl.report.html import write_page
    from media_etl.report.page_queries import build_page_data

    try:
        data = build_page_data(warehouse, filters, limit, report=result)
    except duckdb.Error as exc:
        _fail(f"cannot query {warehouse}: {exc}")
    try:
        write_page(data, target)
    except OSError as exc:
        _fail(f"--html: cannot write {target}: {exc.strerror or exc}", EXIT_USAGE)
    console.print(Text(f"HTML report: {target.resolve()} (open {target.resolve().as_uri()})"), soft_wrap=True)
    console.print(Text(f"source health: {data.source_health.message()}"), soft_wrap=True)


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
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="table, csv, json (an array of objects) or markdown.")
    ] = "table",
) -> None:
    """Run a read-only SQL query on media.db and print the rows.

    The database is opened read-only and only select-like statements run; anything
    else exits with code 2. In a table NULL shows as NULL; a result too wide for the
    terminal is shown one block per row (`column | value`, values cut to one line).
    \f

    Args:
        query: The statement.
        warehouse: The warehouse folder.
        limit: Most rows printed.
        output_format: How to print the rows.
    """
    from media_etl.export.query_output import QUERY_FORMATS, terminal_view, to_csv, to_json, to_markdown

    if output_format not in QUERY_FORMATS:
        raise typer.BadParameter(f"{output_format!r} is not one of {', '.join(QUERY_FORMATS)}", param_hint="--format")
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
    if output_format == "table":
        console = _stdout()
        console.print(terminal_view(columns, shown, console.width, caption))
        return
    renderers: dict[str, Callable[[Sequence[str], Sequence[Sequence[object]]], str]] = {
        "csv": to_csv,
        "json": to_json,
        "markdown": to_markdown,
    }
    typer.echo(renderers[output_format](columns, shown), nl=False)
    if len(rows) > limit:
        _stderr().print(Text(f"only the {caption}", style="yellow"))


# --- export --------------------------------------------------------------------------------------

EXPORT_FORMATS = ("csv", "jsonl", "parquet", "rss", "jsonfeed")


def _write_stdout(data: bytes) -> None:
    typer.echo(data, nl=False)  # bytes go to the binary stream unchanged


def _export_target(output: str, output_format: str) -> Path | None:
    """The file to write, or None for standard output; a folder that does not exist is a usage error."""
    from media_etl.export.tables import STDOUT_FORMATS

    if output == "-":
        if output_format not in (*STDOUT_FORMATS, "rss", "jsonfeed"):
            raise typer.BadParameter(f"{output_format} is binary: give --output FILE", param_hint="--output")
        return None
    target = Path(output)
    if target.is_dir():
        raise typer.BadParameter(f"{target} is a folder: give a file name", param_hint="--output")
    if not target.parent.is_dir():
        raise typer.BadParameter(f"the folder {target.parent} does not exist", param_hint="--output")
    return target


@app.command()
def export(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME", help="A table or view of media.db (not with --query or a feed).", show_default=False
        ),
    ] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="One read-only select to export.")] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help="csv, jsonl or parquet for rows; rss or jsonfeed for the pooled feed."),
    ] = "csv",
    output: Annotated[
        str, typer.Option("--output", "-o", help="The file to write, or - for standard output (not for parquet).")
    ] = "-",
    since: Since = None,
    until: Until = None,
    outlet: Outlet = None,
    agency: Agency = None,
    language: Language = None,
    country: Country = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Most rows, or most stories in a feed [feed default: 100].")
    ] = None,
    feed_title: Annotated[str, typer.Option("--feed-title", help="The feed's title.")] = "media-etl pooled stories",
    feed_link: Annotated[
        str | None,
        typer.Option("--feed-link", help="The feed's home page URL [default: the output file's file:// address]."),
    ] = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
) -> None:
    """Write a table, a view or a query to CSV, JSON Lines or Parquet, or the pooled feed to RSS or JSON Feed.

    Rows: give a NAME (a table or view) or --query. The article filters keep the rows of the
    current article versions that pass them, so they need an article_id column. Dates are
    ISO text in CSV and JSON Lines, instants carry their UTC offset, lists are JSON arrays.

    Feed (`--format rss|jsonfeed`): one item per story (a cluster of near-duplicates, or one
    article): its first version, linking every other outlet's copy and language edition;
    newest first. A story is in when any of its articles passes the filters.

    The file is written to a temporary file and renamed; the row count goes to stderr.
    \f

    Args:
        name: The table or view.
        query: The select.
        output_format: The format.
        output: The file, or - for stdout.
        since: First publication date.
        until: Last publication date.
        outlet: The outlet.
        agency: The agency.
        language: The language.
        country: The dateline country.
        limit: Most rows or stories.
        feed_title: The feed's title.
        feed_link: The feed's home page.
        warehouse: The warehouse folder.
    """
    import tempfile

    from media_etl.export.feeds import DEFAULT_FEED_LIMIT, FEED_FORMATS, FeedInfo, pooled_stories, render_feed
    from media_etl.export.tables import ExportError, select_relation, write_bytes_atomically, write_selection

    if output_format not in EXPORT_FORMATS:
        raise typer.BadParameter(f"{output_format!r} is not one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    is_feed = output_format in FEED_FORMATS
    if is_feed and (name is not None or query is not None):
        raise typer.BadParameter("a feed is made of the stories: give no NAME or --query", param_hint="--format")
    if not is_feed and (name is None) == (query is None):
        raise typer.BadParameter("give a table or view NAME, or --query, not both or neither", param_hint="NAME")
    filters = _article_filter(since, until, outlet, agency, language, country)
    target = _export_target(output, output_format)
    where = str(target) if target is not None else "standard output"
    with _connect(warehouse) as connection:
        _say_unmatched(connection, filters)
        if is_feed:
            try:
                stories = pooled_stories(connection, filters, limit or DEFAULT_FEED_LIMIT)
            except duckdb.Error as exc:
                _fail(f"cannot read the stories of {warehouse}: {exc}")
            link = feed_link or (target.resolve().as_uri() if target else warehouse.resolve().as_uri())
            description = f"One item per story across outlets, newest first: {filters.describe()}"
            data = render_feed(stories, FeedInfo(feed_title, link, description), output_format)
            if target is None:
                _write_stdout(data)
            else:
                try:
                    write_bytes_atomically(target, data)
                except OSError as exc:
                    _fail(f"cannot write {target}: {exc}")
            count = f"{len(stories)} {'story' if len(stories) == 1 else 'stories'}"
            _stderr().print(Text(f"wrote {count} ({output_format}) to {where}"), soft_wrap=True)
            return
        if query is not None:
            try:
                check_read_only(connection, query)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--query") from None
        try:
            selection = select_relation(connection, name=name, query=query, filters=filters, limit=limit)
            if target is not None:
                rows = write_selection(connection, selection, output_format, target)
            else:
                with tempfile.TemporaryDirectory(prefix="media-etl-export-") as folder:
                    spool = Path(folder) / f"export.{output_format}"
                    rows = write_selection(connection, selection, output_format, spool)
                    _write_stdout(spool.read_bytes())
        except ExportError as exc:
            raise typer.BadParameter(str(exc), param_hint=exc.field) from None
        except (OSError, duckdb.IOException) as exc:
            _fail(f"cannot write {where}: {exc}")
    what = repr(name) if name is not None else "the query"
    _stderr().print(Text(f"wrote {rows} row(s) of {what} ({output_format}) to {where}"), soft_wrap=True)


# --- quarantine ----------------------------------------------------------------------------------


@quarantine_app.command("list")
def quarantine_list(
    reason: Reason = None,
    stage: Stage = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most rows printed.")] = 200,
    all_rows: Annotated[
        bool, typer.Option("--all", help="Every row, resolved ones too, with its status (default: open rows only).")
    ] = False,
) -> None:
    """List the open quarantined inputs and rows, newest first (`--all`: resolved ones too).

    A row is resolved once a later run read its input again without the same rejection
    (`media-etl quarantine replay` after a fix, or any run that loads the input).
    \f

    Args:
        reason: Reason code.
        stage: Stage.
        warehouse: The warehouse folder.
        limit: Most rows printed.
        all_rows: Resolved rows too.
    """
    from media_etl.quarantine import quarantine_rows
    from media_etl.report.summary import rich_table

    _check_stage(stage)
    with _connect(warehouse) as connection:
        rows = quarantine_rows(connection, reason, stage, include_resolved=all_rows)
    shown = "row(s)" if all_rows else "open row(s); --all shows resolved ones too"
    caption = f"{len(rows)} {shown}" if len(rows) <= limit else f"first {limit} of {len(rows)} rows (--limit)"
    table = rich_table(rows.head(limit), title="Quarantine" if all_rows else "Quarantine (open)", caption=caption)
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
    parses (after a parser fix) is run too, read again whatever the ingest ledger says
    (`run --reread`). The rest are left alone. Rows the run no longer rejects are marked
    resolved (`quarantine list --all`). Exits 1 when a file still fails or the run fails.
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
        console.print("Nothing to replay: no open quarantine row matches.")
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
    paths_run = [item.path for item in to_run]
    result, _ = _run_etl(
        paths_run, str(warehouse), verbose=verbose, fetch_feeds=False, enrich=not no_enrich, reread=True
    )
    with _connect(warehouse) as connection:
        new_articles = articles_loaded_by_run(connection, str(result["run_id"]), paths_run)
    for item in to_run:
        articles = f"loaded {new_articles.get(item.path, 0)} new article(s)"
        item.result = articles if item.fixed else f"{articles}; still fails: " + "; ".join(item.rejections_now)
    console.print(_replay_table(plan, f"Replay: run {result['run_id']}"))
    if result["status"] != "completed" or not all(item.fixed for item in plan):
        raise typer.Exit(EXIT_FAILED)


# --- reprocessing --------------------------------------------------------------------------------

# schemas.vocabularies.SOURCE_KINDS, repeated so that --help need not import pandera (a test keeps them equal).
SOURCE_KINDS = ("text", "html", "feed", "jsonl", "csv")


def _reprocess_table(summary: Sequence[Sequence[object]], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("articles")
    table.add_column("count", justify="right")
    table.add_column("note", overflow="fold")
    for what, count, note in summary:
        table.add_row(str(what), str(count), Text(str(note)))
    return table


@app.command()
def reprocess(
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Only this outlet's articles (its name, case-insensitive).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only articles published on or after DATE (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only articles published on or before DATE (YYYY-MM-DD).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"Only articles of this source kind: {', '.join(SOURCE_KINDS)}.")
    ] = None,
    all_articles: Annotated[bool, typer.Option("--all", help="Every current article.")] = False,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    sources: SourcesOption = None,
    themes: Annotated[
        Path | None, typer.Option("--themes", help="Theme taxonomy [default: the project's themes.yaml].")
    ] = None,
    no_enrich: NoEnrich = False,
    lock_wait: Annotated[
        float, typer.Option("--lock-wait", min=0, help="Seconds to wait for a run holding the warehouse lock.")
    ] = 0.0,
    verbose: Verbose = False,
) -> None:
    """Re-derive loaded articles from the kept input, after a change of sources.yaml, themes.yaml or the code.

    Fetched pages and feeds are read from the responses kept under the warehouse's raw/
    folder; local files from their path, when their content is still the one loaded (a
    changed file is loaded as a new version; a file that is gone is left as it was).
    The new rows replace the old ones atomically: a query sees all old rows or all new
    ones. Choose the articles with --outlet, --since/--until, --kind, or --all.
    \f

    Args:
        outlet: Outlet.
        since: First publication day.
        until: Last publication day.
        kind: Source kind.
        all_articles: Every current article.
        warehouse: The warehouse folder.
        sources: The source registry.
        themes: The theme taxonomy.
        no_enrich: Skip enrichment.
        lock_wait: Seconds to wait for the lock.
        verbose: Show Prefect's log.
    """
    from media_etl.reprocess import parse_day

    if not (all_articles or outlet or since or until or kind):
        raise typer.BadParameter("choose the articles: --outlet, --since/--until, --kind, or --all", param_hint="--all")
    if all_articles and (outlet or since or until or kind):
        raise typer.BadParameter("--all selects every article: give it alone, without filters", param_hint="--all")
    for value, hint in ((since, "--since"), (until, "--until")):
        try:
            parse_day(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=hint) from None
    if since and until and parse_day(since) > parse_day(until):  # type: ignore[operator]
        raise typer.BadParameter(f"--since {since} is after --until {until}", param_hint="--since")
    if kind is not None and kind not in SOURCE_KINDS:
        raise typer.BadParameter(f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}", param_hint="--kind")
    if sources is not None:
        _check_registry_loads(sources)
    if themes is not None and not themes.is_file():
        raise typer.BadParameter(f"{themes} does not exist", param_hint="--themes")
    if not (warehouse / "parquet").is_dir():
        raise typer.BadParameter(
            f"{warehouse} holds no Parquet tables: run the ETL into it first", param_hint="--warehouse"
        )
    _prefect_defaults()
    from flows.reprocess import reprocess_flow
    from media_etl.lock import WarehouseLocked

    try:
        with _progress_line(f"Reprocessing {warehouse}", verbose):
            result = reprocess_flow(
                warehouse=str(warehouse),
                outlet=outlet,
                since=since,
                until=until,
                kind=kind,
                all_articles=all_articles,
                sources=str(sources) if sources else None,
                themes=str(themes) if themes else None,
                enrich=not no_enrich,
                lock_wait=lock_wait,
            )
    except WarehouseLocked as exc:
        _fail(str(exc))
    except Exception as exc:
        _fail(f"the reprocess failed: {type(exc).__name__}: {exc}")
    summary = result["summary"]
    assert isinstance(summary, list)
    title = f"Reprocess {str(result['run_id'])[:8]}: {result['status']}"
    _stdout().print(_reprocess_table(summary, title))


# --- sources -------------------------------------------------------------------------------------


def _check_registry_loads(path: Path) -> None:
    """Refuse, as a usage error, a registry file that is missing or that a run could not load."""
    import yaml

    from media_etl.sources import RegistryError, load_registry

    if not path.is_file():
        raise typer.BadParameter(f"{path} does not exist", param_hint="--sources")
    try:
        load_registry(path)
    except (RegistryError, OSError, ValueError, yaml.YAMLError) as exc:
        hint = f"{exc} (see: media-etl sources check --sources {path})"
        raise typer.BadParameter(hint, param_hint="--sources") from None


@sources_app.command("discover")
def sources_discover(
    url: Annotated[str, typer.Argument(metavar="URL", help="The outlet's home page (http or https).")],
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Most page URLs read from the sitemaps.")] = 200,
    shown: Annotated[int, typer.Option("--show-pages", min=0, help="Sitemap pages printed.")] = 5,
) -> None:
    """Find an outlet's feeds and sitemaps from its home page, and print a sources.yaml entry for it.

    Fetches the page, the feeds it names (`<link rel="alternate">`) to count their items,
    its robots.txt and the sitemaps there (or at the usual addresses); nothing off the
    site. Responses are not kept: `media-etl run --discover URL` reads the same sources
    into the warehouse. Exits 1 when the page cannot be fetched.
    \f

    Args:
        url: The home page.
        max_pages: Most sitemap pages read.
        shown: Sitemap pages printed.
    """
    import tempfile
    from datetime import UTC, datetime

    from media_etl.ingest.discover import check_feeds, discover_site, registry_snippet
    from media_etl.ingest.fetch import make_client, url_problem

    problem = url_problem(url)
    if problem:
        raise typer.BadParameter(f"{url!r} is not an http(s) URL: {problem}", param_hint="URL")
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="media-etl-discover-") as raw, make_client() as client:
        found = discover_site(client, url, raw_root=Path(raw), now=now, max_pages=max_pages)
        if found.collected.rejections:
            _fail(f"cannot fetch {url}: {found.collected.rejections[0].detail}")
        checks = check_feeds(client, found.feeds, raw_root=Path(raw), now=now)
    console = _stdout()
    described = ", ".join(
        part
        for part in (
            f"language {found.language}" if found.language else "",
            f"country {found.country}" if found.country else "",
        )
        if part
    )
    title = f"{found.site_name or '(the page states no site name)'} ({found.host})"
    console.print(Text(f"{title}{': ' + described if described else ''}", style="bold"), soft_wrap=True)
    feeds = Table(title=f"Feeds on the site: {len(checks)}", title_justify="left")
    feeds.add_column("feed", overflow="fold")
    feeds.add_column("items", justify="right")
    feeds.add_column("problem", overflow="fold")
    for check in checks:
        feeds.add_row(Text(check.url), str(check.items), Text(check.problem or ""))
    console.print(feeds)
    for offsite in found.offsite_feeds:
        console.print(Text(f"feed on another site, not fetched: {offsite}", style="dim"), soft_wrap=True)
    console.print(Text(f"Sitemaps: {len(found.sitemaps)}", style="bold"))
    for sitemap in found.sitemaps:
        console.print(Text(f"  {sitemap}"), soft_wrap=True)
    more = f" (first {shown} shown)" if len(found.pages) > shown else ""
    console.print(Text(f"Pages the sitemaps list: {len(found.pages)}{more}", style="bold"))
    for page in found.pages[:shown]:
        console.print(Text(f"  {page}"), soft_wrap=True)
    console.print(Text("sources.yaml entry (paste under outlets:, then run media-etl sources check):", style="bold"))
    typer.echo(registry_snippet(found), nl=False)


@sources_app.command("check")
def sources_check(
    sources: SourcesOption = None,
    warehouse: WarehouseOption = Path(DEFAULT_WAREHOUSE),
    limit: Annotated[int, typer.Option("--limit", min=1, help="Most uncovered outlets printed.")] = 50,
) -> None:
    """Validate the source registry and list the outlets in the warehouse that it does not cover.

    Reports every problem of the registry with its entry and field: missing or unknown
    fields, country, language and time-zone codes, domains, feed URLs, and names, credits,
    domains or feeds given to two outlets. Then lists the sites and outlet names of current
    articles that no entry covers, with their article counts (skipped when the warehouse
    has no media.db). Exits 2 when the registry is invalid, else 0.
    \f

    Args:
        sources: The registry file.
        warehouse: The warehouse folder.
        limit: Most uncovered outlets printed.
    """
    from media_etl.defaults import SOURCES_FILE
    from media_etl.report.summary import rich_table
    from media_etl.sources import load_registry
    from media_etl.sources_check import registry_problems, uncovered_outlets
    from media_etl.store.database import DATABASE_NAME

    path = sources or SOURCES_FILE
    problems = registry_problems(path)
    console = _stdout()
    if problems:
        table = Table(title=f"{path}: {len(problems)} problem(s)", title_justify="left")
        for column in ("entry", "field", "problem"):
            table.add_column(column, overflow="fold")
        for problem in problems:
            table.add_row(Text(problem.entry), Text(problem.field or ""), Text(problem.message))
        console.print(table)
    else:
        registry = load_registry(path)
        console.print(Text(f"{path}: valid, {len(registry.outlets)} outlet(s)", style="bold green"), soft_wrap=True)
    if not (warehouse / DATABASE_NAME).is_file():
        console.print(Text(f"no {DATABASE_NAME} in {warehouse}: outlets in the warehouse not checked", style="dim"))
    elif not problems:
        with _connect(warehouse) as connection:
            try:
                missing = uncovered_outlets(connection, registry)
            except duckdb.Error as exc:
                _fail(f"cannot query {warehouse}: {exc}")
        if missing.empty:
            console.print(Text("every outlet in the warehouse has a registry entry"))
        else:
            total = int(missing["articles"].sum())
            caption = f"{len(missing)} site(s)/outlet(s), {total} current article(s)"
            if len(missing) > limit:
                caption += f"; first {limit} shown (--limit)"
            title = "Outlets in the warehouse without a registry entry"
            console.print(rich_table(missing.head(limit), title=title, caption=caption, humanize=False))
    if problems:
        raise typer.Exit(EXIT_USAGE)


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
