{#
  One published value per benchmark measure, reporting year, area and population vintage:
  the most authoritative release (seed benchmark_vintage_priority) among those holding it,
  with the date the year's statistics were first published.
  {{ doc('benchmark_year') }}
#}
with

benchmarks as (select * from {{ ref('ref_dfe_benchmarks') }}),
vintage_priority as (select * from {{ ref('benchmark_vintage_priority') }}),
publication_dates as (select * from {{ ref('ref_cin_publication_dates') }}),

ranked as (
    select
        benchmarks.measure_code,
        cast(benchmarks.reporting_year as integer) as reporting_year,
        benchmarks.geographic_level,
        cast(benchmarks.area_code as {{ dbt.type_string() }}) as area_code,
        benchmarks.population_vintage,
        benchmarks.value,
        benchmarks.source_vintage,
        row_number() over (
            partition by
                benchmarks.measure_code, benchmarks.reporting_year, benchmarks.geographic_level,
                benchmarks.area_code, benchmarks.population_vintage
            order by coalesce(vintage_priority.priority, 99), benchmarks.source_vintage
        ) as preference
    from benchmarks
    left join vintage_priority on vintage_priority.source_vintage = benchmarks.source_vintage
    where benchmarks.value is not null
),

final as (
    select
        cast(ranked.measure_code as {{ dbt.type_string() }}) as measure_code,
        ranked.reporting_year,
        cast(ranked.geographic_level as {{ dbt.type_string() }}) as geographic_level,
        ranked.area_code,
        cast(ranked.population_vintage as {{ dbt.type_string() }}) as population_vintage,
        cast(ranked.value as {{ type_double() }}) as value,
        cast(ranked.source_vintage as {{ dbt.type_string() }}) as source_vintage,
        cast(publication_dates.publication_date as date) as published_on
    from ranked
    left join publication_dates
        on cast(publication_dates.reporting_year as integer) = ranked.reporting_year
    where ranked.preference = 1
)

select * from final
