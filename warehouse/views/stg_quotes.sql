-- Staging layer: the quotes in current article versions (stg_articles), each with its article's
-- outlet_label. Quotes in superseded versions are left out. A speaker resolved to a surname-only
-- person linked to one full name (stg_person_links) counts for that person.
with source as (
    select * from quotes
),

current_articles as (
    select article_id, outlet_label
    from stg_articles
),

links as (
    select * from stg_person_links
),

renamed as (
    select
        source.* replace (
            coalesce(links.person_entity_id, source.speaker_entity_id) as speaker_entity_id,
            coalesce(links.person_name, source.speaker) as speaker
        ),
        current_articles.outlet_label
    from source
    inner join current_articles using (article_id)
    left join links on links.surname_entity_id = source.speaker_entity_id
)

select * from renamed
