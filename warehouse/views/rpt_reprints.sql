-- Reprints: who republishes whom, and how fast. For each outlet that ran a story first
-- (first_outlet in story_clusters) and outlet that ran a near-duplicate of it later, how many
-- reprints, of how many stories, and the median, minimum and maximum lag in hours over the
-- reprints whose lag is known (timed_reprints; a lag is unknown when either article has no time
-- of day). Superseded article versions are not reprints, nor is a later version of the same
-- source (file or feed item) as the first.
with source as (
    select * from story_clusters
    where not is_first
),

members as (
    select
        source.cluster_id,
        source.article_id,
        source.first_article_id,
        source.lag_seconds,
        first_article.outlet_label as first_outlet,
        member.outlet_label as outlet
    from source
    inner join stg_articles as member on member.article_id = source.article_id
    inner join stg_article_versions as first_article on first_article.article_id = source.first_article_id
),

same_source as (
    select distinct m.article_id, f.article_id as first_article_id
    from article_sources_all_versions as m
    inner join article_sources_all_versions as f
        on f.source_uri = m.source_uri and f.item_key = m.item_key and f.article_id <> m.article_id
    where m.article_id in (select article_id from source)
),

renamed as (
    select members.*
    from members
    left join same_source using (article_id, first_article_id)
    where same_source.article_id is null
),

final as (
    select
        first_outlet,
        outlet,
        count(*) as reprints,
        count(distinct cluster_id) as stories,
        count(lag_seconds) as timed_reprints,
        round(median(lag_seconds) / 3600, 2) as median_lag_hours,
        round(min(lag_seconds) / 3600, 2) as min_lag_hours,
        round(max(lag_seconds) / 3600, 2) as max_lag_hours
    from renamed
    group by first_outlet, outlet
)

select * from final
order by reprints desc, first_outlet, outlet
