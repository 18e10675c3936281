-- Articles: the current version of every article, one row each; what the reports count. A
-- version that a later version of the same source (file, or item of a feed or export) replaced
-- is left out: every version, with is_superseded and superseded_by, is in article_versions.
with source as (
    select * from article_versions
    where not is_superseded
),

final as (
    select * exclude (is_superseded, superseded_by)
    from source
)

select * from final
