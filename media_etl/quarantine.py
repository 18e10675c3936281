"""The quarantine: list its rows, find the files they came from, and plan a replay after a fix.

``media-etl quarantine list|show|replay`` is a thin layer over these.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from media_etl.defaults import is_url
from media_etl.ledger import FileState
from media_etl.records import Rejection
from media_etl.report.summary import query_frame

if TYPE_CHECKING:
    from media_etl.enrich.stage import Enricher
    from media_etl.sources import SourceRegistry

DryCheck = Callable[[str], tuple[list[str], list[tuple[str, str, str]]]]
"""Reads, parses and validates one file without loading it: its article ids and (stage, reason_code, detail)s."""

QUARANTINE_LIST_SQL = """
select
    quarantine_id,
    left(run_id, 8) as run,
    strftime(quarantined_at at time zone 'UTC', '%Y-%m-%d %H:%M') as quarantined_utc,
    stage,
    reason_code,
    source_uri || coalesce(':' || line, '') as source,
    detail,
    status,
    strftime(resolved_at at time zone 'UTC', '%Y-%m-%d %H:%M') as resolved_utc
from quarantine
where (cast($reason as varchar) is null or reason_code = $reason)
  and (cast($stage as varchar) is null or stage = $stage)
  and ($all or status = 'open')
order by quarantined_at desc, source_uri, line nulls first, quarantine_id
"""


def quarantine_rows(
    connection: duckdb.DuckDBPyConnection,
    reason: str | None = None,
    stage: str | None = None,
    *,
    include_resolved: bool = False,
) -> pd.DataFrame:
    """Read the quarantine, newest first: the open rows, optionally of one reason code and stage.

    Args:
        connection: A connection to media.db.
        reason: Keep only this reason code.
        stage: Keep only this stage.
        include_resolved: Resolved rows too, with their status and resolution time.

    Returns:
        Columns quarantine_id, run, quarantined_utc, stage, reason_code, source
        (``uri:line``) and detail; with ``include_resolved``, status and resolved_utc too.
    """
    rows = query_frame(connection, QUARANTINE_LIST_SQL, {"reason": reason, "stage": stage, "all": include_resolved})
    return rows if include_resolved else rows.drop(columns=["status", "resolved_utc"])


def local_file(source_uri: str) -> str | None:
    """The file on disk a quarantine row's source names, if it still exists.

    A record or feed item is named ``<file>#<item>``; a fetched URL has no file.

    Args:
        source_uri: The row's ``source_uri``.

    Returns:
        The file's path, or None for a URL or a file that is gone.
    """
    if is_url(source_uri):
        return None
    if Path(source_uri).is_file():
        return source_uri
    for hash_sign in (m.start() for m in re.finditer("#", source_uri)):
        if Path(source_uri[:hash_sign]).is_file():
            return source_uri[:hash_sign]
    return None


def file_sha256(path: str) -> str | None:
    """Hash a file's bytes.

    Args:
        path: The file.

    Returns:
        The SHA-256 hex digest, or None when the file cannot be read.
    """
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@dataclass
class ReplayFile:
    """One quarantined input file, what a dry run of it gives today, and what replaying it does."""

    path: str
    rows: list[dict[str, object]]
    """Its quarantine rows that the replay selected."""
    reread: bool = False
    """True when the ledger lacks the file's current size and mtime, so the ETL reads it again anyway."""
    content: str = "unknown"
    """changed or same against the content hashes in its quarantine rows; unknown when none was recorded."""
    article_ids: list[str] = field(default_factory=list)
    """The articles it yields today."""
    rejections_now: list[str] = field(default_factory=list)
    """What of it still fails today, as ``stage/reason: detail``."""
    action: str = "skip"
    """run, reread-and-run (unchanged but it now parses: the run reads it whatever the
    ledger says, ``run --reread``) or skip."""
    result: str = ""

    @property
    def fixed(self) -> bool:
        """True when it yields articles and nothing of it is rejected any more."""
        return bool(self.article_ids) and not self.rejections_now


