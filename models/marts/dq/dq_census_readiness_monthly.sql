{#
  The trend of dq_census_readiness by month: per council, census year month (to the
  reporting date) and implemented DfE rule, the failures on the census year's return made
  in that month (the month of the failing record's own date: a referral, start, conference
  or review; a record carried in from an earlier year counts in April) and the running total
  to date, errors and queries apart. So a council sees each error in the month it is made,
  not once a year. Every rule and month is listed, zeros when clean; a rule the extract
  cannot evaluate has null counts (dq_census_readiness says why). Counts only.
#}
with

readiness as (
    select la_code, census_year, reference_date, rule_code, rule_type, module, can_evaluate
    from {{ ref('dq_census_readiness') }}
),

census as (
    select la_code, census_start_date, reference_date from {{ ref('int_dq_census_period') }}
),

spans as (
    select la_code, reporting_date from {{ ref('int_extract_spans') }}
),

months as (
    select distinct
        census.la_code,
        calendar.month_start
    from census
    inner join spans on spans.la_code = census.la_code
    inner join {{ ref('dim_date') }} as calendar
        on calendar.date_day between census.census_start_date
        and least(census.reference_date, spans.reporting_date)
),

failures as (
    select la_code, rule_code, failure_month, count(*) as failing_records
    from {{ ref('int_dq_dfe_census_failures') }}
    group by la_code, rule_code, failure_month
),

by_month as (
    select
        readiness.la_code,
        readiness.census_year,
        months.month_start,
        readiness.rule_code,
        readiness.rule_type,
        readiness.module,
        readiness.can_evaluate,
        case when readiness.can_evaluate then coalesce(failures.failing_records, 0) end as failing_records
    from readiness
    inner join months on months.la_code = readiness.la_code
    left join failures
        on failures.la_code = readiness.la_code
        and failures.rule_code = readiness.rule_code
        and failures.failure_month = months.month_start
)

select
    la_code,
    census_year,
    month_start,
    rule_code,
    rule_type,
    module,
    can_evaluate,
    failing_records,
    sum(failing_records) over (
        partition by la_code, rule_code order by month_start rows between unbounded preceding and current row
    ) as failing_records_to_date
from by_month
