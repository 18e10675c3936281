-- Who quotes whom: for each outlet and speaker, how many quotes (direct and indirect) the
-- outlet printed and in how many articles. A speaker resolved to an entity is named by its
-- canonical name, with speaker_type person or organisation; an unresolved one ("Analysts")
-- as written, with a null speaker_type; quotes with no speaker at all share a null speaker.
-- Only current article versions count: superseded versions (is_superseded) do not.
with source as (
    select * from stg_quotes
),

speakers as (
    select
        entity_id,
        mode(canonical_name) as canonical_name,
        any_value(entity_type) as entity_type
    from mentions
    where entity_id in (select speaker_entity_id from quotes)
    group by entity_id
),

renamed as (
    select
        source.outlet_label as outlet,
        coalesce(speakers.canonical_name, source.speaker) as speaker,
        speakers.entity_type as speaker_type,
        source.speaker_entity_id,
        source.kind,
        source.article_id
    from source
    left join speakers on speakers.entity_id = source.speaker_entity_id
),

final as (
    select
        outlet,
        speaker,
        speaker_type,
        speaker_entity_id,
        count(*) as quotes,
        count(*) filter (where kind = 'direct') as direct_quotes,
        count(*) filter (where kind = 'indirect') as indirect_quotes,
        count(distinct article_id) as articles
    from renamed
    group by outlet, speaker, speaker_type, speaker_entity_id
)

select * from final
order by quotes desc, outlet, speaker nulls last
