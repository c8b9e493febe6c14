{#
  One population aged 0-17 per council and mid-year: DfE's own 2018-annex vintage where it
  covers the year (it reproduces the rates DfE and councils published at the time), the
  rebased ONS series after.
#}
with

population as (
    select * from {{ ref('ref_population_0_17') }}
    where geographic_level = 'la'
),

ranked as (
    select
        la_code,
        mid_year,
        population_0_17,
        vintage,
        row_number() over (
            partition by la_code, mid_year
            order by case vintage when 'dfe_2018_annex' then 1 else 2 end
        ) as vintage_preference
    from population
    where population_0_17 is not null
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(mid_year as integer) as mid_year,
        cast(population_0_17 as integer) as population_0_17,
        vintage
    from ranked
    where vintage_preference = 1
)

select * from final
