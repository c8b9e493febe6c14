{#
  The Disabilities of each census year's return: the distinct recorded disability codes of
  each child in it.
#}
with

children as (
    select la_code, census_year, child_key from {{ ref('cin_census_children') }}
),

disabilities as (
    select distinct la_code, child_key, disability_code
    from {{ ref('stg_ssd__disability') }}
    where disability_code is not null
)

select
    children.la_code,
    children.census_year,
    children.child_key,
    disabilities.disability_code
from children
inner join disabilities
    on disabilities.la_code = children.la_code
    and disabilities.child_key = children.child_key
