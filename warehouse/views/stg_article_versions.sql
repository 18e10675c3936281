-- Staging layer: every article version, current and superseded (article_versions), with
-- outlet_label, the name the reports group an article under: its outlet, else its credited
-- agency, else '(unknown)'. The one place that label is defined; the rpt_* views and the
-- report queries read it from here or from stg_articles, never spell it out themselves.
with source as (
    select * from article_versions
),

renamed as (
    select
        *,
        coalesce(outlet, agency, '(unknown)') as outlet_label
    from source
)

select * from renamed
