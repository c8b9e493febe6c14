{#
  A month's readiness, as the report's readiness section shows it: per council and month of
  the census year, the failures on the return made in the month and the running total to
  date, errors and queries apart, summed over the rules of dq_census_readiness_monthly. A
  rule the extract cannot evaluate adds nothing (its counts are null there); a month with no
  evaluable rule of a type shows zero for it, not null.
#}
with

rule_months as (
    select
        la_code,
        census_year,
        month_start,
        rule_type,
        failing_records,
        failing_records_to_date
    from {{ ref('dq_census_readiness_monthly') }}
),

totals as (
    select
        la_code,
        census_year,
        month_start,
        sum(case when rule_type = 'error' then failing_records end) as errors,
        sum(case when rule_type = 'query' then failing_records end) as queries,
        sum(case when rule_type = 'error' then failing_records_to_date end) as errors_to_date,
        sum(case when rule_type = 'query' then failing_records_to_date end) as queries_to_date
    from rule_months
    group by la_code, census_year, month_start
)

select
    la_code,
    census_year,
    month_start,
    cast(coalesce(errors, 0) as bigint) as errors,
    cast(coalesce(queries, 0) as bigint) as queries,
    cast(coalesce(errors_to_date, 0) as bigint) as errors_to_date,
    cast(coalesce(queries_to_date, 0) as bigint) as queries_to_date
from totals
