{#
  The published comparators for each council figure the scorecard shows: the benchmark year
  (int_kpi_benchmark_years), England, the region, the statistical neighbours' mean
  (int_kpi_neighbour_means) and the council's own published figure, all for the measure on
  the basis the catalogue names (benchmark_measure_code) and, for a rate, on the population
  vintage the council's own rate used. Nothing published means no comparator, with the
  reason (seed kpi_caveats).
#}
with

benchmark_years as (select * from {{ ref('int_kpi_benchmark_years') }}),
published as (select * from {{ ref('int_kpi_benchmark_values') }}),
neighbour_means as (select * from {{ ref('int_kpi_neighbour_means') }}),
councils as (select * from {{ ref('dim_la') }}),
caveat_texts as (select * from {{ ref('kpi_caveats') }}),

-- The published rows that match: same measure and year and, for a rate, the same vintage.
matching as (
    select
        benchmark_years.la_code,
        benchmark_years.kpi_code,
        benchmark_years.period_type,
        benchmark_years.period_end,
        published.geographic_level,
        published.area_code,
        published.value,
        published.source_vintage
    from benchmark_years
    inner join published
        on published.measure_code = benchmark_years.benchmark_measure_code
        and published.reporting_year = benchmark_years.benchmark_year
        and coalesce(published.population_vintage, '') = coalesce(benchmark_years.population_vintage, '')
),

{% set match_on = "on {a}.la_code = benchmark_years.la_code and {a}.kpi_code = benchmark_years.kpi_code and {a}.period_type = benchmark_years.period_type and {a}.period_end = benchmark_years.period_end" %}
final as (
    select
        benchmark_years.la_code,
        benchmark_years.kpi_code,
        benchmark_years.period_type,
        benchmark_years.period_end,
        cast(benchmark_years.benchmark_year as integer) as benchmark_year,
        cast(england.value as {{ type_double() }}) as england_value,
        cast(region.value as {{ type_double() }}) as region_value,
        cast(neighbour_means.statistical_neighbour_value as {{ type_double() }}) as statistical_neighbour_value,
        cast(neighbour_means.statistical_neighbour_count as integer) as statistical_neighbour_count,
        cast(own.value as {{ type_double() }}) as la_published_value,
        cast(england.source_vintage as {{ dbt.type_string() }}) as benchmark_vintage,
        cast(benchmark_years.population_vintage as {{ dbt.type_string() }}) as benchmark_population_vintage,
        -- England missing for a rate means its population vintage has no published comparator.
        cast(case
            when benchmark_years.benchmark_year is null
                then replace(no_benchmark.caveat_text, '{period_end}', cast(benchmark_years.period_end as {{ dbt.type_string() }}))
            when england.value is null and benchmark_years.population_vintage is not null
                then replace(replace(no_vintage.caveat_text,
                    '{benchmark_year_label}', cast(benchmark_years.benchmark_year - 1 as {{ dbt.type_string() }})
                        || '-' || right(cast(benchmark_years.benchmark_year as {{ dbt.type_string() }}), 2)),
                    '{population_vintage}', benchmark_years.population_vintage)
        end as {{ dbt.type_string() }}) as benchmark_caveat
    from benchmark_years
    left join councils on councils.la_code = benchmark_years.la_code
    left join matching as england {{ match_on | replace('{a}', 'england') }} and england.geographic_level = 'national'
    left join matching as region {{ match_on | replace('{a}', 'region') }}
        and region.geographic_level = 'regional' and region.area_code = councils.region_code
    left join matching as own {{ match_on | replace('{a}', 'own') }}
        and own.geographic_level = 'la' and own.area_code = benchmark_years.la_code
    left join neighbour_means {{ match_on | replace('{a}', 'neighbour_means') }}
    left join caveat_texts as no_benchmark on no_benchmark.caveat_code = 'no_benchmark'
    left join caveat_texts as no_vintage on no_vintage.caveat_code = 'no_vintage_benchmark'
)

select * from final
