-- Data quality per run: what each ETL run saw, read, loaded and quarantined. Unchanged files
-- are skipped unread; rejected_share is quarantined rows per article or record the run
-- handled. new_quarantine_reasons lists, most frequent first, the rows this run added.
-- Staleness: each run records the configuration (config_hash) and code (code_version) it derived
-- rows with; config_changed / code_changed say whether they differ from the latest completed
-- run's (true when the run did not record them). articles_current counts the current article
-- versions whose rows this run derived (loaded or last reprocessed); articles_stale those of them
-- derived under another configuration or code, which `media-etl reprocess` brings up to date.
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

current_articles as (
    select run_id, articles_current
    from stg_run_articles
),

latest as (
    select
        *,
        arg_max(config_hash, started_at) filter (where status = 'completed') over () as latest_config_hash,
        arg_max(code_version, started_at) filter (where status = 'completed') over () as latest_code_version
    from source_runs
),

renamed as (
    select
        * exclude (latest_config_hash, latest_code_version),
        config_hash is null or config_hash is distinct from latest_config_hash as config_changed,
        code_version is null or code_version is distinct from latest_code_version as code_changed
    from latest
),

final as (
    select
        r.run_id,
        r.run_kind,
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
        reasons.new_quarantine_reasons,
        r.config_hash,
        r.code_version,
        r.config_changed,
        r.code_changed,
        coalesce(c.articles_current, 0) as articles_current,
        case when r.config_changed or r.code_changed then coalesce(c.articles_current, 0) else 0 end as articles_stale
    from renamed as r
    left join reasons using (run_id)
    left join current_articles as c using (run_id)
)

select * from final
order by started_at desc
