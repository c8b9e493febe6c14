{#
  The published comparators for each council figure the scorecard shows: the benchmark year
  (the latest reporting year DfE had published by the period end), England, the region, the
  statistical neighbours' mean and the council's own published figure, all for the measure
  on the basis the catalogue names (benchmark_measure_code) and, for a rate, on the
  population vintage the council's own rate used. Nothing published means no comparator,
  with the reason; never a later year.
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
published as (select * from {{ ref('int_kpi_benchmark_values') }}),
councils as (select * from {{ ref('dim_la') }}),
la_history as (select * from {{ ref('ref_la') }}),
neighbours as (select * from {{ ref('ref_statistical_neighbours') }}),
caveat_texts as (select * from {{ ref('kpi_caveats') }}),

requested as (
    select
        kpi_values.la_code,
        kpi_values.kpi_code,
        kpi_values.period_type,
        kpi_values.period_end,
        definitions.benchmark_measure_code,
        kpi_values.population_vintage
    from kpi_values
    inner join definitions on definitions.kpi_code = kpi_values.kpi_code
    where kpi_values.period_type in ('quarter', 'fytd', 'fy')
      and definitions.benchmark_measure_code is not null
),

-- Latest year whose statistics were out on or before the period end (and hold the measure).
chosen_years as (
    select
        requested.la_code,
        requested.kpi_code,
        requested.period_type,
        requested.period_end,
        requested.benchmark_measure_code,
        requested.population_vintage,
        max(published.reporting_year) as benchmark_year
    from requested
    left join published
        on published.measure_code = requested.benchmark_measure_code
        and published.geographic_level = 'national'
        and published.published_on <= requested.period_end
    group by 1, 2, 3, 4, 5, 6
),

-- The published rows that match: same measure and year and, for a rate, the same vintage.
matching as (
    select
        chosen_years.la_code,
        chosen_years.kpi_code,
        chosen_years.period_type,
        chosen_years.period_end,
        published.geographic_level,
        published.area_code,
        published.value,
        published.source_vintage
    from chosen_years
    inner join published
        on published.measure_code = chosen_years.benchmark_measure_code
        and published.reporting_year = chosen_years.benchmark_year
        and coalesce(published.population_vintage, '') = coalesce(chosen_years.population_vintage, '')
),

-- LAIT's neighbour figure: the simple mean of the ten neighbours' values, missing skipped.
-- A neighbour created by reorganisation stands in for its single predecessor in the years
-- before it existed (Dorset 838 is the old county 835 up to 2018-19).
neighbour_codes as (
    select
        cast(neighbours.la_code as {{ dbt.type_string() }}) as la_code,
        cast(neighbours.neighbour_la_code as {{ dbt.type_string() }}) as neighbour_la_code,
        case when la_history.predecessor_la_codes not like '%,%'
            then cast(la_history.predecessor_la_codes as {{ dbt.type_string() }}) end as predecessor_la_code
    from neighbours
    left join la_history
        on cast(la_history.la_code as {{ dbt.type_string() }}) = cast(neighbours.neighbour_la_code as {{ dbt.type_string() }})
),

neighbour_values as (
    select
        chosen_years.la_code,
        chosen_years.kpi_code,
        chosen_years.period_type,
        chosen_years.period_end,
        avg(coalesce(own_code.value, predecessor_code.value)) as sn_value,
        count(coalesce(own_code.value, predecessor_code.value)) as sn_count
    from chosen_years
    inner join neighbour_codes on neighbour_codes.la_code = chosen_years.la_code
    left join matching as own_code
        on own_code.la_code = chosen_years.la_code and own_code.kpi_code = chosen_years.kpi_code
        and own_code.period_type = chosen_years.period_type and own_code.period_end = chosen_years.period_end
        and own_code.geographic_level = 'la' and own_code.area_code = neighbour_codes.neighbour_la_code
    left join matching as predecessor_code
        on predecessor_code.la_code = chosen_years.la_code and predecessor_code.kpi_code = chosen_years.kpi_code
        and predecessor_code.period_type = chosen_years.period_type and predecessor_code.period_end = chosen_years.period_end
        and predecessor_code.geographic_level = 'la' and predecessor_code.area_code = neighbour_codes.predecessor_la_code
    group by 1, 2, 3, 4
),

{% set match_on = "on {a}.la_code = chosen_years.la_code and {a}.kpi_code = chosen_years.kpi_code and {a}.period_type = chosen_years.period_type and {a}.period_end = chosen_years.period_end" %}
final as (
    select
        chosen_years.la_code,
        chosen_years.kpi_code,
        chosen_years.period_type,
        chosen_years.period_end,
        cast(chosen_years.benchmark_year as integer) as benchmark_year,
        cast(england.value as {{ type_double() }}) as england_value,
        cast(region.value as {{ type_double() }}) as region_value,
        cast(neighbour_values.sn_value as {{ type_double() }}) as statistical_neighbour_value,
        cast(neighbour_values.sn_count as integer) as statistical_neighbour_count,
        cast(own.value as {{ type_double() }}) as la_published_value,
        cast(england.source_vintage as {{ dbt.type_string() }}) as benchmark_vintage,
        cast(chosen_years.population_vintage as {{ dbt.type_string() }}) as benchmark_population_vintage,
        cast(case
            when chosen_years.benchmark_year is null
                then replace(no_benchmark.caveat_text, '{period_end}', cast(chosen_years.period_end as {{ dbt.type_string() }}))
            when england.value is null and chosen_years.population_vintage is not null
                then replace(replace(no_vintage.caveat_text,
                    '{benchmark_year_label}', cast(chosen_years.benchmark_year - 1 as {{ dbt.type_string() }})
                        || '-' || right(cast(chosen_years.benchmark_year as {{ dbt.type_string() }}), 2)),
                    '{population_vintage}', chosen_years.population_vintage)
        end as {{ dbt.type_string() }}) as benchmark_caveat
    from chosen_years
    left join councils on councils.la_code = chosen_years.la_code
    left join matching as england {{ match_on | replace('{a}', 'england') }} and england.geographic_level = 'national'
    left join matching as region {{ match_on | replace('{a}', 'region') }}
        and region.geographic_level = 'regional' and region.area_code = councils.region_code
    left join matching as own {{ match_on | replace('{a}', 'own') }}
        and own.geographic_level = 'la' and own.area_code = chosen_years.la_code
    left join neighbour_values {{ match_on | replace('{a}', 'neighbour_values') }}
    left join caveat_texts as no_benchmark on no_benchmark.caveat_code = 'no_benchmark'
    left join caveat_texts as no_vintage on no_vintage.caveat_code = 'no_vintage_benchmark'
)

select * from final
