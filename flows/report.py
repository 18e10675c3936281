"""The report flow: coverage, top stories, most-quoted people and run quality, as Prefect artifacts.

Run it from the repo root with ``python flows/report.py [--since DATE] [--outlet NAME] --warehouse DIR``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from media_etl.report.chart import chart_path, draw_coverage
from media_etl.report.summary import Report, ReportFilter, build_report, parse_since, render_markdown

ARTIFACT_KEY = "media-etl-report"


@task(cache_policy=NO_CACHE)
def query_report(warehouse: Path, filters: ReportFilter) -> Report:
    """Query the report's tables from media.db, with the filters as bound parameters."""
    return build_report(warehouse, filters)


@task(cache_policy=NO_CACHE)
def draw_chart(coverage: pd.DataFrame, target: Path, title: str) -> Path:
    """Draw the coverage chart as a PNG."""
    return draw_coverage(coverage, target, title)


@flow(name="media-etl-report")
def report(warehouse: str = "warehouse", since: str | None = None, outlet: str | None = None) -> dict[str, object]:
    """Report on the warehouse as a markdown artifact with a coverage chart.

    Args:
        warehouse: The warehouse folder holding media.db; the chart goes to its
            ``reports/coverage-<date>.png``.
        since: Cover articles published, and runs started, on or after this date (YYYY-MM-DD).
        outlet: Cover only this outlet (case-insensitive).

    Returns:
        The chart's path, the artifact's markdown and the row count of each table.
    """
    logger = get_run_logger()
    filters = ReportFilter(since=parse_since(since), outlet=outlet or None)
    target = Path(warehouse)
    result = query_report(target, filters)
    today: date = datetime.now(UTC).date()
    chart = draw_chart(result.coverage_by_day, chart_path(target, today), f"Articles published ({filters.describe()})")
    markdown = render_markdown(result, chart)
    create_markdown_artifact(key=ARTIFACT_KEY, markdown=markdown, description=f"media-etl report: {filters.describe()}")
    counts = {
        "coverage_by_outlet": len(result.coverage_by_outlet),
        "top_stories": len(result.top_stories),
        "most_quoted": len(result.most_quoted),
        "run_quality": len(result.run_quality),
    }
    logger.info("report (%s): %s; chart %s", filters.describe(), counts, chart)
    return {"chart": str(chart), "markdown": markdown, "rows": counts}


def main(argv: Sequence[str] | None = None) -> None:
    """Run the report flow from the command line (Prefect's embedded mode when no server is set)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: warehouse)")
    parser.add_argument("--since", default=None, help="only articles published on or after this date (YYYY-MM-DD)")
    parser.add_argument("--outlet", default=None, help="only this outlet (case-insensitive)")
    args = parser.parse_args(argv)
    report(warehouse=args.warehouse, since=args.since, outlet=args.outlet)


if __name__ == "__main__":
    main()
