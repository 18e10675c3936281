-- Theme trends by week: for each ISO week of published_date (the outlet's printed date) and
-- taxonomy theme (themes.yaml), how many articles carry the theme, out of how many articles
-- that week, and the share; evidence counts the matched spans. Articles whose date is unknown
-- count on a row with a null week. Only current article versions count, in the totals too.
with source as (
    select article_id, published_date
    from stg_articles
),

renamed as (
    select
        article_id,
        strftime(published_date, '%G-W%V') as week,
        cast(date_trunc('week', published_date) as date) as week_start
    from source
),

week_totals as (
    select week, count(*) as week_articles
    from renamed
    group by week
),

article_themes as (
    select article_id, theme, count(*) as evidence
    from themes
    group by article_id, theme
),

final as (
    select
        renamed.week,
        renamed.week_start,
        article_themes.theme,
        count(*) as articles,
        cast(sum(article_themes.evidence) as bigint) as evidence,
        any_value(week_totals.week_articles) as week_articles,
        round(count(*) / any_value(week_totals.week_articles), 3) as share
    from article_themes
    inner join renamed using (article_id)
    inner join week_totals on week_totals.week is not distinct from renamed.week
    group by renamed.week, renamed.week_start, article_themes.theme
)

select * from final
order by week_start nulls last, articles desc, theme
