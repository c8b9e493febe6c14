{#
  The Disabilities of each census year's return: the distinct recorded disability codes of
  each child in it. A return checked as it is (is_as_given) keeps a code the file repeats,
  so DfE 8794 (two disabilities with the same code) sees it.
#}
with

children as (
    select la_code, census_year, child_key from {{ ref('cin_census_children') }}
),

census_years as (
    select la_code, census_year, is_as_given from {{ ref('int_cin_census_years') }}
),

disabilities as (
    select la_code, child_key, disability_record_id, disability_code
    from {{ ref('stg_ssd__disability') }}
    where disability_code is not null
),

-- a child's codes, each numbered among the child's records with that code
numbered as (
    select
        children.la_code,
        children.census_year,
        children.child_key,
        disabilities.disability_code,
        census_years.is_as_given,
        row_number() over (
            partition by children.la_code, children.census_year, children.child_key, disabilities.disability_code
            order by disabilities.disability_record_id
        ) as occurrence
    from children
    inner join disabilities
        on disabilities.la_code = children.la_code
        and disabilities.child_key = children.child_key
    inner join census_years
        on census_years.la_code = children.la_code
        and census_years.census_year = children.census_year
)

select la_code, census_year, child_key, disability_code
from numbered
where occurrence = 1 or is_as_given
