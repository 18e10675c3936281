-- Staging layer: the current article versions, those no later version of the same source
-- replaced (not is_superseded), with every column of articles except the two version columns,
-- plus outlet_label (see stg_article_versions). The reports count these rows only.
with source as (
    select * from stg_article_versions
    where not is_superseded
),

renamed as (
    select * exclude (is_superseded, superseded_by)
    from source
)

select * from renamed
