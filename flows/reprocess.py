"""The reprocess flow: re-derive loaded articles from the kept input with today's configuration and code.

Every task is one call into the library (``media_etl.reprocess``). Run it with
``media-etl reprocess`` (see its ``--help``).
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from media_etl import runs
from media_etl.defaults import DEFAULT_WAREHOUSE
from media_etl.load import LoadCounts, prepare_warehouse, record_run, refresh_article_status, refresh_story_clusters
from media_etl.lock import warehouse_lock
from media_etl.reprocess import Context, ReprocessResult, Selection, commit, follow_feeds, parse_day, reprocess
from media_etl.reprocess import quarantine_rejections as quarantine_rejected
from media_etl.runs import Discovery, StageClock
from media_etl.store.compact import finish_pending_commits
from media_etl.store.database import build_database
from media_etl.store.warehouse import Warehouse
from media_etl.store.writer import WarehouseWriter
from schemas import TABLES


@task(cache_policy=NO_CACHE)
def rederive(context: Context, selection: Selection) -> ReprocessResult:
    """Read the selected articles' kept input again and write new generations of the partitions they touch."""
    return reprocess(context, selection)


@task(cache_policy=NO_CACHE)
def switch_generations(store: Warehouse, result: ReprocessResult, now: datetime) -> None:
    """Make the new generations current, all together."""
    commit(store, result, now)


@task(cache_policy=NO_CACHE)
def mark_superseded_versions(store: Warehouse) -> int:
    """Recompute which article versions a later version replaced (the article_status table)."""
    return refresh_article_status(store)


@task(cache_policy=NO_CACHE)
def recluster_stories(store: Warehouse) -> int:
    """Recluster the current articles into near-duplicate stories."""
    return refresh_story_clusters(store)


@task(cache_policy=NO_CACHE)
def build_media_db(store: Warehouse) -> Path:
    """Rebuild media.db: from here on, readers see the new rows."""
    return build_database(store)


@flow(name="media-etl-reprocess")
def reprocess_flow(
    warehouse: str = DEFAULT_WAREHOUSE,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    all_articles: bool = False,
    sources: str | None = None,
    themes: str | None = None,
    enrich: bool = True,
    languages: list[str] | None = None,
    lock_wait: float = 0.0,
) -> dict[str, object]:
    """Re-derive the rows of loaded articles from the input the warehouse keeps, after a change of configuration.

    Args:
        warehouse: The warehouse folder.
        outlet: Only the current articles of this outlet (its name or label, case-insensitive).
        since: Only articles published on or after this day (YYYY-MM-DD).
        until: Only articles published on or before this day (YYYY-MM-DD).
        kind: Only articles of this source kind (text, html, feed, jsonl, csv).
        all_articles: Every current article (one of the filters, or this, is required).
        sources: The source registry file; defaults to the project's ``sources.yaml``.
        themes: The theme taxonomy; defaults to the project's ``themes.yaml``.
        enrich: Run the enrichment stages (off: the articles lose their enrichment rows).
        languages: ISO 639-1 codes language detection chooses from.
        lock_wait: Seconds to wait for a run holding the warehouse lock.

    Returns:
        The reprocess's ``runs`` row, with the summary rows under ``summary``.
    """
    logger = get_run_logger()
    selection = Selection(
        outlet=outlet, since=parse_day(since), until=parse_day(until), kind=kind, everything=all_articles
    )
    run_id = str(flow_run.get_id() or uuid.uuid4())
    plan = runs.plan_run(
        [],
        warehouse,
        run_id=run_id,
        started_at=datetime.now(UTC),
        sources=sources,
        themes=themes,
        enrich=enrich,
        fetch_feeds=False,
        languages=languages,
    )
    store = Warehouse.open(plan.target)
    context = Context(
        store=store,
        config=plan.config,
        raw_root=plan.raw_root,
        follow=follow_feeds(plan.config.sources),
        current_config=plan.config_hash,
        current_code=plan.code_version,
    )
    clock = StageClock()
    result = ReprocessResult()
    error: str | None = None
    clustered: int | None = None
    with warehouse_lock(plan.target, wait_seconds=lock_wait, owner=run_id):
        finish_pending_commits(store)
        prepare_warehouse(store)
        writer = WarehouseWriter(store)
        try:
            clock.time(mark_superseded_versions, store)  # which versions are current, as the selection reads them
            logger.info("reprocessing %s", selection.describe())
            result = clock.time(rederive, context, selection)
            clock.time(switch_generations, store, result, plan.started_at)
            quarantine_rejected(writer, result, run_id=run_id, at=plan.started_at)
            clock.time(mark_superseded_versions, store)
            if enrich and result.rewrites:
                members = clock.time(recluster_stories, store)
                clustered = len(WarehouseWriter(store).index(TABLES["article_signatures"]))
                logger.info("%s articles belong to near-duplicate story clusters", members)
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            raise
        finally:
            database = build_media_db(store)
            done = dataclasses.replace(plan, run_kind="reprocess", inputs=tuple(result.sources_read))
            counts = LoadCounts(
                len(result.sources_read),
                result.articles_parsed,
                result.articles_loaded,
                result.paragraphs_loaded,
                result.sources_loaded,
                0,
            )
            row = runs.run_row(
                plan=done,
                finished_at=datetime.now(UTC),
                found=Discovery(seen=result.files_seen),
                counts=[counts],
                rejections=result.rejections,
                workers=1,
                signatures_clustered=clustered,
                stage_seconds=clock.seconds(),
                error=error,
            )
            record_run(writer, row)
            logger.info("warehouse: %s", database)
    return {**row, "summary": result.summary()}
