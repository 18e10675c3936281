"""The warehouse report: coverage, top stories, most-quoted people and run quality, from media.db.

Every query takes the report's filters as bound parameters, never as SQL text. One
``Report`` renders as markdown (the report flow's artifact) and as rich tables
(``media-etl report``). Only current article versions count (the ``stg_articles`` view):
versions that a changed source replaced (``article_versions.is_superseded``) are left out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
from rich.table import Table
from rich.text import Text

from media_etl.report.filters import ArticleFilter, outlet_condition, parse_date
from media_etl.report.filters import conditions as article_conditions
from media_etl.store.database import DATABASE_NAME

DEFAULT_LIMIT = 10

# The current article versions a filter keeps (media_etl.report.filters, all but the outlet), each
# named by its outlet_label (its outlet, else its credited agency, else '(unknown)'), from the
# staging view the rpt_* views read too. The outlet applies per query (_OUTLET_MATCHES): the top
# stories keep a story when any of its articles is from the outlet.
_SELECTED_ARTICLES = f"""
    select
        article_id,
        headline,
        outlet_label as outlet,
        published_date,
        published_at,
        word_count,
        dateline_country
    from stg_articles
    where {article_conditions(outlet=False)}
"""
_OUTLET_MATCHES = outlet_condition("outlet")

COVERAGE_BY_OUTLET_SQL = f"""
with selected as ({_SELECTED_ARTICLES})
select
    outlet,
    count(*) as articles,
    count(published_date) as dated,
    cast(sum(word_count) as bigint) as words,
    min(published_date) as first_day,
    max(published_date) as last_day,
    coalesce(string_agg(distinct dateline_country, ', ' order by dateline_country), '') as dateline_countries
from selected
where {_OUTLET_MATCHES}
group by outlet
order by articles desc, outlet
"""

COVERAGE_BY_DAY_SQL = f"""
with selected as ({_SELECTED_ARTICLES})
select published_date as day, outlet, count(*) as articles
from selected
where published_date is not null and {_OUTLET_MATCHES}
group by published_date, outlet
order by day, outlet
"""

# A story is a cluster of near-duplicate articles, or an article in no cluster. It is in the
# report when any of its articles is from the outlet asked for.
TOP_STORIES_SQL = f"""
with selected as ({_SELECTED_ARTICLES}),

stories as (
    select selected.*, coalesce(story_clusters.cluster_id, selected.article_id) as story_id
    from selected
    left join story_clusters using (article_id)
),

sources as (
    select stories.story_id, count(*) as sources
    from stories
    inner join article_sources using (article_id)
    group by stories.story_id
),

named as (
    select stories.story_id, count(distinct mentions.entity_id) as entities
    from stories
    inner join mentions using (article_id)
    group by stories.story_id
),

grouped as (
    select
        story_id,
        first(headline order by published_date nulls last, published_at nulls last, article_id) as headline,
        first(outlet order by published_date nulls last, published_at nulls last, article_id) as first_outlet,
        min(published_date) as first_published,
        count(*) as articles,
        count(distinct outlet) as outlet_count,
        string_agg(distinct outlet, ', ' order by outlet) as outlets,
        bool_or({_OUTLET_MATCHES}) as has_outlet
    from stories
    group by story_id
)

select
    grouped.headline as story,
    grouped.first_published,
    grouped.first_outlet,
    grouped.articles,
    coalesce(sources.sources, 0) as sources,
    grouped.outlets,
    coalesce(named.entities, 0) as entities
from grouped
left join sources using (story_id)
left join named using (story_id)
where grouped.has_outlet
order by sources desc, grouped.outlet_count desc, entities desc, grouped.first_published desc nulls last, story
limit $limit
"""

# Quotes whose speaker resolved to a person (a pronoun resolved to them included).
MOST_QUOTED_SQL = f"""
with selected as ({_SELECTED_ARTICLES}),

people as (
    select entity_id, canonical_name, top_role
    from entities
    where entity_type = 'person'
)

select
    people.canonical_name as person,
    coalesce(people.top_role, '') as role,
    count(*) as quotes,
    count(*) filter (where quotes.kind = 'direct') as direct,
    count(distinct quotes.article_id) as articles,
    string_agg(distinct selected.outlet, ', ' order by selected.outlet) as outlets
from quotes
inner join selected using (article_id)
inner join people on people.entity_id = quotes.speaker_entity_id
where {_OUTLET_MATCHES}
group by people.entity_id, people.canonical_name, people.top_role
order by quotes desc, articles desc, person
limit $limit
"""

RUN_QUALITY_SQL = """
select
    strftime(started_at at time zone 'UTC', '%Y-%m-%d %H:%M') as started_utc,
    left(run_id, 8) as run,
    status,
    round(seconds, 1) as seconds,
    files_seen,
    files_read,
    articles_loaded,
    rows_quarantined,
    rejected_share,
    coalesce(new_quarantine_reasons, '') as new_quarantine_reasons
