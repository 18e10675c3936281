-- Quarantine rows with whether they are still open. A row is resolved once a later completed run
-- read its input again and did not reject it for the same stage and reason (a replay after a fix,
-- or any run that loads the same input); quarantine_resolutions records that, so the quarantine
-- table itself stays append-only.
with source as (
    select * from {source}
),

resolutions as (
    select
        quarantine_id,
        min(resolved_at) as resolved_at,
        arg_min(run_id, resolved_at) as resolved_by_run
    from quarantine_resolutions
    group by quarantine_id
),

final as (
    select
        source.*,
        case when resolutions.quarantine_id is null then 'open' else 'resolved' end as status,
        resolutions.resolved_at,
        resolutions.resolved_by_run
    from source
    left join resolutions using (quarantine_id)
)

select * from final
