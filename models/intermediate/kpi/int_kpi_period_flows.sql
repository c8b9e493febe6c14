{#
  Every flow KPI summed over each reported period: a period is the sum of its months, so a
  quarter always equals its months and the full year its four quarters.
#}
with

periods as (select * from {{ ref('int_reporting_periods') }}),
monthly_flows as (select * from {{ ref('int_kpi_monthly_flows') }}),

period_totals as (
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

final as (
    select la_code, period_type, period_end, kpi_code, numerator, denominator
    from period_totals
)

select * from final
