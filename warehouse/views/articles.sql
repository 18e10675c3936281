-- Articles: the current version of every article, one row each; what the reports count. A
-- version that a later version of the same source (file, or item of a feed or export) replaced
-- is left out: every version, with is_superseded and superseded_by, is in article_versions.
-- The superseded versions are few, so they are taken out with an anti-join against them
-- rather than by joining every version to its status (article_versions does that).
with source as (
    select * from {source}
),

superseded as (
    select article_id from article_status
    where is_superseded
),

final as (
    select source.*
    from source
    anti join superseded using (article_id)
)

select * from final
