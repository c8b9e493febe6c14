{#
  Local authorities: one row per DfE LA number in the reference data (current councils and
  those abolished by reorganisations, so older benchmark rows still join), with the April 2021
  statistical neighbours and the latest child population. has_extract marks the councils
  whose extract this build read: the Power BI project makes one row-level security role each.
#}

with

local_authorities as (select * from {{ ref('ref_la') }}),
statistical_neighbours as (select * from {{ ref('ref_statistical_neighbours') }}),
population as (select * from {{ ref('ref_population_0_17') }}),
extract_spans as (select la_code from {{ ref('int_extract_spans') }}),

-- Power BI handles a plain text list better than an array: '933,893,838,...' in rank order.
neighbour_lists as (
    select
        la_code,
        {{ dbt.listagg('neighbour_la_code', "','", 'order by neighbour_rank') }} as statistical_neighbour_codes
    from statistical_neighbours
    group by la_code
),

-- Latest estimate per LA. The rebased ONS series is preferred; councils abolished before
-- the rebased geography (835, 836, 837) only have the DfE annex vintage.
ranked_population as (
    select
        la_code,
        population_0_17,
        mid_year,
        vintage,
        row_number() over (
            partition by la_code
            order by case when vintage = 'ons_rebased' then 0 else 1 end, mid_year desc
        ) as recency
    from population
    where geographic_level = 'la'
),

latest_population as (
    select
        la_code,
        population_0_17,
        mid_year,
        vintage
    from ranked_population
    where recency = 1
),

joined as (
    select
        local_authorities.la_code,
        local_authorities.la_name,
        local_authorities.new_la_code,
        local_authorities.region_code,
        local_authorities.region_name,
        local_authorities.is_current,
        local_authorities.first_reporting_year,
        local_authorities.last_reporting_year,
        local_authorities.predecessor_la_codes,
        local_authorities.successor_la_codes,
        neighbour_lists.statistical_neighbour_codes,
        latest_population.population_0_17 as population_0_17_latest,
        latest_population.mid_year as population_0_17_mid_year,
        latest_population.vintage as population_0_17_vintage,
        extract_spans.la_code is not null as has_extract
    from local_authorities
    left join neighbour_lists
        on neighbour_lists.la_code = local_authorities.la_code
    left join latest_population
        on latest_population.la_code = local_authorities.la_code
    left join extract_spans
        on extract_spans.la_code = local_authorities.la_code
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(la_name as {{ dbt.type_string() }}) as la_name,
        cast(new_la_code as {{ dbt.type_string() }}) as new_la_code,
        cast(region_code as {{ dbt.type_string() }}) as region_code,
        cast(region_name as {{ dbt.type_string() }}) as region_name,
        cast(is_current as {{ dbt.type_boolean() }}) as is_current,
        cast(first_reporting_year as {{ dbt.type_int() }}) as first_reporting_year,
        cast(last_reporting_year as {{ dbt.type_int() }}) as last_reporting_year,
        cast(predecessor_la_codes as {{ dbt.type_string() }}) as predecessor_la_codes,
        cast(successor_la_codes as {{ dbt.type_string() }}) as successor_la_codes,
        cast(statistical_neighbour_codes as {{ dbt.type_string() }}) as statistical_neighbour_codes,
        cast(population_0_17_latest as {{ dbt.type_int() }}) as population_0_17_latest,
        cast(population_0_17_mid_year as {{ dbt.type_int() }}) as population_0_17_mid_year,
        cast(population_0_17_vintage as {{ dbt.type_string() }}) as population_0_17_vintage,
        cast(has_extract as {{ dbt.type_boolean() }}) as has_extract
    from joined
)

select * from final
