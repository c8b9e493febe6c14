{#
  The comparisons a quarterly report needs, per council, KPI and period (quarter, fytd, fy):
  the value, the same period a year earlier, last complete year's outturn, direction of
  travel, target and RAG, and the published benchmarks (int_kpi_benchmarks: England, the
  region, the statistical neighbours, the council's own published figure, with their year).
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
benchmarks as (select * from {{ ref('int_kpi_benchmarks') }}),
calendar as (select date_day, financial_year_start from {{ ref('dim_date') }}),

reported as (
    select
        kpi_values.*,
        calendar.financial_year_start
    from kpi_values
    inner join calendar on calendar.date_day = kpi_values.period_start
    where kpi_values.period_type in ('quarter', 'fytd', 'fy')
),

compared as (
    select
        reported.*,
        definitions.polarity,
        definitions.local_target as target,
        definitions.comparison_basis,
        definitions.dfe_basis_kpi_code,
        last_year.value as previous_year_value,
        outturn.period_start as previous_fy_start,
        outturn.value as previous_fy_value
    from reported
    inner join definitions on definitions.kpi_code = reported.kpi_code
    left join kpi_values as last_year
        on last_year.la_code = reported.la_code
        and last_year.kpi_code = reported.kpi_code
        and last_year.period_type = reported.period_type
        and last_year.period_end = cast({{ dbt.last_day(dbt.dateadd('month', -12, 'reported.period_end'), 'month') }} as date)
    -- Last complete financial year: the one that ended before this period's financial year began.
    left join kpi_values as outturn
        on outturn.la_code = reported.la_code
        and outturn.kpi_code = reported.kpi_code
        and outturn.period_type = 'fy'
        and outturn.period_end = cast({{ dbt.dateadd('day', -1, 'reported.financial_year_start') }} as date)
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
