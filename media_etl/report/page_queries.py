"""The HTML report page's own tables: people and organisations, who quotes whom, reprint chains,
theme trends and quarantine by reason, with the report's filters as bound parameters.

The article filters are summary.py's (``_SELECTED_ARTICLES`` and ``_OUTLET_MATCHES`` with their
parameters), so the page covers exactly the articles the rest of the report covers. Current article
versions only: every query starts from the staging views (stg_articles, stg_mentions, stg_quotes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from media_etl.report.periods import choose_grain, period_start
from media_etl.report.source_health import SourceHealth, source_health
from media_etl.report.summary import (
    _OUTLET_MATCHES,
    _SELECTED_ARTICLES,
    DEFAULT_LIMIT,
    Report,
    ReportFilter,
    _article_params,
    build_report,
    connect,
    query_frame,
)

# The articles the report covers, with the same filters as summary.py's queries.
_COVERED = f"""
covered as (
    select * from ({_SELECTED_ARTICLES})
    where {_OUTLET_MATCHES}
)"""

# People and organisations named in the covered articles, with up to three of their most frequent
# roles (titles written beside the name) and how often they are quoted.
TOP_ENTITIES_SQL = f"""
with {_COVERED},

named as (
    select stg_mentions.*
    from stg_mentions
    inner join covered using (article_id)
    where stg_mentions.entity_type in ('person', 'organisation')
),

role_counts as (
    select
        entity_id,
        role,
        row_number() over (partition by entity_id order by count(*) desc, role) as role_rank
    from named
    where role is not null and trim(role) <> ''
    group by entity_id, role
),

roles as (
    select entity_id, string_agg(role, '; ' order by role_rank) as roles
    from role_counts
    where role_rank <= 3
    group by entity_id
),

quoted as (
    select stg_quotes.speaker_entity_id as entity_id, count(*) as quotes
    from stg_quotes
    inner join covered using (article_id)
    where stg_quotes.speaker_entity_id is not null
    group by stg_quotes.speaker_entity_id
),

grouped as (
    select
        entity_id,
        any_value(entity_type) as entity_type,
        mode(canonical_name) as name,
        count(*) as mentions,
        count(distinct article_id) as articles,
        string_agg(distinct outlet_label, ', ' order by outlet_label) as outlets
    from named
    group by entity_id
),

final as (
    select
        grouped.entity_type,
        grouped.name,
        coalesce(roles.roles, '') as roles,
        grouped.mentions,
        grouped.articles,
        coalesce(quoted.quotes, 0) as quotes,
        grouped.outlets,
        row_number() over (
            partition by grouped.entity_type order by grouped.mentions desc, quotes desc, grouped.name
        ) as type_rank
    from grouped
    left join roles using (entity_id)
    left join quoted using (entity_id)
)

select entity_type, name, roles, mentions, articles, quotes, outlets
from final
where type_rank <= $limit
order by entity_type, type_rank
"""

# Who quotes whom: an outlet and a speaker, named by the entity it resolved to (else as written).
WHO_QUOTES_WHOM_SQL = f"""
with {_COVERED},

source as (
    select stg_quotes.*, covered.outlet
    from stg_quotes
    inner join covered using (article_id)
),

speakers as (
    select entity_id, mode(canonical_name) as canonical_name, any_value(entity_type) as entity_type
    from stg_mentions
    where entity_id in (select speaker_entity_id from source)
    group by entity_id
),

final as (
    select
        source.outlet,
        coalesce(speakers.canonical_name, source.speaker, '(no speaker)') as speaker,
        coalesce(speakers.entity_type, 'unresolved') as speaker_type,
        count(*) as quotes,
        count(*) filter (where source.kind = 'direct') as direct,
        count(*) filter (where source.kind = 'indirect') as indirect,
        count(distinct source.article_id) as articles
    from source
    left join speakers on speakers.entity_id = source.speaker_entity_id
    group by all
)