from rpt_quality_by_run
where (cast($since as date) is null or cast(started_at at time zone 'UTC' as date) >= $since)
    and (cast($until as date) is null or cast(started_at at time zone 'UTC' as date) <= $until)
order by started_at desc
limit $limit
"""


ReportFilter = ArticleFilter
"""What a report covers (``since``, ``until``, ``outlet``, ``agency``, ``language``, ``country``):
the filter the export and the pooled feed use too."""


@dataclass(frozen=True)
class Section:
    """One table of the report: the ``Report`` attribute holding it, a title and a note."""

    attribute: str
    title: str
    note: str


SECTIONS = (
    Section(
        "coverage_by_outlet",
        "Coverage by outlet",
        "Current article versions per outlet; dated counts those whose publication date is known.",
    ),
    Section(
        "top_stories",
        "Top stories",
        "A story is a cluster of near-duplicate articles, or one article. Ranked by sources (files,"
        " feed items and URLs it was read from, reprints and exact copies included), then outlets,"
        " then distinct entities named.",
    ),
    Section(
        "most_quoted",
        "Most-quoted people",
        "Quotes whose speaker resolved to a person; direct ones are in quote marks.",
    ),
    Section(
        "run_quality",
        "Data quality of recent runs",
        "Newest first, from rpt_quality_by_run; rejected share is quarantined rows per item handled.",
    ),
)


@dataclass
class Report:
    """The report's tables, each a frame of display-ready values, and what they cover."""

    database: Path
    filters: ReportFilter
    coverage_by_outlet: pd.DataFrame
    coverage_by_day: pd.DataFrame
    top_stories: pd.DataFrame
    most_quoted: pd.DataFrame
    run_quality: pd.DataFrame
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def parse_since(text: str | None) -> date | None:
    """Read a ``--since`` value.

    Args:
        text: A date as ``YYYY-MM-DD``, or None or blank for no limit.

    Returns:
        The date, or None.

    Raises:
        ValueError: The text is not a date.
    """
    return parse_date(text, "--since")


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """Open a warehouse's media.db read-only.

    Args:
        warehouse: The warehouse folder.

    Returns:
        A read-only connection (its views name the Parquet files by absolute path, so they
        resolve wherever the process runs; see ``media_etl.store.database.relink_database``
        for a warehouse folder that was copied or moved).

    Raises:
        FileNotFoundError: The warehouse has no media.db yet.
    """
    database = warehouse / DATABASE_NAME
    if not database.is_file():
        raise FileNotFoundError(f"{database} does not exist: run the ETL into {warehouse} first")
    return duckdb.connect(str(database), read_only=True)


def query_frame(connection: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, object]) -> pd.DataFrame:
    """Run a query with bound parameters and return its rows as Python values.

    Args:
        connection: A DuckDB connection.
        sql: The query, with ``$name`` placeholders.
        params: The values of the placeholders.

    Returns:
        A frame of object columns (dates stay ``datetime.date``, NULL stays None).
    """
    cursor = connection.execute(sql, dict(params))
    columns = [d[0] for d in cursor.description or []]
    return pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object)


def _article_params(filters: ReportFilter) -> dict[str, object]:
    return filters.params()


def coverage_by_outlet(connection: duckdb.DuckDBPyConnection, filters: ReportFilter) -> pd.DataFrame:
    """Count articles, words, dates and dateline countries per outlet.

    Args:
        connection: A connection to media.db.
        filters: What to cover.

    Returns:
        One row per outlet, most articles first.
    """
    return query_frame(connection, COVERAGE_BY_OUTLET_SQL, _article_params(filters))


def coverage_by_day(connection: duckdb.DuckDBPyConnection, filters: ReportFilter) -> pd.DataFrame:
    """Count dated articles per publication day and outlet.

    Args:
        connection: A connection to media.db.
        filters: What to cover.

    Returns:
        Columns ``day`` (``datetime.date``), ``outlet`` and ``articles``, in day order.
    """
    return query_frame(connection, COVERAGE_BY_DAY_SQL, _article_params(filters))


def top_stories(
    connection: duckdb.DuckDBPyConnection, filters: ReportFilter, limit: int = DEFAULT_LIMIT
) -> pd.DataFrame:
    """Rank stories by how widely they ran.

    Args:
        connection: A connection to media.db.
        filters: What to cover; a story counts when any of its articles passes them.
        limit: Most rows returned.

    Returns:
        Columns story (the first article's headline), first_published, first_outlet,
        articles, sources, outlets and entities.
    """
    return query_frame(connection, TOP_STORIES_SQL, {**_article_params(filters), "limit": limit})


