-- Top people: every person named in the articles, how often they are mentioned and quoted,
-- and in how many articles, with their most frequent role (top_role, from entities). A quote
-- counts for the person its speaker resolved to (a pronoun resolved to them included);
-- unresolved speakers are not people here (see rpt_who_quotes_whom). mention_rank and
-- quote_rank rank each measure on its own (1 = most, ties share a rank); rows come most quoted
-- first, then most mentioned. Only current article versions count: versions a changed source
-- replaced (is_superseded) do not.
with source_mentions as (
    select * from stg_mentions
    where entity_type = 'person'
),

source_quotes as (
    select * from stg_quotes
    where speaker_entity_id is not null
),

source_entities as (
    select entity_id, top_role
    from entities
),

mentioned as (
    select
        entity_id,
        mode(canonical_name) as person,
        count(*) as mentions,
        count(distinct article_id) as articles_mentioned
    from source_mentions
    group by entity_id
),

quoted as (
    select
        speaker_entity_id as entity_id,
        count(*) as quotes,
        count(*) filter (where kind = 'direct') as direct_quotes,
        count(distinct article_id) as articles_quoted
    from source_quotes
    group by speaker_entity_id
),

renamed as (
    select
        mentioned.entity_id,
        mentioned.person,
        source_entities.top_role,
        mentioned.mentions,
        mentioned.articles_mentioned,
        coalesce(quoted.quotes, 0) as quotes,
        coalesce(quoted.direct_quotes, 0) as direct_quotes,
        coalesce(quoted.articles_quoted, 0) as articles_quoted
    from mentioned
    left join quoted using (entity_id)
    left join source_entities using (entity_id)
),

final as (
    select
        *,
        rank() over (order by mentions desc) as mention_rank,
        rank() over (order by quotes desc) as quote_rank
    from renamed
)

select * from final
order by quotes desc, mentions desc, person, entity_id
