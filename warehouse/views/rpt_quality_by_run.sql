-- Data quality per run: what each ETL run saw, read, loaded and quarantined. Unchanged files
-- are skipped unread; rejected_share is quarantined rows per article or record the run
-- handled. new_quarantine_reasons lists, most frequent first, the rows this run added.
with source_runs as (
    select * from runs
),

quarantine_counts as (
    select run_id, reason_code, count(*) as n
    from quarantine
    group by run_id, reason_code
),

reasons as (
    select run_id, string_agg(reason_code || '=' || n, ', ' order by n desc, reason_code) as new_quarantine_reasons
    from quarantine_counts
    group by run_id
),

final as (
    select
        r.run_id,
        r.started_at,
        r.finished_at,
        date_diff('millisecond', r.started_at, r.finished_at) / 1000.0 as seconds,
        r.status,
        r.files_seen,
        r.files_unchanged,
        r.files_read,
        r.articles_parsed,
        r.articles_loaded,
        r.articles_already_loaded,
        r.paragraphs_loaded,
        r.sources_loaded,
        r.rows_quarantined,
        round(r.rows_quarantined / nullif(r.articles_parsed + r.rows_quarantined, 0), 3) as rejected_share,
        r.quarantined_by_reason,
        reasons.new_quarantine_reasons
    from source_runs as r
    left join reasons using (run_id)
)

select * from final
order by started_at desc