def plan_replay(
    rows: pd.DataFrame, ledger: set[tuple[str, int, int]], stored: Mapping[str, set[str]], check: DryCheck
) -> tuple[list[ReplayFile], list[str]]:
    """Decide which quarantined files to run through the ETL again.

    A file is run when the ledger lacks its current state (its size or mtime changed, so
    the ETL reads it anyway), or when it is unchanged but now yields articles that are not
    stored yet and the reasons it was quarantined for are gone (a parser fix); that file
    is marked ``reread-and-run``. Every other file is skipped: it still fails, or it was
    fixed and loaded already.

    Args:
        rows: Quarantine rows (quarantine_id, source_uri, stage, reason_code, content_hash).
        ledger: The ledger's (path, size, mtime_ns) states of the files.
        stored: For each file, the article ids ``article_sources`` already links to it.
        check: The dry run: reads, parses and validates one file without loading it.

    Returns:
        One entry per file still on disk, in path order, and the sources that are not
        (URLs and files that are gone).
    """
    by_file: dict[str, list[dict[str, object]]] = defaultdict(list)
    gone: set[str] = set()
    for row in rows.to_dict("records"):
        path = local_file(str(row["source_uri"]))
        if path is None:
            gone.add(str(row["source_uri"]))
        else:
            by_file[path].append(row)
    plan = []
    for path in sorted(by_file):
        item = ReplayFile(path, by_file[path])
        state = FileState.of(path)
        item.reread = (state.path, state.size, state.mtime_ns) not in ledger
        recorded = {str(r["content_hash"]) for r in item.rows if r["content_hash"] is not None}
        if recorded:
            item.content = "same" if file_sha256(path) in recorded else "changed"
        item.article_ids, rejections = check(path)
        item.rejections_now = [f"{stage}/{reason}: {detail}" for stage, reason, detail in rejections]
        before = {(str(r["stage"]), str(r["reason_code"])) for r in item.rows}
        still = before & {(stage, reason) for stage, reason, _ in rejections}
        new = set(item.article_ids) - stored.get(path, set())
        if item.reread:
            item.action = "run"
        elif new and not still:
            item.action = "reread-and-run"
        elif item.fixed:
            item.result = "fixed and loaded already"
        else:
            item.result = "unchanged, still fails: " + "; ".join(item.rejections_now or ["no articles"])
        plan.append(item)
    return plan, sorted(gone)


def dry_check(registry: SourceRegistry, enricher: Enricher | None) -> DryCheck:
    """Make the dry run ``plan_replay`` uses: read, parse, validate (and enrich) one file without loading it.

    Args:
        registry: The source registry.
        enricher: The enrichment models, or None to skip enrichment.

    Returns:
        The check.
    """

    from media_etl.pipeline import process_files

    def check(path: str) -> tuple[list[str], list[tuple[str, str, str]]]:
        batch = process_files([path], registry, run_id="replay-check", loaded_at=datetime.now(UTC), enricher=enricher)
        return [str(i) for i in batch.articles["article_id"]], [
            (r.stage, r.reason_code, r.detail) for r in batch.rejections
        ]

    return check


def input_of(source_uri: str, inputs: set[str]) -> str | None:
    """The input (a file or URL a run read) a quarantine row's source names, if it is among ``inputs``.

    Args:
        source_uri: A quarantine row's ``source_uri``: an input, or ``<input>#<item>``.
        inputs: Files and URLs.

    Returns:
        The input, or None when the source names none of them.
    """
    if source_uri in inputs:
        return source_uri
    for hash_sign in (m.start() for m in re.finditer("#", source_uri)):
        if source_uri[:hash_sign] in inputs:
            return source_uri[:hash_sign]
    return None


