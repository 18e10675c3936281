-- Canonical entities: every person, organisation and place mentioned, with the spellings
-- and scripts it appears in, how often and in how many articles, and its most common role.
-- Mentions in superseded article versions are not counted, and a surname-only person linked
-- to one full name counts for that person (both from stg_mentions). top_role is defined here
-- only (rpt_top_people and the report read it from this view).
with source as (
    select * from stg_mentions
),

roles as (
    select entity_id, role, count(*) as n,
           row_number() over (partition by entity_id order by count(*) desc, role) as rank
    from source
    where role is not null
    group by entity_id, role
),

final as (
    select
        source.entity_id,
        any_value(source.entity_type) as entity_type,
        mode(source.canonical_name) as canonical_name,
        list_sort(list_distinct(list(source.surface))) as aliases,
        count(*) as mentions,
        count(distinct source.article_id) as articles,
        any_value(roles.role) as top_role,
        any_value(source.country) as country,
        any_value(source.latitude) as latitude,
        any_value(source.longitude) as longitude
    from source
    left join roles on roles.entity_id = source.entity_id and roles.rank = 1
    group by source.entity_id
)

select * from final
order by mentions desc, canonical_name
