{#
  Each council figure a quarterly report shows (quarter, fytd, fy) beside its own history:
  the same period a year earlier and the outturn of the last complete financial year.
  marts.kpi_scorecard adds direction of travel, target, RAG and the benchmarks.
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
calendar as (select date_day, financial_year_start from {{ ref('dim_date') }}),

reported as (
    select
        kpi_values.*,
        calendar.financial_year_start
    from kpi_values
    inner join calendar on calendar.date_day = kpi_values.period_start
    where kpi_values.period_type in ('quarter', 'fytd', 'fy')
),

final as (
    select
        reported.*,
        last_year.value as previous_year_value,
        outturn.period_start as previous_fy_start,
        outturn.value as previous_fy_value
    from reported
    -- The same kind of period ending at the same month's end a year earlier: last_day, so
    -- a period ending 28 February 2017 finds the one ending 29 February 2016.
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
)

select * from final
