-- Staging layer: how many current article versions (stg_articles) each run derived, by run_id
-- (the run that loaded the version, or last reprocessed it). rpt_quality_by_run reads it beside
-- the runs table; media.db stores its rows when it is built, while the runs rows, the last of
-- which a run writes after that build, are read from the Parquet parts on every query.
with source as (
    select run_id
    from stg_articles
),

final as (
    select run_id, count(*) as articles_current
    from source
    group by run_id
)

select * from final
