{#
  LAIT's statistical-neighbour figure for each council figure with a benchmark year
  (int_kpi_benchmark_years): the simple mean of the neighbours' published values for the
  same measure, year and population vintage, missing values skipped, with how many were
  present. A neighbour created by reorganisation stands in for its single predecessor in
  the years before it existed (Dorset 838 is the old county 835 up to 2018-19).
#}
with

benchmark_years as (select * from {{ ref('int_kpi_benchmark_years') }}),
published as (select * from {{ ref('int_kpi_benchmark_values') }}),
la_history as (select * from {{ ref('ref_la') }}),
neighbours as (select * from {{ ref('ref_statistical_neighbours') }}),

-- Council figures only: same measure and year and, for a rate, the same vintage.
council_values as (
    select
        benchmark_years.la_code,
        benchmark_years.kpi_code,
        benchmark_years.period_type,
        benchmark_years.period_end,
        published.area_code,
        published.value
    from benchmark_years
    inner join published
        on published.measure_code = benchmark_years.benchmark_measure_code
        and published.reporting_year = benchmark_years.benchmark_year
        and coalesce(published.population_vintage, '') = coalesce(benchmark_years.population_vintage, '')
    where published.geographic_level = 'la'
),

-- Only a single predecessor can stand in: a council formed from several has no one figure.
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

{% set same_figure = "{a}.la_code = benchmark_years.la_code and {a}.kpi_code = benchmark_years.kpi_code and {a}.period_type = benchmark_years.period_type and {a}.period_end = benchmark_years.period_end" %}
final as (
    select
        benchmark_years.la_code,
        benchmark_years.kpi_code,
        benchmark_years.period_type,
        benchmark_years.period_end,
        -- In decimal: the mean of published one-decimal figures is then exact and the same
        -- whatever order the join yields the rows in (a double sum's last bits are not).
        cast(avg(cast(coalesce(own_code.value, predecessor_code.value) as decimal(18, 6))) as {{ type_double() }})
            as statistical_neighbour_value,
        count(coalesce(own_code.value, predecessor_code.value)) as statistical_neighbour_count
    from benchmark_years
    inner join neighbour_codes on neighbour_codes.la_code = benchmark_years.la_code
    left join council_values as own_code
        on {{ same_figure | replace('{a}', 'own_code') }}
        and own_code.area_code = neighbour_codes.neighbour_la_code
    left join council_values as predecessor_code
        on {{ same_figure | replace('{a}', 'predecessor_code') }}
        and predecessor_code.area_code = neighbour_codes.predecessor_la_code
    group by 1, 2, 3, 4
)

select * from final
