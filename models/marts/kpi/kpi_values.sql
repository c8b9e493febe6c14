{#
  The one table everything else reads: every KPI for every council and period.
  Flow measures sum their months; stock measures are the position at the end of period_end;
  rates divide by the population aged 0-17. value is not rounded: rounding is presentation.
#}
with

periods as (select * from {{ ref('int_reporting_periods') }}),
spans as (select * from {{ ref('int_extract_spans') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
kpi_inputs as (select * from {{ ref('kpi_inputs') }}),
availability as (select * from {{ ref('int_source_availability') }}),
monthly_flows as (select * from {{ ref('int_kpi_monthly_flows') }}),
month_end_stocks as (select * from {{ ref('int_kpi_month_end_stocks') }}),
population as (select * from {{ ref('int_population_for_rates') }}),
dq_caveats as (select * from {{ ref('int_dq_kpi_caveats') }}),
calendar as (select date_day, financial_year, financial_quarter from {{ ref('dim_date') }}),

-- Caveat wording lives in the seed kpi_caveats; placeholders in braces are filled in here.
caveat_texts as (
    select
        {%- for code in ['not_recorded', 'optional_not_recorded', 'no_events', 'rereferral_history',
                         'repeat_plan_history', 'no_population', 'population_latest', 'provisional'] %}
        max(case when caveat_code = '{{ code }}' then caveat_text end) as {{ code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ ref('kpi_caveats') }}
),

grid as (
    select
        periods.la_code,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.months_in_period,
        definitions.kpi_code,
        definitions.unit,
        definitions.measure_type,
        definitions.provisional_window_days,
        definitions.provisional_waits_for
    from periods
    cross join definitions
),

flow_totals as (
    select
        periods.la_code,
        periods.period_type,
        periods.period_end,
        monthly_flows.kpi_code,
        sum(monthly_flows.numerator) as numerator,
        sum(monthly_flows.denominator) as denominator
    from periods
    inner join monthly_flows
        on monthly_flows.la_code = periods.la_code
        and monthly_flows.month_start between periods.period_start and periods.period_end
    group by 1, 2, 3, 4
),

-- A missing required input makes the KPI null; a missing optional one (kpi_inputs gives the
-- caveat to show) leaves the KPI calculated without it and says so.
missing_inputs as (
    select
        availability.la_code,
        kpi_inputs.kpi_code,
        {{ dbt.listagg(
            "case when kpi_inputs.caveat_if_missing is null then kpi_inputs.table_name || coalesce('.' || kpi_inputs.column_name, '') end",
            "', '",
            "order by kpi_inputs.table_name, kpi_inputs.column_name") }} as missing,
        {{ dbt.listagg("kpi_inputs.caveat_if_missing", "'; '", "order by kpi_inputs.caveat_if_missing") }}
            as optional_missing
    from kpi_inputs
    inner join availability
        on availability.table_name = kpi_inputs.table_name
        and coalesce(availability.column_name, '') = coalesce(kpi_inputs.column_name, '')
    where not availability.is_available
    group by 1, 2
),

-- The mid-year population for (calendar year of period_end - 1), or the latest earlier one.
period_ends as (
    select distinct la_code, period_end from periods
),

period_population as (
    select
        la_code,
        period_end,
        mid_year,
        population_0_17,
        vintage
    from (
        select
            period_ends.la_code,
            period_ends.period_end,
            population.mid_year,
            population.population_0_17,
            population.vintage,
            row_number() over (
                partition by period_ends.la_code, period_ends.period_end
                order by population.mid_year desc
            ) as recency
        from period_ends
        inner join population
            on population.la_code = period_ends.la_code
            and population.mid_year <= extract(year from period_ends.period_end) - 1
    ) as candidates
    where recency = 1
),

assembled as (
    select
        grid.*,
        nullif(missing_inputs.missing, '') as missing,
        nullif(missing_inputs.optional_missing, '') as optional_missing,
        spans.extract_start_date,
        spans.reporting_date,
        period_population.mid_year as population_mid_year,
        period_population.population_0_17,
        period_population.vintage as population_vintage,
        case
            -- No zero is made here: the monthly tables hold every month, so a code they do not
            -- emit stays null and fails the tests, never a silent 0.
            when grid.measure_type = 'flow' then flow_totals.numerator
            else month_end_stocks.numerator
        end as counted,
        flow_totals.denominator as flow_denominator,
        dq_caveats.caveat_text as data_quality_note,
        {{ dbt.concat([
            "calendar.financial_year",
            "case grid.period_type when 'quarter' then ' Q' || cast(calendar.financial_quarter as " ~ dbt.type_string() ~ ")"
            ~ " when 'fytd' then ' to date' else '' end"]) }} as financial_period_label
    from grid
    inner join calendar on calendar.date_day = grid.period_start
    inner join spans on spans.la_code = grid.la_code
    left join flow_totals
        on flow_totals.la_code = grid.la_code
        and flow_totals.period_type = grid.period_type
        and flow_totals.period_end = grid.period_end
        and flow_totals.kpi_code = grid.kpi_code
    left join month_end_stocks
        on month_end_stocks.la_code = grid.la_code
        and month_end_stocks.month_end = grid.period_end
        and month_end_stocks.kpi_code = grid.kpi_code
    left join missing_inputs
        on missing_inputs.la_code = grid.la_code
        and missing_inputs.kpi_code = grid.kpi_code
    left join period_population
        on period_population.la_code = grid.la_code
        and period_population.period_end = grid.period_end
    left join dq_caveats
        on dq_caveats.la_code = grid.la_code
        and dq_caveats.kpi_code = grid.kpi_code
),

measured as (
    select
        assembled.*,
        case when missing is null then counted end as numerator,
        case
            when missing is not null then null
            when unit = 'percent' then flow_denominator
            when unit = 'count per month' then months_in_period
            when unit = 'per 10000' then population_0_17
        end as denominator
    from assembled
),

valued as (
    select
        measured.*,
        case
            when unit = 'count' then cast(numerator as {{ type_double() }})
            when unit = 'percent' then 100.0 * numerator / nullif(denominator, 0)
            when unit = 'count per month' then 1.0 * numerator / nullif(denominator, 0)
            when unit = 'per 10000' then 10000.0 * numerator / nullif(denominator, 0)
        end as value
    from measured
),

-- A measure that waits on a later event (the catalogue's provisional window) is provisional
-- when its period ends within that window of the reporting date.
flagged as (
    select
        valued.*,
        coalesce(
            period_end > {{ dbt.dateadd('day', '-1 * provisional_window_days', 'reporting_date') }},
            false
        ) as is_provisional
    from valued
),

{% set text = dbt.type_string() %}
caveated as (
    select
        flagged.*,
        {{ concat_ws_compat([
            "case when missing is not null then replace(caveat_texts.not_recorded, '{missing}', missing) end",
            "case when missing is null and optional_missing is not null then replace(caveat_texts.optional_not_recorded, '{optional_missing}', optional_missing) end",
            "case when missing is null and unit = 'percent' and denominator = 0 then caveat_texts.no_events end",
            "case when kpi_code = 'REREFERRALS_12M_PCT' and period_start < " ~ dbt.dateadd('month', 12, 'extract_start_date') ~ " then replace(caveat_texts.rereferral_history, '{extract_start}', cast(extract_start_date as " ~ text ~ ")) end",
            "case when kpi_code = 'CPP_REPEAT_PCT' and period_start < " ~ dbt.dateadd('year', 2, 'extract_start_date') ~ " then replace(caveat_texts.repeat_plan_history, '{extract_start}', cast(extract_start_date as " ~ text ~ ")) end",
            "case when unit = 'per 10000' and missing is null and population_0_17 is null then caveat_texts.no_population end",
            "case when unit = 'per 10000' and population_mid_year < extract(year from period_end) - 1 then replace(caveat_texts.population_latest, '{population_mid_year}', cast(population_mid_year as " ~ text ~ ")) end",
            "case when is_provisional and missing is null then replace(replace(replace(caveat_texts.provisional, '{window}', cast(provisional_window_days as " ~ text ~ ")), '{reporting_date}', cast(reporting_date as " ~ text ~ ")), '{waits_for}', provisional_waits_for) end",
            "case when missing is null then data_quality_note end",
        ]) }} as caveat
    from flagged
    cross join caveat_texts
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(numerator as bigint) as numerator,
        cast(denominator as bigint) as denominator,
        cast(value as {{ type_double() }}) as value,
        cast(unit as {{ dbt.type_string() }}) as unit,
        cast(case period_type
            when 'month' then {{ month_label('period_start') }}
            else financial_period_label
        end as {{ dbt.type_string() }}) as period_label,
        cast(is_provisional and missing is null as boolean) as is_provisional,
        cast(caveat as {{ dbt.type_string() }}) as caveat,
        cast(case when unit = 'per 10000' and population_0_17 is not null
            then 'ONS mid-' || cast(population_mid_year as {{ dbt.type_string() }}) || ' estimate, aged 0-17, '
                || population_vintage || ' vintage'
        end as {{ dbt.type_string() }}) as population_basis,
        cast(case when unit = 'per 10000' then population_vintage end as {{ dbt.type_string() }}) as population_vintage
    from caveated
)

select * from final
