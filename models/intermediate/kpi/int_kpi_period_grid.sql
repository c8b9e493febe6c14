{#
  What is to be measured: every KPI of the catalogue for every council and reported period
  (int_reporting_periods), with the catalogue's unit, measure type and provisional window,
  the council's extract span and the period's financial label. A KPI the extract cannot
  measure is still here, so it is published as null with its reason, never left out.
#}
with

periods as (select * from {{ ref('int_reporting_periods') }}),
spans as (select * from {{ ref('int_extract_spans') }}),
definitions as (select * from {{ ref('kpi_definitions') }}),
calendar as (select date_day, financial_year, financial_quarter from {{ ref('dim_date') }}),

final as (
    select
        periods.la_code,
        periods.period_type,
        periods.period_start,
        periods.period_end,
        periods.months_in_period,
        definitions.kpi_code,
        definitions.unit,
        definitions.measure_type,
        definitions.provisional_window_days,
        definitions.provisional_waits_for,
        spans.extract_start_date,
        spans.reporting_date,
        {{ dbt.concat([
            "calendar.financial_year",
            "case periods.period_type when 'quarter' then ' Q' || cast(calendar.financial_quarter as " ~ dbt.type_string() ~ ")"
            ~ " when 'fytd' then ' to date' else '' end"]) }} as financial_period_label
    from periods
    cross join definitions
    inner join calendar on calendar.date_day = periods.period_start
    inner join spans on spans.la_code = periods.la_code
)

select * from final
