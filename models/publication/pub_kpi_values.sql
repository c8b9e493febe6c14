{#
  kpi_values as every publication carries it: the mart's columns, then each count and the
  value as report text (*_display) and whether the external publication suppresses it
  (*_suppressed, from int_kpi_cells_suppressed), so a report built on one publication works on
  the other.
#}
with

kpi_values as (select * from {{ ref('kpi_values') }}),
flags as (select * from {{ ref('int_kpi_cells_suppressed') }}),

flagged as (
    select
        {{ columns_except(ref('kpi_values'), 'kpi_values') }},
        coalesce(flags.numerator_suppressed, false) as numerator_suppressed,
        coalesce(flags.denominator_suppressed, false) as denominator_suppressed,
        coalesce(flags.value_suppressed, false) as value_suppressed
    from kpi_values
    left join flags
        on flags.la_code = kpi_values.la_code
        and flags.kpi_code = kpi_values.kpi_code
        and flags.period_type = kpi_values.period_type
        and flags.period_end = kpi_values.period_end
),

final as (
    select
        flagged.*,
        {{ display_text('numerator') }} as numerator_display,
        {{ display_text('denominator') }} as denominator_display,
        case when unit = 'count' then {{ display_text('value') }}
            else {{ display_text('value', decimals=1) }} end as value_display
    from flagged
)

select * from final
