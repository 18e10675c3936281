-- Article versions: every version of every article, one row each, with whether a later version
-- of the same source replaced it. A source (file, or item of a feed or export) that changes
-- yields a new version; the old row is kept, with is_superseded true and superseded_by naming
-- the version that followed it. The articles view shows the current versions only.
with source as (
    select * from {source}
),

links as (
    select source_uri, item_key, article_id, min(seen_at) as first_seen
    from article_sources_all_versions
    group by source_uri, item_key, article_id
),

ordered as (
    select
        article_id,
        lead(article_id) over (partition by source_uri, item_key order by first_seen, article_id) as next_version
    from links
),

versions as (
    select
        article_id,
        bool_and(next_version is not null) as is_superseded,
        min(next_version) as superseded_by
    from ordered
    group by article_id
),

final as (
    select
        source.*,
        coalesce(versions.is_superseded, false) as is_superseded,
        case when versions.is_superseded then versions.superseded_by end as superseded_by
    from source
    left join versions using (article_id)
)

select * from final
