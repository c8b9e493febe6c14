{#
  Which periods a council's quarterly report shows, for every financial quarter ending within
  its monthly figures (csc report reads these rows, then the figures from kpi_values and
  kpi_scorecard): the quarter and the year to date (this_period), both a year earlier
  (last_year), the last complete financial year (last_outturn) and the trend months (trend),
  each with its dates from the calendar (also where the figures do not reach), the latest
  quarter and the span of the figures. Keys only: suppression has nothing to hide here.
#}
{%- set trend_months = var('report_trend_months') -%}
with

-- The span of the council's monthly figures.
council_months as (
    select la_code, min(period_start) as first_month, max(period_end) as last_month
    from {{ ref('kpi_values') }}
    where period_type = 'month'
    group by la_code
),

calendar as (
    select date_day, month_start, month_end, quarter_start, quarter_end, financial_year_start, financial_quarter_label
    from {{ ref('dim_date') }}
),

report_quarters as (
    select
        council_months.la_code,
        calendar.financial_quarter_label as report_quarter,
        calendar.date_day as quarter_end,
        calendar.financial_year_start,
        calendar.date_day = max(calendar.date_day) over (partition by council_months.la_code) as is_latest_quarter,
        council_months.first_month,
        council_months.last_month
    from council_months
    inner join calendar
        on calendar.date_day = calendar.quarter_end
        and calendar.date_day between council_months.first_month and council_months.last_month
),

-- The month ends of the trend charts: the quarter's last month and the months before it,
-- from the calendar (a month without figures keeps its place on the chart's axis).
calendar_month_ends as (select month_end from calendar where date_day = month_end),

trend_months as (
    select report_quarters.la_code, report_quarters.report_quarter, calendar_month_ends.month_end as period_end
    from report_quarters
    inner join calendar_month_ends
        on calendar_month_ends.month_end <= report_quarters.quarter_end
        and calendar_month_ends.month_end > cast({{ dbt.last_day(dbt.dateadd('month', -trend_months, 'report_quarters.quarter_end'), 'month') }} as date)
),

{% set last_year_end = "cast(" ~ dbt.last_day(dbt.dateadd('month', -12, 'quarter_end'), 'month') ~ " as date)" %}
periods as (
    select la_code, report_quarter, 'this_period' as period_role, 'quarter' as period_type, quarter_end as period_end
    from report_quarters
    union all
    select la_code, report_quarter, 'this_period', 'fytd', quarter_end from report_quarters
    union all
    select la_code, report_quarter, 'last_year', 'quarter', {{ last_year_end }} from report_quarters
    union all
    select la_code, report_quarter, 'last_year', 'fytd', {{ last_year_end }} from report_quarters
    union all
    select la_code, report_quarter, 'last_outturn', 'fy', cast({{ dbt.dateadd('day', -1, 'financial_year_start') }} as date)
    from report_quarters
    union all
    select la_code, report_quarter, 'trend', 'month', period_end from trend_months
),

-- Each period's first day, by its type, from the calendar row of its last day.
dated_periods as (
    select
        periods.la_code,
        periods.report_quarter,
        periods.period_role,
        periods.period_type,
        case periods.period_type
            when 'month' then calendar.month_start
            when 'quarter' then calendar.quarter_start
            else calendar.financial_year_start
        end as period_start,
        periods.period_end,
        report_quarters.is_latest_quarter,
        report_quarters.first_month as figures_start,
        report_quarters.last_month as figures_end
    from periods
    left join calendar on calendar.date_day = periods.period_end
    inner join report_quarters
        on report_quarters.la_code = periods.la_code and report_quarters.report_quarter = periods.report_quarter
),

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(report_quarter as {{ dbt.type_string() }}) as report_quarter,
        cast(period_role as {{ dbt.type_string() }}) as period_role,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        is_latest_quarter,
        cast(figures_start as date) as figures_start,
        cast(figures_end as date) as figures_end
    from dated_periods
)

select
    la_code, report_quarter, period_role, period_type, period_start, period_end, is_latest_quarter,
    figures_start, figures_end
from final
