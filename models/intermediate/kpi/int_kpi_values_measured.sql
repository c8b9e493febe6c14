{#
  Every KPI for every council and period (int_kpi_period_grid), measured: flow measures sum
  their months (int_kpi_period_flows), stock measures are the position at the end of
  period_end; rates divide by the population aged 0-17. value is not rounded: rounding is
  presentation. marts.kpi_values adds the caveats and the published types.
#}
with

grid as (select * from {{ ref('int_kpi_period_grid') }}),
missing_inputs as (select * from {{ ref('int_kpi_missing_inputs') }}),
period_flows as (select * from {{ ref('int_kpi_period_flows') }}),
month_end_stocks as (select * from {{ ref('int_kpi_month_end_stocks') }}),
period_populations as (select * from {{ ref('int_kpi_period_populations') }}),
dq_caveats as (select * from {{ ref('int_dq_kpi_caveats') }}),

assembled as (
    select
        grid.*,
        missing_inputs.missing,
        missing_inputs.optional_missing,
        period_populations.mid_year as population_mid_year,
        period_populations.population_0_17,
        period_populations.vintage as population_vintage,
        case
            -- No zero is made here: the monthly tables hold every month, so a code they do not
            -- emit stays null and fails the tests, never a silent 0.
            when grid.measure_type = 'flow' then period_flows.numerator
            else month_end_stocks.numerator
        end as counted,
        period_flows.denominator as flow_denominator,
        dq_caveats.caveat_text as data_quality_note
    from grid
    left join period_flows
        on period_flows.la_code = grid.la_code
        and period_flows.period_type = grid.period_type
        and period_flows.period_end = grid.period_end
        and period_flows.kpi_code = grid.kpi_code
    left join month_end_stocks
        on month_end_stocks.la_code = grid.la_code
        and month_end_stocks.month_end = grid.period_end
        and month_end_stocks.kpi_code = grid.kpi_code
    left join missing_inputs
        on missing_inputs.la_code = grid.la_code
        and missing_inputs.kpi_code = grid.kpi_code
    left join period_populations
        on period_populations.la_code = grid.la_code
        and period_populations.period_end = grid.period_end
    left join dq_caveats
        on dq_caveats.la_code = grid.la_code
        and dq_caveats.kpi_code = grid.kpi_code
),

-- A missing required input leaves both parts null: the KPI is unknown, not zero.
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
        -- In double on every engine: Spark divides decimals as decimals (12 places), DuckDB
        -- as doubles, so 10000.0 * n / d gave figures that differ in the 14th digit.
        case
            when unit = 'count' then cast(numerator as {{ type_double() }})
            when unit = 'percent' then cast(numerator as {{ type_double() }}) * 100 / nullif(denominator, 0)
            when unit = 'count per month' then cast(numerator as {{ type_double() }}) / nullif(denominator, 0)
            when unit = 'per 10000' then cast(numerator as {{ type_double() }}) * 10000 / nullif(denominator, 0)
        end as value
    from measured
),

-- A measure that waits on a later event (the catalogue's provisional window) is provisional
-- when its period ends within that window of the reporting date.
final as (
    select
        valued.*,
        coalesce(
            period_end > {{ dbt.dateadd('day', '-1 * provisional_window_days', 'reporting_date') }},
            false
        ) as is_provisional
    from valued
)

select * from final
