-- Source health: each outlet's daily volume, for every calendar day from its first to its last
-- dated article (published_date, the outlet's printed date), with the average of the up to 7
-- days before it (trailing_7d_avg over trailing_days days; null on the first day) and two flags:
-- is_gap for a day without articles from an outlet that averaged at least one a day over the
-- days before it, three at least (so that a weekly or occasional source is not flagged on every quiet day), is_drop
-- for a day that has some, but fewer than half the trailing average. Undated articles and
-- superseded versions (is_superseded) are not counted.
with source as (
    select * from stg_articles
    where published_date is not null
),

renamed as (
    select
        outlet_label as outlet,
        published_date as day
    from source
),

daily as (
    select outlet, day, count(*) as articles
    from renamed
    group by outlet, day
),

spans as (
    select outlet, min(day) as first_day, max(day) as last_day
    from daily
    group by outlet
),

calendar as (
    select outlet, cast(unnest(range(first_day, last_day + interval 1 day, interval 1 day)) as date) as day
    from spans
),

filled as (
    select calendar.outlet, calendar.day, coalesce(daily.articles, 0) as articles
    from calendar
    left join daily using (outlet, day)
),

windowed as (
    select
        *,
        avg(articles) over last_week as trailing_avg,
        count(*) over last_week as trailing_days
    from filled
    window last_week as (partition by outlet order by day rows between 7 preceding and 1 preceding)
),

final as (
    select
        outlet,
        day,
        articles,
        round(trailing_avg, 2) as trailing_7d_avg,
        trailing_days,
        coalesce(articles = 0 and trailing_days >= 3 and trailing_avg >= 1, false) as is_gap,
        coalesce(articles > 0 and articles < 0.5 * trailing_avg, false) as is_drop
    from windowed
)

select * from final
order by outlet, day
