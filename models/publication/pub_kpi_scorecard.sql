{#
  kpi_scorecard as every publication carries it: the mart's columns, the figures as report
  text (*_display) and which of them the external publication suppresses: this period's
  counts and value, and the earlier periods it quotes (same period last year, last outturn).
#}
with

scorecard as (select * from {{ ref('kpi_scorecard') }}),
flags as (select * from {{ ref('int_kpi_cells_suppressed') }}),

flagged as (
    select
        {{ columns_except(ref('kpi_scorecard'), 'scorecard') }},
        coalesce(this_period.numerator_suppressed, false) as numerator_suppressed,
        coalesce(this_period.denominator_suppressed, false) as denominator_suppressed,
        coalesce(this_period.value_suppressed, false) as value_suppressed,
        coalesce(last_year.value_suppressed, false) as previous_year_value_suppressed,
        coalesce(outturn.value_suppressed, false) as previous_fy_value_suppressed
    from scorecard
    left join flags as this_period
        on this_period.la_code = scorecard.la_code
        and this_period.kpi_code = scorecard.kpi_code
        and this_period.period_type = scorecard.period_type
        and this_period.period_end = scorecard.period_end
    left join flags as last_year
        on last_year.la_code = scorecard.la_code
        and last_year.kpi_code = scorecard.kpi_code
        and last_year.period_type = scorecard.period_type
        and last_year.period_end = cast({{ dbt.last_day(dbt.dateadd('month', -12, 'scorecard.period_end'), 'month') }} as date)
    left join flags as outturn
        on outturn.la_code = scorecard.la_code
        and outturn.kpi_code = scorecard.kpi_code
        and outturn.period_type = 'fy'
        and outturn.period_start = scorecard.previous_fy_start
),

final as (
    select
        flagged.*,
        {{ display_text('numerator') }} as numerator_display,
        {{ display_text('denominator') }} as denominator_display,
        case when unit = 'count' then {{ display_text('value') }}
            else {{ display_text('value', decimals=1) }} end as value_display,
        case when unit = 'count' then {{ display_text('previous_year_value') }}
            else {{ display_text('previous_year_value', decimals=1) }} end as previous_year_value_display,
        case when unit = 'count' then {{ display_text('previous_fy_value') }}
            else {{ display_text('previous_fy_value', decimals=1) }} end as previous_fy_value_display
    from flagged
)

select * from final
