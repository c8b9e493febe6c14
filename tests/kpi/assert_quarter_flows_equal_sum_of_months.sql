-- Flow counts of a quarter equal the sum of its months (numerator and denominator).
with

kpi_values as (
    select * from {{ ref('kpi_values') }}
),

definitions as (
    select kpi_code from {{ ref('kpi_definitions') }} where measure_type = 'flow'
),

quarters as (
    select kpi_values.*
    from kpi_values
    inner join definitions on definitions.kpi_code = kpi_values.kpi_code
    where period_type = 'quarter' and numerator is not null
),

month_sums as (
    select
        quarters.la_code,
        quarters.kpi_code,
        quarters.period_end,
        sum(months.numerator) as numerator,
        sum(months.denominator) as denominator
    from quarters
    inner join kpi_values as months
        on months.la_code = quarters.la_code
        and months.kpi_code = quarters.kpi_code
        and months.period_type = 'month'
        and months.period_start between quarters.period_start and quarters.period_end
    group by 1, 2, 3
)

select quarters.la_code, quarters.kpi_code, quarters.period_end,
       quarters.numerator, month_sums.numerator as months_numerator
from quarters
inner join month_sums
    on month_sums.la_code = quarters.la_code
    and month_sums.kpi_code = quarters.kpi_code
    and month_sums.period_end = quarters.period_end
where quarters.numerator <> month_sums.numerator
   or (quarters.unit = 'percent' and quarters.denominator <> month_sums.denominator)
