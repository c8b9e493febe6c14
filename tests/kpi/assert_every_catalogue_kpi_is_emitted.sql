-- The KPI catalogue is the spine, both ways (the other way is the relationships tests on
-- int_kpi_monthly_flows and int_kpi_month_end_stocks): every flow KPI in the catalogue has a
-- row for every reported month, every stock KPI one for every reported month end. A code
-- mistyped in the SQL would otherwise give a null (or, before, a silent 0). Returns each gap.
with

definitions as (select kpi_code, measure_type from {{ ref('kpi_definitions') }}),

months as (
    select la_code, period_start, period_end
    from {{ ref('int_reporting_periods') }}
    where period_type = 'month'
),

expected as (
    select months.la_code, months.period_start, months.period_end, definitions.kpi_code, definitions.measure_type
    from months
    cross join definitions
),

missing as (
    select expected.*
    from expected
    left join {{ ref('int_kpi_monthly_flows') }} as flows
        on flows.la_code = expected.la_code
        and flows.kpi_code = expected.kpi_code
        and flows.month_start = expected.period_start
    left join {{ ref('int_kpi_month_end_stocks') }} as stocks
        on stocks.la_code = expected.la_code
        and stocks.kpi_code = expected.kpi_code
        and stocks.month_end = expected.period_end
    where (expected.measure_type = 'flow' and flows.kpi_code is null)
       or (expected.measure_type = 'stock' and stocks.kpi_code is null)
)

select * from missing