def resolved_rows(
    open_rows: pd.DataFrame, inputs_read: Iterable[str], rejections: Iterable[Rejection], *, run_id: str, at: datetime
) -> pd.DataFrame:
    """The open quarantine rows a completed run resolved, as ``quarantine_resolutions`` rows.

    A row is resolved when the run read its input again (the file, or the fetched URL) and
    did not reject anything of that input for the same stage and reason: a replay after a
    fix, or any later run that loads the same input.

    Args:
        open_rows: Quarantine rows not resolved yet (quarantine_id, source_uri, stage, reason_code).
        inputs_read: The files and URLs the run read.
        rejections: Everything the run rejected.
        run_id: The run.
        at: Its start, UTC.

    Returns:
        One row (quarantine_id, resolved_at, run_id) per resolved quarantine row.
    """
    read = set(inputs_read)
    still = {(input_of(r.source_uri, read), r.stage, r.reason_code) for r in rejections if input_of(r.source_uri, read)}
    rows = []
    for quarantine_id, source_uri, stage, reason_code in open_rows[
        ["quarantine_id", "source_uri", "stage", "reason_code"]
    ].itertuples(index=False):
        source = input_of(str(source_uri), read)
        if source is not None and (source, stage, reason_code) not in still:
            rows.append({"quarantine_id": quarantine_id, "resolved_at": at, "run_id": run_id})
    return pd.DataFrame(rows, columns=["quarantine_id", "resolved_at", "run_id"])


REPLAY_ROWS_SQL = """
select quarantine_id, source_uri, stage, reason_code, content_hash
from quarantine
where (cast($reason as varchar) is null or reason_code = $reason)
  and (cast($stage as varchar) is null or stage = $stage)
  and status = 'open'
"""


@dataclass
class ReplayCandidates:
    """The quarantine rows a replay selected, and what the warehouse knows of their files."""

    rows: pd.DataFrame
    paths: list[str]
    """The files still on disk, sorted."""
    ledger: set[tuple[str, int, int]]
    """The ledger's (path, size, mtime_ns) states of those files."""
    stored: dict[str, set[str]]
    """For each file, the article ids ``article_sources`` links to it."""


def replay_candidates(
    connection: duckdb.DuckDBPyConnection, reason: str | None = None, stage: str | None = None
) -> ReplayCandidates:
    """Read the quarantine rows of a reason and stage, with their files' ledger states and stored articles.

    Args:
        connection: A connection to media.db.
        reason: Keep only this reason code.
        stage: Keep only this stage.

    Returns:
        What ``plan_replay`` needs besides the dry run.
    """
    rows = query_frame(connection, REPLAY_ROWS_SQL, {"reason": reason, "stage": stage})
    paths = sorted({p for p in map(local_file, rows["source_uri"].astype(str)) if p is not None})
    ledger_rows = query_frame(
        connection, "select path, size, mtime_ns from ingest_ledger where list_contains($paths, path)", {"paths": paths}
    )
    linked = query_frame(
        connection,
        "select source_uri, article_id from article_sources_all_versions where list_contains($paths, source_uri)",
        {"paths": paths},
    )
    stored: dict[str, set[str]] = defaultdict(set)
    for source, article_id in linked.itertuples(index=False):
        stored[str(source)].add(str(article_id))
    ledger = {(str(p), int(s), int(m)) for p, s, m in ledger_rows.itertuples(index=False)}
    return ReplayCandidates(rows, paths, ledger, dict(stored))


def articles_loaded_by_run(connection: duckdb.DuckDBPyConnection, run_id: str, paths: list[str]) -> dict[str, int]:
    """Count, per file, the distinct articles a run linked to it."""
    loaded = query_frame(
        connection,
        "select source_uri, count(distinct article_id) as n from article_sources_all_versions"
        " where run_id = $run and list_contains($paths, source_uri) group by source_uri",
        {"run": run_id, "paths": paths},
    )
    return {str(k): int(v) for k, v in zip(loaded["source_uri"], loaded["n"], strict=True)}
