"""The report flow: coverage, top stories, most-quoted people and run quality, as Prefect artifacts,
and the whole report as one self-contained HTML page.

Run it from the repo root with ``python flows/report.py [--since DATE] [--until DATE] [--outlet NAME]
[--agency NAME] [--language CODE] [--country CODE] --warehouse DIR``.

When rpt_source_health flags a gap or a drop in the window checked (see
``media_etl.report.source_health``), the run ends in a Completed state named ``Source gaps`` whose
message names the outlets, and emits the event ``media-etl.source-health.degraded`` for automations.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event
from prefect.states import Completed, State

from media_etl.defaults import SOURCES_FILE
from media_etl.report.chart import chart_path, draw_coverage
from media_etl.report.html import page_path, write_page
from media_etl.report.page_queries import PageData, build_page_data
from media_etl.report.source_health import health_summary
from media_etl.report.summary import Report, ReportFilter, build_report, render_markdown

ARTIFACT_KEY = "media-etl-report"
PAGE_ARTIFACT_KEY = "media-etl-report-page"
SOURCE_HEALTH_EVENT = "media-etl.source-health.degraded"
SOURCE_GAPS_STATE = "Source gaps"


@task(cache_policy=NO_CACHE)
def query_report(warehouse: Path, filters: ReportFilter) -> Report:
    """Query the report's tables from media.db, with the filters as bound parameters."""
    return build_report(warehouse, filters)


@task(cache_policy=NO_CACHE)
def query_page(warehouse: Path, filters: ReportFilter, report: Report) -> PageData:
    """Query the HTML page's own tables (people, quotes, reprints, themes, source health, quarantine)."""
    return build_page_data(warehouse, filters, report=report)


@task(cache_policy=NO_CACHE)
def draw_chart(coverage: pd.DataFrame, target: Path, title: str) -> Path:
    """Draw the coverage chart as a PNG."""
    return draw_coverage(coverage, target, title)


@task(cache_policy=NO_CACHE)
def write_html(data: PageData, target: Path) -> Path:
    """Write the report as one self-contained HTML page."""
    return write_page(data, target)


def warehouse_resource(warehouse: Path) -> dict[str, str]:
    """The Prefect event resource naming a warehouse by its absolute path."""
    path = warehouse.resolve()
    return {"prefect.resource.id": f"media-etl.warehouse.{path}", "prefect.resource.name": str(path)}


def outlet_resources(outlets: Sequence[str]) -> list[dict[str, str]]:
    """The Prefect event related resources naming outlets, for automations to match on."""
    return [
        {
            "prefect.resource.id": f"media-etl.outlet.{outlet}",
            "prefect.resource.role": "outlet",
            "prefect.resource.name": outlet,
        }
        for outlet in outlets
    ]


@flow(name="media-etl-report")
def report(
    warehouse: str = "warehouse",
    since: str | None = None,
    outlet: str | None = None,
    until: str | None = None,
    agency: str | None = None,
    language: str | None = None,
    country: str | None = None,
) -> dict[str, Any] | State[dict[str, Any]]:
    """Report on the warehouse: a markdown artifact, a coverage chart and an HTML page linked as an artifact.

    Args:
        warehouse: The warehouse folder holding media.db; the chart goes to its
            ``reports/coverage-<date>.png`` and the page to ``reports/report-<date>.html``.
        since: Cover articles published, and runs started, on or after this date (YYYY-MM-DD).
        outlet: Cover only this outlet: its name (case-insensitive), or a slug, credit or domain
            of its sources.yaml entry.
        until: Cover articles published on or before this date (YYYY-MM-DD).
        agency: Cover only articles this agency is credited for (named as the outlet is).
        language: Cover only articles in this language (ISO 639-1 code, such as en).
        country: Cover only articles datelined in this country (ISO 3166-1 alpha-2 code, such as AZ).

    Returns:
        The chart's and the page's paths, the artifact's markdown, the row count of each table and
        source health; in a Completed state named "Source gaps" (its message naming the outlets)
        when source health flagged any.
    """
    logger = get_run_logger()
    filters = ReportFilter.parse(
        since=since, until=until, outlet=outlet, agency=agency, language=language, country=country
    )
    filters = filters.resolved_from(SOURCES_FILE)
    target = Path(warehouse)
    result = query_report(target, filters)
    data = query_page(target, filters, result)
    today: date = datetime.now(UTC).date()
    chart = draw_chart(result.coverage_by_day, chart_path(target, today), f"Articles published ({filters.describe()})")
    page = write_html(data, page_path(target, today))
    page_uri = page.resolve().as_uri()
    markdown = render_markdown(result, chart) + f"\n## The whole report as a page\n\n[`{page.resolve()}`]({page_uri})\n"
    create_markdown_artifact(key=ARTIFACT_KEY, markdown=markdown, description=f"media-etl report: {filters.describe()}")
    create_link_artifact(
        key=PAGE_ARTIFACT_KEY, link=page_uri, link_text=page.name, description=f"HTML report: {filters.describe()}"
    )
    counts = {
        "coverage_by_outlet": len(result.coverage_by_outlet),
        "top_stories": len(result.top_stories),
        "most_quoted": len(result.most_quoted),
        "run_quality": len(result.run_quality),
    }
    health = health_summary(data.source_health)
    logger.info("report (%s): %s; chart %s; page %s", filters.describe(), counts, chart, page)
    outcome: dict[str, Any] = {
        "chart": str(chart),
        "page": str(page),
        "markdown": markdown,
        "rows": counts,
        "source_health": health,
    }
    if not health["outlets"]:
        return outcome
    # Gaps and drops describe the sources, not this run, which did all its work: the run stays
    # COMPLETED (no retry, no failure alert, `make report` exits 0) under a name the UI shows.
    logger.warning("source health: %s", health["message"])
    emit_event(
        event=SOURCE_HEALTH_EVENT,
        resource=warehouse_resource(target),
        related=outlet_resources(list(data.source_health.flagged)),
        payload={**health, "report_page": page_uri, "filters": filters.describe()},
    )
    return Completed(name=SOURCE_GAPS_STATE, message=str(health["message"]), data=outcome)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the report flow from the command line (Prefect's embedded mode when no server is set)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", default="warehouse", help="warehouse folder (default: warehouse)")
    parser.add_argument("--since", default=None, help="only articles published on or after this date (YYYY-MM-DD)")
    parser.add_argument("--until", default=None, help="only articles published on or before this date (YYYY-MM-DD)")
    parser.add_argument("--outlet", default=None, help="only this outlet (name, slug, credit or domain)")
    parser.add_argument("--agency", default=None, help="only articles credited to this agency")
    parser.add_argument("--language", default=None, help="only articles in this language (ISO 639-1, e.g. en)")
    parser.add_argument("--country", default=None, help="only articles datelined in this country (ISO alpha-2)")
    args = parser.parse_args(argv)
    report(
        warehouse=args.warehouse,
        since=args.since,
        outlet=args.outlet,
        until=args.until,
        agency=args.agency,
        language=args.language,
        country=args.country,
    )


if __name__ == "__main__":
    main()
