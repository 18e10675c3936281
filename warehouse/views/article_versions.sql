-- Article versions: every version of every article, one row each, with whether a later version
-- of the same source replaced it. A source (file, or item of a feed or export) that changes
-- yields a new version; the old row is kept, with is_superseded true and superseded_by naming
-- the version that followed it. The articles view shows the current versions only. The status is
-- looked up in article_status, which each run computes once from article_sources
-- (media_etl/store/status.py); a version loaded since has no row there yet and counts as current.
with source as (
    select * from {source}
),

status as (
    select article_id, is_superseded, superseded_by
    from article_status
),

final as (
    select
        source.*,
        coalesce(status.is_superseded, false) as is_superseded,
        case when status.is_superseded then status.superseded_by end as superseded_by
    from source
    left join status using (article_id)
)

select * from final
