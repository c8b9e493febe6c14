-- For flows, financial year to date at the end of Q2 equals Q1 + Q2.
with

kpi_values as (
    select * from {{ ref('kpi_values') }}
),

definitions as (
    select kpi_code from {{ ref('kpi_definitions') }} where measure_type = 'flow'
),

fytd_at_q2 as (
    select kpi_values.*
    from kpi_values
    inner join definitions on definitions.kpi_code = kpi_values.kpi_code
    where period_type = 'fytd'
      and extract(month from period_end) = 9
      and numerator is not null
),

first_two_quarters as (
    select
        fytd_at_q2.la_code,
        fytd_at_q2.kpi_code,
        fytd_at_q2.period_end,
        sum(quarters.numerator) as numerator,
        count(*) as quarters_found
    from fytd_at_q2
    inner join kpi_values as quarters
        on quarters.la_code = fytd_at_q2.la_code
        and quarters.kpi_code = fytd_at_q2.kpi_code
        and quarters.period_type = 'quarter'
        and quarters.period_start >= fytd_at_q2.period_start
        and quarters.period_end <= fytd_at_q2.period_end
    group by 1, 2, 3
)

select fytd_at_q2.la_code, fytd_at_q2.kpi_code, fytd_at_q2.period_end,
       fytd_at_q2.numerator, first_two_quarters.numerator as q1_plus_q2
from fytd_at_q2
inner join first_two_quarters
    on first_two_quarters.la_code = fytd_at_q2.la_code
    and first_two_quarters.kpi_code = fytd_at_q2.kpi_code
    and first_two_quarters.period_end = fytd_at_q2.period_end
where first_two_quarters.quarters_found = 2
  and fytd_at_q2.numerator <> first_two_quarters.numerator
