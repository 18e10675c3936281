-- Staging layer: the mentions of people, organisations and places in current article versions
-- (stg_articles), each with its article's outlet_label. Mentions in superseded versions are left
-- out. A surname-only person linked to one full name (stg_person_links) takes that person's
-- entity_id and canonical_name; written_entity_id keeps the id as extracted.
with source as (
    select * from mentions
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
            coalesce(links.person_entity_id, source.entity_id) as entity_id,
            coalesce(links.person_name, source.canonical_name) as canonical_name
        ),
        source.entity_id as written_entity_id,
        current_articles.outlet_label
    from source
    inner join current_articles using (article_id)
    left join links on links.surname_entity_id = source.entity_id
)

select * from renamed