select * from final
order by quotes desc, outlet, speaker
limit $limit
"""

# Reprint chains: a story cluster with its first article and every later copy, with the lag of each
# copy. As in rpt_reprints, a later version of the first article's own source is no reprint. A chain
# is shown when any of its articles is covered.
_CHAIN_MEMBERS = f"""
with {_COVERED},

members as (
    select
        story_clusters.cluster_id,
        story_clusters.article_id,
        story_clusters.first_article_id,
        story_clusters.lag_seconds,
        coalesce(member.outlet_label, story_clusters.outlet, '(unknown)') as outlet,
        coalesce(first_article.outlet_label, story_clusters.first_outlet, '(unknown)') as first_outlet,
        first_article.headline as first_headline,
        first_article.published_at as first_published_at
    from story_clusters
    inner join stg_articles as member on member.article_id = story_clusters.article_id
    left join stg_articles as first_article on first_article.article_id = story_clusters.first_article_id
    where not story_clusters.is_first
),

same_source as (
    select distinct copy.article_id, first.article_id as first_article_id
    from article_sources as copy
    inner join article_sources as first
        on first.source_uri = copy.source_uri and first.item_key = copy.item_key and first.article_id <> copy.article_id
),

reprints as (
    select members.*
    from members
    left join same_source using (article_id, first_article_id)
    where same_source.article_id is null
),

chains as (
    select *
    from reprints
    where cluster_id in (
        select cluster_id from reprints
        where article_id in (select article_id from covered) or first_article_id in (select article_id from covered)
    )
)"""

REPRINT_CHAINS_SQL = f"""{_CHAIN_MEMBERS}

select
    any_value(first_headline) as story,
    any_value(first_outlet) as first_outlet,
    any_value(first_published_at) as first_published,
    count(*) as reprints,
    string_agg(
        outlet || coalesce(' +' || cast(round(lag_seconds / 3600, 1) as varchar) || ' h', ' (lag unknown)'),
        '; ' order by lag_seconds nulls last, outlet
    ) as chain,
    round(max(lag_seconds) / 3600, 1) as longest_lag_hours
from chains
group by cluster_id
order by reprints desc, first_published desc nulls last, story
limit $limit
"""

REPRINT_PAIRS_SQL = f"""{_CHAIN_MEMBERS}

select
    first_outlet,
    outlet as reprinted_by,
    count(*) as reprints,
    count(lag_seconds) as timed,
    round(median(lag_seconds) / 3600, 1) as median_lag_hours,
    round(min(lag_seconds) / 3600, 1) as min_lag_hours,
    round(max(lag_seconds) / 3600, 1) as max_lag_hours
from chains
group by first_outlet, outlet
order by reprints desc, first_outlet, reprinted_by
limit $limit
"""

# Theme counts per day: how many covered articles carry each theme, and how many were published.
THEMES_BY_DAY_SQL = f"""
with {_COVERED},

article_themes as (
    select distinct themes.article_id, themes.theme
    from themes
    inner join covered using (article_id)
)

select covered.published_date as day, article_themes.theme, count(*) as articles
from article_themes
inner join covered using (article_id)
where covered.published_date is not null
group by all
order by day, theme
"""

ARTICLES_BY_DAY_SQL = f"""
with {_COVERED}
select published_date as day, count(*) as articles
from covered
where published_date is not null
group by all
order by day
"""

# Open quarantined rows (not resolved by a later run) by stage and reason, quarantined from $since to
# $until; the article filters do not apply (a rejected row has no outlet, language or country).
QUARANTINE_BY_REASON_SQL = """
select
    reason_code as reason,
    stage,
    count(*) as rows,
    count(distinct source_uri) as sources,
    strftime(max(quarantined_at) at time zone 'UTC', '%Y-%m-%d %H:%M') as latest_utc,
    any_value(detail order by quarantined_at desc) as example
