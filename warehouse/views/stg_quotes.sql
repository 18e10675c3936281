-- Staging layer: the quotes in current article versions (stg_articles), each with its article's
-- outlet_label. Quotes in superseded versions are left out.
with source as (
    select * from quotes
),

current_articles as (
    select article_id, outlet_label
    from stg_articles
),

renamed as (
    select
        source.*,
        current_articles.outlet_label
    from source
    inner join current_articles using (article_id)
)

select * from renamed
