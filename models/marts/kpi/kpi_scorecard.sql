{#
  The comparisons a quarterly report needs, per council, KPI and period (quarter, fytd, fy):
  the value, the same period a year earlier, last complete year's outturn, direction of
  travel, target and RAG, and the published benchmarks for England, the region and the
  statistical neighbours with the reporting year each comes from.
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
councils as (select * from {{ ref('dim_la') }}),
la_history as (select * from {{ ref('ref_la') }}),
neighbours as (select * from {{ ref('ref_statistical_neighbours') }}),
benchmarks as (select * from {{ ref('ref_dfe_benchmarks') }}),
vintage_priority as (select * from {{ ref('benchmark_vintage_priority') }}),

calendar as (select date_day, financial_year_start from {{ ref('dim_date') }}),

reported as (
    select
        kpi_values.*,
        calendar.financial_year_start
    from kpi_values
    inner join calendar on calendar.date_day = kpi_values.period_start
    where kpi_values.period_type in ('quarter', 'fytd', 'fy')
),

-- One published value per measure, year and area: the most authoritative vintage.
published as (
    select
        measure_code,
        cast(reporting_year as integer) as reporting_year,
        geographic_level,
        cast(area_code as {{ dbt.type_string() }}) as area_code,
        value,
        source_vintage
    from (
        select
            benchmarks.*,
            row_number() over (
                partition by measure_code, reporting_year, geographic_level, area_code
                order by coalesce(vintage_priority.priority, 99), benchmarks.source_vintage
            ) as preference
        from benchmarks
        left join vintage_priority on vintage_priority.source_vintage = benchmarks.source_vintage
        where benchmarks.value is not null
    ) as ranked
    where preference = 1
),

national_years as (
    select distinct measure_code, reporting_year from published where geographic_level = 'national'
),

-- The benchmark year is the latest reporting year published by the period end (children in
-- need statistics for the year to 31 March are treated as published on 1 November).
benchmark_years as (
    select
        reported.la_code,
        reported.kpi_code,
        reported.period_type,
        reported.period_end,
        definitions.benchmark_measure_code,
        max(case when national_years.reporting_year <= extract(year from reported.period_end)
                  - case when extract(month from reported.period_end) >= 11 then 0 else 1 end
                 then national_years.reporting_year end) as published_year,
        max(national_years.reporting_year) as latest_year
    from reported
    inner join definitions on definitions.kpi_code = reported.kpi_code
    inner join national_years on national_years.measure_code = definitions.benchmark_measure_code
    group by 1, 2, 3, 4, 5
),

chosen_years as (
    select
        *,
        coalesce(published_year, latest_year) as benchmark_year,
        published_year is null as benchmark_published_later
    from benchmark_years
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
    left join la_history on cast(la_history.la_code as {{ dbt.type_string() }}) = cast(neighbours.neighbour_la_code as {{ dbt.type_string() }})
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
    left join published as own_code
        on own_code.measure_code = chosen_years.benchmark_measure_code
        and own_code.reporting_year = chosen_years.benchmark_year
        and own_code.geographic_level = 'la'
        and own_code.area_code = neighbour_codes.neighbour_la_code
    left join published as predecessor_code
        on predecessor_code.measure_code = chosen_years.benchmark_measure_code
        and predecessor_code.reporting_year = chosen_years.benchmark_year
        and predecessor_code.geographic_level = 'la'
        and predecessor_code.area_code = neighbour_codes.predecessor_la_code
    group by 1, 2, 3, 4
),

benchmarked as (
    select
        chosen_years.la_code,
        chosen_years.kpi_code,
        chosen_years.period_type,
        chosen_years.period_end,
        chosen_years.benchmark_year,
        chosen_years.benchmark_published_later,
        england.value as england_value,
        england.source_vintage as benchmark_vintage,
        region.value as region_value,
        own.value as la_published_value,
        neighbour_values.sn_value,
        neighbour_values.sn_count
    from chosen_years
    left join councils on councils.la_code = chosen_years.la_code
    left join published as england
        on england.measure_code = chosen_years.benchmark_measure_code
        and england.reporting_year = chosen_years.benchmark_year
        and england.geographic_level = 'national'
    left join published as region
        on region.measure_code = chosen_years.benchmark_measure_code
        and region.reporting_year = chosen_years.benchmark_year
        and region.geographic_level = 'regional'
        and region.area_code = councils.region_code
    left join published as own
        on own.measure_code = chosen_years.benchmark_measure_code
        and own.reporting_year = chosen_years.benchmark_year
        and own.geographic_level = 'la'
        and own.area_code = chosen_years.la_code
    left join neighbour_values
        on neighbour_values.la_code = chosen_years.la_code
        and neighbour_values.kpi_code = chosen_years.kpi_code
        and neighbour_values.period_type = chosen_years.period_type
        and neighbour_values.period_end = chosen_years.period_end
),

compared as (
    select
        reported.la_code,
        reported.kpi_code,
        reported.period_type,
        reported.period_start,
        reported.period_end,
        reported.numerator,
        reported.denominator,
        reported.value,
        reported.unit,
        reported.caveat,
        definitions.polarity,
        definitions.local_target as target,
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
        cast(compared.value as {{ type_double() }}) as value,
        cast(compared.numerator as bigint) as numerator,
        cast(compared.denominator as bigint) as denominator,
        cast(compared.unit as {{ dbt.type_string() }}) as unit,
        cast(compared.previous_year_value as {{ type_double() }}) as previous_year_value,
        cast(compared.previous_fy_value as {{ type_double() }}) as previous_fy_value,
        cast(compared.previous_fy_start as date) as previous_fy_start,
        cast(compared.value - compared.previous_year_value as {{ type_double() }}) as change_since_last_year,
        cast(case
            when compared.value is null or compared.previous_year_value is null then null
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
        cast(benchmarked.benchmark_year as integer) as benchmark_year,
        cast(case when benchmarked.benchmark_year is not null
            then cast(benchmarked.benchmark_year - 1 as {{ dbt.type_string() }}) || '-'
                 || right(cast(benchmarked.benchmark_year as {{ dbt.type_string() }}), 2)
        end as {{ dbt.type_string() }}) as benchmark_year_label,
        -- A council's count beside England's total says nothing: counts are compared only with
        -- the council's own published figure; percentages and rates with every comparator.
        cast(case when compared.unit <> 'count' then benchmarked.england_value end as {{ type_double() }}) as england_value,
        cast(case when compared.unit <> 'count' then benchmarked.region_value end as {{ type_double() }}) as region_value,
        cast(case when compared.unit <> 'count' then benchmarked.sn_value end as {{ type_double() }}) as statistical_neighbour_value,
        cast(case when compared.unit <> 'count' then benchmarked.sn_count end as integer) as statistical_neighbour_count,
        cast(benchmarked.la_published_value as {{ type_double() }}) as la_published_value,
        cast(benchmarked.benchmark_vintage as {{ dbt.type_string() }}) as benchmark_vintage,
        cast({{ concat_ws_compat([
            'compared.caveat',
            "case when benchmarked.benchmark_published_later then 'No benchmark had been published by the period end: the latest available year is shown' end",
        ]) }} as {{ dbt.type_string() }}) as caveat
    from compared
    left join benchmarked
        on benchmarked.la_code = compared.la_code
        and benchmarked.kpi_code = compared.kpi_code
        and benchmarked.period_type = compared.period_type
        and benchmarked.period_end = compared.period_end
)

select * from final
