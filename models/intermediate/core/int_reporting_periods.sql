{#
  The periods every KPI is reported for, per council: calendar months, financial quarters,
  financial year to date and complete financial years, from the first complete month of the
  extract to the last complete month on or before the reporting date.
#}
with

spans as (
    select * from {{ ref('int_extract_spans') }}
),

calendar_months as (
    select distinct
        month_start,
        month_end,
        financial_year_start,
        quarter_start,
        quarter_end
    from {{ ref('dim_date') }}
),

months_in_span as (
    select
        spans.la_code,
        calendar_months.*
    from spans
    inner join calendar_months
        on calendar_months.month_start >= spans.extract_start_date
        and calendar_months.month_end <= spans.reporting_date
),

first_months as (
    select la_code, min(month_start) as first_month_start, max(month_end) as last_month_end
    from months_in_span
    group by la_code
),

month_periods as (
    select la_code, 'month' as period_type, month_start as period_start, month_end as period_end
    from months_in_span
),

quarter_periods as (
    select distinct
        months_in_span.la_code, 'quarter' as period_type,
        months_in_span.quarter_start as period_start, months_in_span.quarter_end as period_end
    from months_in_span
    inner join first_months on first_months.la_code = months_in_span.la_code
    where months_in_span.quarter_start >= first_months.first_month_start
      and months_in_span.quarter_end <= first_months.last_month_end
),

fytd_periods as (
    select
        months_in_span.la_code, 'fytd' as period_type,
        months_in_span.financial_year_start as period_start, months_in_span.month_end as period_end
    from months_in_span
    inner join first_months on first_months.la_code = months_in_span.la_code
    where months_in_span.financial_year_start >= first_months.first_month_start
),

fy_periods as (
    select distinct
        months_in_span.la_code, 'fy' as period_type,
        months_in_span.financial_year_start as period_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, 'months_in_span.financial_year_start')) }} as date) as period_end
    from months_in_span
    inner join first_months on first_months.la_code = months_in_span.la_code
    where months_in_span.financial_year_start >= first_months.first_month_start
      and {{ dbt.dateadd('day', -1, dbt.dateadd('year', 1, 'months_in_span.financial_year_start')) }} <= first_months.last_month_end
),

all_periods as (
    select * from month_periods
    union all select * from quarter_periods
    union all select * from fytd_periods
    union all select * from fy_periods
),

final as (
    select
        la_code,
        period_type,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast({{ dbt.datediff('period_start', 'period_end', 'month') }} + 1 as integer) as months_in_period
    from all_periods
)

select * from final
