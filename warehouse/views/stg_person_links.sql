-- Staging layer: people written with one word only (Trump) linked to the one person with a longer
-- name that ends in that word (Donald Trump), across every current article version. A surname
-- links only when exactly one such person is in the warehouse; with two (Donald Trump, Melania
-- Trump) it stays its own entity. stg_mentions, stg_quotes and entities count a linked mention for
-- the full name; the id as extracted stays in mentions.entity_id.
with people as (
    select mentions.entity_id, mode(mentions.canonical_name) as canonical_name
    from mentions
    inner join stg_articles using (article_id)
    where mentions.entity_type = 'person'
    group by mentions.entity_id
),

surnames as (
    select entity_id, lower(trim(canonical_name)) as surname
    from people
    where not regexp_matches(trim(canonical_name), '\s')
),

full_names as (
    select entity_id, canonical_name, lower(regexp_extract(trim(canonical_name), '(\S+)$', 1)) as surname
    from people
    where regexp_matches(trim(canonical_name), '\s')
),

candidates as (
    select
        surnames.entity_id as surname_entity_id,
        count(distinct full_names.entity_id) as candidates,
        any_value(full_names.entity_id) as person_entity_id,
        any_value(full_names.canonical_name) as person_name
    from surnames
    inner join full_names using (surname)
    group by surnames.entity_id
)

select surname_entity_id, person_entity_id, person_name
from candidates
where candidates = 1
