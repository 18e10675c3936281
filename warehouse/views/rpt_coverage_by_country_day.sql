-- Coverage by country and day: how many articles and words were filed from each dateline
-- country (ISO code) per calendar day (the outlet's printed date), by how many outlets and
-- which. Articles without a dateline country count on a row with a null country, those whose
-- date is unknown on a row with a null day. Superseded versions of an article do not count.
with source as (
    select * from stg_articles
),

renamed as (
    select
        dateline_country as country,
        published_date as day,
        outlet_label as outlet,
        word_count
    from source
),

final as (
    select
        country,
        day,
        count(*) as articles,
        sum(word_count) as words,
        count(distinct outlet) as outlets,
        string_agg(distinct outlet, ',' order by outlet) as outlet_names
    from renamed
    group by country, day
)

select * from final
order by day desc nulls last, country nulls last
