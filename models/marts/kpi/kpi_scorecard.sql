{#
  The comparisons a quarterly report needs, per council, KPI and period (quarter, fytd, fy):
  the value, the same period a year earlier and last complete year's outturn
  (int_kpi_values_compared), direction of travel, target and RAG, and the published
  benchmarks (int_kpi_benchmarks: England, the region, the statistical neighbours, the
  council's own published figure, with their year).
#}
with

values_compared as (select * from {{ ref('int_kpi_values_compared') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
benchmarks as (select * from {{ ref('int_kpi_benchmarks') }}),

compared as (
    select
        values_compared.*,
        definitions.polarity,
        definitions.local_target as target,
        definitions.comparison_basis,
        definitions.dfe_basis_kpi_code
    from values_compared
    inner join definitions on definitions.kpi_code = values_compared.kpi_code
),

final as (
    select
        cast(compared.la_code as {{ dbt.type_string() }}) as la_code,
        cast(compared.kpi_code as {{ dbt.type_string() }}) as kpi_code,
        cast(compared.period_type as {{ dbt.type_string() }}) as period_type,
        cast(compared.period_start as date) as period_start,
        cast(compared.period_end as date) as period_end,
        cast(compared.period_label as {{ dbt.type_string() }}) as period_label,
        cast(compared.value as {{ type_double() }}) as value,
        cast(compared.numerator as bigint) as numerator,
        cast(compared.denominator as bigint) as denominator,
        cast(compared.unit as {{ dbt.type_string() }}) as unit,
        cast(compared.is_provisional as boolean) as is_provisional,
        cast(compared.previous_year_value as {{ type_double() }}) as previous_year_value,
        cast(compared.previous_fy_value as {{ type_double() }}) as previous_fy_value,
        cast(compared.previous_fy_start as date) as previous_fy_start,
        cast(compared.value - compared.previous_year_value as {{ type_double() }}) as change_since_last_year,
        -- A provisional figure can still rise, so no direction is read into it.
        cast(case
            when compared.value is null or compared.previous_year_value is null then null
            when compared.is_provisional then 'provisional'
            when compared.value = compared.previous_year_value then 'no change'
            when compared.polarity = 'neutral' then case when compared.value > compared.previous_year_value then 'up' else 'down' end
            when (compared.value > compared.previous_year_value) = (compared.polarity = 'higher_is_better') then 'improving'
            else 'worsening'
        end as {{ dbt.type_string() }}) as direction_of_travel,
        cast(compared.polarity as {{ dbt.type_string() }}) as polarity,
        cast(compared.target as {{ type_double() }}) as target,
        -- RAG against a local target: green meets it, amber within 10% of it, red beyond.
        cast(case
            when compared.target is null or compared.value is null or compared.polarity = 'neutral' then null
            when compared.polarity = 'lower_is_better' and compared.value <= compared.target then 'GREEN'
            when compared.polarity = 'higher_is_better' and compared.value >= compared.target then 'GREEN'
            when compared.polarity = 'lower_is_better' and compared.value <= compared.target * 1.1 then 'AMBER'
            when compared.polarity = 'higher_is_better' and compared.value >= compared.target * 0.9 then 'AMBER'
            else 'RED'
        end as {{ dbt.type_string() }}) as rag_status,
        cast(compared.comparison_basis as {{ dbt.type_string() }}) as comparison_basis,
        cast(compared.dfe_basis_kpi_code as {{ dbt.type_string() }}) as dfe_basis_kpi_code,
        cast(benchmarks.benchmark_year as integer) as benchmark_year,
        cast(case when benchmarks.benchmark_year is not null
            then cast(benchmarks.benchmark_year - 1 as {{ dbt.type_string() }}) || '-'
                 || right(cast(benchmarks.benchmark_year as {{ dbt.type_string() }}), 2)
        end as {{ dbt.type_string() }}) as benchmark_year_label,
        -- A council's count beside England's total says nothing: counts are compared only with
        -- the council's own published figure; percentages and rates with every comparator.
        cast(case when compared.unit <> 'count' then benchmarks.england_value end as {{ type_double() }}) as england_value,
        cast(case when compared.unit <> 'count' then benchmarks.region_value end as {{ type_double() }}) as region_value,
        cast(case when compared.unit <> 'count' then benchmarks.statistical_neighbour_value end as {{ type_double() }}) as statistical_neighbour_value,
        cast(case when compared.unit <> 'count' then benchmarks.statistical_neighbour_count end as integer) as statistical_neighbour_count,
        cast(benchmarks.la_published_value as {{ type_double() }}) as la_published_value,
        cast(benchmarks.benchmark_vintage as {{ dbt.type_string() }}) as benchmark_vintage,
        cast(compared.population_basis as {{ dbt.type_string() }}) as population_basis,
        cast({{ concat_ws_compat(['compared.caveat', 'benchmarks.benchmark_caveat']) }} as {{ dbt.type_string() }}) as caveat
    from compared
    left join benchmarks
        on benchmarks.la_code = compared.la_code
        and benchmarks.kpi_code = compared.kpi_code
        and benchmarks.period_type = compared.period_type
        and benchmarks.period_end = compared.period_end
)

select * from final
