-- Coverage by outlet and day: how many articles and words each outlet published per
-- calendar day (the outlet's printed date), and from how many dateline countries.
-- Articles whose date is unknown are counted on a row with a null day. Only the current
-- version of an article counts: versions a changed source replaced (is_superseded) do not.
with source as (
    select * from stg_articles
),

renamed as (
    select
        outlet_label as outlet,
        published_date as day,
        dateline_country,
        word_count
    from source
),

final as (
    select
        outlet,
        day,
        count(*) as articles,
        sum(word_count) as words,
        count(distinct dateline_country) as dateline_countries,
        string_agg(distinct dateline_country, ',' order by dateline_country) as countries
    from renamed
    group by outlet, day
)

select * from final
order by day desc nulls last, outlet
