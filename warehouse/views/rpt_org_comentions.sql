-- Organisation co-mentions: which pairs of organisations are named in the same article, in how
-- many articles and by how many outlets. Each pair appears once, organisation_a sorting before
-- organisation_b; an article counts once per pair however often it names them. Only current
-- article versions count: superseded versions (is_superseded) do not.
with source as (
    select
        article_id,
        entity_id,
        canonical_name,
        outlet_label as outlet
    from stg_mentions
    where entity_type = 'organisation'
),

organisations as (
    select entity_id, mode(canonical_name) as organisation
    from source
    group by entity_id
),

renamed as (
    select distinct
        source.article_id,
        source.outlet,
        source.entity_id,
        organisations.organisation
    from source
    inner join organisations using (entity_id)
),

pairs as (
    select
        a.organisation as organisation_a,
        b.organisation as organisation_b,
        a.entity_id as entity_id_a,
        b.entity_id as entity_id_b,
        a.article_id,
        a.outlet
    from renamed as a
    inner join renamed as b
        on b.article_id = a.article_id
        and (a.organisation < b.organisation or (a.organisation = b.organisation and a.entity_id < b.entity_id))
),

final as (
    select
        organisation_a,
        organisation_b,
        entity_id_a,
        entity_id_b,
        count(distinct article_id) as articles,
        count(distinct outlet) as outlets
    from pairs
    group by organisation_a, organisation_b, entity_id_a, entity_id_b
)

select * from final
order by articles desc, organisation_a, organisation_b
