"""Time the current views with ``is_superseded`` looked up in ``article_status`` against the window it replaced.

    PYTHONPATH=. .venv/bin/python benchmarks/status_views.py --template WAREHOUSE [--copies 1000] [--versions 4]
        [--dir /tmp/media-etl-status]

Builds a warehouse under ``--dir`` from the rows of a loaded one (``--template``, say a warehouse
of the seeds): each template article becomes ``copies`` sources of ``versions`` versions each
(new ``article_id`` per version, first seen a day apart), with its paragraphs, mentions,
quotes, themes, dates and signature copied to every version, written as Parquet parts in the
template's month partitions. It then computes ``article_status`` once (timed: the cost a run
now pays) and times, in one process on the same files, each query over two in-memory sets of
views: ``window`` (``article_versions`` as it was, ordering all of ``article_sources`` per query)
and ``status`` (today's views, a join on ``article_status``). Each query is the best of three,
fetching every row; the printed figure is ``status / window`` (below 1: faster), with whether
its plan holds the window over the versions of each source (before -> after). Compare ratios
only: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from media_etl.defaults import VIEWS_DIR
from media_etl.load import refresh_article_status
from media_etl.store.database import create_views, table_source
from media_etl.store.partitions import PARTITION_COLUMN, is_partitioned
from media_etl.store.schema import arrow_schema
from media_etl.store.versions import VERSIONED_TABLES
from media_etl.store.warehouse import Warehouse
from schemas import TABLES

WINDOW_VIEW = """
with source as (
    select * from {source}
),

links as (
    select source_uri, item_key, article_id, min(seen_at) as first_seen
    from article_sources_all_versions
    group by source_uri, item_key, article_id
),

ordered as (
    select
        article_id,
        lead(article_id) over (partition by source_uri, item_key order by first_seen, article_id) as next_version
    from links
),

versions as (
    select
        article_id,
        bool_and(next_version is not null) as is_superseded,
        min(next_version) as superseded_by
    from ordered
    group by article_id
),

final as (
    select
        source.*,
        coalesce(versions.is_superseded, false) as is_superseded,
        case when versions.is_superseded then versions.superseded_by end as superseded_by
    from source
    left join versions using (article_id)
)

select * from final
"""
"""``warehouse/views/article_versions.sql`` before ``article_status``: the window on every query."""

QUERIES = ["select count(*) from quotes", "select count(*) from articles", "select count(*) from article_versions"]


def build(template: Warehouse, target: Warehouse, copies: int, versions: int) -> None:
    """Write the synthetic warehouse: every versioned table's template rows, per copy and version."""
    with duckdb.connect() as con:
        con.execute(f"create table copies as select range as copy from range({copies})")
        con.execute(f"create table versions as select range as version from range({versions})")
        for name in VERSIONED_TABLES:
            spec = TABLES[name]
            source = table_source(template, name)
            new_id = "substr(md5(t.article_id || '/' || c.copy || '/' || v.version), 1, 16)"
            replace = [f"{new_id} as article_id"]
            if name == "article_sources":
                replace += [
                    "'synthetic://' || c.copy || '/' || t.source_uri as source_uri",
                    "t.seen_at + v.version * interval 1 day as seen_at",
                ]
            if name == "articles":
                replace += ["t.loaded_at + v.version * interval 1 day as loaded_at"]
            rows = f"select t.* replace ({', '.join(replace)}) from {source} t, copies c, versions v"
            schema = arrow_schema(spec.model)
            months = [None]
            if is_partitioned(name):
                months = [m for (m,) in con.execute(f"select distinct {PARTITION_COLUMN} from {source}").fetchall()]
            for month in months:
                where = "" if month is None else f" where t.{PARTITION_COLUMN} = '{month}'"
                table = con.execute(rows + where).to_arrow_table()
                table = table.select([f.name for f in schema]).cast(schema)
                target.write_part(target.partition(name, month), "synthetic", table)
    for spec in TABLES.values():
        target.ensure_table(spec)


@contextmanager
def views(store: Warehouse, views_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as connection:
        create_views(connection, store, views_dir)
        yield connection


def best_of_three(connection: duckdb.DuckDBPyConnection, sql: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        connection.execute(sql).fetchall()
        times.append(time.perf_counter() - started)
    return min(times)


def orders_versions(connection: duckdb.DuckDBPyConnection, sql: str) -> bool:
    """Whether a query's plan holds the window over the versions of each source (``partition by source_uri``)."""

    def projections(node: dict[str, Any]) -> Iterator[str]:
        if node.get("name") == "WINDOW":
            yield str(node.get("extra_info", {}).get("Projections", ""))
        for child in node.get("children", []):
            yield from projections(child)

    ((_, plan),) = connection.execute(f"explain (format json) {sql}").fetchall()
    return any("source_uri" in p for root in json.loads(plan) for p in projections(root))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", type=Path, required=True, help="a loaded warehouse to copy rows from")
    parser.add_argument("--copies", type=int, default=1000, help="sources per template article")
    parser.add_argument("--versions", type=int, default=4, help="versions per source")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "media-etl-status")
    args = parser.parse_args(argv)
    folder = args.dir / f"wh-{args.copies}x{args.versions}"
    shutil.rmtree(folder, ignore_errors=True)
    store = Warehouse(folder)
    build(Warehouse(args.template), store, args.copies, args.versions)
    started = time.perf_counter()
    superseded = refresh_article_status(store)
    refresh_s = time.perf_counter() - started
    window_views = args.dir / "views-window"
    shutil.rmtree(window_views, ignore_errors=True)
    shutil.copytree(VIEWS_DIR, window_views)
    (window_views / "article_versions.sql").write_text(WINDOW_VIEW, encoding="utf-8")
    queries = QUERIES + [f"select * from {f.stem}" for f in sorted(VIEWS_DIR.glob("rpt_*.sql"))]
    with views(store, window_views) as before, views(store, VIEWS_DIR) as after:
        versions_total, current = after.execute(
            "select count(*), count(*) filter (where not is_superseded) from article_versions"
        ).fetchone() or (0, 0)
        sources = after.execute("select count(*) from article_sources_all_versions").fetchone()
        print(
            f"warehouse: {versions_total} article versions ({current} current, {superseded} superseded),"
            f" {sources[0] if sources else 0} article_sources rows; article_status computed in {refresh_s:.2f} s"
        )
        slowest = {"window": 0.0, "status": 0.0}
        for sql in queries:
            assert sorted(before.execute(sql).fetchall(), key=repr) == sorted(after.execute(sql).fetchall(), key=repr)
            window_s, status_s = best_of_three(before, sql), best_of_three(after, sql)
            slowest = {"window": max(slowest["window"], window_s), "status": max(slowest["status"], status_s)}
            print(
                f"{sql:<48} window {window_s:7.3f} s  status {status_s:7.3f} s  ratio {status_s / window_s:5.2f}"
                f"  version window: {orders_versions(before, sql)} -> {orders_versions(after, sql)}"
            )
        print(
            f"slowest view: window {slowest['window']:.3f} s, status {slowest['status']:.3f} s,"
            f" ratio {slowest['status'] / slowest['window']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
