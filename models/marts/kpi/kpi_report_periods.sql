{#
  Which periods a council's quarterly report shows, for every quarter it can be written for
  (csc report reads its rows, filtered by council and report_quarter, and the figures of
  these periods from kpi_values and kpi_scorecard). A report quarter ends within the
  council's monthly figures. For each: the quarter and the year to date at its end
  (this_period), the same two a year earlier (last_year), the last complete financial year
  (last_outturn) and the months of the trend charts ending with the quarter (trend).
  Keys only, no figures: a suppressed publication suppresses nothing here.
#}
{%- set trend_months = var('report_trend_months') -%}
with

-- The council's months with figures (kpi_values has one row per KPI: one per month here).
council_month_list as (
    select distinct la_code, period_start, period_end from {{ ref('kpi_values') }} where period_type = 'month'
),

calendar as (select date_day, quarter_end, financial_year_start, financial_quarter_label from {{ ref('dim_date') }}),

council_months as (
    select la_code, min(period_start) as first_month, max(period_end) as last_month
    from council_month_list
    group by la_code
),

report_quarters as (
    select
        council_months.la_code,
        calendar.financial_quarter_label as report_quarter,
        calendar.date_day as quarter_end,
        calendar.financial_year_start
    from council_months
    inner join calendar
        on calendar.date_day = calendar.quarter_end
        and calendar.date_day between council_months.first_month and council_months.last_month
),

-- The month ends of the trend charts: the quarter's last month and the months before it.
trend_months as (
    select report_quarters.la_code, report_quarters.report_quarter, council_month_list.period_end
    from report_quarters
    inner join council_month_list
        on council_month_list.la_code = report_quarters.la_code
        and council_month_list.period_end <= report_quarters.quarter_end
        and council_month_list.period_end > cast({{ dbt.last_day(dbt.dateadd('month', -trend_months, 'report_quarters.quarter_end'), 'month') }} as date)
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

final as (
    select
        cast(la_code as {{ dbt.type_string() }}) as la_code,
        cast(report_quarter as {{ dbt.type_string() }}) as report_quarter,
        cast(period_role as {{ dbt.type_string() }}) as period_role,
        cast(period_type as {{ dbt.type_string() }}) as period_type,
        cast(period_end as date) as period_end
    from periods
)

select * from final