def most_quoted(
    connection: duckdb.DuckDBPyConnection, filters: ReportFilter, limit: int = DEFAULT_LIMIT
) -> pd.DataFrame:
    """Rank the people quoted in the articles.

    Args:
        connection: A connection to media.db.
        filters: Which articles' quotes count.
        limit: Most rows returned.

    Returns:
        Columns person, role, quotes, direct, articles and outlets, most quotes first.
    """
    return query_frame(connection, MOST_QUOTED_SQL, {**_article_params(filters), "limit": limit})


def run_quality(
    connection: duckdb.DuckDBPyConnection, filters: ReportFilter, limit: int = DEFAULT_LIMIT
) -> pd.DataFrame:
    """List the most recent runs with what they read, loaded and quarantined.

    Args:
        connection: A connection to media.db.
        filters: Its ``since`` and ``until`` keep runs started within those days (UTC); the
            article filters do not apply.
        limit: Most rows returned.

    Returns:
        One row per run, newest first.
    """
    return query_frame(connection, RUN_QUALITY_SQL, {"since": filters.since, "until": filters.until, "limit": limit})


def build_report(warehouse: Path, filters: ReportFilter, limit: int = DEFAULT_LIMIT) -> Report:
    """Query every table of the report from a warehouse's media.db.

    Args:
        warehouse: The warehouse folder.
        filters: What to cover.
        limit: Most rows in the ranked tables.

    Returns:
        The report.
    """
    with connect(warehouse) as connection:
        return Report(
            database=warehouse / DATABASE_NAME,
            filters=filters,
            coverage_by_outlet=coverage_by_outlet(connection, filters),
            coverage_by_day=coverage_by_day(connection, filters),
            top_stories=top_stories(connection, filters, limit),
            most_quoted=most_quoted(connection, filters, limit),
            run_quality=run_quality(connection, filters, limit),
        )


def format_value(value: object) -> str:
    """Show one query value as text.

    Args:
        value: A value DuckDB returned.

    Returns:
        ``""`` for NULL, ISO text for dates, ``YYYY-MM-DD HH:MM:SS+00:00`` for instants,
        floats without trailing zeros, ``str`` for the rest.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return f"{value:.6g}"
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def is_numeric(values: pd.Series) -> bool:
    """Tell whether a column holds only numbers (and NULLs), to right-align it.

    Args:
        values: A column of Python values.

    Returns:
        True when every non-null value is an int, float or Decimal (bools excluded).
    """
    present = [v for v in values if v is not None]
    return bool(present) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present)


def _header(column: str) -> str:
    return column.replace("_", " ")


def _markdown_cell(value: object) -> str:
    return format_value(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> list[str]:
    """Render a frame as the lines of a markdown table.

    Args:
        frame: Rows of Python values.

    Returns:
        The header, the alignment row and one line per row; ``_No rows._`` when empty.
    """
    if frame.empty:
        return ["_No rows._"]
    aligns = ["---:" if is_numeric(frame[c]) else "---" for c in frame.columns]
    lines = [
        "| " + " | ".join(_header(str(c)) for c in frame.columns) + " |",
        "|" + "|".join(aligns) + "|",
    ]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_markdown_cell(v) for v in row) + " |")
    return lines


def render_markdown(report: Report, chart: Path | None = None) -> str:
    """Render the report as markdown, for the report flow's artifact.

    Args:
        report: The report.
        chart: The coverage chart's file, linked by its absolute path when given.

    Returns:
        A heading with the filters, then one section per table.
    """
    lines = [
        f"# media-etl report: {report.filters.describe()}",
        "",
        f"From `{report.database}` at {report.generated_at:%Y-%m-%d %H:%M} UTC.",
    ]
    for section in SECTIONS:
        lines += ["", f"## {section.title}", "", section.note, ""]
        if section.attribute == "coverage_by_outlet" and chart is not None:
            path = chart.resolve()
            lines += [f"Articles per period and outlet: [`{path}`]({path.as_uri()})", ""]
        lines += markdown_table(getattr(report, section.attribute))
    return "\n".join(lines) + "\n"


def rich_table(frame: pd.DataFrame, title: str, caption: str | None = None, humanize: bool = True) -> Table:
    """Render a frame as a rich table.

    Args:
        frame: Rows of Python values.
        title: The table's title.
        caption: Text under the table.
        humanize: Show column names with spaces for underscores; False shows them as they are.

    Returns:
        The table; values are plain text (never read as rich markup) folded rather than
        cut when too long, numeric columns are right-aligned, and an empty frame says so.
    """
    table = Table(title=title, caption=caption if not frame.empty else "no rows", title_justify="left")
    for column in frame.columns:
        header = _header(str(column)) if humanize else str(column)
        table.add_column(Text(header), justify="right" if is_numeric(frame[column]) else "left", overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(format_value(v)) for v in row))
    return table


def rich_tables(report: Report) -> list[Table]:
    """Render the report's tables for the terminal, in the markdown's order.

    Args:
        report: The report.

    Returns:
        One rich table per section.
    """
    return [rich_table(getattr(report, s.attribute), s.title, s.note) for s in SECTIONS]