from quarantine
where status = 'open'
    and (cast($since as date) is null or cast(quarantined_at at time zone 'UTC' as date) >= $since)
    and (cast($until as date) is null or cast(quarantined_at at time zone 'UTC' as date) <= $until)
group by reason_code, stage
order by rows desc, reason, stage
"""

MAX_THEMES = 8
"""Themes drawn on their own in the trend chart; the rest are left out of it (the table has them all)."""


@dataclass
class PageData:
    """What the HTML page shows beyond the report's own tables."""

    report: Report
    top_entities: pd.DataFrame
    who_quotes_whom: pd.DataFrame
    reprint_chains: pd.DataFrame
    reprint_pairs: pd.DataFrame
    theme_trends: pd.DataFrame
    """Columns period (first day), theme, articles, period_articles and share."""
    theme_grain: str
    source_health: SourceHealth
    quarantine: pd.DataFrame


def theme_trends(themes_by_day: pd.DataFrame, articles_by_day: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Count theme-carrying articles per period, the period chosen from the span of the dates.

    Args:
        themes_by_day: Columns day, theme and articles.
        articles_by_day: Columns day and articles (every dated covered article).

    Returns:
        A frame with columns period (its first day), theme, articles, period_articles and share
        (of the period's articles), in period order, and the grain.
    """
    columns = ["period", "theme", "articles", "period_articles", "share"]
    if articles_by_day.empty:
        return pd.DataFrame(columns=columns, dtype=object), "day"
    days: list[date] = list(articles_by_day["day"])
    grain = choose_grain(min(days), max(days))
    totals = (
        pd.DataFrame({"period": [period_start(d, grain) for d in days], "n": articles_by_day["articles"].astype(int)})
        .groupby("period")["n"]
        .sum()
    )
    if themes_by_day.empty:
        return pd.DataFrame(columns=columns, dtype=object), grain
    frame = pd.DataFrame(
        {
            "period": [period_start(d, grain) for d in themes_by_day["day"]],
            "theme": themes_by_day["theme"].astype(str),
            "articles": themes_by_day["articles"].astype(int),
        }
    )
    grouped = frame.groupby(["period", "theme"], as_index=False)["articles"].sum()
    grouped["period_articles"] = [int(totals[p]) for p in grouped["period"]]
    grouped["share"] = [round(a / t, 3) for a, t in zip(grouped["articles"], grouped["period_articles"], strict=True)]
    ordered = grouped.sort_values(["period", "articles", "theme"], ascending=[True, False, True])
    return ordered[columns].reset_index(drop=True).astype(object), grain


def build_page_data(
    warehouse: Path, filters: ReportFilter, limit: int = DEFAULT_LIMIT, report: Report | None = None
) -> PageData:
    """Query everything the HTML page shows.

    Args:
        warehouse: The warehouse folder.
        filters: What to cover.
        limit: Most rows in each ranked table (per entity type for people and organisations).
        report: The report's own tables when they were queried already (else they are queried here).

    Returns:
        The page's data.
    """
    if report is None:
        report = build_report(warehouse, filters, limit)
    params = _article_params(filters)
    ranked = {**params, "limit": limit}
    with connect(warehouse) as connection:
        trends, grain = theme_trends(
            query_frame(connection, THEMES_BY_DAY_SQL, params), query_frame(connection, ARTICLES_BY_DAY_SQL, params)
        )
        return PageData(
            report=report,
            top_entities=query_frame(connection, TOP_ENTITIES_SQL, ranked),
            who_quotes_whom=query_frame(connection, WHO_QUOTES_WHOM_SQL, ranked),
            reprint_chains=query_frame(connection, REPRINT_CHAINS_SQL, ranked),
            reprint_pairs=query_frame(connection, REPRINT_PAIRS_SQL, ranked),
            theme_trends=trends,
            theme_grain=grain,
            source_health=source_health(connection, filters),
            quarantine=query_frame(
                connection, QUARANTINE_BY_REASON_SQL, {"since": filters.since, "until": filters.until}
            ),
        )
