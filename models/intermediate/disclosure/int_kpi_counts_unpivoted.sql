{#
  Step 1 of small-number suppression (int_kpi_cells_suppressed): the counts each cell of
  kpi_values publishes, one row per count, with the KPI's measure type and the financial
  year of the period (the series the complementary walk runs along,
  int_kpi_boundaries_kept).
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
definitions as (select kpi_code, measure_type from {{ ref('kpi_definitions') }}),
calendar as (select date_day, financial_year_start from {{ ref('dim_date') }}),

cells as (
    select
        kpi_values.la_code, kpi_values.kpi_code, kpi_values.period_type, kpi_values.period_start,
        kpi_values.period_end, kpi_values.numerator, kpi_values.denominator, kpi_values.unit,
        definitions.measure_type, calendar.financial_year_start
    from kpi_values
    inner join definitions on definitions.kpi_code = kpi_values.kpi_code
    inner join calendar on calendar.date_day = kpi_values.period_start
),

-- The counts a cell publishes: its numerator, and a percentage's denominator (events or
-- children). Other denominators are calendar months or ONS populations, published anyway.
counts as (
    select la_code, kpi_code, period_type, period_start, period_end, measure_type,
           financial_year_start, 'numerator' as part, numerator as n
    from cells where numerator is not null
    union all
    select la_code, kpi_code, period_type, period_start, period_end, measure_type,
           financial_year_start, 'denominator' as part, denominator as n
    from cells where unit = 'percent' and denominator is not null
)

select
    cast(la_code as {{ dbt.type_string() }}) as la_code,
    cast(kpi_code as {{ dbt.type_string() }}) as kpi_code,
    cast(period_type as {{ dbt.type_string() }}) as period_type,
    cast(period_start as date) as period_start,
    cast(period_end as date) as period_end,
    cast(measure_type as {{ dbt.type_string() }}) as measure_type,
    cast(financial_year_start as date) as financial_year_start,
    cast(part as {{ dbt.type_string() }}) as part,
    cast(n as bigint) as n
from counts
