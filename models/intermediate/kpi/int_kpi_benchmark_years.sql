{#
  The benchmark year of each council figure the scorecard shows (quarter, fytd, fy) whose
  catalogue entry names a benchmark measure: the latest reporting year whose statistics
  DfE had published on or before the period end. Nothing published by then means a null
  year (int_kpi_benchmarks gives the reason), never a later year.
  {{ doc('benchmark_year') }}
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
published as (select * from {{ ref('int_kpi_benchmark_values') }}),

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

-- The national release dates the year: region and council figures come out with it.
final as (
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
)

select * from final
